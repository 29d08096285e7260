/// <reference lib="esnext.disposable" />
/**
 * An open realtime session: client events go out through the resources (`session`, `response`,
 * `input_audio_buffer`, `output_audio_buffer`, `conversation.item`, `transcription_session`) or
 * `send`; server events come in three ways, all seeing every event:
 *
 * - `for await (const event of connection)`: reads the buffered event stream (one loop at a time;
 *   events that arrive while no loop runs wait for the next one, so nothing is lost after
 *   `connect()` resolves);
 * - `on(type, listener)`: called synchronously for each event of that type (or `'*'` for all);
 * - `waitFor(type, options)`: a promise for the next matching event.
 *
 * When the server closes normally (1000, or 1005: a close frame without a code) iteration simply
 * ends; any other close (1001 going away, 1006 dropped, 1008 policy, 1011 server error, …) makes
 * iteration throw {@link ConnectionClosed} once every event received before it was read. `close()` (or `await using`) ends it from this side.
 */
import type { CloseInfo } from './errors.js';
import { ConnectionClosed, ConnectionError, EventTimeoutError } from './errors.js';
import { EventQueue } from './eventQueue.js';
import { callEach, ListenerRegistry } from './listenerRegistry.js';
import type { ServerEvent, ServerEventOf, ServerEventType, SessionObject, UnknownServerEvent } from './events.js';
import type { RawClientEvent } from './resources.js';
import {
  ConversationResource,
  InputAudioBufferResource,
  OutputAudioBufferResource,
  ResponseResource,
  SessionResource,
  TranscriptionSessionResource,
} from './resources.js';
import type { Transport } from './transport.js';
import { waitForEvent } from './waitForEvent.js';

/** Options for {@link VoiceLiveConnection.waitFor}. */
export interface WaitForOptions<E> {
  /** Only an event for which this returns true resolves the wait. */
  predicate?: (event: E) => boolean;
  /** Rejects with {@link EventTimeoutError} after this many ms. Default: no limit (it still rejects when the connection closes). */
  timeoutMs?: number;
  /** Rejects with the signal's reason when it aborts. */
  signal?: AbortSignal;
}

/** Connection settings taken from `connect()`. */
export interface ConnectionSettings {
  /** Most unread events kept for iteration; older ones are dropped beyond it. */
  maxBufferedEvents: number;
  /** How long `close()` waits for the server's close frame before dropping the socket. */
  closeTimeoutMs: number;
}

/** Close codes after which iteration ends quietly: 1000, and 1005 (a close frame without a code). */
const NORMAL_CLOSE_CODES = new Set([1000, 1005]);

/** A synthetic `error` event for a frame that is not a JSON object with a string `type`. */
function unreadableFrameEvent(text: string, reason: string): ServerEvent {
  const preview = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return {
    type: 'error',
    event_id: '',
    error: { type: 'client_error', code: 'invalid_server_message', message: `The server sent an unreadable message (${reason}): ${preview}`, param: null, event_id: null },
  };
}

function parseFrame(text: string): ServerEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return unreadableFrameEvent(text, error instanceof Error ? error.message : 'invalid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as { type?: unknown }).type !== 'string') {
    return unreadableFrameEvent(text, 'not an object with a string "type"');
  }
  return parsed as ServerEvent;
}

export class VoiceLiveConnection implements AsyncIterable<ServerEvent>, AsyncDisposable {
  /** `session.update`. */
  readonly session: SessionResource;
  /** `response.create`, `response.cancel`. */
  readonly response: ResponseResource;
  /** `input_audio_buffer.append`, `.commit`, `.clear`. */
  readonly input_audio_buffer: InputAudioBufferResource;
  /** `output_audio_buffer.clear`. */
  readonly output_audio_buffer: OutputAudioBufferResource;
  /** `conversation.item.create`, `.retrieve`, `.delete`, `.truncate`. */
  readonly conversation: ConversationResource;
  /** `transcription_session.update`. */
  readonly transcription_session: TranscriptionSessionResource;
  /** Resolves once the socket has closed, however that happened (never rejects). */
  readonly closed: Promise<CloseInfo>;

  private readonly queue: EventQueue<ServerEvent>;
  private readonly listeners = new ListenerRegistry<ServerEvent>();
  private readonly sentListeners = new Set<(event: RawClientEvent) => void>();
  private readonly closeWatchers = new Set<(info: CloseInfo) => void>();
  private iterating = false;
  private closing: CloseInfo | null = null;
  private finalClose: CloseInfo | null = null;
  private resolveClosed!: (info: CloseInfo) => void;
  private created: ServerEventOf<'session.created'> | null = null;
  private lastErrorBeforeSession: string | null = null;

