import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAlaw, decodeUlaw } from '../../src/audio/g711.js';
import { FixtureDir, int16FromRaw, soxRawPcm16Args } from './helpers/soxFixtures.js';

const fixtures = new FixtureDir();
after(() => fixtures.dispose());

const everyCode = new Uint8Array(256).map((_, code) => code);
fixtures.write('every-code.bin', everyCode);

for (const [law, decode, soxEncoding] of [
  ['µ-law', decodeUlaw, 'u-law'],
  ['A-law', decodeAlaw, 'a-law'],
] as const) {
  test(`${law} decoding of all 256 codes equals sox's`, () => {
    const soxPcm = int16FromRaw(
      fixtures.sox(
        ['-t', 'raw', '-r', '8000', '-e', soxEncoding, '-b', '8', '-c', '1', 'every-code.bin', ...soxRawPcm16Args(8000), `decoded-${soxEncoding}.raw`],
        `decoded-${soxEncoding}.raw`,
      ),
    );
    assert.equal(soxPcm.length, 256);
    assert.deepEqual([...decode(everyCode)], [...soxPcm]);
  });
}

test('decoded extremes are the G.711 full-scale values', () => {
  const ulaw = decodeUlaw(new Uint8Array([0x00, 0x80, 0xff, 0x7f]));
  assert.deepEqual([...ulaw], [-32124, 32124, 0, 0]);
  const alaw = decodeAlaw(new Uint8Array([0x2a, 0xaa, 0xd5, 0x55]));
  assert.deepEqual([...alaw], [-32256, 32256, 8, -8]);
});
