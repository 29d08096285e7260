/**
 * In-process bindings to CMU PocketSphinx 5prealpha (Debian `libpocketsphinx3` / `libsphinxbase3`)
 * through koffi, plus discovery of the Debian `pocketsphinx-en-us` model files.
 *
 * Everything here is synchronous and CPU-heavy once a decoder runs: use it from a worker thread
 * (see pocketsphinxWorker.ts), never from the server's event loop.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import koffi from 'koffi';
import type { LibraryHandle } from 'koffi';
import { AsrEngineError } from './types.js';

/** What to tell an operator when the library or model cannot be found. */
export const POCKETSPHINX_INSTALL_HINT =
  'install the Debian packages with `sudo apt-get install libpocketsphinx3 pocketsphinx-en-us` (or run `npm run setup`)';

/** The only sample rate the en-us acoustic model accepts. */
export const POCKETSPHINX_SAMPLE_RATE_HZ = 16_000;

/** Feature frame shift of the en-us model (`-frate 100`): word times are counted in these frames. */
export const POCKETSPHINX_FRAME_DURATION_MS = 10;

/** Sonames (or paths) of the two shared libraries, loaded with the system's dynamic loader. */
export interface PocketsphinxLibraryNames {
  pocketsphinx: string;
  sphinxbase: string;
}

export const DEFAULT_POCKETSPHINX_LIBRARY_NAMES: Readonly<PocketsphinxLibraryNames> = {
  pocketsphinx: 'libpocketsphinx.so.3',
  sphinxbase: 'libsphinxbase.so.3',
};

/**
 * Library names from explicit overrides, else the environment (`VOICELIVE_POCKETSPHINX_LIBRARY`,
 * `VOICELIVE_SPHINXBASE_LIBRARY`), else the Debian sonames.
 */
export function resolvePocketsphinxLibraryNames(
  overrides: Partial<PocketsphinxLibraryNames> = {},
  env: NodeJS.ProcessEnv = process.env,
): PocketsphinxLibraryNames {
  return {
    pocketsphinx:
      overrides.pocketsphinx ??
      nonEmpty(env.VOICELIVE_POCKETSPHINX_LIBRARY) ??
      DEFAULT_POCKETSPHINX_LIBRARY_NAMES.pocketsphinx,
    sphinxbase:
      overrides.sphinxbase ??
      nonEmpty(env.VOICELIVE_SPHINXBASE_LIBRARY) ??
      DEFAULT_POCKETSPHINX_LIBRARY_NAMES.sphinxbase,
  };
}

/** The three parts of a pocketsphinx model: acoustic model directory, n-gram LM, pronunciations. */
export interface PocketsphinxModelPaths {
  /** Directory with mdef, means, variances, transition_matrices, sendump/mixture_weights. */
  hmmDir: string;
  /** ARPA or binary (`.lm.bin`) n-gram language model. */
  languageModelPath: string;
  /** Pronouncing dictionary (CMUdict format). */
  dictionaryPath: string;
}

export interface PocketsphinxModelOptions {
  /**
   * A directory laid out like Debian's `/usr/share/pocketsphinx/model/en-us`: `en-us/` (acoustic
   * model), `en-us.lm.bin`, `cmudict-en-us.dict`. Defaults to `VOICELIVE_POCKETSPHINX_MODEL_DIR`,
   * then the Debian location, then wherever `dpkg -L pocketsphinx-en-us` says it put them.
   */
  modelDir?: string;
  /** Overrides the acoustic model directory inside `modelDir`. */
  hmmDir?: string;
  /** Overrides the language model inside `modelDir`. */
  languageModelPath?: string;
  /** Overrides the dictionary inside `modelDir`. */
  dictionaryPath?: string;
}

const DEBIAN_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const ACOUSTIC_MODEL_FILES = ['mdef', 'means', 'variances', 'transition_matrices'];

/**
 * Finds the model files and checks they are there. Throws AsrEngineError `engine_unavailable`
 * naming what is missing and the packages to install.
 */
