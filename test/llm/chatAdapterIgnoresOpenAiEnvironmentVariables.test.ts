import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiChatLlmEngine } from '../../src/engines/llm/openaiChat.js';
import { FakeOpenAiChatServer, textStream } from '../helpers/fakeOpenAiChatServer.js';
import { collect } from './chatAdapterTestKit.js';

// The `openai` client reads these when an option is left out; the engine must only use its options
// (this file runs in its own process, so setting them here affects no other test).
const environment = {
  OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
  OPENAI_API_KEY: 'sk-from-environment',
  OPENAI_ORG_ID: 'org-from-environment',
  OPENAI_PROJECT_ID: 'proj-from-environment',
  AZURE_OPENAI_API_KEY: 'azure-key-from-environment',
  AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:9',
  OPENAI_API_VERSION: '1999-01-01',
};

let fake: FakeOpenAiChatServer;
before(async () => {
  Object.assign(process.env, environment);
  fake = await FakeOpenAiChatServer.start();
});
after(async () => {
  for (const key of Object.keys(environment)) delete process.env[key];
  await fake.close();
});

test('OPENAI_* variables neither redirect requests nor add credentials to a keyless local endpoint', async () => {
  const engine = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'llama3.2', maxRetries: 0 });
  fake.enqueue(textStream(['ok']));
  await collect(engine);
  const seen = fake.requests.at(-1)!;
  assert.equal(seen.path, '/v1/chat/completions');
  assert.equal(seen.headers.authorization, undefined);
  assert.equal(seen.headers['openai-organization'], undefined);
  assert.equal(seen.headers['openai-project'], undefined);
});

test('AZURE_OPENAI_* variables do not clash with an Azure engine that uses a token provider', async () => {
  const engine = new OpenAiChatLlmEngine({ baseUrl: fake.origin, model: 'gpt-4o', azure: { apiVersion: '2024-10-21', tokenProvider: async () => 'entra-token' }, maxRetries: 0 });
  fake.enqueue(textStream(['ok']));
  await collect(engine);
  const seen = fake.requests.at(-1)!;
  assert.equal(seen.path, '/openai/deployments/gpt-4o/chat/completions');
  assert.equal(seen.query.get('api-version'), '2024-10-21');
  assert.equal(seen.headers.authorization, 'Bearer entra-token');
  assert.equal(seen.headers['api-key'], undefined);
});
