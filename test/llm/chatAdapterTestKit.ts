/** Shared pieces for the chat adapter tests: a request builder, delta collection and error capture. */
import { OpenAiChatLlmEngine } from '../../src/engines/llm/openaiChat.js';
import type { OpenAiChatOptions } from '../../src/engines/llm/openaiChat.js';
import type { LlmDelta, LlmRequest } from '../../src/engines/llm/types.js';
import { LlmEngineError } from '../../src/engines/llm/types.js';
import type { FakeOpenAiChatServer } from '../helpers/fakeOpenAiChatServer.js';

/** A key that must never show up in any error message. */
export const secretKey = 'sk-test-SECRET-0123456789abcdef';

export function request(overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    sessionId: 'sess_test',
    instructions: 'Be brief.',
    messages: [{ role: 'user', content: 'Hi there' }],
    tools: [],
    toolChoice: 'auto',
    parallelToolCalls: true,
    temperature: 0.8,
    maxOutputTokens: 'inf',
    ...overrides,
  };
}

export function engineFor(fake: FakeOpenAiChatServer, options: Partial<OpenAiChatOptions> = {}): OpenAiChatLlmEngine {
  return new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey: secretKey, maxRetries: 0, ...options });
}

export async function collect(engine: OpenAiChatLlmEngine, req: LlmRequest = request(), signal: AbortSignal = new AbortController().signal): Promise<LlmDelta[]> {
  const deltas: LlmDelta[] = [];
  for await (const delta of engine.generate(req, signal)) deltas.push(delta);
  return deltas;
}

export function textOf(deltas: LlmDelta[]): string {
  return deltas.map((d) => (d.type === 'text' ? d.text : '')).join('');
}

/** Runs a generation that must fail; returns the LlmEngineError (anything else fails the test). */
export async function failureOf(engine: OpenAiChatLlmEngine, req: LlmRequest = request()): Promise<LlmEngineError> {
  try {
    await collect(engine, req);
  } catch (error) {
    if (error instanceof LlmEngineError) return error;
    throw new Error(`expected an LlmEngineError, got ${String(error)}`);
  }
  throw new Error('expected the generation to fail');
}

/** Tool calls as the session would assemble them from the deltas. */
export function callsOf(deltas: LlmDelta[]): { callId: string; name: string; arguments: string }[] {
  const calls = new Map<number, { callId: string; name: string; arguments: string }>();
  for (const d of deltas) {
    if (d.type === 'tool_call_start') {
      if (calls.has(d.index)) throw new Error(`tool_call_start twice for index ${d.index}`);
      calls.set(d.index, { callId: d.callId, name: d.name, arguments: '' });
    } else if (d.type === 'tool_call_arguments') {
      const call = calls.get(d.index);
      if (!call) throw new Error(`arguments before tool_call_start for index ${d.index}`);
      call.arguments += d.delta;
    }
  }
  return [...calls.values()];
}
