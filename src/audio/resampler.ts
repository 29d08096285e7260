/**
 * Streaming sample-rate conversion on the Speex resampler (SpeexDSP, BSD-3) compiled to WASM by
 * `@echogarden/speex-resampler-wasm`. Quality 5 (the default) measures > 100 dB SNR on float tones and
 * is limited only by 16-bit quantisation on PCM16 (see test/audio/resampler*.test.ts).
 *
 * Usage: `await loadResampler()` once at startup, then create `StreamingResampler`s synchronously.
 * Output is time-aligned with the input (the filter's start-up delay is skipped), and `flush()` drains
 * the filter so a whole stream yields `ceil(inputLength × outputRateHz / inputRateHz)` samples.
 */

/** The parts of the Emscripten module this file uses. Heap views are replaced when memory grows. */
interface SpeexResamplerModule {
  readonly HEAPU8: Uint8Array;
  readonly HEAP16: Int16Array;
  readonly HEAPU32: Uint32Array;
  readonly HEAPF32: Float32Array;
  _malloc(byteLength: number): number;
  _free(pointer: number): void;
  _speex_resampler_init(
    channelCount: number,
    inputRateHz: number,
    outputRateHz: number,
    quality: number,
    errorCodePointer: number,
  ): number;
  _speex_resampler_destroy(statePointer: number): void;
  _speex_resampler_process_int(
    statePointer: number,
    channelIndex: number,
    inputPointer: number,
    inputLengthPointer: number,
    outputPointer: number,
    outputLengthPointer: number,
  ): number;
  _speex_resampler_process_float(
    statePointer: number,
    channelIndex: number,
    inputPointer: number,
    inputLengthPointer: number,
    outputPointer: number,
    outputLengthPointer: number,
  ): number;
  _speex_resampler_skip_zeros(statePointer: number): number;
  _speex_resampler_reset_mem(statePointer: number): number;
  _speex_resampler_get_input_latency(statePointer: number): number;
  _speex_resampler_strerror(errorCode: number): number;
}

const REQUIRED_EXPORTS = [
  '_malloc',
  '_free',
  '_speex_resampler_init',
  '_speex_resampler_destroy',
  '_speex_resampler_process_int',
  '_speex_resampler_process_float',
  '_speex_resampler_skip_zeros',
  '_speex_resampler_reset_mem',
  '_speex_resampler_get_input_latency',
  '_speex_resampler_strerror',
] as const;

let loadedModule: SpeexResamplerModule | undefined;
let loadingModule: Promise<void> | undefined;

function asSpeexModule(candidate: unknown): SpeexResamplerModule {
  const record = candidate as Record<string, unknown> | null;
  for (const name of REQUIRED_EXPORTS) {
    if (typeof record?.[name] !== 'function') {
      throw new Error(`@echogarden/speex-resampler-wasm does not export ${name}`);
    }
  }
  return candidate as SpeexResamplerModule;
}

async function instantiateSpeexModule(): Promise<SpeexResamplerModule> {
  try {
    const simd = await import('@echogarden/speex-resampler-wasm/simd');
    return asSpeexModule(await simd.default());
  } catch (simdError) {
    // Engines without WASM SIMD fail to compile the SIMD build; the portable build is ~2× slower.
    try {
      const portable = await import('@echogarden/speex-resampler-wasm');
      return asSpeexModule(await portable.default());
    } catch (portableError) {
      throw new AggregateError([simdError, portableError], 'could not load the Speex resampler WASM module');
    }
  }
}

/**
 * Loads the resampler's WASM module. Idempotent and safe to call concurrently; call (and await) it once
 * at startup before constructing any {@link StreamingResampler}. A failed load may be retried.
 */
export function loadResampler(): Promise<void> {
  if (loadedModule) return Promise.resolve();
  loadingModule ??= instantiateSpeexModule().then(
    (speexModule) => {
      loadedModule = speexModule;
    },
    (error: unknown) => {
      loadingModule = undefined;
      throw error;
    },
  );
  return loadingModule;
}

/** True once {@link loadResampler} has completed. */
export function isResamplerLoaded(): boolean {
  return loadedModule !== undefined;
}

/**
 * Current size of the resampler's WASM linear memory in bytes (0 before loading). WASM memory never
 * shrinks, so this only grows if allocations outlive their use; exposed for diagnostics and leak tests.
 */
export function resamplerWasmHeapByteLength(): number {
  return loadedModule?.HEAPU8.byteLength ?? 0;
}

