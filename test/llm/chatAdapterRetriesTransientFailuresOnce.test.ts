import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiChatLlmEngine, openAiChatDefaults } from '../../src/engines/llm/openaiChat.js';
import { FakeOpenAiChatServer, textStream } from '../helpers/fakeOpenAiChatServer.js';
import { collect, failureOf, secretKey, textOf } from './chatAdapterTestKit.js';

let fake: FakeOpenAiChatServer;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
});
after(async () => {
  await fake.close();
});

// retry-after-ms keeps the client's back-off short in tests (it honours the server's hint).
const busy = { kind: 'error' as const, status: 503, body: { error: { message: 'overloaded' } }, headers: { 'retry-after-ms': '10' } };

test('by default one retry: a 503 followed by a good reply succeeds', async () => {
  assert.equal(openAiChatDefaults.maxRetries, 1);
  const engine = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey: secretKey });
  const start = fake.requests.length;
  fake.enqueue(busy, textStream(['Recovered']));
  assert.equal(textOf(await collect(engine)), 'Recovered');
  const sent = fake.requests.slice(start);
  assert.equal(sent.length, 2);
  assert.equal(sent[1]!.headers['x-stainless-retry-count'], '1');
});

test('by default a second failure is final (llm_server_error after two requests)', async () => {
  const engine = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey: secretKey });
  const start = fake.requests.length;
  fake.enqueue(busy, busy);
  const error = await failureOf(engine);
  assert.equal(error.code, 'llm_server_error');
  assert.equal(fake.requests.length - start, 2);
});

test('maxRetries: 0 fails on the first 503; a 429 is retried like a 503', async () => {
  const noRetry = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'fake-model', maxRetries: 0 });
  let start = fake.requests.length;
  fake.enqueue(busy);
  assert.equal((await failureOf(noRetry)).code, 'llm_server_error');
  assert.equal(fake.requests.length - start, 1);

  const retrying = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'fake-model' });
  start = fake.requests.length;
  fake.enqueue({ ...busy, status: 429 }, textStream(['ok']));
  assert.equal(textOf(await collect(retrying)), 'ok');
  assert.equal(fake.requests.length - start, 2);
});

test('a stream that broke after it started is not retried', async () => {
  const engine = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'fake-model', maxRetries: 3 });
  const start = fake.requests.length;
  fake.enqueue({ kind: 'stream', steps: [{ kind: 'raw', text: 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n' }, { kind: 'delay', ms: 10 }, { kind: 'destroy' }] });
  assert.equal((await failureOf(engine)).code, 'llm_stream_interrupted');
  assert.equal(fake.requests.length - start, 1);
});

test('invalid options are refused when the engine is built, with a clear message', () => {
  assert.throws(() => new OpenAiChatLlmEngine({ baseUrl: 'localhost:11434', model: 'm' }), /not a valid URL|must be http/);
  assert.throws(() => new OpenAiChatLlmEngine({ baseUrl: 'http://localhost:11434/v1', model: '' }), /model name is required/);
  assert.throws(() => new OpenAiChatLlmEngine({ baseUrl: 'http://user:pw@localhost:11434/v1', model: 'm' }), /credentials/);
  assert.throws(() => new OpenAiChatLlmEngine({ baseUrl: 'http://localhost:11434/v1', model: 'm', idleTimeoutMs: 0 }), /idleTimeoutMs/);
  assert.throws(() => new OpenAiChatLlmEngine({ baseUrl: 'https://r.openai.azure.com', model: 'm', azure: { apiVersion: '2024-10-21' } }), /API key or a token provider/);
  const engine = new OpenAiChatLlmEngine({ baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', apiKey: secretKey });
  assert.equal(engine.name, 'openai');
  assert.equal(engine.description, "OpenAI-compatible chat at localhost:11434 (model 'llama3.2')");
  assert.ok(!engine.description.includes(secretKey));
});
