/**
 * Aborting the signal mid-sentence ends the stream at once without an error and closes the HTTP
 * connection (the server stops being able to send); so does aborting before the response headers,
 * a consumer that stops iterating, and closing the engine (which fails the synthesis with
 * `engine_closed`, also when the body had already arrived: Node 20's fetch would wait forever if
 * read on after the abort).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiSpeechTtsEngine } from '../../src/engines/tts/openaiSpeech.js';
import { FakeOpenAiAudioServer, pcm16LeBytes, splitBytes, tonePcm16 } from '../helpers/fakeOpenAiAudioServer.js';
import { collectSpeech, neverAborted } from './helpers/collectSpeech.js';

let server: FakeOpenAiAudioServer;
let engine: OpenAiSpeechTtsEngine;
const slowPieces = () => ({ pieces: splitBytes(pcm16LeBytes(tonePcm16(2000, 24_000)), [4800]), pieceDelayMs: 200 });
before(async () => {
  server = await FakeOpenAiAudioServer.start();
  engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1' });
});
after(async () => {
  await server.close();
});

test('abort after the first chunk ends the stream without error and closes the connection', async () => {
  server.queueSpeech(slowPieces());
  const controller = new AbortController();
  let chunks = 0;
  let abortedAt = 0;
  for await (const _chunk of engine.synthesize('A long sentence.', { voice: 'alloy', rate: 1 }, controller.signal)) {
    chunks++;
    if (chunks === 1) {
      abortedAt = performance.now();
      controller.abort();
    }
  }
  const endedAfterMs = performance.now() - abortedAt;
  assert.equal(chunks, 1, 'nothing after the abort');
  // The rest of the body would take 19 × 200 ms to arrive.
  assert.ok(endedAfterMs < 1000, `ended ${endedAfterMs.toFixed(0)} ms after abort, without waiting for the rest of the body`);
  const request = server.requests.at(-1)!;
  await server.waitForClose(request, 2000);
  assert.equal(request.endedEarly, true);
  assert.ok(request.piecesSent < 20, `${request.piecesSent} of 20 pieces sent`);
  console.log(`stream ended ${endedAfterMs.toFixed(1)} ms after abort; connection closed ${(request.closedAtMs! - abortedAt).toFixed(1)} ms after abort with ${request.piecesSent}/20 pieces sent`);
});

test('abort while waiting for the response headers ends without error and cancels the request', async () => {
  server.queueSpeech({ ...slowPieces(), headerDelayMs: 5000 });
  const controller = new AbortController();
  const speech = collectSpeech(engine.synthesize('Waiting.', { voice: 'alloy', rate: 1 }, controller.signal));
  const request = await server.waitForRequest('speech', server.requests.filter((r) => r.kind === 'speech').length + 1);
  controller.abort();
  assert.equal((await speech).chunks.length, 0);
  await server.waitForClose(request, 2000);
  assert.equal(request.endedEarly, true);
});

test('a consumer that stops iterating closes the connection', async () => {
  server.queueSpeech(slowPieces());
  for await (const _chunk of engine.synthesize('Break.', { voice: 'alloy', rate: 1 }, neverAborted())) break;
  const request = server.requests.at(-1)!;
  await server.waitForClose(request, 2000);
  assert.equal(request.endedEarly, true);
});

test('close() cancels syntheses in flight and refuses new ones', async () => {
  const closing = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1' });
  server.queueSpeech(slowPieces());
  const iterator = closing.synthesize('Closing.', { voice: 'alloy', rate: 1 }, neverAborted())[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).done, false);
  const request = server.requests.at(-1)!;
  await closing.close();
  await assert.rejects(iterator.next(), { code: 'engine_closed' } as object);
  await server.waitForClose(request, 2000);
  assert.equal(request.endedEarly, true);
  await assert.rejects(collectSpeech(closing.synthesize('Again.', { voice: 'alloy', rate: 1 }, neverAborted())), { code: 'engine_closed' } as object);
});

test('close() while the consumer holds a chunk of a fully received body fails at once instead of reading on', async () => {
  const closing = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1' });
  server.queueSpeech({ pieces: splitBytes(pcm16LeBytes(tonePcm16(200, 24_000)), [2400]) });
  const iterator = closing.synthesize('Complete.', { voice: 'alloy', rate: 1 }, neverAborted())[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).done, false);
  await server.waitForClose(server.requests.at(-1)!);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await closing.close();
  const outcome = await Promise.race([
    iterator.next().then(
      () => 'yielded',
      (error: Error & { code?: string }) => error.code,
    ),
    new Promise((resolve) => setTimeout(() => resolve('hung'), 2000)),
  ]);
  assert.equal(outcome, 'engine_closed');
});

