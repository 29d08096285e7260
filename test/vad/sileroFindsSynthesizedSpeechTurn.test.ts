import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SileroVadEngine } from '../../src/engines/vad/silero.js';
import { composeWithSilence, espeakUtterance, missingFixtureTools } from './audioFixtures.js';
import { SERVER_VAD_DEFAULTS, boundaryErrorsMs, detectTurns } from './detectTurns.js';

const skip = missingFixtureTools();
let engine: SileroVadEngine;

before(async () => {
  if (!skip) engine = await SileroVadEngine.create();
});

after(async () => {
  await engine?.close();
});

test('an espeak-ng sentence between 1 s silences is one turn within ±150 ms', { skip }, async (t) => {
  const utterance = espeakUtterance('Can you book a table for two at seven tonight?');
  const signal = composeWithSilence([utterance], [1000, 1000]);
  const run = await detectTurns(engine, signal.samples, SERVER_VAD_DEFAULTS);
  const errors = boundaryErrorsMs(run.turns, signal.truth);
  t.diagnostic(`truth ${JSON.stringify(signal.truth)}; turns ${JSON.stringify(run.turns)}; errors ${JSON.stringify(errors)}`);
  assert.equal(run.turns.length, 1);
  const [startErrorMs, endErrorMs] = errors[0] ?? [Number.NaN, Number.NaN];
  assert.ok(Math.abs(startErrorMs) <= 150, `start off by ${startErrorMs} ms`);
  assert.ok(Math.abs(endErrorMs) <= 150, `end off by ${endErrorMs} ms`);
});
