import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadResampler, resampleOnce, StreamingResampler } from '../../src/audio/resampler.js';
import { fitSine, sineFloat32, sinePcm16 } from './helpers/sineFit.js';

// A 997 Hz tone (co-prime with every rate, so it exercises all filter phases), 10 s long, measured by
// fitting the tone at the output rate and treating everything else as noise. 100 ms at each end are
// skipped: the clip's abrupt start and end are not part of the steady-state quality.
const TONE_HZ = 997;
const DURATION_MS = 10000;
const EDGE_MS = 100;
const CONVERSIONS: Array<[number, number]> = [
  [24000, 16000],
  [16000, 24000],
  [24000, 8000],
  [8000, 24000],
  [48000, 24000],
];

before(async () => {
  await loadResampler();
});

function concatFloat32(a: Float32Array, b: Float32Array): Float32Array {
  const joined = new Float32Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

for (const [fromHz, toHz] of CONVERSIONS) {
  test(`float tone ${fromHz} → ${toHz} Hz at quality 5: SNR > 100 dB, unit gain, no delay`, (t) => {
    const resampler = new StreamingResampler(fromHz, toHz);
    try {
      const input = sineFloat32(fromHz, TONE_HZ, DURATION_MS, 0.5);
      const output = concatFloat32(resampler.processFloat32(input), resampler.flushFloat32());
      const edge = (toHz * EDGE_MS) / 1000;
      const fit = fitSine(output, toHz, TONE_HZ, edge, output.length - edge);
      t.diagnostic(`SNR ${fit.snrDb.toFixed(1)} dB, amplitude ${fit.amplitude.toFixed(7)}, phase ${fit.phaseRad.toExponential(2)} rad`);
      assert.ok(fit.snrDb > 100, `SNR ${fit.snrDb.toFixed(1)} dB`);
      assert.ok(Math.abs(fit.amplitude - 0.5) < 0.5e-4, `amplitude ${fit.amplitude}`);
      // Time-aligned output: the tone's phase at output sample 0 is the input's (0), within 0.001 sample.
      const delaySamples = Math.abs(fit.phaseRad) / ((2 * Math.PI * TONE_HZ) / toHz);
      assert.ok(delaySamples < 1e-3, `delay ${delaySamples} samples`);
    } finally {
      resampler.destroy();
    }
  });

  test(`pcm16 tone ${fromHz} → ${toHz} Hz: SNR at the 16-bit quantisation limit (> 93 dB)`, (t) => {
    // A 0.9 full-scale sine quantised to 16 bits twice (input and output) cannot exceed ~95 dB.
    const input = sinePcm16(fromHz, TONE_HZ, DURATION_MS, 0.9 * 32767);
    const output = resampleOnce(input, fromHz, toHz);
    const edge = (toHz * EDGE_MS) / 1000;
    const fit = fitSine(output, toHz, TONE_HZ, edge, output.length - edge);
    t.diagnostic(`SNR ${fit.snrDb.toFixed(1)} dB`);
    assert.ok(fit.snrDb > 93, `SNR ${fit.snrDb.toFixed(1)} dB`);
  });
}

test('quality 10 is measurably cleaner than quality 0 on 16 → 24 kHz', () => {
  const snrAt = (quality: number): number => {
    const resampler = new StreamingResampler(16000, 24000, { quality });
    try {
      const output = concatFloat32(resampler.processFloat32(sineFloat32(16000, TONE_HZ, 2000, 0.5)), resampler.flushFloat32());
      return fitSine(output, 24000, TONE_HZ, 2400, output.length - 2400).snrDb;
    } finally {
      resampler.destroy();
    }
  };
  const best = snrAt(10);
  const fastest = snrAt(0);
  assert.ok(best > 130, `quality 10 SNR ${best.toFixed(1)} dB`);
  assert.ok(best - fastest > 20, `quality 0 SNR ${fastest.toFixed(1)} dB vs quality 10 ${best.toFixed(1)} dB`);
});
