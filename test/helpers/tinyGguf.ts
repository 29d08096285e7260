/**
 * Writes a tiny but valid GGUF language model with random weights, so tests can drive the real
 * node-llama-cpp loading, tokenizing, generation, cancellation and accounting code without any
 * downloaded weights. Nothing here is a real model: what it generates is gibberish (or, on request,
 * one fixed phrase wired into its output layer — see below).
 *
 * Written from the GGUF format description (version 3, little endian): a header ("GGUF", version,
 * tensor count, metadata count), typed key/value metadata, tensor infos (name, dims with the
 * innermost first, ggml type, offset into the data section), padding to `general.alignment`, then
 * the tensor data. The model uses the `llama` architecture: SentencePiece-style vocabulary
 * (<unk>, <s>, </s>, the 256 byte tokens <0x00>..<0xFF>, then printable pieces), RMS norms in F32,
 * matrices in Q4_0 (blocks of 32 values: an F16 scale and 16 bytes of 4-bit codes, value =
 * (code - 8) × scale; low nibbles hold elements 0–15, high nibbles 16–31) or F32.
 *
 * A few residual dimensions are reserved so the output layer can steer generation in ways random
 * weights alone cannot: dimension 0 (the "bias dimension") holds a constant positive value in every
 * token embedding, and when a reply phrase is set, dimension i+1 flags the phrase's i-th piece. No
 * attention or feed-forward output writes to these dimensions (those output rows are zero), so at
 * the last position they carry exactly the bias and the current token's flag. With them:
 *  - byte and control tokens always get a strongly negative logit, so the gibberish is printable
 *    text (never half a UTF-8 sequence) and the model never emits <s>/<unk>;
 *  - `reply` decides how generation ends: 'endless' (default) never picks `</s>`, so greedy decoding
 *    runs until the token limit and tests can count tokens; 'silent' picks `</s>` at once; 'random'
 *    treats `</s>` like any other token; `{ phrase }` makes the model say exactly those vocabulary
 *    pieces and then `</s>` (the first piece after any non-phrase token, each next piece after its
 *    predecessor, `</s>` after the last), so a test can hold a complete, naturally ended turn.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../src/util/seededRandom.js';

export interface TinyGgufOptions {
  /** Seed of the weight generator; the same seed writes the same bytes. Default 1. */
  seed?: number;
  /** Vocabulary size including the 3 control and 256 byte tokens. Default 512. */
  vocabSize?: number;
  /** Hidden size (multiple of 32 for Q4_0). Default 64. */
  embeddingLength?: number;
  /** Transformer blocks. Default 2. */
  blockCount?: number;
  /** Attention heads. Default 4. */
  headCount?: number;
  /** Key/value heads (grouped-query attention when fewer than `headCount`). Default 2. */
  headCountKv?: number;
  /** Feed-forward hidden size (multiple of 32 for Q4_0). Default 128. */
  feedForwardLength?: number;
  /** Training context length written to the metadata. Default 4096. */
  contextLength?: number;
  /** Storage type of the matrices. Norms are always F32. Default 'Q4_0'. */
  matrixType?: 'Q4_0' | 'F32';
  /** How replies end (see the file comment). Default 'endless'. */
  reply?: 'endless' | 'silent' | 'random' | { phrase: string[] };
  /** `general.name`. Default "voicelive tiny random llama". */
  name?: string;
  /** `tokenizer.chat_template` (a Jinja template); none by default. */
  chatTemplate?: string;
}

export interface TinyGgufInfo {
  path: string;
  bytes: number;
  vocabSize: number;
  tokens: string[];
}

// GGUF metadata value types.
const GGUF_UINT32 = 4;
const GGUF_INT32 = 5;
const GGUF_FLOAT32 = 6;
const GGUF_BOOL = 7;
const GGUF_STRING = 8;
const GGUF_ARRAY = 9;

// ggml tensor types.
const GGML_F32 = 0;
const GGML_Q4_0 = 2;

// llama.cpp vocabulary token types.
const TOKEN_NORMAL = 1;
const TOKEN_UNKNOWN = 2;
const TOKEN_CONTROL = 3;
const TOKEN_BYTE = 6;

const ALIGNMENT = 32;
const Q4_0_BLOCK = 32;
const Q4_0_BLOCK_BYTES = 18;