function requireModule(): SpeexResamplerModule {
  if (!loadedModule) {
    throw new Error('the resampler is not loaded: call `await loadResampler()` once at startup before resampling');
  }
  return loadedModule;
}

function speexErrorMessage(speexModule: SpeexResamplerModule, errorCode: number): string {
  const messagePointer = speexModule._speex_resampler_strerror(errorCode);
  const heap = speexModule.HEAPU8;
  let end = messagePointer;
  while (end < heap.length && heap[end] !== 0) end++;
  return `${new TextDecoder().decode(heap.subarray(messagePointer, end))} (speex error ${errorCode})`;
}

/** How one sample type is moved in and out of WASM memory. */
interface SampleKind<T extends Int16Array | Float32Array> {
  /** log2 of the sample's byte size: pointer >> shift = heap index. */
  readonly byteShift: 1 | 2;
  heap(speexModule: SpeexResamplerModule): T;
  allocate(sampleCount: number): T;
  process(
    speexModule: SpeexResamplerModule,
    statePointer: number,
    inputPointer: number,
    inputLengthPointer: number,
    outputPointer: number,
    outputLengthPointer: number,
  ): number;
}

const INT16_SAMPLES: SampleKind<Int16Array> = {
  byteShift: 1,
  heap: (speexModule) => speexModule.HEAP16,
  allocate: (sampleCount) => new Int16Array(sampleCount),
  process: (speexModule, statePointer, inputPointer, inputLengthPointer, outputPointer, outputLengthPointer) =>
    speexModule._speex_resampler_process_int(statePointer, 0, inputPointer, inputLengthPointer, outputPointer, outputLengthPointer),
};

const FLOAT32_SAMPLES: SampleKind<Float32Array> = {
  byteShift: 2,
  heap: (speexModule) => speexModule.HEAPF32,
  allocate: (sampleCount) => new Float32Array(sampleCount),
  process: (speexModule, statePointer, inputPointer, inputLengthPointer, outputPointer, outputLengthPointer) =>
    speexModule._speex_resampler_process_float(statePointer, 0, inputPointer, inputLengthPointer, outputPointer, outputLengthPointer),
};

/** Input samples copied into WASM memory per `process_*` call. */
const BLOCK_INPUT_SAMPLE_COUNT = 4096;
/** Bytes reserved per sample in the WASM buffers (fits both int16 and float32). */
const BUFFER_BYTES_PER_SAMPLE = 4;

/** WASM allocations of one resampler, freed by `destroy()` or, as a fallback, on garbage collection. */
interface WasmAllocation {
  speexModule: SpeexResamplerModule;
  statePointer: number;
  /** One block: [errorCode/inputLength/outputLength scratch][input block][output block]. */
  bufferPointer: number;
}

function freeAllocation(allocation: WasmAllocation): void {
  allocation.speexModule._speex_resampler_destroy(allocation.statePointer);
  allocation.speexModule._free(allocation.bufferPointer);
}

const abandonedResamplers = new FinalizationRegistry<WasmAllocation>(freeAllocation);

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Options for {@link StreamingResampler}. */
export interface StreamingResamplerOptions {
  /** Speex quality 0 (fastest) … 10 (best). Default 5, the live-audio setting in engines.md. */
  quality?: number;
}

/** Default Speex quality. */
export const DEFAULT_RESAMPLER_QUALITY = 5;

/**
 * A stateful mono resampler for one audio stream. Feed consecutive chunks of any size to
 * {@link process} (or {@link processFloat32}; do not mix sample types within a stream) and call
 * {@link flush} at the end of the stream; the instance is then ready for a new stream. Call
 * {@link destroy} when done to release WASM memory. Equal rates pass samples through unchanged.
 */
export class StreamingResampler {
  readonly inputRateHz: number;
  readonly outputRateHz: number;
  readonly quality: number;
  private readonly speexModule: SpeexResamplerModule;
  private allocation: WasmAllocation | undefined;
  private readonly inputPointer: number = 0;
  private readonly outputPointer: number = 0;
  private readonly outputCapacity: number = 0;
  private readonly flushZeroSampleCount: number = 0;
  /** inputRateHz / gcd and outputRateHz / gcd, for exact output-length arithmetic. */
  private readonly reducedInputRate: number;
  private readonly reducedOutputRate: number;
  private inputSampleCount = 0;
  private outputSampleCount = 0;
  private destroyed = false;

