import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isResamplerLoaded,
  loadResampler,
  resampleOnce,
  StreamingResampler,
} from '../../src/audio/resampler.js';

// Each test file runs in its own process, so nothing has loaded the WASM module yet.
test('using the resampler before loadResampler() throws a clear error, afterwards it works', async () => {
  assert.equal(isResamplerLoaded(), false);
  assert.throws(() => new StreamingResampler(24000, 16000), /call `await loadResampler\(\)`/);
  assert.throws(() => resampleOnce(new Int16Array(10), 24000, 16000), /not loaded/);

  // Idempotent and safe to call concurrently.
  await Promise.all([loadResampler(), loadResampler()]);
  await loadResampler();
  assert.equal(isResamplerLoaded(), true);
  assert.equal(resampleOnce(new Int16Array(30), 24000, 16000).length, 20);
});

test('invalid rates and quality are rejected', async () => {
  await loadResampler();
  assert.throws(() => new StreamingResampler(0, 16000), /inputRateHz must be a positive integer/);
  assert.throws(() => new StreamingResampler(24000, 16000.5), /outputRateHz must be a positive integer/);
  assert.throws(() => new StreamingResampler(24000, 16000, { quality: 11 }), /quality must be an integer from 0 to 10/);
});
