import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chunk, FakeOpenAiChatServer, textStream, usageChunk } from '../helpers/fakeOpenAiChatServer.js';
import { collect, engineFor, request, textOf } from './chatAdapterTestKit.js';

let fake: FakeOpenAiChatServer;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
});
after(async () => {
  await fake.close();
});

test('text deltas stream in order, then usage (with cached tokens) and the finish reason', async () => {
  fake.enqueue(textStream(['The capital', ' of France', ' is Paris.'], { usage: [42, 7, 32] }));
  const deltas = await collect(engineFor(fake));
  assert.deepEqual(deltas, [
    { type: 'text', text: 'The capital' },
    { type: 'text', text: ' of France' },
    { type: 'text', text: ' is Paris.' },
    { type: 'usage', inputTokens: 42, outputTokens: 7, cachedInputTokens: 32 },
    { type: 'finish', reason: 'stop' },
  ]);
});

test('the request is a streaming chat completion with usage requested, the key as Bearer and extra headers', async () => {
  fake.enqueue(textStream(['ok']));
  await collect(engineFor(fake, { headers: { 'X-Gateway-Route': 'voice' } }), request({ temperature: 0.6, maxOutputTokens: 200 }));
  const seen = fake.requests.at(-1)!;
  assert.equal(seen.path, '/v1/chat/completions');
  assert.equal(seen.headers.authorization, 'Bearer sk-test-SECRET-0123456789abcdef');
  assert.equal(seen.headers['x-gateway-route'], 'voice');
  assert.equal(seen.body.model, 'fake-model');
  assert.equal(seen.body.stream, true);
  assert.deepEqual(seen.body.stream_options, { include_usage: true });
  assert.equal(seen.body.temperature, 0.6);
  assert.equal(seen.body.max_tokens, 200, "'auto' sends max_tokens to a non-OpenAI host");
  assert.deepEqual(seen.body.messages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi there' },
  ]);
});

test('without an API key no Authorization header is sent; streamUsage:false sends no stream_options', async () => {
  fake.enqueue(textStream(['ok']));
  await collect(engineFor(fake, { apiKey: undefined, streamUsage: false, maxTokensField: 'max_completion_tokens' }), request({ maxOutputTokens: 50 }));
  const seen = fake.requests.at(-1)!;
  assert.equal(seen.headers.authorization, undefined);
  assert.equal('stream_options' in seen.body, false);
  assert.equal(seen.body.max_completion_tokens, 50);
});

test('a server without usage gets no usage delta (the session estimates instead of trusting invented numbers)', async () => {
  fake.enqueue(textStream(['Hi']));
  const deltas = await collect(engineFor(fake));
  assert.equal(deltas.filter((d) => d.type === 'usage').length, 0);
  assert.deepEqual(deltas.at(-1), { type: 'finish', reason: 'stop' });
});

test('role-only first chunk, empty choices (Azure prompt filter), usage:null on every chunk, comments and CRLF are tolerated', async () => {
  fake.enqueue({
    kind: 'stream',
    steps: [
      { kind: 'chunk', data: { id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] } },
      { kind: 'raw', text: ': keep-alive\r\n\r\n' },
      chunk({ role: 'assistant' }, null, { usage: null }),
      { kind: 'raw', text: `data:${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Bon' }, finish_reason: null }], usage: null })}\r\n\r\n` },
      chunk({ content: 'jour' }, null, { usage: null }),
      chunk({}, 'stop', { usage: null }),
      usageChunk(9, 2),
      { kind: 'done' },
    ],
  });
  const deltas = await collect(engineFor(fake));
  assert.equal(textOf(deltas), 'Bonjour');
  assert.deepEqual(deltas.slice(-2), [
    { type: 'usage', inputTokens: 9, outputTokens: 2 },
    { type: 'finish', reason: 'stop' },
  ]);
});

test('usage sent on every chunk (continuous usage stats): the last one counts', async () => {
  fake.enqueue({
    kind: 'stream',
    steps: [
      chunk({ content: 'a' }, null, { usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }),
      chunk({ content: 'b' }, null, { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }),
      chunk({}, 'stop', { usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }),
      { kind: 'done' },
    ],
  });
  const deltas = await collect(engineFor(fake));
  assert.deepEqual(
    deltas.filter((d) => d.type === 'usage'),
    [{ type: 'usage', inputTokens: 5, outputTokens: 3 }],
  );
});

test('finish reasons map: length → length, content_filter → content_filter', async () => {
  fake.enqueue(textStream(['cut'], { finishReason: 'length' }), textStream([''], { finishReason: 'content_filter' }));
  const engine = engineFor(fake);
  assert.deepEqual((await collect(engine)).at(-1), { type: 'finish', reason: 'length' });
  assert.deepEqual((await collect(engine)).at(-1), { type: 'finish', reason: 'content_filter' });
});

test('a stream that ends after its finish reason without [DONE] is complete', async () => {
  fake.enqueue({ kind: 'stream', steps: [chunk({ content: 'Done' }), chunk({}, 'stop')] });
  const deltas = await collect(engineFor(fake));
  assert.equal(textOf(deltas), 'Done');
  assert.deepEqual(deltas.at(-1), { type: 'finish', reason: 'stop' });
});

test('a stream that sends its finish reason and then neither [DONE] nor closes completes after a short grace, not as stalled', async () => {
  fake.enqueue({ kind: 'stream', steps: [chunk({ content: 'Done' }), chunk({}, 'stop'), usageChunk(4, 1), { kind: 'delay', ms: 5000 }] });
  const startedAt = performance.now();
  const deltas = await collect(engineFor(fake, { idleTimeoutMs: 300 }));
  assert.ok(performance.now() - startedAt < 2000);
  assert.deepEqual(deltas.slice(-2), [
    { type: 'usage', inputTokens: 4, outputTokens: 1 },
    { type: 'finish', reason: 'stop' },
  ]);
});

test('a server that ignores stream:true and answers with one JSON completion still works', async () => {
  fake.enqueue({
    kind: 'json',
    body: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Whole answer.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
    },
  });
  const deltas = await collect(engineFor(fake));
  assert.deepEqual(deltas, [
    { type: 'text', text: 'Whole answer.' },
    { type: 'usage', inputTokens: 11, outputTokens: 3 },
    { type: 'finish', reason: 'stop' },
  ]);
});

test('content given as an array of parts speaks the text parts', async () => {
  fake.enqueue({ kind: 'stream', steps: [chunk({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'hmm' }] }, { type: 'text', text: 'Answer' }] }), chunk({}, 'stop'), { kind: 'done' }] });
  assert.equal(textOf(await collect(engineFor(fake))), 'Answer');
});
