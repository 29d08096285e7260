/**
 * Voice activity detection engine interface: frame-level speech probabilities. Turn-taking logic
 * (threshold, prefix padding, silence duration, minimum speech) lives in the session's turn
 * detector, not in the engine, so every engine gets the same Voice Live semantics.
 */

export interface VadCapabilities {
  /** The sample rate the stream expects. */
  sampleRateHz: number;
  /** Samples per probability (window hop), e.g. 512 at 16 kHz = 32 ms. */
  frameSamples: number;
}

export interface VadStream {
  /**
   * Feeds mono float samples (-1..1) at `capabilities.sampleRateHz`, any length. Resolves with one
   * speech probability (0..1) per complete frame consumed; leftover samples are kept for the next call.
   */
  process(samples: Float32Array): Promise<Float32Array>;
  /** Forget internal state (e.g. after a long gap). */
  reset(): void;
  close(): void;
}

export interface VadEngine {
  readonly name: string;
  readonly description: string;
  readonly capabilities: VadCapabilities;
  createStream(): VadStream;
  close?(): Promise<void>;
}
