import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PocketsphinxAsrEngine } from '../../src/engines/asr/pocketsphinx.js';
import { pocketsphinxSkipReason } from './pocketsphinxAvailability.js';
import { quietNoise } from './syntheticSpeech.js';
import { transcribe } from './transcribe.js';

const skip = pocketsphinxSkipReason;
let engine: PocketsphinxAsrEngine | undefined;
before(async () => {
  if (skip === false) engine = await PocketsphinxAsrEngine.create({ poolSize: 1 });
});
after(() => engine?.close());

test('near-silence gives an empty final with no words and no partials', { skip }, async () => {
  assert.ok(engine);
  const run = await transcribe(engine, quietNoise(2000));
  assert.deepEqual(run.partials, []);
  assert.deepEqual(run.final, { type: 'final', text: '', words: [], audioDurationMs: 2000 });
});

test('a stream ended without any audio still gets a (empty) final', { skip }, async () => {
  assert.ok(engine);
  const run = await transcribe(engine, new Int16Array(0));
  assert.deepEqual(run.final, { type: 'final', text: '', words: [], audioDurationMs: 0 });
});
