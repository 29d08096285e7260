/**
 * Speech recognition through an OpenAI-compatible `POST /audio/transcriptions` endpoint: OpenAI
 * (whisper-1, gpt-4o(-mini)-transcribe), Azure OpenAI deployments, and local whisper servers
 * (speaches / faster-whisper-server, whisper.cpp's server, LocalAI).
 *
 * The endpoint takes a whole file, so a stream buffers its utterance and, at `end()`, posts it as
 * one 16-bit mono WAV; the answer becomes the single final event (no partials). Word timings come
 * from `verbose_json` with `timestamp_granularities[]=word` when the server supports it.
 */
import type OpenAI from 'openai';
import { APIError, toFile } from 'openai';
import { concatPcm16 } from '../../audio/pcm.js';
import { writeWav } from '../../audio/wav.js';
import { EventChannel } from '../../util/eventChannel.js';
import { createOpenAiClient, describeEndpointFailure, EndpointConfigError, endpointHost } from '../openaiEndpoint.js';
import type { OpenAiEndpointOptions } from '../openaiEndpoint.js';
import { AsrEngineError } from './types.js';
import type { AsrCapabilities, AsrEngine, AsrEvent, AsrStream, AsrStreamOptions, AsrWordTiming } from './types.js';

/** What the engine asks the server to answer with. */
export type TranscriptionResponseFormat = 'verbose_json' | 'json' | 'text';

export interface OpenAiTranscriptionAsrEngineOptions extends OpenAiEndpointOptions {
  /** Whole-request deadline from `end()` to the answer, in ms (default 30 000). */
  timeoutMs?: number;
  /** Language (ISO-639-1, or BCP-47 whose primary subtag is used) when the session names none. */
  language?: string;
  /**
   * Default `verbose_json` (with word timestamps), except `json` for OpenAI's `gpt-4o*-transcribe`
   * models, which refuse `verbose_json`. A server that answers `verbose_json` with a 400 naming the
   * format gets the same audio again as `json`, and `json` from then on (no word timings).
   */
  responseFormat?: TranscriptionResponseFormat;
}

/** Rates a stream may be opened at; the WAV carries the rate, the server resamples. */
const SAMPLE_RATES_HZ = [8000, 16_000, 24_000];
const DEFAULT_TIMEOUT_MS = 30_000;
/** Whisper's prompt holds about 224 tokens; the phrase list is cut to roughly that many characters. */
const MAX_PROMPT_LENGTH = 800;

/**
 * ASR engine for an OpenAI-compatible transcription endpoint. Errors reach the consumer through
 * the events iterator as AsrEngineError with the codes of {@link describeEndpointFailure}
 * (`endpoint_unreachable`, `endpoint_timeout`, `endpoint_auth_failed`, `endpoint_not_found`,
 * `endpoint_rate_limited`, `endpoint_rejected_request`, `endpoint_server_error`,
 * `endpoint_bad_response`); the constructor throws code `invalid_config`.
 */
export class OpenAiTranscriptionAsrEngine implements AsrEngine {
  readonly name = 'openai-transcription';
  readonly description: string;
  readonly capabilities: AsrCapabilities;
  private readonly client: OpenAI;
  private readonly host: string;
  private readonly timeoutMs: number;
  private responseFormat: TranscriptionResponseFormat;
  private closed = false;
  private readonly open = new Set<OpenAiTranscriptionStream>();

  constructor(private readonly options: OpenAiTranscriptionAsrEngineOptions) {
    if (!options.model) throw new AsrEngineError('the transcription engine needs a model name', 'invalid_config');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new AsrEngineError(`timeoutMs must be positive, got ${this.timeoutMs}`, 'invalid_config');
    try {
      this.host = endpointHost(options.baseUrl);
      this.client = createOpenAiClient(options, this.timeoutMs);
    } catch (error) {
      if (error instanceof EndpointConfigError) throw new AsrEngineError(`transcription engine: ${error.message}`, 'invalid_config');
      throw error;
    }
    this.responseFormat = options.responseFormat ?? (/^gpt-4o/.test(options.model) ? 'json' : 'verbose_json');
    const where = options.azure ? `Azure OpenAI deployment ${options.azure.deployment ?? options.model}` : `model ${options.model}`;
    this.description = `OpenAI-compatible transcription at ${this.host} (${where}); one request per utterance, no partials`;
    this.capabilities = {
      partials: false,
      wordTimings: this.responseFormat === 'verbose_json',
      sampleRatesHz: SAMPLE_RATES_HZ,
      // The server decides which languages it knows (whisper: about 100); nothing is refused here.
      languages: options.language ? [primaryLanguage(options.language)] : [],
    };
  }