export function locatePocketsphinxModel(
  options: PocketsphinxModelOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): PocketsphinxModelPaths {
  const modelDir =
    options.modelDir ?? nonEmpty(env.VOICELIVE_POCKETSPHINX_MODEL_DIR) ?? findDebianModelDir();
  const paths: PocketsphinxModelPaths = {
    hmmDir: options.hmmDir ?? join(modelDir ?? DEBIAN_MODEL_DIR, 'en-us'),
    languageModelPath: options.languageModelPath ?? join(modelDir ?? DEBIAN_MODEL_DIR, 'en-us.lm.bin'),
    dictionaryPath: options.dictionaryPath ?? join(modelDir ?? DEBIAN_MODEL_DIR, 'cmudict-en-us.dict'),
  };
  const missing: string[] = [];
  if (!isDirectory(paths.hmmDir)) {
    missing.push(`acoustic model directory ${paths.hmmDir}`);
  } else {
    for (const name of ACOUSTIC_MODEL_FILES) {
      if (!isFile(join(paths.hmmDir, name))) missing.push(join(paths.hmmDir, name));
    }
    if (!isFile(join(paths.hmmDir, 'sendump')) && !isFile(join(paths.hmmDir, 'mixture_weights'))) {
      missing.push(join(paths.hmmDir, 'sendump (or mixture_weights)'));
    }
  }
  if (!isFile(paths.languageModelPath)) missing.push(`language model ${paths.languageModelPath}`);
  if (!isFile(paths.dictionaryPath)) missing.push(`dictionary ${paths.dictionaryPath}`);
  if (missing.length > 0) {
    throw new AsrEngineError(
      `pocketsphinx model not found (missing: ${missing.join(', ')}); ${POCKETSPHINX_INSTALL_HINT}, ` +
        'or point VOICELIVE_POCKETSPHINX_MODEL_DIR at a model directory',
      'engine_unavailable',
    );
  }
  return paths;
}

/** Debian's fixed location, or the directory `dpkg -L pocketsphinx-en-us` lists the LM in. */
function findDebianModelDir(): string | undefined {
  if (isDirectory(DEBIAN_MODEL_DIR)) return DEBIAN_MODEL_DIR;
  const listing = spawnSync('dpkg', ['-L', 'pocketsphinx-en-us'], { encoding: 'utf8' });
  if (listing.status !== 0 || typeof listing.stdout !== 'string') return undefined;
  const lmPath = listing.stdout.split('\n').find((line) => line.endsWith('/en-us.lm.bin'));
  return lmPath === undefined ? undefined : dirname(lmPath);
}

/** Opaque C pointer as koffi 3 returns it; `null` for NULL. */
type Pointer = bigint | null;

/** The subset of the C API the decoder uses, bound and typed. */
export interface PocketsphinxBindings {
  readonly libraryNames: PocketsphinxLibraryNames;
  disableLogging(): void;
  cmdLnInit(args: string[]): Pointer;
  cmdLnFree(config: Pointer): void;
  psArgs(): Pointer;
  psInit(config: Pointer): Pointer;
  psFree(decoder: Pointer): void;
  psGetLogmath(decoder: Pointer): Pointer;
  psStartStream(decoder: Pointer): number;
  psStartUtt(decoder: Pointer): number;
  psProcessRaw(decoder: Pointer, pcm: Int16Array): number;
  psEndUtt(decoder: Pointer): number;
  psGetHyp(decoder: Pointer): string | null;
  psSegIter(decoder: Pointer): Pointer;
  psSegNext(segment: Pointer): Pointer;
  psSegWord(segment: Pointer): string;
  psSegFrames(segment: Pointer): { startFrame: number; endFrame: number };
  psSegProb(segment: Pointer): number;
  psSegFree(segment: Pointer): void;
  logmathExp(logmath: Pointer, logValue: number): number;
}

/**
 * Loads libsphinxbase and libpocketsphinx by soname and binds the functions the decoder needs.
 * Throws AsrEngineError `engine_unavailable` when a library (or a symbol) is missing.
 */
