/**
 * Every way a transcription request can fail reaches the consumer as an AsrEngineError thrown by
 * the events iterator (which the session turns into `input_audio_transcription.failed` with the
 * same code), with a message that names the host and the server's own words, never the key.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { OpenAiTranscriptionAsrEngine } from '../../src/engines/asr/openaiTranscription.js';
import type { OpenAiTranscriptionAsrEngineOptions } from '../../src/engines/asr/openaiTranscription.js';
import { AsrEngineError } from '../../src/engines/asr/types.js';
import type { FakeAudioReply } from '../helpers/fakeOpenAiAudioServer.js';
import { FakeOpenAiAudioServer } from '../helpers/fakeOpenAiAudioServer.js';
import { collectAsrEvents } from './transcriptionStreamDriver.js';

const KEY = 'sk-secret-key-0123456789';
let server: FakeOpenAiAudioServer;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
});
after(async () => {
  await server.close();
});

async function failureOf(options: Partial<OpenAiTranscriptionAsrEngineOptions>, reply?: FakeAudioReply): Promise<AsrEngineError> {
  if (reply) server.queueTranscription(reply);
  const engine = new OpenAiTranscriptionAsrEngine({ baseUrl: server.baseUrl, model: 'whisper-1', apiKey: KEY, ...options });
  const stream = engine.createStream({ sampleRateHz: 16_000 });
  const collected = collectAsrEvents(stream);
  stream.write(new Int16Array(1600));
  stream.end();
  const { events, error } = await collected;
  assert.deepEqual(events, [], 'no final');
  assert.ok(error instanceof AsrEngineError, `an AsrEngineError, got ${String(error)}`);
  assert.ok(!error.message.includes(KEY), `the key is not in "${error.message}"`);
  return error;
}

const host = () => new URL(server.url).host;

test('401 with the key echoed back → endpoint_auth_failed, key redacted', async () => {
  const error = await failureOf({}, { status: 401, json: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } } });
  assert.equal(error.code, 'endpoint_auth_failed');
  assert.ok(error.message.includes(`transcription request to ${host()}`), error.message);
  assert.match(error.message, /HTTP 401: Incorrect API key provided: \*\*\*/);
});

test('500 with a FastAPI {"detail"} body → endpoint_server_error with the detail', async () => {
  const error = await failureOf({}, { status: 500, json: { detail: 'CUDA out of memory' } });
  assert.equal(error.code, 'endpoint_server_error');
  assert.ok(error.message.includes(host()));
  assert.match(error.message, /HTTP 500: CUDA out of memory/);
});

test('404, 429 and 400 have their own codes', async () => {
  assert.equal((await failureOf({}, { status: 404, text: 'Not Found' })).code, 'endpoint_not_found');
  assert.equal((await failureOf({}, { status: 429, json: { error: { message: 'slow down' } } })).code, 'endpoint_rate_limited');
  const rejected = await failureOf({}, { status: 400, json: { error: { message: 'Audio file is too short. Minimum audio length is 0.1 seconds.' } } });
  assert.equal(rejected.code, 'endpoint_rejected_request');
  assert.match(rejected.message, /HTTP 400: Audio file is too short/);
});

test('a server slower than timeoutMs → endpoint_timeout within about that time', async () => {
  const startedAt = performance.now();
  const error = await failureOf({ timeoutMs: 300 }, { headerDelayMs: 3000, json: { text: 'too late' } });
  const elapsedMs = performance.now() - startedAt;
  assert.equal(error.code, 'endpoint_timeout');
  assert.match(error.message, /timed out after 300 ms/);
  assert.ok(elapsedMs >= 290 && elapsedMs < 2000, `failed after ${elapsedMs.toFixed(0)} ms`);
  const request = server.requests.at(-1)!;
  await server.waitForClose(request);
  assert.equal(request.endedEarly, true, 'the request was cancelled, not left running');
});

test('a body that stalls after the headers also times out', async () => {
  server.queueTranscription(() => ({ pieces: [new TextEncoder().encode('{"text":'), new TextEncoder().encode('"x"}')], contentType: 'application/json', beforePiece: () => new Promise((resolve) => setTimeout(resolve, 3000)) }));
  const error = await failureOf({ timeoutMs: 300 });
  assert.equal(error.code, 'endpoint_timeout');
});

test('connection refused → endpoint_unreachable naming the host and the reason', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const error = await failureOf({ baseUrl: `http://127.0.0.1:${port}/v1` });
  assert.equal(error.code, 'endpoint_unreachable');
  assert.ok(error.message.includes(`127.0.0.1:${port}`), error.message);
  assert.match(error.message, /ECONNREFUSED/);
});

test('a server that hangs up without answering → endpoint_unreachable', async () => {
  const error = await failureOf({}, { hangUp: true });
  assert.equal(error.code, 'endpoint_unreachable');
  assert.ok(error.message.includes(host()));
});

test('bad configuration is refused at construction with invalid_config', () => {
  assert.throws(() => new OpenAiTranscriptionAsrEngine({ baseUrl: 'not a url', model: 'whisper-1' }), { code: 'invalid_config' } as object);
  assert.throws(() => new OpenAiTranscriptionAsrEngine({ baseUrl: server.url, model: 'whisper', azure: { apiVersion: '2024-10-21' } }), /Azure OpenAI needs an apiKey/);
  assert.throws(() => new OpenAiTranscriptionAsrEngine({ baseUrl: server.url, model: '' }), { code: 'invalid_config' } as object);
});
