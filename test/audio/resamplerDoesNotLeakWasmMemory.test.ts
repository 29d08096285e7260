import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadResampler,
  resampleOnce,
  resamplerWasmHeapByteLength,
  StreamingResampler,
} from '../../src/audio/resampler.js';

before(async () => {
  await loadResampler();
});

const chunk = new Int16Array(480).map((_, i) => Math.round(8000 * Math.sin(i / 7)));

test('10 000 one-shot resamplings leave the WASM heap size unchanged', () => {
  resampleOnce(chunk, 24000, 16000); // warm-up allocations
  const heapBefore = resamplerWasmHeapByteLength();
  assert.ok(heapBefore > 0);
  for (let i = 0; i < 10000; i++) {
    const output = resampleOnce(chunk, i % 2 ? 24000 : 48000, i % 3 ? 16000 : 8000);
    assert.ok(output.length > 0);
  }
  assert.equal(resamplerWasmHeapByteLength(), heapBefore);
});

test('10 000 create/process/destroy cycles and 10 000 process calls on one instance do not grow the heap', () => {
  const heapBefore = resamplerWasmHeapByteLength();
  for (let i = 0; i < 10000; i++) {
    const resampler = new StreamingResampler(16000, 24000, { quality: i % 11 });
    resampler.process(chunk);
    resampler.destroy();
    resampler.destroy(); // idempotent
  }
  const longLived = new StreamingResampler(24000, 8000);
  let produced = 0;
  for (let i = 0; i < 10000; i++) produced += longLived.process(chunk).length;
  produced += longLived.flush().length;
  longLived.destroy();
  assert.equal(produced, (10000 * 480) / 3);
  assert.equal(resamplerWasmHeapByteLength(), heapBefore);
});

test('a destroyed resampler refuses further use', () => {
  const resampler = new StreamingResampler(24000, 16000);
  resampler.destroy();
  assert.throws(() => resampler.process(chunk), /after destroy/);
  assert.throws(() => resampler.flush(), /after destroy/);
});
