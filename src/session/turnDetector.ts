/**
 * Voice Live `server_vad` turn detection as a pure state machine over frame-level speech
 * probabilities. It knows nothing about sockets, engines or wall time: its clock is the session's
 * audio clock, advanced by the duration of every frame pushed (so results are reproducible and
 * independent of how fast audio arrives).
 *
 * Per frame, a hysteresis decides whether the frame is voiced: while the previous frame was not
 * voiced a frame needs `p >= threshold`; while it was voiced, `p >= releaseThreshold` keeps it
 * voiced. On top of that the turn logic runs:
 *
 * - `silent` → a voiced frame starts a *candidate* turn at that frame's start (the onset).
 * - candidate → if every frame since the onset is voiced and they span at least `speechDurationMs`,
 *   `speech_started` is emitted with `audioStartMs = onset − prefixPaddingMs`, clamped to 0 and to
 *   the point where the previous turn was stopped. An unvoiced frame before that drops the candidate
 *   (a short blip is not a turn).
 * - speaking → once `silenceDurationMs` of audio has passed since the end of the last voiced frame,
 *   `speech_stopped` is emitted with `audioEndMs` = the end of that last voiced frame. Voiced frames
 *   inside a shorter pause keep the turn going.
 */

/** Tunables of `server_vad`, in the protocol's units (probability 0..1, milliseconds of audio). */
export interface TurnDetectorConfig {
  /** Speech starts when a frame's probability is at least this (0..1). */
  threshold: number;
  /**
   * Once speaking, frames stay voiced while their probability is at least this. Defaults to
   * `threshold − 0.15`, at least 0.01 (and never above `threshold`).
   */
  releaseThreshold?: number;
  /** Audio kept before the detected onset; `speech_started.audioStartMs` = onset − this. */
  prefixPaddingMs: number;
  /** Non-speech needed after the last voiced frame before `speech_stopped` is emitted. */
  silenceDurationMs: number;
  /** Continuous voiced audio needed after the onset before `speech_started` is emitted. */
  speechDurationMs: number;
}

/** Emitted when a turn is confirmed. */
export interface SpeechStartedEvent {
  type: 'speech_started';
  /** Start of the turn's audio on the session clock: onset − prefix padding, clamped. */
  audioStartMs: number;
  /** Start of the first voiced frame (the onset itself, without padding). */
  speechOnsetMs: number;
  /** Audio clock position at which the event was decided (end of the frame that confirmed it). */
  detectedAtMs: number;
}

/** Emitted when the silence after a turn has lasted `silenceDurationMs`. */
export interface SpeechStoppedEvent {
  type: 'speech_stopped';
  /** End of the last voiced frame of the turn on the session clock. */
  audioEndMs: number;
  /** Audio clock position at which the event was decided (`audioEndMs + silenceDurationMs` or a bit more). */
  detectedAtMs: number;
}

export type TurnEvent = SpeechStartedEvent | SpeechStoppedEvent;

/**
 * Release threshold used when the config does not set one: `threshold − 0.15`, at least 0.01 (and
 * at most `threshold`), rounded to 6 decimals so 0.7 gives 0.55, not 0.5499999999999999.
 */
export function defaultReleaseThreshold(threshold: number): number {
  const derived = Math.round((threshold - 0.15) * 1e6) / 1e6;
  return Math.min(threshold, Math.max(0.01, derived));
}

type Phase = 'silent' | 'candidate' | 'speaking';

/** Unvoiced gap a pending (not yet confirmed) start survives, e.g. a stop consonant after a short first word. */
const candidateGapToleranceMs = 100;

interface ResolvedConfig {
  threshold: number;
  releaseThreshold: number;
  prefixPaddingMs: number;
  silenceDurationMs: number;
  speechDurationMs: number;
}

function assertProbability(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`${name} must be a number between 0 and 1, got ${value}`);
  }
}