  private constructor(
    private readonly transport: Transport,
    private readonly settings: ConnectionSettings,
  ) {
    this.queue = new EventQueue(settings.maxBufferedEvents);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    const send = (event: RawClientEvent) => this.write(event);
    this.session = new SessionResource(send);
    this.response = new ResponseResource(send);
    this.input_audio_buffer = new InputAudioBufferResource(send);
    this.output_audio_buffer = new OutputAudioBufferResource(send);
    this.conversation = new ConversationResource(send);
    this.transcription_session = new TranscriptionSessionResource(send);
    transport.listen({ onMessage: (text) => this.receive(text), onClose: (code, reason) => this.onSocketClosed(code, reason) });
  }

  /**
   * @internal Used by `connect()`: wraps an open transport and waits for `session.created`
   * (rejecting with {@link ConnectionError} if the socket closes first or `timeoutMs` passes).
   */
  static async open(transport: Transport, settings: ConnectionSettings, timeoutMs: number, signal: AbortSignal): Promise<VoiceLiveConnection> {
    const connection = new VoiceLiveConnection(transport, settings);
    try {
      await connection.untilSessionCreated(timeoutMs, signal);
    } catch (error) {
      connection.queue.discard();
      if (!connection.finalClose) transport.terminate();
      throw error;
    }
    return connection;
  }

  /** The session id from `session.created`. */
  get sessionId(): string {
    return this.created?.session.id ?? '';
  }

  /** The session as `session.created` reported it (defaults before any `session.update`). */
  get initialSession(): SessionObject {
    if (!this.created) throw new Error('session.created has not arrived');
    return this.created.session;
  }

  /** True until the connection starts closing (from either side). */
  get isOpen(): boolean {
    return this.closing === null && this.finalClose === null;
  }

  /** How the connection ended, once the socket has closed; null while open or closing. */
  get closeInfo(): CloseInfo | null {
    return this.finalClose;
  }

  /** Bytes written but not yet sent (grows when the network is slower than the audio you append). */
  get bufferedAmount(): number {
    return this.transport.bufferedAmount;
  }

  /** Events dropped because more than `maxBufferedEvents` were waiting unread. */
  get droppedEventCount(): number {
    return this.queue.droppedCount;
  }

  /**
   * Sends any client event as given (no `event_id` is added). For events without a resource
   * method (Azure's `input_text.delta`, `session.avatar.connect`, …). Returns the event's `event_id`.
   */
  send(event: RawClientEvent): string | undefined {
    this.write(event);
    return event.event_id;
  }

  /**
   * Calls `listener` synchronously for every event of `type` (`'*'`: every event) from now on, in
   * arrival order and before iteration sees it. Returns a function that removes the listener.
   * A listener that throws does not stop delivery; its error is rethrown asynchronously.
   */
  on<T extends ServerEventType>(type: T, listener: (event: ServerEventOf<T>) => void): () => void;
  on(type: '*', listener: (event: ServerEvent) => void): () => void;
  on(type: string, listener: (event: UnknownServerEvent) => void): () => void;
  on(type: string, listener: (event: never) => void): () => void {
    return this.listeners.add(type, listener as (event: ServerEvent) => void);
  }

  /** Calls `listener` with every client event just before it is written (for logs). Returns a remover. */
  onSent(listener: (event: RawClientEvent) => void): () => void {
    this.sentListeners.add(listener);
    return () => {
      this.sentListeners.delete(listener);
    };
  }

  /**
   * Resolves with the next event of `type` (`'*'`: any type) that arrives after this call and
   * passes `predicate`. Rejects with {@link EventTimeoutError} after `timeoutMs`, with
   * {@link ConnectionClosed} when the connection closes first, or with the signal's reason.
   * Call it before (or right after, with no `await` in between) sending what causes the event.
   */
  waitFor<T extends ServerEventType>(type: T, options?: WaitForOptions<ServerEventOf<T>>): Promise<ServerEventOf<T>>;
  waitFor(type: '*', options?: WaitForOptions<ServerEvent>): Promise<ServerEvent>;
  waitFor(type: string, options?: WaitForOptions<UnknownServerEvent>): Promise<UnknownServerEvent>;
  waitFor(type: string, options: WaitForOptions<never> = {}): Promise<unknown> {
    const ended = this.finalClose ?? this.closing;
    if (ended) return Promise.reject(new ConnectionClosed(ended));
    return waitForEvent(options as WaitForOptions<ServerEvent>, {
      subscribe: (listener) => this.on(type as '*', listener),
      watchEnd: (fail) => {
        const onClose = (info: CloseInfo) => fail(new ConnectionClosed(info));
        this.closeWatchers.add(onClose);
        return () => this.closeWatchers.delete(onClose);
      },
      timeoutError: (timeoutMs) => new EventTimeoutError(type, timeoutMs),
    });
  }

