/**
 * Silero VAD v5 as a {@link VadEngine}: 16 kHz mono input, one speech probability per 512-sample
 * (32 ms) frame. Inference runs off the event loop in a small pool of worker threads
 * (`sileroWorker.ts`); many streams share each worker, which batches their frames into one call.
 */
import { startWorker } from '../../util/startWorker.js';
import type { Worker } from 'node:worker_threads';
import { workerUrl } from '../../util/workerUrl.js';
import type { VadCapabilities, VadEngine, VadStream } from './types.js';
import {
  SILERO_FRAME_SAMPLES,
  SILERO_SAMPLE_RATE_HZ,
  locateSileroModel,
} from './sileroModel.js';
import type { SileroWorkerInit, SileroWorkerReply, SileroWorkerRequest } from './sileroWorker.js';

/** Options for {@link SileroVadEngine.create}. */
export interface SileroVadOptions {
  /** Model file; defaults to the v5 model located by `locateSileroModel()`. */
  modelPath?: string;
  /** Worker threads in the pool (streams are spread over them). Default 1. */
  workerCount?: number;
  /** onnxruntime WASM threads inside each worker. Default 1. */
  threadsPerWorker?: number;
  /** Most streams one inference call evaluates together. Default 64. */
  maxBatchStreams?: number;
}


interface PendingRequest {
  resolve(probabilities: Float32Array): void;
  reject(error: Error): void;
}

/** One worker thread of the pool and the requests it owes answers to. */
class SileroWorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, PendingRequest>();
  #failure: Error | undefined;
  /** Streams currently assigned to this worker (for spreading new ones). */
  openStreams = 0;
  /** Milliseconds the worker took to load the model. */
  loadMs = 0;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  static async start(init: SileroWorkerInit): Promise<SileroWorkerClient> {
    const worker = startWorker(workerUrl(import.meta.url, 'sileroWorker'), init);
    const client = new SileroWorkerClient(worker);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (reply: SileroWorkerReply): void => {
        if (reply.type === 'ready') {
          client.loadMs = reply.loadMs;
          resolve();
        } else if (reply.type === 'initFailed') {
          reject(new Error(reply.message));
        } else {
          client.#onReply(reply);
        }
      };
      worker.on('message', onMessage);
      worker.on('error', (error) => {
        client.#fail(error);
        reject(error);
      });
      worker.on('exit', (code) => {
        const error = new Error(`Silero VAD worker exited (code ${code})`);
        client.#fail(error);
        reject(error);
      });
    });
    worker.unref();
    return client;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  request(message: Extract<SileroWorkerRequest, { type: 'process' }>): Promise<Float32Array> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<Float32Array>((resolve, reject) => {
      // Keep the process alive only while answers are owed.
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(message.requestId, { resolve, reject });
      this.#worker.postMessage(message, [message.samples.buffer as ArrayBuffer]);
    });
  }

  send(message: Exclude<SileroWorkerRequest, { type: 'process' }>): void {
    if (!this.#failure) this.#worker.postMessage(message);
  }

  async terminate(reason: Error): Promise<void> {
    this.#fail(reason);
    await this.#worker.terminate();
  }

  #onReply(reply: SileroWorkerReply): void {
    if (reply.type !== 'result' && reply.type !== 'failed') return;
    const pending = this.#pending.get(reply.requestId);
    if (!pending) return;
    this.#pending.delete(reply.requestId);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.type === 'result') pending.resolve(reply.probabilities);
    else pending.reject(new Error(reply.message));
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
  }
}

/** A Silero stream: keeps leftover samples and forwards whole frames to its worker. */
class SileroVadStream implements VadStream {
  readonly #client: SileroWorkerClient;
  readonly #streamId: number;
  readonly #nextRequestId: () => number;
  #leftover = new Float32Array(0);
  /** Settles after the latest request, so results (even empty ones) resolve in call order. */
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(client: SileroWorkerClient, streamId: number, nextRequestId: () => number) {
    this.#client = client;
    this.#streamId = streamId;
    this.#nextRequestId = nextRequestId;
  }

