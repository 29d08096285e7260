/// <reference lib="esnext.disposable" />
/**
 * `VoiceAgent`: a voice conversation on top of `voicelive/client`, shaped like the realtime-model
 * plugins of agent frameworks. It connects and configures the session, converts the app's audio
 * both ways, turns the wire events into a few typed events (speech start/stop of both sides,
 * transcriptions, text, audio chunks, function calls, errors, per-turn metrics), and handles
 * interruptions: cancel the response, drop queued audio, truncate the assistant item to what was
 * heard.
 *
 * @example
 * ```ts
 * const agent = createVoiceAgent({
 *   endpoint: 'http://localhost:8080', credential: 'local', model: 'gpt-realtime',
 *   instructions: 'Be brief.', inputAudio: { sampleRateHz: 48_000, channels: 2 },
 * });
 * agent.on('transcription', (e) => e.isFinal && console.log(`${e.role}: ${e.text}`));
 * agent.on('agent_audio', (e) => speaker.write(e.pcm));
 * agent.on('agent_audio_cleared', () => speaker.clear());
 * agent.on('metrics', (e) => console.log(e.metrics));
 * await agent.connect();
 * microphone.on('data', (pcm) => agent.pushAudio(pcm));
 * ```
 */
import { loadResampler } from '../audio/resampler.js';
import { decodePcm16 } from '../client/audio.js';
import { connect } from '../client/connect.js';
import type { VoiceLiveConnection } from '../client/connection.js';
import type { CloseInfo } from '../client/errors.js';
import { ConnectionClosed, ConnectionError, EventTimeoutError } from '../client/errors.js';
import type { ServerEvent, ServerEventOf, SessionObject } from '../client/events.js';
import type { ResponseCreateParams, SessionUpdate } from '../client/resources.js';
import { newEventId } from '../client/resources.js';
import type { ResolvedAgentConfig, VoiceAgentConfig } from './agentConfig.js';
import { SESSION_SAMPLE_RATE_HZ, resolveAgentConfig, sessionUpdateFor } from './agentConfig.js';
import { VoiceAgentError } from './agentErrors.js';
import { AgentEventEmitter } from './agentEventEmitter.js';
import type { AgentAudioClearedEvent } from './agentEvents.js';
import type { AppAudio } from './audioInput.js';
import { AudioInputConverter } from './audioInput.js';
import { AudioOutputConverter } from './audioOutput.js';
import { PlaybackTracker } from './playbackTracker.js';
import { TurnMetricsTracker } from './turnMetrics.js';

type AgentState = 'idle' | 'connecting' | 'ready' | 'closing' | 'closed';

/** A response between `response.created` and `response.done`. */
interface ActiveResponse {
  id: string;
  /** The user or `interrupt()` cut it off. */
  interrupted: boolean;
  /** Its remaining audio is dropped (after an interruption). */
  muted: boolean;
}

/** The assistant item whose audio is streaming now. */
interface SpeakingItem {
  itemId: string;
  responseId: string;
  /** Output frames delivered in `agent_audio` events. */
  deliveredFrames: number;
  stopped: boolean;
  playback: PlaybackTracker;
}

/** What `interrupt()` did. */
export interface InterruptResult {
  /** The response that was cancelled, if one was in progress. */
  cancelledResponseId: string | null;
  /** The assistant item that was cut, and where (ms of its audio kept); null when nothing was truncated. */
  truncatedItemId: string | null;
  truncatedAtMs: number | null;
}

/** Session fields the agent manages itself; `updateSession()` refuses them. */
const MANAGED_SESSION_FIELDS = ['input_audio_format', 'output_audio_format', 'input_audio_sampling_rate'] as const;

