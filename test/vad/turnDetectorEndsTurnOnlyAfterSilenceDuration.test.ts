import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnDetector } from '../../src/session/turnDetector.js';
import { sequence } from './probabilitySequence.js';

const FRAME_MS = 32;
const config = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, speechDurationMs: 200 };

test('speech_stopped reports the end of the last voiced frame, decided silenceDurationMs later', () => {
  const detector = new TurnDetector(config);
  // speech frames 10..59 (320 ms .. 1920 ms), then silence.
  const speech = detector.push(sequence([0, 10], [0.9, 50]), FRAME_MS);
  assert.equal(speech.length, 1);
  // 15 silent frames = 480 ms < 500: still speaking.
  assert.deepEqual(detector.push(sequence([0.1, 15]), FRAME_MS), []);
  assert.equal(detector.isSpeaking, true);
  // 16th silent frame ends at 1920 + 512 = 2432 ms ≥ 1920 + 500.
  assert.deepEqual(detector.push(sequence([0.1, 1]), FRAME_MS), [
    { type: 'speech_stopped', audioEndMs: 1920, detectedAtMs: 2432 },
  ]);
  assert.equal(detector.isSpeaking, false);
});

test('a pause shorter than silenceDurationMs does not split the turn', () => {
  const detector = new TurnDetector(config);
  // 400 ms pause (not 500) between two stretches of speech, then a final 600 ms silence.
  const pauseFrames = Math.floor(400 / FRAME_MS); // 12 frames = 384 ms
  const events = detector.push(
    sequence([0, 10], [0.9, 30], [0.05, pauseFrames], [0.9, 30], [0.05, 20]),
    FRAME_MS,
  );
  assert.deepEqual(
    events.map((event) => event.type),
    ['speech_started', 'speech_stopped'],
  );
  const stop = events[1];
  assert.equal(stop?.type === 'speech_stopped' && stop.audioEndMs, (10 + 30 + pauseFrames + 30) * FRAME_MS);
});

test('a pause of silenceDurationMs or more splits speech into two turns', () => {
  const detector = new TurnDetector({ ...config, silenceDurationMs: 300 });
  const events = detector.push(sequence([0, 10], [0.9, 20], [0.05, 10], [0.9, 20], [0.05, 20]), FRAME_MS);
  assert.deepEqual(events, [
    { type: 'speech_started', audioStartMs: 20, speechOnsetMs: 320, detectedAtMs: 320 + 224 },
    { type: 'speech_stopped', audioEndMs: 960, detectedAtMs: 960 + 320 },
    { type: 'speech_started', audioStartMs: 1280, speechOnsetMs: 1280, detectedAtMs: 1280 + 224 },
    { type: 'speech_stopped', audioEndMs: 1920, detectedAtMs: 1920 + 320 },
  ]);
});

test('during a turn, probabilities between the release threshold and threshold count as speech', () => {
  const detector = new TurnDetector(config);
  const events = detector.push(sequence([0, 10], [0.9, 10], [0.4, 30], [0.2, 20]), FRAME_MS);
  assert.deepEqual(events.at(-1), { type: 'speech_stopped', audioEndMs: 50 * FRAME_MS, detectedAtMs: 66 * FRAME_MS });
});

test('after a dip below the release threshold, only p >= threshold counts as speech again', () => {
  const detector = new TurnDetector(config);
  // speech, one dip at 0.2, then 0.45 (below 0.5): silence keeps counting from the dip.
  const events = detector.push(sequence([0, 10], [0.9, 20], [0.2, 1], [0.45, 20]), FRAME_MS);
  assert.deepEqual(events.at(-1), { type: 'speech_stopped', audioEndMs: 30 * FRAME_MS, detectedAtMs: 46 * FRAME_MS });
});
