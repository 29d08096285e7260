import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PocketsphinxAsrEngine } from '../../src/engines/asr/pocketsphinx.js';
import { sumWordErrors, wordErrorRate } from '../../src/util/wer.js';
import type { WordErrorRate } from '../../src/util/wer.js';
import { pocketsphinxSkipReason, testdataDir } from './pocketsphinxAvailability.js';
import { loadHumanRecordings } from './pocketsphinxTestdata.js';
import { transcribe } from './transcribe.js';

// Measured here: 22.8 % over all 92 reference words (librivox 22.5 %, cards 23.8 %); the library
// default options (-fwdflat yes) gave 29.3 %. The bound leaves room for other builds of the
// library without letting a broken pipeline (wrong rate, lost audio, garbled chunks) through.
const MAX_TOTAL_WER = 0.35;

let engine: PocketsphinxAsrEngine | undefined;
before(async () => {
  if (pocketsphinxSkipReason === false) engine = await PocketsphinxAsrEngine.create({ poolSize: 1 });
});
after(() => engine?.close());

test('real human recordings are transcribed with a total WER below the measured bound', { skip: pocketsphinxSkipReason }, async () => {
  assert.ok(engine);
  const recordings = loadHumanRecordings(testdataDir);
  assert.ok(recordings.length >= 5, `expected the LibriVox utterances with transcripts, found ${recordings.length}`);
  const results: WordErrorRate[] = [];
  for (const recording of recordings) {
    const run = await transcribe(engine, recording.pcm);
    const result = wordErrorRate(recording.reference, run.final.text);
    results.push(result);
    console.log(`${recording.id}: WER ${(result.wer * 100).toFixed(1)} %  "${run.final.text}"`);
  }
  const total = sumWordErrors(results);
  console.log(
    `total WER ${(total.wer * 100).toFixed(1)} % over ${total.referenceWords} words ` +
      `(S${total.substitutions} D${total.deletions} I${total.insertions}); bound ${MAX_TOTAL_WER * 100} %`,
  );
  assert.ok(total.referenceWords >= 71);
  assert.ok(total.wer < MAX_TOTAL_WER, `total WER ${total.wer.toFixed(3)} ≥ ${MAX_TOTAL_WER}`);
});
