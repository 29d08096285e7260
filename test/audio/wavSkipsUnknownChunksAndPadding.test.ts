import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWav } from '../../src/audio/wav.js';

/** Builds a RIFF/WAVE file from raw chunks, adding pad bytes after odd-sized bodies. */
function riff(chunks: Array<[string, Uint8Array]>, options: { omitPadding?: boolean } = {}): Uint8Array {
  const parts: number[] = [...Buffer.from('WAVE', 'latin1')];
  for (const [id, body] of chunks) {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32LE(body.byteLength, 4);
    parts.push(...header, ...body);
    if (body.byteLength % 2 === 1 && !options.omitPadding) parts.push(0);
  }
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(parts.length, 4);
  return new Uint8Array([...head, ...parts]);
}

function fmtPcm(channels: number, sampleRateHz: number, bitsPerSample: number): Uint8Array {
  const body = Buffer.alloc(16);
  const blockAlign = (channels * bitsPerSample) / 8;
  body.writeUInt16LE(1, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(sampleRateHz, 4);
  body.writeUInt32LE(sampleRateHz * blockAlign, 8);
  body.writeUInt16LE(blockAlign, 12);
  body.writeUInt16LE(bitsPerSample, 14);
  return body;
}

test('unknown chunks of odd size before and after fmt are skipped via their pad byte', () => {
  const samples = new Int16Array([100, -200, 300]);
  const bytes = riff([
    ['LIST', new Uint8Array([1, 2, 3, 4, 5])], // odd: followed by one pad byte
    ['fmt ', fmtPcm(1, 16000, 16)],
    ['junk', new Uint8Array([0x64, 0x61, 0x74, 0x61, 9, 9, 9])], // contains the bytes "data"
    ['data', new Uint8Array(samples.buffer)],
    ['id3 ', new Uint8Array([7])],
  ]);
  const wav = readWav(bytes);
  assert.equal(wav.sampleRateHz, 16000);
  assert.deepEqual([...wav.samples], [100, -200, 300]);
});

test('an odd-sized 8-bit data chunk followed by its pad byte and a trailing chunk', () => {
  const bytes = riff([
    ['fmt ', fmtPcm(1, 8000, 8)],
    ['data', new Uint8Array([128, 255, 0])],
    ['cue ', new Uint8Array(4)],
  ]);
  assert.deepEqual([...readWav(bytes).samples], [0, 127 << 8, -128 << 8]);
});

test('a data chunk whose size overruns the file (streamed WAV) is read up to the last whole frame', () => {
  const complete = riff([
    ['fmt ', fmtPcm(2, 8000, 16)],
    ['data', new Uint8Array(new Int16Array([1, 2, 3, 4, 5]).buffer)], // 2.5 stereo frames
  ]);
  const view = new DataView(complete.buffer);
  view.setUint32(complete.byteLength - 10 - 4, 0xffffffff, true); // data size: unknown
  const wav = readWav(complete);
  assert.equal(wav.channels, 2);
  assert.deepEqual([...wav.samples], [1, 2, 3, 4]);
});

test('data before fmt is accepted', () => {
  const bytes = riff([
    ['data', new Uint8Array(new Int16Array([-5, 5]).buffer)],
    ['fmt ', fmtPcm(1, 24000, 16)],
  ]);
  assert.deepEqual([...readWav(bytes).samples], [-5, 5]);
});
