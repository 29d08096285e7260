/**
 * Every client event (spec §6), in the canonical (Voice Live / beta) shape. Dialect codecs turn
 * wire JSON into these before validation. Unknown fields are tolerated everywhere.
 */
import { z } from 'zod';
import { itemInputSchema } from './items.js';
import { responseCreateParamsSchema } from './responses.js';
import { sessionUpdateSchema } from './session.js';

const eventId = { event_id: z.string().optional() };
const itemId = z.string().min(1);

export const clientEventSchemas = {
  'session.update': z.looseObject({ type: z.literal('session.update'), ...eventId, session: sessionUpdateSchema }),
  'transcription_session.update': z.looseObject({ type: z.literal('transcription_session.update'), ...eventId, session: z.unknown() }),
  'input_audio_buffer.append': z.looseObject({ type: z.literal('input_audio_buffer.append'), ...eventId, audio: z.string() }),
  'input_audio_buffer.commit': z.looseObject({ type: z.literal('input_audio_buffer.commit'), ...eventId }),
  'input_audio_buffer.clear': z.looseObject({ type: z.literal('input_audio_buffer.clear'), ...eventId }),
  'conversation.item.create': z.looseObject({
    type: z.literal('conversation.item.create'),
    ...eventId,
    previous_item_id: z.string().nullable().optional(),
    item: itemInputSchema,
  }),
  'conversation.item.retrieve': z.looseObject({ type: z.literal('conversation.item.retrieve'), ...eventId, item_id: itemId }),
  'conversation.item.truncate': z.looseObject({
    type: z.literal('conversation.item.truncate'),
    ...eventId,
    item_id: itemId,
    content_index: z.number().int().min(0),
    audio_end_ms: z.number().int().min(0),
  }),
  'conversation.item.delete': z.looseObject({ type: z.literal('conversation.item.delete'), ...eventId, item_id: itemId }),
  'response.create': z.looseObject({
    type: z.literal('response.create'),
    ...eventId,
    response: responseCreateParamsSchema.nullable().optional(),
    additional_instructions: z.string().optional(),
  }),
  'response.cancel': z.looseObject({ type: z.literal('response.cancel'), ...eventId, response_id: z.string().optional() }),
  'output_audio_buffer.clear': z.looseObject({ type: z.literal('output_audio_buffer.clear'), ...eventId }),
  'session.avatar.connect': z.looseObject({ type: z.literal('session.avatar.connect'), ...eventId, client_sdp: z.string().optional() }),
  'input_text.delta': z.looseObject({
    type: z.literal('input_text.delta'),
    ...eventId,
    id: itemId,
    delta: z.string(),
    content_index: z.number().int().min(0).optional(),
  }),
  'input_text.done': z.looseObject({
    type: z.literal('input_text.done'),
    ...eventId,
    id: itemId,
    content_index: z.number().int().min(0).optional(),
  }),
  'input_audio.turn.start': z.looseObject({ type: z.literal('input_audio.turn.start'), ...eventId, turn_id: z.string().min(1) }),
  'input_audio.turn.append': z.looseObject({
    type: z.literal('input_audio.turn.append'),
    ...eventId,
    turn_id: z.string().min(1),
    audio: z.string(),
  }),
  'input_audio.turn.end': z.looseObject({ type: z.literal('input_audio.turn.end'), ...eventId, turn_id: z.string().min(1) }),
  'input_audio.turn.cancel': z.looseObject({ type: z.literal('input_audio.turn.cancel'), ...eventId, turn_id: z.string().min(1) }),
  'input_audio.clear': z.looseObject({ type: z.literal('input_audio.clear'), ...eventId }),
  mcp_approval_response: z.looseObject({ type: z.literal('mcp_approval_response'), ...eventId }),
} as const;

export type ClientEventType = keyof typeof clientEventSchemas;
export type ClientEventOf<T extends ClientEventType> = z.infer<(typeof clientEventSchemas)[T]>;
export type ClientEvent = { [T in ClientEventType]: ClientEventOf<T> }[ClientEventType];

export function isClientEventType(type: string): type is ClientEventType {
  return Object.prototype.hasOwnProperty.call(clientEventSchemas, type);
}
