/**
 * One realtime session: a thin dispatcher from client events to the parts that own the state
 * (config, conversation, input audio, turn taking, responses). It never sees a socket or a dialect:
 * it takes canonical client events and emits canonical server events. A client mistake becomes an
 * `error` event; nothing here may throw out to the connection.
 */
import { pcm16ToBase64 } from '../audio/pcm.js';
import type { LlmEngine } from '../engines/llm/types.js';
import type { ClientEvent, ClientEventOf } from '../protocol/clientEvents.js';
import { ProtocolError } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Item, MessageItem } from '../protocol/items.js';
import type { ServerEvent, WarningBody } from '../protocol/serverEvents.js';
import type { SessionConfig } from '../protocol/session.js';
import { Conversation } from './conversation.js';
import { InputAudioBuffer, decodeBase64Audio } from './inputAudioBuffer.js';
import type { CommittedAudio } from './inputAudioBuffer.js';
import { itemFromInput } from './itemFactory.js';
import { ResponseRunner } from './responseRunner.js';
import type { CancelReason, TextSegmenter } from './responseRunner.js';
import { ResponseSequencer } from './responseSequencer.js';
import { resolveResponseSettings } from './responseSettings.js';
import { applySessionUpdate, defaultSessionConfig } from './sessionConfig.js';
import type { SessionContext, SessionDefaults } from './sessionConfig.js';
import type { SpeechRendererFactory } from './speechRenderer.js';
import { truncateAssistantAudio } from './truncation.js';

/** Largest `conversation.item.retrieved` we send with audio inlined (frames must stay ≤ 1 MiB). */
const maxRetrievedAudioBase64Length = 900 * 1024;
/** Shortest audio a client commit accepts (OpenAI: 100 ms). */
const minCommitDurationMs = 100;

export interface SessionEngines {
  llm: LlmEngine;
  /** Null when no TTS engine is available: audio responses fall back to text with a warning. */
  speech: SpeechRendererFactory | null;
  createSegmenter(): TextSegmenter;
}

/** Hooks for the speech-input path (VAD, turn detection, ASR), attached by the session's owner. */
export interface InputAudioListener {
  onAudio(pcm: Int16Array, sampleRateHz: number, clockMs: number): void;
  onBufferCleared(): void;
  onConfigChanged(config: SessionConfig): void;
  /** A client `input_audio_buffer.commit`: the listener transcribes and adds the item. */
  onClientCommit(itemId: string, audio: CommittedAudio): void;
  close(): void;
}

export interface RealtimeSessionOptions {
  defaults: SessionDefaults;
  context: SessionContext;
  engines: SessionEngines;
  emit(event: ServerEvent): void;
  nowMs?(): number;
  log?(message: string, fields?: Record<string, unknown>): void;
}

export class RealtimeSession {
  readonly id = newId('sess');
  readonly conversation = new Conversation();
  readonly responses = new ResponseSequencer();
  private config: SessionConfig;
  readonly input: InputAudioBuffer;
  private inputListener: InputAudioListener | null = null;
  private closed = false;
  private readonly nowMs: () => number;

  constructor(private readonly options: RealtimeSessionOptions) {
    this.nowMs = options.nowMs ?? (() => performance.timeOrigin + performance.now());
    this.config = defaultSessionConfig(this.id, options.defaults, options.context, Date.now());
    this.input = new InputAudioBuffer(this.config.input_audio_format, this.config.input_audio_sampling_rate);
  }

  get session(): SessionConfig {
    return this.config;
  }

  private readonly startWarnings: WarningBody[] = [];

  /** A warning sent right after `session.created` (e.g. the model fell back to the default profile). */
  addStartWarning(warning: WarningBody): void {
    this.startWarnings.push(warning);
  }

  /** Sends `session.created` (and any start warnings); call once, before any client event is handled. */
  start(): void {
    this.emit({ type: 'session.created', session: this.config });
    for (const warning of this.startWarnings) this.emit({ type: 'warning', warning });
  }

  attachInputListener(listener: InputAudioListener): void {
    this.inputListener = listener;
    listener.onConfigChanged(this.config);
  }

