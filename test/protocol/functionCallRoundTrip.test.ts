import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

test('function call round trip with the scripted engine follows spec §8.4', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  client.send({ type: 'session.update', session: { modalities: ['text'], tools: [weatherTool], tool_choice: 'auto' } });
  await client.waitFor('session.updated');
  client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: "What's the weather in Paris today?" }] } });
  await client.waitFor('conversation.item.created');
  const start = client.events.length;
  client.send({ type: 'response.create' });
  const done = await client.waitFor('response.done', 5000, start);
  const types = client.types(start);
  const deltas = types.filter((t) => t === 'response.function_call_arguments.delta').length;
  assert.ok(deltas >= 1);
  assert.deepEqual(types, [
    'response.created',
    'response.output_item.added',
    'conversation.item.created',
    ...Array(deltas).fill('response.function_call_arguments.delta'),
    'response.function_call_arguments.done',
    'response.output_item.done',
    'response.done',
  ]);
  const argsDone = client.events.slice(start).find((e) => e.type === 'response.function_call_arguments.done')!;
  assert.equal(argsDone.name, 'get_weather');
  assert.deepEqual(JSON.parse(argsDone.arguments as string), { location: 'Paris' });
  const callId = argsDone.call_id as string;
  assert.ok(callId.length > 0);
  const output = (done.response as { output: { type: string; call_id: string; status: string }[] }).output;
  assert.equal(output[0]!.type, 'function_call');
  assert.equal(output[0]!.call_id, callId);
  assert.equal(output[0]!.status, 'completed');

  const created = client.next('conversation.item.created');
  client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output: JSON.stringify({ temperature_c: 21, condition: 'sunny' }) } });
  assert.equal((await created).previous_item_id, argsDone.item_id);
  // No automatic response after a tool result.
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(client.types(start).filter((t) => t === 'response.created').length, 1);
  const answer = client.next('response.done');
  client.send({ type: 'response.create' });
  const final = (await answer).response as { output: { content: { text: string }[] }[] };
  assert.equal(final.output[0]!.content[0]!.text, 'Here is what get weather returned: temperature c 21, condition sunny.');
  await client.close();
});

test('when a required argument is missing the scripted engine asks for it instead of calling', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  client.send({ type: 'session.update', session: { modalities: ['text'], tools: [weatherTool] } });
  await client.waitFor('session.updated');
  client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'How is the weather?' }] } });
  client.send({ type: 'response.create' });
  const done = await client.waitFor('response.done');
  const output = (done.response as { output: { type: string; content: { text: string }[] }[] }).output;
  assert.equal(output[0]!.type, 'message');
  assert.match(output[0]!.content[0]!.text, /need the location/);
  await client.close();
});