function assertDurationMs(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number of milliseconds ≥ 0, got ${value}`);
  }
}

function resolveConfig(config: TurnDetectorConfig): ResolvedConfig {
  assertProbability('threshold', config.threshold);
  assertDurationMs('prefixPaddingMs', config.prefixPaddingMs);
  assertDurationMs('silenceDurationMs', config.silenceDurationMs);
  assertDurationMs('speechDurationMs', config.speechDurationMs);
  const releaseThreshold = config.releaseThreshold ?? defaultReleaseThreshold(config.threshold);
  assertProbability('releaseThreshold', releaseThreshold);
  if (releaseThreshold > config.threshold) {
    throw new RangeError(
      `releaseThreshold (${releaseThreshold}) must not exceed threshold (${config.threshold})`,
    );
  }
  return {
    threshold: config.threshold,
    releaseThreshold,
    prefixPaddingMs: config.prefixPaddingMs,
    silenceDurationMs: config.silenceDurationMs,
    speechDurationMs: config.speechDurationMs,
  };
}

/**
 * Streaming `server_vad` turn detector. Feed it every frame's speech probability in order with
 * {@link TurnDetector.push}; it returns the turn events those frames caused.
 */
export class TurnDetector {
  #config: TurnDetectorConfig;
  #resolved: ResolvedConfig;
  #clockMs = 0;
  #phase: Phase = 'silent';
  #previousFrameVoiced = false;
  #onsetMs = 0;
  #lastVoicedEndMs = 0;
  /** Turns never reach back before the point where the previous turn was stopped. */
  #floorMs = 0;
  #candidateVoicedMs = 0;

  constructor(config: TurnDetectorConfig) {
    this.#resolved = resolveConfig(config);
    this.#config = { ...config };
  }

  /** The active configuration (a copy). */
  get config(): TurnDetectorConfig {
    return { ...this.#config };
  }

  /** Release threshold in force (explicit or derived from `threshold`). */
  get releaseThreshold(): number {
    return this.#resolved.releaseThreshold;
  }

  /** True between `speech_started` and `speech_stopped`. */
  get isSpeaking(): boolean {
    return this.#phase === 'speaking';
  }

  /** Audio clock: milliseconds of audio pushed so far (plus any offset given to `reset`). */
  get clockMs(): number {
    return this.#clockMs;
  }

  /**
   * Changes some tunables; the rest keep their values. Takes effect from the next frame; a turn in
   * progress continues under the new values. Setting `threshold` without `releaseThreshold`
   * re-derives the release threshold unless one was set explicitly before.
   */
  updateConfig(patch: Partial<TurnDetectorConfig>): void {
    const next: TurnDetectorConfig = { ...this.#config, ...patch };
    this.#resolved = resolveConfig(next);
    this.#config = next;
  }

  /**
   * Drops any candidate or turn in progress without emitting events (e.g. the input buffer was
   * cleared or turn detection was re-enabled). The clock keeps running unless `clockMs` is given,
   * which moves it to that position (e.g. to skip audio that was never analysed).
   */
  reset(clockMs?: number): void {
    if (clockMs !== undefined) {
      assertDurationMs('clockMs', clockMs);
      this.#clockMs = clockMs;
    }
    this.#phase = 'silent';
    this.#previousFrameVoiced = false;
    this.#onsetMs = 0;
    this.#lastVoicedEndMs = 0;
    this.#floorMs = this.#clockMs;
  }

  /**
   * Consumes consecutive frames, all `frameDurationMs` long, and returns the events they caused in
   * order (usually none).
   */
  push(probabilities: ArrayLike<number>, frameDurationMs: number): TurnEvent[] {
    if (!Number.isFinite(frameDurationMs) || frameDurationMs <= 0) {
      throw new RangeError(`frameDurationMs must be > 0, got ${frameDurationMs}`);
    }
    const events: TurnEvent[] = [];
    for (let index = 0; index < probabilities.length; index++) {
      const event = this.#step(probabilities[index] ?? 0, frameDurationMs);
      if (event) events.push(event);
    }
    return events;
  }

  /** Consumes one frame; returns the event it caused, if any. */
  pushFrame(probability: number, frameDurationMs: number): TurnEvent | undefined {
    return this.push([probability], frameDurationMs)[0];
  }

  #step(probability: number, frameDurationMs: number): TurnEvent | undefined {
    const { threshold, releaseThreshold } = this.#resolved;
    const frameStartMs = this.#clockMs;
    const frameEndMs = frameStartMs + frameDurationMs;
    this.#clockMs = frameEndMs;
    const voiced = this.#previousFrameVoiced
      ? probability >= releaseThreshold
      : probability >= threshold;
    this.#previousFrameVoiced = voiced;

    switch (this.#phase) {
      case 'silent':
        if (!voiced) return undefined;
        this.#onsetMs = frameStartMs;
        this.#lastVoicedEndMs = frameEndMs;
        this.#candidateVoicedMs = frameDurationMs;
        this.#phase = 'candidate';
        return this.#confirmIfLongEnough(frameEndMs);
      case 'candidate':
        if (!voiced) {
          // A short dip (a stop consonant between words) keeps the pending start; a longer one drops it.
          if (frameEndMs - this.#lastVoicedEndMs > candidateGapToleranceMs) this.#phase = 'silent';
          return undefined;
        }
        this.#lastVoicedEndMs = frameEndMs;
        this.#candidateVoicedMs += frameDurationMs;
        return this.#confirmIfLongEnough(frameEndMs);
      case 'speaking':
        if (voiced) {
          this.#lastVoicedEndMs = frameEndMs;
          return undefined;
        }
        if (frameEndMs - this.#lastVoicedEndMs < this.#resolved.silenceDurationMs) return undefined;
        this.#phase = 'silent';
        this.#floorMs = frameEndMs;
        return { type: 'speech_stopped', audioEndMs: this.#lastVoicedEndMs, detectedAtMs: frameEndMs };
    }
  }

  #confirmIfLongEnough(frameEndMs: number): SpeechStartedEvent | undefined {
    // Only voiced time counts towards the minimum speech duration.
    if (this.#candidateVoicedMs < this.#resolved.speechDurationMs) return undefined;
    this.#phase = 'speaking';
    const audioStartMs = Math.max(this.#floorMs, this.#onsetMs - this.#resolved.prefixPaddingMs, 0);
    return {
      type: 'speech_started',
      audioStartMs,
      speechOnsetMs: this.#onsetMs,
      detectedAtMs: frameEndMs,
    };
  }
}
