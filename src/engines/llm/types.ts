/**
 * LLM engine interface. An engine turns a conversation into a stream of deltas (text, tool calls,
 * usage). It must stop promptly and quietly when `signal` aborts (the session cancels responses on
 * barge-in and `response.cancel`).
 */

export interface LlmToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters?: Record<string, unknown>;
}

export type LlmToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

export type LlmMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string }
  | { role: 'tool_call'; callId: string; name: string; arguments: string }
  | { role: 'tool_result'; callId: string; output: string };

export interface LlmRequest {
  /**
   * The realtime session asking. Engines that keep per-session state (e.g. a local model's KV cache)
   * key it by this id and drop it in `releaseSession`.
   */
  sessionId: string;
  /** Session or per-response instructions (system prompt); empty string means none. */
  instructions: string;
  messages: LlmMessage[];
  tools: LlmToolDefinition[];
  toolChoice: LlmToolChoice;
  parallelToolCalls: boolean;
  temperature: number;
  /** Output token limit, or 'inf'. */
  maxOutputTokens: number | 'inf';
}

export type LlmFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export type LlmDelta =
  | { type: 'text'; text: string }
  /** A new tool call begins; `index` identifies it in later argument deltas. */
  | { type: 'tool_call_start'; index: number; callId: string; name: string }
  | { type: 'tool_call_arguments'; index: number; delta: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number; cachedInputTokens?: number }
  | { type: 'finish'; reason: LlmFinishReason };

export interface LlmCapabilities {
  tools: boolean;
  parallelToolCalls: boolean;
  /** True when usage numbers are real token counts (not estimates). */
  exactUsage: boolean;
}

export interface LlmEngine {
  /** Engine id as used in configuration and logs, e.g. "scripted". */
  readonly name: string;
  /** Human description for the startup log. */
  readonly description: string;
  readonly capabilities: LlmCapabilities;
  generate(request: LlmRequest, signal: AbortSignal): AsyncIterable<LlmDelta>;
  /** The session ended: release anything kept for it. */
  releaseSession?(sessionId: string): void;
  close?(): Promise<void>;
}

/** A failure an engine reports (endpoint down, malformed output, ...). Surfaces as a failed response. */
export class LlmEngineError extends Error {
  constructor(
    message: string,
    readonly code: string = 'llm_error',
  ) {
    super(message);
    this.name = 'LlmEngineError';
  }
}
