import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTtsEngine } from '../../src/engines/tts/fake.js';
import { TtsEngineError } from '../../src/engines/tts/types.js';
import { collectSpeech, neverAborted, peakLevel, rmsLevel } from './helpers/collectSpeech.js';

test('audio lasts 60 ms per character at 16 kHz, in 100 ms chunks', async () => {
  const engine = new FakeTtsEngine();
  const text = 'Hello world.'; // 12 characters → 720 ms → 11520 samples
  const speech = await collectSpeech(engine.synthesize(text, { voice: 'slt', rate: 1 }, neverAborted()));
  assert.equal(speech.sampleRateHz, 16000);
  assert.equal(speech.pcm.length, 11520);
  assert.equal(engine.expectedSampleCount(text), 11520);
  assert.deepEqual(
    speech.chunks.map((chunk) => chunk.pcm.length),
    [1600, 1600, 1600, 1600, 1600, 1600, 1600, 320],
  );
  // A 440 Hz sine at a quarter of full scale: peak 8192, RMS peak/√2.
  assert.equal(peakLevel(speech.pcm), 8192);
  assert.ok(Math.abs(rmsLevel(speech.pcm) - 8192 / Math.SQRT2) < 30);
  const again = await collectSpeech(engine.synthesize(text, { voice: 'slt', rate: 1 }, neverAborted()));
  assert.deepEqual(again.pcm, speech.pcm);
});

test('rate, silence and word timings follow the options', async () => {
  const engine = new FakeTtsEngine({ toneHz: 0, sampleRateHz: 24000, msPerChar: 50 });
  const speech = await collectSpeech(engine.synthesize('ab cde', { voice: 'x', rate: 2 }, neverAborted()));
  // 6 characters × 50 ms / rate 2 = 150 ms at 24 kHz.
  assert.equal(speech.pcm.length, 3600);
  assert.equal(peakLevel(speech.pcm), 0);
  assert.deepEqual(speech.words, [
    { text: 'ab', startMs: 0, durationMs: 50 },
    { text: 'cde', startMs: 75, durationMs: 75 },
  ]);
});

test('calls are recorded, including aborted and failed ones', async () => {
  const engine = new FakeTtsEngine({
    chunkDelayMs: 200,
    failOn: (text) => (text.includes('fail') ? new TtsEngineError('scripted failure') : undefined),
  });
  const controller = new AbortController();
  let chunks = 0;
  let abortedAt = 0;
  for await (const _chunk of engine.synthesize('a long text to speak', { voice: 'rms', rate: 1 }, controller.signal)) {
    chunks++;
    if (chunks === 2) {
      // Abort while the engine waits 200 ms before the third chunk: the wait is cut short.
      setTimeout(() => {
        abortedAt = performance.now();
        controller.abort();
      }, 10);
    }
  }
  const stoppedAfterMs = performance.now() - abortedAt;
  assert.equal(chunks, 2);
  assert.ok(stoppedAfterMs < 100, `stopped ${stoppedAfterMs.toFixed(1)} ms after the abort`);

  await assert.rejects(collectSpeech(engine.synthesize('please fail', { voice: 'rms', rate: 1 }, neverAborted())), /scripted/);
  await collectSpeech(engine.synthesize('ok', { voice: 'slt', rate: 1.5 }, neverAborted()));

  assert.deepEqual(
    engine.calls.map((call) => ({
      text: call.text,
      voice: call.options.voice,
      chunks: call.chunksYielded,
      completed: call.completed,
      aborted: call.aborted,
      failed: call.failed,
    })),
    [
      { text: 'a long text to speak', voice: 'rms', chunks: 2, completed: false, aborted: true, failed: false },
      { text: 'please fail', voice: 'rms', chunks: 0, completed: false, aborted: false, failed: true },
      { text: 'ok', voice: 'slt', chunks: 1, completed: true, aborted: false, failed: false },
    ],
  );
});
