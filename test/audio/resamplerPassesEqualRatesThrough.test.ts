import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadResampler, resampleOnce, StreamingResampler } from '../../src/audio/resampler.js';

before(async () => {
  await loadResampler();
});

test('equal rates return copies of the input and an empty flush', () => {
  const resampler = new StreamingResampler(16000, 16000);
  const input = new Int16Array([1, -2, 32767, -32768]);
  const output = resampler.process(input);
  assert.deepEqual(output, input);
  assert.notEqual(output.buffer, input.buffer);
  assert.deepEqual(resampler.processFloat32(new Float32Array([0.25, 2])), new Float32Array([0.25, 2]));
  assert.equal(resampler.flush().length, 0);
  resampler.destroy();
  assert.deepEqual(resampleOnce(input, 8000, 8000), input);
});
