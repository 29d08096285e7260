/**
 * Deterministic VAD for unit tests: no model, no worker. Each frame's probability comes either from
 * its energy (`rms / (rms + rmsThreshold)`, so it crosses 0.5 exactly at `rmsThreshold`) or from a
 * script of probabilities, one per frame, or from any scoring function.
 */
import type { VadCapabilities, VadEngine, VadStream } from './types.js';

/** Scores one frame; `frameIndex` counts frames since the stream was created or reset. */
export type FakeVadScorer = (frame: Float32Array, frameIndex: number) => number;

/** Options for {@link FakeVadEngine}. Exactly one of `script` / `scorer` may be given. */
export interface FakeVadOptions {
  /** Default 16 000. */
  sampleRateHz?: number;
  /** Samples per probability. Default 512 (32 ms at 16 kHz), like Silero. */
  frameSamples?: number;
  /** Energy mode: the RMS (linear, full scale = 1) at which the probability is 0.5. Default 0.01 (−40 dBFS). */
  rmsThreshold?: number;
  /** Script mode: probability of frame i is `script[i]`; frames past its end get `afterScript`. */
  script?: ArrayLike<number>;
  /** Probability after the script ends. Default 0. */
  afterScript?: number;
  /** Custom mode: any deterministic scoring function. */
  scorer?: FakeVadScorer;
}

/** Root-mean-square of a frame (linear amplitude). */
export function frameRms(frame: Float32Array): number {
  if (frame.length === 0) return 0;
  let sumOfSquares = 0;
  for (const sample of frame) sumOfSquares += sample * sample;
  return Math.sqrt(sumOfSquares / frame.length);
}

/** Energy scorer: `rms / (rms + rmsThreshold)`. */
export function energyScorer(rmsThreshold: number): FakeVadScorer {
  if (!(rmsThreshold > 0)) throw new RangeError(`rmsThreshold must be > 0, got ${rmsThreshold}`);
  return (frame) => {
    const rms = frameRms(frame);
    return rms / (rms + rmsThreshold);
  };
}

/** Script scorer: `script[i]`, then `afterScript`. */
export function scriptScorer(script: ArrayLike<number>, afterScript = 0): FakeVadScorer {
  return (_frame, frameIndex) => (frameIndex < script.length ? (script[frameIndex] ?? afterScript) : afterScript);
}

class FakeVadStream implements VadStream {
  readonly #frameSamples: number;
  readonly #scorer: FakeVadScorer;
  #leftover = new Float32Array(0);
  #frameIndex = 0;
  #closed = false;

  constructor(frameSamples: number, scorer: FakeVadScorer) {
    this.#frameSamples = frameSamples;
    this.#scorer = scorer;
  }

  process(samples: Float32Array): Promise<Float32Array> {
    if (this.#closed) return Promise.reject(new Error('VAD stream is closed'));
    const joined = new Float32Array(this.#leftover.length + samples.length);
    joined.set(this.#leftover, 0);
    joined.set(samples, this.#leftover.length);
    const frameCount = Math.floor(joined.length / this.#frameSamples);
    const probabilities = new Float32Array(frameCount);
    for (let frame = 0; frame < frameCount; frame++) {
      const start = frame * this.#frameSamples;
      const score = this.#scorer(joined.subarray(start, start + this.#frameSamples), this.#frameIndex++);
      probabilities[frame] = Math.min(1, Math.max(0, score));
    }
    this.#leftover = joined.slice(frameCount * this.#frameSamples);
    return Promise.resolve(probabilities);
  }

  reset(): void {
    this.#leftover = new Float32Array(0);
    this.#frameIndex = 0;
  }

  close(): void {
    this.#closed = true;
  }
}

/** A {@link VadEngine} whose streams score frames by energy, a script, or a given function. */
export class FakeVadEngine implements VadEngine {
  readonly name = 'fake';
  readonly description: string;
  readonly capabilities: VadCapabilities;
  readonly #scorer: () => FakeVadScorer;

  constructor(options: FakeVadOptions = {}) {
    const sampleRateHz = options.sampleRateHz ?? 16_000;
    const frameSamples = options.frameSamples ?? 512;
    if (!Number.isInteger(frameSamples) || frameSamples <= 0) {
      throw new RangeError(`frameSamples must be a positive integer, got ${frameSamples}`);
    }
    if (options.script && options.scorer) throw new Error('FakeVadEngine: give script or scorer, not both');
    this.capabilities = { sampleRateHz, frameSamples };
    const { script, scorer } = options;
    if (scorer) {
      this.#scorer = () => scorer;
      this.description = 'fake VAD (custom scorer)';
    } else if (script) {
      const frozen = Array.from(script);
      this.#scorer = () => scriptScorer(frozen, options.afterScript ?? 0);
      this.description = `fake VAD (script of ${frozen.length} frames)`;
    } else {
      const rmsThreshold = options.rmsThreshold ?? 0.01;
      const energy = energyScorer(rmsThreshold);
      this.#scorer = () => energy;
      this.description = `fake VAD (energy, p = 0.5 at RMS ${rmsThreshold})`;
    }
  }

  createStream(): VadStream {
    return new FakeVadStream(this.capabilities.frameSamples, this.#scorer());
  }
}
