/**
 * The session's output audio (PCM16 mono at 24 kHz) → the application's playback format: resampled
 * with a streaming Speex resampler and copied to every output channel (interleaved).
 *
 * One converter serves one stream of assistant audio (an item's `response.audio.delta`s):
 * `flush()` at `response.audio.done` returns the filter's tail so the whole item comes out;
 * `reset()` drops it (after an interruption).
 *
 * Requires `await loadResampler()` before construction.
 */
import { StreamingResampler } from '../audio/resampler.js';
import type { AudioStreamFormat } from './agentConfig.js';
import { SESSION_SAMPLE_RATE_HZ } from './agentConfig.js';

/** Copies mono samples into `channels` interleaved channels. */
export function upmixFromMono(mono: Int16Array, channels: number): Int16Array {
  if (channels === 1) return mono;
  const interleaved = new Int16Array(mono.length * channels);
  for (let frame = 0, offset = 0; frame < mono.length; frame++, offset += channels) {
    interleaved.fill(mono[frame] as number, offset, offset + channels);
  }
  return interleaved;
}

export class AudioOutputConverter {
  readonly format: AudioStreamFormat;
  readonly inputRateHz: number;
  private readonly resampler: StreamingResampler;

  constructor(format: AudioStreamFormat, inputRateHz = SESSION_SAMPLE_RATE_HZ) {
    this.format = { ...format };
    this.inputRateHz = inputRateHz;
    this.resampler = new StreamingResampler(inputRateHz, format.sampleRateHz);
  }

  /** Converts session samples; returns interleaved output frames now available (possibly none). */
  push(mono: Int16Array): Int16Array {
    return upmixFromMono(this.resampler.process(mono), this.format.channels);
  }

  /** Ends the stream, returning the rest of the converted audio. */
  flush(): Int16Array {
    return upmixFromMono(this.resampler.flush(), this.format.channels);
  }

  /** Drops whatever the filter holds (the stream was interrupted). */
  reset(): void {
    this.resampler.reset();
  }

  destroy(): void {
    this.resampler.destroy();
  }
}
