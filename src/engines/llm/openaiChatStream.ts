/**
 * Turns parsed chat-completion chunks (`chat.completion.chunk`, or one whole non-streamed
 * `chat.completion`) into `LlmDelta`s, tolerating what real OpenAI-compatible servers send:
 *  - role-only first chunks, chunks with empty `choices` (Azure's prompt filter results, the usage
 *    chunk), `usage: null` on every chunk or usage on every chunk (the last one counts);
 *  - reasoning: `reasoning_content` / `reasoning` / `reasoning_details` fields are ignored, and
 *    `<think>…</think>` blocks inside `content` are removed (see ThinkTagFilter), so reasoning is
 *    never spoken;
 *  - tool calls whose id, name and arguments arrive split over many chunks (by `index`), a whole
 *    call in one chunk, chunks without `index`, the same `id` repeated on every chunk, every call at
 *    index 0 but with distinct ids (Ollama), a missing id (one is generated), arguments sent as a
 *    JSON object instead of a string;
 *  - content given as an array of parts (text parts are spoken, others ignored), and `refusal` text.
 * Deltas are emitted as early as possible: `tool_call_start` once the call's name is known (once per
 * call), then its argument pieces. Usage and the finish reason are emitted by `end()`.
 */
import { randomBytes } from 'node:crypto';
import { ThinkTagFilter } from './thinkTagFilter.js';
import type { LlmDelta, LlmFinishReason } from './types.js';

type Json = Record<string, unknown>;

interface CallState {
  /** Our index (0, 1, …) used in the deltas. */
  index: number;
  serverIndex: number | null;
  /** The id the server gave (null until it gives one). */
  serverId: string | null;
  /** The id emitted in tool_call_start (the server's, or generated when it had none by then). */
  callId: string | null;
  name: string;
  started: boolean;
  /** Arguments that arrived before the name. */
  heldArguments: string;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function generatedCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

export function mapFinishReason(reason: string, hadToolCalls: boolean): LlmFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    default:
      // 'stop', 'eos', 'end_turn', …; servers that answer a call with 'stop' (older Ollama) still made a call.
      return hadToolCalls ? 'tool_calls' : 'stop';
  }
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isObject(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
  }
  return '';
}

export class ChatStreamDecoder {
  private readonly think = new ThinkTagFilter();
  private readonly calls: CallState[] = [];
  private finishReason: string | null = null;
  private usage: ChatUsage | null = null;
  /** True once the server produced anything generated (text, reasoning, a tool call or a finish). */
  sawOutput = false;

  get finished(): boolean {
    return this.finishReason !== null;
  }

  /** One streamed chunk; returns the deltas it completes. */
  chunk(chunk: Json): LlmDelta[] {
    this.takeUsage(chunk.usage);
    const out: LlmDelta[] = [];
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const choice of choices) {
      if (!isObject(choice)) continue;
      if (typeof choice.index === 'number' && choice.index !== 0) continue;
      const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : null;
      if (delta) this.takeDelta(delta, out);
      if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
        this.finishReason = choice.finish_reason;
        this.sawOutput = true;
      }
    }
    return out;
  }

  /** A whole non-streamed `chat.completion` (a server that ignored `stream: true`). */
  completion(completion: Json): LlmDelta[] {
    const choices = Array.isArray(completion.choices) ? completion.choices : [];
    const normalized = choices.map((choice) => {
      if (!isObject(choice) || !isObject(choice.message)) return choice;
      const toolCalls = Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls : [];
      return { ...choice, delta: { ...choice.message, tool_calls: toolCalls.map((c, position) => (isObject(c) ? { index: position, ...c } : c)) } };
    });
    return this.chunk({ ...completion, choices: normalized });
  }

  /** The stream is over: held-back text, calls still waiting for a name (dropped), usage, finish. */
  end(): LlmDelta[] {
    const out: LlmDelta[] = [];
    const rest = this.think.flush();
    if (rest) out.push({ type: 'text', text: rest });
    if (this.usage) out.push({ type: 'usage', ...this.usage });
    const hadToolCalls = this.calls.some((c) => c.started);
    out.push({ type: 'finish', reason: mapFinishReason(this.finishReason ?? 'stop', hadToolCalls) });
    return out;
  }

  private takeUsage(usage: unknown): void {
    if (!isObject(usage)) return;
    const input = usage.prompt_tokens;
    const output = usage.completion_tokens;
    if (typeof input !== 'number' || typeof output !== 'number') return;
    const details = usage.prompt_tokens_details;
    const cached = isObject(details) && typeof details.cached_tokens === 'number' ? details.cached_tokens : undefined;
    this.usage = { inputTokens: input, outputTokens: output, ...(cached !== undefined ? { cachedInputTokens: cached } : {}) };
  }

  private takeDelta(delta: Json, out: LlmDelta[]): void {
    for (const field of ['reasoning_content', 'reasoning', 'reasoning_details']) {
      const value = delta[field];
      if ((typeof value === 'string' && value.length > 0) || (Array.isArray(value) && value.length > 0)) this.sawOutput = true;
    }
    const text = contentText(delta.content) + (typeof delta.refusal === 'string' ? delta.refusal : '');
    if (text.length > 0) {
      this.sawOutput = true;
      const spoken = this.think.push(text);
      if (spoken.length > 0) out.push({ type: 'text', text: spoken });
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) if (isObject(call)) this.takeToolCall(call, out);
    }
  }

  private takeToolCall(delta: Json, out: LlmDelta[]): void {
    this.sawOutput = true;
    const id = typeof delta.id === 'string' && delta.id.length > 0 ? delta.id : null;
    const serverIndex = typeof delta.index === 'number' ? delta.index : null;
    const fn = isObject(delta.function) ? delta.function : {};
    const name = typeof fn.name === 'string' ? fn.name : '';
    const args = typeof fn.arguments === 'string' ? fn.arguments : fn.arguments !== undefined && fn.arguments !== null ? JSON.stringify(fn.arguments) : '';

    // Same id: same call (servers that repeat the id on every chunk).
    let call = id ? this.calls.find((c) => c.serverId === id) : undefined;
    if (!call && serverIndex !== null) {
      const atIndex = this.calls.findLast((c) => c.serverIndex === serverIndex);
      // A different id at an index already used is a new call (Ollama puts every call at index 0).
      if (atIndex && !(id && atIndex.serverId && atIndex.serverId !== id)) call = atIndex;
    }
    if (!call && serverIndex === null && !id) {
      // No index, no id: a continuation of the last call, unless it names a new function.
      const last = this.calls.at(-1);
      if (last && !(name && last.started)) call = last;
    }
    if (!call) {
      call = { index: this.calls.length, serverIndex, serverId: id, callId: null, name: '', started: false, heldArguments: '' };
      this.calls.push(call);
    }
    if (!call.serverId && id) call.serverId = id;
    if (!call.name && name) call.name = name;
    if (!call.started) {
      call.heldArguments += args;
      if (!call.name) return;
      call.started = true;
      call.callId = call.serverId ?? generatedCallId();
      out.push({ type: 'tool_call_start', index: call.index, callId: call.callId, name: call.name });
      if (call.heldArguments) out.push({ type: 'tool_call_arguments', index: call.index, delta: call.heldArguments });
      call.heldArguments = '';
      return;
    }
    if (args) out.push({ type: 'tool_call_arguments', index: call.index, delta: args });
  }
}
