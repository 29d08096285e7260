/** Shared by the gguf engine tests: requests and delta collection. */
import type { LlmDelta, LlmEngine, LlmRequest } from '../../src/engines/llm/types.js';

export function textRequest(overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    sessionId: 'session-a',
    instructions: 'You are a test.',
    messages: [{ role: 'user', content: 'Hello there, how are you today?' }],
    tools: [],
    toolChoice: 'auto',
    parallelToolCalls: true,
    temperature: 0,
    maxOutputTokens: 16,
    ...overrides,
  };
}

export interface Collected {
  deltas: LlmDelta[];
  text: string;
  textDeltas: number;
  usage: Extract<LlmDelta, { type: 'usage' }> | undefined;
  finish: Extract<LlmDelta, { type: 'finish' }>['reason'] | undefined;
}

export async function collect(engine: LlmEngine, request: LlmRequest, signal: AbortSignal = new AbortController().signal, onDelta?: (delta: LlmDelta, index: number) => void): Promise<Collected> {
  const deltas: LlmDelta[] = [];
  for await (const delta of engine.generate(request, signal)) {
    onDelta?.(delta, deltas.length);
    deltas.push(delta);
  }
  const texts = deltas.filter((d): d is Extract<LlmDelta, { type: 'text' }> => d.type === 'text');
  return {
    deltas,
    text: texts.map((d) => d.text).join(''),
    textDeltas: texts.length,
    usage: deltas.find((d): d is Extract<LlmDelta, { type: 'usage' }> => d.type === 'usage'),
    finish: deltas.find((d): d is Extract<LlmDelta, { type: 'finish' }> => d.type === 'finish')?.reason,
  };
}
