/**
 * stdout transcript form: `you: …` once per user turn, `assistant: …` streamed delta by delta and
 * ended by its done event; a user line that arrives mid-answer waits for the answer's line to end,
 * newlines inside transcripts never break the form, and an interrupted answer gets its note.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TranscriptPrinter } from '../../src/cli/chat/transcriptPrinter.js';

function printer() {
  let out = '';
  return { p: new TranscriptPrinter((text) => (out += text)), out: () => out };
}

test('assistant deltas stream onto one line that the done event ends', () => {
  const { p, out } = printer();
  p.user('what time is it');
  p.assistantDelta('a1', 'It is ');
  assert.equal(out(), 'you: what time is it\nassistant: It is ');
  p.assistantDelta('a1', 'noon.');
  p.assistantDone('a1', 'It is noon.');
  assert.equal(out(), 'you: what time is it\nassistant: It is noon.\n');
  p.assistantDelta('a1', 'late delta');
  assert.equal(out(), 'you: what time is it\nassistant: It is noon.\n', 'nothing after done');
});

test('a user line arriving mid-answer is printed after the answer line', () => {
  const { p, out } = printer();
  p.assistantDelta('a1', 'Hel');
  p.user('second question');
  p.assistantDelta('a1', 'lo');
  p.assistantDone('a1', 'Hello');
  assert.equal(out(), 'assistant: Hello\nyou: second question\n');
});

test('an answer without deltas is printed whole; notes and newlines are handled', () => {
  const { p, out } = printer();
  p.assistantDone('a1', 'Line one.\nLine two.');
  p.typed('multi\nline');
  p.assistantDelta('a2', 'Once upon');
  p.assistantDone('a2', 'Once upon a time', '[interrupted]');
  p.assistantDone('a3', '', '[interrupted]');
  assert.equal(out(), 'assistant: Line one. Line two.\nyou: multi line\nassistant: Once upon [interrupted]\nassistant: [interrupted]\n');
});

test('flush ends an open line (before an error message or at exit)', () => {
  const { p, out } = printer();
  p.assistantDelta('a1', 'partial');
  assert.equal(p.streaming, true);
  p.flush();
  assert.equal(out(), 'assistant: partial\n');
  assert.equal(p.streaming, false);
});
