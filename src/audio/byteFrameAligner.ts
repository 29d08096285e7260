/**
 * Re-cuts a stream of byte chunks into whole frames (one sample of every channel), carrying a partial
 * frame over to the next chunk. Clients may split audio at any byte (e.g. an odd-length PCM16
 * `input_audio_buffer.append`), while decoders need whole samples.
 *
 * Frame sizes: 2 for mono PCM16, 4 for stereo PCM16, 1 for G.711 (which never carries anything).
 */
export class ByteFrameAligner {
  /** Bytes per frame this aligner emits multiples of. */
  readonly frameByteLength: number;
  private readonly carry: Uint8Array;
  private carryByteLength = 0;

  /** @param frameByteLength bytes per frame, a positive integer. */
  constructor(frameByteLength: number) {
    if (!Number.isInteger(frameByteLength) || frameByteLength < 1) {
      throw new RangeError(`frameByteLength must be a positive integer, got ${frameByteLength}`);
    }
    this.frameByteLength = frameByteLength;
    this.carry = new Uint8Array(frameByteLength);
  }

  /** Bytes of an incomplete frame held back from earlier chunks (0 ≤ n < frameByteLength). */
  get pendingByteLength(): number {
    return this.carryByteLength;
  }

  /**
   * Appends `bytes` to the stream and returns every complete frame now available (a new array whose
   * length is a multiple of `frameByteLength`, possibly empty). The remainder is kept for later.
   */
  push(bytes: Uint8Array): Uint8Array {
    const totalByteLength = this.carryByteLength + bytes.byteLength;
    const alignedByteLength = totalByteLength - (totalByteLength % this.frameByteLength);
    const aligned = new Uint8Array(alignedByteLength);
    if (alignedByteLength === 0) {
      this.carry.set(bytes, this.carryByteLength);
      this.carryByteLength = totalByteLength;
      return aligned;
    }
    aligned.set(this.carry.subarray(0, this.carryByteLength));
    const takenByteLength = alignedByteLength - this.carryByteLength;
    aligned.set(bytes.subarray(0, takenByteLength), this.carryByteLength);
    this.carryByteLength = bytes.byteLength - takenByteLength;
    this.carry.set(bytes.subarray(takenByteLength));
    return aligned;
  }

  /** Drops any held partial frame (e.g. on `input_audio_buffer.clear`) and returns how many bytes were dropped. */
  reset(): number {
    const droppedByteLength = this.carryByteLength;
    this.carryByteLength = 0;
    return droppedByteLength;
  }
}
