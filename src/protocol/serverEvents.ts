/**
 * Every server event the session emits (spec §7), in the canonical Voice Live / beta shape and
 * without `event_id` (the connection stamps it). Dialect codecs rename for OpenAI GA clients.
 */
import type { WireError } from './errors.js';
import type { ContentPart, Item } from './items.js';
import type { ResponseObject } from './responses.js';
import type { SessionConfig } from './session.js';

export interface WarningBody {
  message: string;
  code: string | null;
  param: string | null;
}

interface ResponsePartRef {
  response_id: string;
  item_id: string;
  output_index: number;
  content_index: number;
}

export interface TranscriptionPhrase {
  offset_milliseconds: number;
  duration_milliseconds: number;
  text: string;
  words?: { text: string; offset_milliseconds: number; duration_milliseconds: number }[];
  locale?: string;
  confidence?: number;
}

export type ServerEvent =
  | { type: 'session.created'; session: SessionConfig }
  | { type: 'session.updated'; session: SessionConfig }
  | { type: 'error'; error: WireError }
  | { type: 'warning'; warning: WarningBody }
  | { type: 'input_audio_buffer.speech_started'; audio_start_ms: number; item_id: string }
  | { type: 'input_audio_buffer.speech_stopped'; audio_end_ms: number; item_id: string }
  | { type: 'input_audio_buffer.committed'; previous_item_id: string | null; item_id: string }
  | { type: 'input_audio_buffer.cleared' }
  | { type: 'conversation.item.created'; previous_item_id: string | null; item: Item }
  | { type: 'conversation.item.retrieved'; item: Item }
  | { type: 'conversation.item.truncated'; item_id: string; content_index: number; audio_end_ms: number }
  | { type: 'conversation.item.deleted'; item_id: string }
  | { type: 'conversation.item.input_audio_transcription.delta'; item_id: string; content_index: number; delta: string; logprobs: null }
  | {
      type: 'conversation.item.input_audio_transcription.completed';
      item_id: string;
      content_index: number;
      transcript: string;
      logprobs: null;
      phrases?: TranscriptionPhrase[];
      usage?: { type: 'duration'; seconds: number };
    }
  | {
      type: 'conversation.item.input_audio_transcription.failed';
      item_id: string;
      content_index: number;
      error: { type: string; code: string | null; message: string; param: string | null };
    }
  | { type: 'output_audio_buffer.cleared'; response_id: string | null }
  | { type: 'response.created'; response: ResponseObject }
  | { type: 'response.done'; response: ResponseObject }
  | { type: 'response.output_item.added'; response_id: string; output_index: number; item: Item }
  | { type: 'response.output_item.done'; response_id: string; output_index: number; item: Item }
  | ({ type: 'response.content_part.added'; part: ContentPart } & ResponsePartRef)
  | ({ type: 'response.content_part.done'; part: ContentPart } & ResponsePartRef)
  | ({ type: 'response.text.delta'; delta: string } & ResponsePartRef)
  | ({ type: 'response.text.done'; text: string } & ResponsePartRef)
  | ({ type: 'response.audio_transcript.delta'; delta: string } & ResponsePartRef)
  | ({ type: 'response.audio_transcript.done'; transcript: string } & ResponsePartRef)
  | ({ type: 'response.audio.delta'; delta: string } & ResponsePartRef)
  | ({ type: 'response.audio.done' } & ResponsePartRef)
  | ({
      type: 'response.audio_timestamp.delta';
      audio_offset_ms: number;
      audio_duration_ms: number;
      text: string;
      timestamp_type: 'word';
    } & ResponsePartRef)
  | ({ type: 'response.audio_timestamp.done' } & ResponsePartRef)
  | {
      type: 'response.function_call_arguments.delta';
      response_id: string;
      item_id: string;
      output_index: number;
      call_id: string;
      delta: string;
    }
  | {
      type: 'response.function_call_arguments.done';
      response_id: string;
      item_id: string;
      output_index: number;
      call_id: string;
      name: string;
      arguments: string;
    };

export type ServerEventType = ServerEvent['type'];
export type ServerEventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;
