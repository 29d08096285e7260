/**
 * Offline streaming speech recognition with CMU PocketSphinx (Debian packages `libpocketsphinx3`
 * and `pocketsphinx-en-us`), decoded in worker threads so the event loop only moves audio.
 *
 * A pool of decoder workers (each ~100 MB, one stream at a time) serves the streams; streams wait
 * in order when every decoder is busy, or the pool grows up to `maxPoolSize`.
 */
import { EventChannel } from '../../util/eventChannel.js';
import { startWorker } from '../../util/startWorker.js';
import type { Worker } from 'node:worker_threads';
import { workerUrl } from '../../util/workerUrl.js';
import {
  locatePocketsphinxModel,
  POCKETSPHINX_SAMPLE_RATE_HZ,
  resolvePocketsphinxLibraryNames,
} from './pocketsphinxLibrary.js';
import type { PocketsphinxLibraryNames, PocketsphinxModelOptions, PocketsphinxModelPaths } from './pocketsphinxLibrary.js';
import type {
  PocketsphinxWorkerData,
  PocketsphinxWorkerReply,
  PocketsphinxWorkerRequest,
} from './pocketsphinxWorker.js';
import { AsrEngineError } from './types.js';
import type { AsrCapabilities, AsrEngine, AsrEvent, AsrStream, AsrStreamOptions } from './types.js';

export interface PocketsphinxAsrEngineOptions {
  /** Decoders started by `create()` and kept warm (default 2; each ~100 MB). */
  poolSize?: number;
  /** The pool grows up to this many decoders when all are busy (default `poolSize`: streams queue). */
  maxPoolSize?: number;
  /** A decoder beyond `poolSize` that stays idle this long is shut down (default 60 000). */
  extraDecoderIdleMs?: number;
  /** Minimum audio between partial hypotheses (default 100). */
  partialIntervalMs?: number;
  /** Audio sent to the decoder per message / per `ps_process_raw` call (default 100). */
  chunkDurationMs?: number;
  /** Library sonames; default from `VOICELIVE_POCKETSPHINX_LIBRARY` / `VOICELIVE_SPHINXBASE_LIBRARY`, else Debian's. */
  library?: Partial<PocketsphinxLibraryNames>;
  /** Where the model is; default from `VOICELIVE_POCKETSPHINX_MODEL_DIR`, else Debian's location. */
  model?: PocketsphinxModelOptions;
  /** Extra pocketsphinx options, e.g. `{ '-beam': '1e-60' }`, over {@link DEFAULT_POCKETSPHINX_DECODER_ARGS}. */
  decoderArgs?: Record<string, string>;
  /** Give up on a decoder that has not loaded after this long (default 30 000). */
  loadTimeoutMs?: number;
  /** Keep pocketsphinx's native log on stderr (default: `VOICELIVE_POCKETSPHINX_LOG=1`). */
  keepNativeLog?: boolean;
  /**
   * Scheduling niceness of the decoder threads (Linux; 0 = like the rest of the process, up to 19).
   * A positive value lets the threads on a turn's critical path (event loop, VAD, TTS) run first
   * when the cores are busy. Unprivileged processes can only raise it. Default 10: with 8 sessions
   * on 2 cores it halved the TTS stage's p95 (119–127 → 58–73 ms) and cut speech_stopped → first
   * audio p95 from 182–275 to 119–180 ms (bench:latency, three alternating runs each).
   */
  threadNiceness?: number;
}

/** Snapshot of the decoder pool, for metrics and tests. */
export interface PocketsphinxPoolStats {
  decoders: number;
  startingDecoders: number;
  busyDecoders: number;
  waitingStreams: number;
}

type DecoderState = 'starting' | 'idle' | 'busy' | 'gone';

/** One worker thread holding one decoder. */
interface DecoderWorker {
  readonly worker: Worker;
  /** Shared with the worker (see PocketsphinxWorkerData). */
  readonly shutdownRequested: Int32Array;
  readonly abortedStreamId: Int32Array;
  state: DecoderState;
  stream: PocketsphinxAsrStream | null;
  idleTimer: NodeJS.Timeout | null;
}

const DEFAULT_POOL_SIZE = 2;
const DEFAULT_DECODER_THREAD_NICENESS = 10;
const DEFAULT_EXTRA_DECODER_IDLE_MS = 60_000;
const DEFAULT_INTERVAL_MS = 100;
const DEFAULT_LOAD_TIMEOUT_MS = 30_000;
/**
 * How long a worker asked to shut down may take before it is terminated. Terminating a thread
 * that is inside a native call can abort the whole process (koffi/N-API), so this is a last resort.
 */
