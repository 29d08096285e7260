import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FliteTtsEngine } from '../../src/engines/tts/flite.js';
import {
  alignWordTimings,
  parsePhoneDurations,
  parsePhoneGroups,
  timingTokens,
} from '../../src/engines/tts/fliteWordTimings.js';
import { collectSpeech, neverAborted, rmsLevel } from './helpers/collectSpeech.js';

let engine: FliteTtsEngine;
before(async () => {
  engine = await FliteTtsEngine.create({ workerCount: 2 });
});
after(() => engine.close());

test('every spoken word gets an ordered timing inside the audio, where the audio is loud', async (t) => {
  const text = 'Mr. Smith paid 3.14 dollars for the apple, didn\'t he?';
  const speech = await collectSpeech(engine.synthesize(text, { voice: 'slt', rate: 1 }, neverAborted()));
  assert.equal(engine.capabilities.wordTimings, true);
  assert.deepEqual(
    speech.words.map((word) => word.text),
    ['Mr', 'Smith', 'paid', '3.14', 'dollars', 'for', 'the', 'apple', "didn't", 'he'],
  );
  t.diagnostic(speech.words.map((word) => `${word.text}@${word.startMs}+${word.durationMs}`).join(' '));

  let previousEndMs = 0;
  for (const word of speech.words) {
    assert.ok(word.startMs >= previousEndMs, `${word.text} starts before the previous word ends`);
    assert.ok(word.durationMs > 0, `${word.text} has no duration`);
    previousEndMs = word.startMs + word.durationMs;
  }
  assert.ok(previousEndMs <= speech.durationMs);
  // "3.14" is read as four words, so it lasts much longer than "for".
  const byText = new Map(speech.words.map((word) => [word.text, word]));
  assert.ok((byText.get('3.14')?.durationMs ?? 0) > 3 * (byText.get('for')?.durationMs ?? Infinity));

  // The words sit on speech: their audio is far louder than the leading pause before the first word.
  const samplesPerMs = speech.sampleRateHz / 1000;
  const first = speech.words[0];
  assert.ok(first && first.startMs >= 50, 'flite starts with a pause');
  const pauseRms = rmsLevel(speech.pcm.subarray(0, Math.floor(first.startMs * samplesPerMs)));
  for (const word of speech.words) {
    const span = speech.pcm.subarray(
      Math.floor(word.startMs * samplesPerMs),
      Math.floor((word.startMs + word.durationMs) * samplesPerMs),
    );
    const wordRms = rmsLevel(span);
    assert.ok(wordRms > 10 * pauseRms + 100, `${word.text}: RMS ${wordRms.toFixed(0)} vs pause ${pauseRms.toFixed(0)}`);
  }
});

test('each word travels in the chunk that contains its start', async () => {
  const speech = await collectSpeech(
    engine.synthesize('Turn off the lights in the living room.', { voice: 'rms', rate: 1.3 }, neverAborted()),
  );
  assert.equal(speech.words.length, 8);
  let chunkStartMs = 0;
  for (const chunk of speech.chunks) {
    const chunkEndMs = chunkStartMs + (chunk.pcm.length / chunk.sampleRateHz) * 1000;
    for (const word of chunk.words ?? []) {
      assert.ok(word.startMs >= chunkStartMs - 0.5 && word.startMs < chunkEndMs + 0.5, `${word.text} in wrong chunk`);
    }
    chunkStartMs = chunkEndMs;
  }
});

test('word timings scale with the speaking rate', async () => {
  const text = 'Please remind me to call my mother.';
  const normal = await collectSpeech(engine.synthesize(text, { voice: 'slt', rate: 1 }, neverAborted()));
  const fast = await collectSpeech(engine.synthesize(text, { voice: 'slt', rate: 2 }, neverAborted()));
  const lastNormal = normal.words.at(-1);
  const lastFast = fast.words.at(-1);
  assert.ok(lastNormal && lastFast);
  const ratio = lastFast.startMs / lastNormal.startMs;
  assert.ok(ratio > 0.4 && ratio < 0.6, `last word start ratio ${ratio.toFixed(3)}`);
});

test('disabled word timings leave chunks without words', async () => {
  const plain = await FliteTtsEngine.create({ workerCount: 1, wordTimings: false });
  try {
    assert.equal(plain.capabilities.wordTimings, false);
    const speech = await collectSpeech(plain.synthesize('Hello world.', { voice: 'slt', rate: 1 }, neverAborted()));
    assert.ok(speech.chunks.length > 0);
    assert.equal(speech.words.length, 0);
  } finally {
    await plain.close();
  }
});

test('alignment tolerates phones that differ between the two runs', () => {
  const text = 'the apple';
  const tokens = timingTokens(text);
  // The grouping run said "dh ax"; the real run said "dh iy" before a vowel.
  const groups = parsePhoneGroups('pau dh ax pau ae p ax l pau \n');
  const phones = parsePhoneDurations('pau:0.100 dh:0.150 iy:0.250 ae:0.400 p:0.450 ax:0.500 l:0.600 pau:0.800 \n');
  assert.deepEqual(alignWordTimings(text, tokens, groups, phones, 800), [
    { text: 'the', startMs: 100, durationMs: 150 },
    { text: 'apple', startMs: 250, durationMs: 350 },
  ]);
});

test('utterances printed on separate lines continue one timeline', () => {
  const phones = parsePhoneDurations('pau:0.100 hh:0.200 ay:0.300 pau:0.400 \npau:0.100 y:0.200 ow:0.350 pau:0.500 \n');
  assert.deepEqual(
    phones.map((phone) => [phone.phone, Math.round(phone.startMs), Math.round(phone.endMs)]),
    [
      ['pau', 0, 100],
      ['hh', 100, 200],
      ['ay', 200, 300],
      ['pau', 300, 400],
      ['pau', 400, 500],
      ['y', 500, 600],
      ['ow', 600, 750],
      ['pau', 750, 900],
    ],
  );
});

test('a grouping run with the wrong number of groups gives no timings instead of wrong ones', () => {
  const text = 'hello there world';
  const tokens = timingTokens(text);
  const groups = parsePhoneGroups('pau hh ax l ow pau dh eh r w er l d pau');
  const phones = parsePhoneDurations('pau:0.1 hh:0.2 ax:0.3 l:0.4 ow:0.5 dh:0.6 eh:0.7 r:0.8 w:0.9 er:1.0 l:1.1 d:1.2 pau:1.3');
  assert.equal(groups.length, 2);
  assert.equal(alignWordTimings(text, tokens, groups, phones, 1300), undefined);
});
