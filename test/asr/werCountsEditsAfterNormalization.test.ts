import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignWords, normalizeTranscriptWords, sumWordErrors, wordErrorRate } from '../../src/util/wer.js';

test('identical transcripts have no errors whatever the case and punctuation', () => {
  assert.deepEqual(wordErrorRate('Turn off the lights, please!', 'turn off the lights please'), {
    wer: 0,
    substitutions: 0,
    deletions: 0,
    insertions: 0,
    referenceWords: 5,
  });
});

test("contractions and titles are spelled out on both sides (what's = what is, mister = mr)", () => {
  assert.deepEqual(normalizeTranscriptWords("What's the weather, Mister Dashwood?"), ['what', 'is', 'the', 'weather', 'mr', 'dashwood']);
  assert.equal(wordErrorRate("what's the time", 'what is the time').wer, 0);
  assert.equal(wordErrorRate("I don't know", 'i do not know').wer, 0);
});

test('apostrophes inside words stay, quotes and hyphens separate words, numbers stay as they are', () => {
  assert.deepEqual(normalizeTranscriptWords("'Cold-hearted' John's 7 o'clock"), ['cold', 'hearted', "john's", '7', "o'clock"]);
  const result = wordErrorRate('book a table for seven', 'book a table for 7');
  assert.equal(result.substitutions, 1);
  assert.equal(result.wer, 0.2);
});

test('substitutions, deletions and insertions are counted separately', () => {
  // ref: he was not an ill disposed young man (8 words)
  const result = wordErrorRate('he was not an ill disposed young man', 'he was not until this blows young man');
  assert.deepEqual(result, { wer: 3 / 8, substitutions: 3, deletions: 0, insertions: 0, referenceWords: 8 });
  assert.deepEqual(alignWords(['a', 'b', 'c'], ['a', 'c']), { wer: 1 / 3, substitutions: 0, deletions: 1, insertions: 0, referenceWords: 3 });
  assert.deepEqual(alignWords(['a', 'b'], ['x', 'a', 'b', 'y']), { wer: 1, substitutions: 0, deletions: 0, insertions: 2, referenceWords: 2 });
  const mixed = alignWords(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']);
  assert.equal(mixed.substitutions, 1);
  assert.equal(mixed.insertions, 1);
  assert.equal(mixed.wer, 0.5);
});

test('an empty reference counts every hypothesis word as an error; empty against empty is perfect', () => {
  assert.equal(wordErrorRate('', '').wer, 0);
  assert.equal(wordErrorRate('...', 'uh huh').wer, 2);
  assert.equal(wordErrorRate('hello there', '').deletions, 2);
});

test('corpus WER pools edits over reference words rather than averaging per-utterance rates', () => {
  const total = sumWordErrors([wordErrorRate('a', 'b'), wordErrorRate('a b c d e f g h i j', 'a b c d e f g h i j')]);
  assert.equal(total.referenceWords, 11);
  assert.equal(total.substitutions, 1);
  assert.equal(total.wer, 1 / 11);
});
