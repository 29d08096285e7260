/**
 * ITU-T G.711 µ-law and A-law codecs for 16-bit PCM.
 *
 * Encoding is bit-exact with SoX 14.4 (`sox -D in.wav -e u-law out.wav` / `-e a-law`): a 16-bit sample
 * is first rounded (half up, clipped) to 14 bits for µ-law or 13 bits for A-law, then coded with the
 * classic segment search of the Sun/CCITT reference coder. Note that SoX dithers by default when it
 * writes G.711; only its undithered output (`-D`) is deterministic and comparable. The ITU G.191
 * reference coder truncates to 14/13 bits instead of rounding, so the two can pick neighbouring codes
 * for samples within a few LSBs of a decision boundary (never more than one code step apart).
 *
 * Decoding is the standard table and matches SoX (and G.191) for all 256 codes.
 */

/** Largest 14-bit magnitude the µ-law segment coder accepts before clipping. */
const ULAW_CLIP_14BIT = 8159;
/** µ-law bias in 14-bit units (0x84 >> 2). */
const ULAW_BIAS_14BIT = 33;
/** Upper end (inclusive) of each µ-law segment, biased 14-bit magnitude. */
const ULAW_SEGMENT_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff] as const;
/** Upper end (inclusive) of each A-law segment, 13-bit magnitude. */
const ALAW_SEGMENT_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff] as const;

function segmentOf(magnitude: number, segmentEnds: readonly number[]): number {
  let segment = 0;
  while (segment < segmentEnds.length && magnitude > (segmentEnds[segment] as number)) segment++;
  return segment;
}

/** µ-law code for a signed 14-bit sample (-8192..8191). */
function encodeUlaw14(sample14: number): number {
  let magnitude = sample14;
  let mask = 0xff;
  if (magnitude < 0) {
    magnitude = -magnitude;
    mask = 0x7f;
  }
  if (magnitude > ULAW_CLIP_14BIT) magnitude = ULAW_CLIP_14BIT;
  magnitude += ULAW_BIAS_14BIT;
  const segment = segmentOf(magnitude, ULAW_SEGMENT_END);
  if (segment >= 8) return 0x7f ^ mask;
  return ((segment << 4) | ((magnitude >> (segment + 1)) & 0x0f)) ^ mask;
}

/** A-law code for a signed 13-bit sample (-4096..4095). */
function encodeAlaw13(sample13: number): number {
  let magnitude = sample13;
  let mask = 0xd5;
  if (magnitude < 0) {
    magnitude = -magnitude - 1;
    mask = 0x55;
  }
  const segment = segmentOf(magnitude, ALAW_SEGMENT_END);
  if (segment >= 8) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (magnitude >> 1) & 0x0f : (magnitude >> segment) & 0x0f;
  return ((segment << 4) | mantissa) ^ mask;
}

function decodeUlawCode(code: number): number {
  const inverted = ~code & 0xff;
  const magnitude = ((((inverted & 0x0f) << 3) + 0x84) << ((inverted & 0x70) >> 4)) - 0x84;
  return inverted & 0x80 ? -magnitude : magnitude;
}

function decodeAlawCode(code: number): number {
  const toggled = code ^ 0x55;
  const segment = (toggled & 0x70) >> 4;
  let magnitude = (toggled & 0x0f) << 4;
  if (segment === 0) magnitude += 8;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  return toggled & 0x80 ? magnitude : -magnitude;
}

/**
 * µ-law encode table indexed by `((sample16 + 2) >> 2) + 8192`. The rounded 14-bit value spans
 * -8192..8192; the extra top entry is the clipped code for 32766 and 32767.
 */
const ULAW_ENCODE_TABLE = new Uint8Array(16385);
for (let index = 0; index < ULAW_ENCODE_TABLE.length; index++) {
  ULAW_ENCODE_TABLE[index] = encodeUlaw14(Math.min(index - 8192, 8191));
}

/** A-law encode table indexed by `((sample16 + 4) >> 3) + 4096` (13-bit value -4096..4096). */
const ALAW_ENCODE_TABLE = new Uint8Array(8193);
for (let index = 0; index < ALAW_ENCODE_TABLE.length; index++) {
  ALAW_ENCODE_TABLE[index] = encodeAlaw13(Math.min(index - 4096, 4095));
}

const ULAW_DECODE_TABLE = new Int16Array(256);
const ALAW_DECODE_TABLE = new Int16Array(256);
for (let code = 0; code < 256; code++) {
  ULAW_DECODE_TABLE[code] = decodeUlawCode(code);
  ALAW_DECODE_TABLE[code] = decodeAlawCode(code);
}

/** Encodes 16-bit PCM samples to G.711 µ-law bytes (one byte per sample). */
export function encodeUlaw(pcm: Int16Array): Uint8Array {
  const codes = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) {
    codes[i] = ULAW_ENCODE_TABLE[(((pcm[i] as number) + 2) >> 2) + 8192] as number;
  }
  return codes;
}

/** Encodes 16-bit PCM samples to G.711 A-law bytes (one byte per sample). */
export function encodeAlaw(pcm: Int16Array): Uint8Array {
  const codes = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) {
    codes[i] = ALAW_ENCODE_TABLE[(((pcm[i] as number) + 4) >> 3) + 4096] as number;
  }
  return codes;
}

/** Decodes G.711 µ-law bytes to 16-bit PCM samples (range ±32124). */
export function decodeUlaw(codes: Uint8Array): Int16Array {
  const pcm = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) pcm[i] = ULAW_DECODE_TABLE[codes[i] as number] as number;
  return pcm;
}

/** Decodes G.711 A-law bytes to 16-bit PCM samples (range ±32256). */
export function decodeAlaw(codes: Uint8Array): Int16Array {
  const pcm = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) pcm[i] = ALAW_DECODE_TABLE[codes[i] as number] as number;
  return pcm;
}
