/**
 * Runs one response from `response.created` to `response.done`: streams the LLM, speaks text
 * segment by segment when audio is on, streams tool calls, and always ends with exactly one
 * `response.done` (completed, incomplete, cancelled or failed). Never throws.
 */
import type { LlmEngine, LlmRequest } from '../engines/llm/types.js';
import { newId } from '../protocol/ids.js';
import type { ContentPart, FunctionCallItem, Item, MessageItem } from '../protocol/items.js';
import { makeUsage } from '../protocol/responses.js';
import type { ResponseObject, ResponseStatus, ResponseStatusDetails } from '../protocol/responses.js';
import type { ServerEvent } from '../protocol/serverEvents.js';
import type { Conversation, PartAudio } from './conversation.js';
import { itemsToLlmMessages } from './llmContext.js';
import type { ResponseSettings } from './responseSettings.js';
import type { SpeechRenderer } from './speechRenderer.js';

export interface TextSegmenter {
  push(delta: string): string[];
  flush(): string[];
}

export interface ResponseRunnerDeps {
  emit(event: ServerEvent): void;
  /** The session's id, passed to the LLM engine with each request. */
  sessionId: string;
  llm: LlmEngine;
  conversation: Conversation;
  /** Null when the response is text-only (by request, or because no TTS is available). */
  speech: SpeechRenderer | null;
  createSegmenter(): TextSegmenter;
  /** Wall clock (ms) for playout estimates and latency metrics. */
  nowMs(): number;
  onFirstAudio?(responseId: string): void;
  log?(message: string, fields?: Record<string, unknown>): void;
}

export type CancelReason = 'turn_detected' | 'client_cancelled';

interface OpenMessage {
  item: MessageItem;
  outputIndex: number;
  part: ContentPart;
  text: string;
  audio: PartAudio | null;
  segmenter: TextSegmenter;
  pending: string[];
  speaking: Promise<void> | null;
}

interface OpenCall {
  item: FunctionCallItem;
  outputIndex: number;
}

