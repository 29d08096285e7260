/**
 * A function call round trip through the client against voicelive's scripted LLM (spec §8.4):
 * the model calls get_weather with the city, the app answers with a function_call_output item and
 * asks for a response, and the model reports the result.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect } from '../../src/client/index.js';
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
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

test('the model calls get_weather, the app returns the result, the model answers with it', async () => {
  await using connection = await connect({ endpoint: server.httpUrl, credential: 'any', model: 'gpt-4o' });
  connection.session.update({ session: { modalities: ['text'], tools: [weatherTool], tool_choice: 'auto' } });
  await connection.waitFor('session.updated');
  connection.conversation.item.create({ item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: "What's the weather in Lisbon today?" }] } });
  connection.response.create();

  // The app's loop: run the tool when the model asks, then ask for the answer.
  let call: { call_id: string; name: string; arguments: string; item_id: string } | null = null;
  let argumentDeltas = '';
  let answer = '';
  let responses = 0;
  for await (const event of connection) {
    switch (event.type) {
      case 'response.function_call_arguments.delta':
        argumentDeltas += event.delta;
        break;
      case 'response.function_call_arguments.done':
        call = { call_id: event.call_id, name: event.name, arguments: event.arguments, item_id: event.item_id };
        break;
      case 'response.text.delta':
        answer += event.delta;
        break;
      case 'error':
        assert.fail(`server error: ${event.error.message}`);
        break;
      case 'response.done':
        responses++;
        if (responses === 1) {
          assert.equal(event.response.status, 'completed');
          assert.ok(call, 'the first response is a function call');
          assert.equal(event.response.output[0]!.type, 'function_call');
          const created = connection.waitFor('conversation.item.created', { predicate: (e) => e.item.type === 'function_call_output' });
          connection.conversation.item.create({
            item: { type: 'function_call_output', call_id: call.call_id, output: JSON.stringify({ temperature_c: 24, condition: 'clear' }) },
          });
          assert.equal((await created).previous_item_id, call.item_id);
          connection.response.create();
        }
        break;
      default:
        break;
    }
    if (responses === 2) break;
  }
  assert.ok(call);
  assert.equal(call.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.arguments), { location: 'Lisbon' });
  assert.equal(argumentDeltas, call.arguments, 'the deltas add up to the arguments');
  assert.equal(answer, 'Here is what get weather returned: temperature c 24, condition clear.');
});
