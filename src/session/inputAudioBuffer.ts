/**
 * The session's input audio: decodes appended audio (any declared input format) to PCM16 at the
 * input rate, keeps the uncommitted buffer, and counts every sample ever received — the session's
 * audio clock, from which all `audio_start_ms` / `audio_end_ms` values come (never wall time).
 */
import { inputAudioFormat, decodeToPcm16 } from '../audio/audioFormat.js';
import type { AudioFormat } from '../audio/audioFormat.js';
import { ByteFrameAligner } from '../audio/byteFrameAligner.js';
import { concatPcm16 } from '../audio/pcm.js';
import { ProtocolError } from '../protocol/errors.js';
import type { InputAudioFormatId } from '../protocol/session.js';

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes base64 strictly: invalid characters are an error, not silently dropped bytes. */
export function decodeBase64Audio(base64: string, param: string): Uint8Array {
  const compact = base64.length > 0 && /\s/.test(base64.slice(0, 200)) ? base64.replace(/\s+/g, '') : base64;
  if (compact.length % 4 === 1 || !base64Pattern.test(compact)) {
    throw new ProtocolError('invalid_audio', 'The audio is not valid base64.', param);
  }
  const buffer = Buffer.from(compact, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export interface CommittedAudio {
  pcm: Int16Array;
  sampleRateHz: number;
  audioStartMs: number;
  audioEndMs: number;
}

export class InputAudioBuffer {
  private format: AudioFormat;
  private aligner: ByteFrameAligner;
  private chunks: Int16Array[] = [];
  private bufferedSamples = 0;
  /** Samples received in this session at the current rate, and ms accumulated before the last rate change. */
  private clockSamples = 0;
  private clockOffsetMs = 0;
  /** Session-clock position (ms) where the uncommitted buffer starts. */
  private bufferStartMs = 0;

  constructor(formatId: InputAudioFormatId, samplingRateHz: number) {
    this.format = inputAudioFormat(formatId, samplingRateHz);
    this.aligner = new ByteFrameAligner(this.format.bytesPerSample);
  }

  get sampleRateHz(): number {
    return this.format.sampleRateHz;
  }

  /** The session's audio clock: ms of input audio received so far. */
  get clockMs(): number {
    return this.clockOffsetMs + (this.clockSamples * 1000) / this.format.sampleRateHz;
  }

  get bufferedMs(): number {
    return (this.bufferedSamples * 1000) / this.format.sampleRateHz;
  }

  /** Switches format (session.update); buffered audio is converted by dropping it with the old format's clock kept. */
  setFormat(formatId: InputAudioFormatId, samplingRateHz: number): void {
    const next = inputAudioFormat(formatId, samplingRateHz);
    if (next.encoding === this.format.encoding && next.sampleRateHz === this.format.sampleRateHz) return;
    this.clockOffsetMs = this.clockMs;
    this.clockSamples = 0;
    this.format = next;
    this.aligner = new ByteFrameAligner(next.bytesPerSample);
    this.clear();
  }

  /** Decodes and buffers; returns the new PCM16 samples (for VAD/ASR). */
  append(bytes: Uint8Array): Int16Array {
    const pcm = decodeToPcm16(this.format, this.aligner.push(bytes));
    if (pcm.length > 0) {
      this.chunks.push(pcm);
      this.bufferedSamples += pcm.length;
      this.clockSamples += pcm.length;
    }
    return pcm;
  }

  /** Takes the whole buffer (client commit). Throws when it holds less than `minDurationMs`. */
  commit(minDurationMs: number): CommittedAudio {
    if (this.bufferedMs < minDurationMs) {
      throw new ProtocolError(
        'input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least ${minDurationMs}ms of audio, but buffer only has ${this.bufferedMs.toFixed(2)}ms of audio.`,
      );
    }
    return this.take(this.bufferedSamples);
  }

  /** Takes the buffered audio up to the session-clock position `endMs` (VAD commit); later audio stays. */
  commitUntil(endMs: number): CommittedAudio {
    const samples = Math.max(0, Math.min(this.bufferedSamples, Math.round(((endMs - this.bufferStartMs) * this.format.sampleRateHz) / 1000)));
    return this.take(samples);
  }

  /** Drops buffered audio before the session-clock position `startMs` (keeps prefix padding for VAD turns). */
  discardBefore(startMs: number): void {
    const drop = Math.max(0, Math.min(this.bufferedSamples, Math.round(((startMs - this.bufferStartMs) * this.format.sampleRateHz) / 1000)));
    if (drop > 0) this.take(drop);
  }

  clear(): void {
    this.chunks = [];
    this.bufferedSamples = 0;
    this.bufferStartMs = this.clockMs;
  }

  private take(sampleCount: number): CommittedAudio {
    const all = concatPcm16(this.chunks);
    const pcm = all.slice(0, sampleCount);
    const rest = all.subarray(sampleCount);
    this.chunks = rest.length > 0 ? [rest.slice()] : [];
    this.bufferedSamples = rest.length;
    const audioStartMs = this.bufferStartMs;
    const audioEndMs = audioStartMs + (sampleCount * 1000) / this.format.sampleRateHz;
    this.bufferStartMs = audioEndMs;
    return { pcm, sampleRateHz: this.format.sampleRateHz, audioStartMs, audioEndMs };
  }
}