/** Rough token estimate where an engine reports none (about 4 characters per token). */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export class ResponseRunner {
  readonly id = newId('resp');
  private readonly abort = new AbortController();
  private cancelReason: CancelReason | null = null;
  private readonly output: Item[] = [];
  private message: OpenMessage | null = null;
  private readonly calls = new Map<number, OpenCall>();
  private finished = false;
  private firstAudioAtMs: number | null = null;
  private audioSentMs = 0;
  private outputText = '';
  private readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    readonly settings: ResponseSettings,
    private readonly deps: ResponseRunnerDeps,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Resolves after `response.done` was emitted. */
  whenDone(): Promise<void> {
    return this.done;
  }

  /**
   * The assistant audio item being spoken, with what was sent, when sending began and how long ago
   * that was (measured on this runner's clock, so callers need not share it).
   */
  audioProgress(): { itemId: string; firstAudioAtMs: number; sinceFirstAudioMs: number; audioSentMs: number } | null {
    const item = this.output.find((i): i is MessageItem => i.type === 'message' && i.content.some((p) => p.type === 'audio'));
    if (!item || this.firstAudioAtMs === null) return null;
    return { itemId: item.id, firstAudioAtMs: this.firstAudioAtMs, sinceFirstAudioMs: this.deps.nowMs() - this.firstAudioAtMs, audioSentMs: this.audioSentMs };
  }

  cancel(reason: CancelReason): void {
    if (this.finished || this.cancelReason) return;
    this.cancelReason = reason;
    this.abort.abort();
  }

  /** Runs the response to completion. Resolves after `response.done`. */
  async run(): Promise<void> {
    const { settings, deps } = this;
    const audio = settings.modalities.includes('audio') && deps.speech !== null;
    deps.emit({ type: 'response.created', response: this.snapshot('in_progress', null, null) });
    let status: ResponseStatus = 'completed';
    let details: ResponseStatusDetails = null;
    let usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number } | null = null;
    let inputTextForEstimate = '';
    try {
      if (settings.contextItems === null) await this.raceAbort(deps.conversation.transcriptionsSettled());
      const request = this.buildRequest();
      inputTextForEstimate = request.instructions + request.messages.map((m) => ('content' in m ? m.content : m.role === 'tool_call' ? m.arguments : m.output)).join(' ');
      if (settings.preGeneratedText !== null) {
        await this.onText(settings.preGeneratedText, audio);
      } else {
        for await (const delta of deps.llm.generate(request, this.abort.signal)) {
          if (this.abort.signal.aborted) break;
          switch (delta.type) {
            case 'text':
              if (delta.text) await this.onText(delta.text, audio);
              break;
            case 'tool_call_start':
              await this.closeMessage('completed');
              this.openCall(delta.index, delta.callId, delta.name);
              break;
            case 'tool_call_arguments':
              this.onCallArguments(delta.index, delta.delta);
              break;
            case 'usage':
              usage = { inputTokens: delta.inputTokens, outputTokens: delta.outputTokens, cachedInputTokens: delta.cachedInputTokens ?? 0 };
              break;
            case 'finish':
              if (delta.reason === 'length') {
                status = 'incomplete';
                details = { type: 'incomplete', reason: 'max_output_tokens' };
              } else if (delta.reason === 'content_filter') {
                status = 'incomplete';
                details = { type: 'incomplete', reason: 'content_filter' };
              }
              break;
          }
        }
      }
      if (!this.abort.signal.aborted) await this.closeMessage(status === 'completed' ? 'completed' : 'incomplete');
    } catch (error) {
      if (!this.abort.signal.aborted) {
        status = 'failed';
        const message = error instanceof Error ? error.message : String(error);
        const code = (error as { code?: unknown }).code;
        details = { type: 'failed', error: { type: 'server_error', code: typeof code === 'string' ? code : 'response_failed', message } };
        deps.log?.('response failed', { responseId: this.id, error: message });
        deps.emit({ type: 'error', error: { type: 'server_error', code: typeof code === 'string' ? code : 'response_failed', message: `Response ${this.id} failed: ${message}`, param: null, event_id: null } });
      }
    }
    if (this.cancelReason) {
      status = 'cancelled';
      details = { type: 'cancelled', reason: this.cancelReason };
    }
    await this.closeMessage(status === 'completed' ? 'completed' : 'incomplete');
    this.closeCalls(status === 'completed' || status === 'incomplete' ? 'completed' : 'incomplete');
    const outputTokens = usage?.outputTokens ?? estimateTokens(this.outputText + this.output.map((i) => (i.type === 'function_call' ? i.arguments : '')).join(''));
    const inputTokens = usage?.inputTokens ?? estimateTokens(inputTextForEstimate);
    const finalUsage = makeUsage({
      inputTextTokens: inputTokens,
      inputAudioTokens: 0,
      cachedTextTokens: usage?.cachedInputTokens ?? 0,
      outputTextTokens: outputTokens,
      outputAudioTokens: 0,
    });
    this.finished = true;
    deps.emit({ type: 'response.done', response: this.snapshot(status, details, finalUsage) });
    this.resolveDone();
  }

  private snapshot(status: ResponseStatus, details: ResponseStatusDetails, usage: ReturnType<typeof makeUsage> | null): ResponseObject {
    const s = this.settings;
    return {
      id: this.id,
      object: 'realtime.response',
      status,
      status_details: details,
      output: structuredClone(this.output),
      usage,
      conversation_id: s.writesConversation ? this.deps.conversation.id : null,
      voice: s.voice,
      modalities: s.modalities.includes('audio') && this.deps.speech === null ? ['text'] : s.modalities,
      output_audio_format: s.outputAudioFormat,
      temperature: s.temperature,
      max_output_tokens: s.maxOutputTokens,
      metadata: s.metadata,
    };
  }

  private buildRequest(): LlmRequest {
    const s = this.settings;
    const items = [...(s.contextItems ?? this.deps.conversation.items()), ...s.appendedItems];
    return {
      sessionId: this.deps.sessionId,
      instructions: s.instructions,
      messages: itemsToLlmMessages(items),
      tools: s.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),
      toolChoice: s.toolChoice,
      parallelToolCalls: s.parallelToolCalls,
      temperature: s.temperature,
      maxOutputTokens: s.maxOutputTokens,
    };
  }

  private raceAbort(promise: Promise<void>): Promise<void> {
    if (this.abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => resolve();
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => this.abort.signal.removeEventListener('abort', onAbort));
    });
  }

  /** Adds an output item: output_item.added, then conversation.item.created when it joins the conversation. */
  private addOutputItem(item: Item): number {
    const outputIndex = this.output.length;
    this.output.push(item);
    this.deps.emit({ type: 'response.output_item.added', response_id: this.id, output_index: outputIndex, item });
    if (this.settings.writesConversation) {
      const previous = this.deps.conversation.insert(item);
      this.deps.emit({ type: 'conversation.item.created', previous_item_id: previous, item });
    }
    return outputIndex;
  }

  private openMessage(audio: boolean): OpenMessage {
    const item: MessageItem = { id: newId('item'), object: 'realtime.item', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    const outputIndex = this.addOutputItem(item);
    const part: ContentPart = audio ? { type: 'audio', transcript: '' } : { type: 'text', text: '' };
    this.deps.emit({ type: 'response.content_part.added', response_id: this.id, item_id: item.id, output_index: outputIndex, content_index: 0, part });
    item.content.push(part);
    const partAudio: PartAudio | null = audio ? { pcm: new Int16Array(0), sampleRateHz: this.deps.speech!.outputSampleRateHz, timeline: [] } : null;
    if (partAudio && this.settings.writesConversation) this.deps.conversation.setAudio(item.id, 0, partAudio);
    this.message = { item, outputIndex, part, text: '', audio: partAudio, segmenter: this.deps.createSegmenter(), pending: [], speaking: null };
    return this.message;
  }

  private async onText(text: string, audio: boolean): Promise<void> {
    const message = this.message ?? this.openMessage(audio);
    const ref = { response_id: this.id, item_id: message.item.id, output_index: message.outputIndex, content_index: 0 };
    if (!audio) {
      message.text += text;
      this.outputText += text;
      (message.part as { text: string }).text = message.text;
      this.deps.emit({ type: 'response.text.delta', ...ref, delta: text });
      return;
    }
    this.outputText += text;
    for (const segment of message.segmenter.push(text)) this.enqueueSpeech(message, segment);
  }

  private enqueueSpeech(message: OpenMessage, segment: string): void {
    message.pending.push(segment);
    if (!message.speaking) {
      message.speaking = this.speakPending(message).finally(() => {
        message.speaking = null;
      });
    }
  }

  /** Speaks queued segments in order: transcript delta, then that segment's audio deltas. */
  private async speakPending(message: OpenMessage): Promise<void> {
    const speech = this.deps.speech!;
    const ref = { response_id: this.id, item_id: message.item.id, output_index: message.outputIndex, content_index: 0 };
    while (message.pending.length > 0 && !this.abort.signal.aborted) {
      const segment = message.pending.shift()!;
      const delta = message.text.length > 0 ? ` ${segment}` : segment;
      const startMs = this.audioSentMs;
      message.text += delta;
      (message.part as { transcript: string }).transcript = message.text;
      this.deps.emit({ type: 'response.audio_transcript.delta', ...ref, delta });
      const chunks: Int16Array[] = [];
      for await (const chunk of speech.render(segment, this.abort.signal)) {
        if (this.abort.signal.aborted) break;
        if (this.firstAudioAtMs === null) {
          this.firstAudioAtMs = this.deps.nowMs();
          this.deps.onFirstAudio?.(this.id);
        }
        this.deps.emit({ type: 'response.audio.delta', ...ref, delta: Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength).toString('base64') });
        this.audioSentMs += chunk.durationMs;
        chunks.push(chunk.pcm);
      }
      if (message.audio) {
        const added = chunks.reduce((n, c) => n + c.length, 0);
        const pcm = new Int16Array(message.audio.pcm.length + added);
        pcm.set(message.audio.pcm);
        let offset = message.audio.pcm.length;
        for (const c of chunks) {
          pcm.set(c, offset);
          offset += c.length;
        }
        message.audio.pcm = pcm;
        message.audio.timeline.push({ text: delta, startMs, endMs: this.audioSentMs });
      }
    }
  }

  private async closeMessage(status: 'completed' | 'incomplete'): Promise<void> {
    const message = this.message;
    if (!message) return;
    if (message.audio) {
      if (!this.abort.signal.aborted) for (const segment of message.segmenter.flush()) this.enqueueSpeech(message, segment);
      while (message.speaking) await message.speaking;
    }
    this.message = null;
    const ref = { response_id: this.id, item_id: message.item.id, output_index: message.outputIndex, content_index: 0 };
    if (message.audio) {
      this.deps.emit({ type: 'response.audio.done', ...ref });
      this.deps.emit({ type: 'response.audio_transcript.done', ...ref, transcript: message.text });
    } else {
      this.deps.emit({ type: 'response.text.done', ...ref, text: message.text });
    }
    this.deps.emit({ type: 'response.content_part.done', ...ref, part: message.part });
    message.item.status = this.abort.signal.aborted ? 'incomplete' : status;
    this.deps.emit({ type: 'response.output_item.done', response_id: this.id, output_index: message.outputIndex, item: message.item });
  }

  private openCall(index: number, callId: string, name: string): void {
    const item: FunctionCallItem = { id: newId('item'), object: 'realtime.item', type: 'function_call', status: 'in_progress', name, call_id: callId, arguments: '' };
    const outputIndex = this.addOutputItem(item);
    this.calls.set(index, { item, outputIndex });
  }

  private onCallArguments(index: number, delta: string): void {
    const call = this.calls.get(index);
    if (!call || !delta) return;
    call.item.arguments += delta;
    this.deps.emit({
      type: 'response.function_call_arguments.delta',
      response_id: this.id,
      item_id: call.item.id,
      output_index: call.outputIndex,
      call_id: call.item.call_id,
      delta,
    });
  }

  private closeCalls(status: 'completed' | 'incomplete'): void {
    for (const call of this.calls.values()) {
      const { item, outputIndex } = call;
      this.deps.emit({
        type: 'response.function_call_arguments.done',
        response_id: this.id,
        item_id: item.id,
        output_index: outputIndex,
        call_id: item.call_id,
        name: item.name,
        arguments: item.arguments,
      });
      item.status = status;
      this.deps.emit({ type: 'response.output_item.done', response_id: this.id, output_index: outputIndex, item });
    }
    this.calls.clear();
  }
}
