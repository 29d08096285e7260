import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser } from '../../src/engines/llm/sseParser.js';
import type { SseEvent } from '../../src/engines/llm/sseParser.js';

function parseInPieces(text: string, pieceChars: number): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (let i = 0; i < text.length; i += pieceChars) events.push(...parser.push(text.slice(i, i + pieceChars)));
  events.push(...parser.end());
  return events;
}

const expected: SseEvent[] = [
  { event: null, data: '{"a":1}' },
  { event: 'error', data: 'line one\nline two' },
  { event: null, data: '[DONE]' },
];

test('LF, CRLF and CR line ends, comments, multi-line data and named events parse the same however the text is split', () => {
  const stream = ': comment\n\ndata: {"a":1}\n\nevent: error\ndata: line one\ndata:line two\n\ndata: [DONE]\n\n';
  for (const lineEnd of ['\n', '\r\n', '\r']) {
    const text = stream.replace(/\n/g, lineEnd);
    for (const pieceChars of [1, 2, 3, 7, text.length]) {
      assert.deepEqual(parseInPieces(text, pieceChars), expected, `line end ${JSON.stringify(lineEnd)}, pieces of ${pieceChars}`);
    }
  }
});

test('a last event without the closing blank line is still delivered at the end', () => {
  assert.deepEqual(parseInPieces('data: {"x":true}', 4), [{ event: null, data: '{"x":true}' }]);
  assert.deepEqual(parseInPieces('data: {"x":true}\n', 4), [{ event: null, data: '{"x":true}' }]);
});
