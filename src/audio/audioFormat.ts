/**
 * Wire audio formats of the realtime protocol (protocol.md §3.3): the format ids a session names, the
 * encoding and sample rate they stand for, byte ↔ duration arithmetic, and conversion to/from PCM16.
 * All formats are mono; stereo echo-cancellation input is interleaved by the caller.
 */
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from './g711.js';
import { bytesToPcm16, pcm16ToBytes } from './pcm.js';

/** `input_audio_format` values. */
export type InputAudioFormatId = 'pcm16' | 'g711_ulaw' | 'g711_alaw';

/** `output_audio_format` values (`pcm16_8000hz` / `pcm16_16000hz` are Azure extensions). */
export type OutputAudioFormatId = 'pcm16' | 'pcm16_8000hz' | 'pcm16_16000hz' | 'g711_ulaw' | 'g711_alaw';

/** Sample encodings on the wire. */
export type AudioEncoding = 'pcm16' | 'g711_ulaw' | 'g711_alaw';

/** A concrete mono wire format. */
export interface AudioFormat {
  encoding: AudioEncoding;
  sampleRateHz: number;
  /** 2 for PCM16 (little-endian), 1 for G.711. */
  bytesPerSample: 1 | 2;
}

/** Every `input_audio_format` id. */
export const INPUT_AUDIO_FORMAT_IDS: readonly InputAudioFormatId[] = ['pcm16', 'g711_ulaw', 'g711_alaw'];

/** Every `output_audio_format` id. */
export const OUTPUT_AUDIO_FORMAT_IDS: readonly OutputAudioFormatId[] = [
  'pcm16',
  'pcm16_8000hz',
  'pcm16_16000hz',
  'g711_ulaw',
  'g711_alaw',
];

/** `input_audio_sampling_rate` values accepted for pcm16 input. */
export const PCM16_INPUT_SAMPLE_RATES_HZ: readonly number[] = [8000, 16000, 24000];

/** Default pcm16 rate, in and out. */
export const DEFAULT_PCM16_SAMPLE_RATE_HZ = 24000;

/** The only G.711 rate. */
export const G711_SAMPLE_RATE_HZ = 8000;

/** True when `value` is an `input_audio_format` id. */
export function isInputAudioFormatId(value: unknown): value is InputAudioFormatId {
  return typeof value === 'string' && (INPUT_AUDIO_FORMAT_IDS as readonly string[]).includes(value);
}

/** True when `value` is an `output_audio_format` id. */
export function isOutputAudioFormatId(value: unknown): value is OutputAudioFormatId {
  return typeof value === 'string' && (OUTPUT_AUDIO_FORMAT_IDS as readonly string[]).includes(value);
}

function pcm16Format(sampleRateHz: number): AudioFormat {
  return { encoding: 'pcm16', sampleRateHz, bytesPerSample: 2 };
}

function g711Format(encoding: 'g711_ulaw' | 'g711_alaw'): AudioFormat {
  return { encoding, sampleRateHz: G711_SAMPLE_RATE_HZ, bytesPerSample: 1 };
}

/**
 * Resolves `input_audio_format` (+ Azure `input_audio_sampling_rate`) to a concrete format.
 * pcm16 runs at `inputSamplingRateHz` (8000, 16000 or 24000; default 24000). G.711 is always 8000 Hz
 * and ignores `inputSamplingRateHz`.
 * @throws RangeError for a pcm16 rate other than 8000/16000/24000, or an unknown id.
 */
export function inputAudioFormat(id: InputAudioFormatId, inputSamplingRateHz?: number): AudioFormat {
  switch (id) {
    case 'pcm16': {
      const sampleRateHz = inputSamplingRateHz ?? DEFAULT_PCM16_SAMPLE_RATE_HZ;
      if (!PCM16_INPUT_SAMPLE_RATES_HZ.includes(sampleRateHz)) {
        throw new RangeError(
          `input_audio_sampling_rate ${sampleRateHz} is not supported for pcm16 (use ${PCM16_INPUT_SAMPLE_RATES_HZ.join(', ')})`,
        );
      }
      return pcm16Format(sampleRateHz);
    }
    case 'g711_ulaw':
    case 'g711_alaw':
      return g711Format(id);
    default:
      throw new RangeError(`unknown input audio format ${JSON.stringify(id satisfies never)}`);
  }
}

/**
 * Resolves `output_audio_format` to a concrete format: pcm16 = 24000 Hz, pcm16_16000hz, pcm16_8000hz,
 * G.711 = 8000 Hz.
 * @throws RangeError for an unknown id.
 */
export function outputAudioFormat(id: OutputAudioFormatId): AudioFormat {
  switch (id) {
    case 'pcm16':
      return pcm16Format(DEFAULT_PCM16_SAMPLE_RATE_HZ);
    case 'pcm16_16000hz':
      return pcm16Format(16000);
    case 'pcm16_8000hz':
      return pcm16Format(8000);
    case 'g711_ulaw':
    case 'g711_alaw':
      return g711Format(id);
    default:
      throw new RangeError(`unknown output audio format ${JSON.stringify(id satisfies never)}`);
  }
}

/**
 * Duration in milliseconds of `byteLength` bytes of `format`, counting whole samples only (a trailing
 * partial sample adds nothing). The result may be fractional (e.g. 1 byte of G.711 = 0.125 ms); round
 * as the caller's field requires.
 */
export function bytesToDurationMs(format: AudioFormat, byteLength: number): number {
  const sampleCount = Math.floor(byteLength / format.bytesPerSample);
  return (sampleCount * 1000) / format.sampleRateHz;
}

/**
 * Byte length of `durationMs` of `format`, rounded down to whole samples (so the result is always a
 * multiple of `bytesPerSample`). Inverse of {@link bytesToDurationMs} for whole-sample durations.
 * @throws RangeError for a negative or non-finite duration.
 */
export function durationMsToByteLength(format: AudioFormat, durationMs: number): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a finite non-negative number, got ${durationMs}`);
  }
  const exactSampleCount = (durationMs * format.sampleRateHz) / 1000;
  // Durations computed in floating point can land a hair below a whole sample count; snap those first.
  const nearestSampleCount = Math.round(exactSampleCount);
  const sampleCount =
    Math.abs(exactSampleCount - nearestSampleCount) < 1e-6 ? nearestSampleCount : Math.floor(exactSampleCount);
  return sampleCount * format.bytesPerSample;
}

/** Decodes wire bytes of `format` to PCM16 samples at `format.sampleRateHz` (no resampling). */
export function decodeToPcm16(format: AudioFormat, bytes: Uint8Array): Int16Array {
  switch (format.encoding) {
    case 'pcm16':
      return bytesToPcm16(bytes);
    case 'g711_ulaw':
      return decodeUlaw(bytes);
    case 'g711_alaw':
      return decodeAlaw(bytes);
    default:
      throw new RangeError(`unknown audio encoding ${JSON.stringify(format.encoding satisfies never)}`);
  }
}

/** Encodes PCM16 samples (already at `format.sampleRateHz`) to wire bytes of `format`. */
export function encodeFromPcm16(format: AudioFormat, pcm: Int16Array): Uint8Array {
  switch (format.encoding) {
    case 'pcm16':
      return pcm16ToBytes(pcm);
    case 'g711_ulaw':
      return encodeUlaw(pcm);
    case 'g711_alaw':
      return encodeAlaw(pcm);
    default:
      throw new RangeError(`unknown audio encoding ${JSON.stringify(format.encoding satisfies never)}`);
  }
}