const SPACE = '\u2581'; // SentencePiece's word-boundary marker

type MetaValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'str'; value: string }
  | { type: 'strs'; value: string[] }
  | { type: 'f32s'; value: number[] }
  | { type: 'i32s'; value: number[] };

interface Tensor {
  name: string;
  /** Innermost (row length) first, as GGUF stores them. */
  dims: number[];
  type: number;
  data: Buffer;
}

/** Grows a byte buffer with little-endian writers. */
class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;

  private push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }

  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }

  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }

  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }

  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }

  bytes(buffer: Buffer): void {
    this.push(buffer);
  }

  /** GGUF string: u64 byte length, then UTF-8 bytes (no terminator). */
  str(value: string): void {
    const b = Buffer.from(value, 'utf8');
    this.u64(b.length);
    this.push(b);
  }

  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    if (pad > 0) this.push(Buffer.alloc(pad));
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** IEEE 754 binary16 bits of a float, rounding to nearest (subnormals flushed to signed zero). */
function toFloat16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  let mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  mantissa += 0x1000; // round to nearest at bit 13
  if (mantissa & 0x800000) return exponent + 1 >= 31 ? sign | 0x7c00 : sign | ((exponent + 1) << 10);
  return sign | (exponent << 10) | (mantissa >>> 13);
}

function encodeF32(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** Q4_0: per block of 32, scale d = (the value of largest magnitude) / -8, codes = round(x/d) + 8 clamped to 0..15. */
function encodeQ4_0(values: Float32Array): Buffer {
  if (values.length % Q4_0_BLOCK !== 0) throw new Error('Q4_0 needs a multiple of 32 values');
  const out = Buffer.alloc((values.length / Q4_0_BLOCK) * Q4_0_BLOCK_BYTES);
  for (let block = 0; block < values.length / Q4_0_BLOCK; block++) {
    const x = values.subarray(block * Q4_0_BLOCK, (block + 1) * Q4_0_BLOCK);
    let extreme = 0;
    for (const v of x) if (Math.abs(v) > Math.abs(extreme)) extreme = v;
    const d = extreme / -8;
    const inverse = d === 0 ? 0 : 1 / d;
    const base = block * Q4_0_BLOCK_BYTES;
    out.writeUInt16LE(toFloat16Bits(d), base);
    for (let j = 0; j < Q4_0_BLOCK / 2; j++) {
      const low = Math.min(15, Math.max(0, Math.floor(x[j]! * inverse + 8.5)));
      const high = Math.min(15, Math.max(0, Math.floor(x[j + 16]! * inverse + 8.5)));
      out[base + 2 + j] = low | (high << 4);
    }
  }
  return out;
}

/** The vocabulary: control tokens, byte tokens, then printable pieces up to `size`. */
function buildVocabulary(size: number): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_BYTE);
  }
  const pieces: string[] = [SPACE];
  for (let c = 0x21; c <= 0x7e; c++) pieces.push(String.fromCharCode(c));
  for (let c = 0x61; c <= 0x7a; c++) pieces.push(SPACE + String.fromCharCode(c));
  const words = 'the and you to is it of in that what weather hello voice call tool time please thanks yes no how are we can will do say here there this with for on at be have not but from'.split(' ');
  for (const w of words) pieces.push(SPACE + w);
  const letters = 'etaoinshrdlcumwfgypbvk';
  for (const a of letters) for (const b of letters) pieces.push(a + b);
  const seen = new Set(tokens);
  for (const piece of pieces) {
    if (tokens.length >= size) break;
    if (seen.has(piece)) continue;
    seen.add(piece);
    tokens.push(piece);
    types.push(TOKEN_NORMAL);
  }
  if (tokens.length < size) throw new Error(`vocabulary can hold at most ${tokens.length} tokens`);
  // SentencePiece merges prefer higher scores: longer pieces first, then earlier ones.
  const scores = tokens.map((t, i) => (types[i] === TOKEN_NORMAL ? t.length * 100 - i / 1000 : 0));
  return { tokens, scores, types };
}

