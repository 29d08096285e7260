/**
 * `connect()`: opens a realtime session against voicelive or Azure Voice Live and resolves once
 * the server has sent `session.created`.
 */
import type { ConnectionSettings } from './connection.js';
import { VoiceLiveConnection } from './connection.js';
import type { Credential } from './credential.js';
import { DEFAULT_TOKEN_SCOPES, resolveCredential } from './credential.js';
import type { AgentTarget } from './endpoint.js';
import { handshakeHeaders, realtimeUrl, withCredentialQuery } from './endpoint.js';
import { ConnectionError } from './errors.js';
import type { Transport, TransportRequest } from './transport.js';
import { isNodeLike } from './transport.js';
import type { WebSocketConstructor } from './webTransport.js';
import { openWebTransport } from './webTransport.js';

/** Options for {@link connect}. Give exactly one of `model` and `agent`. */
export interface ConnectOptions {
  /**
   * The service: voicelive (`http://localhost:8080`) or Azure
   * (`https://<resource>.services.ai.azure.com`, `https://<resource>.cognitiveservices.azure.com`).
   * `http(s)` and `ws(s)` both work; a bare host name means https. Its path is ignored (see `path`).
   */
  endpoint: string | URL;
  /** An API key (string or `{ key }`, e.g. `AzureKeyCredential`), or a token provider (`{ getToken }`, e.g. `DefaultAzureCredential`). */
  credential: Credential;
  /** The model or deployment (`gpt-realtime`, `gpt-4o`, …), sent as the `model` query parameter. */
  model?: string;
  /** A Foundry agent instead of a model. */
  agent?: AgentTarget;
  /** `api-version` query parameter; default `2026-07-15` (the official SDK 1.1.0's); `null` omits it. */
  apiVersion?: string | null;
  /** Request path; default `/voice-live/realtime`. E.g. `/openai/realtime` or `/v1/realtime` for the OpenAI dialects, or a prefixed path behind a proxy. */
  path?: string;
  /** Extra handshake headers (in browsers they travel as `h-<name>` query parameters). */
  headers?: Record<string, string>;
  /** Scopes requested from a token provider; default `https://ai.azure.com/.default`, like the official SDK. */
  tokenScopes?: readonly string[];
  /**
   * Aborts connecting (rejecting with `ConnectionError` kind `aborted`); once connected, aborting
   * closes the connection.
   */
  signal?: AbortSignal;
  /** Limit for the whole connect (token, handshake, `session.created`); default 30 000 ms. */
  connectTimeoutMs?: number;
  /**
   * A WHATWG WebSocket constructor to use instead of the default (`ws` in Node, the global
   * `WebSocket` elsewhere). With it, the credential travels in query parameters as browsers send it.
   */
  WebSocket?: WebSocketConstructor;
  /** Largest incoming message accepted in Node; default 16 MiB (servers keep messages ≤ 1 MiB). */
  maxMessageBytes?: number;
  /** Unread events kept for iteration before the oldest are dropped; default 10 000. */
  maxBufferedEvents?: number;
  /** How long `close()` waits for the server's close frame; default 3000 ms. */
  closeTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

async function openTransport(options: ConnectOptions, request: TransportRequest, signal: AbortSignal): Promise<Transport> {
  if (options.WebSocket) return openWebTransport(options.WebSocket, request, signal);
  if (isNodeLike()) {
    const { openNodeTransport } = await import('./nodeTransport.js');
    return openNodeTransport(request, signal);
  }
  const GlobalWebSocket = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!GlobalWebSocket) throw new TypeError('No WebSocket implementation: pass options.WebSocket');
  return openWebTransport(GlobalWebSocket, request, signal);
}

/**
 * Connects and resolves once the server has started the session (`session.created`, which stays
 * in the event stream for the first loop). Rejects with {@link ConnectionError}: kind
 * `authentication_failed` for a 401/403 at the upgrade, `http_error` for other refusals,
 * `network_error`, `credential_failed`, `closed_before_session`, `timeout` or `aborted`; and with
 * `TypeError` for invalid options.
 *
 * @example
 * ```ts
 * await using connection = await connect({ endpoint: 'http://localhost:8080', credential: 'key', model: 'gpt-realtime' });
 * connection.conversation.item.create({ item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello!' }] } });
 * connection.response.create();
 * for await (const event of connection) {
 *   if (event.type === 'response.audio_transcript.delta') process.stdout.write(event.delta);
 *   if (event.type === 'response.done') break;
 * }
 * ```
 */
export async function connect(options: ConnectOptions): Promise<VoiceLiveConnection> {
  const baseUrl = realtimeUrl(options);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const settings: ConnectionSettings = {
    maxBufferedEvents: options.maxBufferedEvents ?? 10_000,
    closeTimeoutMs: options.closeTimeoutMs ?? 3000,
  };
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new ConnectionError('timeout', `Connecting took longer than ${timeoutMs} ms`)), timeoutMs);
  const onCallerAbort = () => deadline.abort(new ConnectionError('aborted', 'Connecting was aborted', { cause: options.signal?.reason }));
  if (options.signal?.aborted) onCallerAbort();
  options.signal?.addEventListener('abort', onCallerAbort);
  const startedAt = Date.now();
  try {
    const credential = await raceAbort(resolveCredential(options.credential, options.tokenScopes ?? DEFAULT_TOKEN_SCOPES, deadline.signal), deadline.signal);
    const request: TransportRequest = {
      url: withCredentialQuery(baseUrl, credential),
      headers: handshakeHeaders(credential, options.headers),
      maxMessageBytes: options.maxMessageBytes ?? 16 * 1024 * 1024,
    };
    const transport = await openTransport(options, request, deadline.signal).catch((error: unknown) => {
      throw deadline.signal.aborted && deadline.signal.reason instanceof ConnectionError ? deadline.signal.reason : error;
    });
    const remainingMs = Math.max(1, timeoutMs - (Date.now() - startedAt));
    const connection = await VoiceLiveConnection.open(transport, settings, remainingMs, deadline.signal).catch((error: unknown) => {
      throw deadline.signal.aborted && deadline.signal.reason instanceof ConnectionError ? deadline.signal.reason : error;
    });
    if (options.signal) closeOnAbort(connection, options.signal);
    return connection;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** Once connected, the caller's signal closes the connection. */
function closeOnAbort(connection: VoiceLiveConnection, signal: AbortSignal): void {
  const onAbort = () => void connection.close();
  signal.addEventListener('abort', onAbort, { once: true });
  void connection.closed.then(() => signal.removeEventListener('abort', onAbort));
}

/** Rejects with the signal's reason as soon as it aborts (token providers may ignore the signal). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
