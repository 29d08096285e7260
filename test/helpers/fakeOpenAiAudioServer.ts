/**
 * A fake OpenAI-compatible audio server for tests (node:http on a free loopback port):
 * `POST /v1/audio/transcriptions` (multipart) and `POST /v1/audio/speech` (JSON), plus the Azure
 * OpenAI paths `/openai/deployments/<deployment>/audio/{transcriptions,speech}?api-version=…`.
 *
 * Every request is recorded (headers, query, multipart fields and file, JSON body, whether the
 * client hung up early). Replies are scripted per test: queued replies are used first, then the
 * default. A reply can delay its headers, send its body in pieces with pauses or gates between
 * them, or hang up.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AudioRequestKind = 'transcription' | 'speech';

export interface RecordedAudioRequest {
  kind: AudioRequestKind;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The `<deployment>` of an Azure path. */
  deployment?: string;
  body: Buffer;
  /** Multipart text fields (transcription), every value of repeated names in order. */
  fields: Record<string, string[]>;
  /** The uploaded file (transcription). */
  file?: { name: string; type: string; bytes: Uint8Array };
  /** The JSON body (speech). */
  json?: Record<string, unknown>;
  receivedAtMs: number;
  /** Body pieces written so far (speech replies with `pieces`). */
  piecesSent: number;
  /** The response was complete when the connection closed. */
  completed: boolean;
  /** The connection closed before the response was complete (the client hung up, or a scripted hang-up). */
  endedEarly: boolean;
  /** When the connection closed (performance.now), if it has. */
  closedAtMs?: number;
}

export interface FakeAudioReply {
  /** HTTP status (default 200). */
  status?: number;
  /** Default: application/json for `json`, text/plain for `text`, audio/pcm for `pieces`. */
  contentType?: string;
  /** Body as JSON. */
  json?: unknown;
  /** Body as text. */
  text?: string;
  /** Body as bytes, written one piece at a time. */
  pieces?: Uint8Array[];
  /** Wait before sending the status line. */
  headerDelayMs?: number;
  /** Wait between pieces. */
  pieceDelayMs?: number;
  /** Awaited before piece `index` is written (index ≥ 1), e.g. to hold the last piece back. */
  beforePiece?: (index: number, request: RecordedAudioRequest) => Promise<void>;
  /** Destroy the connection after this many pieces instead of finishing. */
  hangUpAfterPieces?: number;
  /** Destroy the connection without answering. */
  hangUp?: boolean;
}

export type FakeAudioScript = FakeAudioReply | ((request: RecordedAudioRequest) => FakeAudioReply | Promise<FakeAudioReply>);

const ROUTES: Array<{ pattern: RegExp; kind: AudioRequestKind }> = [
  { pattern: /^\/v1\/audio\/transcriptions$/, kind: 'transcription' },
  { pattern: /^\/v1\/audio\/speech$/, kind: 'speech' },
  { pattern: /^\/openai\/deployments\/([^/]+)\/audio\/transcriptions$/, kind: 'transcription' },
  { pattern: /^\/openai\/deployments\/([^/]+)\/audio\/speech$/, kind: 'speech' },
];

