import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bytesToDurationMs,
  durationMsToByteLength,
  inputAudioFormat,
  outputAudioFormat,
  type AudioFormat,
} from '../../src/audio/audioFormat.js';

// protocol.md §3.3: bytes per second of each wire format.
const cases: Array<[string, AudioFormat, number]> = [
  ['input pcm16 (default 24 kHz)', inputAudioFormat('pcm16'), 48000],
  ['input pcm16 @ 16 kHz', inputAudioFormat('pcm16', 16000), 32000],
  ['input pcm16 @ 8 kHz', inputAudioFormat('pcm16', 8000), 16000],
  ['input g711_ulaw', inputAudioFormat('g711_ulaw'), 8000],
  ['input g711_alaw', inputAudioFormat('g711_alaw'), 8000],
  ['output pcm16', outputAudioFormat('pcm16'), 48000],
  ['output pcm16_16000hz', outputAudioFormat('pcm16_16000hz'), 32000],
  ['output pcm16_8000hz', outputAudioFormat('pcm16_8000hz'), 16000],
  ['output g711_ulaw', outputAudioFormat('g711_ulaw'), 8000],
  ['output g711_alaw', outputAudioFormat('g711_alaw'), 8000],
];

for (const [name, format, bytesPerSecond] of cases) {
  test(`${name}: ${bytesPerSecond} bytes per second`, () => {
    assert.equal(bytesToDurationMs(format, bytesPerSecond), 1000);
    assert.equal(durationMsToByteLength(format, 1000), bytesPerSecond);
    // A 20 ms frame, the usual telephony packet.
    assert.equal(durationMsToByteLength(format, 20), bytesPerSecond / 50);
    assert.equal(bytesToDurationMs(format, bytesPerSecond / 50), 20);
    // 10 minutes, as a session-long audio offset.
    assert.equal(bytesToDurationMs(format, bytesPerSecond * 600), 600000);
    assert.equal(durationMsToByteLength(format, 0), 0);
    assert.equal(bytesToDurationMs(format, 0), 0);
  });

  test(`${name}: partial samples round down`, () => {
    const oneSampleMs = 1000 / format.sampleRateHz;
    assert.equal(durationMsToByteLength(format, oneSampleMs * 0.99), 0);
    assert.equal(durationMsToByteLength(format, oneSampleMs * 1.5), format.bytesPerSample);
    // Every duration computed from whole samples maps back to the same byte count.
    for (let samples = 0; samples < 5000; samples += 7) {
      const byteLength = samples * format.bytesPerSample;
      assert.equal(durationMsToByteLength(format, bytesToDurationMs(format, byteLength)), byteLength);
    }
    // An odd trailing byte of pcm16 is not a sample.
    assert.equal(bytesToDurationMs(format, format.bytesPerSample + 1), oneSampleMs * (format.bytesPerSample === 2 ? 1 : 2));
  });
}

test('sub-millisecond durations keep their fraction', () => {
  assert.equal(bytesToDurationMs(inputAudioFormat('g711_ulaw'), 1), 0.125);
  assert.equal(bytesToDurationMs(outputAudioFormat('pcm16'), 2), 1 / 24);
  assert.equal(durationMsToByteLength(inputAudioFormat('g711_alaw'), 0.1 + 0.2), 2); // 2.4 samples
  assert.equal(durationMsToByteLength(outputAudioFormat('pcm16_8000hz'), (0.1 + 0.2) * 10), 48); // 24 samples
});

test('negative or non-finite durations are rejected', () => {
  const format = outputAudioFormat('pcm16');
  assert.throws(() => durationMsToByteLength(format, -1), RangeError);
  assert.throws(() => durationMsToByteLength(format, Number.NaN), RangeError);
  assert.throws(() => durationMsToByteLength(format, Number.POSITIVE_INFINITY), RangeError);
});
