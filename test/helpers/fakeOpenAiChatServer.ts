/**
 * A local fake OpenAI-compatible chat server for tests (node:http, loopback, free port).
 *
 * Serves `POST /v1/chat/completions` and Azure-style
 * `POST /openai/deployments/<deployment>/chat/completions?api-version=…`. Each request is answered by
 * the next queued reply (`enqueue`), else by `handler`, else with a short text stream. Replies are
 * scripts: SSE streams built from steps (chunks, raw bytes, delays, `[DONE]`, a dropped socket),
 * HTTP errors, whole JSON completions, a connection that never answers or is destroyed at once.
 * Every request is recorded (method, path, query, headers, parsed body) with a promise that settles
 * when the client closed the connection before the reply was finished, so tests can assert that a
 * cancel really aborted the HTTP request.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Json = Record<string, unknown>;

export type StreamStep =
  /** One `data:` event holding this JSON (any shape; see chunk helpers below). */
  | { kind: 'chunk'; data: unknown }
  /** Bytes written as they are (malformed lines, comments, odd line ends…). */
  | { kind: 'raw'; text: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'done' }
  /** Destroys the socket mid-stream (a server crash / network drop). */
  | { kind: 'destroy' };

export type FakeReply =
  | { kind: 'stream'; steps: StreamStep[]; status?: number; headers?: Record<string, string>; headerDelayMs?: number; contentType?: string }
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'json'; body: unknown; delayMs?: number }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Closes the connection without answering. */
  | { kind: 'destroy' };

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. "/v1/chat/completions". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (or the raw string when it is not JSON). */
  body: Json;
  /** Azure-style path: the deployment named in it. */
  deployment: string | null;
  /** Settles when the client closed the connection before the reply ended. */
  closedEarly: Promise<void>;
  /** True once the client closed the connection before the reply ended. */
  wasClosedEarly(): boolean;
}

const created = 1_700_000_000;

/** A `chat.completion.chunk` with one choice carrying `delta` (and a finish reason, if given). */
export function chunk(delta: Json, finishReason: string | null = null, extra: Json = {}): StreamStep {
  return { kind: 'chunk', data: { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created, model: 'fake-model', choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra } };
}

/** The final usage chunk (`choices: []`), as sent for `stream_options.include_usage`. */
export function usageChunk(promptTokens: number, completionTokens: number, cachedTokens?: number): StreamStep {
  const usage: Json = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  if (cachedTokens !== undefined) usage.prompt_tokens_details = { cached_tokens: cachedTokens };
  return { kind: 'chunk', data: { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created, model: 'fake-model', choices: [], usage } };
}

/** A typical OpenAI text stream: role chunk, one chunk per piece, finish chunk, optional usage, [DONE]. */
export function textStream(pieces: string[], options: { usage?: [number, number, number?]; finishReason?: string; delayMs?: number } = {}): FakeReply {
  const steps: StreamStep[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of pieces) {
    if (options.delayMs) steps.push({ kind: 'delay', ms: options.delayMs });
    steps.push(chunk({ content: piece }));
  }
  steps.push(chunk({}, options.finishReason ?? 'stop'));
  if (options.usage) steps.push(usageChunk(options.usage[0], options.usage[1], options.usage[2]));
  steps.push({ kind: 'done' });
  return { kind: 'stream', steps };
}

/** A tool-call delta for `chunk({ tool_calls: [...] })`. */
export function toolCallDelta(fields: { index?: number; id?: string; name?: string; arguments?: string | Json }): Json {
  const fn: Json = {};
  if (fields.name !== undefined) fn.name = fields.name;
  if (fields.arguments !== undefined) fn.arguments = fields.arguments;
  const call: Json = { function: fn };
  if (fields.index !== undefined) call.index = fields.index;
  if (fields.id !== undefined) {
    call.id = fields.id;
    call.type = 'function';
  }
  return call;
}

