import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chunk, FakeOpenAiChatServer, toolCallDelta, toolCallStream } from '../helpers/fakeOpenAiChatServer.js';
import type { StreamStep } from '../helpers/fakeOpenAiChatServer.js';
import { callsOf, collect, engineFor, request } from './chatAdapterTestKit.js';

let fake: FakeOpenAiChatServer;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
});
after(async () => {
  await fake.close();
});

const weather = { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } };
const withTools = () => request({ tools: [weather], messages: [{ role: 'user', content: 'Weather in Paris?' }] });
const stream = (...steps: StreamStep[]) => ({ kind: 'stream' as const, steps: [...steps, { kind: 'done' as const }] });

test('arguments split over many chunks: one tool_call_start, then every piece, finish tool_calls', async () => {
  fake.enqueue(toolCallStream([{ id: 'call_abc', name: 'get_weather', arguments: '{"location":"Paris"}' }], 3));
  const deltas = await collect(engineFor(fake), withTools());
  assert.deepEqual(deltas[0], { type: 'tool_call_start', index: 0, callId: 'call_abc', name: 'get_weather' });
  assert.equal(deltas.filter((d) => d.type === 'tool_call_start').length, 1);
  assert.ok(deltas.filter((d) => d.type === 'tool_call_arguments').length >= 6, 'argument pieces are passed on as they arrive');
  assert.deepEqual(callsOf(deltas), [{ callId: 'call_abc', name: 'get_weather', arguments: '{"location":"Paris"}' }]);
  assert.deepEqual(deltas.at(-1), { type: 'finish', reason: 'tool_calls' });
  const body = fake.requests.at(-1)!.body;
  assert.equal(body.tool_choice, 'auto');
  assert.equal(body.parallel_tool_calls, true);
});

test('id, name and arguments each arriving in separate chunks (name before id, arguments before name)', async () => {
  fake.enqueue(
    stream(
      chunk({ tool_calls: [toolCallDelta({ index: 0, arguments: '{"loc' })] }),
      chunk({ tool_calls: [toolCallDelta({ index: 0, name: 'get_weather' })] }),
      chunk({ tool_calls: [toolCallDelta({ index: 0, id: 'call_late', arguments: 'ation":' })] }),
      chunk({ tool_calls: [toolCallDelta({ index: 0, arguments: '"Oslo"}' })] }),
      chunk({}, 'tool_calls'),
    ),
  );
  const deltas = await collect(engineFor(fake), withTools());
  const [call] = callsOf(deltas);
  assert.equal(call!.name, 'get_weather');
  assert.equal(call!.arguments, '{"location":"Oslo"}', 'arguments that came before the name are not lost');
  assert.match(call!.callId, /^call_/);
});

test('two calls interleaved by index, and a whole call in one chunk', async () => {
  fake.enqueue(
    stream(
      chunk({ tool_calls: [toolCallDelta({ index: 0, id: 'call_p', name: 'get_weather', arguments: '{"location":' })] }),
      chunk({ tool_calls: [toolCallDelta({ index: 1, id: 'call_r', name: 'get_weather', arguments: '{"location":"Rome"}' })] }),
      chunk({ tool_calls: [toolCallDelta({ index: 0, arguments: '"Paris"}' })] }),
      chunk({}, 'tool_calls'),
    ),
  );
  const deltas = await collect(engineFor(fake), withTools());
  assert.deepEqual(callsOf(deltas), [
    { callId: 'call_p', name: 'get_weather', arguments: '{"location":"Paris"}' },
    { callId: 'call_r', name: 'get_weather', arguments: '{"location":"Rome"}' },
  ]);
});

test('chunks without index (continuations carry neither index nor id)', async () => {
  fake.enqueue(
    stream(
      chunk({ tool_calls: [toolCallDelta({ id: 'call_1', name: 'get_weather', arguments: '{"location"' })] }),
      chunk({ tool_calls: [toolCallDelta({ arguments: ':"Lima"}' })] }),
      chunk({ tool_calls: [toolCallDelta({ id: 'call_2', name: 'get_time', arguments: '{}' })] }),
      chunk({}, 'tool_calls'),
    ),
  );
  const deltas = await collect(engineFor(fake), withTools());
  assert.deepEqual(callsOf(deltas), [
    { callId: 'call_1', name: 'get_weather', arguments: '{"location":"Lima"}' },
    { callId: 'call_2', name: 'get_time', arguments: '{}' },
  ]);
});

test('the same id repeated on every chunk (LiteLLM-style) is one call', async () => {
  fake.enqueue(
    stream(
      chunk({ tool_calls: [toolCallDelta({ index: 0, id: 'call_same', name: 'get_weather', arguments: '{"lo' })] }),
      chunk({ tool_calls: [toolCallDelta({ index: 0, id: 'call_same', arguments: 'cation":"Kyiv"}' })] }),
      chunk({}, 'tool_calls'),
    ),
  );
  const deltas = await collect(engineFor(fake), withTools());
  assert.deepEqual(callsOf(deltas), [{ callId: 'call_same', name: 'get_weather', arguments: '{"location":"Kyiv"}' }]);
});

test('every call at index 0 but with distinct ids (Ollama) are separate calls; finish "stop" after calls reads as tool_calls', async () => {
  fake.enqueue(
    stream(
      chunk({ tool_calls: [toolCallDelta({ index: 0, id: 'call_o1', name: 'get_weather', arguments: '{"location":"Paris"}' })] }),
      chunk({ tool_calls: [toolCallDelta({ index: 0, id: 'call_o2', name: 'get_weather', arguments: '{"location":"Rome"}' })] }),
      chunk({}, 'stop'),
    ),
  );
  const deltas = await collect(engineFor(fake), withTools());
  assert.deepEqual(
    callsOf(deltas).map((c) => c.callId),
    ['call_o1', 'call_o2'],
  );
  assert.deepEqual(deltas.at(-1), { type: 'finish', reason: 'tool_calls' });
});

test('a call without any id gets a generated call_ id; arguments sent as a JSON object are serialized', async () => {
  fake.enqueue(stream(chunk({ tool_calls: [{ index: 0, function: { name: 'get_weather', arguments: { location: 'Cairo' } } }] }), chunk({}, 'tool_calls')));
  const [call] = callsOf(await collect(engineFor(fake), withTools()));
  assert.match(call!.callId, /^call_[0-9a-f]{24}$/);
  assert.deepEqual(JSON.parse(call!.arguments), { location: 'Cairo' });
});

test('text before a call streams first, then the call', async () => {
  fake.enqueue(stream(chunk({ content: 'Let me check.' }), chunk({ tool_calls: [toolCallDelta({ index: 0, id: 'call_x', name: 'get_weather', arguments: '{}' })] }), chunk({}, 'tool_calls')));
  const deltas = await collect(engineFor(fake), withTools());
  assert.deepEqual(
    deltas.map((d) => d.type),
    ['text', 'tool_call_start', 'tool_call_arguments', 'finish'],
  );
});
