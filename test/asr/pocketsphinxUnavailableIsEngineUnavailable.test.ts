import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PocketsphinxAsrEngine } from '../../src/engines/asr/pocketsphinx.js';
import { locatePocketsphinxModel } from '../../src/engines/asr/pocketsphinxLibrary.js';
import { AsrEngineError } from '../../src/engines/asr/types.js';

// The missing-model case runs everywhere. The missing-library cases need the model to be found
// first (create() checks it before starting decoders), so they are skipped where it is absent.
function installHintIn(error: unknown, ...fragments: string[]): boolean {
  assert.ok(error instanceof AsrEngineError, `expected AsrEngineError, got ${String(error)}`);
  assert.equal(error.code, 'engine_unavailable');
  assert.match(error.message, /sudo apt-get install libpocketsphinx3 pocketsphinx-en-us/);
  assert.match(error.message, /npm run setup/);
  for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${fragment}" missing from: ${error.message}`);
  return true;
}

function modelAvailable(): boolean {
  try {
    locatePocketsphinxModel();
    return true;
  } catch {
    return false;
  }
}

test('a missing pocketsphinx library (option) fails create() with engine_unavailable naming the packages', { skip: !modelAvailable() && 'no pocketsphinx model to get past the model check' }, async () => {
  const startedMs = performance.now();
  await assert.rejects(
    PocketsphinxAsrEngine.create({ library: { pocketsphinx: 'libpocketsphinx-voicelive-missing.so.3' } }),
    (error) => installHintIn(error, 'libpocketsphinx-voicelive-missing.so.3'),
  );
  console.log(`failed after ${(performance.now() - startedMs).toFixed(0)} ms`);
});

test('a missing sphinxbase library (environment variable) fails create() the same way', { skip: !modelAvailable() && 'no pocketsphinx model to get past the model check' }, async () => {
  process.env.VOICELIVE_SPHINXBASE_LIBRARY = 'libsphinxbase-voicelive-missing.so.3';
  try {
    await assert.rejects(PocketsphinxAsrEngine.create({ poolSize: 1 }), (error) =>
      installHintIn(error, 'libsphinxbase-voicelive-missing.so.3'),
    );
  } finally {
    delete process.env.VOICELIVE_SPHINXBASE_LIBRARY;
  }
});

test('a missing model fails create() with engine_unavailable before any decoder starts', async () => {
  const emptyDir = mkdtempSync(join(tmpdir(), 'voicelive-no-model-'));
  try {
    await assert.rejects(PocketsphinxAsrEngine.create({ model: { modelDir: emptyDir } }), (error) =>
      installHintIn(error, join(emptyDir, 'en-us'), 'en-us.lm.bin', 'cmudict-en-us.dict'),
    );
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
  }
});

test('only 16 kHz audio is accepted', { skip: !modelAvailable() && 'no pocketsphinx model' }, async (t) => {
  let engine: PocketsphinxAsrEngine;
  try {
    engine = await PocketsphinxAsrEngine.create({ poolSize: 1 });
  } catch (error) {
    t.skip(`pocketsphinx unavailable: ${String(error)}`);
    return;
  }
  try {
    assert.deepEqual(engine.capabilities.sampleRatesHz, [16_000]);
    assert.throws(() => engine.createStream({ sampleRateHz: 24_000 }), { code: 'unsupported_sample_rate' });
  } finally {
    await engine.close();
  }
  assert.throws(() => engine.createStream({ sampleRateHz: 16_000 }), { code: 'engine_closed' });
});