const SHUTDOWN_GRACE_MS = 30_000;

/**
 * Decoder options applied before `decoderArgs`. `-fwdflat no` skips the second (flat-lexicon)
 * search pass that pocketsphinx otherwise runs over the whole utterance inside `ps_end_utt`: on
 * the human recordings of pocketsphinx-testdata it cut the end()→final delay with real-time audio
 * from 208 ms to 64 ms on average (537 → 129 ms worst case) and WER from 29.3 % to 22.8 %
 * (see bench/asrWer.ts). Pass `{ '-fwdflat': 'yes' }` to restore the library default.
 */
/**
 * `-fwdflat no`: lower WER (22.8 % vs 29.3 % on the testdata recordings) and a 3× faster final.
 * `-maxhmmpf 5000`: caps active HMMs per frame to cut decoding CPU with 8 concurrent turns on 2
 * cores, at the same WER on the testdata recordings. (3000 halves the CPU again but makes a fresh
 * decoder's first utterance much worse: 87.5 % vs 37.5 % WER on testdata 0930.)
 */
export const DEFAULT_POCKETSPHINX_DECODER_ARGS: Readonly<Record<string, string>> = { '-fwdflat': 'no', '-maxhmmpf': '5000' };

/**
 * The pocketsphinx ASR engine (16 kHz, US English). Create it with
 * `await PocketsphinxAsrEngine.create()`, which loads the decoders and fails fast with
 * AsrEngineError `engine_unavailable` when the library or model is missing. Call `close()` to
 * free the decoders.
 *
 * Streams emit a partial whenever the best hypothesis changes (checked every ~100 ms of audio),
 * then one final with word timings and posterior confidences. `language` and `phrases` are
 * ignored (one English model, no phrase biasing). Errors reach the consumer through the events
 * iterator: `engine_crashed` (decoder thread died; it is replaced), `engine_closed`,
 * `engine_unavailable` (no decoder could be started), `asr_error`.
 *
 * A decoder adapts its cepstral mean normalization to the audio it has heard, across streams: the
 * first utterance a decoder ever decodes is recognised worse (35.9 % vs 22.8 % WER on the
 * pocketsphinx-testdata recordings).
 */
export class PocketsphinxAsrEngine implements AsrEngine {
  readonly name = 'pocketsphinx';
  readonly description =
    'CMU PocketSphinx 5prealpha (Debian), US English PTM acoustic model and 3-gram LM; offline, streaming partials, word timings';
  readonly capabilities: AsrCapabilities = {
    partials: true,
    wordTimings: true,
    sampleRatesHz: [POCKETSPHINX_SAMPLE_RATE_HZ],
    languages: ['en'],
  };

  private readonly workers: DecoderWorker[] = [];
  private readonly waiting: PocketsphinxAsrStream[] = [];
  private readonly exited = new Set<Promise<void>>();
  private nextStreamId = 1;
  private closed = false;

  private constructor(
    private readonly workerData: Omit<PocketsphinxWorkerData, 'shutdownRequested' | 'abortedStreamId'>,
    private readonly poolSize: number,
    private readonly maxPoolSize: number,
    private readonly extraDecoderIdleMs: number,
    private readonly chunkSamples: number,
    private readonly loadTimeoutMs: number,
  ) {}

