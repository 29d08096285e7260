/**
 * The HTTP + WebSocket front door: health check, realtime routes with auth at the upgrade, one
 * Connection per socket, and a graceful drain (stop accepting, close sessions with 1001).
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ServerConfig } from '../config/serverConfig.js';
import type { EngineCatalog } from '../engines/engineCatalog.js';
import { ApiKeyVerifier, credentialsFromRequest, selectSubprotocol } from './auth.js';
import { Connection } from './connection.js';
import { matchRealtimeRoute } from './routes.js';
import { createSessionForRoute } from './sessionFactory.js';

function rejectUpgrade(socket: Duplex, status: number, statusText: string, code: string, message: string): void {
  const body = JSON.stringify({ error: { type: 'invalid_request_error', code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export class VoiceLiveServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly verifier: ApiKeyVerifier;
  private readonly connections = new Set<Connection>();
  private draining = false;

  constructor(
    readonly config: ServerConfig,
    readonly catalog: EngineCatalog,
    private readonly logger: Logger,
  ) {
    this.verifier = new ApiKeyVerifier(config.apiKeys);
    const handler = (req: IncomingMessage, res: ServerResponse) => this.onHttpRequest(req, res);
    this.http = config.tls
      ? createHttpsServer({ cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }, handler)
      : createHttpServer(handler);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.hardMaxClientFrameBytes,
      handleProtocols: (protocols) => selectSubprotocol(protocols),
    });
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  /** Starts listening; resolves with the bound address. */
  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.config.port, this.config.host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    return this.http.address() as AddressInfo;
  }

  get sessionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting, closes every session with 1001 (going away), then closes the listener. */
  async close(): Promise<void> {
    this.draining = true;
    for (const connection of this.connections) connection.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections?.();
    });
    this.wss.close();
  }

  private onHttpRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/healthz') {
      res.writeHead(this.draining ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: this.draining ? 'draining' : 'ok', sessions: this.connections.size, engines: this.catalog.describe(), models: this.catalog.profileNames }));
      return;
    }
    if (matchRealtimeRoute(url, req)) {
      res.writeHead(426, { 'content-type': 'application/json', upgrade: 'websocket' });
      res.end(JSON.stringify({ error: { code: 'upgrade_required', message: 'This route speaks WebSocket; connect with a realtime client.' } }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: `No route for ${req.method} ${url.pathname}.` } }));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      rejectUpgrade(socket, 400, 'Bad Request', 'invalid_url', 'The request URL is not valid.');
      return;
    }
    if (this.draining) {
      rejectUpgrade(socket, 503, 'Service Unavailable', 'server_draining', 'The server is shutting down.');
      return;
    }
    const route = matchRealtimeRoute(url, req);
    if (!route) {
      rejectUpgrade(socket, 404, 'Not Found', 'not_found', `No realtime route at ${url.pathname}. Use /voice-live/realtime, /openai/realtime, /openai/v1/realtime or /v1/realtime.`);
      return;
    }
    if (!this.verifier.accepts(credentialsFromRequest(req, url))) {
      this.logger.info({ path: url.pathname }, 'rejected connection: missing or wrong API key');
      rejectUpgrade(socket, 401, 'Unauthorized', 'unauthorized', 'Missing or invalid API key. Send it as the api-key header, an Authorization: Bearer header, or the api-key query parameter.');
      return;
    }
    const choice = this.catalog.resolve(route.model, route.agentName);
    if (!choice.ok) {
      this.logger.info({ path: url.pathname, model: route.model, agent: route.agentName }, 'rejected connection: no model profile');
      rejectUpgrade(socket, 400, 'Bad Request', choice.code, choice.message);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const sessionLogger = this.logger.child({ route: route.kind, dialect: route.dialect.name });
      const connection = new Connection({
        socket: ws,
        dialect: route.dialect,
        logger: sessionLogger,
        maxClientFrameBytes: this.config.maxClientFrameBytes,
        maxSessionDurationMs: this.config.maxSessionDurationMs,
        createSession: (emit) => createSessionForRoute({ route, config: this.config, choice, emit, logger: sessionLogger }),
        onClose: () => this.connections.delete(connection),
      });
      this.connections.add(connection);
      sessionLogger.info({ sessionId: connection.session.id, model: connection.session.session.model }, 'session opened');
    });
  }
}
