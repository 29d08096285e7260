import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SileroVadEngine } from '../../src/engines/vad/silero.js';
import {
  UTTERANCE_A,
  UTTERANCE_B,
  composeWithSilence,
  missingFixtureTools,
  msForSamples,
  trimmedLibrivoxUtterance,
  withPinkNoise,
  type TestSignal,
} from './audioFixtures.js';
import { SERVER_VAD_DEFAULTS, boundaryErrorsMs, detectTurns } from './detectTurns.js';

const skip = missingFixtureTools();
const TOLERANCE_MS = 150;
let engine: SileroVadEngine;
let clean: TestSignal;

before(async () => {
  if (skip) return;
  engine = await SileroVadEngine.create();
  const utteranceA = trimmedLibrivoxUtterance(UTTERANCE_A);
  const utteranceB = trimmedLibrivoxUtterance(UTTERANCE_B);
  // Trimmed at −40 dBFS by sox: "he was not an ill disposed young man" and "he might even have been made amiable himself".
  assert.ok(Math.abs(msForSamples(utteranceA.length) - 2515) < 5, `utterance A lasts ${msForSamples(utteranceA.length)} ms`);
  assert.ok(Math.abs(msForSamples(utteranceB.length) - 2590) < 5, `utterance B lasts ${msForSamples(utteranceB.length)} ms`);
  // 1.0 s silence + A + 1.5 s silence + B + 1.0 s silence: truth ≈ [1000–3515] and [5015–7605] ms.
  clean = composeWithSilence([utteranceA, utteranceB], [1000, 1500, 1000]);
});

after(async () => {
  await engine?.close();
});

async function assertTwoTurnsWithinTolerance(signal: TestSignal, diagnostic: (message: string) => void): Promise<void> {
  const run = await detectTurns(engine, signal.samples, SERVER_VAD_DEFAULTS);
  const errors = boundaryErrorsMs(run.turns, signal.truth);
  diagnostic(`turns ${JSON.stringify(run.turns)}; errors (start, end) ms ${JSON.stringify(errors)}`);
  assert.equal(run.turns.length, 2, `expected exactly two turns, got ${JSON.stringify(run.turns)}`);
  for (const [index, [startErrorMs, endErrorMs]] of errors.entries()) {
    assert.ok(Math.abs(startErrorMs) <= TOLERANCE_MS, `turn ${index} start off by ${startErrorMs} ms`);
    assert.ok(Math.abs(endErrorMs) <= TOLERANCE_MS, `turn ${index} end off by ${endErrorMs} ms`);
  }
  for (const turn of run.turns) {
    assert.equal(turn.audioStartMs, turn.onsetMs - SERVER_VAD_DEFAULTS.prefixPaddingMs, 'speech_started includes the prefix padding');
  }
  assert.equal(run.probabilities.length, Math.floor(signal.samples.length / 512), 'one probability per 512-sample frame');
}

test('two human utterances separated by 1.5 s of silence give exactly two turns within ±150 ms', { skip }, async (t) => {
  await assertTwoTurnsWithinTolerance(clean, (message) => t.diagnostic(message));
});

test('the same utterances under pink noise at 18 dB SNR still give two turns within ±150 ms', { skip }, async (t) => {
  await assertTwoTurnsWithinTolerance(withPinkNoise(clean, 18), (message) => t.diagnostic(message));
});
