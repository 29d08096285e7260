/**
 * Text-to-speech engine interface. `synthesize` streams mono 16-bit PCM in the engine's native
 * sample rate (the session resamples to the client's output format). It must stop promptly when
 * `signal` aborts.
 */

export interface TtsVoiceInfo {
  /** Local voice id, e.g. "slt". */
  id: string;
  description: string;
  language: string;
  gender?: 'female' | 'male' | 'neutral';
  sampleRateHz: number;
}

export interface TtsWordTiming {
  text: string;
  /** Offset from the start of this synthesize() call's audio. */
  startMs: number;
  durationMs: number;
}

export interface TtsChunk {
  /** Mono signed 16-bit PCM samples. */
  pcm: Int16Array;
  sampleRateHz: number;
  /** Word timings inside this chunk, offsets relative to the start of the whole synthesize() output. */
  words?: TtsWordTiming[];
}

export interface TtsOptions {
  /** Local voice id (already mapped from OpenAI/Azure names by the voice mapper). */
  voice: string;
  /** Speaking-rate multiplier, 1 = normal, 0.5..2. */
  rate: number;
}

export interface TtsCapabilities {
  /** Emits audio before the whole text is synthesized (true streaming inside one call). */
  incremental: boolean;
  wordTimings: boolean;
  rateControl: boolean;
}

export interface TtsEngine {
  readonly name: string;
  readonly description: string;
  readonly capabilities: TtsCapabilities;
  voices(): TtsVoiceInfo[];
  synthesize(text: string, options: TtsOptions, signal: AbortSignal): AsyncIterable<TtsChunk>;
  close?(): Promise<void>;
}

export class TtsEngineError extends Error {
  constructor(
    message: string,
    readonly code: string = 'tts_error',
  ) {
    super(message);
    this.name = 'TtsEngineError';
  }
}
