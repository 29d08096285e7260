import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenAiChatLlmEngine } from '../../src/engines/llm/openaiChat.js';
import { chunk, FakeOpenAiChatServer, textStream, toolCallDelta, usageChunk } from '../helpers/fakeOpenAiChatServer.js';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';

const weatherTool = { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } };

test('two tool calls in one response (interleaved by the model) become two function_call items, answered together', async () => {
  const fake = await FakeOpenAiChatServer.start();
  fake.enqueue(
    {
      kind: 'stream',
      steps: [
        chunk({ role: 'assistant', content: null }),
        chunk({ tool_calls: [toolCallDelta({ index: 0, id: 'call_paris', name: 'get_weather', arguments: '{"loca' })] }),
        chunk({ tool_calls: [toolCallDelta({ index: 1, id: 'call_rome', name: 'get_weather', arguments: '{"location":' })] }),
        chunk({ tool_calls: [toolCallDelta({ index: 0, arguments: 'tion":"Paris"}' })] }),
        chunk({ tool_calls: [toolCallDelta({ index: 1, arguments: '"Rome"}' })] }),
        chunk({}, 'tool_calls'),
        usageChunk(50, 20),
        { kind: 'done' },
      ],
    },
    textStream(['Paris 21, Rome 25.'], { usage: [90, 6, 64] }),
  );
  const llm = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'fake-model', maxRetries: 0 });
  const server = await startTestServer({}, { engines: { llm, tts: null, asr: null, vad: null, unavailable: {} } });
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  try {
    await client.waitFor('session.created');
    client.send({ type: 'session.update', session: { modalities: ['text'], tools: [weatherTool], tool_choice: 'auto' } });
    await client.waitFor('session.updated');
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris and Rome?' }] } });
    await client.waitFor('conversation.item.created');
    const start = client.events.length;
    client.send({ type: 'response.create' });
    const done = await client.waitFor('response.done', 5000, start);
    const events = client.events.slice(start);

    const added = events.filter((e) => e.type === 'response.output_item.added') as unknown as { output_index: number; item: { id: string; type: string; call_id: string } }[];
    assert.deepEqual(
      added.map((e) => [e.output_index, e.item.type, e.item.call_id]),
      [
        [0, 'function_call', 'call_paris'],
        [1, 'function_call', 'call_rome'],
      ],
    );
    const argsOf = (callId: string) =>
      events
        .filter((e) => e.type === 'response.function_call_arguments.delta' && e.call_id === callId)
        .map((e) => e.delta)
        .join('');
    assert.equal(argsOf('call_paris'), '{"location":"Paris"}');
    assert.equal(argsOf('call_rome'), '{"location":"Rome"}');
    const argsDone = events.filter((e) => e.type === 'response.function_call_arguments.done') as unknown as { call_id: string; output_index: number; arguments: string }[];
    assert.deepEqual(
      argsDone.map((e) => [e.call_id, e.output_index, JSON.parse(e.arguments)]),
      [
        ['call_paris', 0, { location: 'Paris' }],
        ['call_rome', 1, { location: 'Rome' }],
      ],
    );
    const response = (done as unknown as { response: { status: string; output: { type: string; call_id: string; status: string }[]; usage: { input_tokens: number; output_tokens: number } } }).response;
    assert.equal(response.status, 'completed');
    assert.deepEqual(
      response.output.map((o) => [o.type, o.call_id, o.status]),
      [
        ['function_call', 'call_paris', 'completed'],
        ['function_call', 'call_rome', 'completed'],
      ],
    );
    assert.equal(response.usage.input_tokens, 50, 'usage comes from the endpoint');
    assert.equal(response.usage.output_tokens, 20);

    client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_paris', output: '{"temp":21}' } });
    client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_rome', output: '{"temp":25}' } });
    const answerFrom = client.events.length;
    client.send({ type: 'response.create' });
    const answer = (await client.waitFor('response.done', 5000, answerFrom)) as unknown as {
      response: { status: string; output: { content: { text: string }[] }[]; usage: { input_token_details: { cached_tokens: number } } };
    };
    assert.equal(answer.response.status, 'completed');
    assert.equal(answer.response.output[0]!.content[0]!.text, 'Paris 21, Rome 25.');
    assert.equal(answer.response.usage.input_token_details.cached_tokens, 64);

    const sent = fake.requests[1]!.body.messages as Record<string, unknown>[];
    assert.deepEqual(sent.slice(-3), [
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_paris', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
          { id: 'call_rome', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_paris', content: '{"temp":21}' },
      { role: 'tool', tool_call_id: 'call_rome', content: '{"temp":25}' },
    ]);
    assert.equal(fake.requests[0]!.body.parallel_tool_calls, true);
  } finally {
    await client.close();
    await server.close();
    await fake.close();
  }
});
