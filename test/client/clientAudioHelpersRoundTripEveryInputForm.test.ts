/**
 * Audio helpers: every input form (bytes, Buffer, ArrayBuffer, Int16Array at any offset, base64)
 * encodes to the same little-endian base64, deltas decode back to the same bytes and samples, and
 * the browser code path (btoa/atob) gives byte-identical results to Node's Buffer path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64ToBytesWithAtob, bytesToBase64WithBtoa } from '../../src/client/base64.js';
import { decodeAudio, decodePcm16, encodeAudio, littleEndianBytesToPcm16, pcm16DurationMs, pcm16ToLittleEndianBytes } from '../../src/client/index.js';

const samples = new Int16Array([0, 1, -1, 256, -256, 32767, -32768, 12345]);
const littleEndian = Buffer.from([0, 0, 1, 0, 0xff, 0xff, 0, 1, 0, 0xff, 0xff, 0x7f, 0, 0x80, 0x39, 0x30]);
const expected = littleEndian.toString('base64');

test('every audio input form encodes to the same little-endian base64', () => {
  assert.equal(encodeAudio(samples), expected);
  assert.equal(encodeAudio(new Uint8Array(littleEndian)), expected);
  assert.equal(encodeAudio(littleEndian), expected);
  assert.equal(encodeAudio(new Uint8Array(littleEndian).buffer), expected);
  assert.equal(encodeAudio(expected), expected, 'a string is already base64');
  // A view into the middle of a larger buffer encodes only its own part.
  const big = new Int16Array(20);
  big.set(samples, 5);
  assert.equal(encodeAudio(big.subarray(5, 5 + samples.length)), expected);
  const padded = new Uint8Array(littleEndian.length + 3);
  padded.set(littleEndian, 3);
  assert.equal(encodeAudio(padded.subarray(3)), expected);
  assert.throws(() => encodeAudio(42 as never), TypeError);
});

test('deltas decode to fresh bytes and samples; odd trailing bytes are dropped', () => {
  assert.deepEqual(decodeAudio(expected), new Uint8Array(littleEndian));
  assert.deepEqual(decodeAudio({ delta: expected }), new Uint8Array(littleEndian));
  assert.deepEqual(decodePcm16({ delta: expected }), samples);
  const odd = Buffer.concat([littleEndian, Buffer.from([7])]).toString('base64');
  assert.deepEqual(decodePcm16(odd), samples);
  const decoded = decodeAudio(expected);
  assert.equal(decoded.byteOffset, 0);
  assert.equal(decoded.buffer.byteLength, littleEndian.length, 'not a view on a shared pool');
  assert.deepEqual(pcm16ToLittleEndianBytes(samples), new Uint8Array(littleEndian));
  const shifted = new Uint8Array(littleEndian.length + 1);
  shifted.set(littleEndian, 1);
  assert.deepEqual(littleEndianBytesToPcm16(shifted.subarray(1)), samples, 'any byte alignment');
  assert.equal(pcm16DurationMs(48_000), 1000);
  assert.equal(pcm16DurationMs(32_000, 16_000), 1000);
});

test('the browser base64 path matches Node for every length and for large audio', () => {
  for (let length = 0; length < 70; length++) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 73 + length) & 0xff);
    const viaNode = Buffer.from(bytes).toString('base64');
    assert.equal(bytesToBase64WithBtoa(bytes), viaNode, `length ${length}`);
    assert.deepEqual(base64ToBytesWithAtob(viaNode), bytes, `length ${length}`);
  }
  const second = Uint8Array.from({ length: 24_000 * 2 * 3 + 1 }, (_, i) => (i * 31) & 0xff);
  assert.equal(bytesToBase64WithBtoa(second), Buffer.from(second).toString('base64'));
  assert.deepEqual(base64ToBytesWithAtob(Buffer.from(second).toString('base64')), second);
  assert.deepEqual(base64ToBytesWithAtob('AQID\nBA=='), new Uint8Array([1, 2, 3, 4]), 'whitespace is ignored');
});
