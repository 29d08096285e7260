/**
 * Deterministic stand-in TTS engine for unit tests of the modules that consume TTS (session,
 * response pipeline, barge-in). Audio is a sine tone (or silence) whose duration is proportional to
 * the text length, so tests can compute exactly how many samples and chunks to expect.
 */

import { TtsEngineError } from './types.js';
import type { TtsCapabilities, TtsChunk, TtsEngine, TtsOptions, TtsVoiceInfo, TtsWordTiming } from './types.js';

export interface FakeTtsEngineOptions {
  /** Default 16000. */
  sampleRateHz?: number;
  /** Audio per character of the trimmed text, at rate 1. Default 60. */
  msPerChar?: number;
  /** Default 100. The last chunk may be shorter. */
  chunkDurationMs?: number;
  /** Wait before each chunk (abortable), to simulate synthesis time. Default 0. */
  chunkDelayMs?: number;
  /** Tone frequency; 0 gives digital silence. Default 440. */
  toneHz?: number;
  /** Peak amplitude as a fraction of full scale. Default 0.25. */
  amplitude?: number;
  /** Attach word timings (each whitespace token spans its characters × msPerChar). Default true. */
  wordTimings?: boolean;
  /** Return an error to make `synthesize` throw it before the first chunk. */
  failOn?: (text: string, options: TtsOptions) => Error | undefined;
}

/** One recorded `synthesize` call. */
export interface FakeTtsCall {
  text: string;
  options: TtsOptions;
  chunksYielded: number;
  /** All chunks were yielded. */
  completed: boolean;
  /** The signal aborted before completion. */
  aborted: boolean;
  /** The call threw (see `failOn`). */
  failed: boolean;
}

/** A TtsEngine producing predictable audio; accepts any voice id. */
export class FakeTtsEngine implements TtsEngine {
  readonly name = 'fake';
  readonly description = 'Deterministic test tone engine';
  readonly capabilities: TtsCapabilities;
  /** Every synthesize call, in call order. */
  readonly calls: FakeTtsCall[] = [];

  readonly #sampleRateHz: number;
  readonly #msPerChar: number;
  readonly #chunkDurationMs: number;
  readonly #chunkDelayMs: number;
  readonly #toneHz: number;
  readonly #amplitude: number;
  readonly #failOn: FakeTtsEngineOptions['failOn'];
  #closed = false;

  constructor(options: FakeTtsEngineOptions = {}) {
    this.#sampleRateHz = options.sampleRateHz ?? 16000;
    this.#msPerChar = options.msPerChar ?? 60;
    this.#chunkDurationMs = options.chunkDurationMs ?? 100;
    this.#chunkDelayMs = options.chunkDelayMs ?? 0;
    this.#toneHz = options.toneHz ?? 440;
    this.#amplitude = options.amplitude ?? 0.25;
    this.#failOn = options.failOn;
    this.capabilities = { incremental: true, wordTimings: options.wordTimings ?? true, rateControl: true };
  }

  voices(): TtsVoiceInfo[] {
    return [
      {
        id: 'fake',
        description: 'Test tone (any voice id is accepted)',
        language: 'en-US',
        gender: 'neutral',
        sampleRateHz: this.#sampleRateHz,
      },
    ];
  }

  /** Samples `synthesize(text, {rate})` will produce in total. */
  expectedSampleCount(text: string, rate = 1): number {
    const durationMs = (text.trim().length * this.#msPerChar) / clampRate(rate);
    return Math.round((durationMs * this.#sampleRateHz) / 1000);
  }

  /** Yields `expectedSampleCount(text, rate)` samples in `chunkDurationMs` chunks. */
  async *synthesize(text: string, options: TtsOptions, signal: AbortSignal): AsyncIterable<TtsChunk> {
    const call: FakeTtsCall = { text, options: { ...options }, chunksYielded: 0, completed: false, aborted: false, failed: false };
    this.calls.push(call);
    if (this.#closed) {
      call.failed = true;
      throw new TtsEngineError('fake engine is closed', 'engine_closed');
    }
    const failure = this.#failOn?.(text, options);
    if (failure) {
      call.failed = true;
      throw failure;
    }

    const rate = clampRate(options.rate);
    const totalSamples = this.expectedSampleCount(text, rate);
    const samplesPerChunk = Math.max(1, Math.round((this.#chunkDurationMs * this.#sampleRateHz) / 1000));
    const words = this.capabilities.wordTimings ? this.#wordTimings(text, rate) : [];
    const radiansPerSample = (2 * Math.PI * this.#toneHz) / this.#sampleRateHz;
    const peak = Math.round(this.#amplitude * 32767);

    for (let offset = 0; offset < totalSamples; offset += samplesPerChunk) {
      if (this.#chunkDelayMs > 0) await abortableDelay(this.#chunkDelayMs, signal);
      if (signal.aborted) {
        call.aborted = true;
        return;
      }
      const pcm = new Int16Array(Math.min(samplesPerChunk, totalSamples - offset));
      if (this.#toneHz > 0) {
        for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(peak * Math.sin(radiansPerSample * (offset + i)));
      }
      const chunk: TtsChunk = { pcm, sampleRateHz: this.#sampleRateHz };
      const chunkStartMs = (offset / this.#sampleRateHz) * 1000;
      const chunkEndMs = ((offset + pcm.length) / this.#sampleRateHz) * 1000;
      const inChunk = words.filter((word) => word.startMs >= chunkStartMs && word.startMs < chunkEndMs);
      if (inChunk.length > 0) chunk.words = inChunk;
      call.chunksYielded++;
      yield chunk;
    }
    if (signal.aborted) call.aborted = true;
    else call.completed = true;
  }

  #wordTimings(text: string, rate: number): TtsWordTiming[] {
    const trimmed = text.trim();
    const msPerChar = this.#msPerChar / rate;
    return [...trimmed.matchAll(/\S+/g)].map((match) => ({
      text: match[0],
      startMs: match.index * msPerChar,
      durationMs: match[0].length * msPerChar,
    }));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

function clampRate(rate: number): number {
  return Number.isFinite(rate) ? Math.min(2, Math.max(0.5, rate)) : 1;
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
