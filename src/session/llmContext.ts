/**
 * What the LLM sees: conversation items flattened to chat messages. User audio contributes its
 * transcript; assistant audio contributes the (possibly truncated) transcript the user heard.
 */
import type { LlmMessage } from '../engines/llm/types.js';
import type { Item } from '../protocol/items.js';

export function itemsToLlmMessages(items: Item[]): LlmMessage[] {
  const messages: LlmMessage[] = [];
  for (const item of items) {
    if (item.type === 'function_call') {
      messages.push({ role: 'tool_call', callId: item.call_id, name: item.name, arguments: item.arguments });
      continue;
    }
    if (item.type === 'function_call_output') {
      messages.push({ role: 'tool_result', callId: item.call_id, output: item.output });
      continue;
    }
    const texts: string[] = [];
    for (const part of item.content) {
      if (part.type === 'input_text' || part.type === 'text') texts.push(part.text);
      else if ((part.type === 'input_audio' || part.type === 'audio') && part.transcript) texts.push(part.transcript);
    }
    const content = texts.join(' ').trim();
    if (content.length === 0) continue;
    messages.push({ role: item.role, content });
  }
  return messages;
}
