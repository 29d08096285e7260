import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToPcm16, pcm16ToBytes } from '../../src/audio/pcm.js';

test('little-endian bytes decode to the right samples', () => {
  const bytes = new Uint8Array([0x01, 0x00, 0xff, 0xff, 0x00, 0x80, 0xff, 0x7f, 0x34, 0x12]);
  assert.deepEqual([...bytesToPcm16(bytes)], [1, -1, -32768, 32767, 0x1234]);
});

test('a view at an odd byteOffset decodes the same as an aligned copy', () => {
  const backing = new Uint8Array(1 + 8);
  backing.set([0x10, 0x00, 0xf0, 0xff, 0x00, 0x40, 0xcd, 0xab], 1);
  const oddView = backing.subarray(1);
  assert.equal(oddView.byteOffset, 1);
  assert.deepEqual([...bytesToPcm16(oddView)], [16, -16, 16384, -21555]);
  // Node Buffers slice from a shared pool at arbitrary offsets too.
  const buffer = Buffer.concat([Buffer.from([0xaa]), Buffer.from([0x02, 0x01])]).subarray(1);
  assert.deepEqual([...bytesToPcm16(buffer)], [0x0102]);
});

test('an odd trailing byte is ignored: floor(byteLength / 2) samples', () => {
  assert.deepEqual([...bytesToPcm16(new Uint8Array([0x05, 0x00, 0x07]))], [5]);
  assert.equal(bytesToPcm16(new Uint8Array([0x07])).length, 0);
  assert.equal(bytesToPcm16(new Uint8Array(0)).length, 0);
});

test('samples encode to little-endian bytes and round-trip', () => {
  const pcm = new Int16Array([0, 1, -2, 32767, -32768, 0x1234]);
  const bytes = pcm16ToBytes(pcm);
  assert.deepEqual([...bytes], [0, 0, 1, 0, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80, 0x34, 0x12]);
  assert.deepEqual([...bytesToPcm16(bytes)], [...pcm]);
});

test('results are copies, not views on the input', () => {
  const pcm = new Int16Array([100, 200, 300]).subarray(1);
  const bytes = pcm16ToBytes(pcm);
  assert.equal(bytes.byteLength, 4);
  assert.equal(bytes.buffer.byteLength, 4);
  pcm[0] = 0;
  assert.deepEqual([...bytesToPcm16(bytes)], [200, 300]);
  const decoded = bytesToPcm16(bytes);
  bytes[0] = 0;
  assert.equal(decoded[0], 200);
});
