// Sessions on one loaded tiny GGUF model: each keeps its own context sequence (and KV cache), a
// capped number of them at once; releaseSession frees a sequence for others.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LlamaCppLlmEngine } from '../../src/engines/llm/llamaCpp.js';
import type { LlmRequest } from '../../src/engines/llm/types.js';
import { makeTinyGgufModel } from '../helpers/tinyGguf.js';
import { collect, textRequest } from './ggufTestSupport.js';

const model = makeTinyGgufModel();
let shared: LlamaCppLlmEngine;
let single: LlamaCppLlmEngine;

before(async () => {
  shared = await LlamaCppLlmEngine.create({ modelPath: model.path, threads: 1, contextSize: 512, maxSessions: 2 });
  single = await LlamaCppLlmEngine.create({ modelPath: model.path, threads: 1, contextSize: 512, maxSessions: 1 });
});
after(async () => {
  await shared.close();
  await single.close();
  model.remove();
});

/** The same session's next turn: its previous request plus the reply and a new user message. */
function nextTurn(previous: LlmRequest, reply: string): LlmRequest {
  return { ...previous, messages: [...previous.messages, { role: 'assistant', content: reply }, { role: 'user', content: 'Go on.' }] };
}

test('two sessions generate at once on one model, each with its own cache', async () => {
  const a = textRequest({ sessionId: 'a', maxOutputTokens: 48 });
  const b = textRequest({ sessionId: 'b', instructions: 'Another persona entirely.', maxOutputTokens: 48 });
  let bothBusy = false;
  const [ra, rb] = await Promise.all([
    collect(shared, a, undefined, () => (bothBusy ||= shared.stats().busy === 2)),
    collect(shared, b),
  ]);
  assert.ok(bothBusy, 'both sessions were generating at the same time');
  assert.equal(ra.usage?.outputTokens, 48);
  assert.equal(rb.usage?.outputTokens, 48);
  assert.deepEqual({ ...shared.stats(), waiting: 0 }, { capacity: 2, slots: 2, sessions: 2, busy: 0, waiting: 0 });

  // b's turn did not disturb a's cache: a's second turn reuses its whole first prompt.
  const a2 = await collect(shared, nextTurn(a, ra.text));
  assert.ok(a2.usage!.cachedInputTokens! >= ra.usage!.inputTokens - 1, `cached ${a2.usage!.cachedInputTokens} of ${ra.usage!.inputTokens}`);
  const b2 = await collect(shared, nextTurn(b, rb.text));
  assert.ok(b2.usage!.cachedInputTokens! >= rb.usage!.inputTokens - 1);
});

test('releaseSession frees the session\'s sequence and its cache', async () => {
  const c = textRequest({ sessionId: 'c', maxOutputTokens: 8 });
  const first = await collect(shared, c);
  const before = shared.stats().sessions;
  shared.releaseSession('c');
  assert.equal(shared.stats().sessions, before - 1);
  const again = await collect(shared, nextTurn(c, first.text));
  assert.equal(again.usage?.cachedInputTokens, 0, 'a released session starts from an empty cache');
  shared.releaseSession('c');
  shared.releaseSession('never-seen'); // harmless
});

test('releasing a session while it generates frees its sequence when the response ends', async () => {
  const d = textRequest({ sessionId: 'd', maxOutputTokens: 64 });
  let released = false;
  const result = await collect(shared, d, undefined, (delta, index) => {
    if (index === 3) {
      shared.releaseSession('d');
      released = true;
    }
  });
  assert.ok(released);
  assert.equal(result.usage?.outputTokens, 64, 'the running response completes');
  assert.ok(shared.stats().sessions <= 1, JSON.stringify(shared.stats()));
});

test('beyond maxSessions an idle session loses its sequence, a busy one makes others wait', async () => {
  const x = textRequest({ sessionId: 'x', maxOutputTokens: 8 });
  const y = textRequest({ sessionId: 'y', maxOutputTokens: 8 });
  const x1 = await collect(single, x);
  const y1 = await collect(single, y); // takes x's sequence: x was idle
  assert.equal(y1.usage?.outputTokens, 8);
  const x2 = await collect(single, nextTurn(x, x1.text));
  assert.equal(x2.usage?.cachedInputTokens, 0, "x's cache went to y");

  // While y generates, x waits for the only sequence, then runs.
  let waitingSeen = 0;
  const order: string[] = [];
  const yLong = collect(single, textRequest({ sessionId: 'y', maxOutputTokens: 200 }), undefined, (delta, index) => {
    if (index === 2) waitingSeen = single.stats().waiting;
  }).then((r) => {
    order.push('y');
    return r;
  });
  await new Promise((resolve) => setImmediate(resolve));
  const xWaits = collect(single, textRequest({ sessionId: 'x', maxOutputTokens: 4 })).then((r) => {
    order.push('x');
    return r;
  });
  const [yr, xr] = await Promise.all([yLong, xWaits]);
  assert.equal(waitingSeen, 1, 'x was waiting while y generated');
  assert.deepEqual(order, ['y', 'x']);
  assert.equal(yr.usage?.outputTokens, 200);
  assert.equal(xr.usage?.outputTokens, 4);

  // A waiting request that is cancelled ends quietly without generating.
  const controller = new AbortController();
  const busy = collect(single, textRequest({ sessionId: 'y', maxOutputTokens: 200 }));
  await new Promise((resolve) => setImmediate(resolve));
  const cancelled = collect(single, textRequest({ sessionId: 'z' }), controller.signal);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(single.stats().waiting, 1);
  controller.abort();
  assert.deepEqual((await cancelled).deltas, []);
  assert.equal(single.stats().waiting, 0);
  await busy;
});
