/**
 * RIFF/WAVE reading (to 16-bit PCM) and writing (PCM16).
 *
 * Reads integer PCM of 8/16/24/32 bits, IEEE float of 32/64 bits, µ-law and A-law, in plain or
 * WAVE_FORMAT_EXTENSIBLE `fmt ` chunks. Unknown chunks are skipped, odd-sized chunks' pad bytes are
 * honoured, and a `data` size that overruns the file (streamed WAVs) is clipped to what is present.
 * Wider samples are rounded to 16 bits the way SoX does without dither: half up, clipped.
 */
import { decodeAlaw, decodeUlaw } from './g711.js';
import { pcm16ToBytes } from './pcm.js';

/** Decoded WAV audio. */
export interface WavAudio {
  sampleRateHz: number;
  channels: number;
  /** Interleaved 16-bit samples (`frames × channels`). */
  samples: Int16Array;
}

/** What {@link readWav} found in the file, beside the converted samples. */
export interface ReadWavResult extends WavAudio {
  /** Sample encoding stored in the file. */
  sourceEncoding: WavSampleEncoding;
  /** Bits per stored sample (8 for G.711). */
  sourceBitsPerSample: number;
}

/** Sample encodings {@link readWav} understands. */
export type WavSampleEncoding = 'pcm' | 'float' | 'ulaw' | 'alaw';

const FORMAT_TAG_PCM = 0x0001;
const FORMAT_TAG_FLOAT = 0x0003;
const FORMAT_TAG_ALAW = 0x0006;
const FORMAT_TAG_ULAW = 0x0007;
const FORMAT_TAG_EXTENSIBLE = 0xfffe;

const RIFF_HEADER_BYTE_LENGTH = 12;
const CHUNK_HEADER_BYTE_LENGTH = 8;

function fourCc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(
    bytes[offset] as number,
    bytes[offset + 1] as number,
    bytes[offset + 2] as number,
    bytes[offset + 3] as number,
  );
}

interface FmtChunk {
  encoding: WavSampleEncoding;
  channels: number;
  sampleRateHz: number;
  blockAlignByteLength: number;
  bitsPerSample: number;
}

function parseFmtChunk(view: DataView, offset: number, byteLength: number): FmtChunk {
  if (byteLength < 16) throw new Error(`WAV fmt chunk is too short (${byteLength} bytes)`);
  let formatTag = view.getUint16(offset, true);
  const channels = view.getUint16(offset + 2, true);
  const sampleRateHz = view.getUint32(offset + 4, true);
  const blockAlignByteLength = view.getUint16(offset + 12, true);
  const bitsPerSample = view.getUint16(offset + 14, true);
  if (formatTag === FORMAT_TAG_EXTENSIBLE) {
    if (byteLength < 40) throw new Error(`WAVE_FORMAT_EXTENSIBLE fmt chunk is too short (${byteLength} bytes)`);
    // The sub-format GUID (offset 24) starts with the classic format tag.
    formatTag = view.getUint16(offset + 24, true);
  }
  let encoding: WavSampleEncoding;
  switch (formatTag) {
    case FORMAT_TAG_PCM:
      encoding = 'pcm';
      if (![8, 16, 24, 32].includes(bitsPerSample)) {
        throw new Error(`unsupported WAV PCM sample size: ${bitsPerSample} bits (supported: 8, 16, 24, 32)`);
      }
      break;
    case FORMAT_TAG_FLOAT:
      encoding = 'float';
      if (bitsPerSample !== 32 && bitsPerSample !== 64) {
        throw new Error(`unsupported WAV float sample size: ${bitsPerSample} bits (supported: 32, 64)`);
      }
      break;
    case FORMAT_TAG_ULAW:
    case FORMAT_TAG_ALAW:
      encoding = formatTag === FORMAT_TAG_ULAW ? 'ulaw' : 'alaw';
      if (bitsPerSample !== 8) throw new Error(`unsupported G.711 WAV sample size: ${bitsPerSample} bits`);
      break;
    default:
      throw new Error(`unsupported WAV encoding: format tag 0x${formatTag.toString(16).padStart(4, '0')}`);
  }
  if (channels === 0) throw new Error('WAV fmt chunk declares 0 channels');
  if (sampleRateHz === 0) throw new Error('WAV fmt chunk declares a sample rate of 0 Hz');
  const bytesPerSample = bitsPerSample / 8;
  if (blockAlignByteLength < channels * bytesPerSample) {
    throw new Error(`WAV block align ${blockAlignByteLength} is too small for ${channels} × ${bitsPerSample}-bit samples`);
  }
  return { encoding, channels, sampleRateHz, blockAlignByteLength, bitsPerSample };
}

