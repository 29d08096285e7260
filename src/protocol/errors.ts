/**
 * The typed error vocabulary of the wire protocol (spec §9). A client mistake becomes an `error`
 * event with these fields; the session stays open.
 */

export type ErrorType = 'invalid_request_error' | 'server_error';

export type ErrorCode =
  // request shape
  | 'invalid_json'
  | 'invalid_event'
  | 'unknown_event_type'
  | 'invalid_type'
  | 'invalid_value'
  | 'missing_required_parameter'
  | 'unknown_parameter'
  | 'message_too_large'
  // session
  | 'cannot_update_model'
  | 'cannot_update_voice'
  | 'invalid_ec_channels_requires_client'
  | 'invalid_ec_reference_channels'
  // conversation
  | 'item_not_found'
  | 'previous_item_not_found'
  | 'duplicate_item_id'
  | 'unsupported_content_type'
  | 'invalid_audio_end_ms'
  // input audio
  | 'input_audio_buffer_commit_empty'
  | 'invalid_audio'
  // responses
  | 'conversation_already_has_active_response'
  | 'response_cancel_not_active'
  | 'modality_not_available'
  // features
  | 'not_supported'
  | 'engine_unavailable'
  // server side
  | 'server_error'
  | 'llm_error'
  | 'tts_error'
  | 'asr_error';

export interface WireError {
  type: ErrorType;
  code: ErrorCode | string | null;
  message: string;
  param: string | null;
  event_id: string | null;
}

/** Thrown inside the session for a client mistake; the dispatcher turns it into an `error` event. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param: string | null = null,
    readonly errorType: ErrorType = 'invalid_request_error',
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  toWire(eventId: string | null): WireError {
    return { type: this.errorType, code: this.code, message: this.message, param: this.param, event_id: eventId };
  }
}
