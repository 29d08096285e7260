/**
 * A fixed-size pool of worker threads that run one job at a time each, so CPU-bound synthesis never
 * blocks the server's event loop. Jobs queue FIFO while every worker is busy.
 *
 * Protocol: a worker posts `{type:'ready'}` once it has initialised, then answers every
 * `{type:'job', id, job}` with `{type:'result', id, result}` (see {@link servePoolJobs}). A worker
 * that dies (uncaught exception, `process.exit`, out of memory) fails its current job with a
 * {@link TtsEngineError} coded `tts_worker_crashed` and is replaced. A pool whose workers keep
 * failing to start gives up and rejects everything with code `engine_unavailable`.
 */

import { startWorker } from '../../util/startWorker.js';
import { parentPort } from 'node:worker_threads';
import type { TransferListItem , Worker} from 'node:worker_threads';
import { TtsEngineError } from './types.js';

/** Message from the pool to a worker. */
export interface PoolJobMessage<TJob> {
  type: 'job';
  id: number;
  job: TJob;
}

/** Messages from a worker to the pool. */
export type PoolWorkerMessage<TResult> =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: TResult };

export interface WorkerPoolOptions {
  /** Worker entry file (see `workerUrl`). */
  url: URL;
  /** Number of worker threads, ≥ 1. */
  size: number;
  /** Passed to every worker as `workerData`. */
  workerData?: unknown;
  /** Used in error messages, e.g. "flite". */
  name: string;
  /** Consecutive start-up failures after which the pool stops respawning. Default 3. */
  maxStartFailures?: number;
}

export interface WorkerPoolRunOptions {
  /** Buffers to move (not copy) to the worker. */
  transferList?: readonly TransferListItem[];
  /**
   * Aborting removes a queued job, or stops waiting for a running one (its result is discarded);
   * the returned promise then rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

export interface WorkerPoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** Workers replaced after dying. */
  restarts: number;
}

interface PendingJob<TJob, TResult> {
  id: number;
  job: TJob;
  transferList: readonly TransferListItem[];
  resolve: (result: TResult) => void;
  reject: (error: unknown) => void;
  settled: boolean;
  detachAbort: () => void;
}

interface WorkerSlot<TJob, TResult> {
  worker: Worker;
  ready: boolean;
  current: PendingJob<TJob, TResult> | undefined;
  lastError: Error | undefined;
}


