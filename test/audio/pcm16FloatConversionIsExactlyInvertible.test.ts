import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float32ToPcm16, pcm16ToFloat32 } from '../../src/audio/pcm.js';
import { everyInt16 } from './helpers/soxFixtures.js';

test('every 16-bit value survives int16 → float32 → int16 unchanged', () => {
  const all = everyInt16();
  const floats = pcm16ToFloat32(all);
  assert.equal(floats[0], -1);
  assert.equal(floats[32768], 0);
  assert.equal(floats[65535], 32767 / 32768);
  assert.deepEqual(float32ToPcm16(floats), all);
});

test('floats are scaled by 32768, rounded half up and clipped', () => {
  const floats = new Float32Array([0.5, -0.5, 1, -1, 1.5, -2, 0.25 / 32768, 0.5 / 32768, -0.5 / 32768, -0.75 / 32768, NaN, Infinity, -Infinity]);
  assert.deepEqual([...float32ToPcm16(floats)], [16384, -16384, 32767, -32768, 32767, -32768, 0, 1, 0, -1, 0, 32767, -32768]);
});
