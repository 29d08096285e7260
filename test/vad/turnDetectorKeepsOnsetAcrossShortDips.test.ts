import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnDetector } from '../../src/session/turnDetector.js';

const frameMs = 32;
const config = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, speechDurationMs: 200 };

function run(probabilities: number[]) {
  const detector = new TurnDetector(config);
  return detector.push(probabilities, frameMs);
}

test('a short unvoiced dip before the minimum speech is reached keeps the original onset', () => {
  // 1 s silence, "the" (3 frames), a 64 ms stop closure, then sustained speech.
  const events = run([...Array(31).fill(0), 0.9, 0.9, 0.9, 0.1, 0.1, ...Array(20).fill(0.9), ...Array(30).fill(0)]);
  const started = events.find((e) => e.type === 'speech_started');
  assert.ok(started && started.type === 'speech_started');
  assert.equal(started.speechOnsetMs, 31 * frameMs);
  assert.equal(started.audioStartMs, 31 * frameMs - 300);
  // Only voiced time counts: 3 + 4 voiced frames (224 ms) are needed, so it is confirmed at frame 31+3+2+4.
  assert.equal(started.detectedAtMs, (31 + 3 + 2 + 4) * frameMs);
});

test('a dip longer than the tolerance drops the pending start; the later speech gets its own onset', () => {
  const events = run([...Array(31).fill(0), 0.9, 0.9, 0.9, ...Array(5).fill(0.1), ...Array(20).fill(0.9), ...Array(30).fill(0)]);
  const started = events.find((e) => e.type === 'speech_started');
  assert.ok(started && started.type === 'speech_started');
  assert.equal(started.speechOnsetMs, (31 + 3 + 5) * frameMs);
});

test('isolated blips separated by long gaps never add up to a turn', () => {
  const blips: number[] = [];
  for (let i = 0; i < 10; i++) blips.push(0.9, 0.9, ...Array(5).fill(0));
  assert.deepEqual(run(blips), []);
});
