import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PocketsphinxAsrEngine } from '../../src/engines/asr/pocketsphinx.js';
import type { AsrEvent } from '../../src/engines/asr/types.js';
import { wordErrorRate } from '../../src/util/wer.js';
import { pocketsphinxSkipReason, testdataDir } from './pocketsphinxAvailability.js';
import { readPcm16Wav } from './pocketsphinxTestdata.js';
import { transcribe } from './transcribe.js';

const skip = pocketsphinxSkipReason;
let engine: PocketsphinxAsrEngine | undefined;
before(async () => {
  if (skip === false) engine = await PocketsphinxAsrEngine.create({ poolSize: 1 });
});
after(() => engine?.close());

function librivox(fileId: string): Int16Array {
  return readPcm16Wav(join(testdataDir, 'librivox', `sense_and_sensibility_01_austen_64kb-${fileId}.wav`)).pcm;
}

test('partials come before the final, at most one per 100 ms of audio, and the final ends the stream', { skip }, async () => {
  assert.ok(engine);
  const pcm = librivox('0870'); // 7.1 s, 22 words
  const audioMs = (pcm.length * 1000) / 16_000;
  const stream = engine.createStream({ sampleRateHz: 16_000 });
  const events: AsrEvent[] = [];
  const collecting = (async () => {
    for await (const event of stream.events) events.push(event);
  })();
  for (let offset = 0; offset < pcm.length; offset += 320) stream.write(pcm.subarray(offset, offset + 320)); // 20 ms writes
  stream.end();
  await collecting;
  const partials = events.filter((e) => e.type === 'partial');
  console.log(`${partials.length} partials for ${audioMs} ms; last: "${partials.at(-1)?.text}"`);
  assert.ok(partials.length >= 10, `only ${partials.length} partials`);
  assert.ok(partials.length <= Math.ceil(audioMs / 100), `${partials.length} partials exceed one per 100 ms`);
  for (let i = 1; i < partials.length; i++) assert.notEqual(partials[i]?.text, partials[i - 1]?.text, 'a partial repeated the previous one');
  assert.equal(events.at(-1)?.type, 'final');
  assert.equal(events.filter((e) => e.type === 'final').length, 1);
});

test("the final's word timings are ordered, non-overlapping and inside the audio", { skip }, async () => {
  assert.ok(engine);
  const pcm = librivox('0920'); // 6.05 s, "had he married a more amiable woman ..."
  const { final } = await transcribe(engine, pcm);
  assert.equal(final.audioDurationMs, (pcm.length * 1000) / 16_000);
  assert.equal(final.words.map((w) => w.text).join(' '), final.text);
  assert.ok(final.words.length >= 12, `only ${final.words.length} words`);
  let previousEndMs = 0;
  for (const word of final.words) {
    assert.ok(word.startMs >= previousEndMs, `${word.text} starts at ${word.startMs} before the previous word ends (${previousEndMs})`);
    assert.ok(word.durationMs > 0);
    assert.ok(word.startMs + word.durationMs <= final.audioDurationMs);
    assert.ok(word.confidence !== undefined && word.confidence >= 0 && word.confidence <= 1);
    previousEndMs = word.startMs + word.durationMs;
  }
  // Leading silence: the recording starts ~0.2 s before the first word.
  const first = final.words[0];
  assert.ok(first !== undefined && first.startMs >= 100 && first.startMs < 1000, `first word at ${first?.startMs} ms`);
  console.log(final.words.map((w) => `${w.text}@${w.startMs}+${w.durationMs}`).join(' '));
});

test('with audio arriving in real time, partials arrive while the person is still speaking', { skip }, async () => {
  assert.ok(engine);
  const pcm = librivox('0880'); // 2.99 s, "he was not an ill disposed young man"
  const run = await transcribe(engine, pcm, { paced: true });
  const first = run.partials[0];
  assert.ok(first !== undefined);
  console.log(`first partial "${first.text}" after ${first.audioWrittenMs} ms of audio; end→final ${run.endToFinalMs.toFixed(0)} ms`);
  assert.ok(first.audioWrittenMs <= 1500, `first partial only after ${first.audioWrittenMs} ms of audio`);
  assert.ok(run.partials.filter((p) => p.audioWrittenMs < 2990).length >= 3);
  assert.ok(wordErrorRate('he was not an ill disposed young man', run.final.text).wer <= 0.5, run.final.text);
});
