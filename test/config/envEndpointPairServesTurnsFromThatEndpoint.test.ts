import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { configFromEnv } from '../../src/config/serverConfig.js';
import { FakeOpenAiChatServer, textStream } from '../helpers/fakeOpenAiChatServer.js';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let ollamaLike: FakeOpenAiChatServer;
let otherEndpoint: FakeOpenAiChatServer;
let server: TestServer;
before(async () => {
  ollamaLike = await FakeOpenAiChatServer.start();
  otherEndpoint = await FakeOpenAiChatServer.start();
  // The common case: one environment variable pair; plus a second profile from the config file layer.
  const fromFile = { models: { 'big-model': { llm: { type: 'openai' as const, baseUrl: otherEndpoint.baseUrl, model: 'big', apiKeyEnv: 'TEST_BIG_KEY' } } } };
  process.env.TEST_BIG_KEY = 'sk-big-secret';
  server = await startTestServer({ ...fromFile, ...configFromEnv({ VOICELIVE_LLM_URL: ollamaLike.baseUrl, VOICELIVE_LLM_MODEL: 'llama3.2' }) });
});
after(async () => {
  await server.close();
  await ollamaLike.close();
  await otherEndpoint.close();
  delete process.env.TEST_BIG_KEY;
});

async function textTurn(model: string, text: string): Promise<{ status: string; text: string }> {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=${model}`);
  await client.waitFor('session.created');
  client.send({ type: 'session.update', session: { modalities: ['text'], instructions: 'Be brief.' } });
  await client.waitFor('session.updated');
  client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
  client.send({ type: 'response.create' });
  const done = (await client.waitFor('response.done')).response as { status: string; output: { content: { text: string }[] }[] };
  await client.close();
  return { status: done.status, text: done.output[0]?.content[0]?.text ?? '' };
}

test('VOICELIVE_LLM_URL + VOICELIVE_LLM_MODEL make the default profile answer from that endpoint', async () => {
  ollamaLike.enqueue(textStream(['Hi ', 'from ', 'llama.'], { usage: [12, 3] }));
  const answer = await textTurn('whatever-the-client-sends', 'Hello there');
  assert.deepEqual(answer, { status: 'completed', text: 'Hi from llama.' });
  const request = ollamaLike.requests.at(-1)!;
  assert.equal((request.body as { model: string }).model, 'llama3.2');
  const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
  assert.deepEqual(messages[0], { role: 'system', content: 'Be brief.' });
  assert.deepEqual(messages.at(-1), { role: 'user', content: 'Hello there' });
  assert.equal(request.headers.authorization, undefined, 'no key configured, no Authorization header');
});

test('a named profile routes to its own endpoint with the key from its apiKeyEnv', async () => {
  otherEndpoint.enqueue(textStream(['Big answer.']));
  const answer = await textTurn('big-model', 'Question');
  assert.deepEqual(answer, { status: 'completed', text: 'Big answer.' });
  const request = otherEndpoint.requests.at(-1)!;
  assert.equal((request.body as { model: string }).model, 'big');
  assert.equal(request.headers.authorization, 'Bearer sk-big-secret');
  assert.ok(!server.catalog.describe().join('\n').includes('sk-big-secret'), 'the key is not in the engine descriptions');
});
