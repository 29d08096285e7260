/**
 * File mode's "reply complete" rule: the input was all sent, the user is not speaking, and a
 * response created after the last committed turn finished (not cancelled) with none in progress;
 * the user's transcript may come after the answer and is awaited as well. A failed response ends
 * the run with the server's reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerEvent } from '../../src/client/index.js';
import { ReplyTracker } from '../../src/cli/chat/replyTracker.js';

const ev = (event: Record<string, unknown>) => event as unknown as ServerEvent;
const started = (item: string) => ev({ type: 'input_audio_buffer.speech_started', item_id: item, audio_start_ms: 0 });
const stopped = (item: string) => ev({ type: 'input_audio_buffer.speech_stopped', item_id: item, audio_end_ms: 900 });
const committed = (item: string) => ev({ type: 'input_audio_buffer.committed', item_id: item, previous_item_id: null });
const transcribed = (item: string) => ev({ type: 'conversation.item.input_audio_transcription.completed', item_id: item, content_index: 0, transcript: 'hi' });
const created = (id: string) => ev({ type: 'response.created', response: { id, status: 'in_progress' } });
const done = (id: string, status = 'completed', status_details: unknown = null) => ev({ type: 'response.done', response: { id, status, status_details } });

test('complete once the input ended and the answer to the committed turn is done; the transcript may come last', () => {
  const tracker = new ReplyTracker();
  for (const event of [started('u1'), stopped('u1'), committed('u1'), created('r1'), done('r1')]) tracker.observe(event);
  assert.equal(tracker.answered, false, 'input still being sent');
  assert.equal(tracker.describeWaiting(), 'sending the input audio');
  tracker.endInput();
  assert.equal(tracker.answered, true);
  assert.equal(tracker.complete, false, 'the transcript of u1 has not arrived');
  tracker.observe(transcribed('u1'));
  assert.equal(tracker.complete, true);
});

test('without transcription, the answer alone completes the reply', () => {
  const tracker = new ReplyTracker(false);
  tracker.endInput();
  for (const event of [started('u1'), stopped('u1'), committed('u1'), created('r1'), done('r1')]) tracker.observe(event);
  assert.equal(tracker.complete, true);
});

test('with two turns, only an answer created after the last commit counts; a cancelled one does not', () => {
  const tracker = new ReplyTracker(false);
  tracker.endInput();
  for (const event of [started('u1'), stopped('u1'), committed('u1'), created('r1'), started('u2')]) tracker.observe(event);
  assert.equal(tracker.describeWaiting(), 'the server to detect the end of speech');
  tracker.observe(done('r1', 'cancelled', { type: 'cancelled', reason: 'turn_detected' }));
  tracker.observe(stopped('u2'));
  assert.equal(tracker.complete, false);
  assert.equal(tracker.describeWaiting(), 'a response to the last turn');
  tracker.observe(committed('u2'));
  tracker.observe(created('r2'));
  assert.equal(tracker.describeWaiting(), 'the response to finish');
  tracker.observe(done('r2'));
  assert.equal(tracker.complete, true);
});

test('a failed response throws with the server\'s reason; no speech is reported as such', () => {
  const tracker = new ReplyTracker();
  tracker.endInput();
  assert.equal(tracker.heardSpeech, false);
  assert.equal(tracker.describeWaiting(), 'the server to detect speech');
  tracker.observe(created('r1'));
  assert.throws(() => tracker.observe(done('r1', 'failed', { type: 'failed', error: { type: 'server_error', code: 'llm_error', message: 'the model is unreachable' } })), /the response failed: the model is unreachable/);
});
