import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SileroVadEngine } from '../../src/engines/vad/silero.js';
import type { VadStream } from '../../src/engines/vad/types.js';
import {
  UTTERANCE_A,
  UTTERANCE_B,
  composeWithSilence,
  missingFixtureTools,
  trimmedLibrivoxUtterance,
} from './audioFixtures.js';

const skip = missingFixtureTools();
/** Batched and single inference may differ in the last float bits, never more. */
const TOLERANCE = 1e-4;
let engine: SileroVadEngine;
let speechA: Float32Array;
let speechB: Float32Array;

before(async () => {
  if (skip) return;
  engine = await SileroVadEngine.create({ workerCount: 2 });
  speechA = composeWithSilence([trimmedLibrivoxUtterance(UTTERANCE_A)], [300, 300]).samples;
  speechB = composeWithSilence([trimmedLibrivoxUtterance(UTTERANCE_B)], [100, 500]).samples;
});

after(async () => {
  await engine?.close();
});

async function feed(stream: VadStream, samples: Float32Array, chunkSamples: number): Promise<Float32Array> {
  const parts: number[] = [];
  for (let start = 0; start < samples.length; start += chunkSamples) {
    parts.push(...(await stream.process(samples.subarray(start, start + chunkSamples))));
  }
  return Float32Array.from(parts);
}

async function solo(samples: Float32Array): Promise<Float32Array> {
  const stream = engine.createStream();
  try {
    return await feed(stream, samples, 512);
  } finally {
    stream.close();
  }
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let index = 0; index < a.length; index++) max = Math.max(max, Math.abs((a[index] ?? 0) - (b[index] ?? 0)));
  return max;
}

test('probabilities do not depend on how audio is chunked into process() calls', { skip }, async () => {
  const reference = await solo(speechA);
  assert.equal(reference.length, Math.floor(speechA.length / 512));
  for (const chunkSamples of [320, 1000, speechA.length]) {
    const stream = engine.createStream();
    const probabilities = await feed(stream, speechA, chunkSamples);
    stream.close();
    assert.ok(maxDifference(probabilities, reference) < TOLERANCE, `chunks of ${chunkSamples}`);
  }
});

test('many concurrent streams batched together get the same probabilities as each stream alone', { skip }, async () => {
  const referenceA = await solo(speechA);
  const referenceB = await solo(speechB);
  const streamCount = 12;
  const results = await Promise.all(
    Array.from({ length: streamCount }, async (_, index) => {
      const stream = engine.createStream();
      const samples = index % 2 === 0 ? speechA : speechB;
      const probabilities = await feed(stream, samples, 320 + 37 * index);
      stream.close();
      return probabilities;
    }),
  );
  results.forEach((probabilities, index) => {
    const reference = index % 2 === 0 ? referenceA : referenceB;
    assert.ok(maxDifference(probabilities, reference) < TOLERANCE, `stream ${index} diverged`);
  });
  // Sanity: the two utterances really are different signals to the model.
  assert.notDeepEqual(Array.from(referenceA.slice(0, 40)), Array.from(referenceB.slice(0, 40)));
});

test('reset() makes a stream behave like a fresh one', { skip }, async () => {
  const reference = await solo(speechA);
  const stream = engine.createStream();
  await feed(stream, speechB.subarray(0, 16_000 + 100), 320);
  stream.reset();
  const probabilities = await feed(stream, speechA, 512);
  stream.close();
  assert.ok(maxDifference(probabilities, reference) < TOLERANCE);
});

test('requests issued before close() still resolve; process() after close() rejects', { skip }, async () => {
  const stream = engine.createStream();
  const pending = [stream.process(speechA.subarray(0, 8192)), stream.process(speechA.subarray(8192, 8192 + 100))];
  stream.close();
  const [first, second] = await Promise.all(pending);
  assert.equal(first?.length, 16);
  assert.equal(second?.length, 0);
  await assert.rejects(stream.process(speechA.subarray(0, 512)), /closed/);
});

test('closing the engine rejects requests still in flight and refuses new streams', async () => {
  const ownEngine = await SileroVadEngine.create();
  const stream = ownEngine.createStream();
  const inFlight = stream.process(new Float32Array(512 * 1000));
  await ownEngine.close();
  await assert.rejects(inFlight, /closed/);
  assert.throws(() => ownEngine.createStream(), /closed/);
});
