import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from '../../src/audio/g711.js';
import { everyInt16 } from './helpers/soxFixtures.js';
import { fitSine, sinePcm16 } from './helpers/sineFit.js';

const allValues = everyInt16();

/** Width (16-bit units) of the decision interval coded by µ-law `code`: 8 · 2^segment. */
function ulawStep(code: number): number {
  return 8 << ((~code & 0x70) >> 4);
}

/** Width (16-bit units) of the decision interval coded by A-law `code`: 16 in segments 0–1, then doubling. */
function alawStep(code: number): number {
  const segment = ((code ^ 0x55) & 0x70) >> 4;
  return segment === 0 ? 16 : 16 << (segment - 1);
}

// The coder rounds to 14 (µ-law) or 13 (A-law) bits before quantising, which can move a sample up to
// 2 or 4 LSBs past its decision interval; reconstruction sits mid-interval.
// Worst absolute errors: µ-law clips -32768 to -32124 (644); A-law's worst is in its top interval
// (1024 wide, so 512 + 4 rounding slack = 516), just above its 512-LSB clipping error.
for (const [law, encode, decode, step, roundingSlack, fullScale, worstAbsoluteError] of [
  ['µ-law', encodeUlaw, decodeUlaw, ulawStep, 2, 32124, 644],
  ['A-law', encodeAlaw, decodeAlaw, alawStep, 4, 32256, 516],
] as const) {
  test(`${law} round trip error is within half a decision interval (plus rounding) below full scale`, () => {
    const codes = encode(allValues);
    const decoded = decode(codes);
    let worstExcess = -Infinity;
    let worstError = 0;
    for (let i = 0; i < allValues.length; i++) {
      const value = allValues[i] as number;
      const error = Math.abs((decoded[i] as number) - value);
      worstError = Math.max(worstError, error);
      if (Math.abs(value) > fullScale) continue; // clipping region, checked below
      worstExcess = Math.max(worstExcess, error - step(codes[i] as number) / 2);
    }
    assert.ok(worstExcess <= roundingSlack, `error exceeds half an interval by up to ${worstExcess}`);
    assert.equal(worstError, worstAbsoluteError);
  });

  test(`${law} re-encodes every decoded code to itself`, () => {
    const codes = new Uint8Array(256).map((_, code) => code);
    const reencoded = encode(decode(codes));
    const changed = [...codes].filter((code) => reencoded[code] !== code);
    // Only µ-law's "negative zero" 0x7F has a twin (0xFF): both decode to 0.
    assert.deepEqual(changed, law === 'µ-law' ? [0x7f] : []);
  });

  test(`${law} keeps a full-scale 997 Hz tone at about 38 dB SNR`, () => {
    const tone = sinePcm16(8000, 997, 1000, 30000);
    const fit = fitSine(decode(encode(tone)), 8000, 997, 0, tone.length);
    assert.ok(fit.snrDb > 35 && fit.snrDb < 42, `SNR ${fit.snrDb.toFixed(2)} dB`);
    assert.ok(Math.abs(fit.amplitude - 30000) < 150, `amplitude ${fit.amplitude}`);
  });
}