  emit(event: ServerEvent): void {
    if (!this.closed) this.options.emit(event);
  }

  /** Reports a client mistake (or server fault) without ending the session. */
  emitError(error: ProtocolError, eventId: string | null): void {
    this.emit({ type: 'error', error: error.toWire(eventId) });
  }

  handle(event: ClientEvent): void {
    if (this.closed) return;
    try {
      this.dispatch(event);
    } catch (error) {
      const eventId = event.event_id ?? null;
      if (error instanceof ProtocolError) this.emitError(error, eventId);
      else {
        this.options.log?.('unexpected error handling client event', { type: event.type, error: String(error) });
        this.emitError(new ProtocolError('server_error', `Internal error while handling ${event.type}.`, null, 'server_error'), eventId);
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.responses.cancelAll('client_cancelled');
    this.inputListener?.close();
    this.closed = true;
    this.options.engines.llm.releaseSession?.(this.id);
  }

  private dispatch(event: ClientEvent): void {
    switch (event.type) {
      case 'session.update':
        return this.updateSession(event);
      case 'input_audio_buffer.append':
        return this.appendAudio(event.audio, 'audio');
      case 'input_audio_buffer.commit':
        return this.commitAudio();
      case 'input_audio_buffer.clear':
      case 'input_audio.clear':
        this.input.clear();
        this.inputListener?.onBufferCleared();
        return this.emit({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        return this.createItem(event);
      case 'conversation.item.retrieve':
        return this.retrieveItem(event.item_id);
      case 'conversation.item.delete':
        this.conversation.delete(event.item_id);
        return this.emit({ type: 'conversation.item.deleted', item_id: event.item_id });
      case 'conversation.item.truncate':
        return this.truncateItem(event);
      case 'response.create':
        this.createResponse(event);
        return;
      case 'response.cancel':
        if (!this.responses.cancel(event.response_id, 'client_cancelled')) {
          throw new ProtocolError('response_cancel_not_active', 'Cancellation failed: no active response found', event.response_id ? 'response_id' : null);
        }
        return;
      case 'output_audio_buffer.clear':
        return this.clearOutputAudio();
      case 'input_audio.turn.start':
      case 'input_audio.turn.append':
      case 'input_audio.turn.end':
      case 'input_audio.turn.cancel':
        return this.audioTurn(event);
      case 'input_text.delta':
      case 'input_text.done':
        return this.inputText(event);
      case 'transcription_session.update':
        throw new ProtocolError('not_supported', 'Transcription-only sessions are not supported by this server; use a realtime session with input_audio_transcription.', 'type');
      case 'session.avatar.connect':
        throw new ProtocolError('not_supported', 'Avatars are not supported by this server.', 'type');
      case 'mcp_approval_response':
        throw new ProtocolError('not_supported', 'MCP tools are not supported by this server.', 'type');
    }
  }

  private updateSession(event: ClientEventOf<'session.update'>): void {
    const { config, warnings } = applySessionUpdate(this.config, event.session, this.options.context);
    const formatChanged = config.input_audio_format !== this.config.input_audio_format || config.input_audio_sampling_rate !== this.config.input_audio_sampling_rate;
    this.config = config;
    if (formatChanged) this.input.setFormat(config.input_audio_format, config.input_audio_sampling_rate);
    this.inputListener?.onConfigChanged(config);
    for (const warning of warnings) this.emit({ type: 'warning', warning });
    this.emit({ type: 'session.updated', session: config });
  }

  private appendAudio(base64: string, param: string): void {
    const bytes = decodeBase64Audio(base64, param);
    const pcm = this.input.append(bytes);
    if (pcm.length > 0) this.inputListener?.onAudio(pcm, this.input.sampleRateHz, this.input.clockMs);
  }

  private commitAudio(): void {
    const audio = this.input.commit(minCommitDurationMs);
    const itemId = newId('item');
    if (this.inputListener) this.inputListener.onClientCommit(itemId, audio);
    else {
      this.emitCommitted(itemId);
      this.insertUserAudioItem(itemId, audio, null);
    }
  }

  emitCommitted(itemId: string): void {
    this.emit({ type: 'input_audio_buffer.committed', previous_item_id: this.conversation.lastItemId(), item_id: itemId });
  }

  /** Adds a committed user turn to the conversation (with its transcript when known) and announces it. */
  insertUserAudioItem(itemId: string, audio: CommittedAudio, transcript: string | null): void {
    const item: MessageItem = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio', transcript }],
    };
    const previous = this.conversation.insert(item);
    this.conversation.setAudio(itemId, 0, { pcm: audio.pcm, sampleRateHz: audio.sampleRateHz, timeline: [] });
    this.emit({ type: 'conversation.item.created', previous_item_id: previous, item });
  }

  private createItem(event: ClientEventOf<'conversation.item.create'>): void {
    const { item, audioByContentIndex } = itemFromInput(event.item, 'item');
    if (item.type === 'function_call_output') {
      const hasCall = this.conversation.items().some((i) => i.type === 'function_call' && i.call_id === item.call_id);
      if (!hasCall) {
        throw new ProtocolError('invalid_value', `No function_call item with call_id '${item.call_id}' exists in the conversation.`, 'item.call_id');
      }
    }
    const decoded = new Map<number, Int16Array>();
    for (const [index, base64] of audioByContentIndex) {
      const bytes = decodeBase64Audio(base64, `item.content[${index}].audio`);
      const buffer = new InputAudioBuffer(this.config.input_audio_format, this.config.input_audio_sampling_rate);
      buffer.append(bytes);
      decoded.set(index, buffer.commitUntil(Infinity).pcm);
    }
    const previous = this.conversation.insert(item, event.previous_item_id);
    for (const [index, pcm] of decoded) {
      this.conversation.setAudio(item.id, index, { pcm, sampleRateHz: this.input.sampleRateHz, timeline: [] });
    }
    this.emit({ type: 'conversation.item.created', previous_item_id: previous, item });
  }

  private retrieveItem(itemId: string): void {
    const item = structuredClone(this.conversation.require(itemId, 'item_id')) as Item;
    let omitted = false;
    if (item.type === 'message') {
      item.content.forEach((part, index) => {
        if (part.type !== 'input_audio' && part.type !== 'audio') return;
        const audio = this.conversation.audio(itemId, index);
        if (!audio) return;
        const base64 = pcm16ToBase64(audio.pcm);
        if (base64.length > maxRetrievedAudioBase64Length) omitted = true;
        else part.audio = base64;
      });
    }
    if (omitted) {
      this.emit({
        type: 'warning',
        warning: { code: 'audio_omitted', param: 'item_id', message: 'The item audio is larger than one WebSocket frame may carry (1 MiB); it was omitted from conversation.item.retrieved.' },
      });
    }
    this.emit({ type: 'conversation.item.retrieved', item });
  }

  private truncateItem(event: ClientEventOf<'conversation.item.truncate'>): void {
    const item = this.conversation.require(event.item_id, 'item_id');
    const running = this.responses.all().find((r) => !r.isFinished && r.audioProgress()?.itemId === item.id);
    const apply = () => {
      try {
        const audioEndMs = truncateAssistantAudio(this.conversation, item, event.content_index, event.audio_end_ms);
        this.emit({ type: 'conversation.item.truncated', item_id: item.id, content_index: event.content_index, audio_end_ms: audioEndMs });
      } catch (error) {
        if (error instanceof ProtocolError) this.emitError(error, event.event_id ?? null);
        else throw error;
      }
    };
    if (!running) return apply();
    // The client stopped playback mid-response: stop generating, then cut to what was heard.
    running.cancel('client_cancelled');
    void running.whenDone().then(apply);
  }

  private clearOutputAudio(): void {
    const active = this.responses.active;
    if (active && !active.isFinished) active.cancel('client_cancelled');
    this.emit({ type: 'output_audio_buffer.cleared', response_id: active?.id ?? null });
  }

  createResponse(event: Pick<ClientEventOf<'response.create'>, 'response' | 'additional_instructions' | 'event_id'>): ResponseRunner {
    const settings = resolveResponseSettings(event.response, event.additional_instructions, this.config, this.conversation, this.options.context);
    const wantsAudio = settings.modalities.includes('audio');
    let speech = null;
    if (wantsAudio) {
      const made = this.options.engines.speech?.({ voice: settings.voice, speed: settings.speed, outputAudioFormat: settings.outputAudioFormat }) ?? {
        ok: false as const,
        reason: 'no text-to-speech engine is configured',
      };
      if (made.ok) speech = made.renderer;
      else {
        this.emit({
          type: 'warning',
          warning: { code: 'modality_not_available', param: 'modalities', message: `Audio output is not available (${made.reason}); this response is text only.` },
        });
      }
    }
    const runner = new ResponseRunner(settings, {
      emit: (e) => this.emit(e),
      sessionId: this.id,
      llm: this.options.engines.llm,
      conversation: this.conversation,
      speech,
      createSegmenter: this.options.engines.createSegmenter,
      nowMs: this.nowMs,
      log: this.options.log,
    });
    const previous = this.responses.admit(runner);
    if (speech && settings.writesConversation) this.lastSpokenResponse = runner;
    const start = () => runner.run().catch((error) => this.options.log?.('response runner crashed', { error: String(error) }));
    if (previous) void previous.whenDone().then(start);
    else void start();
    return runner;
  }

  /** Cancels the in-flight conversation response (barge-in); returns it if one was running. */
  cancelActiveResponse(reason: CancelReason): ResponseRunner | null {
    const active = this.responses.active;
    if (!active || active.isFinished) return null;
    active.cancel(reason);
    return active;
  }

  private readonly audioTurns = new Map<string, InputAudioBuffer>();
  /** The latest conversation response that sent audio: its playout decides barge-in truncation. */
  private lastSpokenResponse: ResponseRunner | null = null;

  /** The assistant audio the client may still be playing (sent faster than real time), if any. */
  lastAudioResponse(): ResponseRunner | null {
    return this.lastSpokenResponse;
  }

  /** Azure `input_audio.turn.*`: a client-delimited audio turn, committed (and answered per create_response) at end. */
  private audioTurn(event: ClientEventOf<'input_audio.turn.start' | 'input_audio.turn.append' | 'input_audio.turn.end' | 'input_audio.turn.cancel'>): void {
    const turnId = event.turn_id;
    if (event.type === 'input_audio.turn.start') {
      this.audioTurns.set(turnId, new InputAudioBuffer(this.config.input_audio_format, this.config.input_audio_sampling_rate));
      return;
    }
    const turn = this.audioTurns.get(turnId);
    if (!turn) throw new ProtocolError('invalid_value', `Unknown audio turn '${turnId}'; send input_audio.turn.start first.`, 'turn_id');
    if (event.type === 'input_audio.turn.append') {
      turn.append(decodeBase64Audio((event as ClientEventOf<'input_audio.turn.append'>).audio, 'audio'));
      return;
    }
    this.audioTurns.delete(turnId);
    if (event.type === 'input_audio.turn.cancel') return;
    const audio = turn.commit(minCommitDurationMs);
    const itemId = newId('item');
    if (this.inputListener) this.inputListener.onClientCommit(itemId, audio);
    else {
      this.emitCommitted(itemId);
      this.insertUserAudioItem(itemId, audio, null);
    }
    if (this.config.turn_detection?.create_response !== false && !this.responses.active) this.createResponse({});
  }

  /** Azure `input_text.delta/done`: stream text into an existing user item's input_text part. */
  private inputText(event: ClientEventOf<'input_text.delta' | 'input_text.done'>): void {
    const item = this.conversation.require(event.id, 'id');
    const index = event.content_index ?? 0;
    const part = item.type === 'message' ? item.content[index] : undefined;
    if (!part || part.type !== 'input_text') {
      throw new ProtocolError('invalid_value', `Item '${event.id}' has no input_text part at content_index ${index}.`, 'content_index');
    }
    if (event.type === 'input_text.delta') part.text += (event as ClientEventOf<'input_text.delta'>).delta;
  }
}
