import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FliteTtsEngine } from '../../src/engines/tts/flite.js';
import { collectSpeech, neverAborted } from './helpers/collectSpeech.js';
import type { CollectedSpeech } from './helpers/collectSpeech.js';

let engine: FliteTtsEngine;
before(async () => {
  engine = await FliteTtsEngine.create({ workerCount: 2 });
});
after(() => engine.close());

const sentences = [
  'What is the weather like in Seattle today?',
  'Can you book a table for two at seven tonight?',
  'Please remind me to call my mother tomorrow morning.',
  'How long does it take to drive to the airport?',
  'I would like to cancel my subscription.',
  'Turn off the lights in the living room.',
  'What time does the pharmacy close on Sunday?',
  'Play some relaxing music for thirty minutes.',
];
const voices = ['slt', 'rms', 'awb', 'kal16'];

test('eight concurrent syntheses on two workers all complete with the same audio as one at a time', async (t) => {
  const sequential: CollectedSpeech[] = [];
  for (const [index, text] of sentences.entries()) {
    sequential.push(await collectSpeech(engine.synthesize(text, { voice: voices[index % 4] as string, rate: 1 }, neverAborted())));
  }

  let maxLagMs = 0;
  let last = performance.now();
  const lagProbe = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 10);
    last = now;
  }, 10);
  const started = performance.now();
  const concurrent = await Promise.all(
    sentences.map((text, index) =>
      collectSpeech(engine.synthesize(text, { voice: voices[index % 4] as string, rate: 1 }, neverAborted())),
    ),
  );
  const wallMs = performance.now() - started;
  clearInterval(lagProbe);

  const audioMs = concurrent.reduce((sum, speech) => sum + speech.durationMs, 0);
  t.diagnostic(
    `8 concurrent: ${wallMs.toFixed(0)} ms wall for ${(audioMs / 1000).toFixed(1)} s of audio ` +
      `(aggregate RTF ${(wallMs / audioMs).toFixed(4)}), max event-loop lag ${maxLagMs.toFixed(1)} ms`,
  );
  concurrent.forEach((speech, index) => {
    const reference = sequential[index];
    assert.ok(reference);
    assert.ok(speech.durationMs > 1000, `sentence ${index}: ${speech.durationMs} ms`);
    assert.deepEqual(speech.pcm, reference.pcm, `sentence ${index} differs`);
    assert.deepEqual(speech.words, reference.words, `sentence ${index} word timings differ`);
  });
  // Synthesis runs far faster than real time even when queued behind seven others.
  assert.ok(wallMs < audioMs / 2, `wall ${wallMs.toFixed(0)} ms for ${audioMs.toFixed(0)} ms of audio`);
});
