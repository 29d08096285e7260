import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnDetector, defaultReleaseThreshold, type TurnEvent } from '../../src/session/turnDetector.js';
import { sequence } from './probabilitySequence.js';

const FRAME_MS = 32;
const config = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, speechDurationMs: 200 };
const script = sequence([0, 20], [0.9, 40], [0.1, 12], [0.8, 25], [0, 30], [0.7, 3], [0, 10], [0.95, 50], [0.05, 40]);

test('events do not depend on how frames are chunked into push calls', () => {
  const whole = new TurnDetector(config).push(script, FRAME_MS);
  const oneByOne = new TurnDetector(config);
  const events: TurnEvent[] = [];
  for (const probability of script) {
    const event = oneByOne.pushFrame(probability, FRAME_MS);
    if (event) events.push(event);
  }
  assert.deepEqual(events, whole);
  assert.equal(whole.length, 4);
  assert.equal(oneByOne.clockMs, script.length * FRAME_MS);
});

test('the release threshold defaults to threshold − 0.15, at least 0.01', () => {
  assert.equal(defaultReleaseThreshold(0.5), 0.35);
  assert.equal(defaultReleaseThreshold(0.1), 0.01);
  assert.equal(defaultReleaseThreshold(0.005), 0.005);
  assert.equal(new TurnDetector({ ...config, releaseThreshold: 0.2 }).releaseThreshold, 0.2);
});

test('updateConfig changes tunables for the following frames', () => {
  const detector = new TurnDetector(config);
  assert.deepEqual(detector.push(sequence([0.6, 10]), FRAME_MS).length, 1);
  detector.updateConfig({ silenceDurationMs: 100 });
  // 4 frames = 128 ms ≥ 100 ms ends the turn now.
  assert.deepEqual(detector.push(sequence([0, 4]), FRAME_MS), [
    { type: 'speech_stopped', audioEndMs: 320, detectedAtMs: 448 },
  ]);
  detector.updateConfig({ threshold: 0.7 });
  assert.equal(detector.releaseThreshold, 0.55);
  assert.deepEqual(detector.push(sequence([0.6, 20]), FRAME_MS), [], '0.6 is below the new threshold');
  assert.equal(detector.config.prefixPaddingMs, 300);
});

test('invalid tunables are rejected with RangeError and leave the config unchanged', () => {
  const detector = new TurnDetector(config);
  assert.throws(() => detector.updateConfig({ threshold: 1.5 }), RangeError);
  assert.throws(() => detector.updateConfig({ silenceDurationMs: -1 }), RangeError);
  assert.throws(() => detector.updateConfig({ releaseThreshold: 0.6 }), RangeError);
  assert.throws(() => new TurnDetector({ ...config, prefixPaddingMs: Number.NaN }), RangeError);
  assert.throws(() => detector.push([0.5], 0), RangeError);
  assert.deepEqual(detector.config, config);
});

test('reset drops a turn in progress without events and keeps the audio clock', () => {
  const detector = new TurnDetector(config);
  detector.push(sequence([0, 10], [0.9, 10]), FRAME_MS);
  assert.equal(detector.isSpeaking, true);
  detector.reset();
  assert.equal(detector.isSpeaking, false);
  assert.equal(detector.clockMs, 20 * FRAME_MS);
  // Silence after reset emits nothing; a new turn starts with padding clamped to the reset point.
  const events = detector.push(sequence([0, 20], [0.9, 10]), FRAME_MS);
  assert.deepEqual(events, [
    { type: 'speech_started', audioStartMs: 40 * FRAME_MS - 300, speechOnsetMs: 40 * FRAME_MS, detectedAtMs: 47 * FRAME_MS },
  ]);
});

test('reset(clockMs) moves the clock, e.g. over audio that was not analysed', () => {
  const detector = new TurnDetector(config);
  detector.reset(10_000);
  const events = detector.push(sequence([0.9, 10]), FRAME_MS);
  assert.deepEqual(events, [{ type: 'speech_started', audioStartMs: 10_000, speechOnsetMs: 10_000, detectedAtMs: 10_224 }]);
});
