/**
 * Turns a client's `conversation.item.create` item into a stored item: ids kept or assigned,
 * content checked per role, client-supplied status ignored (stored as completed).
 */
import { ProtocolError } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { ContentPart, ContentPartInput, Item, ItemInput } from '../protocol/items.js';

export interface CreatedItem {
  item: Item;
  /** base64 audio of input_audio parts, by content index (decoded by the caller in the session's input format). */
  audioByContentIndex: Map<number, string>;
}

const allowedPartsByRole: Record<'user' | 'system' | 'assistant', ContentPartInput['type'][]> = {
  user: ['input_text', 'input_audio', 'input_image'],
  system: ['input_text'],
  assistant: ['text', 'output_text'],
};

export function itemFromInput(input: ItemInput, param: string): CreatedItem {
  const id = input.id ?? newId('item');
  const audioByContentIndex = new Map<number, string>();
  switch (input.type) {
    case 'message': {
      const allowed = allowedPartsByRole[input.role];
      const content: ContentPart[] = input.content.map((part, index): ContentPart => {
        const partParam = `${param}.content[${index}].type`;
        if (!allowed.includes(part.type)) {
          const hint = part.type === 'audio' || part.type === 'output_audio' ? ' Assistant audio cannot be created by clients; use a "text" part.' : '';
          throw new ProtocolError('invalid_value', `Content type '${part.type}' is not allowed in a ${input.role} message; allowed: ${allowed.join(', ')}.${hint}`, partParam);
        }
        switch (part.type) {
          case 'input_text':
            return { type: 'input_text', text: part.text };
          case 'input_audio':
            if (typeof part.audio === 'string' && part.audio.length > 0) audioByContentIndex.set(index, part.audio);
            return { type: 'input_audio', transcript: part.transcript ?? null };
          case 'input_image': {
            const url = part.image_url ?? part.url;
            if (!url) throw new ProtocolError('missing_required_parameter', 'input_image parts need an image_url.', `${param}.content[${index}].image_url`);
            return { type: 'input_image', image_url: url, detail: part.detail ?? 'auto' };
          }
          case 'text':
          case 'output_text':
            return { type: 'text', text: part.text };
          default:
            throw new ProtocolError('invalid_value', `Content type '${part.type}' cannot be created by clients.`, partParam);
        }
      });
      return { item: { id, object: 'realtime.item', type: 'message', role: input.role, status: 'completed', content }, audioByContentIndex };
    }
    case 'function_call':
      return {
        item: { id, object: 'realtime.item', type: 'function_call', status: 'completed', name: input.name, call_id: input.call_id, arguments: input.arguments },
        audioByContentIndex,
      };
    case 'function_call_output':
      return { item: { id, object: 'realtime.item', type: 'function_call_output', status: 'completed', call_id: input.call_id, output: input.output }, audioByContentIndex };
    default:
      throw new ProtocolError('not_supported', `Items of type '${input.type}' are not supported by this server.`, `${param}.type`);
  }
}
