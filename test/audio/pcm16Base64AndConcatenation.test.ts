import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  base64ToBytes,
  base64ToPcm16,
  bytesToBase64,
  concatBytes,
  concatPcm16,
  pcm16ToBase64,
} from '../../src/audio/pcm.js';

test('pcm16 base64 is the base64 of its little-endian bytes and decodes back', () => {
  const pcm = new Int16Array([1, -1, 32767, -32768]);
  // 01 00 ff ff ff 7f 00 80
  assert.equal(pcm16ToBase64(pcm), 'AQD///9/AIA=');
  assert.deepEqual([...base64ToPcm16('AQD///9/AIA=')], [1, -1, 32767, -32768]);
});

test('pcm16 base64 of a subarray covers only that subarray', () => {
  const pcm = new Int16Array([7, 1, -1, 9]).subarray(1, 3);
  assert.equal(pcm16ToBase64(pcm), 'AQD//w==');
});

test('base64 with an odd byte count drops the trailing byte when read as pcm16', () => {
  // 3 bytes: 05 00 07
  assert.deepEqual([...base64ToPcm16('BQAH')], [5]);
});

test('a second of random audio round-trips through base64 exactly', () => {
  const pcm = new Int16Array(24000);
  let seed = 12345;
  for (let i = 0; i < pcm.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    pcm[i] = (seed >>> 16) - 32768;
  }
  const base64 = pcm16ToBase64(pcm);
  assert.equal(base64.length, Math.ceil((pcm.length * 2) / 3) * 4);
  assert.deepEqual(base64ToPcm16(base64), pcm);
});

test('byte base64 helpers round-trip and own their memory', () => {
  const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
  assert.equal(bytesToBase64(bytes), 'AAEC/f7/');
  const decoded = base64ToBytes('AAEC/f7/');
  assert.deepEqual([...decoded], [...bytes]);
  assert.equal(decoded.buffer.byteLength, 6);
  // URL-safe alphabet is accepted too.
  assert.deepEqual([...base64ToBytes('AAEC_f7_')], [...bytes]);
});

test('concatenation joins chunks in order', () => {
  assert.deepEqual(
    [...concatPcm16([new Int16Array([1, 2]), new Int16Array(0), new Int16Array([3]), new Int16Array([4, 5]).subarray(1)])],
    [1, 2, 3, 5],
  );
  assert.equal(concatPcm16([]).length, 0);
  assert.deepEqual([...concatBytes([new Uint8Array([9]), Buffer.from([8, 7]), new Uint8Array(0)])], [9, 8, 7]);
});
