/**
 * Speech recognition engine interface. A stream is opened per user utterance; the session writes
 * audio as it arrives (mono 16-bit PCM at `sampleRateHz`), calls `end()` at commit, and reads events.
 */

export interface AsrWordTiming {
  text: string;
  /** Offset from the start of the audio written to this stream. */
  startMs: number;
  durationMs: number;
  confidence?: number;
}

export type AsrEvent =
  /** The current best hypothesis of the whole utterance so far (not an increment). */
  | { type: 'partial'; text: string }
  | { type: 'final'; text: string; words: AsrWordTiming[]; audioDurationMs: number };

export interface AsrStreamOptions {
  /** Sample rate of the audio that will be written; must be one of `capabilities.sampleRatesHz`. */
  sampleRateHz: number;
  /** BCP-47 or ISO-639-1; engines that cannot honour it say so via `capabilities.languages`. */
  language?: string;
  /** Words or phrases to favour (Azure phrase_list); engines may ignore. */
  phrases?: string[];
}

export interface AsrStream {
  write(pcm: Int16Array): void;
  /** No more audio; the final event follows, then the iterator ends. */
  end(): void;
  /** Stop early and release resources; the iterator ends without a final. */
  abort(): void;
  events: AsyncIterable<AsrEvent>;
}

export interface AsrCapabilities {
  partials: boolean;
  wordTimings: boolean;
  sampleRatesHz: number[];
  languages: string[];
}

export interface AsrEngine {
  readonly name: string;
  readonly description: string;
  readonly capabilities: AsrCapabilities;
  /** Throws AsrEngineError (e.g. code "engine_unavailable") when the engine cannot run here. */
  createStream(options: AsrStreamOptions): AsrStream;
  close?(): Promise<void>;
}

export class AsrEngineError extends Error {
  constructor(
    message: string,
    readonly code: string = 'asr_error',
  ) {
    super(message);
    this.name = 'AsrEngineError';
  }
}
