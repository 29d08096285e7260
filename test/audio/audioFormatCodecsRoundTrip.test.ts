import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToPcm16, encodeFromPcm16, outputAudioFormat } from '../../src/audio/audioFormat.js';
import { encodeAlaw, encodeUlaw } from '../../src/audio/g711.js';
import { pcm16ToBytes } from '../../src/audio/pcm.js';
import { fitSine, sinePcm16 } from './helpers/sineFit.js';

const tone = sinePcm16(8000, 997, 200, 20000);

test('pcm16 formats carry little-endian bytes losslessly', () => {
  for (const id of ['pcm16', 'pcm16_16000hz', 'pcm16_8000hz'] as const) {
    const format = outputAudioFormat(id);
    const bytes = encodeFromPcm16(format, tone);
    assert.equal(bytes.byteLength, tone.length * 2);
    assert.deepEqual(bytes, pcm16ToBytes(tone));
    assert.deepEqual(decodeToPcm16(format, bytes), tone);
  }
});

test('g711 formats use the matching law, one byte per sample', () => {
  const ulaw = outputAudioFormat('g711_ulaw');
  const alaw = outputAudioFormat('g711_alaw');
  assert.deepEqual(encodeFromPcm16(ulaw, tone), encodeUlaw(tone));
  assert.deepEqual(encodeFromPcm16(alaw, tone), encodeAlaw(tone));
  for (const format of [ulaw, alaw]) {
    const bytes = encodeFromPcm16(format, tone);
    assert.equal(bytes.byteLength, tone.length);
    const decoded = decodeToPcm16(format, bytes);
    const fit = fitSine(decoded, 8000, 997, 0, decoded.length);
    assert.ok(fit.snrDb > 35, `${format.encoding} SNR ${fit.snrDb.toFixed(1)} dB`);
  }
});
