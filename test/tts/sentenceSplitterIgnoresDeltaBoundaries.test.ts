import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentenceSplitter } from '../../src/engines/tts/sentenceSplitter.js';

function splitWhole(text: string): string[] {
  const splitter = new SentenceSplitter();
  return [...splitter.push(text), ...splitter.flush()];
}

function splitInPieces(text: string, pieceLengths: () => number): string[] {
  const splitter = new SentenceSplitter();
  const segments: string[] = [];
  for (let offset = 0; offset < text.length; ) {
    const length = Math.max(1, pieceLengths());
    segments.push(...splitter.push(text.slice(offset, offset + length)));
    offset += length;
  }
  return [...segments, ...splitter.flush()];
}

const samples = [
  'Sure! Mr. Smith paid $3.14 for it, i.e. almost nothing. Dr. J. R. Jones agreed... Did he? Yes!',
  'Well, to be honest with you, I think the answer depends on a few things: the weather, the time, and your mood—which varies.',
  '1. Preheat the oven to 180 degrees.\n2. Mix 2.5 cups of flour, etc. Then bake.\n\nEnjoy (really.) "Done," she said.',
  'We land at 5 p.m. Please wait at the U.S. border, no. 7, and call me. The end',
  `${'A very long clause without any punctuation that keeps going and going '.repeat(5)}until it ends.`,
  'Okay. This second sentence keeps going with several clauses, more words, and extra detail so that it passes one hundred and twenty characters, at which point it splits.',
];

test('streaming one character at a time gives the same segments as one push', () => {
  for (const text of samples) {
    assert.deepEqual(splitInPieces(text, () => 1), splitWhole(text), text);
  }
});

test('random delta sizes give the same segments as one push', () => {
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (const text of samples) {
    const whole = splitWhole(text);
    for (let trial = 0; trial < 50; trial++) {
      assert.deepEqual(splitInPieces(text, () => Math.floor(random() * 12) + 1), whole, `${text} (trial ${trial})`);
    }
  }
});

test('segments keep every non-space character in order', () => {
  for (const text of samples) {
    const segments = splitWhole(text);
    assert.equal(segments.join('').replace(/\s+/g, ''), text.replace(/\s+/g, ''));
    for (const segment of segments) {
      assert.equal(segment, segment.trim());
      assert.notEqual(segment, '');
    }
  }
});

test('random texts built from tricky pieces split identically however they are streamed', () => {
  const pieces = ['Mr.', 'Dr.', 'e.g.', 'etc.', '3.14', 'U.S.', 'word', 'Word', ',', ';', ':', '—', ' - ', '.', '!', '?', '...', '"', ')', '\n', ' ', ' ', ' ', 'a', 'I.', '1.', 'no.'];
  let seed = 99;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let trial = 0; trial < 300; trial++) {
    let text = '';
    const count = 5 + Math.floor(random() * 80);
    for (let i = 0; i < count; i++) text += pieces[Math.floor(random() * pieces.length)];
    const whole = splitWhole(text);
    assert.deepEqual(splitInPieces(text, () => 1), whole, JSON.stringify(text));
    assert.deepEqual(splitInPieces(text, () => Math.floor(random() * 7) + 1), whole, JSON.stringify(text));
    assert.equal(whole.join('').replace(/\s+/g, ''), text.replace(/\s+/g, ''));
  }
});