  /** Locates the model, starts `poolSize` decoders and waits until all have loaded. */
  static async create(options: PocketsphinxAsrEngineOptions = {}): Promise<PocketsphinxAsrEngine> {
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
    const maxPoolSize = options.maxPoolSize ?? poolSize;
    if (!Number.isInteger(poolSize) || poolSize < 1) throw new AsrEngineError('poolSize must be an integer ≥ 1', 'invalid_value');
    if (!Number.isInteger(maxPoolSize) || maxPoolSize < poolSize) {
      throw new AsrEngineError('maxPoolSize must be an integer ≥ poolSize', 'invalid_value');
    }
    const model: PocketsphinxModelPaths = locatePocketsphinxModel(options.model);
    const chunkDurationMs = options.chunkDurationMs ?? DEFAULT_INTERVAL_MS;
    const engine = new PocketsphinxAsrEngine(
      {
        libraryNames: resolvePocketsphinxLibraryNames(options.library),
        model,
        decoderArgs: { ...DEFAULT_POCKETSPHINX_DECODER_ARGS, ...options.decoderArgs },
        partialIntervalMs: options.partialIntervalMs ?? DEFAULT_INTERVAL_MS,
        keepNativeLog: options.keepNativeLog ?? ['1', 'true', 'yes'].includes(process.env.VOICELIVE_POCKETSPHINX_LOG ?? ''),
        threadNiceness: options.threadNiceness ?? DEFAULT_DECODER_THREAD_NICENESS,
      },
      poolSize,
      maxPoolSize,
      options.extraDecoderIdleMs ?? DEFAULT_EXTRA_DECODER_IDLE_MS,
      Math.max(1, Math.round((chunkDurationMs * POCKETSPHINX_SAMPLE_RATE_HZ) / 1000)),
      options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
    );
    try {
      await Promise.all(Array.from({ length: poolSize }, () => engine.spawn()));
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  /** Opens a stream; it waits for a free decoder if all are busy (audio is buffered meanwhile). */
  createStream(options: AsrStreamOptions): AsrStream {
    if (this.closed) throw new AsrEngineError('the pocketsphinx engine is closed', 'engine_closed');
    if (options.sampleRateHz !== POCKETSPHINX_SAMPLE_RATE_HZ) {
      throw new AsrEngineError(
        `pocketsphinx needs ${POCKETSPHINX_SAMPLE_RATE_HZ} Hz audio, got ${options.sampleRateHz} Hz`,
        'unsupported_sample_rate',
      );
    }
    const stream = new PocketsphinxAsrStream(this.nextStreamId++, this.chunkSamples, {
      send: (worker, request, transfer) => worker.worker.postMessage(request, transfer),
      release: (worker) => this.release(worker),
      cancelWaiting: (waitingStream) => {
        const index = this.waiting.indexOf(waitingStream);
        if (index >= 0) this.waiting.splice(index, 1);
      },
    });
    this.waiting.push(stream);
    this.dispatch();
    return stream;
  }

  /** Current pool occupancy. */
  poolStats(): PocketsphinxPoolStats {
    return {
      decoders: this.workers.length,
      startingDecoders: this.workers.filter((w) => w.state === 'starting').length,
      busyDecoders: this.workers.filter((w) => w.state === 'busy').length,
      waitingStreams: this.waiting.length,
    };
  }

  /**
   * Testing aid: makes the worker decoding `stream` throw an uncaught exception, as a crash in the
   * decoder thread would. Returns false when the stream has no decoder.
   * @internal
   */
  simulateDecoderCrash(stream: AsrStream): boolean {
    const owner = this.workers.find((w) => w.stream === stream);
    if (owner === undefined) return false;
    const request: PocketsphinxWorkerRequest = { type: 'simulateCrash' };
    owner.worker.postMessage(request);
    return true;
  }

  /** Fails waiting and active streams with `engine_closed` and frees every decoder. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new AsrEngineError('the pocketsphinx engine was closed', 'engine_closed');
    for (const stream of this.waiting.splice(0)) stream.fail(error);
    for (const worker of [...this.workers]) {
      worker.stream?.fail(error);
      worker.stream = null;
      this.shutdown(worker);
    }
    await Promise.all([...this.exited]);
  }

  /** Starts one decoder worker; resolves once it has loaded. */
  private spawn(): Promise<void> {
    const shutdownRequested = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const abortedStreamId = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const worker = startWorker(workerUrl(import.meta.url, 'pocketsphinxWorker'), {
      ...this.workerData,
      shutdownRequested,
      abortedStreamId,
    });
    const entry: DecoderWorker = { worker, shutdownRequested, abortedStreamId, state: 'starting', stream: null, idleTimer: null };
    this.workers.push(entry);
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.exited.add(exited);
    void exited.then(() => this.exited.delete(exited));

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: AsrEngineError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(loadTimer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const failStart = (error: AsrEngineError): void => {
        if (entry.state !== 'starting') return;
        this.forget(entry);
        settle(error);
        this.onSpawnFailed(error);
      };
      const loadTimer = setTimeout(() => {
        failStart(new AsrEngineError(`pocketsphinx decoder did not load within ${this.loadTimeoutMs} ms`, 'engine_unavailable'));
        // It may still be inside ps_init: let it finish, then free what it built and exit.
        requestShutdown(entry);
      }, this.loadTimeoutMs);
      worker.on('message', (reply: PocketsphinxWorkerReply) => {
        if (reply.type === 'ready') {
          if (entry.state !== 'starting') return;
          entry.state = 'idle';
          worker.unref();
          settle();
          this.becameIdle(entry);
        } else if (reply.type === 'initError') {
          failStart(new AsrEngineError(reply.message, reply.code));
        } else {
          this.route(entry, reply);
        }
      });
      worker.on('error', (error) => {
        if (entry.state === 'starting') {
          failStart(new AsrEngineError(`pocketsphinx decoder worker failed to start: ${error.message}`, 'engine_unavailable'));
        } else {
          this.onCrash(entry, error.message);
        }
      });
      worker.on('exit', (code) => {
        if (entry.state === 'starting') {
          failStart(new AsrEngineError(`pocketsphinx decoder worker exited while loading (code ${code})`, 'engine_unavailable'));
        } else if (entry.state !== 'gone') {
          this.onCrash(entry, `worker exited with code ${code}`);
        }
        // Shut down (engine closed) before it finished loading.
        settle(new AsrEngineError('the pocketsphinx engine was closed', 'engine_closed'));
      });
    });
  }

  /** Hands waiting streams to idle decoders; grows the pool if allowed and needed. */
  private dispatch(): void {
    if (this.closed) return;
    for (const worker of this.workers) {
      if (this.waiting.length === 0) return;
      if (worker.state !== 'idle') continue;
      const stream = this.waiting.shift();
      if (stream === undefined) return;
      if (worker.idleTimer !== null) clearTimeout(worker.idleTimer);
      worker.idleTimer = null;
      worker.state = 'busy';
      worker.stream = stream;
      worker.worker.ref();
      stream.attach(worker);
    }
    const starting = this.workers.filter((w) => w.state === 'starting').length;
    let missing = this.waiting.length - starting;
    while (missing > 0 && this.workers.length < this.maxPoolSize) {
      missing -= 1;
      this.spawn().catch(() => {
        // Reported to the waiting streams by onSpawnFailed.
      });
    }
  }

  /** A decoder finished (or its stream aborted): give it the next stream. */
  private release(worker: DecoderWorker): void {
    if (worker.state !== 'busy') return;
    worker.stream = null;
    worker.state = 'idle';
    worker.worker.unref();
    this.becameIdle(worker);
  }

  private becameIdle(worker: DecoderWorker): void {
    this.dispatch();
    if (worker.state !== 'idle' || this.workers.length <= this.poolSize) return;
    worker.idleTimer = setTimeout(() => {
      worker.idleTimer = null;
      if (worker.state === 'idle' && this.workers.length > this.poolSize) this.shutdown(worker);
    }, this.extraDecoderIdleMs);
    worker.idleTimer.unref();
  }

  private route(worker: DecoderWorker, reply: PocketsphinxWorkerReply): void {
    const stream = worker.stream;
    if (stream === null || !('streamId' in reply) || reply.streamId !== stream.id) return;
    if (reply.type === 'partial') {
      stream.deliver({ type: 'partial', text: reply.text });
    } else if (reply.type === 'final') {
      this.release(worker);
      stream.deliver({ type: 'final', text: reply.text, words: reply.words, audioDurationMs: stream.audioDurationMs() });
      stream.finish();
    } else if (reply.type === 'streamError') {
      this.release(worker);
      stream.fail(new AsrEngineError(`pocketsphinx failed on this utterance: ${reply.message}`, reply.code));
    }
  }

  private onCrash(worker: DecoderWorker, reason: string): void {
    if (worker.state === 'gone') return;
    const stream = worker.stream;
    this.forget(worker);
    // An uncaught exception already stops the thread; no terminate() (see SHUTDOWN_GRACE_MS).
    stream?.fail(
      new AsrEngineError(
        `the pocketsphinx decoder thread crashed (${reason}); this utterance was lost and the decoder is being replaced`,
        'engine_crashed',
      ),
    );
    if (this.closed) return;
    if (this.workers.length < this.poolSize) {
      this.spawn().catch(() => {
        // Reported to the waiting streams by onSpawnFailed.
      });
    }
    this.dispatch();
  }

  /** A decoder could not start: if none is left to serve the queue, fail the waiting streams. */
  private onSpawnFailed(error: AsrEngineError): void {
    if (this.workers.length > 0) return;
    for (const stream of this.waiting.splice(0)) stream.fail(error);
  }

  private forget(worker: DecoderWorker): void {
    worker.state = 'gone';
    worker.stream = null;
    if (worker.idleTimer !== null) clearTimeout(worker.idleTimer);
    worker.idleTimer = null;
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
  }

  /** Asks a worker to free its decoder and exit (after loading, if it is still loading). */
  private shutdown(worker: DecoderWorker): void {
    this.forget(worker);
    requestShutdown(worker);
  }
}

function requestShutdown(worker: DecoderWorker): void {
  Atomics.store(worker.shutdownRequested, 0, 1);
  const request: PocketsphinxWorkerRequest = { type: 'shutdown' };
  // Referenced again so that `await close()` keeps the process alive until the decoder is freed.
  worker.worker.ref();
  worker.worker.postMessage(request);
  const killTimer = setTimeout(() => void worker.worker.terminate(), SHUTDOWN_GRACE_MS);
  killTimer.unref();
  worker.worker.once('exit', () => clearTimeout(killTimer));
}


/** What a stream needs from its engine. */
interface StreamHost {
  send(worker: DecoderWorker, request: PocketsphinxWorkerRequest, transfer?: ArrayBuffer[]): void;
  release(worker: DecoderWorker): void;
  cancelWaiting(stream: PocketsphinxAsrStream): void;
}

type StreamState = 'open' | 'ending' | 'done';

/** One utterance: buffers audio in ~100 ms chunks until it has a decoder, then forwards them. */
class PocketsphinxAsrStream implements AsrStream {
  readonly events: EventChannel<AsrEvent>;
  private state: StreamState = 'open';
  private worker: DecoderWorker | null = null;
  private chunk: Int16Array;
  private chunkFill = 0;
  private readonly backlog: Int16Array[] = [];
  private samplesWritten = 0;

