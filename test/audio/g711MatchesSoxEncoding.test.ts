import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeAlaw, encodeUlaw } from '../../src/audio/g711.js';
import { FixtureDir, everyInt16, soxRawPcm16Args } from './helpers/soxFixtures.js';

// sox dithers when it narrows samples to G.711 unless given -D; the undithered coder is the reference.
const fixtures = new FixtureDir();
after(() => fixtures.dispose());

const allValues = everyInt16();
fixtures.write('every-int16.raw', new Uint8Array(allValues.buffer));
fixtures.sox([...soxRawPcm16Args(8000), 'every-int16.raw', 'every-int16.wav'], 'every-int16.wav');

for (const [law, encode, soxEncoding] of [
  ['µ-law', encodeUlaw, 'u-law'],
  ['A-law', encodeAlaw, 'a-law'],
] as const) {
  test(`${law} encoding of all 65536 sample values is bit-exact with sox -D`, () => {
    const soxCodes = fixtures.sox(
      ['-D', 'every-int16.wav', '-t', 'raw', '-e', soxEncoding, '-b', '8', `every-int16.${soxEncoding}`],
      `every-int16.${soxEncoding}`,
    );
    const ourCodes = encode(allValues);
    assert.equal(soxCodes.length, 65536);
    const mismatches: string[] = [];
    for (let i = 0; i < 65536; i++) {
      if (ourCodes[i] !== soxCodes[i]) mismatches.push(`${allValues[i]}: ours ${ourCodes[i]} sox ${soxCodes[i]}`);
    }
    assert.deepEqual(mismatches.slice(0, 10), []);
  });
}

test('µ-law and A-law codes of landmark samples', () => {
  // Silence, smallest steps and full scale, as printed by the G.711 tables.
  assert.deepEqual([...encodeUlaw(new Int16Array([0, 1, -1, 2, -3, 32767, -32768]))], [0xff, 0xff, 0xff, 0xfe, 0x7e, 0x80, 0x00]);
  assert.deepEqual([...encodeAlaw(new Int16Array([0, -1, 16, -24, 32767, -32768]))], [0xd5, 0xd5, 0xd4, 0x54, 0xaa, 0x2a]);
});
