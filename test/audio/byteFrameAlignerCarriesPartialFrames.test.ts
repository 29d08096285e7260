import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteFrameAligner } from '../../src/audio/byteFrameAligner.js';
import { bytesToPcm16, concatBytes, pcm16ToBytes } from '../../src/audio/pcm.js';

test('odd-length pcm16 chunks are re-cut into whole samples', () => {
  const aligner = new ByteFrameAligner(2);
  assert.deepEqual([...aligner.push(new Uint8Array([0x01, 0x00, 0x02]))], [0x01, 0x00]);
  assert.equal(aligner.pendingByteLength, 1);
  assert.deepEqual([...aligner.push(new Uint8Array([0x00]))], [0x02, 0x00]);
  assert.equal(aligner.pendingByteLength, 0);
  assert.equal(aligner.push(new Uint8Array([0x03])).length, 0);
  assert.equal(aligner.reset(), 1);
  assert.deepEqual([...aligner.push(new Uint8Array([0x04, 0x00]))], [0x04, 0x00]);
});

test('any split of a stereo stream yields the same frames as the whole', () => {
  const pcm = new Int16Array(1000).map((_, i) => (i * 37) % 65536 - 32768);
  const whole = pcm16ToBytes(pcm);
  const aligner = new ByteFrameAligner(4);
  const out: Uint8Array[] = [];
  let offset = 0;
  let seed = 7;
  while (offset < whole.length) {
    seed = (seed * 48271) % 2147483647;
    const size = seed % 11; // includes 0-byte and sub-frame pieces
    const chunk = aligner.push(whole.subarray(offset, offset + size));
    assert.equal(chunk.length % 4, 0);
    out.push(chunk);
    offset += size;
  }
  assert.equal(aligner.pendingByteLength, 0);
  assert.deepEqual(bytesToPcm16(concatBytes(out)), pcm);
});

test('frame size must be a positive integer', () => {
  assert.throws(() => new ByteFrameAligner(0), RangeError);
  assert.throws(() => new ByteFrameAligner(1.5), RangeError);
});
