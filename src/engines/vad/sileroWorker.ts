/**
 * Worker thread that runs Silero VAD v5 (ONNX, on onnxruntime-web's WASM backend) for many streams
 * at once. Each stream keeps its own recurrent state and 64-sample context; whenever several streams
 * have frames waiting, one inference call evaluates one frame of each of them as a batch (the model
 * takes a batch dimension), which costs far less per frame than one call per stream.
 *
 * The message types below are the whole contract with `silero.ts`. Requests for one stream are
 * handled strictly in the order they arrive.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-web';
import {
  SILERO_CONTEXT_SAMPLES,
  SILERO_FRAME_SAMPLES,
  SILERO_SAMPLE_RATE_HZ,
  SILERO_STATE_LAYERS,
  SILERO_STATE_WIDTH,
} from './sileroModel.js';

/** Passed as `workerData`. */
export interface SileroWorkerInit {
  modelPath: string;
  /** WASM threads for onnxruntime inside this worker. */
  threads: number;
  /** Most streams evaluated in one inference call. */
  maxBatchStreams: number;
}

/** Main thread → worker. `samples` holds whole frames only (a multiple of 512). */
export type SileroWorkerRequest =
  | { type: 'process'; streamId: number; requestId: number; samples: Float32Array }
  | { type: 'reset'; streamId: number }
  | { type: 'close'; streamId: number };

/** Worker → main thread. */
export type SileroWorkerReply =
  | { type: 'ready'; loadMs: number }
  | { type: 'initFailed'; message: string }
  | { type: 'result'; requestId: number; probabilities: Float32Array }
  | { type: 'failed'; requestId: number; message: string };

interface FramesJob {
  kind: 'frames';
  requestId: number;
  samples: Float32Array;
  nextFrame: number;
  probabilities: Float32Array;
}

type Job = FramesJob | { kind: 'reset' } | { kind: 'close' };

interface StreamState {
  /** Recurrent state, layer-major: [layer][128]. */
  state: Float32Array;
  context: Float32Array;
  jobs: Job[];
}

const INPUT_SAMPLES = SILERO_CONTEXT_SAMPLES + SILERO_FRAME_SAMPLES;
const STATE_FLOATS = SILERO_STATE_LAYERS * SILERO_STATE_WIDTH;

