/**
 * The agent's output conversion: the session's 24 kHz mono deltas become the app's format (here
 * 48 kHz stereo and 16 kHz mono) with the stream's length and tone kept across delta boundaries,
 * every channel carrying the same signal.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AudioOutputConverter, upmixFromMono } from '../../src/agent/audioOutput.js';
import { loadResampler } from '../../src/audio/resampler.js';
import { fitSine, sinePcm16 } from '../audio/helpers/sineFit.js';

const TONE_HZ = 997;

before(async () => {
  await loadResampler();
});

function convertInDeltas(converter: AudioOutputConverter, input: Int16Array, deltaSamples: number): Int16Array {
  const chunks: Int16Array[] = [];
  for (let offset = 0; offset < input.length; offset += deltaSamples) chunks.push(converter.push(input.subarray(offset, offset + deltaSamples)));
  chunks.push(converter.flush());
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

test('2 s of 24 kHz mono in 4801-sample deltas → exactly 2 s of 48 kHz stereo with equal channels and the tone in phase', () => {
  const input = sinePcm16(24_000, TONE_HZ, 2000, 16_000);
  const converter = new AudioOutputConverter({ sampleRateHz: 48_000, channels: 2 });
  try {
    const output = convertInDeltas(converter, input, 4801);
    assert.equal(output.length, 2 * 96_000);
    const left = output.filter((_, i) => i % 2 === 0);
    const right = output.filter((_, i) => i % 2 === 1);
    assert.deepEqual(left, right);
    const fit = fitSine(left, 48_000, TONE_HZ, 4800, left.length - 4800);
    assert.ok(fit.snrDb > 80, `SNR ${fit.snrDb.toFixed(1)} dB`);
    assert.ok(Math.abs(fit.amplitude - 16_000) < 16, `amplitude ${fit.amplitude}`);
    assert.ok(Math.abs(fit.phaseRad) < 0.01, `phase ${fit.phaseRad}`);
  } finally {
    converter.destroy();
  }
});

test('24 kHz → 16 kHz mono keeps the length (ceil of N × 2/3) and the tone', () => {
  const input = sinePcm16(24_000, TONE_HZ, 1500, 16_000);
  const converter = new AudioOutputConverter({ sampleRateHz: 16_000, channels: 1 });
  try {
    const output = convertInDeltas(converter, input, 1201);
    assert.equal(output.length, 24_000);
    const fit = fitSine(output, 16_000, TONE_HZ, 1600, output.length - 1600);
    assert.ok(fit.snrDb > 80, `SNR ${fit.snrDb.toFixed(1)} dB`);
  } finally {
    converter.destroy();
  }
});

test('upmix copies each sample to every channel', () => {
  assert.deepEqual(upmixFromMono(new Int16Array([1, -2]), 3), new Int16Array([1, 1, 1, -2, -2, -2]));
});
