import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnDetector, type TurnEvent } from '../../src/session/turnDetector.js';
import { sequence } from './probabilitySequence.js';

const FRAME_MS = 20;

function starts(events: TurnEvent[]): number[] {
  return events.flatMap((event) => (event.type === 'speech_started' ? [event.audioStartMs] : []));
}

test('audioStartMs is the onset minus prefixPaddingMs', () => {
  const detector = new TurnDetector({ threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, speechDurationMs: 200 });
  // onset at 50 frames × 20 ms = 1000 ms.
  const events = detector.push(sequence([0, 50], [0.8, 10]), FRAME_MS);
  assert.deepEqual(events, [{ type: 'speech_started', audioStartMs: 700, speechOnsetMs: 1000, detectedAtMs: 1200 }]);
});

test('audioStartMs is clamped at 0 when speech begins within the padding', () => {
  const detector = new TurnDetector({ threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, speechDurationMs: 200 });
  // onset at 5 frames × 20 ms = 100 ms; 100 − 300 < 0.
  const events = detector.push(sequence([0, 5], [0.8, 10]), FRAME_MS);
  assert.deepEqual(starts(events), [0]);
  assert.equal(events[0]?.type === 'speech_started' && events[0].speechOnsetMs, 100);
});

test('padding of the next turn never reaches back before the point where the previous turn was stopped', () => {
  const detector = new TurnDetector({ threshold: 0.5, prefixPaddingMs: 400, silenceDurationMs: 200, speechDurationMs: 0 });
  // Turn 1: speech 0–400 ms; stop decided at 600 ms. Turn 2 onset at 700 ms: 700 − 400 = 300 < 600.
  const events = detector.push(sequence([0.9, 20], [0.0, 15], [0.9, 5]), FRAME_MS);
  assert.deepEqual(events, [
    { type: 'speech_started', audioStartMs: 0, speechOnsetMs: 0, detectedAtMs: 20 },
    { type: 'speech_stopped', audioEndMs: 400, detectedAtMs: 600 },
    { type: 'speech_started', audioStartMs: 600, speechOnsetMs: 700, detectedAtMs: 720 },
  ]);
});
