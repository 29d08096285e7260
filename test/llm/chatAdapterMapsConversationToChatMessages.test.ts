import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingToolResultText, toChatCompletionsBody, toChatMessages } from '../../src/engines/llm/openaiChatMessages.js';
import type { ChatBodyOptions } from '../../src/engines/llm/openaiChatMessages.js';
import { request } from './chatAdapterTestKit.js';

const bodyOptions: ChatBodyOptions = { model: 'm', maxTokensField: 'max_tokens', streamUsage: true, sendTemperature: true, sendParallelToolCalls: true, extraBody: {} };

test('instructions become the system message; user and assistant turns keep their order', () => {
  const messages = toChatMessages('Be brief.', [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'system', content: 'Speak French now.' },
    { role: 'user', content: 'Ça va?' },
  ]);
  assert.deepEqual(messages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'system', content: 'Speak French now.' },
    { role: 'user', content: 'Ça va?' },
  ]);
  assert.deepEqual(toChatMessages('   ', [{ role: 'user', content: 'x' }]), [{ role: 'user', content: 'x' }], 'blank instructions send no system message');
});

test('consecutive tool calls become one assistant message with tool_calls, each followed by its tool result', () => {
  const messages = toChatMessages('', [
    { role: 'user', content: 'Weather in Paris and Rome?' },
    { role: 'tool_call', callId: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
    { role: 'tool_call', callId: 'call_2', name: 'get_weather', arguments: '{"location":"Rome"}' },
    { role: 'tool_result', callId: 'call_1', output: '{"temp":21}' },
    { role: 'tool_result', callId: 'call_2', output: '{"temp":25}' },
  ]);
  assert.deepEqual(messages, [
    { role: 'user', content: 'Weather in Paris and Rome?' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Rome"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
    { role: 'tool', tool_call_id: 'call_2', content: '{"temp":25}' },
  ]);
});

test('assistant text right before a call joins the same assistant message; empty arguments become {}', () => {
  const messages = toChatMessages('', [
    { role: 'user', content: 'Time?' },
    { role: 'assistant', content: 'Let me check.' },
    { role: 'tool_call', callId: 'call_t', name: 'get_time', arguments: '' },
    { role: 'tool_result', callId: 'call_t', output: '12:00' },
  ]);
  assert.deepEqual(messages.slice(1), [
    { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_t', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call_t', content: '12:00' },
  ]);
});

test('a late tool result moves right after its call; an unanswered call gets a placeholder; an orphan result becomes a user note', () => {
  const messages = toChatMessages('', [
    { role: 'tool_call', callId: 'call_a', name: 'lookup', arguments: '{}' },
    { role: 'user', content: 'Never mind, and?' },
    { role: 'tool_result', callId: 'call_a', output: 'late answer' },
    { role: 'tool_call', callId: 'call_b', name: 'lookup', arguments: '{}' },
    { role: 'tool_result', callId: 'call_gone', output: 'answer to a deleted call' },
  ]);
  assert.deepEqual(
    messages.map((m) => [m.role, 'tool_call_id' in m ? m.tool_call_id : null, 'content' in m ? m.content : null]),
    [
      ['assistant', null, null],
      ['tool', 'call_a', 'late answer'],
      ['user', null, 'Never mind, and?'],
      ['assistant', null, null],
      ['tool', 'call_b', missingToolResultText],
      ['user', null, 'Result of tool call call_gone: answer to a deleted call'],
    ],
  );
});

test('body: tools, tool_choice and parallel_tool_calls only with tools; temperature; max tokens field; inf omitted', () => {
  const tool = { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } };
  const withTools = toChatCompletionsBody(request({ tools: [tool, { name: 'ping' }], toolChoice: 'required', parallelToolCalls: false, maxOutputTokens: 150, temperature: 0.7 }), bodyOptions);
  assert.equal(withTools.model, 'm');
  assert.equal(withTools.stream, true);
  assert.deepEqual(withTools.stream_options, { include_usage: true });
  assert.equal(withTools.temperature, 0.7);
  assert.equal(withTools.max_tokens, 150);
  assert.equal('max_completion_tokens' in withTools, false);
  assert.deepEqual(withTools.tools, [
    { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: tool.parameters } },
    { type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } },
  ]);
  assert.equal(withTools.tool_choice, 'required');
  assert.equal(withTools.parallel_tool_calls, false);

  const named = toChatCompletionsBody(request({ tools: [tool], toolChoice: { type: 'function', name: 'get_weather' }, maxOutputTokens: 99 }), { ...bodyOptions, maxTokensField: 'max_completion_tokens' });
  assert.deepEqual(named.tool_choice, { type: 'function', function: { name: 'get_weather' } });
  assert.equal(named.max_completion_tokens, 99);
  assert.equal('max_tokens' in named, false);
  for (const choice of ['auto', 'none'] as const) assert.equal(toChatCompletionsBody(request({ tools: [tool], toolChoice: choice }), bodyOptions).tool_choice, choice);

  const plain = toChatCompletionsBody(request({ maxOutputTokens: 'inf', parallelToolCalls: true }), bodyOptions);
  for (const key of ['tools', 'tool_choice', 'parallel_tool_calls', 'max_tokens', 'max_completion_tokens']) assert.equal(key in plain, false, `${key} is not sent`);
});

test('body: extra fields are passed through but cannot override the adapter-owned ones', () => {
  const body = toChatCompletionsBody(request(), { ...bodyOptions, extraBody: { top_p: 0.9, chat_template_kwargs: { enable_thinking: false }, stream: false, model: 'other' } });
  assert.equal(body.top_p, 0.9);
  assert.deepEqual(body.chat_template_kwargs, { enable_thinking: false });
  assert.equal(body.stream, true);
  assert.equal(body.model, 'm');
});
