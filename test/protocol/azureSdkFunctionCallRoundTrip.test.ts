/**
 * The official @azure/ai-voicelive SDK drives a function-call round trip (spec §8.4) against our
 * server, twice: with the default `scripted` engine, and with the OpenAI-compatible chat adapter
 * pointed at a local fake chat-completions server (which sees the tool result come back).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenAiChatLlmEngine } from '../../src/engines/llm/openaiChat.js';
import { AzureSdkRecorder } from '../helpers/azureSdkRecorder.js';
import type { SdkEvent } from '../helpers/azureSdkRecorder.js';
import { FakeOpenAiChatServer, textStream, toolCallStream } from '../helpers/fakeOpenAiChatServer.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

interface RoundTrip {
  callId: string;
  arguments: string;
  answer: string;
}

async function functionCallRoundTrip(server: TestServer): Promise<RoundTrip> {
  const sdk = await AzureSdkRecorder.connect(server.httpUrl);
  try {
    await sdk.update({ modalities: ['text'], tools: [weatherTool], toolChoice: 'auto' });
    await sdk.session.addConversationItem({ type: 'message', role: 'user', content: [{ type: 'input_text', text: "What's the weather in Paris today?" }] } as never);
    await sdk.waitFor('conversation.item.created');

    const from = sdk.events.length;
    await sdk.send({ type: 'response.create' });
    const done = await sdk.waitFor('response.done', { from });
    const types = sdk.types(from);
    const deltaCount = types.filter((t) => t === 'response.function_call_arguments.delta').length;
    assert.ok(deltaCount >= 1, 'arguments stream as deltas');
    assert.deepEqual(types, [
      'response.created',
      'response.output_item.added',
      'conversation.item.created',
      ...Array<string>(deltaCount).fill('response.function_call_arguments.delta'),
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.done',
    ]);
    const added = sdk.all('response.output_item.added', from)[0] as SdkEvent & { item: { type: string; status: string; name: string; callId: string; arguments: string } };
    assert.equal(added.item.type, 'function_call');
    assert.equal(added.item.status, 'in_progress');
    assert.equal(added.item.name, 'get_weather');
    assert.equal(added.item.arguments, '');
    const argsDone = sdk.all('response.function_call_arguments.done', from)[0] as SdkEvent & { callId: string; name: string; arguments: string; itemId: string };
    assert.equal(argsDone.name, 'get_weather');
    assert.equal(argsDone.callId, added.item.callId);
    const deltas = sdk.all('response.function_call_arguments.delta', from) as (SdkEvent & { callId: string; delta: string })[];
    assert.equal(deltas.map((d) => d.delta).join(''), argsDone.arguments);
    assert.ok(deltas.every((d) => d.callId === argsDone.callId));
    const response = (done as SdkEvent & { response: { status: string; output: { type: string; callId: string; status: string }[] } }).response;
    assert.equal(response.status, 'completed');
    assert.equal(response.output.length, 1);
    assert.equal(response.output[0]!.type, 'function_call');
    assert.equal(response.output[0]!.callId, argsDone.callId);
    assert.equal(response.output[0]!.status, 'completed');

    // The client runs the function and returns its output; no response starts by itself.
    const outputFrom = sdk.events.length;
    await sdk.session.addConversationItem({ type: 'function_call_output', callId: argsDone.callId, output: JSON.stringify({ temperature_c: 21, condition: 'sunny' }) } as never);
    const created = (await sdk.waitFor('conversation.item.created', { from: outputFrom })) as SdkEvent & { previousItemId: string; item: { type: string } };
    assert.equal(created.item.type, 'function_call_output');
    assert.equal(created.previousItemId, argsDone.itemId);
    await sdk.quietFor(100);
    assert.equal(sdk.all('response.created', outputFrom).length, 0, 'no automatic response after a tool result');

    const answerFrom = sdk.events.length;
    await sdk.send({ type: 'response.create' });
    const final = (await sdk.waitFor('response.done', { from: answerFrom })) as SdkEvent & { response: { status: string; output: { type: string; content: { text: string }[] }[] } };
    assert.equal(final.response.status, 'completed');
    assert.equal(final.response.output[0]!.type, 'message');
    assert.equal(sdk.all('error').length, 0, 'no error events');
    return { callId: argsDone.callId, arguments: argsDone.arguments, answer: final.response.output[0]!.content[0]!.text };
  } finally {
    await sdk.close();
  }
}

test('@azure/ai-voicelive SDK: function call round trip with the scripted engine (spec §8.4)', async () => {
  const server = await startTestServer();
  try {
    const result = await functionCallRoundTrip(server);
    assert.deepEqual(JSON.parse(result.arguments), { location: 'Paris' });
    assert.equal(result.answer, 'Here is what get weather returned: temperature c 21, condition sunny.');
  } finally {
    await server.close();
  }
});

test('@azure/ai-voicelive SDK: function call round trip through the OpenAI-compatible chat adapter (spec §8.4)', async () => {
  const fake = await FakeOpenAiChatServer.start();
  fake.handler = (req) => {
    const messages = req.body.messages as { role: string; content?: string }[];
    if (messages.at(-1)?.role === 'tool') return textStream(['It is 21 °C', ' and sunny', ' in Paris.'], { usage: [80, 9] });
    return toolCallStream([{ id: 'call_fake_1', name: 'get_weather', arguments: '{"location":"Paris"}' }], 5);
  };
  const llm = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey: 'sk-e2e', maxRetries: 0 });
  const server = await startTestServer({}, { engines: { llm, tts: null, asr: null, vad: null, unavailable: {} } });
  try {
    const result = await functionCallRoundTrip(server);
    assert.equal(result.callId, 'call_fake_1', 'the model’s call id reaches the client');
    assert.deepEqual(JSON.parse(result.arguments), { location: 'Paris' });
    assert.equal(result.answer, 'It is 21 °C and sunny in Paris.');

    assert.equal(fake.requests.length, 2);
    const first = fake.requests[0]!.body;
    assert.deepEqual(first.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: weatherTool.parameters } }]);
    assert.equal(first.tool_choice, 'auto');
    const second = fake.requests[1]!.body.messages as Record<string, unknown>[];
    assert.deepEqual(second.slice(-3), [
      { role: 'user', content: "What's the weather in Paris today?" },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_fake_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_fake_1', content: '{"temperature_c":21,"condition":"sunny"}' },
    ]);
  } finally {
    await server.close();
    await fake.close();
  }
});
