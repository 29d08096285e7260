import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toMono } from '../../src/audio/wav.js';

test('stereo frames average to mono, rounding to nearest (halves up)', () => {
  const stereo = new Int16Array([100, 200, -32768, -32768, 32767, 32767, 1, 2, -1, -2, 32767, -32768]);
  assert.deepEqual([...toMono(stereo, 2)], [150, -32768, 32767, 2, -1, 0]);
});

test('three channels average, a trailing partial frame is dropped', () => {
  assert.deepEqual([...toMono(new Int16Array([3, 6, 9, 30, 0, 0, 7]), 3)], [6, 10]);
});

test('mono input is copied unchanged', () => {
  const mono = new Int16Array([5, -5]);
  const result = toMono(mono, 1);
  assert.deepEqual(result, mono);
  assert.notEqual(result, mono);
  assert.throws(() => toMono(mono, 0), RangeError);
});
