/**
 * Transport on a WHATWG `WebSocket` (browsers, or a constructor the caller passes). Such sockets
 * cannot send handshake headers, so they travel as query parameters exactly as the official
 * browser SDK sends them: `authorization` (`Bearer …`), `api-key`, `client-request-id` for
 * `x-ms-client-request-id`, `User-Agent` dropped, any other header as `h-<lower-case name>`.
 * Browsers do not reveal why a handshake failed, so a refusal (401 included) surfaces as
 * `network_error` without a status code.
 */
import { ConnectionError } from './errors.js';
import { transportOver, untilOpen } from './socketTransport.js';
import type { Transport, TransportRequest } from './transport.js';
import { TransportInbox, decodeFrame } from './transport.js';
import { redactUrl } from './upgradeRefusal.js';

/** The part of the WHATWG WebSocket interface the client uses. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

/** A WHATWG WebSocket constructor (the global `WebSocket`, or e.g. `ws`'s class used the WHATWG way). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The URL a header-less WebSocket connects to: headers folded into the query (spec §1.1). */
export function headersToQuery(url: URL, headers: Record<string, string>): URL {
  const out = new URL(url.href);
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') out.searchParams.set('authorization', value);
    else if (lower === 'api-key') out.searchParams.set('api-key', value);
    else if (lower === 'x-ms-client-request-id') out.searchParams.set('client-request-id', value);
    else if (lower !== 'user-agent') out.searchParams.set(`h-${lower}`, value);
  }
  return out;
}

const CLOSED = 3;

export function openWebTransport(Ctor: WebSocketConstructor, request: TransportRequest, signal: AbortSignal): Promise<Transport> {
  const url = headersToQuery(request.url, request.headers);
  const inbox = new TransportInbox();
  let socket: WebSocketLike;
  try {
    socket = new Ctor(url.href);
  } catch (error) {
    return Promise.reject(new ConnectionError('network_error', `Could not create a WebSocket for ${redactUrl(url)}: ${String(error)}`, { cause: error }));
  }
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('message', (event) => {
    const data = event.data;
    if (typeof data === 'string') inbox.message(data);
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) inbox.message(decodeFrame(data));
    // Blob frames cannot occur with binaryType "arraybuffer".
  });
  socket.addEventListener('close', (event) => inbox.close(event.code, event.reason));

  const transport = transportOver(inbox, socket, () => socket.close(1000, 'terminated'));
  const discard = () => {
    if (socket.readyState !== CLOSED) socket.close();
  };

  return untilOpen(transport, signal, discard, (settle) => {
    socket.addEventListener('open', () => settle(null));
    const failed = () =>
      settle(
        new ConnectionError(
          'network_error',
          `Could not open a WebSocket to ${redactUrl(url)} (the browser does not say why: a wrong endpoint, a refused credential and a network failure look the same)`,
        ),
      );
    socket.addEventListener('error', failed);
    socket.addEventListener('close', failed);
  });
}