function clip16(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

/** Converts `frameCount` frames starting at `offset` to interleaved 16-bit samples. */
function convertSamples(bytes: Uint8Array, offset: number, frameCount: number, fmt: FmtChunk): Int16Array {
  const { channels, blockAlignByteLength, bitsPerSample, encoding } = fmt;
  const sampleCount = frameCount * channels;
  const bytesPerSample = bitsPerSample / 8;
  if (encoding === 'ulaw' || encoding === 'alaw') {
    const codes =
      blockAlignByteLength === channels
        ? bytes.subarray(offset, offset + sampleCount)
        : gatherBytes(bytes, offset, frameCount, channels, blockAlignByteLength);
    return encoding === 'ulaw' ? decodeUlaw(codes) : decodeAlaw(codes);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples = new Int16Array(sampleCount);
  if (encoding === 'float') {
    let i = 0;
    for (let frame = 0; frame < frameCount; frame++) {
      const frameOffset = offset + frame * blockAlignByteLength;
      for (let channel = 0; channel < channels; channel++, i++) {
        const sampleOffset = frameOffset + channel * bytesPerSample;
        const value = bitsPerSample === 32 ? view.getFloat32(sampleOffset, true) : view.getFloat64(sampleOffset, true);
        // Same rule as float32ToPcm16: ×32768, half up, clipped; NaN is stored as 0.
        samples[i] = clip16(Math.floor(value * 32768 + 0.5));
      }
    }
    return samples;
  }
  let i = 0;
  for (let frame = 0; frame < frameCount; frame++) {
    const frameOffset = offset + frame * blockAlignByteLength;
    for (let channel = 0; channel < channels; channel++, i++) {
      const sampleOffset = frameOffset + channel * bytesPerSample;
      switch (bitsPerSample) {
        case 8: // unsigned, 128 = silence
          samples[i] = ((bytes[sampleOffset] as number) - 128) << 8;
          break;
        case 16:
          samples[i] = view.getInt16(sampleOffset, true);
          break;
        case 24: {
          const value24 =
            (bytes[sampleOffset] as number) |
            ((bytes[sampleOffset + 1] as number) << 8) |
            ((bytes[sampleOffset + 2] as number) << 16);
          const signed24 = (value24 << 8) >> 8;
          samples[i] = clip16((signed24 + 0x80) >> 8);
          break;
        }
        default: // 32
          samples[i] = clip16(Math.floor((view.getInt32(sampleOffset, true) + 0x8000) / 0x10000));
      }
    }
  }
  return samples;
}

/** Copies 8-bit samples out of frames padded beyond `channels` bytes. */
function gatherBytes(
  bytes: Uint8Array,
  offset: number,
  frameCount: number,
  channels: number,
  blockAlignByteLength: number,
): Uint8Array {
  const gathered = new Uint8Array(frameCount * channels);
  for (let frame = 0; frame < frameCount; frame++) {
    const frameOffset = offset + frame * blockAlignByteLength;
    gathered.set(bytes.subarray(frameOffset, frameOffset + channels), frame * channels);
  }
  return gathered;
}

/**
 * Parses a WAV file and converts its samples to interleaved 16-bit PCM.
 * @throws Error naming the problem for non-RIFF/WAVE input, RF64/RIFX files, missing `fmt ` or `data`
 *   chunks, and encodings other than those listed in this module's description.
 */
export function readWav(bytes: Uint8Array): ReadWavResult {
  if (bytes.byteLength < RIFF_HEADER_BYTE_LENGTH) {
    throw new Error(`not a WAV file: ${bytes.byteLength} bytes is shorter than a RIFF header`);
  }
  const riffId = fourCc(bytes, 0);
  if (riffId === 'RIFX' || riffId === 'RF64') throw new Error(`unsupported WAV variant: ${riffId}`);
  if (riffId !== 'RIFF' || fourCc(bytes, 8) !== 'WAVE') {
    throw new Error('not a WAV file: missing RIFF/WAVE header');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: FmtChunk | undefined;
  let dataOffset = -1;
  let dataByteLength = 0;
  let offset = RIFF_HEADER_BYTE_LENGTH;
  while (offset + CHUNK_HEADER_BYTE_LENGTH <= bytes.byteLength) {
    const chunkId = fourCc(bytes, offset);
    const chunkByteLength = view.getUint32(offset + 4, true);
    const bodyOffset = offset + CHUNK_HEADER_BYTE_LENGTH;
    const availableByteLength = Math.min(chunkByteLength, bytes.byteLength - bodyOffset);
    if (chunkId === 'fmt ') {
      fmt = parseFmtChunk(view, bodyOffset, availableByteLength);
    } else if (chunkId === 'data' && dataOffset < 0) {
      dataOffset = bodyOffset;
      dataByteLength = availableByteLength;
    }
    // Chunks are word-aligned: an odd-sized body is followed by one pad byte.
    offset = bodyOffset + chunkByteLength + (chunkByteLength & 1);
  }
  if (!fmt) throw new Error('invalid WAV file: no fmt chunk');
  if (dataOffset < 0) throw new Error('invalid WAV file: no data chunk');
  const frameCount = Math.floor(dataByteLength / fmt.blockAlignByteLength);
  return {
    sampleRateHz: fmt.sampleRateHz,
    channels: fmt.channels,
    samples: convertSamples(bytes, dataOffset, frameCount, fmt),
    sourceEncoding: fmt.encoding,
    sourceBitsPerSample: fmt.bitsPerSample,
  };
}

/**
 * Mixes interleaved samples down to mono by averaging the channels of each frame (rounded to nearest, halves up).
 * A trailing partial frame is dropped. With one channel, returns a copy.
 */
export function toMono(samples: Int16Array, channels: number): Int16Array {
  if (!Number.isInteger(channels) || channels < 1) {
    throw new RangeError(`channels must be a positive integer, got ${channels}`);
  }
  if (channels === 1) return samples.slice();
  const frameCount = Math.floor(samples.length / channels);
  const mono = new Int16Array(frameCount);
  for (let frame = 0, i = 0; frame < frameCount; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++, i++) sum += samples[i] as number;
    mono[frame] = Math.round(sum / channels);
  }
  return mono;
}

/** Serialises interleaved 16-bit samples as a canonical 44-byte-header PCM16 WAV file. */
export function writeWav(audio: WavAudio): Uint8Array {
  const { sampleRateHz, channels, samples } = audio;
  if (!Number.isInteger(channels) || channels < 1 || channels > 0xffff) {
    throw new RangeError(`channels must be an integer from 1 to 65535, got ${channels}`);
  }
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 1 || sampleRateHz > 0xffffffff) {
    throw new RangeError(`sampleRateHz must be a positive integer, got ${sampleRateHz}`);
  }
  if (samples.length % channels !== 0) {
    throw new RangeError(`${samples.length} samples do not divide into frames of ${channels} channels`);
  }
  const bytesPerSample = 2;
  const dataByteLength = samples.length * bytesPerSample;
  const headerByteLength = 44;
  if (headerByteLength - 8 + dataByteLength > 0xffffffff) throw new RangeError('audio is too long for a WAV file');
  const bytes = new Uint8Array(headerByteLength + dataByteLength);
  const view = new DataView(bytes.buffer);
  const writeFourCc = (offset: number, id: string): void => {
    for (let i = 0; i < 4; i++) bytes[offset + i] = id.charCodeAt(i);
  };
  writeFourCc(0, 'RIFF');
  view.setUint32(4, headerByteLength - 8 + dataByteLength, true);
  writeFourCc(8, 'WAVE');
  writeFourCc(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_TAG_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * channels * bytesPerSample, true);
  view.setUint16(32, channels * bytesPerSample, true);
  view.setUint16(34, 16, true);
  writeFourCc(36, 'data');
  view.setUint32(40, dataByteLength, true);
  bytes.set(pcm16ToBytes(samples), headerByteLength);
  return bytes;
}
