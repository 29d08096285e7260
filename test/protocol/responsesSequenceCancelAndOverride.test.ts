import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
before(async () => {
  // A slow scripted LLM (40 ms per word) so responses are still running when we poke them.
  server = await startTestServer({ scriptedWordDelayMs: 40 });
});
after(async () => {
  await server.close();
});

type Response = { id: string; status: string; status_details: Record<string, unknown> | null; output: { id: string; type: string; status: string; content?: { text?: string }[] }[]; conversation_id: string | null; metadata: unknown; usage: Record<string, unknown> | null; modalities: string[] };

async function textSession(): Promise<RawClient> {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  const next = client.next('session.updated');
  client.send({ type: 'session.update', session: { modalities: ['text'] } });
  await next;
  return client;
}

function say(client: RawClient, text: string): Promise<unknown> {
  const next = client.next('conversation.item.created');
  client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
  return next;
}

test('a second response.create while one runs is refused, never fatal, and the first completes', async () => {
  const client = await textSession();
  await say(client, 'Please tell me a long story about the sea and the ships on it');
  const done = client.next('response.done', 10_000);
  client.send({ type: 'response.create' });
  await client.waitFor('response.created');
  const error = client.next('error');
  client.send({ type: 'response.create', event_id: 'evt_second' });
  const body = (await error).error as { code: string; event_id: string };
  assert.equal(body.code, 'conversation_already_has_active_response');
  assert.equal(body.event_id, 'evt_second');
  assert.equal(((await done).response as Response).status, 'completed');
  assert.equal(client.types().filter((t) => t === 'response.created').length, 1);
  await client.close();
});

test('response.cancel ends the response as cancelled with items marked incomplete, and usage complete', async () => {
  const client = await textSession();
  await say(client, 'Please tell me a long story about the sea and the ships on it');
  client.send({ type: 'response.create' });
  await client.waitFor('response.text.delta', 5000);
  const done = client.next('response.done');
  client.send({ type: 'response.cancel' });
  const response = (await done).response as Response;
  assert.equal(response.status, 'cancelled');
  assert.deepEqual(response.status_details, { type: 'cancelled', reason: 'client_cancelled' });
  assert.equal(response.output[0]!.status, 'incomplete');
  const usage = response.usage as { input_token_details: { cached_tokens_details: unknown }; output_token_details: unknown };
  assert.ok(usage.input_token_details.cached_tokens_details && usage.output_token_details);
  // The order of the closing events: text.done, content_part.done, output_item.done, response.done.
  const tail = client.types().filter((t) => !t.endsWith('.delta')).slice(-4);
  assert.deepEqual(tail, ['response.text.done', 'response.content_part.done', 'response.output_item.done', 'response.done']);
  // Nothing is running now: cancelling again is an error.
  const err = client.next('error');
  client.send({ type: 'response.cancel' });
  assert.equal(((await err).error as { code: string }).code, 'response_cancel_not_active');
  await client.close();
});

test('per-response overrides: out-of-band with its own input, metadata, max output tokens', async () => {
  const client = await textSession();
  await say(client, 'hello there');
  const oob = client.next('response.done');
  client.send({
    type: 'response.create',
    response: {
      conversation: 'none',
      metadata: { topic: 'classification' },
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Summarize this call' }] }],
    },
  });
  const oobResponse = (await oob).response as Response;
  assert.equal(oobResponse.conversation_id, null);
  assert.deepEqual(oobResponse.metadata, { topic: 'classification' });
  assert.equal(oobResponse.output[0]!.content![0]!.text, 'You said: Summarize this call.');
  assert.ok(!client.events.some((e) => e.type === 'conversation.item.created' && (e.item as { id: string }).id === oobResponse.output[0]!.id), 'out-of-band output stays out of the conversation');

  const limited = client.next('response.done');
  client.send({ type: 'response.create', response: { max_output_tokens: 2 } });
  const limitedResponse = (await limited).response as Response;
  assert.equal(limitedResponse.status, 'incomplete');
  assert.deepEqual(limitedResponse.status_details, { type: 'incomplete', reason: 'max_output_tokens' });
  assert.ok(limitedResponse.conversation_id?.startsWith('conv_'));
  await client.close();
});

test('an audio response without a TTS engine says so with a warning and answers in text', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  await say(client, 'hi');
  const done = client.next('response.done');
  client.send({ type: 'response.create' });
  const warning = await client.waitFor('warning');
  assert.equal((warning.warning as { code: string }).code, 'modality_not_available');
  const response = (await done).response as Response;
  assert.equal(response.status, 'completed');
  assert.deepEqual(response.modalities, ['text']);
  assert.ok(!client.types().includes('response.audio.delta'), 'never a fake audio stream');
  await client.close();
});

test('an out-of-band response may run beside a conversation response', async () => {
  const client = await textSession();
  await say(client, 'Please tell me a long story about the sea and the ships on it');
  client.send({ type: 'response.create' });
  await client.waitFor('response.created');
  client.send({ type: 'response.create', response: { conversation: 'none', input: [] } });
  await client.waitFor((e) => e.type === 'response.done' && (e.response as Response).conversation_id === null, 10_000);
  await client.waitFor((e) => e.type === 'response.done' && (e.response as Response).conversation_id !== null, 10_000);
  assert.ok(!client.events.some((e) => e.type === 'error'));
  await client.close();
});