/** A pause that does not keep the test process alive after the test is done. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export class FakeOpenAiAudioServer {
  readonly requests: RecordedAudioRequest[] = [];
  private readonly queues: Record<AudioRequestKind, FakeAudioScript[]> = { transcription: [], speech: [] };
  private readonly defaults: Record<AudioRequestKind, FakeAudioScript> = {
    transcription: { json: { text: '' } },
    speech: { pieces: [new Uint8Array(4800)] },
  };
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    /** http://127.0.0.1:port */
    readonly url: string,
  ) {}

  static async start(): Promise<FakeOpenAiAudioServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeOpenAiAudioServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    return fake;
  }

  /** The OpenAI-style base URL (`…/v1`). */
  get baseUrl(): string {
    return `${this.url}/v1`;
  }

  /** Replies for the next transcription requests, in order. */
  queueTranscription(...replies: FakeAudioScript[]): void {
    this.queues.transcription.push(...replies);
  }

  /** Replies for the next speech requests, in order. */
  queueSpeech(...replies: FakeAudioScript[]): void {
    this.queues.speech.push(...replies);
  }

  /** The reply used when the queue is empty. */
  setDefault(kind: AudioRequestKind, reply: FakeAudioScript): void {
    this.defaults[kind] = reply;
  }

  /** Resolves with the n-th (1-based) request of a kind, once it has arrived. */
  waitForRequest(kind: AudioRequestKind, count = 1, timeoutMs = 5000): Promise<RecordedAudioRequest> {
    return this.waitUntil(() => this.requests.filter((r) => r.kind === kind)[count - 1], timeoutMs, `${kind} request #${count}`);
  }

  /** Resolves once the request's connection has closed (client hang-up or completion). */
  waitForClose(request: RecordedAudioRequest, timeoutMs = 5000): Promise<RecordedAudioRequest> {
    return this.waitUntil(() => (request.closedAtMs !== undefined ? request : undefined), timeoutMs, 'the connection to close');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const poll = () => {
        const found = check();
        if (found === undefined) return;
        this.waiters.delete(poll);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(poll);
        reject(new Error(`fake audio server: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(poll);
      poll();
    });
  }

  private changed(): void {
    for (const poll of [...this.waiters]) poll();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const route = ROUTES.map((r) => ({ ...r, match: r.pattern.exec(url.pathname) })).find((r) => r.match !== null);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || route === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route for ${req.method} ${url.pathname}` } }));
      return;
    }
    const body = Buffer.concat(chunks);
    const request: RecordedAudioRequest = {
      kind: route.kind,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      deployment: route.match?.[1],
      body,
      fields: {},
      receivedAtMs: performance.now(),
      piecesSent: 0,
      completed: false,
      endedEarly: false,
    };
    res.on('close', () => {
      request.completed = res.writableFinished;
      request.endedEarly = !res.writableFinished;
      request.closedAtMs = performance.now();
      this.changed();
    });
    try {
      if (route.kind === 'transcription') await parseMultipart(request);
      else request.json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `fake server could not parse the body: ${String(error)}` } }));
      return;
    }
    this.requests.push(request);
    this.changed();

    const script = this.queues[route.kind].shift() ?? this.defaults[route.kind];
    const reply = typeof script === 'function' ? await script(request) : script;
    await this.respond(reply, request, res);
  }

  private async respond(reply: FakeAudioReply, request: RecordedAudioRequest, res: ServerResponse): Promise<void> {
    if (reply.headerDelayMs) await sleep(reply.headerDelayMs);
    if (res.destroyed) return;
    if (reply.hangUp) {
      res.destroy();
      return;
    }
    const status = reply.status ?? 200;
    if (reply.json !== undefined || reply.text !== undefined) {
      const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
      const type = reply.contentType ?? (reply.json !== undefined ? 'application/json' : 'text/plain; charset=utf-8');
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
      return;
    }
    const pieces = reply.pieces ?? [];
    res.writeHead(status, { 'content-type': reply.contentType ?? 'audio/pcm' });
    res.flushHeaders();
    for (let index = 0; index < pieces.length; index++) {
      if (index > 0) {
        if (reply.pieceDelayMs) await sleep(reply.pieceDelayMs);
        await reply.beforePiece?.(index, request);
      }
      if (res.destroyed) return;
      if (reply.hangUpAfterPieces !== undefined && index >= reply.hangUpAfterPieces) {
        res.destroy();
        return;
      }
      await new Promise<void>((resolve) => res.write(pieces[index], () => resolve()));
      request.piecesSent = index + 1;
      this.changed();
    }
    if (reply.hangUpAfterPieces !== undefined && pieces.length <= reply.hangUpAfterPieces) {
      res.destroy();
      return;
    }
    res.end();
  }
}

async function parseMultipart(request: RecordedAudioRequest): Promise<void> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) throw new Error(`expected multipart/form-data, got ${type}`);
  const form = await new Response(new Uint8Array(request.body), { headers: { 'content-type': type } }).formData();
  const entries: Array<[string, FormDataEntryValue]> = [];
  form.forEach((value, name) => entries.push([name, value]));
  for (const [name, value] of entries) {
    if (typeof value === 'string') {
      (request.fields[name] ??= []).push(value);
    } else {
      request.file = { name: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
    }
  }
}

/** PCM16 samples as little-endian bytes (what a `pcm` speech response carries). */
export function pcm16LeBytes(pcm: Int16Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 2);
  const view = new DataView(bytes.buffer);
  pcm.forEach((sample, i) => view.setInt16(i * 2, sample, true));
  return bytes;
}

/** A tone as PCM16 (`durationMs` at `sampleRateHz`), distinct per frequency. */
export function tonePcm16(durationMs: number, sampleRateHz: number, toneHz = 440, amplitude = 0.3): Int16Array {
  const pcm = new Int16Array(Math.round((durationMs * sampleRateHz) / 1000));
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * toneHz * i) / sampleRateHz));
  return pcm;
}

/** Cuts bytes into pieces of the given sizes, cycling through them (odd sizes split samples). */
export function splitBytes(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? bytes.length;
    pieces.push(bytes.subarray(offset, Math.min(bytes.length, offset + size)));
    offset += size;
  }
  return pieces;
}
