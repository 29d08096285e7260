/**
 * Node transport on the `ws` package: handshake headers (where the credential goes, as the
 * official Node SDK sends it), permessage-deflate offered, and the HTTP status and body of a
 * refused upgrade turned into a {@link ConnectionError}. Loaded lazily, only in Node.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { ConnectionError } from './errors.js';
import { transportOver, untilOpen } from './socketTransport.js';
import type { Transport, TransportRequest } from './transport.js';
import { TransportInbox, decodeFrame } from './transport.js';
import { describeUpgradeRefusal, redactUrl } from './upgradeRefusal.js';

/** How much of a refusal body is read for its message. */
const MAX_REFUSAL_BODY_BYTES = 8192;
/** How long to wait for a refusal body before giving up on it. */
const REFUSAL_BODY_TIMEOUT_MS = 2000;

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const finish = () => {
      clearTimeout(timer);
      resolve(decodeFrame(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, REFUSAL_BODY_TIMEOUT_MS);
    response.on('data', (chunk: Buffer) => {
      if (size < MAX_REFUSAL_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_REFUSAL_BODY_BYTES - size));
      size += chunk.length;
    });
    response.once('end', finish);
    response.once('error', finish);
    response.once('close', finish);
  });
}

export function openNodeTransport(request: TransportRequest, signal: AbortSignal): Promise<Transport> {
  const inbox = new TransportInbox();
  const socket = new WebSocket(request.url, {
    headers: request.headers,
    maxPayload: request.maxMessageBytes,
    perMessageDeflate: true,
  });
  socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data;
    inbox.message(isBinary ? decodeFrame(bytes) : bytes.toString());
  });
  socket.on('close', (code: number, reason: Buffer) => inbox.close(code, reason.toString()));

  const transport = transportOver(inbox, socket, () => socket.terminate());
  const discard = () => {
    socket.removeAllListeners('open');
    if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
  };

  return untilOpen(transport, signal, discard, (settle) => {
    socket.once('open', () => settle(null));
    // After the socket opened, errors are followed by 'close', which the connection handles
    // (settle ignores them then).
    socket.on('error', (error: Error) => {
      settle(new ConnectionError('network_error', `Could not connect to ${redactUrl(request.url)}: ${error.message}`, { cause: error }));
    });
    socket.once('unexpected-response', (clientRequest, response: IncomingMessage) => {
      const statusCode = response.statusCode ?? 0;
      void readBody(response).then((body) => {
        clientRequest.destroy();
        settle(describeUpgradeRefusal(request.url, statusCode, response.statusMessage ?? '', body));
      });
    });
  });
}
