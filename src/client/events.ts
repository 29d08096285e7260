/**
 * Server events as the client delivers them: the wire JSON unchanged (snake_case, audio still
 * base64), typed as a discriminated union on `type`.
 *
 * The union covers what voicelive sends (the server's own event types, reused here type-only) and
 * the Azure Voice Live events of spec §7 that voicelive does not send (avatar, visemes, MCP, …).
 * Events of any other type (a newer service, or the OpenAI GA names on `/v1/realtime`) are still
 * delivered, unchanged, as an {@link UnknownServerEvent}; they are never dropped and never thrown.
 */
import type { ContentPart, Item } from '../protocol/items.js';
import type { ServerEvent as ProtocolServerEvent } from '../protocol/serverEvents.js';
import type { SessionConfig } from '../protocol/session.js';

/** The `error` object of an `error` event (spec §9). `code`, `param` and `event_id` may be null. */
export interface ServerErrorDetails {
  /** `invalid_request_error` (client mistake), `server_error`, or another service-defined type. */
  type: string;
  code: string | null;
  message: string;
  param: string | null;
  /** The `event_id` of the client event that failed, when the server knows it. */
  event_id: string | null;
}

/** Fields shared by the Azure response-scoped events below. */
interface ResponseItemRef {
  response_id: string;
  item_id: string;
  output_index: number;
}

/** Azure Voice Live events voicelive itself never sends (spec §7); typed so Azure sessions narrow them too. */
type AzureOnlyServerEvent =
  | { type: 'session.avatar.connecting'; server_sdp: string }
  | { type: 'session.avatar.switch_to_speaking'; turn_id?: string }
  | { type: 'session.avatar.switch_to_idle'; turn_id?: string }
  | { type: 'conversation.created'; conversation: { id: string; object: string } }
  | { type: 'input_audio_buffer.timeout_triggered'; audio_start_ms: number; audio_end_ms: number; item_id: string }
  | { type: 'rate_limits.updated'; rate_limits: { name: string; limit: number; remaining: number; reset_seconds: number }[] }
  | { type: 'output_audio_buffer.started'; response_id: string }
  | { type: 'output_audio_buffer.stopped'; response_id: string }
  | ({ type: 'response.animation_viseme.delta'; content_index: number; audio_offset_ms: number; viseme_id: number } & ResponseItemRef)
  | ({ type: 'response.animation_viseme.done'; content_index: number } & ResponseItemRef)
  | ({ type: 'response.animation_blendshapes.delta'; content_index?: number; frame_index: number; frames: number[][] | string } & ResponseItemRef)
  | ({ type: 'response.animation_blendshapes.done' } & ResponseItemRef)
  | { type: 'mcp_list_tools.in_progress'; item_id: string }
  | { type: 'mcp_list_tools.completed'; item_id: string }
  | { type: 'mcp_list_tools.failed'; item_id: string }
  | ({ type: 'response.mcp_call_arguments.delta'; delta: string; obfuscation?: string } & ResponseItemRef)
  | ({ type: 'response.mcp_call_arguments.done'; arguments: string } & ResponseItemRef)
  | { type: 'response.mcp_call.in_progress'; item_id: string; output_index: number }
  | { type: 'response.mcp_call.completed'; item_id: string; output_index: number }
  | { type: 'response.mcp_call.failed'; item_id: string; output_index: number }
  | { type: 'response.video.delta'; output_index: number; codec: string; delta: string };

/**
 * Every server event type this SDK knows, each with its exact fields. `event_id` is always present
 * on voicelive and Azure events. Switching on `event.type` narrows to the event's fields.
 */
export type KnownServerEvent =
  | (Exclude<ProtocolServerEvent, { type: 'error' }> & { event_id: string })
  | { type: 'error'; event_id: string; error: ServerErrorDetails }
  | (AzureOnlyServerEvent & { event_id: string });

/** A server event whose `type` this SDK does not know: delivered unchanged. */
export interface UnknownServerEvent {
  type: string;
  event_id?: string;
  [field: string]: unknown;
}

/**
 * What iterating a connection yields. It is typed as the known union so that `switch (event.type)`
 * narrows; at run time an event of an unknown type may arrive too and then falls through to
 * `default:` (check with {@link isKnownServerEvent} when that matters).
 */
export type ServerEvent = KnownServerEvent;

export type ServerEventType = KnownServerEvent['type'];

/** The event of one known type, e.g. `ServerEventOf<'response.done'>`. */
export type ServerEventOf<T extends ServerEventType> = Extract<KnownServerEvent, { type: T }>;

/** The session object of `session.created` / `session.updated` as voicelive reports it. */
export type SessionObject = SessionConfig;
export type { ContentPart, Item };

/** Every known type, at run time (checked against the union at compile time below). */
const knownTypes = [
  'session.created',
  'session.updated',
  'error',
  'warning',
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'input_audio_buffer.committed',
  'input_audio_buffer.cleared',
  'conversation.item.created',
  'conversation.item.retrieved',
  'conversation.item.truncated',
  'conversation.item.deleted',
  'conversation.item.input_audio_transcription.delta',
  'conversation.item.input_audio_transcription.completed',
  'conversation.item.input_audio_transcription.failed',
  'output_audio_buffer.cleared',
  'response.created',
  'response.done',
  'response.output_item.added',
  'response.output_item.done',
  'response.content_part.added',
  'response.content_part.done',
  'response.text.delta',
  'response.text.done',
  'response.audio_transcript.delta',
  'response.audio_transcript.done',
  'response.audio.delta',
  'response.audio.done',
  'response.audio_timestamp.delta',
  'response.audio_timestamp.done',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'session.avatar.connecting',
  'session.avatar.switch_to_speaking',
  'session.avatar.switch_to_idle',
  'conversation.created',
  'input_audio_buffer.timeout_triggered',
  'rate_limits.updated',
  'output_audio_buffer.started',
  'output_audio_buffer.stopped',
  'response.animation_viseme.delta',
  'response.animation_viseme.done',
  'response.animation_blendshapes.delta',
  'response.animation_blendshapes.done',
  'mcp_list_tools.in_progress',
  'mcp_list_tools.completed',
  'mcp_list_tools.failed',
  'response.mcp_call_arguments.delta',
  'response.mcp_call_arguments.done',
  'response.mcp_call.in_progress',
  'response.mcp_call.completed',
  'response.mcp_call.failed',
  'response.video.delta',
] as const satisfies readonly ServerEventType[];

// Compile-time guard: the list above names every member of the union.
type MissingFromList = Exclude<ServerEventType, (typeof knownTypes)[number]>;
const listIsComplete: [MissingFromList] extends [never] ? true : MissingFromList = true;
void listIsComplete;

const knownTypeSet: ReadonlySet<string> = new Set<string>(knownTypes);

/** Every event type the {@link KnownServerEvent} union describes. */
export const knownServerEventTypes: readonly ServerEventType[] = knownTypes;

/** True when the event's type is one this SDK describes (false for events delivered as {@link UnknownServerEvent}). */
export function isKnownServerEvent(event: { type: string }): event is KnownServerEvent {
  return knownTypeSet.has(event.type);
}
