/**
 * Barge-in through the client, the way a voice app does it: a live microphone streams (silence,
 * then the user interrupting) while the assistant's answer plays; on speech_started the app stops
 * playback and tells the server what was heard with conversation.item.truncate. The server cancels
 * the response (turn_detected), the assistant item keeps only the heard part, and the
 * interruption is answered as the next turn.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, decodeAudio, pcm16DurationMs } from '../../src/client/index.js';
import type { VoiceLiveConnection } from '../../src/client/index.js';
import { composeScene, encodeScene, espeakClip } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { speechSkipReason, startSpeechServer } from '../speech/speechSession.js';

const WORD_DELAY_MS = 150;
const LONG_REQUEST = 'I would like to hear a long answer today. Please keep talking for quite a while. I will interrupt you somewhere in the middle of it.';
const LONG_ANSWER = `You said: ${LONG_REQUEST.replace(/\.$/, '')}.`;
const CHUNK_MS = 100;
const CHUNK_BYTES = (24_000 * 2 * CHUNK_MS) / 1000;

let server: TestServer;
before(async () => {
  if (!speechSkipReason) server = await startSpeechServer({ scriptedWordDelayMs: WORD_DELAY_MS });
});
after(async () => {
  await server?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A live microphone: 100 ms chunks at real-time pace, silence unless something was queued to say. */
function microphone(connection: VoiceLiveConnection): { say(bytes: Uint8Array): void; stop(): Promise<void> } {
  let pending: Uint8Array = new Uint8Array(0);
  let running = true;
  const silence = new Uint8Array(CHUNK_BYTES);
  const loop = (async () => {
    const startedAt = performance.now();
    for (let index = 0; running; index++) {
      await sleep(Math.max(0, startedAt + (index + 1) * CHUNK_MS - performance.now()));
      if (!running || !connection.isOpen) return;
      const chunk = pending.length > 0 ? pending.subarray(0, CHUNK_BYTES) : silence;
      pending = pending.subarray(chunk.length);
      connection.input_audio_buffer.append(chunk);
    }
  })();
  return {
    say(bytes) {
      pending = bytes;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

test('speaking over the answer cancels it; the app truncates the item to what it played; the interruption is answered', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  // Fixtures first: sox and espeak-ng run synchronously and would stall the in-process server.
  const interruption = encodeScene(composeScene([espeakClip('Sorry to interrupt, but I have a question.')], [1200, 1200]), 'pcm16', 24_000);

  await using connection = await connect({ endpoint: server.httpUrl, credential: 'any', model: 'gpt-4o' });
  connection.session.update({
    session: { turn_detection: { type: 'server_vad', prefix_padding_ms: 300, silence_duration_ms: 500, interrupt_response: true, create_response: true } },
  });
  await connection.waitFor('session.updated');
  const mic = microphone(connection);
  connection.conversation.item.create({ item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: LONG_REQUEST }] } });
  connection.response.create();

  let answerId = '';
  let assistantItemId = '';
  let firstAudioAtMs = 0;
  let receivedAudioBytes = 0;
  let playing = false;
  let playedMs = 0;
  let spokenSoFar = '';
  let cancelled: { status: string; reason: string | undefined } | null = null;
  let nextAnswer = '';
  for await (const event of connection) {
    if (event.type === 'response.created' && !answerId) answerId = event.response.id;
    if (event.type === 'response.audio.delta' && event.response_id === answerId) {
      if (!firstAudioAtMs) {
        firstAudioAtMs = performance.now();
        assistantItemId = event.item_id;
        playing = true;
        mic.say(interruption);
      }
      receivedAudioBytes += decodeAudio(event).length;
    }
    if (event.type === 'input_audio_buffer.speech_started' && playing) {
      // Stop the speaker: what played is real time since the first audio, bounded by what arrived.
      playing = false;
      playedMs = Math.min(performance.now() - firstAudioAtMs, pcm16DurationMs(receivedAudioBytes));
    }
    if (event.type === 'response.audio_transcript.done' && event.response_id === answerId) spokenSoFar = event.transcript;
    if (event.type === 'response.done' && event.response.id === answerId) {
      const details = event.response.status_details;
      cancelled = { status: event.response.status, reason: details && 'reason' in details ? details.reason : undefined };
      assert.ok(playedMs > 0, 'the user spoke while the answer was playing');
      const truncated = connection.waitFor('conversation.item.truncated', { predicate: (e) => e.audio_end_ms === Math.floor(playedMs), timeoutMs: 5000 });
      connection.conversation.item.truncate({ item_id: assistantItemId, audio_end_ms: Math.floor(playedMs) });
      assert.equal((await truncated).item_id, assistantItemId);
    }
    if (event.type === 'response.done' && event.response.id !== answerId) {
      assert.equal(event.response.status, 'completed');
      const output = event.response.output[0];
      nextAnswer = output?.type === 'message' && output.content[0]?.type === 'audio' ? output.content[0].transcript : '';
      break;
    }
    if (event.type === 'error') assert.fail(`server error: ${event.error.message}`);
  }
  await mic.stop();

  assert.deepEqual(cancelled, { status: 'cancelled', reason: 'turn_detected' });
  const sentMs = pcm16DurationMs(receivedAudioBytes);
  assert.ok(LONG_ANSWER.startsWith(spokenSoFar) && spokenSoFar.length < LONG_ANSWER.length, `generation stopped early: "${spokenSoFar}"`);
  const retrieved = connection.waitFor('conversation.item.retrieved');
  connection.conversation.item.retrieve({ item_id: assistantItemId });
  const item = (await retrieved).item;
  assert.ok(item.type === 'message' && item.content[0]?.type === 'audio');
  const heard = item.content[0].transcript;
  console.log(`client barge-in: played ${playedMs.toFixed(0)} of ${sentMs.toFixed(0)} ms received; heard "${heard}" of "${spokenSoFar}"; next answer "${nextAnswer}"`);
  assert.ok(heard.length > 0 && spokenSoFar.startsWith(heard) && heard.length < spokenSoFar.length, `"${heard}" is a proper prefix of "${spokenSoFar}"`);
  assert.match(nextAnswer, /^You said: /, 'the interruption became the next turn and was answered');
});
