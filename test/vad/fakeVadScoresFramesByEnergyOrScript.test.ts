import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeVadEngine, frameRms } from '../../src/engines/vad/fake.js';
import { TurnDetector } from '../../src/session/turnDetector.js';

function tone(samples: number, amplitude: number): Float32Array {
  return Float32Array.from({ length: samples }, (_, index) => amplitude * Math.sin((2 * Math.PI * 440 * index) / 16_000));
}

test('energy mode maps RMS to rms / (rms + rmsThreshold): 0.5 exactly at the threshold', async () => {
  const engine = new FakeVadEngine({ rmsThreshold: 0.01 });
  assert.deepEqual(engine.capabilities, { sampleRateHz: 16_000, frameSamples: 512 });
  const stream = engine.createStream();
  const constant = (value: number): Float32Array => new Float32Array(512).fill(value);
  const probabilities = await stream.process(Float32Array.from([...constant(0), ...constant(0.01), ...constant(0.03)]));
  assert.deepEqual(Array.from(probabilities), [0, 0.5, 0.75]);
  const sine = tone(512, 0.1);
  assert.ok(Math.abs(frameRms(sine) - 0.1 / Math.SQRT2) < 1e-3);
});

test('samples that do not fill a frame are kept for the next call', async () => {
  const stream = new FakeVadEngine({ frameSamples: 320 }).createStream();
  assert.equal((await stream.process(tone(300, 0.5))).length, 0);
  assert.equal((await stream.process(tone(300, 0.5))).length, 1, '600 samples = 1 frame + 280 left');
  assert.equal((await stream.process(tone(40, 0.5))).length, 1, '280 + 40 = 320');
  stream.reset();
  assert.equal((await stream.process(tone(300, 0.5))).length, 0, 'reset drops the leftover');
  stream.close();
  await assert.rejects(stream.process(tone(320, 0.5)), /closed/);
});

test('script mode returns the scripted probabilities per frame, per stream, then afterScript', async () => {
  const engine = new FakeVadEngine({ frameSamples: 160, script: [0.1, 0.9, 0.8], afterScript: 0.2 });
  const first = engine.createStream();
  const second = engine.createStream();
  assert.deepEqual(Array.from(await first.process(new Float32Array(160 * 2))), [0.1, 0.9].map(Math.fround));
  assert.deepEqual(Array.from(await first.process(new Float32Array(160 * 3))), [0.8, 0.2, 0.2].map(Math.fround));
  assert.deepEqual(Array.from(await second.process(new Float32Array(160))), [Math.fround(0.1)], 'each stream has its own cursor');
});

test('energy fake drives the turn detector from a tone burst with exact boundaries', async () => {
  const engine = new FakeVadEngine({ frameSamples: 320, rmsThreshold: 0.01 });
  const stream = engine.createStream();
  const detector = new TurnDetector({ threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, speechDurationMs: 200 });
  // 1 s silence, 1 s tone, 1 s silence at 16 kHz; frames of 20 ms.
  const signal = Float32Array.from([...new Float32Array(16_000), ...tone(16_000, 0.2), ...new Float32Array(16_000)]);
  const events = detector.push(await stream.process(signal), 20);
  assert.deepEqual(events, [
    { type: 'speech_started', audioStartMs: 700, speechOnsetMs: 1000, detectedAtMs: 1200 },
    { type: 'speech_stopped', audioEndMs: 2000, detectedAtMs: 2500 },
  ]);
});
