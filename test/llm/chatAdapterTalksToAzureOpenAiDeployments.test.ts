import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiChatLlmEngine } from '../../src/engines/llm/openaiChat.js';
import { autoMaxTokensField } from '../../src/engines/llm/openaiChatMessages.js';
import { FakeOpenAiChatServer, textStream } from '../helpers/fakeOpenAiChatServer.js';
import { collect, failureOf, request, secretKey, textOf } from './chatAdapterTestKit.js';

let fake: FakeOpenAiChatServer;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
});
after(async () => {
  await fake.close();
});

test('Azure OpenAI: deployment path, api-version query, api-key header (no Bearer), max_completion_tokens', async () => {
  const engine = new OpenAiChatLlmEngine({ baseUrl: fake.origin, model: 'gpt-4o-mini', apiKey: secretKey, azure: { apiVersion: '2024-10-21' }, maxRetries: 0 });
  fake.enqueue(textStream(['Hi from Azure'], { usage: [12, 4] }));
  const deltas = await collect(engine, request({ maxOutputTokens: 64 }));
  assert.equal(textOf(deltas), 'Hi from Azure');
  const seen = fake.requests.at(-1)!;
  assert.equal(seen.path, '/openai/deployments/gpt-4o-mini/chat/completions');
  assert.equal(seen.deployment, 'gpt-4o-mini', 'the model names the deployment by default');
  assert.equal(seen.query.get('api-version'), '2024-10-21');
  assert.equal(seen.headers['api-key'], secretKey);
  assert.equal(seen.headers.authorization, undefined);
  assert.equal(seen.body.max_completion_tokens, 64);
  assert.match(engine.description, /Azure OpenAI at 127\.0\.0\.1:\d+ \(deployment 'gpt-4o-mini', api-version 2024-10-21\)/);
});

test('Azure OpenAI: an explicit deployment, or one named in a deployment URL, is used', async () => {
  const explicit = new OpenAiChatLlmEngine({ baseUrl: `${fake.origin}/`, model: 'gpt-4o', apiKey: secretKey, azure: { apiVersion: '2025-01-01-preview', deployment: 'voice-prod' }, maxRetries: 0 });
  fake.enqueue(textStream(['a']));
  await collect(explicit);
  assert.equal(fake.requests.at(-1)!.deployment, 'voice-prod');
  assert.equal(fake.requests.at(-1)!.body.model, 'gpt-4o');

  const fromUrl = new OpenAiChatLlmEngine({ baseUrl: `${fake.origin}/openai/deployments/my-dep/chat/completions?api-version=x`, model: 'gpt-4o', apiKey: secretKey, azure: { apiVersion: '2024-10-21' }, maxRetries: 0 });
  fake.enqueue(textStream(['b']));
  await collect(fromUrl);
  assert.equal(fake.requests.at(-1)!.path, '/openai/deployments/my-dep/chat/completions');
  assert.equal(fake.requests.at(-1)!.query.get('api-version'), '2024-10-21');
});

test('Azure OpenAI with an Entra ID token provider sends the token as Bearer and no api-key', async () => {
  const engine = new OpenAiChatLlmEngine({ baseUrl: fake.origin, model: 'gpt-4o', azure: { apiVersion: '2024-10-21', tokenProvider: async () => 'entra-token-123' }, maxRetries: 0 });
  fake.enqueue(textStream(['ok']));
  await collect(engine);
  const seen = fake.requests.at(-1)!;
  assert.equal(seen.headers.authorization, 'Bearer entra-token-123');
  assert.equal(seen.headers['api-key'], undefined);
});

test('Azure OpenAI: an unknown deployment (404 DeploymentNotFound) says so without the key', async () => {
  const engine = new OpenAiChatLlmEngine({ baseUrl: fake.origin, model: 'nope', apiKey: secretKey, azure: { apiVersion: '2024-10-21' }, maxRetries: 0 });
  fake.enqueue({ kind: 'error', status: 404, body: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } } });
  const error = await failureOf(engine);
  assert.equal(error.code, 'llm_model_not_found');
  assert.match(error.message, /deployment 'nope'.*Server said: The API deployment for this resource does not exist/);
  assert.ok(!error.message.includes(secretKey));
});

test("max tokens field 'auto': max_completion_tokens for OpenAI and Azure hosts, max_tokens for everything else", () => {
  assert.equal(autoMaxTokensField(new URL('https://api.openai.com/v1'), false), 'max_completion_tokens');
  assert.equal(autoMaxTokensField(new URL('https://myres.openai.azure.com/openai/v1'), false), 'max_completion_tokens');
  assert.equal(autoMaxTokensField(new URL('http://127.0.0.1:1234'), true), 'max_completion_tokens');
  for (const local of ['http://localhost:11434/v1', 'http://localhost:8000/v1', 'http://localhost:8080/v1', 'http://localhost:1234/v1']) {
    assert.equal(autoMaxTokensField(new URL(local), false), 'max_tokens', local);
  }
});
