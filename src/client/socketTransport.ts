/**
 * What the Node (`ws`) and WHATWG WebSocket transports share once they have a socket: the
 * {@link Transport} over it, and the promise that settles once when the socket opens, fails to
 * open, or the caller aborts.
 */
import { ConnectionError } from './errors.js';
import type { Transport, TransportInbox } from './transport.js';

/** The part of a socket the transport forwards to. */
export interface SendingSocket {
  readonly bufferedAmount: number;
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** A transport that reads from `inbox`, writes to `socket`, and drops it with `terminate`. */
export function transportOver(inbox: TransportInbox, socket: SendingSocket, terminate: () => void): Transport {
  return {
    listen: (listener) => inbox.attach(listener),
    send: (text) => socket.send(text),
    close: (code, reason) => socket.close(code, reason),
    terminate,
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
  };
}

/** Settles an opening: `null` once the socket is open, or the error it failed with. Later calls are ignored. */
export type SettleOpening = (error: ConnectionError | null) => void;

/**
 * Resolves with `transport` when `watch` reports the socket open; rejects with the error it
 * reports (after `discard` drops the socket), or with an `aborted` {@link ConnectionError} when
 * `signal` aborts first (at once if it already has, before `watch` runs).
 */
export function untilOpen(transport: Transport, signal: AbortSignal, discard: () => void, watch: (settle: SettleOpening) => void): Promise<Transport> {
  return new Promise<Transport>((resolve, reject) => {
    let settled = false;
    const settle: SettleOpening = (error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) {
        discard();
        reject(error);
      } else {
        resolve(transport);
      }
    };
    const onAbort = () => settle(new ConnectionError('aborted', 'Connecting was aborted', { cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    watch(settle);
  });
}
