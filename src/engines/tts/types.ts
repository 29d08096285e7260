/**
 * Text-to-speech engine interface. `synthesize` streams mono 16-bit PCM in the engine's native
 * sample rate (the session resamples to the client's output format). It must stop promptly when
 * `signal` aborts.
 */
import type { ResolvedVoice, VoiceInput } from './voiceMap.js';

export interface TtsVoiceInfo {
  /** The voice id `synthesize` takes: a local voice ("slt"), or a server's voice name ("alloy", "af_bella"). */
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
  /**
   * Voice id: a local voice mapped from OpenAI/Azure names by the voice mapper (voiceMap.ts), or,
   * for engines with `resolveVoice`, what that method returned.
   */
  voice: string;
  /** Speaking-rate multiplier, 1 = normal; the voice mapper gives 0.5..2, engines clamp to their range. */
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
  /**
   * Resolves a session voice (string or Azure voice object) and speed to this engine's voice id and
   * rate, for engines whose voices are not the local flite ones (e.g. a remote TTS server that takes
   * the client's voice names). Absent: the session uses the flite mapping in voiceMap.ts.
   */
  resolveVoice?(voice: VoiceInput, speed: number): ResolvedVoice;
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
