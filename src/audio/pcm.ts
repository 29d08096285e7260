/**
 * 16-bit PCM helpers: little-endian byte conversion, float conversion, concatenation and base64.
 *
 * Every function returns freshly allocated memory (never a view on its input), so callers may keep or
 * mutate results freely.
 */

/** True when typed arrays use little-endian byte order on this host (every platform Node ships on). */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Number of bytes in one 16-bit PCM sample. */
export const PCM16_BYTES_PER_SAMPLE = 2;

/**
 * Converts little-endian 16-bit PCM bytes to samples. Works at any `byteOffset` (odd offsets included).
 * An odd trailing byte is not a whole sample and is ignored: the result has `floor(byteLength / 2)`
 * samples. Use `ByteFrameAligner` (byteFrameAligner.ts) to carry such a byte over to the next chunk of a stream.
 */
export function bytesToPcm16(bytes: Uint8Array): Int16Array {
  const sampleCount = bytes.byteLength >> 1;
  const pcm = new Int16Array(sampleCount);
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(pcm.buffer).set(bytes.subarray(0, sampleCount * PCM16_BYTES_PER_SAMPLE));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < sampleCount; i++) pcm[i] = view.getInt16(i * PCM16_BYTES_PER_SAMPLE, true);
  }
  return pcm;
}

/** Converts samples to little-endian 16-bit PCM bytes (a copy, `2 × length` bytes). */
export function pcm16ToBytes(pcm: Int16Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength).slice();
  const bytes = new Uint8Array(pcm.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < pcm.length; i++) view.setInt16(i * PCM16_BYTES_PER_SAMPLE, pcm[i] as number, true);
  return bytes;
}

/** Converts 16-bit samples to floats in [-1, 1) by dividing by 32768 (exactly invertible). */
export function pcm16ToFloat32(pcm: Int16Array): Float32Array {
  const samples = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) samples[i] = (pcm[i] as number) / 32768;
  return samples;
}

/**
 * Converts float samples (nominally -1..1) to 16-bit by multiplying by 32768, rounding half up and
 * clipping to -32768..32767. NaN becomes 0. Inverse of {@link pcm16ToFloat32} for every 16-bit value.
 */
export function float32ToPcm16(samples: Float32Array): Int16Array {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const scaled = Math.floor((samples[i] as number) * 32768 + 0.5);
    // NaN fails both comparisons and is stored as 0 by the Int16Array.
    pcm[i] = scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
  }
  return pcm;
}

/** Concatenates sample chunks into one new array. */
export function concatPcm16(chunks: readonly Int16Array[]): Int16Array {
  let sampleCount = 0;
  for (const chunk of chunks) sampleCount += chunk.length;
  const joined = new Int16Array(sampleCount);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

/** Concatenates byte chunks into one new `Uint8Array`. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let byteLength = 0;
  for (const chunk of chunks) byteLength += chunk.byteLength;
  const joined = new Uint8Array(byteLength);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/** Standard (RFC 4648 §4, padded) base64 of raw bytes. */
export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard or URL-safe base64. Decoding is lenient in Node's way: whitespace and characters
 * outside the alphabet are skipped and decoding stops at the first `=`, so validate separately where
 * malformed input must be rejected.
 */
export function base64ToBytes(base64: string): Uint8Array {
  // Copy out of Node's shared allocation pool so `.buffer` belongs to the result alone.
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** Base64 of the little-endian bytes of `pcm`, as carried in `audio` / `delta` JSON fields. */
export function pcm16ToBase64(pcm: Int16Array): string {
  if (HOST_IS_LITTLE_ENDIAN) return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
  return bytesToBase64(pcm16ToBytes(pcm));
}

/** Decodes base64 little-endian PCM16; an odd trailing byte is ignored as in {@link bytesToPcm16}. */
export function base64ToPcm16(base64: string): Int16Array {
  return bytesToPcm16(Buffer.from(base64, 'base64'));
}
