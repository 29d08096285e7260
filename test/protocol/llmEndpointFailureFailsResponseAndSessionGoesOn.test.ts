import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiChatLlmEngine } from '../../src/engines/llm/openaiChat.js';
import { chunk, FakeOpenAiChatServer, textStream } from '../helpers/fakeOpenAiChatServer.js';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

const apiKey = 'sk-live-DO-NOT-LEAK-42';
let fake: FakeOpenAiChatServer;
let server: TestServer;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
  const llm = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey, maxRetries: 0, idleTimeoutMs: 300 });
  server = await startTestServer({}, { engines: { llm, tts: null, asr: null, vad: null, unavailable: {} } });
});
after(async () => {
  await server.close();
  await fake.close();
});

type Done = { response: { status: string; status_details: { type: string; error?: { type: string; code: string; message: string } } | null; output: { type: string; status: string; content: { text: string }[] }[] } };

async function textSession(): Promise<RawClient> {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  client.send({ type: 'session.update', session: { modalities: ['text'] } });
  await client.waitFor('session.updated');
  client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello?' }] } });
  await client.waitFor('conversation.item.created');
  return client;
}

test('an endpoint failing with HTTP 500 gives response.done failed + an error event, and the next response works', async () => {
  const client = await textSession();
  fake.enqueue({ kind: 'error', status: 500, body: { error: { message: 'backend exploded' } } });
  const start = client.events.length;
  client.send({ type: 'response.create' });
  const done = (await client.waitFor('response.done', 5000, start)) as unknown as Done;
  assert.equal(done.response.status, 'failed');
  assert.equal(done.response.status_details?.type, 'failed');
  assert.equal(done.response.status_details?.error?.type, 'server_error');
  assert.equal(done.response.status_details?.error?.code, 'llm_server_error');
  assert.match(done.response.status_details!.error!.message, /HTTP 500.*backend exploded/);
  const error = client.events.slice(start).find((e) => e.type === 'error') as unknown as { error: { code: string; message: string } };
  assert.ok(error, 'an error event is sent');
  assert.equal(error.error.code, 'llm_server_error');
  assert.match(error.error.message, new RegExp(`127\\.0\\.0\\.1:${fake.port}`));
  for (const event of client.events) assert.ok(!JSON.stringify(event).includes(apiKey), `the key never reaches the client (${event.type})`);

  fake.enqueue(textStream(['Back', ' again.']));
  const next = client.events.length;
  client.send({ type: 'response.create' });
  const ok = (await client.waitFor('response.done', 5000, next)) as unknown as Done;
  assert.equal(ok.response.status, 'completed');
  assert.equal(ok.response.output[0]!.content[0]!.text, 'Back again.');
  await client.close();
});

test('a disconnect mid-reply fails the response with the partial message incomplete; the session carries on', async () => {
  const client = await textSession();
  fake.enqueue({ kind: 'stream', steps: [chunk({ content: 'Half a' }), { kind: 'delay', ms: 20 }, { kind: 'destroy' }] });
  const start = client.events.length;
  client.send({ type: 'response.create' });
  const done = (await client.waitFor('response.done', 5000, start)) as unknown as Done;
  assert.equal(done.response.status, 'failed');
  assert.equal(done.response.status_details?.error?.code, 'llm_stream_interrupted');
  assert.equal(done.response.output[0]!.status, 'incomplete');
  assert.equal(done.response.output[0]!.content[0]!.text, 'Half a');
  assert.ok(client.events.slice(start).some((e) => e.type === 'error'));

  fake.enqueue({ kind: 'stream', steps: [chunk({ content: 'Slow' }), { kind: 'delay', ms: 2000 }, chunk({ content: ' end' })] });
  const stalledFrom = client.events.length;
  client.send({ type: 'response.create' });
  const stalled = (await client.waitFor('response.done', 5000, stalledFrom)) as unknown as Done;
  assert.equal(stalled.response.status_details?.error?.code, 'llm_stream_stalled');

  fake.enqueue(textStream(['Fine now.']));
  const next = client.events.length;
  client.send({ type: 'response.create' });
  const ok = (await client.waitFor('response.done', 5000, next)) as unknown as Done;
  assert.equal(ok.response.status, 'completed');
  await client.close();
});
