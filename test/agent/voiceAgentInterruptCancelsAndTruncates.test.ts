/**
 * Interruptions through the agent against the real server, the scripted LLM slowed to 150 ms per
 * word so the long answer is still being generated when it is cut off:
 * - `interrupt()` cancels the response (`client_cancelled`), stops and clears the agent's audio at
 *   once (nothing more is delivered for that response), and truncates the assistant item to the
 *   real-time playback estimate; the server keeps only the heard prefix of the answer;
 * - the user speaking over the answer (server VAD) cuts it the same way, truncating to the position
 *   the app reported with `reportPlayback()`; the interruption becomes the next turn.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createVoiceAgent } from '../../src/agent/index.js';
import type { VoiceAgent, VoiceAgentConfig } from '../../src/agent/index.js';
import { composeScene, espeakClip } from '../helpers/speechFixtures.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';
import { speechSkipReason } from '../speech/speechSession.js';
import { EventLog, pushInRealTime, stereo48k, stereoSilence } from './agentSpeechKit.js';

const LONG_REQUEST =
  'I would like to hear a long answer today. Please keep talking for quite a while. I will interrupt you somewhere in the middle of it. Thank you very much for your patience.';
const LONG_ANSWER = `You said: ${LONG_REQUEST.replace(/\.$/, '')}.`;

let server: TestServer;
before(async () => {
  server = await startTestServer({ scriptedWordDelayMs: 150 }, { speech: true });
});
after(async () => {
  await server?.close();
});

function agentFor(overrides: Partial<VoiceAgentConfig>): VoiceAgent {
  return createVoiceAgent({ endpoint: server.httpUrl, credential: 'local', model: 'gpt-realtime', ...overrides });
}

async function heardTranscript(agent: VoiceAgent, itemId: string): Promise<string> {
  const connection = agent.connection!;
  const retrieved = connection.waitFor('conversation.item.retrieved', { timeoutMs: 5000 });
  connection.conversation.item.retrieve({ item_id: itemId });
  const item = (await retrieved).item;
  assert.equal(item.type, 'message');
  const part = item.type === 'message' ? item.content[0] : undefined;
  return part && 'transcript' in part ? (part.transcript ?? '') : '';
}

test('interrupt(): cancels the response, clears the audio at once, truncates to the real-time playback estimate', { timeout: 30_000 }, async (t) => {
  if (server.engines.unavailable.tts) return t.skip(`no TTS: ${server.engines.unavailable.tts}`);
  const agent = agentFor({ turnDetection: null, outputAudio: { sampleRateHz: 16_000, channels: 1 } });
  const log = new EventLog(agent);
  try {
    await agent.connect();
    const truncated = agent.connection!.waitFor('conversation.item.truncated', { timeoutMs: 10_000 });
    const speaking = agent.waitFor('agent_speech_started', { timeoutMs: 15_000 });
    agent.sendText(LONG_REQUEST);
    const started = await speaking;
    const startedAtMs = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1200));

    const done = agent.waitFor('response_done', { timeoutMs: 10_000 });
    const metrics = agent.waitFor('metrics', { timeoutMs: 10_000 });
    const before = log.events.length;
    const heardEstimateMs = performance.now() - startedAtMs;
    const result = agent.interrupt();
    // Synchronously: the item's audio stopped (interrupted) and the app was told to drop its queue.
    assert.deepEqual(
      log.events.slice(before).map((e) => e.type),
      ['agent_speech_stopped', 'agent_audio_cleared'],
    );
    const stopped = log.all('agent_speech_stopped')[0]!;
    assert.equal(stopped.interrupted, true);
    const cleared = log.all('agent_audio_cleared')[0]!;
    assert.equal(cleared.reason, 'interrupt');
    assert.equal(cleared.itemId, started.itemId);

    assert.equal(result.cancelledResponseId, started.responseId);
    assert.equal(result.truncatedItemId, started.itemId);
    const cutMs = result.truncatedAtMs ?? -1;
    console.log(`interrupt(): cut at ${cutMs} ms (estimate ${heardEstimateMs.toFixed(0)} ms since the first audio event; ${stopped.audioDurationMs.toFixed(0)} ms delivered)`);
    assert.ok(Math.abs(cutMs - heardEstimateMs) <= 100, `cut at ${cutMs} ms ≈ ${heardEstimateMs.toFixed(0)} ms of real-time playback`);
    assert.ok(cutMs < stopped.audioDurationMs, 'less than was delivered');
    assert.equal(cleared.truncatedAtMs, cutMs);

    const finished = await done;
    assert.equal(finished.responseId, started.responseId);
    assert.equal(finished.status, 'cancelled');
    assert.equal(finished.reason, 'client_cancelled');
    const afterInterrupt = log.events.slice(before);
    assert.equal(afterInterrupt.filter((e) => e.type === 'agent_audio').length, 0, 'no audio delivered after interrupt()');
    assert.equal(afterInterrupt.filter((e) => e.type === 'agent_speech_stopped').length, 1, 'stopped once (at the interrupt, not again when the response ends)');

    const serverCut = await truncated;
    assert.equal(serverCut.item_id, started.itemId);
    assert.equal(serverCut.audio_end_ms, cutMs);
    const heard = await heardTranscript(agent, started.itemId);
    console.log(`heard "${heard}" of "${LONG_ANSWER}"`);
    assert.ok(LONG_ANSWER.startsWith(heard) && heard.length < LONG_ANSWER.length / 2, `the item keeps only the heard prefix: "${heard}"`);

    const turn = (await metrics).metrics;
    assert.equal(turn.responseId, started.responseId);
    assert.equal(turn.status, 'cancelled');
    assert.equal(turn.interrupted, true);
    assert.equal(turn.interruptionCount, 1);
    assert.equal(turn.trigger, 'app_request');
    assert.equal(agent.interruptionCount, 1);
    assert.deepEqual(log.all('error'), []);
  } finally {
    await agent.close();
  }
});

test('the user speaking over the answer: cut to the reported playback position, then answered', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  // Fixtures first: sox and espeak-ng run synchronously and would stall the in-process server.
  const interruption = stereo48k(composeScene([espeakClip('Sorry to interrupt, but I have a question.')], [200, 1500]));
  const silence = stereoSilence(100);
  const agent = agentFor({
    turnDetection: { type: 'server_vad', prefix_padding_ms: 300, silence_duration_ms: 500 },
    inputAudio: { sampleRateHz: 48_000, channels: 2 },
    outputAudio: { sampleRateHz: 48_000, channels: 2 },
  });
  const log = new EventLog(agent);
  // The app's player reports 800 ms played once it has received more than a second.
  const REPORTED_MS = 800;
  agent.on('agent_audio', (chunk) => {
    if (chunk.startMs + chunk.durationMs > 1000) agent.reportPlayback(chunk.itemId, REPORTED_MS);
  });
  try {
    await agent.connect();
    const first = agent.waitFor('agent_speech_started', { timeoutMs: 15_000 });
    agent.sendText(LONG_REQUEST);
    // A live microphone: silence until the answer has played about 1.2 s, then the user talks.
    let startedAtMs: number | null = null;
    void first.then(() => (startedAtMs = performance.now()));
    while (startedAtMs === null || performance.now() - startedAtMs < 1200) await pushInRealTime(agent, silence);
    const started = await first;
    const cleared = agent.waitFor('agent_audio_cleared', { timeoutMs: 10_000 });
    const truncated = agent.connection!.waitFor('conversation.item.truncated', { predicate: (e) => e.audio_end_ms === REPORTED_MS, timeoutMs: 10_000 });
    const answered = agent.waitFor('metrics', { predicate: (e) => e.metrics.responseId !== started.responseId && e.metrics.status === 'completed', timeoutMs: 30_000 });
    await pushInRealTime(agent, interruption);

    const cut = await cleared;
    assert.equal(cut.reason, 'user_speech');
    assert.equal(cut.itemId, started.itemId);
    assert.equal(cut.truncatedAtMs, REPORTED_MS);
    assert.equal((await truncated).item_id, started.itemId);
    const speechStarted = log.indexOf('user_speech_started');
    assert.ok(speechStarted >= 0 && speechStarted < log.events.indexOf(cut), `the cut follows the user's speech: ${log.summary()}`);
    const stopped = log.all('agent_speech_stopped', (e) => e.responseId === started.responseId)[0]!;
    assert.equal(stopped.interrupted, true);
    const firstDone = log.all('response_done', (e) => e.responseId === started.responseId)[0]!;
    assert.equal(firstDone.status, 'cancelled');
    assert.equal(firstDone.reason, 'turn_detected');
    const cutIndex = log.events.indexOf(cut);
    assert.equal(log.events.slice(cutIndex).filter((e) => e.type === 'agent_audio' && e.responseId === started.responseId).length, 0, 'no more audio of the cut answer');
    const firstMetrics = log.all('metrics', (e) => e.metrics.responseId === started.responseId)[0]!.metrics;
    assert.equal(firstMetrics.interrupted, true);

    const next = (await answered).metrics;
    assert.equal(next.trigger, 'user_speech');
    assert.equal(next.interrupted, false);
    assert.equal(next.interruptionCount, 1);
    const heard = await heardTranscript(agent, started.itemId);
    assert.ok(LONG_ANSWER.startsWith(heard) && heard.length < LONG_ANSWER.length / 2, `the item keeps only the heard prefix: "${heard}"`);
    assert.deepEqual(log.all('error'), []);
  } finally {
    await agent.close();
  }
});