const NORMAL_CLOSE_CODES = new Set([1000, 1005]);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export class VoiceAgent extends AgentEventEmitter implements AsyncDisposable {
  readonly config: ResolvedAgentConfig;
  private state: AgentState = 'idle';
  private conn: VoiceLiveConnection | null = null;
  private input: AudioInputConverter | null = null;
  private output: AudioOutputConverter | null = null;
  private readonly tracker = new TurnMetricsTracker();
  private currentSession: SessionObject | null = null;
  private activeResponse: ActiveResponse | null = null;
  private speaking: SpeakingItem | null = null;
  /** The latest assistant item with audio, until it is cut or superseded (for truncation). */
  private lastPlayback: PlaybackTracker | null = null;
  /** Function calls of the latest response still waiting for `sendToolResult`. */
  private readonly openToolCalls = new Set<string>();
  /** The app asked for a response while one was active or tool results were missing. */
  private responseWanted: ResponseCreateParams | null = null;
  /** Client event ids whose `error` answers are handled elsewhere (rejected promises, expected races). */
  private readonly handledErrorEventIds = new Set<string>();
  private readonly cancelEventIds = new Set<string>();
  private sentAudioSamples = 0;
  private readLoop: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private readonly connectAbort = new AbortController();
  /** Set once `connect()` succeeded; `closed` is announced only for a session that was ready. */
  private wasReady = false;

  constructor(config: VoiceAgentConfig) {
    super();
    this.config = resolveAgentConfig(config);
  }

  /** True between a successful `connect()` and the connection's end. */
  get isReady(): boolean {
    return this.state === 'ready';
  }

  /** The session as the server last reported it (`session.created` / `session.updated`); null before connecting. */
  get session(): SessionObject | null {
    return this.currentSession;
  }

  /**
   * The underlying client connection, for events or calls the agent does not wrap. The agent reads
   * its event stream, so use `connection.on(...)` / `waitFor(...)` rather than a `for await` loop
   * (those run as events arrive, a few microtasks before the agent handles them). Null before connecting.
   */
  get connection(): VoiceLiveConnection | null {
    return this.conn;
  }

  /** Interruptions so far (see `TurnMetrics.interruptionCount`). */
  get interruptionCount(): number {
    return this.tracker.interruptionCount;
  }

  /** Ms of audio sent to the session by `pushAudio()` / `flushAudio()` so far (the server's input audio clock). */
  get sentAudioMs(): number {
    return (this.sentAudioSamples * 1000) / SESSION_SAMPLE_RATE_HZ;
  }

  /**
   * Connects and configures the session; resolves once the server has started the session and
   * acknowledged the agent's `session.update`. Rejects with {@link VoiceAgentError}: `connect_timeout`
   * after `connectTimeoutMs`, `connection_failed` (refused credential, network, HTTP error; the
   * client's `ConnectionError` is the `cause`), `session_rejected` (the server refused the
   * configuration; `serverCode` says why). Nothing is left open after a rejection.
   */
  async connect(): Promise<this> {
    if (this.state !== 'idle') throw new Error(`connect() can be called once (the agent is ${this.state})`);
    this.state = 'connecting';
    const startedAt = Date.now();
    const timeoutMs = this.config.connectTimeoutMs;
    const remainingMs = () => Math.max(1, timeoutMs - (Date.now() - startedAt));
    try {
      await loadResampler();
      this.input = new AudioInputConverter(this.config.inputAudio);
      this.output = new AudioOutputConverter(this.config.outputAudio);
      let connection: VoiceLiveConnection;
      try {
        connection = await connect({
          endpoint: this.config.endpoint,
          credential: this.config.credential,
          model: this.config.model,
          agent: this.config.agent,
          apiVersion: this.config.apiVersion,
          path: this.config.path,
          headers: this.config.headers,
          WebSocket: this.config.WebSocket,
          connectTimeoutMs: remainingMs(),
          closeTimeoutMs: this.config.closeTimeoutMs,
          signal: this.connectAbort.signal,
        });
      } catch (error) {
        throw this.connectFailure(error, timeoutMs);
      }
      this.conn = connection;
      this.currentSession = connection.initialSession;
      this.readLoop = this.read(connection);
      await this.sendSessionUpdate(sessionUpdateFor(this.config), remainingMs(), `connect() did not finish within ${timeoutMs} ms: the server did not acknowledge the session.update`);
      if (this.state !== 'connecting') throw new VoiceAgentError('not_connected', 'close() was called while connecting');
      this.state = 'ready';
      this.wasReady = true;
      return this;
    } catch (error) {
      this.state = 'closed';
      if (this.conn) void this.conn.close();
      this.releaseAudio();
      throw error;
    }
  }

  /**
   * Sends microphone audio in the configured input format (interleaved PCM16 samples, or their
   * little-endian bytes); it is converted to 24 kHz mono and appended to the session. Chunks may
   * have any size, down to a partial frame.
   */
  pushAudio(audio: AppAudio): void {
    this.requireConnection();
    this.appendSamples((this.input as AudioInputConverter).push(audio));
  }

  /** Sends the few ms of audio the resampler still holds (call at the end of an input stream, e.g. a file). */
  flushAudio(): void {
    this.requireConnection();
    this.appendSamples((this.input as AudioInputConverter).flush());
  }

  /** Manual turns (`turnDetection: null`): ends the user's audio turn (`input_audio_buffer.commit`). Follow with `createResponse()`. */
  commitAudio(): void {
    const connection = this.requireConnection();
    this.flushAudio();
    connection.input_audio_buffer.commit();
  }

  /** Discards audio sent but not yet committed (`input_audio_buffer.clear`) and what the resampler holds. */
  clearAudio(): void {
    const connection = this.requireConnection();
    (this.input as AudioInputConverter).reset();
    connection.input_audio_buffer.clear();
  }

  /** Adds a user text message and (unless `createResponse: false`) asks for a response. */
  sendText(text: string, options: { createResponse?: boolean } = {}): void {
    const connection = this.requireConnection();
    if (typeof text !== 'string') throw new TypeError('text must be a string');
    connection.conversation.item.create({ item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
    if (options.createResponse ?? true) this.requestResponse({});
  }

  /**
   * Answers a `function_call` event: adds the `function_call_output` item (`output` as given when a
   * string, else JSON) and then asks for a response, once every call of that response has its
   * result and the response itself is done (`createResponse: false` skips the response).
   */
  sendToolResult(callId: string, output: unknown, options: { createResponse?: boolean } = {}): void {
    const connection = this.requireConnection();
    if (typeof callId !== 'string' || !callId) throw new TypeError('callId must be the call_id of a function_call event');
    const text = typeof output === 'string' ? output : JSON.stringify(output ?? null);
    connection.conversation.item.create({ item: { type: 'function_call_output', call_id: callId, output: text } });
    this.openToolCalls.delete(callId);
    if (options.createResponse ?? true) this.requestResponse({});
  }

  /**
   * Asks for a response (`response.create`), e.g. after `commitAudio()`. While another response is
   * in progress, or function calls still wait for results, the request is held and sent after.
   */
  createResponse(params: ResponseCreateParams = {}): void {
    this.requireConnection();
    this.requestResponse(params);
  }

  /**
   * Stops the agent talking: cancels the response in progress, emits `agent_audio_cleared` (drop
   * queued playback), drops the rest of the response's audio, and truncates the assistant item to
   * what was heard: `playedMs` when given, else the position last given to `reportPlayback()`, else
   * real-time playback since the item's first audio (capped at the audio received).
   */
  interrupt(options: { playedMs?: number } = {}): InterruptResult {
    const connection = this.requireConnection();
    if (options.playedMs !== undefined && (!Number.isFinite(options.playedMs) || options.playedMs < 0)) {
      throw new RangeError(`playedMs must be a non-negative number, got ${options.playedMs}`);
    }
    const now = this.config.now();
    const active = this.activeResponse;
    let cancelledResponseId: string | null = null;
    if (active) {
      active.muted = true;
      if (!active.interrupted) {
        active.interrupted = true;
        this.tracker.responseInterrupted(active.id);
        const eventId = connection.response.cancel({ response_id: active.id });
        this.cancelEventIds.add(eventId);
        // Only the latest few can still be answered; keep the set small.
        if (this.cancelEventIds.size > 16) this.cancelEventIds.delete(this.cancelEventIds.values().next().value as string);
        cancelledResponseId = active.id;
      }
    } else if (this.lastPlayback?.isPlaying(now) || (options.playedMs !== undefined && this.lastPlayback && options.playedMs < this.lastPlayback.receivedMs)) {
      this.tracker.playbackInterrupted();
    }
    const cleared = this.cutOff('interrupt', true, options.playedMs);
    return { cancelledResponseId, truncatedItemId: cleared.truncatedAtMs === null ? null : cleared.itemId, truncatedAtMs: cleared.truncatedAtMs };
  }

  /**
   * Tells the agent how much of an assistant item the app's speaker has played (ms of the item's
   * audio, as in `agent_audio.startMs`). Used to truncate the item when the user interrupts.
   */
  reportPlayback(itemId: string, playedMs: number): void {
    if (this.lastPlayback?.itemId === itemId) this.lastPlayback.report(playedMs);
  }

  /**
   * Changes the session (instructions, voice, tools, turn detection, …) and resolves with the
   * session once the server acknowledged it. Audio formats are managed by the agent and refused here.
   */
  async updateSession(update: SessionUpdate): Promise<SessionObject> {
    this.requireConnection();
    for (const field of MANAGED_SESSION_FIELDS) {
      if (update[field] !== undefined) throw new TypeError(`${field} is managed by the voice agent (configure inputAudio / outputAudio instead)`);
    }
    const timeoutMs = this.config.sessionUpdateTimeoutMs;
    return this.sendSessionUpdate(update, timeoutMs, `The server did not acknowledge the session.update within ${timeoutMs} ms`, 'session_update_timeout');
  }

  /** Closes the connection (normal close, 1000); resolves once it is closed and the `closed` event was emitted. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      if (this.state === 'idle' || this.state === 'closed') {
        this.state = 'closed';
        this.releaseAudio();
        return;
      }
      if (this.state === 'connecting') this.connectAbort.abort(new VoiceAgentError('not_connected', 'close() was called while connecting'));
      this.state = 'closing';
      await this.conn?.close();
      await this.readLoop;
      this.state = 'closed';
      this.releaseAudio();
    })();
    return this.closing;
  }

  /** `await using agent = await createVoiceAgent(…).connect()` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- connecting ----

  private connectFailure(error: unknown, timeoutMs: number): Error {
    if (error instanceof VoiceAgentError) return error;
    if (error instanceof ConnectionError) {
      if (error.kind === 'timeout') {
        return new VoiceAgentError('connect_timeout', `connect() did not finish within ${timeoutMs} ms: ${error.message}`, { cause: error, connectionErrorKind: error.kind });
      }
      if (error.kind === 'aborted' && this.connectAbort.signal.aborted) {
        return new VoiceAgentError('not_connected', 'close() was called while connecting', { cause: error, connectionErrorKind: error.kind });
      }
      return new VoiceAgentError('connection_failed', error.message, {
        cause: error,
        connectionErrorKind: error.kind,
        statusCode: error.statusCode,
        closeCode: error.closeCode,
      });
    }
    if (error instanceof TypeError) return error;
    return new VoiceAgentError('connection_failed', error instanceof Error ? error.message : String(error), { cause: error });
  }

  /** Sends `session.update` and waits for `session.updated`, or the `error` answering it. */
  private async sendSessionUpdate(update: SessionUpdate, timeoutMs: number, timeoutMessage: string, timeoutKind: 'connect_timeout' | 'session_update_timeout' = 'connect_timeout'): Promise<SessionObject> {
    const connection = this.conn as VoiceLiveConnection;
    const eventId = newEventId();
    this.handledErrorEventIds.add(eventId);
    const settled = new AbortController();
    const signal = AbortSignal.any([settled.signal, this.connectAbort.signal]);
    const updated = connection.waitFor('session.updated', { timeoutMs, signal });
    const refused = connection.waitFor('error', { predicate: (e) => e.error?.event_id === eventId, signal });
    // The loser of the race below rejects when `settled` aborts; nothing waits for it.
    updated.catch(() => undefined);
    refused.catch(() => undefined);
    try {
      connection.session.update({ session: update, event_id: eventId });
      const outcome = await Promise.race([updated, refused]);
      if (outcome.type === 'error') {
        const details = outcome.error;
        throw new VoiceAgentError('session_rejected', `The server refused the session configuration: ${details.message}`, {
          serverCode: details.code,
          serverType: details.type,
          param: details.param,
          clientEventId: eventId,
        });
      }
      // Acknowledged: no error will quote this id (a refusal's id is removed when the loop sees it).
      this.handledErrorEventIds.delete(eventId);
      this.currentSession = outcome.session;
      return outcome.session;
    } catch (error) {
      if (error instanceof VoiceAgentError) throw error;
      if (error instanceof EventTimeoutError) throw new VoiceAgentError(timeoutKind, timeoutMessage, { cause: error });
      if (error instanceof ConnectionClosed) {
        throw new VoiceAgentError('connection_closed', `The connection closed before the session.update was acknowledged: ${error.message}`, { cause: error, closeCode: error.code });
      }
      throw error;
    } finally {
      settled.abort();
    }
  }

  // ---- server events ----

  private async read(connection: VoiceLiveConnection): Promise<void> {
    let failure: unknown = null;
    try {
      for await (const event of connection) {
        try {
          this.handle(event);
        } catch (error) {
          // A bug here must not stop the event loop; surface it like a listener error.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    } catch (error) {
      failure = error;
    }
    const info = await connection.closed;
    this.onConnectionEnded(info, failure);
  }

  private handle(event: ServerEvent): void {
    const now = this.config.now();
    switch (event.type) {
      case 'session.created':
      case 'session.updated':
        this.currentSession = event.session;
        return;
      case 'input_audio_buffer.speech_started':
        this.tracker.userSpeechStarted(event.item_id, event.audio_start_ms);
        this.emit({ type: 'user_speech_started', itemId: event.item_id, audioStartMs: event.audio_start_ms });
        this.onUserSpeechStarted(now);
        return;
      case 'input_audio_buffer.speech_stopped':
        this.tracker.userSpeechStopped(event.item_id, event.audio_end_ms, now);
        this.emit({ type: 'user_speech_stopped', itemId: event.item_id, audioEndMs: event.audio_end_ms });
        return;
      case 'input_audio_buffer.committed':
        this.tracker.userCommitted(event.item_id, now);
        return;
      case 'conversation.item.input_audio_transcription.delta':
        this.emit({ type: 'transcription', role: 'user', itemId: event.item_id, responseId: null, text: event.delta, isFinal: false });
        return;
      case 'conversation.item.input_audio_transcription.completed':
        this.tracker.userTranscribed(event.item_id, now);
        this.emit({ type: 'transcription', role: 'user', itemId: event.item_id, responseId: null, text: event.transcript, isFinal: true });
        return;
      case 'conversation.item.input_audio_transcription.failed':
        this.emitError(
          new VoiceAgentError('transcription_failed', `The user's speech could not be transcribed: ${event.error?.message ?? 'unknown error'}`, {
            serverCode: event.error?.code,
            serverType: event.error?.type,
            itemId: event.item_id,
          }),
        );
        return;
      case 'response.created':
        this.activeResponse = { id: event.response.id, interrupted: false, muted: false };
        this.openToolCalls.clear();
        this.tracker.responseCreated(event.response.id, now);
        return;
      case 'response.audio_transcript.delta':
        this.tracker.textDelta(event.response_id, now);
        this.emit({ type: 'transcription', role: 'assistant', itemId: event.item_id, responseId: event.response_id, text: event.delta, isFinal: false });
        return;
      case 'response.audio_transcript.done':
        this.emit({ type: 'transcription', role: 'assistant', itemId: event.item_id, responseId: event.response_id, text: event.transcript, isFinal: true });
        return;
      case 'response.text.delta':
        this.tracker.textDelta(event.response_id, now);
        this.emit({ type: 'text', itemId: event.item_id, responseId: event.response_id, text: event.delta, isFinal: false });
        return;
      case 'response.text.done':
        this.emit({ type: 'text', itemId: event.item_id, responseId: event.response_id, text: event.text, isFinal: true });
        return;
      case 'response.audio.delta':
        this.onAudioDelta(event, now);
        return;
      case 'response.audio.done':
        if (this.speaking?.itemId === event.item_id) this.stopSpeaking(this.speaking, this.isInterrupted(event.response_id));
        return;
      case 'response.function_call_arguments.done':
        this.openToolCalls.add(event.call_id);
        this.emit({
          type: 'function_call',
          callId: event.call_id,
          name: event.name,
          arguments: event.arguments,
          parsedArguments: parseJson(event.arguments),
          itemId: event.item_id,
          responseId: event.response_id,
        });
        return;
      case 'response.done':
        this.onResponseDone(event, now);
        return;
      case 'error':
        this.onServerError(event);
        return;
      default:
        return;
    }
  }

  private isInterrupted(responseId: string): boolean {
    return this.activeResponse?.id === responseId && this.activeResponse.interrupted;
  }

  private onAudioDelta(event: ServerEventOf<'response.audio.delta'>, now: number): void {
    const pcm = decodePcm16(event);
    const audioMs = (pcm.length * 1000) / SESSION_SAMPLE_RATE_HZ;
    this.tracker.audioDelta(event.response_id, audioMs, now);
    const active = this.activeResponse;
    if (active?.id === event.response_id && active.muted) return;
    let item = this.speaking;
    if (!item || item.itemId !== event.item_id) {
      if (item) this.stopSpeaking(item, false);
      (this.output as AudioOutputConverter).reset();
      item = { itemId: event.item_id, responseId: event.response_id, deliveredFrames: 0, stopped: false, playback: new PlaybackTracker(event.item_id, event.response_id, now) };
      this.speaking = item;
      this.lastPlayback = item.playback;
      this.emit({ type: 'agent_speech_started', responseId: event.response_id, itemId: event.item_id });
    }
    item.playback.received(audioMs);
    this.emitAudio(item, (this.output as AudioOutputConverter).push(pcm));
  }

  private emitAudio(item: SpeakingItem, pcm: Int16Array): void {
    const { sampleRateHz, channels } = this.config.outputAudio;
    const frames = pcm.length / channels;
    if (frames === 0) return;
    const startMs = (item.deliveredFrames * 1000) / sampleRateHz;
    item.deliveredFrames += frames;
    this.emit({ type: 'agent_audio', responseId: item.responseId, itemId: item.itemId, pcm, sampleRateHz, channels, startMs, durationMs: (frames * 1000) / sampleRateHz });
  }

  /** Ends the item's audio: delivers the resampler's tail (or drops it when interrupted) and emits `agent_speech_stopped`. */
  private stopSpeaking(item: SpeakingItem, interrupted: boolean): void {
    if (item.stopped) return;
    item.stopped = true;
    const output = this.output as AudioOutputConverter;
    if (interrupted) output.reset();
    else this.emitAudio(item, output.flush());
    if (this.speaking === item) this.speaking = null;
    this.emit({
      type: 'agent_speech_stopped',
      responseId: item.responseId,
      itemId: item.itemId,
      interrupted,
      audioDurationMs: (item.deliveredFrames * 1000) / this.config.outputAudio.sampleRateHz,
    });
  }

  private onUserSpeechStarted(now: number): void {
    const turnDetection = this.currentSession?.turn_detection;
    if (!turnDetection || turnDetection.interrupt_response === false) return;
    const active = this.activeResponse;
    const cutsResponse = active !== null && !active.interrupted;
    const cutsPlayback = !cutsResponse && (this.lastPlayback?.isPlaying(now) ?? false);
    if (cutsResponse) {
      active.interrupted = true;
      this.tracker.responseInterrupted(active.id);
    } else if (cutsPlayback) {
      this.tracker.playbackInterrupted();
    }
    if (!this.config.interruptOnUserSpeech || (!cutsResponse && !cutsPlayback)) return;
    if (active) active.muted = true;
    // With auto_truncate the server cuts the item itself (to its own real-time estimate).
    this.cutOff('user_speech', turnDetection.auto_truncate !== true, undefined);
  }

  /** Stops local output, truncates the last assistant item to what was heard, and emits `agent_audio_cleared`. */
  private cutOff(reason: AgentAudioClearedEvent['reason'], truncate: boolean, playedMs: number | undefined): AgentAudioClearedEvent {
    const now = this.config.now();
    const connection = this.conn as VoiceLiveConnection;
    if (this.speaking) this.stopSpeaking(this.speaking, true);
    else this.output?.reset();
    const playback = this.lastPlayback;
    this.lastPlayback = null;
    let truncatedAtMs: number | null = null;
    if (truncate && playback) {
      const heardMs = Math.floor(playedMs === undefined ? playback.playedMs(now) : Math.min(playedMs, playback.receivedMs));
      if (heardMs < Math.floor(playback.receivedMs)) {
        connection.conversation.item.truncate({ item_id: playback.itemId, content_index: 0, audio_end_ms: heardMs });
        truncatedAtMs = heardMs;
      }
    }
    const event: AgentAudioClearedEvent = {
      type: 'agent_audio_cleared',
      reason,
      responseId: playback?.responseId ?? this.activeResponse?.id ?? null,
      itemId: playback?.itemId ?? null,
      truncatedAtMs,
    };
    this.emit(event);
    return event;
  }

  private onResponseDone(event: ServerEventOf<'response.done'>, now: number): void {
    const response = event.response;
    const interrupted = this.isInterrupted(response.id);
    if (this.speaking?.responseId === response.id) this.stopSpeaking(this.speaking, interrupted || response.status !== 'completed');
    if (this.activeResponse?.id === response.id) this.activeResponse = null;
    const details = response.status_details;
    if (response.status === 'failed') {
      const failure = details && details.type === 'failed' ? details.error : null;
      this.emitError(
        new VoiceAgentError('response_failed', `The response failed: ${failure?.message ?? 'no reason given'}`, {
          serverCode: failure?.code,
          serverType: failure?.type,
          responseId: response.id,
        }),
      );
    }
    const reason = details && 'reason' in details ? details.reason : null;
    this.emit({ type: 'response_done', responseId: response.id, status: response.status, reason });
    const metrics = this.tracker.responseDone(response.id, response.status, response.usage, now);
    if (metrics) this.emit({ type: 'metrics', metrics });
    if (this.responseWanted && this.openToolCalls.size === 0 && !this.activeResponse && this.state === 'ready') {
      const params = this.responseWanted;
      this.responseWanted = null;
      this.sendResponseCreate(params);
    }
  }

  private onServerError(event: ServerEventOf<'error'>): void {
    const details = event.error;
    const clientEventId = details?.event_id ?? null;
    if (clientEventId && this.handledErrorEventIds.delete(clientEventId)) return;
    // Cancelling just as the response finished is an expected race.
    if (clientEventId && this.cancelEventIds.delete(clientEventId) && details.code === 'response_cancel_not_active') return;
    this.emitError(
      new VoiceAgentError('server_error', details?.message ?? 'The server reported an error', {
        serverCode: details?.code,
        serverType: details?.type,
        param: details?.param,
        clientEventId,
      }),
    );
  }

  private onConnectionEnded(info: CloseInfo, failure: unknown): void {
    if (this.state !== 'closing') this.state = 'closed';
    if (this.speaking) this.stopSpeaking(this.speaking, true);
    const abnormal = !NORMAL_CLOSE_CODES.has(info.code) && info.initiatedBy === 'server';
    const error = abnormal
      ? new VoiceAgentError('connection_closed', failure instanceof Error ? failure.message : `The connection closed with code ${info.code}${info.reason ? ` (${info.reason})` : ''}`, {
          closeCode: info.code,
          cause: failure ?? undefined,
        })
      : null;
    if (this.wasReady) {
      if (error) this.emitError(error);
      this.emit({ type: 'closed', code: info.code, reason: info.reason, initiatedBy: info.initiatedBy, error });
    }
    this.failWaiters(error ?? new VoiceAgentError('not_connected', 'The voice agent closed'));
  }

  // ---- helpers ----

  private emitError(error: VoiceAgentError): void {
    this.emit({ type: 'error', error });
  }

  private requireConnection(): VoiceLiveConnection {
    if (this.state !== 'ready' || !this.conn || !this.conn.isOpen) {
      throw new VoiceAgentError('not_connected', this.state === 'idle' || this.state === 'connecting' ? 'The voice agent is not connected yet: await connect() first' : 'The voice agent is closed');
    }
    return this.conn;
  }

  private appendSamples(samples: Int16Array): void {
    if (samples.length === 0) return;
    (this.conn as VoiceLiveConnection).input_audio_buffer.append(samples);
    this.sentAudioSamples += samples.length;
    this.tracker.audioSent(this.sentAudioMs, this.config.now());
  }

  private requestResponse(params: ResponseCreateParams): void {
    if (this.activeResponse || this.openToolCalls.size > 0) {
      this.responseWanted = params;
      return;
    }
    this.sendResponseCreate(params);
  }

  private sendResponseCreate(params: ResponseCreateParams): void {
    this.tracker.responseRequested(this.config.now());
    const hasParams = Object.keys(params).length > 0;
    (this.conn as VoiceLiveConnection).response.create(hasParams ? { response: params } : {});
  }

  private releaseAudio(): void {
    this.input?.destroy();
    this.output?.destroy();
    this.input = null;
    this.output = null;
  }
}

/** Creates a {@link VoiceAgent} (not yet connected: call `await agent.connect()`). */
export function createVoiceAgent(config: VoiceAgentConfig): VoiceAgent {
  return new VoiceAgent(config);
}
