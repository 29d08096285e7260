import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FliteTtsEngine } from '../../src/engines/tts/flite.js';
import { collectSpeech, neverAborted } from './helpers/collectSpeech.js';

let engine: FliteTtsEngine;
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
before(async () => {
  process.on('unhandledRejection', recordUnhandled);
  engine = await FliteTtsEngine.create({ workerCount: 2 });
});
after(async () => {
  await engine.close();
  process.off('unhandledRejection', recordUnhandled);
});

const longText =
  'Once upon a time, in a quiet village by the sea, there lived an old fisherman who told stories every evening ' +
  'to anyone who would listen, and the children gathered around him to hear about storms, whales and distant lands.';

test('aborting after the first chunk ends the stream at once', async () => {
  const controller = new AbortController();
  let chunksAfterAbort = 0;
  let abortedAt = 0;
  let chunks = 0;
  for await (const _chunk of engine.synthesize(longText, { voice: 'slt', rate: 1 }, controller.signal)) {
    chunks++;
    if (abortedAt > 0) chunksAfterAbort++;
    if (chunks === 1) {
      controller.abort();
      abortedAt = performance.now();
    }
  }
  const endedAfterMs = performance.now() - abortedAt;
  assert.equal(chunks, 1);
  assert.equal(chunksAfterAbort, 0);
  assert.ok(endedAfterMs < 20, `stream ended ${endedAfterMs.toFixed(1)} ms after abort`);
});

test('aborting while the worker is still synthesizing ends the stream without waiting for it', async (t) => {
  const reference = await collectSpeech(engine.synthesize(longText, { voice: 'awb', rate: 0.5 }, neverAborted()));
  t.diagnostic(`full synthesis: first chunk after ${reference.firstChunkMs.toFixed(1)} ms`);

  const controller = new AbortController();
  const started = performance.now();
  setTimeout(() => controller.abort(), 2);
  const speech = await collectSpeech(engine.synthesize(longText, { voice: 'awb', rate: 0.5 }, controller.signal));
  const endedMs = performance.now() - started;
  t.diagnostic(`aborted call ended after ${endedMs.toFixed(1)} ms`);
  assert.equal(speech.chunks.length, 0);
  assert.ok(endedMs < reference.firstChunkMs, `ended after ${endedMs.toFixed(1)} ms`);

  // The engine keeps working and nothing leaked as an unhandled rejection.
  const after = await collectSpeech(engine.synthesize('Still here.', { voice: 'slt', rate: 1 }, neverAborted()));
  assert.ok(after.durationMs > 500);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(unhandled, []);
});

test('an already aborted signal yields nothing', async () => {
  const controller = new AbortController();
  controller.abort();
  const speech = await collectSpeech(engine.synthesize('Hello.', { voice: 'slt', rate: 1 }, controller.signal));
  assert.equal(speech.chunks.length, 0);
});

test('closing the engine fails later calls with engine_closed', async () => {
  const closing = await FliteTtsEngine.create({ workerCount: 1, warmUp: false });
  await closing.close();
  await assert.rejects(
    collectSpeech(closing.synthesize('Hello.', { voice: 'slt', rate: 1 }, neverAborted())),
    (error: unknown) => (error as { code?: string }).code === 'engine_closed',
  );
});