  constructor(
    readonly id: number,
    private readonly chunkSamples: number,
    private readonly host: StreamHost,
  ) {
    this.chunk = new Int16Array(chunkSamples);
    this.events = new EventChannel<AsrEvent>(() => this.abort());
  }

  write(pcm: Int16Array): void {
    if (this.state === 'ending') throw new AsrEngineError('write() after end()', 'invalid_state');
    if (this.state === 'done') return; // aborted or failed: late audio is dropped
    this.samplesWritten += pcm.length;
    let offset = 0;
    while (offset < pcm.length) {
      const count = Math.min(this.chunkSamples - this.chunkFill, pcm.length - offset);
      this.chunk.set(pcm.subarray(offset, offset + count), this.chunkFill);
      this.chunkFill += count;
      offset += count;
      if (this.chunkFill === this.chunkSamples) this.flushChunk();
    }
  }

  end(): void {
    if (this.state !== 'open') return;
    this.state = 'ending';
    if (this.chunkFill > 0) this.flushChunk();
    if (this.worker !== null) this.host.send(this.worker, { type: 'end', streamId: this.id });
  }

  abort(): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.backlog.length = 0;
    const worker = this.worker;
    this.worker = null;
    if (worker === null) {
      this.host.cancelWaiting(this);
    } else {
      // The worker skips this stream's queued audio at once instead of decoding it first.
      Atomics.store(worker.abortedStreamId, 0, this.id);
      this.host.send(worker, { type: 'abort', streamId: this.id });
      this.host.release(worker);
    }
    this.events.close();
  }

