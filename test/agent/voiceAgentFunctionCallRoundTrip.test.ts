/**
 * A function call through the agent against the real server (scripted LLM): asking about the
 * weather "in Paris" yields a `function_call` event for `get_weather` with parsed arguments; the
 * result sent with `sendToolResult` right away (while the calling response is still finishing) is
 * held until that response is done, then answered in a new response that reports it, with no
 * `conversation_already_has_active_response` error on the way.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { VoiceAgentEvent } from '../../src/agent/index.js';
import { createVoiceAgent } from '../../src/agent/index.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('get_weather: function_call event → sendToolResult → the answer reports the result', { timeout: 20_000 }, async () => {
  const agent = createVoiceAgent({
    endpoint: server.httpUrl,
    credential: 'local',
    model: 'gpt-realtime',
    modalities: ['text'],
    tools: [
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
      },
    ],
    toolChoice: 'auto',
  });
  const events: VoiceAgentEvent[] = [];
  agent.on('*', (event) => events.push(event));
  agent.on('function_call', (call) => {
    if (call.name === 'get_weather') agent.sendToolResult(call.callId, { temperature_c: 21, condition: 'sunny' });
  });
  try {
    await agent.connect();
    assert.equal(agent.session?.tools[0]?.name, 'get_weather', 'the session has the tool');
    const answered = agent.waitFor('text', { predicate: (e) => e.isFinal, timeoutMs: 10_000 });
    agent.sendText("What's the weather in Paris today?");
    const answer = await answered;
    assert.equal(answer.text, 'Here is what get weather returned: temperature c 21, condition sunny.');
    const secondMetrics = await agent.waitFor('metrics', { predicate: (e) => e.metrics.responseId === answer.responseId, timeoutMs: 5000 });

    const calls = events.filter((e) => e.type === 'function_call');
    assert.equal(calls.length, 1);
    const call = calls[0]!;
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.parsedArguments, { location: 'Paris' });
    assert.equal(JSON.parse(call.arguments).location, 'Paris');
    assert.match(call.callId, /\S/);

    // Order: call → first response done (completed) → its metrics → the answer's text → its done → metrics.
    const types = events.map((e) => e.type);
    const firstDone = events.findIndex((e) => e.type === 'response_done' && e.responseId === call.responseId);
    const answerText = events.indexOf(answer);
    assert.ok(events.indexOf(call) < firstDone && firstDone < answerText, `order: ${types.join(', ')}`);
    const firstDoneEvent = events[firstDone];
    assert.equal(firstDoneEvent?.type === 'response_done' && firstDoneEvent.status, 'completed');
    assert.notEqual(answer.responseId, call.responseId);
    assert.equal(secondMetrics.metrics.trigger, 'app_request');
    assert.equal(secondMetrics.metrics.status, 'completed');
    assert.ok((secondMetrics.metrics.timeToFirstTextMs ?? -1) >= 0);
    assert.deepEqual(events.filter((e) => e.type === 'error'), [], 'no errors (the response.create waited for the first response)');
  } finally {
    await agent.close();
  }
});
