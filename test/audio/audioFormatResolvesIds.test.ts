import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  INPUT_AUDIO_FORMAT_IDS,
  OUTPUT_AUDIO_FORMAT_IDS,
  inputAudioFormat,
  isInputAudioFormatId,
  isOutputAudioFormatId,
  outputAudioFormat,
  type InputAudioFormatId,
} from '../../src/audio/audioFormat.js';

test('input formats: pcm16 at the session rate, g711 always at 8 kHz', () => {
  assert.deepEqual(inputAudioFormat('pcm16'), { encoding: 'pcm16', sampleRateHz: 24000, bytesPerSample: 2 });
  assert.deepEqual(inputAudioFormat('pcm16', 16000), { encoding: 'pcm16', sampleRateHz: 16000, bytesPerSample: 2 });
  assert.deepEqual(inputAudioFormat('pcm16', 8000), { encoding: 'pcm16', sampleRateHz: 8000, bytesPerSample: 2 });
  assert.deepEqual(inputAudioFormat('g711_ulaw'), { encoding: 'g711_ulaw', sampleRateHz: 8000, bytesPerSample: 1 });
  assert.deepEqual(inputAudioFormat('g711_alaw', 24000), { encoding: 'g711_alaw', sampleRateHz: 8000, bytesPerSample: 1 });
});

test('output formats', () => {
  assert.deepEqual(outputAudioFormat('pcm16'), { encoding: 'pcm16', sampleRateHz: 24000, bytesPerSample: 2 });
  assert.deepEqual(outputAudioFormat('pcm16_16000hz'), { encoding: 'pcm16', sampleRateHz: 16000, bytesPerSample: 2 });
  assert.deepEqual(outputAudioFormat('pcm16_8000hz'), { encoding: 'pcm16', sampleRateHz: 8000, bytesPerSample: 2 });
  assert.deepEqual(outputAudioFormat('g711_ulaw'), { encoding: 'g711_ulaw', sampleRateHz: 8000, bytesPerSample: 1 });
  assert.deepEqual(outputAudioFormat('g711_alaw'), { encoding: 'g711_alaw', sampleRateHz: 8000, bytesPerSample: 1 });
});

test('unsupported pcm16 input rates and unknown ids throw', () => {
  assert.throws(() => inputAudioFormat('pcm16', 44100), /input_audio_sampling_rate 44100/);
  assert.throws(() => inputAudioFormat('pcm16', 0), RangeError);
  assert.throws(() => inputAudioFormat('opus' as InputAudioFormatId), /unknown input audio format "opus"/);
  assert.throws(() => outputAudioFormat('pcm16_48000hz' as never), /unknown output audio format/);
});

test('id guards accept exactly the listed ids', () => {
  assert.deepEqual(INPUT_AUDIO_FORMAT_IDS.filter(isInputAudioFormatId), ['pcm16', 'g711_ulaw', 'g711_alaw']);
  assert.equal(OUTPUT_AUDIO_FORMAT_IDS.filter(isOutputAudioFormatId).length, 5);
  assert.equal(isInputAudioFormatId('pcm16_8000hz'), false);
  assert.equal(isOutputAudioFormatId('pcm16_8000hz'), true);
  assert.equal(isOutputAudioFormatId(undefined), false);
  assert.equal(isInputAudioFormatId({}), false);
});
