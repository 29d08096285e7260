/**
 * A spoken turn through the agent against the real server (Silero VAD, pocketsphinx, flite), the
 * microphone being 48 kHz stereo pushed at real-time pace in odd-sized chunks:
 * - the agent's events fire in the order of a turn, the output audio arrives as 48 kHz stereo, and
 *   the turn's metrics are present and plausible;
 * - the server's speech_started / speech_stopped positions match where the speech really is in the
 *   48 kHz stereo input (±200 ms), so the conversion to 24 kHz mono keeps time.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createVoiceAgent } from '../../src/agent/index.js';
import type { TurnMetrics, VoiceAgent } from '../../src/agent/index.js';
import { composeScene, espeakClip, librivoxClip } from '../helpers/speechFixtures.js';
import type { SpeechClip } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { speechSkipReason, startSpeechServer } from '../speech/speechSession.js';
import { APP_CHANNELS, APP_RATE_HZ, EventLog, pushInRealTime, stereo48k } from './agentSpeechKit.js';

const PREFIX_PADDING_MS = 300;
const SILENCE_DURATION_MS = 500;
const LEAD_SILENCE_MS = 1000;
const TRAIL_SILENCE_MS = 1500;
const TOLERANCE_MS = 200;

let server: TestServer;
before(async () => {
  if (!speechSkipReason) server = await startSpeechServer();
});
after(async () => {
  await server?.close();
});

function agentFor(): VoiceAgent {
  return createVoiceAgent({
    endpoint: server.httpUrl,
    credential: 'local',
    model: 'gpt-realtime',
    instructions: 'Be brief.',
    turnDetection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: PREFIX_PADDING_MS, silence_duration_ms: SILENCE_DURATION_MS },
    inputAudio: { sampleRateHz: APP_RATE_HZ, channels: APP_CHANNELS },
    outputAudio: { sampleRateHz: APP_RATE_HZ, channels: APP_CHANNELS },
  });
}

interface SpokenTurn {
  agent: VoiceAgent;
  log: EventLog;
  truth: { startMs: number; endMs: number };
  sceneMs: number;
  metrics: TurnMetrics;
  /** Session audio (24 kHz samples) the server sent per response. */
  sessionSamples: Map<string, number>;
}

async function speak(clip: SpeechClip): Promise<SpokenTurn> {
  // Fixtures first: sox runs synchronously and would stall the in-process server.
  const scene = composeScene([clip], [LEAD_SILENCE_MS, TRAIL_SILENCE_MS]);
  const input = stereo48k(scene);
  const agent = agentFor();
  const log = new EventLog(agent);
  await agent.connect();
  const sessionSamples = new Map<string, number>();
  agent.connection?.on('response.audio.delta', (e) => sessionSamples.set(e.response_id, (sessionSamples.get(e.response_id) ?? 0) + Buffer.from(e.delta, 'base64').length / 2));
  const metrics = agent.waitFor('metrics', { timeoutMs: 30_000 });
  await pushInRealTime(agent, input);
  agent.flushAudio();
  const speech = scene.speech[0]!;
  return { agent, log, truth: { startMs: speech.startMs, endMs: speech.endMs }, sceneMs: scene.durationMs, metrics: (await metrics).metrics, sessionSamples };
}

