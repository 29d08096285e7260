import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWav, writeWav } from '../../src/audio/wav.js';

const valid = writeWav({ sampleRateHz: 8000, channels: 1, samples: new Int16Array([1, 2]) });

function patched(offset: number, bytes: number[]): Uint8Array {
  const copy = valid.slice();
  copy.set(bytes, offset);
  return copy;
}

test('non-WAV input is rejected with a message saying so', () => {
  assert.throws(() => readWav(new Uint8Array(0)), /not a WAV file/);
  assert.throws(() => readWav(new TextEncoder().encode('{"type":"session.update"}')), /not a WAV file: missing RIFF\/WAVE header/);
  assert.throws(() => readWav(patched(8, [...Buffer.from('AVI ')])), /missing RIFF\/WAVE header/);
  // An MP3 (ID3 tag) start.
  assert.throws(() => readWav(new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0])), /not a WAV file/);
});

test('RIFX and RF64 variants are named as unsupported', () => {
  assert.throws(() => readWav(patched(0, [...Buffer.from('RIFX')])), /unsupported WAV variant: RIFX/);
  assert.throws(() => readWav(patched(0, [...Buffer.from('RF64')])), /unsupported WAV variant: RF64/);
});

test('missing chunks and unsupported encodings are reported', () => {
  assert.throws(() => readWav(valid.subarray(0, 36)), /no data chunk/);
  assert.throws(() => readWav(patched(12, [...Buffer.from('fmx ')])), /no fmt chunk/);
  assert.throws(() => readWav(patched(20, [0x11, 0x00])), /unsupported WAV encoding: format tag 0x0011/); // IMA ADPCM
  assert.throws(() => readWav(patched(34, [12, 0])), /unsupported WAV PCM sample size: 12 bits/);
  assert.throws(() => readWav(patched(22, [0, 0])), /0 channels/);
});
