/**
 * LLM requests in node-llama-cpp's terms: the conversation as a chat history, and the session's
 * tools as chat functions.
 *
 * - Instructions become the first system message; system messages stay where they are.
 * - Consecutive user messages join into one (chat templates expect alternating turns).
 * - Assistant text and tool calls that follow each other form one model response, each tool call
 *   carrying its result (node-llama-cpp keeps a call and its result together). A call whose result
 *   has not arrived gets `null`; a result whose call is not in the conversation (deleted) is shown
 *   to the model as a user message, so its information is not dropped silently.
 * - The history always ends with a model response for the model to write: a new empty one, or the
 *   trailing one (so after tool results the model continues its own turn, as with a real API).
 */
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelFunctions, ChatModelResponse, GbnfJsonSchema } from 'node-llama-cpp';
import type { LlmRequest, LlmToolChoice, LlmToolDefinition } from './types.js';
import { LlmEngineError } from './types.js';

/** JSON when it parses (so the model sees structured values), the raw text otherwise. */
function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toChatHistory(request: Pick<LlmRequest, 'instructions' | 'messages'>): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (request.instructions.trim().length > 0) history.push({ type: 'system', text: request.instructions });
  const callIds = new Set(request.messages.flatMap((m) => (m.role === 'tool_call' ? [m.callId] : [])));
  const results = new Map<string, string>();
  for (const m of request.messages) if (m.role === 'tool_result' && callIds.has(m.callId)) results.set(m.callId, m.output);

  const openModelResponse = (): ChatModelResponse => {
    const last = history.at(-1);
    if (last?.type === 'model') return last;
    const response: ChatModelResponse = { type: 'model', response: [] };
    history.push(response);
    return response;
  };
  const addUserText = (text: string) => {
    const last = history.at(-1);
    if (last?.type === 'user') last.text = `${last.text}\n${text}`;
    else history.push({ type: 'user', text });
  };

  for (const m of request.messages) {
    switch (m.role) {
      case 'system':
        history.push({ type: 'system', text: m.content });
        break;
      case 'user':
        addUserText(m.content);
        break;
      case 'assistant':
        openModelResponse().response.push(m.content);
        break;
      case 'tool_call': {
        const call: ChatModelFunctionCall = {
          type: 'functionCall',
          name: m.name,
          params: parseJsonOrText(m.arguments),
          result: results.has(m.callId) ? parseJsonOrText(results.get(m.callId)!) : null,
        };
        openModelResponse().response.push(call);
        break;
      }
      case 'tool_result':
        if (!callIds.has(m.callId)) addUserText(`Result of tool call ${m.callId}: ${m.output}`);
        break;
    }
  }
  openModelResponse();
  return history;
}

export interface ChatFunctionsPlan {
  /** Functions offered to the model; undefined when it may not call any. */
  functions: ChatModelFunctions | undefined;
  /** True when the model must call one of `functions` (tool_choice "required" or a named tool). */
  forced: boolean;
}

function toChatFunction(tool: LlmToolDefinition): ChatModelFunctions[string] {
  // node-llama-cpp turns the JSON Schema into a grammar; it supports a large subset (types, enum,
  // const, oneOf, arrays, objects with required/additionalProperties, string length and formats).
  return { description: tool.description, params: tool.parameters as GbnfJsonSchema | undefined };
}

export function toChatFunctions(tools: LlmToolDefinition[], toolChoice: LlmToolChoice): ChatFunctionsPlan {
  if (toolChoice === 'none' || tools.length === 0) return { functions: undefined, forced: false };
  if (typeof toolChoice === 'object') {
    const tool = tools.find((t) => t.name === toolChoice.name);
    if (!tool) throw new LlmEngineError(`tool_choice names "${toolChoice.name}", which is not among the session's tools`, 'tool_not_found');
    return { functions: { [tool.name]: toChatFunction(tool) }, forced: true };
  }
  const functions: Record<string, ChatModelFunctions[string]> = {};
  for (const tool of tools) functions[tool.name] = toChatFunction(tool);
  return { functions, forced: toolChoice === 'required' };
}
