import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LlmDelta } from '../../src/engines/llm/types.js';
import { FakeOpenAiChatServer, textStream } from '../helpers/fakeOpenAiChatServer.js';
import { engineFor, request } from './chatAdapterTestKit.js';

let fake: FakeOpenAiChatServer;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
});
after(async () => {
  await fake.close();
});

function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);
}

test('aborting mid-stream closes the HTTP connection and ends the generator quietly', async () => {
  fake.enqueue(textStream(['one ', 'two ', 'three ', 'four ', 'five '], { delayMs: 100 }));
  const controller = new AbortController();
  const deltas: LlmDelta[] = [];
  const run = (async () => {
    for await (const delta of engineFor(fake).generate(request(), controller.signal)) {
      deltas.push(delta);
      if (deltas.length === 1) setTimeout(() => controller.abort(), 20);
    }
  })();
  const seen = await fake.waitForRequests(fake.requests.length + 1);
  await withinMs(run, 1000, 'the generator ending quietly after abort');
  await withinMs(seen.closedEarly, 1000, 'the server seeing the connection close');
  assert.ok(seen.wasClosedEarly());
  assert.deepEqual(deltas, [{ type: 'text', text: 'one ' }], 'nothing after the abort, and no finish');
});

test('aborting while the server has not answered yet ends quietly and closes the connection', async () => {
  fake.enqueue({ kind: 'hang' });
  const controller = new AbortController();
  const before = fake.requests.length;
  const run = (async () => {
    const deltas: LlmDelta[] = [];
    for await (const delta of engineFor(fake).generate(request(), controller.signal)) deltas.push(delta);
    return deltas;
  })();
  const seen = await fake.waitForRequests(before + 1);
  controller.abort();
  assert.deepEqual(await withinMs(run, 1000, 'the generator ending'), []);
  await withinMs(seen.closedEarly, 1000, 'the server seeing the connection close');
});

test('aborting during a retry back-off ends at once instead of after the back-off', async () => {
  fake.enqueue({ kind: 'error', status: 503, body: { error: { message: 'busy' } }, headers: { 'retry-after': '1' } });
  const controller = new AbortController();
  const before = fake.requests.length;
  const startedAt = performance.now();
  const run = (async () => {
    for await (const _delta of engineFor(fake, { maxRetries: 1 }).generate(request(), controller.signal)) {
      // no deltas expected
    }
  })();
  await fake.waitForRequests(before + 1);
  controller.abort();
  await withinMs(run, 1000, 'the generator ending');
  assert.ok(performance.now() - startedAt < 900, 'ended before the 1 s back-off was over');
  await new Promise((r) => setTimeout(r, 1300));
  assert.equal(fake.requests.length, before + 1, 'no retry was sent after the abort');
});

test('a consumer that stops reading (break) also closes the connection', async () => {
  fake.enqueue(textStream(['a', 'b', 'c', 'd'], { delayMs: 100 }));
  const before = fake.requests.length;
  for await (const delta of engineFor(fake).generate(request(), new AbortController().signal)) {
    assert.equal(delta.type, 'text');
    break;
  }
  const seen = fake.requests[before]!;
  await withinMs(seen.closedEarly, 1000, 'the server seeing the connection close');
});

test('an already aborted signal sends no request', async () => {
  const controller = new AbortController();
  controller.abort();
  const before = fake.requests.length;
  const deltas: LlmDelta[] = [];
  for await (const delta of engineFor(fake).generate(request(), controller.signal)) deltas.push(delta);
  assert.deepEqual(deltas, []);
  assert.equal(fake.requests.length, before);
});