export function loadPocketsphinxLibrary(
  names: PocketsphinxLibraryNames = resolvePocketsphinxLibraryNames(),
): PocketsphinxBindings {
  let sphinxbase: LibraryHandle;
  let pocketsphinx: LibraryHandle;
  try {
    sphinxbase = koffi.load(names.sphinxbase);
  } catch (error) {
    throw unavailable(`cannot load ${names.sphinxbase}`, error);
  }
  try {
    pocketsphinx = koffi.load(names.pocketsphinx);
  } catch (error) {
    throw unavailable(`cannot load ${names.pocketsphinx}`, error);
  }
  try {
    const errSetLogfp = sphinxbase.func('void err_set_logfp(void *stream)');
    const cmdLnInit = sphinxbase.func('void *cmd_ln_init(void *inout, void *defn, int strict, ...)');
    const cmdLnFree = sphinxbase.func('int cmd_ln_free_r(void *config)');
    const logmathExp = sphinxbase.func('double logmath_exp(void *lmath, int logb_p)');
    const psArgs = pocketsphinx.func('void *ps_args()');
    const psInit = pocketsphinx.func('void *ps_init(void *config)');
    const psFree = pocketsphinx.func('int ps_free(void *ps)');
    const psGetLogmath = pocketsphinx.func('void *ps_get_logmath(void *ps)');
    const psStartStream = pocketsphinx.func('int ps_start_stream(void *ps)');
    const psStartUtt = pocketsphinx.func('int ps_start_utt(void *ps)');
    const psProcessRaw = pocketsphinx.func(
      'int ps_process_raw(void *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)',
    );
    const psEndUtt = pocketsphinx.func('int ps_end_utt(void *ps)');
    const psGetHyp = pocketsphinx.func('const char *ps_get_hyp(void *ps, _Out_ int *out_best_score)');
    // 5prealpha: ps_seg_iter takes only the decoder (0.8 also took an out score).
    const psSegIter = pocketsphinx.func('void *ps_seg_iter(void *ps)');
    const psSegNext = pocketsphinx.func('void *ps_seg_next(void *seg)');
    const psSegWord = pocketsphinx.func('const char *ps_seg_word(void *seg)');
    const psSegFrames = pocketsphinx.func('void ps_seg_frames(void *seg, _Out_ int *out_sf, _Out_ int *out_ef)');
    const psSegProb = pocketsphinx.func(
      'int ps_seg_prob(void *seg, _Out_ int *out_ascr, _Out_ int *out_lscr, _Out_ int *out_lback)',
    );
    const psSegFree = pocketsphinx.func('void ps_seg_free(void *seg)');
    return {
      libraryNames: names,
      disableLogging: () => errSetLogfp(null),
      cmdLnInit: (args) => {
        // Variadic: (type, value) pairs terminated by a NULL string. cmd_ln_init copies the strings.
        const variadic: unknown[] = [];
        for (const arg of args) variadic.push('const char *', arg);
        variadic.push('const char *', null);
        return cmdLnInit(null, psArgs(), 1, ...variadic) as Pointer;
      },
      cmdLnFree: (config) => void cmdLnFree(config),
      psArgs: () => psArgs() as Pointer,
      psInit: (config) => psInit(config) as Pointer,
      psFree: (decoder) => void psFree(decoder),
      psGetLogmath: (decoder) => psGetLogmath(decoder) as Pointer,
      psStartStream: (decoder) => psStartStream(decoder) as number,
      psStartUtt: (decoder) => psStartUtt(decoder) as number,
      psProcessRaw: (decoder, pcm) => psProcessRaw(decoder, pcm, pcm.length, 0, 0) as number,
      psEndUtt: (decoder) => psEndUtt(decoder) as number,
      psGetHyp: (decoder) => psGetHyp(decoder, [0]) as string | null,
      psSegIter: (decoder) => psSegIter(decoder) as Pointer,
      psSegNext: (segment) => psSegNext(segment) as Pointer,
      psSegWord: (segment) => psSegWord(segment) as string,
      psSegFrames: (segment) => {
        const start = [0];
        const end = [0];
        psSegFrames(segment, start, end);
        return { startFrame: start[0] ?? 0, endFrame: end[0] ?? 0 };
      },
      psSegProb: (segment) => psSegProb(segment, [0], [0], [0]) as number,
      psSegFree: (segment) => void psSegFree(segment),
      logmathExp: (logmath, logValue) => logmathExp(logmath, logValue) as number,
    };
  } catch (error) {
    throw unavailable(`${names.pocketsphinx} / ${names.sphinxbase} lack an expected function (need pocketsphinx 5prealpha)`, error);
  }
}

/**
 * Turns a raw pocketsphinx word into display text: `null` for sentence markers (`<s>`, `</s>`),
 * silence (`<sil>`) and fillers (`[NOISE]`, `++UH++`); alternate pronunciations lose their
 * suffix (`read(2)` → `read`).
 */
export function cleanPocketsphinxWord(rawWord: string): string | null {
  if (rawWord.startsWith('<') || rawWord.startsWith('[') || rawWord.startsWith('++')) return null;
  const word = rawWord.replace(/\(\d+\)$/, '');
  return word === '' ? null : word;
}

/** Cleans a whole hypothesis string word by word (see {@link cleanPocketsphinxWord}). */
export function cleanPocketsphinxText(rawText: string | null): string {
  if (rawText === null) return '';
  const words: string[] = [];
  for (const raw of rawText.split(/\s+/)) {
    const word = raw === '' ? null : cleanPocketsphinxWord(raw);
    if (word !== null) words.push(word);
  }
  return words.join(' ');
}

/** A recognised word with its frame span (inclusive, 10 ms frames from the utterance start). */
export interface PocketsphinxWord {
  text: string;
  startFrame: number;
  endFrame: number;
  /** Posterior probability of the word in the lattice, 0–1. */
  confidence: number;
}

/**
 * One pocketsphinx decoder (~100 MB: acoustic model, LM and dictionary). Decodes one utterance at
 * a time: `startUtterance`, `processRaw`* (with `hypothesis` in between for partials),
 * `endUtterance`, then `hypothesis` and `words` for the final. Not thread-safe; call `free` once.
 */
