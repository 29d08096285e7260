import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadResampler, StreamingResampler } from '../../src/audio/resampler.js';
import { sineFloat32 } from './helpers/sineFit.js';

before(async () => {
  await loadResampler();
});

function rms(samples: Float32Array, start: number, end: number): number {
  let energy = 0;
  for (let i = start; i < end; i++) energy += (samples[i] as number) ** 2;
  return Math.sqrt(energy / (end - start));
}

// A tone at 1.15 × the output Nyquist frequency cannot be represented; whatever comes out is alias.
for (const [fromHz, toHz] of [
  [24000, 16000],
  [24000, 8000],
  [48000, 24000],
] as const) {
  test(`${fromHz} → ${toHz} Hz suppresses a tone above the output Nyquist by > 90 dB`, (t) => {
    const resampler = new StreamingResampler(fromHz, toHz);
    try {
      const input = sineFloat32(fromHz, 1.15 * (toHz / 2), 2000, 0.5);
      const output = resampler.processFloat32(input);
      const edge = toHz / 10;
      const levelDb = 20 * Math.log10(rms(output, edge, output.length - edge) / rms(input, 0, input.length));
      t.diagnostic(`alias level ${levelDb.toFixed(1)} dB`);
      assert.ok(levelDb < -90, `alias level ${levelDb.toFixed(1)} dB`);
    } finally {
      resampler.destroy();
    }
  });
}
