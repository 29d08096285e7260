/**
 * abort() while the transcription request is in flight cancels the HTTP request (the server sees
 * the connection close at once) and ends the events without a final or an error; so does a
 * consumer that stops iterating. Closing the engine cancels the request too, failing the stream
 * with `engine_closed`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiTranscriptionAsrEngine } from '../../src/engines/asr/openaiTranscription.js';
import { FakeOpenAiAudioServer } from '../helpers/fakeOpenAiAudioServer.js';
import { collectAsrEvents } from './transcriptionStreamDriver.js';

let server: FakeOpenAiAudioServer;
let engine: OpenAiTranscriptionAsrEngine;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
  server.setDefault('transcription', { headerDelayMs: 5000, json: { text: 'never delivered' } });
  engine = new OpenAiTranscriptionAsrEngine({ baseUrl: server.baseUrl, model: 'whisper-1', timeoutMs: 10_000 });
});
after(async () => {
  await server.close();
});

test('abort() during the request closes the connection and ends the events without a final', async () => {
  const stream = engine.createStream({ sampleRateHz: 16_000 });
  const collected = collectAsrEvents(stream);
  stream.write(new Int16Array(16_000));
  stream.end();
  const request = await server.waitForRequest('transcription', 1);
  const abortedAt = performance.now();
  stream.abort();
  const { events, error } = await collected;
  assert.deepEqual(events, []);
  assert.equal(error, undefined);
  await server.waitForClose(request, 2000);
  assert.equal(request.endedEarly, true, 'the server did not get to answer');
  const closeDelayMs = request.closedAtMs! - abortedAt;
  console.log(`connection closed ${closeDelayMs.toFixed(1)} ms after abort()`);
  assert.ok(closeDelayMs < 1000, `closed ${closeDelayMs.toFixed(0)} ms after abort()`);
  stream.write(new Int16Array(10)); // late audio after abort is ignored, not an error
});

test('a consumer that stops iterating aborts the request too', async () => {
  const stream = engine.createStream({ sampleRateHz: 16_000 });
  stream.write(new Int16Array(1600));
  stream.end();
  const request = await server.waitForRequest('transcription', 2);
  const iterator = stream.events[Symbol.asyncIterator]();
  await iterator.return?.();
  await server.waitForClose(request, 2000);
  assert.equal(request.endedEarly, true);
});

test('close() cancels the requests in flight with engine_closed and refuses new streams', async () => {
  const closing = new OpenAiTranscriptionAsrEngine({ baseUrl: server.baseUrl, model: 'whisper-1' });
  const stream = closing.createStream({ sampleRateHz: 16_000 });
  const collected = collectAsrEvents(stream);
  stream.write(new Int16Array(1600));
  stream.end();
  const request = await server.waitForRequest('transcription', 3);
  await closing.close();
  const { events, error } = await collected;
  assert.deepEqual(events, []);
  assert.equal(error?.code, 'engine_closed');
  await server.waitForClose(request, 2000);
  assert.equal(request.endedEarly, true);
  assert.throws(() => closing.createStream({ sampleRateHz: 16_000 }), { code: 'engine_closed' } as object);
});