/** OpenAI-style: first chunk id+name+"" arguments, then the arguments in `pieceChars` pieces, finish "tool_calls". */
export function toolCallStream(calls: { id: string; name: string; arguments: string }[], pieceChars = 4): FakeReply {
  const steps: StreamStep[] = [chunk({ role: 'assistant', content: null })];
  calls.forEach((call, index) => {
    steps.push(chunk({ tool_calls: [toolCallDelta({ index, id: call.id, name: call.name, arguments: '' })] }));
    for (let i = 0; i < call.arguments.length; i += pieceChars) {
      steps.push(chunk({ tool_calls: [toolCallDelta({ index, arguments: call.arguments.slice(i, i + pieceChars) })] }));
    }
  });
  steps.push(chunk({}, 'tool_calls'));
  steps.push(usageChunk(30, 12));
  steps.push({ kind: 'done' });
  return { kind: 'stream', steps };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FakeOpenAiChatServer {
  readonly requests: RecordedRequest[] = [];
  /** Answers requests when the queue is empty. */
  handler: ((request: RecordedRequest) => FakeReply) | null = null;
  private readonly queue: FakeReply[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeOpenAiChatServer> {
    let fake: FakeOpenAiChatServer | null = null;
    const server = createServer((req, res) => {
      void fake!.handle(req, res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    fake = new FakeOpenAiChatServer(server, (server.address() as AddressInfo).port);
    server.on('connection', (socket: Socket) => {
      fake!.sockets.add(socket);
      socket.on('close', () => fake!.sockets.delete(socket));
    });
    return fake;
  }

  /** "http://127.0.0.1:<port>/v1": the base URL to configure. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** "http://127.0.0.1:<port>": the Azure-style resource endpoint. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Replies for the next requests, in order. */
  enqueue(...replies: FakeReply[]): void {
    this.queue.push(...replies);
  }

  /** Resolves once `count` requests have arrived in total. */
  async waitForRequests(count: number, timeoutMs = 5000): Promise<RecordedRequest> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`fake LLM server got ${this.requests.length} requests, expected ${count}`);
      await sleep(5);
    }
    return this.requests[count - 1]!;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const piece of req) chunks.push(piece as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: Json;
    try {
      body = JSON.parse(rawBody) as Json;
    } catch {
      body = { raw: rawBody };
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const azure = url.pathname.match(/^\/openai\/deployments\/([^/]+)\/chat\/completions$/);
    let finished = false;
    let closedEarly = false;
    let markClosed!: () => void;
    const closedPromise = new Promise<void>((resolve) => (markClosed = resolve));
    res.on('close', () => {
      if (!finished) {
        closedEarly = true;
        markClosed();
      }
    });
    res.on('finish', () => {
      finished = true;
    });
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      deployment: azure ? decodeURIComponent(azure[1]!) : null,
      closedEarly: closedPromise,
      wasClosedEarly: () => closedEarly,
    };
    this.requests.push(recorded);

    if (req.method !== 'POST' || (url.pathname !== '/v1/chat/completions' && !azure)) {
      this.writeJson(res, 404, { error: { message: `no route for ${req.method} ${url.pathname}`, type: 'not_found' } });
      return;
    }
    const reply = this.queue.shift() ?? this.handler?.(recorded) ?? textStream(['Hello', ' from', ' fake.'], { usage: [10, 3] });
    await this.play(reply, res);
  }

  private writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
    res.end(text);
  }

  private async play(reply: FakeReply, res: ServerResponse): Promise<void> {
    switch (reply.kind) {
      case 'hang':
        return;
      case 'destroy':
        res.socket?.destroy();
        return;
      case 'error':
        this.writeJson(res, reply.status, reply.body, reply.headers);
        return;
      case 'json':
        if (reply.delayMs) await sleep(reply.delayMs);
        this.writeJson(res, 200, reply.body);
        return;
      case 'stream': {
        if (reply.headerDelayMs) await sleep(reply.headerDelayMs);
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
        res.flushHeaders();
        for (const step of reply.steps) {
          if (res.destroyed) return;
          switch (step.kind) {
            case 'chunk':
              res.write(`data: ${JSON.stringify(step.data)}\n\n`);
              break;
            case 'raw':
              res.write(step.text);
              break;
            case 'delay':
              await sleep(step.ms);
              break;
            case 'done':
              res.write('data: [DONE]\n\n');
              break;
            case 'destroy':
              res.socket?.destroy();
              return;
          }
        }
        res.end();
        return;
      }
    }
  }
}
