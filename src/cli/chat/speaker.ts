/**
 * The assistant's voice on the speaker: response audio goes to a player process (started on the
 * first audio, and again after a barge-in), and a barge-in kills that process at once, so what it
 * still had buffered is never heard, and reports what was heard for `conversation.item.truncate`.
 */
import type { AudioCommand } from './audioDevices.js';
import { AudioProcess } from './audioProcess.js';
import type { ChatFailure } from './chatFailure.js';
import type { Truncation } from './playbackTracker.js';
import { PlaybackTracker } from './playbackTracker.js';

/** Where audio is written: a player process, or a stand-in in tests. */
export interface PlayerSink {
  write(pcmBytes: Uint8Array): void;
  /** Stops at once, dropping whatever is buffered. */
  stop(): void;
  /** Plays what is buffered, then ends; resolves when done. */
  finish(): Promise<void>;
}

/** A player process as a {@link PlayerSink}. */
export function processPlayer(command: AudioCommand, onFailure: (failure: ChatFailure) => void): PlayerSink {
  const process = new AudioProcess('speaker', command, onFailure);
  return {
    write: (bytes) => {
      if (!process.stopped) process.child.stdin?.write(bytes);
    },
    stop: () => process.stop(),
    finish: () => process.finish(),
  };
}

export class Speaker {
  readonly tracker: PlaybackTracker;
  private sink: PlayerSink | null = null;
  private readonly sessionSampleRateHz: number;

  constructor(
    private readonly startPlayer: () => PlayerSink,
    options: { sampleRateHz: number; nowMs?: () => number },
  ) {
    this.sessionSampleRateHz = options.sampleRateHz;
    this.tracker = new PlaybackTracker(options.nowMs);
  }

  /** `response.created`. */
  responseStarted(responseId: string): void {
    this.tracker.responseStarted(responseId);
  }

  /** `response.done`. */
  responseEnded(responseId: string): void {
    this.tracker.responseEnded(responseId);
    this.tracker.prune();
  }

  /** A `response.audio.delta` (PCM16 mono bytes). Returns false when it was dropped (interrupted response). */
  play(responseId: string, itemId: string, contentIndex: number, pcmBytes: Uint8Array): boolean {
    const durationMs = (Math.floor(pcmBytes.byteLength / 2) * 1000) / this.sessionSampleRateHz;
    if (!this.tracker.accept(responseId, itemId, contentIndex, durationMs)) return false;
    this.sink ??= this.startPlayer();
    this.sink.write(pcmBytes);
    return true;
  }

  /** True while audio written so far is still playing. */
  get playing(): boolean {
    return this.tracker.playing;
  }

  /**
   * The user started speaking: stops playback now (the player is killed; a new one starts with
   * the next response's audio) and returns the items to truncate (empty when nothing was playing).
   */
  interrupt(): Truncation[] {
    const wasPlaying = this.tracker.playing;
    const truncations = this.tracker.interrupt();
    if (wasPlaying && this.sink) {
      this.sink.stop();
      this.sink = null;
    }
    return truncations;
  }

  /** Waits until everything written has played (the player drains and exits). */
  async finish(): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    await sink.finish();
    if (this.sink === sink) this.sink = null;
  }

  /** Stops playback at once (also ends a {@link finish} in progress). */
  close(): void {
    this.sink?.stop();
    this.sink = null;
  }
}
