// A text turn over a raw WebSocket against a real server whose LLM is the gguf engine on a tiny
// GGUF written at test time. Its output layer is wired to say "hello there." and end its turn
// (see test/helpers/tinyGguf.ts), so the turn completes naturally with known text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LlamaCppLlmEngine } from '../../src/engines/llm/llamaCpp.js';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';
import { makeTinyGgufModel } from '../helpers/tinyGguf.js';

const model = makeTinyGgufModel({ reply: { phrase: ['▁hello', '▁there', '.'] } });
let engine: LlamaCppLlmEngine;
let server: TestServer;

before(async () => {
  engine = await LlamaCppLlmEngine.create({ modelPath: model.path, threads: 1, contextSize: 1024, maxSessions: 2 });
  server = await startTestServer({}, { engines: { llm: engine, tts: null, asr: null, vad: null, unavailable: {} } });
});
after(async () => {
  await server.close();
  await engine.close();
  model.remove();
});

interface DoneResponse {
  status: string;
  output: { type: string; content: { type: string; text: string }[] }[];
  usage: { input_tokens: number; output_tokens: number; input_token_details: { cached_tokens: number } };
}

async function say(client: RawClient, text: string): Promise<{ done: DoneResponse; deltas: string[] }> {
  client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
  const start = client.events.length;
  client.send({ type: 'response.create' });
  const done = (await client.waitFor('response.done', 20_000, start)).response as DoneResponse;
  const deltas = client.events.slice(start).filter((e) => e.type === 'response.text.delta' || e.type === 'response.output_text.delta').map((e) => e.delta as string);
  return { done, deltas };
}

test('a text turn completes with the model\'s streamed text and real token usage', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  client.send({ type: 'session.update', session: { modalities: ['text'], instructions: 'You are a test.' } });
  await client.waitFor('session.updated');

  const first = await say(client, 'Hello, who are you?');
  assert.equal(first.done.status, 'completed');
  assert.equal(first.done.output[0]!.type, 'message');
  assert.equal(first.done.output[0]!.content[0]!.text.trim(), 'hello there.');
  assert.ok(first.deltas.length >= 3, `streamed in ${first.deltas.length} deltas`);
  assert.equal(first.deltas.join(''), first.done.output[0]!.content[0]!.text);
  assert.equal(first.done.usage.output_tokens, 4, 'three phrase pieces and </s>');
  assert.ok(first.done.usage.input_tokens > 10);
  assert.equal(first.done.usage.input_token_details.cached_tokens, 0);

  const second = await say(client, 'And again?');
  assert.equal(second.done.status, 'completed');
  assert.ok(second.done.usage.input_tokens > first.done.usage.input_tokens);
  assert.ok(second.done.usage.input_token_details.cached_tokens >= first.done.usage.input_tokens - 1, 'the session reuses its KV cache');
  assert.equal(engine.stats().sessions, 1);

  await client.close();
  const deadline = Date.now() + 2000;
  while (engine.stats().sessions > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(engine.stats().sessions, 0, 'closing the session released its sequence');
});
