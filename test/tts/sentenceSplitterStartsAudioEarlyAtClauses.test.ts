import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentenceSplitter } from '../../src/engines/tts/sentenceSplitter.js';

function split(text: string, splitter = new SentenceSplitter()): string[] {
  return [...splitter.push(text), ...splitter.flush()];
}

test('the first segment may end at a clause boundary once it has 20 characters', () => {
  assert.deepEqual(
    split('Sure, I can help with that, and here is how it works in detail. Next sentence, with a comma, stays whole.'),
    [
      'Sure, I can help with that,',
      'and here is how it works in detail.',
      'Next sentence, with a comma, stays whole.',
    ],
  );
  // "Sure," is only 5 characters: too short to be spoken alone.
  assert.equal(split('Sure, I can help with that, and here is how.')[0], 'Sure, I can help with that,');
});

test('semicolons, colons and dashes are clause boundaries too', () => {
  assert.deepEqual(split('Here is the short answer: yes.'), ['Here is the short answer:', 'yes.']);
  assert.deepEqual(split('It was a long day at work; I am tired.'), ['It was a long day at work;', 'I am tired.']);
  assert.deepEqual(split('The results were clear—everyone agreed.'), ['The results were clear—', 'everyone agreed.']);
  assert.deepEqual(split('The results were clear - everyone agreed.'), ['The results were clear -', 'everyone agreed.']);
});

test('later segments only break at clauses once they pass 120 characters', () => {
  const second =
    'This second sentence keeps going with several clauses, more words, and extra detail so that it passes ' +
    'one hundred and twenty characters,';
  const third = 'at which point the splitter cuts it at the next comma, and goes on.';
  const segments = split(`Okay. ${second} ${third}`);
  assert.deepEqual(segments, ['Okay.', second, third]);
  // The earlier commas (before character 120) did not split; the first one after it did.
  assert.ok(second.indexOf(',') < 120);
  assert.ok(second.length > 120 && second.slice(0, -1).lastIndexOf(',') < 120);
});

test('a run without any boundary is cut at a space before 250 characters', () => {
  const words = Array.from({ length: 80 }, (_, index) => `word${index}`).join(' ');
  const segments = split(words);
  assert.ok(segments.length >= 2);
  for (const segment of segments) assert.ok(segment.length <= 250, `${segment.length} chars`);
  // Joining with single spaces restores the text, so every cut was at a space between words.
  assert.equal(segments.join(' '), words);
});

test('thresholds are configurable', () => {
  const splitter = new SentenceSplitter({ firstSegmentMinChars: 5, clauseSplitAfterChars: 10, maxSegmentChars: 40 });
  assert.deepEqual(split('Sure, I can help, with all of that, right now.', splitter), [
    'Sure,',
    'I can help,',
    'with all of that,',
    'right now.',
  ]);
});
