/**
 * One WebSocket connection bound to one realtime session: decodes client frames through the
 * connection's dialect, stamps and encodes server events, enforces frame limits, keeps the peer
 * alive with pings, and closes the session when the socket goes. Nothing a client sends can throw
 * out of here.
 */
import type { Logger } from 'pino';
import type { WebSocket, RawData } from 'ws';
import { decodeClientFrame } from '../protocol/codec.js';
import type { Dialect } from '../protocol/dialects/dialect.js';
import { ProtocolError } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { ServerEvent } from '../protocol/serverEvents.js';
import type { RealtimeSession } from '../session/realtimeSession.js';

/** The official JS SDK refuses frames over 1 MiB (spec §0 rule 5). */
export const maxServerFrameBytes = 1024 * 1024;
const heartbeatIntervalMs = 30_000;

export interface ConnectionOptions {
  socket: WebSocket;
  dialect: Dialect;
  logger: Logger;
  maxClientFrameBytes: number;
  maxSessionDurationMs: number;
  /** Builds the session; `emit` is how it talks to this connection. */
  createSession(emit: (event: ServerEvent) => void): RealtimeSession;
  onClose(): void;
}

export class Connection {
  readonly session: RealtimeSession;
  private alive = true;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly expiry: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: ConnectionOptions) {
    const { socket } = options;
    this.session = options.createSession((event) => this.send(event));
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', (code, reason) => this.onClosed(code, reason.toString()));
    socket.on('error', (error) => options.logger.warn({ err: error.message }, 'socket error'));
    this.heartbeat = setInterval(() => {
      if (!this.alive) {
        options.logger.info('peer stopped answering pings; closing');
        socket.terminate();
        return;
      }
      this.alive = false;
      socket.ping();
    }, heartbeatIntervalMs);
    this.heartbeat.unref();
    this.expiry = setTimeout(() => {
      this.send({ type: 'error', error: { type: 'invalid_request_error', code: 'session_expired', message: 'The session reached its maximum duration.', param: null, event_id: null } });
      this.close(1000, 'session expired');
    }, options.maxSessionDurationMs);
    this.expiry.unref();
    this.session.start();
  }

  /** Closes the socket (e.g. 1001 when the server drains). */
  close(code: number, reason: string): void {
    if (this.options.socket.readyState === this.options.socket.OPEN) this.options.socket.close(code, reason);
    else this.onClosed(code, reason);
  }

  private send(event: ServerEvent): void {
    const { socket, dialect, logger } = this.options;
    if (socket.readyState !== socket.OPEN) return;
    for (const wire of dialect.encodeServer(event)) {
      const text = JSON.stringify({ event_id: newId('event'), ...wire });
      if (Buffer.byteLength(text) > maxServerFrameBytes) {
        // A server bug, never the client's: report it instead of killing the client's session.
        logger.error({ type: wire.type, bytes: Buffer.byteLength(text) }, 'server event exceeds 1 MiB; not sent');
        socket.send(
          JSON.stringify({
            event_id: newId('event'),
            type: 'error',
            error: { type: 'server_error', code: 'server_error', message: `A ${String(wire.type)} event was too large to send (over 1 MiB) and was dropped.`, param: null, event_id: null },
          }),
        );
        continue;
      }
      socket.send(text);
    }
  }

  private onMessage(data: RawData, _isBinary: boolean): void {
    try {
      const byteLength = Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : (data as Buffer | ArrayBuffer).byteLength;
      if (byteLength > this.options.maxClientFrameBytes) {
        const error = new ProtocolError('message_too_large', `The message is ${byteLength} bytes; the limit is ${this.options.maxClientFrameBytes} bytes. Send audio in smaller appends.`);
        this.send({ type: 'error', error: error.toWire(null) });
        return;
      }
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      const decoded = decodeClientFrame(text, this.options.dialect);
      if (!decoded.ok) {
        this.send({ type: 'error', error: decoded.error.toWire(decoded.eventId) });
        return;
      }
      this.session.handle(decoded.event);
    } catch (error) {
      this.options.logger.error({ err: String(error) }, 'unexpected error handling a client frame');
      this.send({ type: 'error', error: { type: 'server_error', code: 'server_error', message: 'Internal error while handling the message.', param: null, event_id: null } });
    }
  }

  private onClosed(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.expiry);
    this.session.close();
    this.options.logger.info({ code, reason }, 'session closed');
    this.options.onClose();
  }
}
