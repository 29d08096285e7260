/**
 * The client's typed errors: {@link ConnectionError} when a connection cannot be established,
 * {@link ConnectionClosed} when an established connection ends abnormally (or is used after it
 * closed), and {@link EventTimeoutError} when `waitFor` gives up.
 *
 * Server `error` events are not thrown: they arrive as events like every other server event.
 */

/** Why {@link connect} failed. */
export type ConnectionErrorKind =
  /** The server refused the credential at the WebSocket upgrade (HTTP 401 or 403). */
  | 'authentication_failed'
  /** The token provider failed or returned no token; nothing was sent to the server. */
  | 'credential_failed'
  /** The server answered the upgrade with another HTTP status (400 bad model, 404 wrong path, 503 draining, …). */
  | 'http_error'
  /** No WebSocket could be opened (DNS, refused, TLS, or a browser that hides the reason). */
  | 'network_error'
  /** The socket opened but closed before the server sent `session.created`. */
  | 'closed_before_session'
  /** Nothing completed within `connectTimeoutMs`. */
  | 'timeout'
  /** The caller's `signal` aborted. */
  | 'aborted';

/** A connection attempt failed; nothing is left open. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  readonly kind: ConnectionErrorKind;
  /** The HTTP status of a refused upgrade (401, 404, …); null when there was no HTTP answer or it is unknown (browsers). */
  readonly statusCode: number | null;
  /** The server's explanation: the `error.message` of a JSON rejection body, the body text, or an `error` event sent before closing. */
  readonly serverMessage: string | null;
  /** For `closed_before_session`: the WebSocket close code and reason. */
  readonly closeCode: number | null;
  readonly closeReason: string | null;

  constructor(
    kind: ConnectionErrorKind,
    message: string,
    details: { statusCode?: number | null; serverMessage?: string | null; closeCode?: number | null; closeReason?: string | null; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.statusCode = details.statusCode ?? null;
    this.serverMessage = details.serverMessage ?? null;
    this.closeCode = details.closeCode ?? null;
    this.closeReason = details.closeReason ?? null;
  }
}

/** Who ended a connection. */
export type CloseInitiator = 'client' | 'server';

/** How a connection ended. */
export interface CloseInfo {
  /** WebSocket close code: 1000 normal, 1001 going away, 1006 dropped without a close frame, 1008 policy violation, 1009 message too big, 1011 server error, … */
  code: number;
  reason: string;
  /** `client` when this side called `close()` (or its signal aborted); `server` for everything else, network failures included. */
  initiatedBy: CloseInitiator;
}

const closeCodeNames: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status code',
  1006: 'abnormal closure (no close frame)',
  1007: 'invalid payload',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'missing extension',
  1011: 'server error',
  1012: 'service restart',
  1013: 'try again later',
  1015: 'TLS failure',
};

/** A short English name for a WebSocket close code ("going away" for 1001). */
export function describeCloseCode(code: number): string {
  return closeCodeNames[code] ?? (code >= 4000 ? 'application-defined' : 'unknown');
}

/**
 * The connection ended abnormally (any close code other than 1000 / 1005, e.g. 1001 when the server
 * shuts down, 1008 for a policy violation, 1006 when the network dropped), or it was used after it
 * had closed. Iteration throws it once, after every event received before the close was delivered.
 */
export class ConnectionClosed extends Error {
  override readonly name = 'ConnectionClosed';
  readonly code: number;
  readonly reason: string;
  readonly initiatedBy: CloseInitiator;

  constructor(info: CloseInfo, message?: string) {
    const by = info.initiatedBy === 'client' ? 'by the client' : 'by the server';
    const reason = info.reason ? `: ${info.reason}` : '';
    super(message ?? `Connection closed ${by} with code ${info.code} (${describeCloseCode(info.code)})${reason}`);
    this.code = info.code;
    this.reason = info.reason;
    this.initiatedBy = info.initiatedBy;
  }
}

/** `waitFor` saw no matching event within its `timeoutMs`. */
export class EventTimeoutError extends Error {
  override readonly name = 'EventTimeoutError';

  constructor(
    readonly eventType: string,
    readonly timeoutMs: number,
  ) {
    super(`No ${eventType === '*' ? 'matching' : `'${eventType}'`} event within ${timeoutMs} ms`);
  }
}