  /**
   * @throws Error if {@link loadResampler} has not completed; RangeError for non-positive or
   *   non-integer rates or a quality outside 0…10.
   */
  constructor(inputRateHz: number, outputRateHz: number, options: StreamingResamplerOptions = {}) {
    this.speexModule = requireModule();
    for (const [name, rateHz] of [['inputRateHz', inputRateHz], ['outputRateHz', outputRateHz]] as const) {
      if (!Number.isInteger(rateHz) || rateHz <= 0 || rateHz > 0xffffffff) {
        throw new RangeError(`${name} must be a positive integer, got ${rateHz}`);
      }
    }
    const quality = options.quality ?? DEFAULT_RESAMPLER_QUALITY;
    if (!Number.isInteger(quality) || quality < 0 || quality > 10) {
      throw new RangeError(`quality must be an integer from 0 to 10, got ${quality}`);
    }
    this.inputRateHz = inputRateHz;
    this.outputRateHz = outputRateHz;
    this.quality = quality;
    const divisor = greatestCommonDivisor(inputRateHz, outputRateHz);
    this.reducedInputRate = inputRateHz / divisor;
    this.reducedOutputRate = outputRateHz / divisor;
    if (inputRateHz === outputRateHz) return;

    const speexModule = this.speexModule;
    this.outputCapacity = Math.ceil((BLOCK_INPUT_SAMPLE_COUNT * outputRateHz) / inputRateHz) + 64;
    const scratchByteLength = 16;
    const bufferPointer = speexModule._malloc(
      scratchByteLength + (BLOCK_INPUT_SAMPLE_COUNT + this.outputCapacity) * BUFFER_BYTES_PER_SAMPLE,
    );
    if (bufferPointer === 0) throw new Error('the resampler could not allocate WASM memory');
    const statePointer = speexModule._speex_resampler_init(1, inputRateHz, outputRateHz, quality, bufferPointer);
    const errorCode = speexModule.HEAPU32[bufferPointer >> 2] as number;
    if (statePointer === 0 || errorCode !== 0) {
      speexModule._free(bufferPointer);
      throw new Error(`speex_resampler_init(${inputRateHz} → ${outputRateHz} Hz) failed: ${speexErrorMessage(speexModule, errorCode)}`);
    }
    speexModule._speex_resampler_skip_zeros(statePointer);
    this.allocation = { speexModule, statePointer, bufferPointer };
    abandonedResamplers.register(this, this.allocation, this);
    this.inputPointer = bufferPointer + scratchByteLength;
    this.outputPointer = this.inputPointer + BLOCK_INPUT_SAMPLE_COUNT * BUFFER_BYTES_PER_SAMPLE;
    // Enough trailing zeros to push the last real input sample through the filter's centre.
    this.flushZeroSampleCount =
      speexModule._speex_resampler_get_input_latency(statePointer) + Math.ceil(inputRateHz / outputRateHz) + 1;
  }

  /** Resamples the next chunk of 16-bit samples; returns the output now available (may be empty). */
  process(pcm: Int16Array): Int16Array {
    return this.processChunk(pcm, INT16_SAMPLES);
  }

  /** Resamples the next chunk of float samples (any scale, e.g. -1..1; not clipped). */
  processFloat32(samples: Float32Array): Float32Array {
    return this.processChunk(samples, FLOAT32_SAMPLES);
  }

  /**
   * Ends the stream: drains the filter delay and returns the remaining output, so that all output since
   * the stream began totals `ceil(inputSamples × outputRateHz / inputRateHz)` samples. Resets the
   * state; the next {@link process} starts a new stream.
   */
  flush(): Int16Array {
    return this.flushStream(INT16_SAMPLES);
  }

  /** {@link flush} for streams fed through {@link processFloat32}. */
  flushFloat32(): Float32Array {
    return this.flushStream(FLOAT32_SAMPLES);
  }

  /** Discards buffered input and starts a new stream without emitting anything (e.g. on barge-in). */
  reset(): void {
    const allocation = this.liveAllocation();
    if (allocation) this.resetState(allocation);
  }