/** Writes the model to `path` and returns its size and vocabulary. */
export function writeTinyGguf(path: string, options: TinyGgufOptions = {}): TinyGgufInfo {
  const vocabSize = options.vocabSize ?? 512;
  const nEmbd = options.embeddingLength ?? 64;
  const nLayer = options.blockCount ?? 2;
  const nHead = options.headCount ?? 4;
  const nHeadKv = options.headCountKv ?? 2;
  const nFf = options.feedForwardLength ?? 128;
  const headDim = nEmbd / nHead;
  const nEmbdKv = headDim * nHeadKv;
  const matrixType = options.matrixType ?? 'Q4_0';
  const reply = options.reply ?? 'endless';
  if (!Number.isInteger(headDim) || nHead % nHeadKv !== 0) throw new Error('heads must divide the embedding and each other');
  if (matrixType === 'Q4_0' && (nEmbd % Q4_0_BLOCK !== 0 || nFf % Q4_0_BLOCK !== 0)) throw new Error('Q4_0 rows must be multiples of 32');

  const rand = seededRandom(options.seed ?? 1);
  const uniform = (scale: number) => (rand() * 2 - 1) * scale;
  const vocab = buildVocabulary(vocabSize);
  const EOS = 2;
  const BIAS_VALUE = 4;
  // Layer outputs are kept small (±0.05 weights) so the reserved dimensions dominate the final norm.
  const STEER = 16;
  const phrase = typeof reply === 'object' ? reply.phrase : [];
  const phraseIds = phrase.map((piece) => {
    const id = vocab.tokens.indexOf(piece);
    if (id < 0 || vocab.types[id] !== TOKEN_NORMAL) throw new Error(`reply phrase piece ${JSON.stringify(piece)} is not a vocabulary piece`);
    return id;
  });
  if (new Set(phraseIds).size !== phraseIds.length) throw new Error('reply phrase pieces must be distinct');
  if (phrase.length + 1 >= nEmbd / 2) throw new Error('reply phrase too long for the embedding size');
  /** Reserved dimensions: 0 = bias, 1..phrase.length = phrase piece flags. */
  const reserved = phrase.length + 1;
  const flagDim = new Map(phraseIds.map((id, i) => [id, i + 1]));

  const tensors: Tensor[] = [];
  const matrix = (name: string, rowLength: number, rows: number, fill: (row: number, col: number) => number) => {
    const values = new Float32Array(rowLength * rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < rowLength; c++) values[r * rowLength + c] = fill(r, c);
    const q4 = matrixType === 'Q4_0';
    tensors.push({ name, dims: [rowLength, rows], type: q4 ? GGML_Q4_0 : GGML_F32, data: q4 ? encodeQ4_0(values) : encodeF32(values) });
  };
  const norm = (name: string) => tensors.push({ name, dims: [nEmbd], type: GGML_F32, data: encodeF32(new Float32Array(nEmbd).fill(1)) });

  // Embeddings: random, with the bias dimension constant and phrase pieces flagged.
  matrix('token_embd.weight', nEmbd, vocabSize, (t, c) => {
    if (c === 0) return BIAS_VALUE;
    if (c < reserved) return flagDim.get(t) === c ? BIAS_VALUE : 0;
    return uniform(0.5);
  });
  for (let i = 0; i < nLayer; i++) {
    norm(`blk.${i}.attn_norm.weight`);
    matrix(`blk.${i}.attn_q.weight`, nEmbd, nEmbd, () => uniform(0.3));
    matrix(`blk.${i}.attn_k.weight`, nEmbd, nEmbdKv, () => uniform(0.3));
    matrix(`blk.${i}.attn_v.weight`, nEmbd, nEmbdKv, () => uniform(0.3));
    // Rows are output units: the reserved dimensions' rows are zero so attention never writes to them.
    matrix(`blk.${i}.attn_output.weight`, nEmbd, nEmbd, (r) => (r < reserved ? 0 : uniform(0.05)));
    norm(`blk.${i}.ffn_norm.weight`);
    matrix(`blk.${i}.ffn_gate.weight`, nEmbd, nFf, () => uniform(0.3));
    matrix(`blk.${i}.ffn_up.weight`, nEmbd, nFf, () => uniform(0.3));
    matrix(`blk.${i}.ffn_down.weight`, nFf, nEmbd, (r) => (r < reserved ? 0 : uniform(0.05)));
  }
  norm('output_norm.weight');
  const phraseIndex = new Map(phraseIds.map((id, i) => [id, i]));
  matrix('output.weight', nEmbd, vocabSize, (token, c) => {
    const piece = phraseIndex.get(token);
    if (piece === 0) return c === 0 ? STEER : c < reserved ? -2 * STEER : 0; // after any non-phrase token
    if (piece !== undefined) return c === 0 ? -STEER : c === piece ? 2 * STEER : 0; // after its predecessor (flag dim = index)
    if (token === EOS) {
      if (reply === 'random') return c < reserved ? 0 : uniform(1);
      if (reply === 'silent') return c === 0 ? STEER : 0;
      if (phrase.length > 0) return c === 0 ? -STEER : c === phrase.length ? 2 * STEER : 0; // after the last piece
      return c === 0 ? -STEER : 0;
    }
    if (vocab.types[token] !== TOKEN_NORMAL) return c === 0 ? -STEER : 0;
    return c < reserved ? 0 : uniform(1);
  });

  const metadata: [string, MetaValue][] = [
    ['general.architecture', { type: 'str', value: 'llama' }],
    ['general.name', { type: 'str', value: options.name ?? 'voicelive tiny random llama' }],
    ['general.alignment', { type: 'u32', value: ALIGNMENT }],
    ['general.file_type', { type: 'u32', value: matrixType === 'Q4_0' ? 2 : 0 }],
    ['llama.context_length', { type: 'u32', value: options.contextLength ?? 4096 }],
    ['llama.embedding_length', { type: 'u32', value: nEmbd }],
    ['llama.block_count', { type: 'u32', value: nLayer }],
    ['llama.feed_forward_length', { type: 'u32', value: nFf }],
    ['llama.attention.head_count', { type: 'u32', value: nHead }],
    ['llama.attention.head_count_kv', { type: 'u32', value: nHeadKv }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'u32', value: headDim }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.vocab_size', { type: 'u32', value: vocabSize }],
    ['tokenizer.ggml.model', { type: 'str', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'strs', value: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32s', value: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 2 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
  if (options.chatTemplate !== undefined) metadata.push(['tokenizer.chat_template', { type: 'str', value: options.chatTemplate }]);

  const w = new ByteWriter();
  w.bytes(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, meta] of metadata) {
    w.str(key);
    switch (meta.type) {
      case 'u32':
        w.u32(GGUF_UINT32);
        w.u32(meta.value);
        break;
      case 'i32':
        w.u32(GGUF_INT32);
        w.i32(meta.value);
        break;
      case 'f32':
        w.u32(GGUF_FLOAT32);
        w.f32(meta.value);
        break;
      case 'bool':
        w.u32(GGUF_BOOL);
        w.bytes(Buffer.from([meta.value ? 1 : 0]));
        break;
      case 'str':
        w.u32(GGUF_STRING);
        w.str(meta.value);
        break;
      case 'strs':
        w.u32(GGUF_ARRAY);
        w.u32(GGUF_STRING);
        w.u64(meta.value.length);
        for (const s of meta.value) w.str(s);
        break;
      case 'f32s':
        w.u32(GGUF_ARRAY);
        w.u32(GGUF_FLOAT32);
        w.u64(meta.value.length);
        for (const v of meta.value) w.f32(v);
        break;
      case 'i32s':
        w.u32(GGUF_ARRAY);
        w.u32(GGUF_INT32);
        w.u64(meta.value.length);
        for (const v of meta.value) w.i32(v);
        break;
    }
  }
  let offset = 0;
  for (const tensor of tensors) {
    w.str(tensor.name);
    w.u32(tensor.dims.length);
    for (const d of tensor.dims) w.u64(d);
    w.u32(tensor.type);
    w.u64(offset);
    offset += Math.ceil(tensor.data.length / ALIGNMENT) * ALIGNMENT;
  }
  w.padTo(ALIGNMENT);
  for (const tensor of tensors) {
    w.bytes(tensor.data);
    w.padTo(ALIGNMENT);
  }
  const file = w.toBuffer();
  writeFileSync(path, file);
  return { path, bytes: file.length, vocabSize, tokens: vocab.tokens };
}

/** Writes a tiny model into a fresh temporary directory; `remove()` deletes the directory. */
export function makeTinyGgufModel(options: TinyGgufOptions = {}): TinyGgufInfo & { remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'voicelive-gguf-'));
  const info = writeTinyGguf(join(dir, 'tiny.gguf'), options);
  return { ...info, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
