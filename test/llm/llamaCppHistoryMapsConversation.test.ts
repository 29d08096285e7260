import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toChatFunctions, toChatHistory } from '../../src/engines/llm/llamaCppHistory.js';
import type { LlmMessage } from '../../src/engines/llm/types.js';

test('instructions, user turns and assistant text become system/user/model items ending with an open model turn', () => {
  const messages: LlmMessage[] = [
    { role: 'user', content: 'Hi' },
    { role: 'user', content: 'Are you there?' },
    { role: 'assistant', content: 'Yes.' },
    { role: 'system', content: 'Be terse.' },
    { role: 'user', content: 'Weather?' },
  ];
  assert.deepEqual(toChatHistory({ instructions: 'You help.', messages }), [
    { type: 'system', text: 'You help.' },
    { type: 'user', text: 'Hi\nAre you there?' },
    { type: 'model', response: ['Yes.'] },
    { type: 'system', text: 'Be terse.' },
    { type: 'user', text: 'Weather?' },
    { type: 'model', response: [] },
  ]);
  assert.deepEqual(toChatHistory({ instructions: '  ', messages: [] }), [{ type: 'model', response: [] }]);
});

test('tool calls join the model turn with their results; the model continues after the last result', () => {
  const messages: LlmMessage[] = [
    { role: 'user', content: 'Weather in Paris and Rome?' },
    { role: 'assistant', content: 'Checking.' },
    { role: 'tool_call', callId: 'c1', name: 'get_weather', arguments: '{"location":"Paris"}' },
    { role: 'tool_call', callId: 'c2', name: 'get_weather', arguments: '{"location":"Rome"}' },
    { role: 'tool_result', callId: 'c2', output: 'rainy' },
    { role: 'tool_result', callId: 'c1', output: '{"temperature_c":21}' },
  ];
  assert.deepEqual(toChatHistory({ instructions: '', messages }), [
    { type: 'user', text: 'Weather in Paris and Rome?' },
    {
      type: 'model',
      response: [
        'Checking.',
        { type: 'functionCall', name: 'get_weather', params: { location: 'Paris' }, result: { temperature_c: 21 } },
        { type: 'functionCall', name: 'get_weather', params: { location: 'Rome' }, result: 'rainy' },
      ],
    },
  ]);
});

test('a call without a result gets null; a result without its call is shown as user text', () => {
  const history = toChatHistory({
    instructions: '',
    messages: [
      { role: 'tool_call', callId: 'c1', name: 'lookup', arguments: 'not json' },
      { role: 'tool_result', callId: 'gone', output: '42' },
    ],
  });
  assert.deepEqual(history, [
    { type: 'model', response: [{ type: 'functionCall', name: 'lookup', params: 'not json', result: null }] },
    { type: 'user', text: 'Result of tool call gone: 42' },
    { type: 'model', response: [] },
  ]);
});

test('tool_choice maps to offered functions and whether a call is forced', () => {
  const tools = [
    { name: 'a', description: 'A', parameters: { type: 'object', properties: { x: { type: 'number' } } } },
    { name: 'b' },
  ];
  assert.deepEqual(toChatFunctions(tools, 'none'), { functions: undefined, forced: false });
  assert.deepEqual(toChatFunctions([], 'required'), { functions: undefined, forced: false });
  assert.deepEqual(Object.keys(toChatFunctions(tools, 'auto').functions!), ['a', 'b']);
  assert.equal(toChatFunctions(tools, 'auto').forced, false);
  assert.equal(toChatFunctions(tools, 'required').forced, true);
  const named = toChatFunctions(tools, { type: 'function', name: 'a' });
  assert.deepEqual(named, { functions: { a: { description: 'A', params: tools[0]!.parameters } }, forced: true });
  assert.throws(() => toChatFunctions(tools, { type: 'function', name: 'c' }), { name: 'LlmEngineError', code: 'tool_not_found' });
});
