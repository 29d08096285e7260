import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SileroVadEngine } from '../../src/engines/vad/silero.js';
import { missingFixtureTools, pinkNoise, samplesForMs } from './audioFixtures.js';
import { SERVER_VAD_DEFAULTS, detectTurns } from './detectTurns.js';

const skip = missingFixtureTools();
let engine: SileroVadEngine;

before(async () => {
  engine = await SileroVadEngine.create();
});

after(async () => {
  await engine.close();
});

test('5 s of digital silence never triggers a turn', async (t) => {
  const run = await detectTurns(engine, new Float32Array(samplesForMs(5000)), SERVER_VAD_DEFAULTS);
  const maxProbability = Math.max(...run.probabilities);
  t.diagnostic(`max speech probability ${maxProbability.toFixed(4)}`);
  assert.equal(run.events.length, 0);
  assert.ok(maxProbability < 0.1, `max probability ${maxProbability}`);
});

for (const dbfs of [-60, -50, -40, -30]) {
  test(`5 s of pink noise at ${dbfs} dBFS RMS never triggers a turn`, { skip }, async (t) => {
    const run = await detectTurns(engine, pinkNoise(5000, 10 ** (dbfs / 20)), SERVER_VAD_DEFAULTS);
    const maxProbability = Math.max(...run.probabilities);
    t.diagnostic(`max speech probability ${maxProbability.toFixed(4)}`);
    assert.equal(run.events.length, 0);
    assert.ok(maxProbability < SERVER_VAD_DEFAULTS.threshold - 0.15, `max probability ${maxProbability}`);
  });
}
