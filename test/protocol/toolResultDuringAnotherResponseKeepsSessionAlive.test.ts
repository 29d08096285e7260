import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
before(async () => {
  // Slow word pacing keeps the second response running while the tool result arrives.
  server = await startTestServer({ scriptedWordDelayMs: 60 });
});
after(async () => {
  await server.close();
});

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

function userText(text: string) {
  return { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } };
}

test('a tool result and response.create arriving while another response runs: typed error, the session lives, the answer follows', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  client.send({ type: 'session.update', session: { modalities: ['text'], tools: [weatherTool] } });
  await client.waitFor('session.updated');

  client.send(userText('What is the weather in Oslo?'));
  client.send({ type: 'response.create' });
  const args = await client.waitFor('response.function_call_arguments.done', 10_000);
  await client.waitFor('response.done', 10_000);

  // The user says something else; a long answer starts streaming.
  client.send(userText('Tell me a long story about the sea and the ships and the harbour at night.'));
  const busyStart = client.events.length;
  client.send({ type: 'response.create' });
  await client.waitFor('response.text.delta', 10_000, busyStart);

  // Meanwhile the tool result comes back and the app asks for the answer.
  client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output: '{"temperature_c":3}' } });
  client.send({ type: 'response.create', event_id: 'evt_too_early' });
  const refusal = await client.waitFor('error', 10_000, busyStart);
  const error = refusal.error as { code: string; event_id: string | null };
  assert.equal(error.code, 'conversation_already_has_active_response');
  assert.equal(error.event_id, 'evt_too_early');

  // The running response finishes normally; the tool output is in the conversation.
  const busyDone = (await client.waitFor('response.done', 20_000, busyStart)).response as { status: string };
  assert.equal(busyDone.status, 'completed');
  const outputCreated = client.events.slice(busyStart).find((e) => e.type === 'conversation.item.created' && (e.item as { type: string }).type === 'function_call_output');
  assert.ok(outputCreated, 'the function_call_output item was added while the other response ran');

  // Asking again now answers from the tool result.
  const answerStart = client.events.length;
  client.send({ type: 'response.create' });
  const answer = (await client.waitFor('response.done', 20_000, answerStart)).response as { status: string; output: { content: { text: string }[] }[] };
  assert.equal(answer.status, 'completed');
  assert.match(answer.output[0]!.content[0]!.text, /temperature c 3/);
  assert.equal(client.closeInfo, null, 'the connection stayed open');
  await client.close();
});
