/**
 * Request mapping for the OpenAI-compatible chat adapter: an `LlmRequest` becomes the body of a
 * streaming `POST /chat/completions`.
 *
 * Conversation rules (OpenAI rejects histories that break them with HTTP 400, and a realtime
 * conversation can break them: a client may never answer a call, answer it late, or delete the call):
 *  - instructions become the first `system` message;
 *  - consecutive `tool_call` messages become one assistant message with `tool_calls` (joined to the
 *    assistant text right before them, which the model produced in the same turn);
 *  - each call is followed by the `tool` message answering it, wherever the client put the result
 *    (the last one if it answered twice);
 *  - a call with no result anywhere gets a placeholder `tool` message saying so;
 *  - a result whose call is not in the context is passed on as a user note instead of a `tool`
 *    message (a `tool` message without its call is refused by OpenAI-style servers).
 */
import type { LlmMessage, LlmRequest, LlmToolChoice, LlmToolDefinition } from './types.js';

export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/**
 * The output-limit field 'auto' picks: OpenAI and Azure OpenAI need `max_completion_tokens` for their
 * reasoning models; Ollama, LM Studio and older llama.cpp servers only read `max_tokens` (and ignore
 * the newer name, which would leave replies unbounded).
 */
export function autoMaxTokensField(baseUrl: URL, azure: boolean): MaxTokensField {
  return azure || baseUrl.host === 'api.openai.com' || /\.openai\.azure\.com$/.test(baseUrl.hostname) ? 'max_completion_tokens' : 'max_tokens';
}

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type ChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

/** What the server sees when a call was never answered. */
export const missingToolResultText = 'No result was provided for this call.';

export function toChatMessages(instructions: string, messages: LlmMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (instructions.trim().length > 0) out.push({ role: 'system', content: instructions });
  const callIds = new Set(messages.filter((m) => m.role === 'tool_call').map((m) => (m as { callId: string }).callId));
  // The last result for each call (a client may answer twice; the later answer wins).
  const results = new Map<string, string>();
  for (const m of messages) {
    if (m.role === 'tool_result' && callIds.has(m.callId)) results.set(m.callId, m.output);
  }
  const answered = new Set<string>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    switch (m.role) {
      case 'system':
      case 'user':
        out.push({ role: m.role, content: m.content });
        break;
      case 'assistant':
        out.push({ role: 'assistant', content: m.content });
        break;
      case 'tool_call': {
        const group: Extract<LlmMessage, { role: 'tool_call' }>[] = [];
        for (; i < messages.length && messages[i]!.role === 'tool_call'; i++) {
          const call = messages[i] as Extract<LlmMessage, { role: 'tool_call' }>;
          // A repeated call id would leave one of the two unanswered; the first one stands.
          if (!answered.has(call.callId)) group.push(call);
          answered.add(call.callId);
        }
        i--;
        if (group.length === 0) break;
        const toolCalls: ChatToolCall[] = group.map((c) => ({ id: c.callId, type: 'function', function: { name: c.name, arguments: c.arguments.trim() === '' ? '{}' : c.arguments } }));
        const previous = out.at(-1);
        if (previous?.role === 'assistant' && !previous.tool_calls) previous.tool_calls = toolCalls;
        else out.push({ role: 'assistant', content: null, tool_calls: toolCalls });
        for (const c of group) out.push({ role: 'tool', tool_call_id: c.callId, content: results.get(c.callId) ?? missingToolResultText });
        break;
      }
      case 'tool_result':
        if (!callIds.has(m.callId)) out.push({ role: 'user', content: `Result of tool call ${m.callId}: ${m.output}` });
        break;
    }
  }
  return out;
}

export function toChatTools(tools: LlmToolDefinition[]): ChatTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: {
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      // Some servers' chat templates fail on a tool without a schema; an empty object schema is neutral.
      parameters: t.parameters ?? { type: 'object', properties: {} },
    },
  }));
}

export function toChatToolChoice(choice: LlmToolChoice): ChatToolChoice {
  return typeof choice === 'object' ? { type: 'function', function: { name: choice.name } } : choice;
}

export interface ChatBodyOptions {
  model: string;
  maxTokensField: MaxTokensField;
  /** Ask for a final usage chunk (`stream_options.include_usage`). */
  streamUsage: boolean;
  sendTemperature: boolean;
  sendParallelToolCalls: boolean;
  extraBody: Record<string, unknown>;
}

/** The JSON body of a streaming chat completions request. */
export function toChatCompletionsBody(request: LlmRequest, options: ChatBodyOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...options.extraBody,
    model: options.model,
    messages: toChatMessages(request.instructions, request.messages),
    stream: true,
  };
  if (options.streamUsage) body.stream_options = { include_usage: true };
  if (options.sendTemperature) body.temperature = request.temperature;
  if (request.maxOutputTokens !== 'inf') body[options.maxTokensField] = request.maxOutputTokens;
  if (request.tools.length > 0) {
    body.tools = toChatTools(request.tools);
    body.tool_choice = toChatToolChoice(request.toolChoice);
    if (options.sendParallelToolCalls) body.parallel_tool_calls = request.parallelToolCalls;
  }
  return body;
}
