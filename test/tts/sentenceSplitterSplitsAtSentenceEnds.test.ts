import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentenceSplitter } from '../../src/engines/tts/sentenceSplitter.js';

/** Whole text in one push, then flush; clause splitting is switched off to isolate sentence rules. */
function split(text: string): string[] {
  const splitter = new SentenceSplitter({ firstSegmentMinChars: 1000, clauseSplitAfterChars: 1000 });
  return [...splitter.push(text), ...splitter.flush()];
}

test('sentences end at . ! ? followed by whitespace', () => {
  assert.deepEqual(split('Hello there. How are you? I am fine! Great.'), [
    'Hello there.',
    'How are you?',
    'I am fine!',
    'Great.',
  ]);
});

test('a sentence is emitted as soon as the whitespace after it arrives', () => {
  const splitter = new SentenceSplitter({ firstSegmentMinChars: 1000 });
  assert.deepEqual(splitter.push('Hello there.'), []);
  assert.deepEqual(splitter.push(' How'), ['Hello there.']);
  assert.deepEqual(splitter.push(' are you?'), []);
  assert.deepEqual(splitter.flush(), ['How are you?']);
});

test('abbreviations, initials and list numbers do not end sentences', () => {
  assert.deepEqual(split('Mr. Smith met Dr. Jones at St. Mary. They talked.'), [
    'Mr. Smith met Dr. Jones at St. Mary.',
    'They talked.',
  ]);
  assert.deepEqual(split('Bring fruit, e.g. apples, i.e. the red ones. Thanks.'), [
    'Bring fruit, e.g. apples, i.e. the red ones.',
    'Thanks.',
  ]);
  assert.deepEqual(split('J. R. R. Tolkien wrote it. John F. Kennedy read it.'), [
    'J. R. R. Tolkien wrote it.',
    'John F. Kennedy read it.',
  ]);
  assert.deepEqual(split('1. Preheat the oven.\n2. Mix it all.'), ['1. Preheat the oven.', '2. Mix it all.']);
});

test('etc., Jr. and dotted acronyms end a sentence only before a capital', () => {
  assert.deepEqual(split('We need eggs, milk, etc. and bread. Then go.'), [
    'We need eggs, milk, etc. and bread.',
    'Then go.',
  ]);
  assert.deepEqual(split('Buy eggs, milk, etc. Then go home.'), ['Buy eggs, milk, etc.', 'Then go home.']);
  assert.deepEqual(split('We land at 5 p.m. Please wait.'), ['We land at 5 p.m.', 'Please wait.']);
  assert.deepEqual(split('It costs 5 p.m. rates, sadly.'), ['It costs 5 p.m. rates, sadly.']);
  assert.deepEqual(split('The answer is no. We stop.'), ['The answer is no.', 'We stop.']);
  assert.deepEqual(split('Call room no. 5 now.'), ['Call room no. 5 now.']);
});

test('decimals, versions and times stay whole', () => {
  assert.deepEqual(split('Pi is 3.14159 roughly. Version 1.2.3 ships at 10:30 today.'), [
    'Pi is 3.14159 roughly.',
    'Version 1.2.3 ships at 10:30 today.',
  ]);
});

test('closing quotes and brackets stay with their sentence; ellipses and ?! end it', () => {
  assert.deepEqual(split('He said "Stop." Then he left (quietly.) Really?! Well... fine.'), [
    'He said "Stop."',
    'Then he left (quietly.)',
    'Really?!',
    'Well...',
    'fine.',
  ]);
});

test('newlines end segments even without punctuation; blank lines produce nothing', () => {
  assert.deepEqual(split('Shopping list\n\n- eggs\n- milk\n   \n'), ['Shopping list', '- eggs', '- milk']);
});

test('whitespace-only input never produces a segment', () => {
  const splitter = new SentenceSplitter();
  assert.deepEqual(splitter.push('   '), []);
  assert.deepEqual(splitter.push('\n\n\t'), []);
  assert.deepEqual(splitter.flush(), []);
  assert.deepEqual(split(''), []);
});

test('flush resets the splitter for the next response', () => {
  const splitter = new SentenceSplitter();
  splitter.push('First response without end');
  assert.deepEqual(splitter.flush(), ['First response without end']);
  assert.equal(splitter.pendingText, '');
  // The next response gets the early first-segment rule again.
  assert.deepEqual(splitter.push('Well, to answer your question, the shop'), ['Well, to answer your question,']);
});
