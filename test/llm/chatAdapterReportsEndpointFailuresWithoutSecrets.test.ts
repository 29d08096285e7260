import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { LlmEngineError } from '../../src/engines/llm/types.js';
import { chunk, FakeOpenAiChatServer } from '../helpers/fakeOpenAiChatServer.js';
import type { FakeReply } from '../helpers/fakeOpenAiChatServer.js';
import { engineFor, failureOf, secretKey } from './chatAdapterTestKit.js';

let fake: FakeOpenAiChatServer;
let host: string;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
  host = `127.0.0.1:${fake.port}`;
});
after(async () => {
  await fake.close();
});

function assertClean(error: LlmEngineError, expectedHost: string): void {
  assert.ok(error.message.includes(expectedHost), `names the endpoint host: ${error.message}`);
  assert.ok(!error.message.includes(secretKey), `never contains the API key: ${error.message}`);
  assert.ok(!error.message.includes('SECRET'), `no piece of the key either: ${error.message}`);
  assert.ok(!error.message.includes('http://'), `no full URL: ${error.message}`);
}

async function failWith(reply: FakeReply, options: Parameters<typeof engineFor>[1] = {}): Promise<LlmEngineError> {
  fake.enqueue(reply);
  const error = await failureOf(engineFor(fake, options));
  assertClean(error, host);
  return error;
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

test('endpoint down (connection refused) → llm_unreachable naming the host', async () => {
  const port = await closedPort();
  const engine = engineFor(fake, { baseUrl: `http://127.0.0.1:${port}/v1` });
  const error = await failureOf(engine);
  assert.equal(error.code, 'llm_unreachable');
  assert.match(error.message, /connection refused/);
  assertClean(error, `127.0.0.1:${port}`);
});

test('connection closed before any answer → llm_unreachable', async () => {
  const error = await failWith({ kind: 'destroy' });
  assert.equal(error.code, 'llm_unreachable');
  assert.match(error.message, /closed the connection before answering/);
});

test('no answer at all within the first-token timeout → llm_first_token_timeout, promptly', async () => {
  const startedAt = performance.now();
  const error = await failWith({ kind: 'hang' }, { firstTokenTimeoutMs: 150 });
  assert.equal(error.code, 'llm_first_token_timeout');
  assert.match(error.message, /150 ms/);
  assert.ok(performance.now() - startedAt < 1500, 'fails at the timeout, not later');
});

test('headers sent but no token within the first-token timeout → llm_first_token_timeout', async () => {
  const error = await failWith({ kind: 'stream', steps: [chunk({ role: 'assistant' }), { kind: 'delay', ms: 2000 }, chunk({ content: 'late' })] }, { firstTokenTimeoutMs: 150 });
  assert.equal(error.code, 'llm_first_token_timeout');
});

test('a stream that stalls mid-reply → llm_stream_stalled after the idle timeout', async () => {
  const error = await failWith({ kind: 'stream', steps: [chunk({ content: 'Hello' }), { kind: 'delay', ms: 2000 }, chunk({ content: ' world' })] }, { idleTimeoutMs: 150 });
  assert.equal(error.code, 'llm_stream_stalled');
  assert.match(error.message, /150 ms/);
});

test('401 → llm_auth_failed, and a key the server echoes back is redacted', async () => {
  const error = await failWith({ kind: 'error', status: 401, body: { error: { message: `Incorrect API key provided: ${secretKey}.`, type: 'invalid_request_error', code: 'invalid_api_key' } } });
  assert.equal(error.code, 'llm_auth_failed');
  assert.match(error.message, /HTTP 401/);
  assert.match(error.message, /\[redacted\]/);
});

test('credentials in extra headers (a gateway key) are redacted too', async () => {
  fake.enqueue({ kind: 'error', status: 403, body: { error: { message: 'gateway key gw-PRIVATE-777 is not allowed; route voice' } } });
  const error = await failureOf(engineFor(fake, { headers: { 'X-Gateway-Key': 'gw-PRIVATE-777', 'X-Route': 'voice' } }));
  assert.equal(error.code, 'llm_auth_failed');
  assert.ok(!error.message.includes('gw-PRIVATE-777'), error.message);
  assert.match(error.message, /route voice/, 'ordinary header values are left alone');
});

test('403 → llm_auth_failed', async () => {
  const error = await failWith({ kind: 'error', status: 403, body: 'Forbidden' });
  assert.equal(error.code, 'llm_auth_failed');
  assert.match(error.message, /HTTP 403/);
});

test('404 → llm_model_not_found naming the model, with the server’s words (OpenAI, vLLM and Ollama shapes)', async () => {
  const ollama = await failWith({ kind: 'error', status: 404, body: { error: { message: 'model "fake-model" not found, try pulling it first', type: 'api_error' } } });
  assert.equal(ollama.code, 'llm_model_not_found');
  assert.match(ollama.message, /model 'fake-model'/);
  assert.match(ollama.message, /try pulling it first/);
  const vllm = await failWith({ kind: 'error', status: 404, body: { object: 'error', message: 'The model `fake-model` does not exist.', type: 'NotFoundError', code: 404 } });
  assert.equal(vllm.code, 'llm_model_not_found');
  assert.match(vllm.message, /does not exist/);
});

test('429 → llm_rate_limited; 5xx → llm_server_error; other 400 → llm_bad_request with the server message', async () => {
  assert.equal((await failWith({ kind: 'error', status: 429, body: { error: { message: 'Rate limit reached' } } })).code, 'llm_rate_limited');
  const server = await failWith({ kind: 'error', status: 503, body: '<html><head><title>503 Service Unavailable</title></head><body>…</body></html>' });
  assert.equal(server.code, 'llm_server_error');
  assert.match(server.message, /HTTP 503.*503 Service Unavailable/);
  const bad = await failWith({ kind: 'error', status: 400, body: { error: { message: "This model's maximum context length is 4096 tokens." } } });
  assert.equal(bad.code, 'llm_bad_request');
  assert.match(bad.message, /maximum context length/);
});

test('an event that is not JSON → llm_malformed_stream', async () => {
  const error = await failWith({ kind: 'stream', steps: [chunk({ content: 'Hi' }), { kind: 'raw', text: 'data: {"choices": [oops\n\n' }] });
  assert.equal(error.code, 'llm_malformed_stream');
  assert.match(error.message, /not valid JSON/);
});

test('a web page instead of an event stream (wrong URL) → llm_malformed_stream with a hint', async () => {
  const error = await failWith({ kind: 'stream', contentType: 'text/html; charset=utf-8', steps: [{ kind: 'raw', text: '<html>Open WebUI</html>' }] });
  assert.equal(error.code, 'llm_malformed_stream');
  assert.match(error.message, /text\/html.*\/v1/);
});

test('server disconnect mid-stream → llm_stream_interrupted', async () => {
  const error = await failWith({ kind: 'stream', steps: [chunk({ content: 'Hel' }), { kind: 'delay', ms: 20 }, { kind: 'destroy' }] });
  assert.equal(error.code, 'llm_stream_interrupted');
  assert.match(error.message, /closed the connection before the reply was complete/);
});

test('a stream that ends with neither finish reason nor [DONE] → llm_stream_interrupted', async () => {
  const error = await failWith({ kind: 'stream', steps: [chunk({ content: 'Hel' })] });
  assert.equal(error.code, 'llm_stream_interrupted');
});

test('an error reported inside the stream (data or event: error) → llm_stream_error with its message', async () => {
  const data = await failWith({ kind: 'stream', steps: [chunk({ content: 'Hi' }), { kind: 'chunk', data: { error: { message: 'CUDA out of memory', code: 500 } } }] });
  assert.equal(data.code, 'llm_stream_error');
  assert.match(data.message, /CUDA out of memory/);
  const event = await failWith({ kind: 'stream', steps: [{ kind: 'raw', text: 'event: error\ndata: {"message":"overloaded"}\n\n' }] });
  assert.equal(event.code, 'llm_stream_error');
  assert.match(event.message, /overloaded/);
});