  process(samples: Float32Array): Promise<Float32Array> {
    if (this.#closed) return Promise.reject(new Error('VAD stream is closed'));
    const totalSamples = this.#leftover.length + samples.length;
    const frameCount = Math.floor(totalSamples / SILERO_FRAME_SAMPLES);
    const usedSamples = frameCount * SILERO_FRAME_SAMPLES;
    const joined = new Float32Array(totalSamples);
    joined.set(this.#leftover, 0);
    joined.set(samples, this.#leftover.length);
    this.#leftover = joined.slice(usedSamples);
    let result: Promise<Float32Array>;
    if (frameCount === 0) {
      result = this.#tail.then(() => new Float32Array(0));
    } else {
      const frames = usedSamples === totalSamples ? joined : joined.slice(0, usedSamples);
      result = this.#client.request({
        type: 'process',
        streamId: this.#streamId,
        requestId: this.#nextRequestId(),
        samples: frames,
      });
    }
    this.#tail = result.catch(() => undefined);
    return result;
  }

  reset(): void {
    if (this.#closed) return;
    this.#leftover = new Float32Array(0);
    this.#client.send({ type: 'reset', streamId: this.#streamId });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#leftover = new Float32Array(0);
    this.#client.openStreams--;
    this.#client.send({ type: 'close', streamId: this.#streamId });
  }
}

/**
 * Silero VAD v5 engine. Create it once per server with {@link SileroVadEngine.create} (loads the
 * model in every worker) and open one stream per session.
 */
export class SileroVadEngine implements VadEngine {
  readonly name = 'silero-vad-v5';
  readonly description =
    'Silero VAD v5 (ONNX) on onnxruntime-web WASM in worker threads; 16 kHz, 32 ms frames';
  readonly capabilities: VadCapabilities = {
    sampleRateHz: SILERO_SAMPLE_RATE_HZ,
    frameSamples: SILERO_FRAME_SAMPLES,
  };
  /** Path of the model file in use. */
  readonly modelPath: string;
  /** Slowest model load among the workers, in milliseconds. */
  readonly loadMs: number;
  readonly #clients: SileroWorkerClient[];
  #nextStreamId = 1;
  #nextRequestId = 1;
  #closed = false;

  private constructor(modelPath: string, clients: SileroWorkerClient[]) {
    this.modelPath = modelPath;
    this.#clients = clients;
    this.loadMs = Math.max(...clients.map((client) => client.loadMs));
  }

  /**
   * Starts the worker pool and loads the model in each worker. Rejects with
   * `SileroModelNotFoundError` if the model file cannot be located, or with the worker's error if
   * the model fails to load.
   */
  static async create(options: SileroVadOptions = {}): Promise<SileroVadEngine> {
    const modelPath = options.modelPath ?? locateSileroModel();
    const workerCount = Math.max(1, Math.floor(options.workerCount ?? 1));
    const init: SileroWorkerInit = {
      modelPath,
      threads: Math.max(1, Math.floor(options.threadsPerWorker ?? 1)),
      maxBatchStreams: Math.max(1, Math.floor(options.maxBatchStreams ?? 64)),
    };
    const started = await Promise.allSettled(
      Array.from({ length: workerCount }, () => SileroWorkerClient.start(init)),
    );
    const clients = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) {
      const shutdown = new Error('Silero VAD engine failed to start');
      await Promise.all(clients.map((client) => client.terminate(shutdown)));
      throw failed.reason;
    }
    return new SileroVadEngine(modelPath, clients);
  }

  createStream(): VadStream {
    if (this.#closed) throw new Error('SileroVadEngine is closed');
    const healthy = this.#clients.filter((client) => !client.failure);
    if (healthy.length === 0) {
      throw new Error(`Silero VAD workers failed: ${this.#clients[0]?.failure?.message ?? 'none started'}`);
    }
    const client = healthy.reduce((least, candidate) =>
      candidate.openStreams < least.openStreams ? candidate : least,
    );
    client.openStreams++;
    return new SileroVadStream(client, this.#nextStreamId++, () => this.#nextRequestId++);
  }

  /** Stops the workers; requests still in flight reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const reason = new Error('SileroVadEngine closed');
    await Promise.all(this.#clients.map((client) => client.terminate(reason)));
  }
}
