import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FliteTtsEngine } from '../../src/engines/tts/flite.js';
import { collectSpeech, neverAborted } from './helpers/collectSpeech.js';

let engine: FliteTtsEngine;
before(async () => {
  engine = await FliteTtsEngine.create({ workerCount: 1, wordTimings: false });
});
after(() => engine.close());

const text = 'The weather in Seattle is mild today.';

async function durationMs(voice: string, rate: number): Promise<number> {
  return (await collectSpeech(engine.synthesize(text, { voice, rate }, neverAborted()))).durationMs;
}

test('rate 1.5 speaks in about half the time of rate 0.75', async (t) => {
  for (const voice of ['slt', 'kal16']) {
    const slow = await durationMs(voice, 0.75);
    const normal = await durationMs(voice, 1);
    const fast = await durationMs(voice, 1.5);
    t.diagnostic(`${voice}: 0.75× ${slow.toFixed(0)} ms, 1× ${normal.toFixed(0)} ms, 1.5× ${fast.toFixed(0)} ms`);
    assert.ok(fast < normal && normal < slow);
    // duration_stretch = 1/rate scales every phone, so the ratio is close to 0.75/1.5 = 0.5.
    const ratio = fast / slow;
    assert.ok(ratio > 0.45 && ratio < 0.55, `${voice} ratio ${ratio.toFixed(3)}`);
  }
});

test('rates outside 0.5..2 are clamped', async () => {
  assert.equal(await durationMs('slt', 5), await durationMs('slt', 2));
  assert.equal(await durationMs('slt', 0.1), await durationMs('slt', 0.5));
  assert.equal(await durationMs('slt', Number.NaN), await durationMs('slt', 1));
});