  createStream(options: AsrStreamOptions): AsrStream {
    if (this.closed) throw new AsrEngineError('the transcription engine is closed', 'engine_closed');
    if (!SAMPLE_RATES_HZ.includes(options.sampleRateHz)) {
      throw new AsrEngineError(
        `the transcription engine takes ${SAMPLE_RATES_HZ.join(', ')} Hz audio, got ${options.sampleRateHz} Hz`,
        'unsupported_sample_rate',
      );
    }
    const stream = new OpenAiTranscriptionStream(options, {
      transcribe: (wav, signal) => this.transcribe(wav, options, signal),
      failure: (error, timedOut) => {
        const { code, message } = describeEndpointFailure(error, {
          operation: 'transcription',
          host: this.host,
          apiKey: this.options.apiKey,
          timeoutMs: this.timeoutMs,
          timedOut,
        });
        return new AsrEngineError(message, code);
      },
      timeoutMs: this.timeoutMs,
      done: (s) => this.open.delete(s),
    });
    this.open.add(stream);
    return stream;
  }

  /** Aborts the requests in flight; their streams fail with `engine_closed`. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new AsrEngineError('the transcription engine was closed', 'engine_closed');
    for (const stream of [...this.open]) stream.fail(error);
  }

  private async transcribe(wav: Uint8Array, streamOptions: AsrStreamOptions, signal: AbortSignal): Promise<TranscriptionResult> {
    const format = this.responseFormat;
    try {
      return await this.request(wav, streamOptions, format, signal);
    } catch (error) {
      // Models behind a deployment name (Azure) or a proxy may refuse verbose_json (gpt-4o
      // transcribe models do): fall back to json, for this request and the ones after it.
      if (format !== 'verbose_json' || !refusesVerboseJson(error)) throw error;
      this.responseFormat = 'json';
      this.capabilities.wordTimings = false;
      return await this.request(wav, streamOptions, 'json', signal);
    }
  }

  private async request(
    wav: Uint8Array,
    streamOptions: AsrStreamOptions,
    format: TranscriptionResponseFormat,
    signal: AbortSignal,
  ): Promise<TranscriptionResult> {
    const language = streamOptions.language ?? this.options.language;
    const prompt = promptFromPhrases(streamOptions.phrases);
    const answer: unknown = await this.client.audio.transcriptions.create(
      {
        file: await toFile(wav, 'audio.wav', { type: 'audio/wav' }),
        model: this.options.model,
        response_format: format,
        ...(format === 'verbose_json' ? { timestamp_granularities: ['word' as const] } : {}),
        ...(language ? { language: primaryLanguage(language) } : {}),
        ...(prompt ? { prompt } : {}),
      },
      { signal, timeout: this.timeoutMs },
    );
    return parseTranscription(answer);
  }
}

interface TranscriptionResult {
  text: string;
  words: AsrWordTiming[];
}

interface StreamHost {
  transcribe(wav: Uint8Array, signal: AbortSignal): Promise<TranscriptionResult>;
  failure(error: unknown, timedOut: boolean): AsrEngineError;
  timeoutMs: number;
  done(stream: OpenAiTranscriptionStream): void;
}

type StreamState = 'open' | 'requesting' | 'done';

/** One utterance: buffers PCM until `end()`, then one request. */
class OpenAiTranscriptionStream implements AsrStream {
  readonly events: EventChannel<AsrEvent>;
  private state: StreamState = 'open';
  private readonly chunks: Int16Array[] = [];
  private samplesWritten = 0;
  private readonly controller = new AbortController();

  constructor(
    private readonly options: AsrStreamOptions,
    private readonly host: StreamHost,
  ) {
    this.events = new EventChannel<AsrEvent>(() => this.abort());
  }

  write(pcm: Int16Array): void {
    if (this.state === 'requesting') throw new AsrEngineError('write() after end()', 'invalid_state');
    if (this.state === 'done') return; // aborted: late audio is dropped
    if (pcm.length === 0) return;
    this.chunks.push(pcm.slice());
    this.samplesWritten += pcm.length;
  }