  /** Releases WASM memory. Idempotent; the instance cannot be used afterwards. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.allocation) {
      abandonedResamplers.unregister(this);
      freeAllocation(this.allocation);
      this.allocation = undefined;
    }
  }

  private liveAllocation(): WasmAllocation | undefined {
    if (this.destroyed) throw new Error('StreamingResampler was used after destroy()');
    return this.allocation;
  }

  private resetState(allocation: WasmAllocation): void {
    this.speexModule._speex_resampler_reset_mem(allocation.statePointer);
    this.speexModule._speex_resampler_skip_zeros(allocation.statePointer);
    this.inputSampleCount = 0;
    this.outputSampleCount = 0;
  }

  private processChunk<T extends Int16Array | Float32Array>(input: T, kind: SampleKind<T>): T {
    const allocation = this.liveAllocation();
    if (!allocation) return input.slice() as T;
    const output = this.runFilter(allocation, input, kind);
    this.inputSampleCount += input.length;
    this.outputSampleCount += output.length;
    return output;
  }

  private flushStream<T extends Int16Array | Float32Array>(kind: SampleKind<T>): T {
    const allocation = this.liveAllocation();
    if (!allocation) return kind.allocate(0);
    const expectedTotal = Math.ceil((this.inputSampleCount * this.reducedOutputRate) / this.reducedInputRate);
    const tail = kind.allocate(Math.max(0, expectedTotal - this.outputSampleCount));
    let tailLength = 0;
    const zeros = kind.allocate(this.flushZeroSampleCount);
    // One round of zeros suffices by construction; the bound only guards against a misbehaving filter.
    for (let round = 0; round < 4 && tailLength < tail.length; round++) {
      const drained = this.runFilter(allocation, zeros, kind);
      const taken = Math.min(drained.length, tail.length - tailLength);
      tail.set(drained.subarray(0, taken), tailLength);
      tailLength += taken;
    }
    this.resetState(allocation);
    return tail;
  }

  /** Pushes all of `input` through the filter, block by block, and returns what came out. */
  private runFilter<T extends Int16Array | Float32Array>(allocation: WasmAllocation, input: T, kind: SampleKind<T>): T {
    const speexModule = this.speexModule;
    const lengthsIndex = allocation.bufferPointer >> 2;
    const inputLengthPointer = allocation.bufferPointer + 4;
    const outputLengthPointer = allocation.bufferPointer + 8;
    const inputIndex = this.inputPointer >> kind.byteShift;
    const outputIndex = this.outputPointer >> kind.byteShift;
    const pieces: T[] = [];
    let outputLength = 0;
    let offset = 0;
    while (offset < input.length) {
      const blockLength = Math.min(BLOCK_INPUT_SAMPLE_COUNT, input.length - offset);
      kind.heap(speexModule).set(input.subarray(offset, offset + blockLength), inputIndex);
      const heapU32 = speexModule.HEAPU32;
      heapU32[lengthsIndex + 1] = blockLength;
      heapU32[lengthsIndex + 2] = this.outputCapacity;
      const errorCode = kind.process(
        speexModule,
        allocation.statePointer,
        this.inputPointer,
        inputLengthPointer,
        this.outputPointer,
        outputLengthPointer,
      );
      if (errorCode !== 0) throw new Error(`speex resampling failed: ${speexErrorMessage(speexModule, errorCode)}`);
      const consumed = speexModule.HEAPU32[lengthsIndex + 1] as number;
      const produced = speexModule.HEAPU32[lengthsIndex + 2] as number;
      if (consumed === 0 && produced === 0) throw new Error('speex resampler made no progress');
      if (produced > 0) {
        pieces.push(kind.heap(speexModule).slice(outputIndex, outputIndex + produced) as T);
        outputLength += produced;
      }
      offset += consumed;
    }
    if (pieces.length === 1) return pieces[0] as T;
    const output = kind.allocate(outputLength);
    let written = 0;
    for (const piece of pieces) {
      output.set(piece, written);
      written += piece.length;
    }
    return output;
  }
}

/**
 * Resamples a complete clip in one call (process + flush), returning
 * `ceil(pcm.length × toHz / fromHz)` samples. Requires {@link loadResampler}.
 */
export function resampleOnce(
  pcm: Int16Array,
  fromHz: number,
  toHz: number,
  options: StreamingResamplerOptions = {},
): Int16Array {
  const resampler = new StreamingResampler(fromHz, toHz, options);
  try {
    const body = resampler.process(pcm);
    const tail = resampler.flush();
    if (tail.length === 0) return body;
    const output = new Int16Array(body.length + tail.length);
    output.set(body);
    output.set(tail, body.length);
    return output;
  } finally {
    resampler.destroy();
  }
}
