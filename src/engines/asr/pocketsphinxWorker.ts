/**
 * Worker-thread entry: owns one pocketsphinx decoder and decodes one stream at a time for the
 * pool in pocketsphinx.ts. All messages are processed in arrival order, so the main thread may
 * queue `start` for the next stream right after `abort` of the previous one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setOwnThreadNiceness } from '../../util/threadNiceness.js';
import {
  loadPocketsphinxLibrary,
  PocketsphinxDecoder,
  POCKETSPHINX_FRAME_DURATION_MS,
  POCKETSPHINX_SAMPLE_RATE_HZ,
} from './pocketsphinxLibrary.js';
import type { PocketsphinxLibraryNames, PocketsphinxModelPaths } from './pocketsphinxLibrary.js';
import type { AsrWordTiming } from './types.js';

/** Start-up data of a decoder worker. */
export interface PocketsphinxWorkerData {
  libraryNames: PocketsphinxLibraryNames;
  model: PocketsphinxModelPaths;
  decoderArgs: Record<string, string>;
  /** Minimum audio between two hypothesis checks (partial throttle). */
  partialIntervalMs: number;
  /** Keep pocketsphinx's own log on stderr (it is silenced otherwise). */
  keepNativeLog: boolean;
  /** Niceness this thread gives itself (0: leave as is). */
  threadNiceness: number;
  /**
   * One shared cell the main thread sets to 1 to stop the worker: queued messages are skipped, the
   * decoder is freed and the thread exits (no `terminate()` while inside native code).
   */
  shutdownRequested: Int32Array;
  /** One shared cell with the id of the latest aborted stream: its queued audio is skipped. */
  abortedStreamId: Int32Array;
}

/** Main thread → worker. */
export type PocketsphinxWorkerRequest =
  | { type: 'start'; streamId: number }
  | { type: 'audio'; streamId: number; pcm: Int16Array }
  | { type: 'end'; streamId: number }
  | { type: 'abort'; streamId: number }
  /** Free the decoder and exit. */
  | { type: 'shutdown' }
  /** Testing aid: throw an uncaught exception, as a crash would. */
  | { type: 'simulateCrash' };

/** Worker → main thread. */
export type PocketsphinxWorkerReply =
  | { type: 'ready'; loadMs: number }
  | { type: 'initError'; code: string; message: string }
  | { type: 'partial'; streamId: number; text: string }
  | {
      type: 'final';
      streamId: number;
      text: string;
      words: AsrWordTiming[];
      audioDurationMs: number;
      /** Worker time spent in ps_end_utt and reading the result. */
      finishMs: number;
    }
  | { type: 'streamError'; streamId: number; code: string; message: string };

interface Utterance {
  streamId: number;
  samples: number;
  samplesSinceHypothesis: number;
  lastPartial: string;
}

const port = parentPort;
if (port === null) throw new Error('pocketsphinxWorker must run in a worker thread');
const data = workerData as PocketsphinxWorkerData;
const partialIntervalSamples = Math.max(1, Math.round((data.partialIntervalMs * POCKETSPHINX_SAMPLE_RATE_HZ) / 1000));

function post(reply: PocketsphinxWorkerReply): void {
  port?.postMessage(reply);
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'asr_error', message: error.message };
  }
  return { code: 'asr_error', message: String(error) };
}

let decoder: PocketsphinxDecoder | null = null;
const loadStartedMs = performance.now();
if (data.threadNiceness !== 0) setOwnThreadNiceness(data.threadNiceness);
try {
  const bindings = loadPocketsphinxLibrary(data.libraryNames);
  if (!data.keepNativeLog) bindings.disableLogging();
  decoder = PocketsphinxDecoder.create(bindings, data.model, data.decoderArgs);
  post({ type: 'ready', loadMs: performance.now() - loadStartedMs });
} catch (error) {
  const { code, message } = describe(error);
  post({ type: 'initError', code, message });
  port.close();
}

let utterance: Utterance | null = null;

function finish(current: Utterance, live: PocketsphinxDecoder): void {
  const startedMs = performance.now();
  live.endUtterance();
  const audioDurationMs = (current.samples * 1000) / POCKETSPHINX_SAMPLE_RATE_HZ;
  const words: AsrWordTiming[] = [];
  for (const word of live.words()) {
    const startMs = Math.min(word.startFrame * POCKETSPHINX_FRAME_DURATION_MS, audioDurationMs);
    const endMs = Math.min((word.endFrame + 1) * POCKETSPHINX_FRAME_DURATION_MS, audioDurationMs);
    words.push({ text: word.text, startMs, durationMs: Math.max(0, endMs - startMs), confidence: word.confidence });
  }
  const text = live.hypothesis();
  post({
    type: 'final',
    streamId: current.streamId,
    text,
    words,
    audioDurationMs,
    finishMs: performance.now() - startedMs,
  });
}

function handle(request: PocketsphinxWorkerRequest, live: PocketsphinxDecoder): void {
  switch (request.type) {
    case 'start':
      live.startUtterance();
      utterance = { streamId: request.streamId, samples: 0, samplesSinceHypothesis: 0, lastPartial: '' };
      return;
    case 'audio': {
      const current = utterance;
      if (current === null || current.streamId !== request.streamId) return;
      live.processRaw(request.pcm);
      current.samples += request.pcm.length;
      current.samplesSinceHypothesis += request.pcm.length;
      if (current.samplesSinceHypothesis >= partialIntervalSamples) {
        current.samplesSinceHypothesis = 0;
        const text = live.hypothesis();
        if (text !== '' && text !== current.lastPartial) {
          current.lastPartial = text;
          post({ type: 'partial', streamId: current.streamId, text });
        }
      }
      return;
    }
    case 'end': {
      const current = utterance;
      if (current === null || current.streamId !== request.streamId) return;
      utterance = null;
      finish(current, live);
      return;
    }
    case 'abort':
      if (utterance === null || utterance.streamId !== request.streamId) return;
      utterance = null;
      live.endUtterance();
      return;
    case 'shutdown':
      shutdown(live);
      return;
    case 'simulateCrash':
      setImmediate(() => {
        throw new Error('simulated pocketsphinx decoder crash');
      });
      return;
  }
}

function shutdown(live: PocketsphinxDecoder): void {
  utterance = null;
  live.free();
  decoder = null;
  port?.close();
}

port.on('message', (request: PocketsphinxWorkerRequest) => {
  const live = decoder;
  if (live === null) return;
  if (Atomics.load(data.shutdownRequested, 0) === 1) {
    shutdown(live);
    return;
  }
  if ('streamId' in request && request.streamId === Atomics.load(data.abortedStreamId, 0)) {
    // Aborted while its audio was queued: drop it, and close the utterance once.
    if (utterance !== null && utterance.streamId === request.streamId) {
      utterance = null;
      live.endUtterance();
    }
    return;
  }
  try {
    handle(request, live);
  } catch (error) {
    // A failing native call spoils only this utterance; the decoder stays usable.
    const streamId = 'streamId' in request ? request.streamId : -1;
    utterance = null;
    try {
      live.endUtterance();
    } catch {
      // Already out of the utterance.
    }
    const { code, message } = describe(error);
    post({ type: 'streamError', streamId, code, message });
  }
});
