import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnDetector } from '../../src/session/turnDetector.js';
import { sequence } from './probabilitySequence.js';

const FRAME_MS = 32;
const config = { threshold: 0.5, prefixPaddingMs: 0, silenceDurationMs: 500, speechDurationMs: 200 };

test('speech_started fires once the voiced run reaches speechDurationMs, reporting the onset frame start', () => {
  const detector = new TurnDetector(config);
  // 10 silent frames (320 ms), then speech from 320 ms.
  assert.deepEqual(detector.push(sequence([0.05, 10], [0.9, 6]), FRAME_MS), []);
  assert.equal(detector.isSpeaking, false, '6 frames = 192 ms < 200 ms: not yet a turn');
  const events = detector.push(sequence([0.9, 1]), FRAME_MS);
  assert.deepEqual(events, [
    { type: 'speech_started', audioStartMs: 320, speechOnsetMs: 320, detectedAtMs: 320 + 7 * FRAME_MS },
  ]);
  assert.equal(detector.isSpeaking, true);
  assert.deepEqual(detector.push(sequence([0.9, 20]), FRAME_MS), [], 'no second speech_started inside a turn');
});

test('a 100 ms blip is not a turn when speechDurationMs is 200', () => {
  const detector = new TurnDetector(config);
  // 3 frames at 32 ms = 96 ms, 4 frames = 128 ms: both below 200 ms.
  const events = detector.push(sequence([0, 10], [0.95, 3], [0, 20], [0.95, 4], [0, 40]), FRAME_MS);
  assert.deepEqual(events, []);
  assert.equal(detector.isSpeaking, false);
});

test('a blip followed by real speech starts the turn at the real onset, not at the blip', () => {
  const detector = new TurnDetector(config);
  const events = detector.push(sequence([0, 10], [0.9, 3], [0.1, 5], [0.9, 10]), FRAME_MS);
  assert.equal(events.length, 1);
  assert.equal(events[0]?.type, 'speech_started');
  assert.equal(events[0]?.type === 'speech_started' && events[0].speechOnsetMs, 18 * FRAME_MS);
});

test('speechDurationMs 0 declares speech on the first frame at or above threshold', () => {
  const detector = new TurnDetector({ ...config, speechDurationMs: 0 });
  const events = detector.push(sequence([0.49, 5], [0.5, 1]), FRAME_MS);
  assert.deepEqual(events, [{ type: 'speech_started', audioStartMs: 160, speechOnsetMs: 160, detectedAtMs: 192 }]);
});

test('onset needs p >= threshold: frames between release threshold and threshold do not start speech', () => {
  const detector = new TurnDetector(config);
  assert.equal(detector.releaseThreshold, 0.35);
  assert.deepEqual(detector.push(sequence([0.45, 100]), FRAME_MS), []);
});

test('after onset, frames at or above the release threshold keep the candidate alive (hysteresis)', () => {
  const detector = new TurnDetector(config);
  // onset at 0.6, then 0.4 (between 0.35 and 0.5) counts as voiced.
  const events = detector.push(sequence([0, 2], [0.6, 1], [0.4, 6]), FRAME_MS);
  assert.equal(events.length, 1);
  assert.deepEqual(events[0], { type: 'speech_started', audioStartMs: 64, speechOnsetMs: 64, detectedAtMs: 64 + 7 * 32 });
  // ...but a dip below the release threshold before confirmation drops it.
  const other = new TurnDetector(config);
  assert.deepEqual(other.push(sequence([0, 2], [0.6, 3], [0.34, 1], [0.4, 10]), FRAME_MS), []);
});