export class PocketsphinxDecoder {
  private decoder: Pointer;
  private readonly logmath: Pointer;
  private inUtterance = false;

  private constructor(
    private readonly bindings: PocketsphinxBindings,
    decoder: Pointer,
  ) {
    this.decoder = decoder;
    this.logmath = bindings.psGetLogmath(decoder);
  }

  /**
   * Builds a decoder from model files. `extraArgs` are further pocketsphinx command-line options
   * (e.g. `{ '-lw': '8' }`). Throws AsrEngineError `engine_unavailable` if pocketsphinx refuses.
   */
  static create(
    bindings: PocketsphinxBindings,
    model: PocketsphinxModelPaths,
    extraArgs: Readonly<Record<string, string>> = {},
  ): PocketsphinxDecoder {
    const args = ['-hmm', model.hmmDir, '-lm', model.languageModelPath, '-dict', model.dictionaryPath];
    for (const [name, value] of Object.entries(extraArgs)) {
      if (!name.startsWith('-')) throw new AsrEngineError(`pocketsphinx option ${name} must start with '-'`, 'invalid_value');
      args.push(name, value);
    }
    const config = bindings.cmdLnInit(args);
    if (!config) {
      throw new AsrEngineError(`pocketsphinx rejected its options (${args.join(' ')})`, 'engine_unavailable');
    }
    // ps_init keeps its own reference to the config.
    const decoder = bindings.psInit(config);
    bindings.cmdLnFree(config);
    if (!decoder) {
      throw new AsrEngineError(
        `pocketsphinx could not load its model (hmm ${model.hmmDir}, lm ${model.languageModelPath}, ` +
          `dict ${model.dictionaryPath}); set VOICELIVE_POCKETSPHINX_LOG=1 to see its log`,
        'engine_unavailable',
      );
    }
    return new PocketsphinxDecoder(bindings, decoder);
  }

  /** Starts a fresh utterance; frame numbers restart at 0. Ends a previous one if still open. */
  startUtterance(): void {
    if (this.inUtterance) this.endUtterance();
    this.check(this.bindings.psStartStream(this.live()), 'ps_start_stream');
    this.check(this.bindings.psStartUtt(this.live()), 'ps_start_utt');
    this.inUtterance = true;
  }

  /** Feeds 16 kHz mono samples (any length; ~100 ms per call keeps partials fresh). */
  processRaw(pcm: Int16Array): void {
    if (!this.inUtterance) throw new AsrEngineError('processRaw outside an utterance', 'invalid_state');
    if (pcm.length === 0) return;
    this.check(this.bindings.psProcessRaw(this.live(), pcm), 'ps_process_raw');
  }

  /** Finishes the utterance (runs the lattice best path); afterwards hypothesis/words are final. */
  endUtterance(): void {
    if (!this.inUtterance) return;
    this.inUtterance = false;
    this.check(this.bindings.psEndUtt(this.live()), 'ps_end_utt');
  }

  /** Current best hypothesis, cleaned; '' when there is none yet. */
  hypothesis(): string {
    return cleanPocketsphinxText(this.bindings.psGetHyp(this.live()));
  }

  /** Word segmentation of the best hypothesis with fillers and markers dropped. */
  words(): PocketsphinxWord[] {
    const words: PocketsphinxWord[] = [];
    let segment = this.bindings.psSegIter(this.live());
    while (segment) {
      const text = cleanPocketsphinxWord(this.bindings.psSegWord(segment));
      if (text !== null) {
        const { startFrame, endFrame } = this.bindings.psSegFrames(segment);
        const posterior = this.bindings.logmathExp(this.logmath, this.bindings.psSegProb(segment));
        words.push({ text, startFrame, endFrame, confidence: Math.min(1, Math.max(0, posterior)) });
      }
      // ps_seg_next frees the iterator when it returns NULL.
      segment = this.bindings.psSegNext(segment);
    }
    return words;
  }

  /** Releases the decoder's native memory. */
  free(): void {
    if (this.decoder === null) return;
    this.bindings.psFree(this.decoder);
    this.decoder = null;
  }

  private live(): Pointer {
    if (this.decoder === null) throw new AsrEngineError('pocketsphinx decoder already freed', 'invalid_state');
    return this.decoder;
  }

  private check(status: number, functionName: string): void {
    if (status < 0) throw new AsrEngineError(`${functionName} failed (${status})`, 'asr_error');
  }
}

function unavailable(what: string, cause: unknown): AsrEngineError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AsrEngineError(`pocketsphinx is not available: ${what} (${detail}); ${POCKETSPHINX_INSTALL_HINT}`, 'engine_unavailable');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
