/**
 * The application's microphone audio → the session's input format: interleaved PCM16 at any rate
 * and channel count in, PCM16 mono at 24 kHz out.
 *
 * Channels are averaged to mono, then one streaming Speex resampler (src/audio/resampler.ts) carries
 * its filter state across chunks, so chunk sizes do not matter: no clicks at chunk boundaries, and
 * the output stays aligned with the input sample for sample (after `flush()` a stream of N input
 * frames has given exactly `ceil(N × 24000 / inputRateHz)` samples; before it, at most the
 * filter's few-millisecond delay is held back). Partial frames (a byte of a sample, or a left
 * sample without its right) are carried to the next chunk.
 *
 * Requires `await loadResampler()` before construction (the agent does this in `connect()`).
 */
import { ByteFrameAligner } from '../audio/byteFrameAligner.js';
import { bytesToPcm16 } from '../audio/pcm.js';
import { StreamingResampler } from '../audio/resampler.js';
import type { AudioStreamFormat } from './agentConfig.js';
import { SESSION_SAMPLE_RATE_HZ } from './agentConfig.js';

/** What `pushAudio()` takes: 16-bit samples, or their little-endian bytes (`Buffer`, `Uint8Array`, `ArrayBuffer`). */
export type AppAudio = Int16Array | Uint8Array | ArrayBuffer;

/** Averages interleaved frames to mono, rounding to the nearest integer. */
export function downmixToMono(interleaved: Int16Array, channels: number): Int16Array {
  if (channels === 1) return interleaved;
  const frameCount = Math.floor(interleaved.length / channels);
  const mono = new Int16Array(frameCount);
  for (let frame = 0, offset = 0; frame < frameCount; frame++, offset += channels) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += interleaved[offset + channel] as number;
    mono[frame] = Math.round(sum / channels);
  }
  return mono;
}

export class AudioInputConverter {
  readonly format: AudioStreamFormat;
  readonly outputRateHz: number;
  private readonly resampler: StreamingResampler;
  private readonly byteAligner: ByteFrameAligner;
  /** Samples of an incomplete frame carried over from an `Int16Array` chunk. */
  private sampleCarry: Int16Array = new Int16Array(0);
  private inputFrames = 0;
  private outputSamples = 0;

  constructor(format: AudioStreamFormat, outputRateHz = SESSION_SAMPLE_RATE_HZ) {
    this.format = { ...format };
    this.outputRateHz = outputRateHz;
    this.resampler = new StreamingResampler(format.sampleRateHz, outputRateHz);
    this.byteAligner = new ByteFrameAligner(2 * format.channels);
  }

  /** Whole input frames converted so far. */
  get inputFrameCount(): number {
    return this.inputFrames;
  }

  /** Session samples produced so far. */
  get outputSampleCount(): number {
    return this.outputSamples;
  }

  /** Converts the next chunk; returns the session-format samples now available (possibly none). */
  push(audio: AppAudio): Int16Array {
    const interleaved = this.wholeFrames(audio);
    if (interleaved.length === 0) return new Int16Array(0);
    this.inputFrames += interleaved.length / this.format.channels;
    const output = this.resampler.process(downmixToMono(interleaved, this.format.channels));
    this.outputSamples += output.length;
    return output;
  }

  /**
   * Ends the stream: returns what the resampler filter still holds, so everything pushed has been
   * converted. A partial frame still carried is dropped. The next `push` starts a new stream.
   */
  flush(): Int16Array {
    this.dropPartialFrame();
    const tail = this.resampler.flush();
    this.outputSamples += tail.length;
    return tail;
  }

  /** Forgets buffered input (partial frame and filter state) without producing output. */
  reset(): void {
    this.dropPartialFrame();
    this.resampler.reset();
  }

  destroy(): void {
    this.resampler.destroy();
  }

  private dropPartialFrame(): void {
    this.byteAligner.reset();
    this.sampleCarry = new Int16Array(0);
  }

  private wholeFrames(audio: AppAudio): Int16Array {
    if (audio instanceof Int16Array) return this.wholeSampleFrames(audio);
    let bytes: Uint8Array;
    if (audio instanceof ArrayBuffer) bytes = new Uint8Array(audio);
    else if (audio instanceof Uint8Array) bytes = audio;
    else throw new TypeError('audio must be an Int16Array of samples, or a Uint8Array / Buffer / ArrayBuffer of little-endian PCM16 bytes');
    if (this.sampleCarry.length > 0) {
      throw new TypeError('do not mix Int16Array and byte chunks in one audio stream while a partial frame is pending');
    }
    return bytesToPcm16(this.byteAligner.push(bytes));
  }

  private wholeSampleFrames(samples: Int16Array): Int16Array {
    if (this.byteAligner.pendingByteLength > 0) {
      throw new TypeError('do not mix Int16Array and byte chunks in one audio stream while a partial frame is pending');
    }
    const channels = this.format.channels;
    let joined = samples;
    if (this.sampleCarry.length > 0) {
      joined = new Int16Array(this.sampleCarry.length + samples.length);
      joined.set(this.sampleCarry);
      joined.set(samples, this.sampleCarry.length);
    }
    const whole = joined.length - (joined.length % channels);
    this.sampleCarry = joined.slice(whole);
    return whole === joined.length ? joined : joined.subarray(0, whole);
  }
}