function newStream(): StreamState {
  return {
    state: new Float32Array(STATE_FLOATS),
    context: new Float32Array(SILERO_CONTEXT_SAMPLES),
    jobs: [],
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function post(reply: SileroWorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(reply, transfer);
}

/** Runs queued frames of all streams, one batched inference call per step. */
class BatchScheduler {
  readonly #streams = new Map<number, StreamState>();
  readonly #session: ort.InferenceSession;
  readonly #maxBatchStreams: number;
  readonly #sampleRate = new ort.Tensor('int64', BigInt64Array.from([BigInt(SILERO_SAMPLE_RATE_HZ)]), []);
  #draining = false;

  constructor(session: ort.InferenceSession, maxBatchStreams: number) {
    this.#session = session;
    this.#maxBatchStreams = Math.max(1, maxBatchStreams);
  }

  enqueue(request: SileroWorkerRequest): void {
    let stream = this.#streams.get(request.streamId);
    if (!stream) {
      stream = newStream();
      this.#streams.set(request.streamId, stream);
    }
    if (request.type === 'process') {
      const frameCount = Math.floor(request.samples.length / SILERO_FRAME_SAMPLES);
      stream.jobs.push({
        kind: 'frames',
        requestId: request.requestId,
        samples: request.samples,
        nextFrame: 0,
        probabilities: new Float32Array(frameCount),
      });
    } else {
      stream.jobs.push({ kind: request.type });
    }
    if (!this.#draining) {
      this.#draining = true;
      setImmediate(() => void this.#drain());
    }
  }

  async #drain(): Promise<void> {
    try {
      for (;;) {
        const batch = this.#takeBatch();
        if (batch.length === 0) return;
        await this.#run(batch);
        // Let queued messages in before the next step, so they can join its batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Applies control jobs at the heads of the queues and picks up to N streams with frames due. */
  #takeBatch(): Array<[StreamState, FramesJob]> {
    const batch: Array<[StreamState, FramesJob]> = [];
    const served: number[] = [];
    for (const [streamId, stream] of this.#streams) {
      let head: Job | undefined = stream.jobs[0];
      while (head && head.kind !== 'frames') {
        stream.jobs.shift();
        if (head.kind === 'close') {
          this.#streams.delete(streamId);
          head = undefined;
          break;
        }
        stream.state.fill(0);
        stream.context.fill(0);
        head = stream.jobs[0];
      }
      if (!head) continue;
      if (head.probabilities.length === 0) {
        stream.jobs.shift();
        post({ type: 'result', requestId: head.requestId, probabilities: head.probabilities });
        continue;
      }
      if (batch.length < this.#maxBatchStreams) {
        batch.push([stream, head]);
        served.push(streamId);
      }
    }
    // Round robin: streams served now go to the back of the line.
    for (const streamId of served) {
      const stream = this.#streams.get(streamId);
      if (!stream) continue;
      this.#streams.delete(streamId);
      this.#streams.set(streamId, stream);
    }
    return batch;
  }

  async #run(batch: Array<[StreamState, FramesJob]>): Promise<void> {
    const batchSize = batch.length;
    const input = new Float32Array(batchSize * INPUT_SAMPLES);
    const state = new Float32Array(batchSize * STATE_FLOATS);
    batch.forEach(([stream, job], row) => {
      const frameStart = job.nextFrame * SILERO_FRAME_SAMPLES;
      input.set(stream.context, row * INPUT_SAMPLES);
      input.set(
        job.samples.subarray(frameStart, frameStart + SILERO_FRAME_SAMPLES),
        row * INPUT_SAMPLES + SILERO_CONTEXT_SAMPLES,
      );
      for (let layer = 0; layer < SILERO_STATE_LAYERS; layer++) {
        state.set(
          stream.state.subarray(layer * SILERO_STATE_WIDTH, (layer + 1) * SILERO_STATE_WIDTH),
          (layer * batchSize + row) * SILERO_STATE_WIDTH,
        );
      }
    });

    let probabilities: Float32Array;
    let nextState: Float32Array;
    try {
      const outputs = await this.#session.run({
        input: new ort.Tensor('float32', input, [batchSize, INPUT_SAMPLES]),
        state: new ort.Tensor('float32', state, [SILERO_STATE_LAYERS, batchSize, SILERO_STATE_WIDTH]),
        sr: this.#sampleRate,
      });
      const output = outputs['output'];
      const stateN = outputs['stateN'];
      if (!output || !stateN) throw new Error('Silero model returned no output/stateN tensor');
      probabilities = output.data as Float32Array;
      nextState = stateN.data as Float32Array;
    } catch (error) {
      const message = `Silero VAD inference failed: ${errorMessage(error)}`;
      for (const [stream, job] of batch) {
        stream.jobs.shift();
        post({ type: 'failed', requestId: job.requestId, message });
      }
      return;
    }

    batch.forEach(([stream, job], row) => {
      for (let layer = 0; layer < SILERO_STATE_LAYERS; layer++) {
        const offset = (layer * batchSize + row) * SILERO_STATE_WIDTH;
        stream.state.set(nextState.subarray(offset, offset + SILERO_STATE_WIDTH), layer * SILERO_STATE_WIDTH);
      }
      const frameEnd = (job.nextFrame + 1) * SILERO_FRAME_SAMPLES;
      stream.context.set(job.samples.subarray(frameEnd - SILERO_CONTEXT_SAMPLES, frameEnd));
      job.probabilities[job.nextFrame] = probabilities[row] ?? 0;
      job.nextFrame++;
      if (job.nextFrame === job.probabilities.length) {
        stream.jobs.shift();
        post(
          { type: 'result', requestId: job.requestId, probabilities: job.probabilities },
          [job.probabilities.buffer as ArrayBuffer],
        );
      }
    });
  }
}

/**
 * The first inference calls are far slower than later ones: onnxruntime allocates its buffers and
 * V8 only recompiles hot WASM functions with its optimising tier after they have done enough work.
 * Running a few large batches here (≈ 260 frames of work, tens of ms on an idle core) keeps that
 * cost out of the first sessions' audio; measured, it makes the next single-frame calls 2–3× cheaper
 * than a warm-up of a few single frames.
 */
async function warmUp(session: ort.InferenceSession): Promise<void> {
  const sampleRate = new ort.Tensor('int64', BigInt64Array.from([BigInt(SILERO_SAMPLE_RATE_HZ)]), []);
  for (const batchSize of [1, 4, 32, 32, 32, 32, 32, 32, 32, 32]) {
    await session.run({
      input: new ort.Tensor('float32', new Float32Array(batchSize * INPUT_SAMPLES), [batchSize, INPUT_SAMPLES]),
      state: new ort.Tensor('float32', new Float32Array(batchSize * STATE_FLOATS), [
        SILERO_STATE_LAYERS,
        batchSize,
        SILERO_STATE_WIDTH,
      ]),
      sr: sampleRate,
    });
  }
}

async function start(init: SileroWorkerInit): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('sileroWorker must run in a worker thread');
  // Requests that arrive while the model loads wait here.
  const early: SileroWorkerRequest[] = [];
  let scheduler: BatchScheduler | undefined;
  port.on('message', (request: SileroWorkerRequest) => {
    if (scheduler) scheduler.enqueue(request);
    else early.push(request);
  });

  const startedAt = performance.now();
  try {
    ort.env.logLevel = 'error';
    ort.env.wasm.numThreads = Math.max(1, init.threads);
    const model = await readFile(init.modelPath);
    const session = await ort.InferenceSession.create(model, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
    await warmUp(session);
    scheduler = new BatchScheduler(session, init.maxBatchStreams);
  } catch (error) {
    post({ type: 'initFailed', message: `Silero VAD model failed to load: ${errorMessage(error)}` });
    port.close();
    return;
  }
  post({ type: 'ready', loadMs: performance.now() - startedAt });
  for (const request of early.splice(0)) scheduler.enqueue(request);
}

void start(workerData as SileroWorkerInit);