  end(): void {
    if (this.state !== 'open') return;
    this.state = 'requesting';
    const audioDurationMs = (this.samplesWritten * 1000) / this.options.sampleRateHz;
    if (this.samplesWritten === 0) {
      // Nothing to send: whisper would only hallucinate over an empty file.
      this.finish({ type: 'final', text: '', words: [], audioDurationMs });
      return;
    }
    const wav = writeWav({ sampleRateHz: this.options.sampleRateHz, channels: 1, samples: concatPcm16(this.chunks) });
    this.chunks.length = 0;
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      this.controller.abort();
    }, this.host.timeoutMs);
    this.host.transcribe(wav, this.controller.signal).then(
      (result) => {
        clearTimeout(deadline);
        if (this.state !== 'requesting') return;
        this.finish({ type: 'final', text: result.text, words: result.words, audioDurationMs });
      },
      (error: unknown) => {
        clearTimeout(deadline);
        if (this.state !== 'requesting') return; // aborted by the consumer
        this.state = 'done';
        this.host.done(this);
        this.events.fail(this.host.failure(error, timedOut));
      },
    );
  }

  abort(): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.chunks.length = 0;
    this.controller.abort();
    this.host.done(this);
    this.events.close();
  }

  /** Ends the stream with `error` and cancels its request (engine closed). */
  fail(error: AsrEngineError): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.chunks.length = 0;
    this.controller.abort();
    this.host.done(this);
    this.events.fail(error);
  }

  private finish(event: AsrEvent): void {
    this.state = 'done';
    this.host.done(this);
    this.events.push(event);
    this.events.close();
  }
}

/** A 400 that names the response format or timestamp granularities. */
function refusesVerboseJson(error: unknown): boolean {
  return error instanceof APIError && error.status === 400 && /response_format|verbose_json|timestamp_granularit/i.test(error.message);
}

/** "en-US" → "en": whisper and OpenAI take ISO-639-1 codes and refuse BCP-47 tags. */
function primaryLanguage(language: string): string {
  return (language.split(/[-_]/)[0] ?? language).toLowerCase();
}

function promptFromPhrases(phrases: string[] | undefined): string | undefined {
  const cleaned = (phrases ?? []).map((p) => p.trim()).filter((p) => p !== '');
  if (cleaned.length === 0) return undefined;
  let prompt = '';
  for (const phrase of cleaned) {
    const next = prompt === '' ? phrase : `${prompt}, ${phrase}`;
    if (next.length > MAX_PROMPT_LENGTH) break;
    prompt = next;
  }
  return prompt === '' ? undefined : prompt;
}

interface WireWord {
  word?: unknown;
  text?: unknown;
  start?: unknown;
  end?: unknown;
  probability?: unknown;
}

/**
 * Reads what servers answer: `{text, words?, segments?}` (words at the top level as OpenAI and
 * speaches send them, or inside segments as whisper.cpp does), a bare string (`text` format, or a
 * server that ignores `response_format`), or JSON sent as text/plain.
 */
function parseTranscription(answer: unknown): TranscriptionResult {
  let body = answer;
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (!trimmed.startsWith('{')) return { text: trimmed, words: [] };
    try {
      body = JSON.parse(trimmed);
    } catch {
      return { text: trimmed, words: [] };
    }
  }
  if (typeof body !== 'object' || body === null || typeof (body as { text?: unknown }).text !== 'string') {
    throw new Error(`the answer has no "text" field: ${JSON.stringify(body)?.slice(0, 200)}`);
  }
  const record = body as { text: string; words?: unknown; segments?: unknown };
  let wireWords: WireWord[] = Array.isArray(record.words) ? (record.words as WireWord[]) : [];
  if (wireWords.length === 0 && Array.isArray(record.segments)) {
    wireWords = (record.segments as Array<{ words?: unknown }>).flatMap((segment) =>
      Array.isArray(segment?.words) ? (segment.words as WireWord[]) : [],
    );
  }
  const words: AsrWordTiming[] = [];
  for (const word of wireWords) {
    const text = typeof word.word === 'string' ? word.word : typeof word.text === 'string' ? word.text : undefined;
    if (text === undefined || typeof word.start !== 'number' || typeof word.end !== 'number') continue;
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const timing: AsrWordTiming = {
      text: trimmed,
      startMs: word.start * 1000,
      durationMs: Math.max(0, word.end - word.start) * 1000,
    };
    if (typeof word.probability === 'number') timing.confidence = word.probability;
    words.push(timing);
  }
  return { text: record.text.trim(), words };
}
