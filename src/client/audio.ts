/**
 * Audio on the wire is base64 inside JSON (`input_audio_buffer.append.audio`,
 * `response.audio.delta.delta`). These helpers turn what applications hold (bytes, 16-bit samples)
 * into that form and back. The bytes are in the session's format: PCM16 little-endian mono at the
 * session rate (24 kHz by default), or G.711 µ-law / A-law bytes when the session asks for them.
 */
import { bytesToPcm16, pcm16ToBytes } from '../audio/pcm.js';
import { base64ToBytes, bytesToBase64 } from './base64.js';

/**
 * Audio as an application may hold it: raw bytes (`Uint8Array`, Node `Buffer`, `ArrayBuffer`),
 * 16-bit samples (`Int16Array`, sent little-endian), or a string that is already base64.
 */
export type AudioInput = Uint8Array | ArrayBuffer | Int16Array | string;

/** Base64 of the audio, as carried in `audio` fields. A string is assumed to be base64 already and passes through. */
export function encodeAudio(audio: AudioInput): string {
  if (typeof audio === 'string') return audio;
  if (audio instanceof Int16Array) return bytesToBase64(pcm16ToBytes(audio));
  if (audio instanceof ArrayBuffer) return bytesToBase64(new Uint8Array(audio));
  if (ArrayBuffer.isView(audio)) return bytesToBase64(new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength));
  throw new TypeError('audio must be a Uint8Array, ArrayBuffer, Int16Array or base64 string');
}

/** A base64 audio payload, or an event carrying one in `delta` (e.g. `response.audio.delta`). */
export type AudioPayload = string | { delta: string };

function payloadText(payload: AudioPayload): string {
  return typeof payload === 'string' ? payload : payload.delta;
}

/** The raw bytes of a base64 payload or of an audio delta event (a fresh copy). */
export function decodeAudio(payload: AudioPayload): Uint8Array {
  return base64ToBytes(payloadText(payload));
}

/**
 * The 16-bit samples of a PCM16 payload or audio delta event (little-endian on the wire). An odd
 * trailing byte is not a whole sample and is dropped; the server sends whole samples per delta.
 */
export function decodePcm16(payload: AudioPayload): Int16Array {
  return bytesToPcm16(decodeAudio(payload));
}

/** Little-endian bytes of 16-bit samples (a copy), e.g. to write them to a speaker or a file. */
export function pcm16ToLittleEndianBytes(pcm: Int16Array): Uint8Array {
  return pcm16ToBytes(pcm);
}

/** Samples from little-endian PCM16 bytes at any byte offset; an odd trailing byte is dropped. */
export function littleEndianBytesToPcm16(bytes: Uint8Array): Int16Array {
  return bytesToPcm16(bytes);
}

/** Milliseconds of PCM16 mono audio in `byteLength` bytes at `sampleRateHz` (24 kHz by default). */
export function pcm16DurationMs(byteLength: number, sampleRateHz = 24_000): number {
  return (Math.floor(byteLength / 2) * 1000) / sampleRateHz;
}
