import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readWav, writeWav } from '../../src/audio/wav.js';
import { FixtureDir, int16FromRaw } from './helpers/soxFixtures.js';

const fixtures = new FixtureDir();
after(() => fixtures.dispose());

function noise(sampleCount: number, seed: number): Int16Array {
  const samples = new Int16Array(sampleCount);
  let state = seed;
  for (let i = 0; i < sampleCount; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    samples[i] = (state >>> 16) - 32768;
  }
  return samples;
}

test('write then read returns the same rate, channels and samples', () => {
  for (const [sampleRateHz, channels] of [
    [24000, 1],
    [16000, 2],
    [8000, 3],
  ] as const) {
    const samples = noise(sampleRateHz * channels * 0.1, sampleRateHz + channels);
    const wav = readWav(writeWav({ sampleRateHz, channels, samples }));
    assert.equal(wav.sampleRateHz, sampleRateHz);
    assert.equal(wav.channels, channels);
    assert.equal(wav.sourceEncoding, 'pcm');
    assert.deepEqual(wav.samples, samples);
  }
});

test('the written file is a canonical 44-byte-header PCM16 WAV that sox reads back identically', () => {
  const samples = noise(2 * 4410, 99);
  const bytes = writeWav({ sampleRateHz: 44100, channels: 2, samples });
  assert.equal(bytes.byteLength, 44 + samples.length * 2);
  assert.equal(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'RIFF');
  const view = new DataView(bytes.buffer);
  assert.equal(view.getUint32(4, true), bytes.byteLength - 8);
  assert.equal(view.getUint32(28, true), 44100 * 2 * 2); // byte rate
  assert.equal(view.getUint16(32, true), 4); // block align
  fixtures.write('ours.wav', bytes);
  assert.equal(fixtures.soxInfo('-r', 'ours.wav'), '44100');
  assert.equal(fixtures.soxInfo('-c', 'ours.wav'), '2');
  assert.equal(fixtures.soxInfo('-e', 'ours.wav'), 'Signed Integer PCM');
  assert.equal(fixtures.soxInfo('-s', 'ours.wav'), '4410'); // samples per channel
  const soxSamples = int16FromRaw(fixtures.sox(['ours.wav', '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-L', 'ours.raw'], 'ours.raw'));
  assert.deepEqual(soxSamples, samples);
});

test('empty audio writes a valid header-only file', () => {
  const wav = readWav(writeWav({ sampleRateHz: 16000, channels: 1, samples: new Int16Array(0) }));
  assert.equal(wav.samples.length, 0);
  assert.equal(wav.sampleRateHz, 16000);
});

test('inconsistent input is rejected', () => {
  assert.throws(() => writeWav({ sampleRateHz: 16000, channels: 2, samples: new Int16Array(3) }), /do not divide into frames/);
  assert.throws(() => writeWav({ sampleRateHz: 0, channels: 1, samples: new Int16Array(0) }), RangeError);
  assert.throws(() => writeWav({ sampleRateHz: 16000, channels: 0, samples: new Int16Array(0) }), RangeError);
});
