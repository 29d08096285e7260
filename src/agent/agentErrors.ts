/**
 * The voice agent's one error type. `kind` says what went wrong; errors the server reported keep
 * the server's `code`, `type` and `param`; connection failures keep the client's
 * `ConnectionError` / `ConnectionClosed` as `cause`.
 */
import type { ConnectionErrorKind } from '../client/errors.js';

export type VoiceAgentErrorKind =
  /** `connect()` did not finish (WebSocket, `session.created`, `session.update` acknowledged) within `connectTimeoutMs`. */
  | 'connect_timeout'
  /** The connection could not be established (refused credential, network, HTTP error, …); see `connectionErrorKind`. */
  | 'connection_failed'
  /** The server answered the agent's `session.update` with an `error` (bad voice, bad tool, …). */
  | 'session_rejected'
  /** `updateSession()` was not acknowledged within `sessionUpdateTimeoutMs`. */
  | 'session_update_timeout'
  /** An `error` event from the server during the session. */
  | 'server_error'
  /** A response ended with status `failed`. */
  | 'response_failed'
  /** The user's speech could not be transcribed. */
  | 'transcription_failed'
  /** The connection ended abnormally (close code other than 1000 / 1005). */
  | 'connection_closed'
  /** A method that needs a connected agent was called before `connect()` finished or after `close()`. */
  | 'not_connected';

export interface VoiceAgentErrorDetails {
  /** The server's error code (`invalid_value`, `response_cancel_not_active`, …). */
  serverCode?: string | null;
  /** The server's error type (`invalid_request_error`, `server_error`, …). */
  serverType?: string | null;
  /** The offending field, when the server names it. */
  param?: string | null;
  /** The `event_id` of the client event that failed, when the server quotes it. */
  clientEventId?: string | null;
  /** For `connection_failed`: the client's `ConnectionError.kind`. */
  connectionErrorKind?: ConnectionErrorKind | null;
  /** HTTP status of a refused upgrade, when known. */
  statusCode?: number | null;
  /** WebSocket close code, for `connection_closed`. */
  closeCode?: number | null;
  /** The response or item the error concerns. */
  responseId?: string | null;
  itemId?: string | null;
  cause?: unknown;
}

export class VoiceAgentError extends Error {
  override readonly name = 'VoiceAgentError';
  readonly kind: VoiceAgentErrorKind;
  readonly serverCode: string | null;
  readonly serverType: string | null;
  readonly param: string | null;
  readonly clientEventId: string | null;
  readonly connectionErrorKind: ConnectionErrorKind | null;
  readonly statusCode: number | null;
  readonly closeCode: number | null;
  readonly responseId: string | null;
  readonly itemId: string | null;

  constructor(kind: VoiceAgentErrorKind, message: string, details: VoiceAgentErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.serverCode = details.serverCode ?? null;
    this.serverType = details.serverType ?? null;
    this.param = details.param ?? null;
    this.clientEventId = details.clientEventId ?? null;
    this.connectionErrorKind = details.connectionErrorKind ?? null;
    this.statusCode = details.statusCode ?? null;
    this.closeCode = details.closeCode ?? null;
    this.responseId = details.responseId ?? null;
    this.itemId = details.itemId ?? null;
  }
}
