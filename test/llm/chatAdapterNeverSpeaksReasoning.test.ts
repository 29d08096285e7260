import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ThinkTagFilter } from '../../src/engines/llm/thinkTagFilter.js';
import { chunk, FakeOpenAiChatServer } from '../helpers/fakeOpenAiChatServer.js';
import { collect, engineFor, textOf } from './chatAdapterTestKit.js';

let fake: FakeOpenAiChatServer;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
});
after(async () => {
  await fake.close();
});

function filtered(pieces: string[]): { spoken: string; perPush: string[] } {
  const filter = new ThinkTagFilter();
  const perPush = pieces.map((p) => filter.push(p));
  return { spoken: perPush.join('') + filter.flush(), perPush };
}

test('think filter: a block is removed wherever its tags are split, and the whitespace after it too', () => {
  assert.equal(filtered(['<think>plan the answer</think>\n\nHello!']).spoken, 'Hello!');
  assert.equal(filtered(['<th', 'ink>pla', 'n</th', 'ink>', '\n', '\nHel', 'lo!']).spoken, 'Hello!');
  assert.equal(filtered(['<', 'thinking>x</thinking>', ' Yes.']).spoken, 'Yes.');
  assert.equal(filtered(['<THINK>x</THINK>Case']).spoken, 'Case');
  assert.equal(filtered(['A <think>aside</think> B']).spoken, 'A B');
});

test('think filter: text that only looks like a tag start is released, without delaying other text', () => {
  const { spoken, perPush } = filtered(['1 <', ' 2 and <b>bold</b>', ' end <th']);
  assert.equal(spoken, '1 < 2 and <b>bold</b> end <th');
  assert.equal(perPush[0], '1 ', 'only the possible tag start is held back');
  assert.equal(perPush[1], '< 2 and <b>bold</b>');
});

test('think filter: an unclosed block is dropped at the end; a stray closing tag is removed', () => {
  assert.equal(filtered(['Sure. <think>never finished']).spoken, 'Sure. ');
  assert.equal(filtered(['reasoning without an opening tag</think>\n\nAnswer.']).spoken, 'reasoning without an opening tagAnswer.');
});

test('reasoning_content (DeepSeek, llama.cpp) and reasoning (vLLM ≥ 0.9, Ollama) fields are never spoken', async () => {
  fake.enqueue({
    kind: 'stream',
    steps: [
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning_content: 'The user greets me. ' }),
      chunk({ reasoning: 'I should greet back.', content: null }),
      chunk({ reasoning_details: [{ type: 'reasoning.text', text: 'more' }] }),
      chunk({ content: 'Hi!' }),
      chunk({}, 'stop'),
      { kind: 'done' },
    ],
  });
  const deltas = await collect(engineFor(fake));
  assert.deepEqual(
    deltas.filter((d) => d.type === 'text'),
    [{ type: 'text', text: 'Hi!' }],
  );
});

test('<think> blocks inside content (Ollama/LM Studio/llama.cpp without a reasoning parser) are stripped across chunks', async () => {
  fake.enqueue({
    kind: 'stream',
    steps: [chunk({ content: '<th' }), chunk({ content: 'ink>\nOkay, the user' }), chunk({ content: ' wants a joke.\n</thi' }), chunk({ content: 'nk>\n\nWhy did' }), chunk({ content: ' the chicken…' }), chunk({}, 'stop'), { kind: 'done' }],
  });
  const deltas = await collect(engineFor(fake));
  assert.equal(textOf(deltas), 'Why did the chicken…');
  assert.ok(!deltas.some((d) => d.type === 'text' && /think|Okay/.test(d.text)));
});

test('a long reasoning phase keeps the stream alive (reasoning chunks count as output for the timeouts)', async () => {
  const steps = [];
  for (let i = 0; i < 6; i++) steps.push({ kind: 'delay' as const, ms: 60 }, chunk({ reasoning_content: `step ${i}. ` }));
  fake.enqueue({ kind: 'stream', steps: [...steps, chunk({ content: 'Result.' }), chunk({}, 'stop'), { kind: 'done' }] });
  const deltas = await collect(engineFor(fake, { firstTokenTimeoutMs: 200, idleTimeoutMs: 150 }));
  assert.equal(textOf(deltas), 'Result.');
});