  /** Called by the pool when a decoder is assigned. */
  attach(worker: DecoderWorker): void {
    this.worker = worker;
    this.host.send(worker, { type: 'start', streamId: this.id });
    for (const pcm of this.backlog.splice(0)) this.sendAudio(worker, pcm);
    if (this.state === 'ending') this.host.send(worker, { type: 'end', streamId: this.id });
  }

  audioDurationMs(): number {
    return (this.samplesWritten * 1000) / POCKETSPHINX_SAMPLE_RATE_HZ;
  }

  deliver(event: AsrEvent): void {
    if (this.state !== 'done') this.events.push(event);
  }

  /** The final was delivered. */
  finish(): void {
    this.state = 'done';
    this.worker = null;
    this.events.close();
  }

  fail(error: AsrEngineError): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.worker = null;
    this.backlog.length = 0;
    this.events.fail(error);
  }

  private flushChunk(): void {
    const pcm = this.chunkFill === this.chunkSamples ? this.chunk : this.chunk.slice(0, this.chunkFill);
    this.chunk = new Int16Array(this.chunkSamples);
    this.chunkFill = 0;
    if (this.worker === null) this.backlog.push(pcm);
    else this.sendAudio(this.worker, pcm);
  }

  private sendAudio(worker: DecoderWorker, pcm: Int16Array): void {
    this.host.send(worker, { type: 'audio', streamId: this.id, pcm }, [pcm.buffer as ArrayBuffer]);
  }
}
