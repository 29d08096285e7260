import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadResampler, resampleOnce, StreamingResampler } from '../../src/audio/resampler.js';

before(async () => {
  await loadResampler();
});

const RATE_PAIRS: Array<[number, number]> = [
  [24000, 16000],
  [16000, 24000],
  [24000, 8000],
  [8000, 24000],
  [48000, 24000],
  [44100, 16000],
  [22050, 24000],
  [8000, 48000],
];
const INPUT_LENGTHS = [0, 1, 2, 3, 7, 59, 160, 480, 4095, 4096, 4097, 24001];

for (const [fromHz, toHz] of RATE_PAIRS) {
  test(`${fromHz} → ${toHz} Hz: process + flush yields ceil(length × ratio) samples`, () => {
    for (const length of INPUT_LENGTHS) {
      const input = new Int16Array(length).fill(1000);
      const output = resampleOnce(input, fromHz, toHz);
      assert.equal(output.length, Math.ceil((length * toHz) / fromHz), `input length ${length}`);
    }
  });
}

test('in 20 ms streaming chunks, output lags by the filter delay and flush returns exactly the rest', () => {
  const resampler = new StreamingResampler(24000, 16000);
  try {
    let produced = 0;
    for (let chunk = 0; chunk < 50; chunk++) {
      produced += resampler.process(new Int16Array(480).fill(3000)).length;
    }
    // 1 s of input: 16000 samples due; a filter's half-length (a few ms) is still inside the filter.
    assert.ok(produced < 16000 && produced > 16000 - 100, `produced ${produced} before flush`);
    const tail = resampler.flush();
    assert.equal(produced + tail.length, 16000);
    // A DC input stays DC through the drained tail, up to the zero padding's edge effect at the end.
    assert.ok(Math.abs((tail[0] as number) - 3000) <= 2, `first tail sample ${tail[0]}`);
  } finally {
    resampler.destroy();
  }
});

test('DC passes with unit gain in both directions', () => {
  for (const [fromHz, toHz] of RATE_PAIRS) {
    const output = resampleOnce(new Int16Array(fromHz / 10).fill(-12000), fromHz, toHz);
    const middle = output.subarray(Math.floor(output.length / 4), Math.floor((3 * output.length) / 4));
    for (const value of middle) assert.ok(Math.abs(value + 12000) <= 2, `${fromHz} → ${toHz}: ${value}`);
  }
});