  /**
   * Reads the event stream: every event since `connect()` that no earlier loop has read, then
   * each new one as it arrives. One loop at a time (a second concurrent loop throws); leaving a
   * loop early keeps the connection open and the unread events for the next loop.
   */
  [Symbol.asyncIterator](): AsyncIterator<ServerEvent> {
    if (this.iterating) throw new Error('This connection is already being iterated; read it in one loop at a time (use on() or waitFor() elsewhere).');
    this.iterating = true;
    let finished = false;
    const finish = () => {
      if (!finished) this.iterating = false;
      finished = true;
    };
    return {
      next: async () => {
        if (finished) return { value: undefined, done: true };
        try {
          const result = await this.queue.next();
          if (result.done) finish();
          return result;
        } catch (error) {
          finish();
          throw error;
        }
      },
      return: async () => {
        finish();
        return { value: undefined, done: true };
      },
    };
  }

  /**
   * Closes the connection (default code 1000, reason "Client disconnect", as the official SDK
   * sends). Iteration ends at once (unread events are discarded), pending `waitFor`s reject with
   * {@link ConnectionClosed}, and later sends throw. Resolves when the socket has closed, or after
   * `closeTimeoutMs` when the server does not answer (the socket is then dropped).
   */
  async close(code = 1000, reason = 'Client disconnect'): Promise<CloseInfo> {
    if (this.finalClose) return this.finalClose;
    if (!this.closing) {
      this.closing = { code, reason, initiatedBy: 'client' };
      this.queue.discard();
      this.notifyClosing(this.closing);
      try {
        this.transport.close(code, reason);
      } catch {
        this.transport.terminate();
      }
      const timer = setTimeout(() => {
        if (!this.finalClose) {
          this.transport.terminate();
          this.onSocketClosed(code, reason);
        }
      }, this.settings.closeTimeoutMs);
      void this.closed.then(() => clearTimeout(timer));
    }
    return this.closed;
  }

  /** `await using connection = await connect(…)` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private write(event: RawClientEvent): void {
    const ended = this.finalClose ?? this.closing;
    if (ended) throw new ConnectionClosed(ended, `Cannot send '${event.type}': the connection is closed (code ${ended.code})`);
    if (typeof event?.type !== 'string' || !event.type) throw new TypeError('a client event needs a string "type"');
    const text = JSON.stringify(event);
    callEach(this.sentListeners, event);
    this.transport.send(text);
  }

  private receive(text: string): void {
    if (this.closing) return;
    const event = parseFrame(text);
    if (event.type === 'session.created' && !this.created) this.created = event;
    else if (event.type === 'error' && !this.created) this.lastErrorBeforeSession = event.error?.message ?? null;
    this.listeners.emit(event);
    this.queue.push(event);
  }

  private notifyClosing(info: CloseInfo): void {
    for (const watcher of [...this.closeWatchers]) watcher(info);
  }

  private onSocketClosed(code: number, reason: string): void {
    if (this.finalClose) return;
    const info: CloseInfo = this.closing ?? { code, reason, initiatedBy: 'server' };
    if (this.closing) {
      // Report what the socket really closed with, but keep the client as the initiator.
      info.code = code;
      info.reason = reason;
    }
    this.finalClose = info;
    if (!this.closing) {
      this.closing = info;
      if (NORMAL_CLOSE_CODES.has(code)) this.queue.end();
      else this.queue.fail(new ConnectionClosed(info));
      this.notifyClosing(info);
    }
    this.resolveClosed(info);
  }

  private untilSessionCreated(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.created) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        removeListener();
        this.closeWatchers.delete(onClose);
        signal.removeEventListener('abort', onAbort);
      };
      const removeListener = this.on('session.created', () => {
        cleanup();
        resolve();
      });
      const onClose = (info: CloseInfo) => {
        cleanup();
        const said = this.lastErrorBeforeSession;
        reject(
          new ConnectionError(
            'closed_before_session',
            `The server closed the connection before the session started: code ${info.code}${info.reason ? ` (${info.reason})` : ''}${said ? `; it said: ${said}` : ''}`,
            { closeCode: info.code, closeReason: info.reason, serverMessage: said },
          ),
        );
      };
      this.closeWatchers.add(onClose);
      const timer = setTimeout(() => {
        cleanup();
        reject(new ConnectionError('timeout', `No session.created within ${timeoutMs} ms of connecting`));
      }, timeoutMs);
      const onAbort = () => {
        cleanup();
        reject(new ConnectionError('aborted', 'Connecting was aborted', { cause: signal.reason }));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
      if (this.finalClose) onClose(this.finalClose);
    });
  }
}
