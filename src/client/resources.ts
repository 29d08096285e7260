/**
 * The client events as methods, grouped like their names: `connection.session.update(…)` sends
 * `session.update`, `connection.conversation.item.create(…)` sends `conversation.item.create`, and
 * so on (spec §6). Each method takes the event's wire fields (snake_case) plus an optional
 * `event_id`, fills in an `event_id` when none is given, writes the event at once and returns
 * that `event_id` (the server quotes it in `error.event_id` when the event fails).
 *
 * Methods throw {@link ConnectionClosed} when the connection has closed.
 */
import type { ItemInput } from '../protocol/items.js';
import type { ResponseCreateParams } from '../protocol/responses.js';
import type { SessionUpdate } from '../protocol/session.js';
import type { AudioInput } from './audio.js';
import { encodeAudio } from './audio.js';

export type { ItemInput, ResponseCreateParams, SessionUpdate };

/** Fields every client event may carry. */
export interface ClientEventBase {
  /** Your id for the event; generated (`evt_<ms>_<random>`) when absent. */
  event_id?: string;
}

/** A client event of any type, sent as given (see `connection.send`). */
export interface RawClientEvent {
  type: string;
  event_id?: string;
  [field: string]: unknown;
}

/** Writes one event; supplied by the connection. */
export type EventSender = (event: RawClientEvent) => void;

/** A new event id in the official SDK's format. */
export function newEventId(): string {
  return `evt_${Date.now()}_${Math.random().toString(36).slice(2, 11)}`;
}

function emit<F extends ClientEventBase>(send: EventSender, type: string, fields: F): string {
  const { event_id: given, ...rest } = fields;
  const event_id = given ?? newEventId();
  send({ type, event_id, ...rest });
  return event_id;
}

/** Drops keys whose value is `undefined` (so they are absent, not null, on the wire). */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

/** `session.*` client events. */
export class SessionResource {
  constructor(private readonly send: EventSender) {}

  /**
   * `session.update`: changes the session (instructions, voice, formats, turn detection, tools, …).
   * Absent fields stay as they are; `turn_detection: null` switches to manual turns. The server
   * answers `session.updated` with the whole session.
   */
  update(params: { session: SessionUpdate } & ClientEventBase): string {
    return emit(this.send, 'session.update', params);
  }
}

/** `transcription_session.*` client events (OpenAI beta transcription-only sessions). */
export class TranscriptionSessionResource {
  constructor(private readonly send: EventSender) {}

  /** `transcription_session.update`. */
  update(params: { session: Record<string, unknown> } & ClientEventBase): string {
    return emit(this.send, 'transcription_session.update', params);
  }
}

/** `response.*` client events. */
export class ResponseResource {
  constructor(private readonly send: EventSender) {}

  /**
   * `response.create`: asks for a response now (needed after text items, function results, and in
   * manual turn mode). `response` overrides session settings for this response only.
   * Answered by `response.created` … `response.done`.
   */
  create(params: { response?: ResponseCreateParams | null; additional_instructions?: string } & ClientEventBase = {}): string {
    return emit(this.send, 'response.create', defined(params));
  }

  /**
   * `response.cancel`: stops the active response (or the one with `response_id`); it ends with
   * `response.done` whose status is `cancelled`. With nothing active the server answers `error`.
   */
  cancel(params: { response_id?: string } & ClientEventBase = {}): string {
    return emit(this.send, 'response.cancel', defined(params));
  }
}

/** `input_audio_buffer.*` client events. */
export class InputAudioBufferResource {
  constructor(private readonly send: EventSender) {}

  /**
   * `input_audio_buffer.append`: microphone audio in the session's input format (PCM16 mono at
   * 24 kHz unless the session says otherwise). Takes the audio itself (bytes, `Int16Array`
   * samples or base64) or `{ audio, event_id }`. No reply; with server VAD, speech produces
   * `input_audio_buffer.speech_started` and the rest of the turn.
   */
  append(audio: AudioInput | ({ audio: AudioInput } & ClientEventBase)): string {
    const params = typeof audio === 'string' || ArrayBuffer.isView(audio) || audio instanceof ArrayBuffer ? { audio } : audio;
    return emit(this.send, 'input_audio_buffer.append', { ...params, audio: encodeAudio(params.audio) });
  }

  /** `input_audio_buffer.commit`: makes the buffered audio a user item (manual turns). */
  commit(params: ClientEventBase = {}): string {
    return emit(this.send, 'input_audio_buffer.commit', params);
  }

  /** `input_audio_buffer.clear`: discards the buffered audio; answered by `input_audio_buffer.cleared`. */
  clear(params: ClientEventBase = {}): string {
    return emit(this.send, 'input_audio_buffer.clear', params);
  }
}

/** `output_audio_buffer.*` client events. */
export class OutputAudioBufferResource {
  constructor(private readonly send: EventSender) {}

  /** `output_audio_buffer.clear`: answered by `output_audio_buffer.cleared` (meaningful in Azure avatar mode). */
  clear(params: ClientEventBase = {}): string {
    return emit(this.send, 'output_audio_buffer.clear', params);
  }
}

/** `conversation.item.*` client events. */
export class ConversationItemResource {
  constructor(private readonly send: EventSender) {}

  /**
   * `conversation.item.create`: adds a message (`input_text`, `input_audio`, …), a
   * `function_call_output`, or another item, after `previous_item_id` or at the end. Answered by
   * `conversation.item.created`; a response is not started (call `response.create`).
   */
  create(params: { item: ItemInput; previous_item_id?: string | null } & ClientEventBase): string {
    return emit(this.send, 'conversation.item.create', defined(params));
  }

  /** `conversation.item.retrieve`: answered by `conversation.item.retrieved` with the full item. */
  retrieve(params: { item_id: string } & ClientEventBase): string {
    return emit(this.send, 'conversation.item.retrieve', params);
  }

  /** `conversation.item.delete`: answered by `conversation.item.deleted`. */
  delete(params: { item_id: string } & ClientEventBase): string {
    return emit(this.send, 'conversation.item.delete', params);
  }

  /**
   * `conversation.item.truncate`: cuts an assistant audio item to the `audio_end_ms` the user
   * actually heard (after an interruption), dropping the unheard transcript too. `content_index`
   * defaults to 0. Answered by `conversation.item.truncated`.
   */
  truncate(params: { item_id: string; audio_end_ms: number; content_index?: number } & ClientEventBase): string {
    const { item_id, audio_end_ms, content_index = 0, event_id } = params;
    return emit(this.send, 'conversation.item.truncate', { item_id, content_index, audio_end_ms, event_id });
  }
}

/** `conversation.*` client events. */
export class ConversationResource {
  readonly item: ConversationItemResource;

  constructor(send: EventSender) {
    this.item = new ConversationItemResource(send);
  }
}
