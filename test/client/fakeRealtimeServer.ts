/**
 * A scripted WebSocket server for client edge cases: it records every upgrade request (URL and
 * headers) and either refuses it with a chosen HTTP status or hands the socket to the test's
 * script, which sends whatever frames (and closes) the case needs.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface RecordedRequest {
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface FakeServerScript {
  /** Refuse the upgrade with this HTTP status and body instead of accepting it. */
  refuse?: { status: number; statusText: string; body: string };
  /** Runs for each accepted socket; `received` collects the client's frames. */
  onConnection?: (socket: WebSocket, request: IncomingMessage, received: Record<string, unknown>[]) => void;
}

export interface FakeServer {
  httpUrl: string;
  requests: RecordedRequest[];
  /** Client frames per accepted connection, in order. */
  received: Record<string, unknown>[][];
  /** Close frames the server received: code and reason per connection. */
  clientCloses: { code: number; reason: string }[];
  close(): Promise<void>;
}

export function sessionCreated(id = 'sess_fake'): string {
  return JSON.stringify({ type: 'session.created', event_id: 'event_0', session: { id, object: 'realtime.session', model: 'gpt-fake' } });
}

export async function startFakeServer(script: FakeServerScript = {}): Promise<FakeServer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  const requests: RecordedRequest[] = [];
  const received: Record<string, unknown>[][] = [];
  const clientCloses: { code: number; reason: string }[] = [];
  http.on('upgrade', (request, socket, head) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    if (script.refuse) {
      const { status, statusText, body } = script.refuse;
      socket.end(`HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const frames: Record<string, unknown>[] = [];
      received.push(frames);
      ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
      ws.on('close', (code, reason) => clientCloses.push({ code, reason: reason.toString() }));
      script.onConnection?.(ws, request, frames);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    httpUrl: `http://127.0.0.1:${port}`,
    requests,
    received,
    clientCloses,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Resolves when `check` holds, polling every 5 ms (fails after `timeoutMs`). */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export { WebSocket };
