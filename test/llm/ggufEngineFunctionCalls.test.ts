// Function calling through node-llama-cpp on the tiny random GGUF. A random model never chooses to
// call on its own (it would have to write the wrapper's call syntax), so these tests force calls
// with tool_choice "required" or a named tool: the name and JSON arguments are then generated under
// node-llama-cpp's grammar, so their structure is checkable while the values are gibberish.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LlamaCppLlmEngine } from '../../src/engines/llm/llamaCpp.js';
import type { LlmDelta, LlmToolDefinition } from '../../src/engines/llm/types.js';
import { makeTinyGgufModel } from '../helpers/tinyGguf.js';
import { collect, textRequest } from './ggufTestSupport.js';

const model = makeTinyGgufModel();
let engine: LlamaCppLlmEngine;

const tools: LlmToolDefinition[] = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { location: { type: 'string', maxLength: 12 }, unit: { enum: ['c', 'f'] } }, required: ['location', 'unit'] },
  },
  { name: 'get_time', description: 'The current time' },
];

before(async () => {
  engine = await LlamaCppLlmEngine.create({ modelPath: model.path, threads: 1, contextSize: 2048, maxSessions: 2 });
});
after(async () => {
  await engine.close();
  model.remove();
});

function calls(deltas: LlmDelta[]): { callId: string; name: string; arguments: string }[] {
  const byIndex = new Map<number, { callId: string; name: string; arguments: string }>();
  for (const d of deltas) {
    if (d.type === 'tool_call_start') byIndex.set(d.index, { callId: d.callId, name: d.name, arguments: '' });
    if (d.type === 'tool_call_arguments') byIndex.get(d.index)!.arguments += d.delta;
  }
  return [...byIndex.values()];
}

test('tool_choice "required" yields a call with schema-valid JSON arguments and finish "tool_calls"', async () => {
  const result = await collect(engine, textRequest({ sessionId: 'required', tools, toolChoice: 'required', maxOutputTokens: 200 }));
  const made = calls(result.deltas);
  assert.equal(made.length, 1, 'one call (this wrapper has no parallel-call syntax)');
  const call = made[0]!;
  assert.ok(tools.some((t) => t.name === call.name));
  assert.match(call.callId, /^call_/);
  assert.equal(result.text, '', 'no text around a forced call');
  if (call.name === 'get_weather') {
    const args = JSON.parse(call.arguments) as { location: unknown; unit: unknown };
    assert.equal(call.arguments, call.arguments.trim(), 'no whitespace trails the streamed JSON');
    assert.equal(typeof args.location, 'string');
    assert.ok((args.location as string).length <= 12);
    assert.ok(args.unit === 'c' || args.unit === 'f');
  }
  const types = result.deltas.map((d) => d.type);
  assert.equal(types[0], 'tool_call_start');
  assert.ok(types.filter((t) => t === 'tool_call_arguments').length > 1, 'arguments stream in several deltas');
  assert.deepEqual(types.slice(-2), ['usage', 'finish']);
  assert.equal(result.finish, 'tool_calls');
  assert.ok(result.usage!.outputTokens > 5);
});

test('a named tool_choice calls that tool; a tool without parameters gets "{}"', async () => {
  const weather = await collect(engine, textRequest({ sessionId: 'named', tools, toolChoice: { type: 'function', name: 'get_weather' }, maxOutputTokens: 200 }));
  assert.deepEqual(calls(weather.deltas).map((c) => c.name), ['get_weather']);
  assert.deepEqual(Object.keys(JSON.parse(calls(weather.deltas)[0]!.arguments) as object).sort(), ['location', 'unit']);
  const time = await collect(engine, textRequest({ sessionId: 'named', tools, toolChoice: { type: 'function', name: 'get_time' }, maxOutputTokens: 200 }));
  assert.deepEqual(calls(time.deltas).map((c) => [c.name, c.arguments]), [['get_time', '{}']]);
  assert.equal(time.finish, 'tool_calls');
  await assert.rejects(collect(engine, textRequest({ sessionId: 'named', tools, toolChoice: { type: 'function', name: 'nope' } })), { name: 'LlmEngineError', code: 'tool_not_found' });
});

test('with "auto" the tools are documented in the prompt and the model decides; "none" hides them', async () => {
  const auto = await collect(engine, textRequest({ sessionId: 'auto', tools, toolChoice: 'auto', maxOutputTokens: 10 }));
  const none = await collect(engine, textRequest({ sessionId: 'none', tools, toolChoice: 'none', maxOutputTokens: 10 }));
  assert.ok(auto.usage!.inputTokens > none.usage!.inputTokens + 100, `auto ${auto.usage!.inputTokens} vs none ${none.usage!.inputTokens} prompt tokens`);
  assert.deepEqual(calls(none.deltas), []);
  assert.equal(none.finish, 'length');
  // The random model writes text rather than the call syntax; a real model may call here.
  assert.ok(auto.finish === 'length' || auto.finish === 'tool_calls');
});

test('a tool result in the conversation is fed back and the model continues its turn', async () => {
  const first = await collect(engine, textRequest({ sessionId: 'loop', tools, toolChoice: { type: 'function', name: 'get_weather' }, maxOutputTokens: 200 }));
  const call = calls(first.deltas)[0]!;
  const base = textRequest({ sessionId: 'loop', tools, toolChoice: 'none', maxOutputTokens: 12 });
  const withCall = [...base.messages, { role: 'tool_call' as const, callId: call.callId, name: call.name, arguments: call.arguments }];
  const pending = await collect(engine, { ...base, messages: withCall });
  const answered = await collect(engine, { ...base, messages: [...withCall, { role: 'tool_result', callId: call.callId, output: JSON.stringify({ temperature_c: 21, condition: 'sunny and warm' }) }] });
  assert.equal(answered.finish, 'length');
  assert.ok(answered.text.length > 0);
  assert.ok(answered.usage!.inputTokens > pending.usage!.inputTokens + 5, 'the result is part of the prompt');
  assert.ok(answered.usage!.cachedInputTokens! > 0, 'the call itself was already in the session cache');
});

test('with a parallel-call chat wrapper (Qwen) parallelToolCalls decides between one and several calls', async () => {
  const qwen = await LlamaCppLlmEngine.create({ modelPath: model.path, threads: 1, contextSize: 2048, maxSessions: 1, chatWrapper: 'qwen' });
  try {
    assert.equal(qwen.info.chatWrapper, 'Qwen');
    const single = await collect(qwen, textRequest({ tools, toolChoice: 'required', parallelToolCalls: false, maxOutputTokens: 200 }));
    assert.equal(calls(single.deltas).length, 1);
    assert.equal(single.finish, 'tool_calls');
    const several = await collect(qwen, textRequest({ tools, toolChoice: 'required', parallelToolCalls: true, maxOutputTokens: 120 }));
    const made = calls(several.deltas);
    assert.ok(made.length >= 1);
    // Every call that completed before the token limit carries valid JSON; each has its own id.
    const complete = several.finish === 'length' ? made.slice(0, -1) : made;
    for (const call of complete) JSON.parse(call.arguments);
    assert.equal(new Set(made.map((c) => c.callId)).size, made.length);
  } finally {
    await qwen.close();
  }
});
