import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadResampler, resampleOnce, StreamingResampler } from '../../src/audio/resampler.js';
import { concatPcm16 } from '../../src/audio/pcm.js';
import { readWav, toMono } from '../../src/audio/wav.js';
import { FixtureDir } from './helpers/soxFixtures.js';

const fixtures = new FixtureDir();
let speech: { samples: Int16Array; sampleRateHz: number };

before(async () => {
  await loadResampler();
  // Real speech (espeak-ng writes 22050 Hz mono), so every filter phase sees broadband input.
  const wav = readWav(fixtures.espeak('The quick brown fox jumps over the lazy dog, twice.', 'speech.wav'));
  speech = { samples: toMono(wav.samples, wav.channels), sampleRateHz: wav.sampleRateHz };
});
after(() => fixtures.dispose());

/** Deterministic chunk sizes from 0 to maxSize (Park–Miller generator). */
function* chunkSizes(seed: number, maxSize: number): Generator<number> {
  let state = seed;
  while (true) {
    state = (state * 48271) % 2147483647;
    yield state % (maxSize + 1);
  }
}

function resampleInChunks(resampler: StreamingResampler, input: Int16Array, sizes: Generator<number>): Int16Array {
  const pieces: Int16Array[] = [];
  for (let offset = 0; offset < input.length; ) {
    const size = sizes.next().value as number;
    pieces.push(resampler.process(input.subarray(offset, offset + size)));
    offset += size;
  }
  pieces.push(resampler.flush());
  return concatPcm16(pieces);
}

for (const [toHz, maxChunk] of [
  [16000, 700],
  [24000, 9000], // chunks larger than the internal 4096-sample block
  [8000, 3],
] as const) {
  test(`speech 22050 → ${toHz} Hz in random chunks of 0–${maxChunk} samples equals one big chunk`, () => {
    assert.equal(speech.sampleRateHz, 22050);
    const oneShot = resampleOnce(speech.samples, speech.sampleRateHz, toHz);
    const resampler = new StreamingResampler(speech.sampleRateHz, toHz);
    try {
      const streamed = resampleInChunks(resampler, speech.samples, chunkSizes(toHz + maxChunk, maxChunk));
      assert.equal(streamed.length, oneShot.length);
      // The filter state carries across chunk boundaries exactly, so not even rounding differs.
      assert.deepEqual(streamed, oneShot);
      // The comparison is not vacuous: the speech carries real energy.
      const peak = oneShot.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
      assert.ok(peak > 5000, `peak ${peak}`);
    } finally {
      resampler.destroy();
    }
  });
}

test('after flush the same instance resamples a new stream identically', () => {
  const resampler = new StreamingResampler(22050, 16000);
  try {
    const first = resampleInChunks(resampler, speech.samples, chunkSizes(1, 500));
    const second = resampleInChunks(resampler, speech.samples, chunkSizes(2, 1500));
    assert.deepEqual(second, first);
    // reset() discards a half-fed stream the same way.
    resampler.process(speech.samples.subarray(0, 3000));
    resampler.reset();
    assert.deepEqual(resampleInChunks(resampler, speech.samples, chunkSizes(3, 800)), first);
  } finally {
    resampler.destroy();
  }
});