export class WorkerPool<TJob, TResult> {
  readonly #options: WorkerPoolOptions;
  readonly #maxStartFailures: number;
  readonly #slots = new Set<WorkerSlot<TJob, TResult>>();
  readonly #queue: PendingJob<TJob, TResult>[] = [];
  readonly #readyWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  #nextJobId = 1;
  #startFailures = 0;
  #restarts = 0;
  #closed = false;
  #failure: TtsEngineError | undefined;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new RangeError(`worker pool size must be a positive integer, got ${options.size}`);
    }
    this.#options = options;
    this.#maxStartFailures = options.maxStartFailures ?? 3;
    for (let i = 0; i < options.size; i++) this.#spawn();
  }

  /** Resolves once every worker has initialised; rejects if the pool gave up or was closed. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#readyWaiters.push({ resolve, reject });
      this.#settleReadyWaiters();
    });
  }

  stats(): WorkerPoolStats {
    let busy = 0;
    for (const slot of this.#slots) if (slot.current) busy++;
    return { workers: this.#slots.size, busy, queued: this.#queue.length, restarts: this.#restarts };
  }

  /** Runs `job` on the next free worker. */
  run(job: TJob, options: WorkerPoolRunOptions = {}): Promise<TResult> {
    const { signal } = options;
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(this.#closedError());
    if (signal?.aborted) return Promise.reject(signal.reason);

    return new Promise<TResult>((resolve, reject) => {
      const pending: PendingJob<TJob, TResult> = {
        id: this.#nextJobId++,
        job,
        transferList: options.transferList ?? [],
        settled: false,
        detachAbort: () => {},
        resolve: (result) => {
          if (pending.settled) return;
          pending.settled = true;
          pending.detachAbort();
          resolve(result);
        },
        reject: (error) => {
          if (pending.settled) return;
          pending.settled = true;
          pending.detachAbort();
          reject(error);
        },
      };
      if (signal) {
        const onAbort = (): void => {
          const queuedAt = this.#queue.indexOf(pending);
          if (queuedAt >= 0) this.#queue.splice(queuedAt, 1);
          pending.reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        pending.detachAbort = () => signal.removeEventListener('abort', onAbort);
      }
      this.#queue.push(pending);
      this.#dispatch();
    });
  }

  /** Terminates every worker; queued and running jobs reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const error = this.#closedError();
    for (const pending of this.#queue.splice(0)) pending.reject(error);
    const terminations: Promise<number>[] = [];
    for (const slot of this.#slots) {
      slot.current?.reject(error);
      slot.current = undefined;
      terminations.push(slot.worker.terminate());
    }
    this.#slots.clear();
    this.#settleReadyWaiters();
    await Promise.allSettled(terminations);
  }

  #closedError(): TtsEngineError {
    return new TtsEngineError(`${this.#options.name} worker pool is closed`, 'engine_closed');
  }

  #spawn(): void {
    const worker = startWorker(this.#options.url, this.#options.workerData);
    const slot: WorkerSlot<TJob, TResult> = { worker, ready: false, current: undefined, lastError: undefined };
    this.#slots.add(slot);

    worker.on('message', (message: PoolWorkerMessage<TResult>) => {
      if (message.type === 'ready') {
        slot.ready = true;
        this.#startFailures = 0;
        worker.unref();
        this.#settleReadyWaiters();
        this.#dispatch();
      } else if (message.type === 'result') {
        const pending = slot.current;
        if (pending && pending.id === message.id) {
          slot.current = undefined;
          worker.unref();
          pending.resolve(message.result);
        }
        this.#dispatch();
      }
    });
    worker.on('error', (error: Error) => {
      slot.lastError = error;
    });
    worker.on('exit', (exitCode: number) => this.#onExit(slot, exitCode));
  }

  #onExit(slot: WorkerSlot<TJob, TResult>, exitCode: number): void {
    if (!this.#slots.delete(slot) || this.#closed) return;
    const reason = slot.lastError ? slot.lastError.message : `exit code ${exitCode}`;
    const crash = new TtsEngineError(
      `${this.#options.name} worker crashed (${reason}); it has been replaced`,
      'tts_worker_crashed',
    );
    slot.current?.reject(crash);
    slot.current = undefined;

    if (!slot.ready) this.#startFailures++;
    if (this.#startFailures >= this.#maxStartFailures) {
      this.#failure = new TtsEngineError(
        `${this.#options.name} workers fail to start (${reason})`,
        'engine_unavailable',
      );
      for (const pending of this.#queue.splice(0)) pending.reject(this.#failure);
      this.#settleReadyWaiters();
      return;
    }
    this.#restarts++;
    this.#spawn();
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.ready || slot.current) continue;
      const pending = this.#queue.shift() as PendingJob<TJob, TResult>;
      slot.current = pending;
      slot.worker.ref();
      const message: PoolJobMessage<TJob> = { type: 'job', id: pending.id, job: pending.job };
      slot.worker.postMessage(message, pending.transferList);
    }
  }

  #settleReadyWaiters(): void {
    if (this.#readyWaiters.length === 0) return;
    let error: TtsEngineError | undefined = this.#failure;
    if (!error && this.#closed) error = this.#closedError();
    if (error) {
      for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(error);
      return;
    }
    if (this.#slots.size < this.#options.size) return;
    for (const slot of this.#slots) if (!slot.ready) return;
    for (const waiter of this.#readyWaiters.splice(0)) waiter.resolve();
  }
}

/** What a worker's job handler returns: the result and the buffers to transfer with it. */
export interface PoolJobOutput<TResult> {
  result: TResult;
  transferList?: readonly TransferListItem[];
}

/**
 * Worker side of the protocol: call once from the worker entry file. `handle` runs synchronously or
 * asynchronously per job; jobs are handled one at a time in arrival order. Exceptions escaping
 * `handle` crash the worker on purpose (the pool replaces it), so handlers should turn expected
 * failures into result values.
 */
export function servePoolJobs<TJob, TResult>(
  handle: (job: TJob) => PoolJobOutput<TResult> | Promise<PoolJobOutput<TResult>>,
): void {
  const port = parentPort;
  if (!port) throw new Error('servePoolJobs must be called inside a worker thread');
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (message: PoolJobMessage<TJob>) => {
    if (message.type !== 'job') return;
    chain = chain.then(async () => {
      const output = await handle(message.job);
      const reply: PoolWorkerMessage<TResult> = { type: 'result', id: message.id, result: output.result };
      port.postMessage(reply, output.transferList ?? []);
    });
    chain.catch((error: unknown) => {
      // Surface as an uncaught exception so the thread dies and the pool replaces it.
      setImmediate(() => {
        throw error;
      });
    });
  });
  const ready: PoolWorkerMessage<TResult> = { type: 'ready' };
  port.postMessage(ready);
}