test('a spoken turn: events in order, 48 kHz stereo answer, plausible metrics', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const clip = librivoxClip('sense_and_sensibility_01_austen_64kb-0880');
  const turn = await speak(clip);
  const { agent, log, metrics } = turn;
  try {
    const order = log.summary();
    console.log(`events: ${order}`);
    const started = log.indexOf('user_speech_started');
    const stopped = log.indexOf('user_speech_stopped');
    const userFinal = log.indexOf('transcription', (e) => e.role === 'user' && e.isFinal);
    const agentStarted = log.indexOf('agent_speech_started');
    const assistantFinal = log.indexOf('transcription', (e) => e.role === 'assistant' && e.isFinal);
    const agentStopped = log.indexOf('agent_speech_stopped');
    const done = log.indexOf('response_done');
    const metricsAt = log.indexOf('metrics');
    const sequence = [started, stopped, userFinal, agentStarted, agentStopped, done, metricsAt];
    assert.ok(sequence.every((i) => i >= 0), `every step present: ${order}`);
    assert.deepEqual([...sequence].sort((a, b) => a - b), sequence, `user speech started → stopped → user transcript → agent speech started → stopped → done → metrics: ${order}`);
    assert.ok(agentStarted < assistantFinal && assistantFinal < metricsAt, `the assistant transcript completes during the turn: ${order}`);

    // One user item runs through the turn; its transcript is the user's words.
    const userItemId = log.all('user_speech_started')[0]!.itemId;
    assert.equal(log.all('user_speech_stopped')[0]!.itemId, userItemId);
    const userText = log.all('transcription', (e) => e.role === 'user' && e.isFinal)[0]!;
    assert.equal(userText.itemId, userItemId);
    assert.match(userText.text, /\w/);
    for (const delta of log.all('transcription', (e) => e.role === 'user' && !e.isFinal)) assert.equal(delta.itemId, userItemId);

    // The answer: assistant deltas add up to the final transcript; audio chunks are 48 kHz stereo, in sequence.
    const responseId = log.all('response_done')[0]!.responseId;
    const assistantText = log.all('transcription', (e) => e.role === 'assistant' && e.isFinal)[0]!;
    assert.equal(assistantText.responseId, responseId);
    assert.equal(log.all('transcription', (e) => e.role === 'assistant' && !e.isFinal).map((e) => e.text).join(''), assistantText.text);
    assert.equal(assistantText.text, `You said: ${userText.text}.`, 'the scripted LLM echoes the transcript');
    const chunks = log.all('agent_audio');
    assert.ok(chunks.length >= 5, `audio in several chunks (${chunks.length})`);
    let frames = 0;
    for (const chunk of chunks) {
      assert.equal(chunk.sampleRateHz, APP_RATE_HZ);
      assert.equal(chunk.channels, APP_CHANNELS);
      assert.equal(chunk.pcm.length % 2, 0);
      for (let i = 0; i < chunk.pcm.length; i += 2) assert.equal(chunk.pcm[i], chunk.pcm[i + 1]);
      assert.ok(Math.abs(chunk.startMs - (frames * 1000) / APP_RATE_HZ) < 1e-6, 'chunks are contiguous');
      frames += chunk.pcm.length / 2;
    }
    const sessionSamples = turn.sessionSamples.get(responseId) ?? 0;
    assert.equal(frames, sessionSamples * 2, `48 kHz frames = 2 × the ${sessionSamples} session samples`);
    const stoppedEvent = log.all('agent_speech_stopped')[0]!;
    assert.equal(stoppedEvent.interrupted, false);
    assert.ok(Math.abs(stoppedEvent.audioDurationMs - (frames * 1000) / APP_RATE_HZ) < 1e-6);

    // Metrics: present, non-negative, consistent with the events and with the audio.
    console.log(`metrics: ${JSON.stringify(metrics)}`);
    assert.equal(metrics.responseId, responseId);
    assert.equal(metrics.trigger, 'user_speech');
    assert.equal(metrics.userItemId, userItemId);
    assert.equal(metrics.status, 'completed');
    assert.equal(metrics.interrupted, false);
    assert.equal(metrics.interruptionCount, 0);
    const userSpeechMs = metrics.userSpeechDurationMs ?? -1;
    assert.ok(userSpeechMs >= clip.durationMs - TOLERANCE_MS && userSpeechMs <= clip.durationMs + PREFIX_PADDING_MS + TOLERANCE_MS, `user speech ${userSpeechMs} ms for a ${clip.durationMs.toFixed(0)} ms clip (+${PREFIX_PADDING_MS} ms padding)`);
    const eou = metrics.endOfUtteranceDelayMs ?? -1;
    assert.ok(eou >= SILENCE_DURATION_MS - 100 && eou <= SILENCE_DURATION_MS + 1000, `end-of-utterance delay ${eou} ms ≈ the ${SILENCE_DURATION_MS} ms silence window + detection`);
    const transcriptionMs = metrics.transcriptionDelayMs ?? -1;
    assert.ok(transcriptionMs >= 0 && transcriptionMs < 5000, `transcription delay ${transcriptionMs} ms`);
    const firstAudioMs = metrics.timeToFirstAudioMs ?? -1;
    assert.ok(firstAudioMs > 0 && firstAudioMs < 5000, `time to first audio ${firstAudioMs} ms`);
    assert.ok(firstAudioMs >= transcriptionMs, 'the answer speaks after the transcript it echoes');
    assert.ok((metrics.timeToFirstTextMs ?? -1) >= 0);
    assert.ok(metrics.responseDurationMs > 0 && metrics.responseDurationMs < 20_000);
    assert.ok(Math.abs(metrics.agentAudioDurationMs - (sessionSamples * 1000) / 24_000) <= 0.1, `agent audio ${metrics.agentAudioDurationMs} ms`);
    assert.ok(metrics.agentAudioDurationMs > 500);
    assert.deepEqual(log.all('error'), []);
  } finally {
    await agent.close();
  }
  const closed = log.all('closed');
  assert.equal(closed.length, 1);
  assert.equal(closed[0]!.initiatedBy, 'client');
  assert.equal(closed[0]!.error, null);
});

test('48 kHz stereo input keeps time: speech_started/stopped within ±200 ms of the speech in the input', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const turn = await speak(espeakClip('Please tell me what the weather will be like tomorrow in the city.'));
  try {
    const started = turn.log.all('user_speech_started')[0]!;
    const stopped = turn.log.all('user_speech_stopped')[0]!;
    const expectedStart = Math.max(0, turn.truth.startMs - PREFIX_PADDING_MS);
    console.log(`audio_start_ms ${started.audioStartMs} (expected ${expectedStart.toFixed(0)}), audio_end_ms ${stopped.audioEndMs} (speech ends ${turn.truth.endMs.toFixed(0)}); sent ${turn.agent.sentAudioMs.toFixed(3)} ms for a ${turn.sceneMs.toFixed(3)} ms input`);
    assert.ok(Math.abs(started.audioStartMs - expectedStart) <= TOLERANCE_MS, `audio_start_ms ${started.audioStartMs} within ±${TOLERANCE_MS} ms of ${expectedStart}`);
    assert.ok(Math.abs(stopped.audioEndMs - turn.truth.endMs) <= TOLERANCE_MS, `audio_end_ms ${stopped.audioEndMs} within ±${TOLERANCE_MS} ms of ${turn.truth.endMs}`);
    // Every input frame became session audio: the same duration to within one 24 kHz sample.
    assert.ok(Math.abs(turn.agent.sentAudioMs - turn.sceneMs) <= 1000 / 24_000 + 1e-9, `sent ${turn.agent.sentAudioMs} ms of a ${turn.sceneMs} ms input`);
    assert.equal(turn.metrics.status, 'completed');
    assert.deepEqual(turn.log.all('error'), []);
  } finally {
    await turn.agent.close();
  }
});
