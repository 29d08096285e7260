/**
 * Speech request failures throw TtsEngineError from `synthesize` with a code per failure and a
 * message that names the host and what the server said, never the key: auth, server error, no
 * answer within timeoutMs, a body that stalls or breaks off mid-sentence, connection refused.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { OpenAiSpeechTtsEngine } from '../../src/engines/tts/openaiSpeech.js';
import type { OpenAiSpeechTtsEngineOptions } from '../../src/engines/tts/openaiSpeech.js';
import { TtsEngineError } from '../../src/engines/tts/types.js';
import type { FakeAudioReply } from '../helpers/fakeOpenAiAudioServer.js';
import { FakeOpenAiAudioServer, pcm16LeBytes, splitBytes, tonePcm16 } from '../helpers/fakeOpenAiAudioServer.js';
import { neverAborted } from './helpers/collectSpeech.js';

const KEY = 'sk-speech-secret-987654';
let server: FakeOpenAiAudioServer;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
});
after(async () => {
  await server.close();
});

/** Runs one synthesis; returns the chunks yielded before the error, and the error. */
async function failureOf(options: Partial<OpenAiSpeechTtsEngineOptions>, reply?: FakeAudioReply): Promise<{ chunks: number; error: TtsEngineError }> {
  if (reply) server.queueSpeech(reply);
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1', apiKey: KEY, ...options });
  let chunks = 0;
  try {
    for await (const _chunk of engine.synthesize('Hello.', { voice: 'alloy', rate: 1 }, neverAborted())) chunks++;
  } catch (error) {
    assert.ok(error instanceof TtsEngineError, `a TtsEngineError, got ${String(error)}`);
    assert.ok(!error.message.includes(KEY), `the key is not in "${error.message}"`);
    return { chunks, error };
  }
  assert.fail('synthesize did not throw');
}

const host = () => new URL(server.url).host;

test('401 → endpoint_auth_failed naming the host, key redacted', async () => {
  const { error } = await failureOf({}, { status: 401, json: { error: { message: `Invalid key ${KEY}` } } });
  assert.equal(error.code, 'endpoint_auth_failed');
  assert.ok(error.message.startsWith(`speech request to ${host()} failed with HTTP 401: Invalid key ***`), error.message);
});

test('500 with a FastAPI detail, and 422 validation errors, keep the server words', async () => {
  const server500 = await failureOf({}, { status: 500, json: { detail: 'Kokoro model not loaded' } });
  assert.equal(server500.error.code, 'endpoint_server_error');
  assert.match(server500.error.message, /HTTP 500: Kokoro model not loaded/);
  const invalid = await failureOf({}, { status: 422, json: { detail: [{ loc: ['body', 'voice'], msg: 'unknown voice alloy' }] } });
  assert.equal(invalid.error.code, 'endpoint_rejected_request');
  assert.match(invalid.error.message, /unknown voice alloy/);
});

test('no response headers within timeoutMs → endpoint_timeout', async () => {
  const startedAt = performance.now();
  const { error } = await failureOf({ timeoutMs: 300 }, { headerDelayMs: 3000, pieces: [new Uint8Array(10)] });
  const elapsedMs = performance.now() - startedAt;
  assert.equal(error.code, 'endpoint_timeout');
  assert.match(error.message, /timed out after 300 ms/);
  assert.ok(elapsedMs < 2000, `${elapsedMs.toFixed(0)} ms`);
});

test('a body that stalls longer than timeoutMs mid-sentence → endpoint_timeout after the audio so far', async () => {
  const pieces = splitBytes(pcm16LeBytes(tonePcm16(200, 24_000)), [4800]);
  const { chunks, error } = await failureOf({ timeoutMs: 300 }, { pieces, beforePiece: () => new Promise((resolve) => setTimeout(resolve, 3000).unref()) });
  assert.equal(chunks, 1, 'the first piece played');
  assert.equal(error.code, 'endpoint_timeout');
});

test('a slow but steady body is not cut off: the deadline applies per piece', async () => {
  server.queueSpeech({ pieces: splitBytes(pcm16LeBytes(tonePcm16(200, 24_000)), [960]), pieceDelayMs: 60 });
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1', timeoutMs: 250 });
  let samples = 0;
  const startedAt = performance.now();
  for await (const chunk of engine.synthesize('Steady.', { voice: 'alloy', rate: 1 }, neverAborted())) samples += chunk.pcm.length;
  assert.equal(samples, 4800);
  assert.ok(performance.now() - startedAt > 250, 'took longer than timeoutMs in total');
});

test('a consumer slower than timeoutMs is not mistaken for a stalled server', async () => {
  server.queueSpeech({ pieces: splitBytes(pcm16LeBytes(tonePcm16(150, 24_000)), [2400]), pieceDelayMs: 20 });
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1', timeoutMs: 150 });
  let samples = 0;
  for await (const chunk of engine.synthesize('Slow reader.', { voice: 'alloy', rate: 1 }, neverAborted())) {
    samples += chunk.pcm.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  assert.equal(samples, 3600);
});

test('the server hanging up mid-body → endpoint_disconnected with the bytes received', async () => {
  const pieces = splitBytes(pcm16LeBytes(tonePcm16(200, 24_000)), [2400]);
  const { chunks, error } = await failureOf({}, { pieces, hangUpAfterPieces: 2, pieceDelayMs: 5 });
  assert.ok(chunks >= 1);
  assert.equal(error.code, 'endpoint_disconnected');
  assert.match(error.message, new RegExp(`speech response from ${host().replace(/\./g, '\\.')} broke off after 4800 bytes`));
});

test('connection refused → endpoint_unreachable naming the host', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const { error } = await failureOf({ baseUrl: `http://127.0.0.1:${port}/v1` });
  assert.equal(error.code, 'endpoint_unreachable');
  assert.ok(error.message.includes(`speech request to 127.0.0.1:${port}`), error.message);
  assert.match(error.message, /ECONNREFUSED/);
});

test('bad configuration is refused at construction with invalid_config', () => {
  const base = { baseUrl: 'http://localhost:8880/v1', model: 'kokoro' };
  for (const bad of [{ baseUrl: '::' }, { model: '' }, { voices: [] }, { responseFormat: 'mp3' as never }, { pcmSampleRateHz: 0 }, { timeoutMs: 0 }, { azure: { apiVersion: '2025-03-01-preview' } }]) {
    assert.throws(() => new OpenAiSpeechTtsEngine({ ...base, ...bad }), { name: 'TtsEngineError', code: 'invalid_config' } as object, JSON.stringify(bad));
  }
});
