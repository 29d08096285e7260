/**
 * The socket under a connection, independent of the WebSocket implementation: `ws` in Node (which
 * can send handshake headers), or a WHATWG `WebSocket` (browsers, or one the caller passes), which
 * cannot — there the credential and other headers travel as query parameters (spec §1.1).
 *
 * A transport buffers what arrives before the connection calls {@link Transport.listen}, so no
 * frame is lost between the socket opening and the connection taking over.
 */

/** What the connection hears from its socket. */
export interface TransportListener {
  /** One text frame (binary frames are decoded as UTF-8 first). */
  onMessage(text: string): void;
  /** The socket closed (for whatever reason); called once. */
  onClose(code: number, reason: string): void;
}

/** An open socket. */
export interface Transport {
  /** Starts delivery; frames and a close that arrived earlier are replayed first, synchronously. */
  listen(listener: TransportListener): void;
  send(text: string): void;
  /** Starts the closing handshake. */
  close(code: number, reason: string): void;
  /** Drops the socket without a handshake where the implementation allows it (Node); otherwise like `close`. */
  terminate(): void;
  /** Bytes queued for sending but not yet handed to the network. */
  readonly bufferedAmount: number;
}

/** What to open. */
export interface TransportRequest {
  url: URL;
  /** Handshake headers (Node sends them; WHATWG transports move them into the query). */
  headers: Record<string, string>;
  /** Largest incoming message accepted (Node only; browsers have their own limits). */
  maxMessageBytes: number;
}

/** Opens a transport; rejects with a `ConnectionError` when the socket cannot be opened. */
export type TransportOpener = (request: TransportRequest, signal: AbortSignal) => Promise<Transport>;

/** Queues frames and the close until a listener is attached, then forwards directly. */
export class TransportInbox {
  private listener: TransportListener | null = null;
  private readonly pending: string[] = [];
  private closed: { code: number; reason: string } | null = null;

  attach(listener: TransportListener): void {
    if (this.listener) throw new Error('transport already has a listener');
    this.listener = listener;
    for (const text of this.pending.splice(0)) listener.onMessage(text);
    if (this.closed) listener.onClose(this.closed.code, this.closed.reason);
  }

  message(text: string): void {
    if (this.closed) return;
    if (this.listener) this.listener.onMessage(text);
    else this.pending.push(text);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = { code, reason };
    this.listener?.onClose(code, reason);
  }
}

const utf8 = new TextDecoder();

/** Text of a binary frame (the service may send JSON in binary frames; spec §1.3). */
export function decodeFrame(data: ArrayBuffer | ArrayBufferView): string {
  return utf8.decode(data);
}

/** Whether this runtime is Node.js (or one that imitates it, like Bun and Deno), where `ws` can be used. */
export function isNodeLike(): boolean {
  const versions = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions;
  return typeof versions?.node === 'string';
}
