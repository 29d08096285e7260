/**
 * The connection of one `voicelive chat` run, on the `voicelive/client` SDK: connects (turning
 * connect errors into one-line failures), logs every event sent and received, configures the
 * session (formats, transcription, server VAD, voice, instructions) and waits until the server has
 * accepted that, then hands each server event to the mode's handlers in arrival order.
 *
 * `failed` rejects with a {@link ChatFailure} when the run cannot go on: the server closed the
 * connection, it dropped, or a handler declared a failure.
 */
import type { ServerEvent, SessionUpdate, VoiceLiveConnection } from '../../client/index.js';
import { ConnectionClosed, connect, describeCloseCode } from '../../client/index.js';
import { ChatFailure } from './chatFailure.js';
import { describeConnectFailure } from './connectFailure.js';
import type { EventLog } from './eventLog.js';

/** Input and output audio of every chat session: PCM16 mono at 24 kHz. */
export const SESSION_SAMPLE_RATE_HZ = 24_000;

/** Sent as the credential when no key is given (a keyless voicelive server accepts anything). */
const NO_KEY = 'none';

const SESSION_UPDATE_TIMEOUT_MS = 15_000;

export interface ChatSessionOptions {
  endpoint: string;
  apiKey: string | undefined;
  model: string;
  voice: string | undefined;
  instructions: string | undefined;
  /** `input_audio_transcription.model`; null leaves transcription off (no `you:` lines for speech). */
  transcriptionModel: string | null;
  /** Text answers only (`modalities: ["text"]`). */
  textOnly: boolean;
  log: EventLog | null;
  connectTimeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Azure neural voice names (`en-US-AvaNeural`, `en-US-Ava:DragonHDLatestNeural`) go as an
 * `azure-standard` voice object; anything else (`alloy`, a local voice) as a string.
 */
export function voiceSetting(voice: string): SessionUpdate['voice'] {
  return /^[a-z]{2,3}-[A-Z]{2,}-\S+$/.test(voice) ? { type: 'azure-standard', name: voice } : voice;
}

/** `whisper-1` for the realtime models; `azure-speech` for Azure's cascaded models (gpt-4o, phi, …). */
export function defaultTranscriptionModel(model: string): string {
  return /realtime/i.test(model) ? 'whisper-1' : 'azure-speech';
}

/** The `session.update` a chat run sends. */
export function chatSessionUpdate(options: Pick<ChatSessionOptions, 'voice' | 'instructions' | 'transcriptionModel' | 'textOnly'>): SessionUpdate {
  const session: SessionUpdate = {
    modalities: options.textOnly ? ['text'] : ['text', 'audio'],
    input_audio_format: 'pcm16',
    output_audio_format: 'pcm16',
    turn_detection: { type: 'server_vad' },
  };
  if (options.transcriptionModel) session.input_audio_transcription = { model: options.transcriptionModel };
  if (options.voice) session.voice = voiceSetting(options.voice);
  if (options.instructions !== undefined) session.instructions = options.instructions;
  return session;
}

type Handler = (event: ServerEvent) => void;

export class ChatSession {
  /** Rejects with the failure that ends the run; never resolves. */
  readonly failed: Promise<never>;
  private rejectFailed!: (failure: ChatFailure) => void;
  private failure: ChatFailure | null = null;
  private readonly handlers = new Set<Handler>();
  private closing = false;
  private lastServerError: string | null = null;
  private readonly loop: Promise<void>;
  /** Resolves once the first event (`session.created`) has been read, so the log starts with it. */
  private readonly firstEventRead: Promise<void>;
  private markFirstEventRead!: () => void;

  private constructor(
    readonly connection: VoiceLiveConnection,
    private readonly log: EventLog | null,
  ) {
    this.failed = new Promise<never>((_, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined);
    this.firstEventRead = new Promise((resolve) => (this.markFirstEventRead = resolve));
    connection.onSent((event) => log?.record('sent', event));
    this.loop = this.readEvents();
  }

  /** Connects, then configures the session. Throws {@link ChatFailure}. */
  static async open(options: ChatSessionOptions): Promise<ChatSession> {
    let connection: VoiceLiveConnection;
    // The caller's signal aborts connecting only; once connected, the run decides how to close.
    const connecting = new AbortController();
    const onAbort = () => connecting.abort();
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      connection = await connect({
        endpoint: options.endpoint,
        credential: options.apiKey ?? NO_KEY,
        model: options.model,
        connectTimeoutMs: options.connectTimeoutMs,
        signal: connecting.signal,
      });
    } catch (error) {
      throw describeConnectFailure(error, options.endpoint, options.apiKey !== undefined);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    const session = new ChatSession(connection, options.log);
    try {
      await Promise.race([session.firstEventRead, session.failed]);
      await session.configure(chatSessionUpdate(options));
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** Calls `handler` for every server event from now on; returns a remover. */
  onEvent(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Ends the run with `failure` (the first one wins). */
  fail(failure: ChatFailure): void {
    if (this.failure || this.closing) return;
    this.failure = failure;
    this.rejectFailed(failure);
  }

  /** The message of the last server `error` event, for context in later failures. */
  get lastError(): string | null {
    return this.lastServerError;
  }

  get isOpen(): boolean {
    return this.connection.isOpen && !this.closing;
  }

  /** Closes the connection (normal closure) and stops delivering events. */
  async close(): Promise<void> {
    this.closing = true;
    await this.connection.close();
    await this.loop;
  }

  private async configure(session: SessionUpdate): Promise<void> {
    const eventId = `evt_chat_session_${Date.now()}`;
    const answer = this.connection.waitFor('*', {
      predicate: (event) => event.type === 'session.updated' || (event.type === 'error' && event.error?.event_id === eventId),
      timeoutMs: SESSION_UPDATE_TIMEOUT_MS,
    });
    answer.catch(() => undefined);
    this.connection.session.update({ session, event_id: eventId });
    let event: ServerEvent;
    try {
      event = await Promise.race([answer, this.failed]);
    } catch (error) {
      if (error instanceof ChatFailure) throw error;
      throw new ChatFailure(`the server did not accept the session settings: ${(error as Error).message}`);
    }
    if (event.type === 'error') throw new ChatFailure(`the server refused the session settings: ${event.error.message}`);
  }

  private async readEvents(): Promise<void> {
    try {
      for await (const event of this.connection) {
        this.log?.record('received', event);
        this.markFirstEventRead();
        if (event.type === 'error') this.lastServerError = event.error?.message ?? null;
        for (const handler of [...this.handlers]) {
          try {
            handler(event);
          } catch (error) {
            this.fail(error instanceof ChatFailure ? error : new ChatFailure(`internal error: ${(error as Error).stack ?? String(error)}`));
          }
        }
      }
      if (!this.closing) {
        const info = this.connection.closeInfo;
        this.fail(new ChatFailure(`the server ended the session${info ? ` (code ${info.code}${info.reason ? `: ${info.reason}` : ''})` : ''}${this.errorContext()}`));
      }
    } catch (error) {
      if (this.closing) return;
      if (error instanceof ConnectionClosed) {
        const reason = error.reason ? `: ${error.reason}` : '';
        this.fail(new ChatFailure(`the connection was closed by the server with code ${error.code} (${describeCloseCode(error.code)})${reason}${this.errorContext()}`));
      } else {
        this.fail(new ChatFailure(`the connection failed: ${(error as Error).message}`));
      }
    }
  }

  private errorContext(): string {
    return this.lastServerError ? `; last server error: ${this.lastServerError}` : '';
  }
}
