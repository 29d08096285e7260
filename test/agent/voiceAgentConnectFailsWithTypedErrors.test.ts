/**
 * `connect()` against scripted WebSocket servers: no `session.created`, or a `session.update` never
 * acknowledged, ends in `connect_timeout` at the configured limit; an `error` answering the update is
 * `session_rejected` with the server's code; a refused upgrade is `connection_failed` naming the
 * client's error kind and HTTP status. Nothing is left open, and no `closed` event is emitted for a
 * session that never became ready.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { VoiceAgentError, createVoiceAgent } from '../../src/agent/index.js';

interface ScriptedServer {
  httpUrl: string;
  /** Client frames per connection. */
  frames: Record<string, unknown>[][];
  /** Resolves when the client's socket of connection `index` has closed. */
  socketClosed(index: number): Promise<void>;
  close(): Promise<void>;
}

const servers: ScriptedServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function scriptedServer(onSocket: (socket: WebSocket) => void, refuseStatus?: number): Promise<ScriptedServer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  const frames: Record<string, unknown>[][] = [];
  const closes: Promise<void>[] = [];
  http.on('upgrade', (request, socket, head) => {
    if (refuseStatus) {
      const body = JSON.stringify({ error: { message: 'bad key' } });
      socket.end(`HTTP/1.1 ${refuseStatus} Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const received: Record<string, unknown>[] = [];
      frames.push(received);
      closes.push(new Promise((resolve) => ws.on('close', () => resolve())));
      ws.on('message', (data) => received.push(JSON.parse(data.toString()) as Record<string, unknown>));
      onSocket(ws);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server: ScriptedServer = {
    httpUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    frames,
    socketClosed: (index) => closes[index] ?? Promise.reject(new Error(`no connection ${index}`)),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  servers.push(server);
  return server;
}

function sessionCreated(): string {
  return JSON.stringify({ type: 'session.created', event_id: 'event_1', session: { id: 'sess_1', object: 'realtime.session', model: 'm', turn_detection: null } });
}

async function expectConnectError(agent: ReturnType<typeof createVoiceAgent>): Promise<{ error: VoiceAgentError; elapsedMs: number }> {
  const startedAt = Date.now();
  const error = await agent.connect().then(
    () => assert.fail('connect() resolved'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof VoiceAgentError, `a VoiceAgentError, got ${String(error)}`);
  return { error, elapsedMs: Date.now() - startedAt };
}

test('a server that never sends session.created: connect_timeout after connectTimeoutMs', async () => {
  const server = await scriptedServer(() => undefined);
  const agent = createVoiceAgent({ endpoint: server.httpUrl, credential: 'key', model: 'm', connectTimeoutMs: 400 });
  let closedEvents = 0;
  agent.on('closed', () => closedEvents++);
  const { error, elapsedMs } = await expectConnectError(agent);
  assert.equal(error.kind, 'connect_timeout');
  assert.equal(error.connectionErrorKind, 'timeout');
  assert.ok(elapsedMs >= 380 && elapsedMs < 2000, `rejected after ${elapsedMs} ms`);
  await server.socketClosed(0);
  assert.equal(agent.isReady, false);
  assert.equal(closedEvents, 0);
  assert.throws(() => agent.pushAudio(new Int16Array(10)), (e: unknown) => e instanceof VoiceAgentError && e.kind === 'not_connected');
});

test('a server that never acknowledges session.update: connect_timeout, after sending the configured session', async () => {
  const server = await scriptedServer((socket) => socket.send(sessionCreated()));
  const agent = createVoiceAgent({
    endpoint: server.httpUrl,
    credential: 'key',
    model: 'm',
    instructions: 'Be brief.',
    voice: 'alloy',
    tools: [{ name: 'get_weather', parameters: { type: 'object', properties: {} } }],
    turnDetection: null,
    connectTimeoutMs: 500,
  });
  const { error, elapsedMs } = await expectConnectError(agent);
  assert.equal(error.kind, 'connect_timeout');
  assert.match(error.message, /session\.update/);
  assert.ok(elapsedMs >= 450 && elapsedMs < 2000, `rejected after ${elapsedMs} ms`);
  await server.socketClosed(0);
  const update = server.frames[0]?.find((f) => f.type === 'session.update');
  assert.ok(update, 'the agent sent session.update');
  assert.deepEqual(update.session, {
    modalities: ['text', 'audio'],
    instructions: 'Be brief.',
    voice: 'alloy',
    tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } }],
    turn_detection: null,
    input_audio_format: 'pcm16',
    output_audio_format: 'pcm16',
  });
});

test('an error answering the session.update: session_rejected with the server code and param', async () => {
  const server = await scriptedServer((socket) => {
    socket.send(sessionCreated());
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; event_id?: string };
      if (frame.type !== 'session.update') return;
      // An unrelated error first: only the one quoting the update's event_id rejects.
      socket.send(JSON.stringify({ type: 'error', event_id: 'event_2', error: { type: 'invalid_request_error', code: 'other', message: 'unrelated', param: null, event_id: 'evt_other' } }));
      socket.send(JSON.stringify({ type: 'error', event_id: 'event_3', error: { type: 'invalid_request_error', code: 'invalid_value', message: "Unsupported voice 'nobody'.", param: 'session.voice', event_id: frame.event_id } }));
    });
  });
  const agent = createVoiceAgent({ endpoint: server.httpUrl, credential: 'key', model: 'm', voice: 'nobody', connectTimeoutMs: 5000 });
  const { error, elapsedMs } = await expectConnectError(agent);
  assert.equal(error.kind, 'session_rejected');
  assert.equal(error.serverCode, 'invalid_value');
  assert.equal(error.serverType, 'invalid_request_error');
  assert.equal(error.param, 'session.voice');
  assert.match(error.message, /Unsupported voice 'nobody'/);
  assert.ok(elapsedMs < 2000, `rejected at once (${elapsedMs} ms)`);
  await server.socketClosed(0);
});

test('a refused upgrade: connection_failed with the client error kind and status', async () => {
  const server = await scriptedServer(() => undefined, 401);
  const agent = createVoiceAgent({ endpoint: server.httpUrl, credential: 'wrong', model: 'm', connectTimeoutMs: 5000 });
  const { error } = await expectConnectError(agent);
  assert.equal(error.kind, 'connection_failed');
  assert.equal(error.connectionErrorKind, 'authentication_failed');
  assert.equal(error.statusCode, 401);
});
