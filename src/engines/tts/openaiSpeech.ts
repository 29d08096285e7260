/**
 * Text-to-speech through an OpenAI-compatible `POST /audio/speech` endpoint: OpenAI (tts-1,
 * tts-1-hd, gpt-4o-mini-tts), Azure OpenAI deployments, and local servers (Kokoro-FastAPI,
 * openedai-speech (Piper/XTTS), LocalAI, speaches).
 *
 * One request per sentence (the session splits text). The response body is decoded as it arrives
 * and each piece goes out as a TtsChunk at once, so the first audio plays before the sentence has
 * downloaded. Formats: `pcm` (raw 16-bit LE mono at `pcmSampleRateHz`, OpenAI: 24 kHz) or `wav`
 * (rate and encoding from the header). A server that answers WAV when asked for PCM (LocalAI does)
 * is recognised by the `RIFF` magic; compressed formats (mp3, opus, …) are refused with a clear error.
 */
import type OpenAI from 'openai';
import { ByteFrameAligner } from '../../audio/byteFrameAligner.js';
import { bytesToPcm16 } from '../../audio/pcm.js';
import { readWav, toMono } from '../../audio/wav.js';
import { createOpenAiClient, describeEndpointFailure, EndpointConfigError, endpointHost } from '../openaiEndpoint.js';
import type { OpenAiEndpointOptions } from '../openaiEndpoint.js';
import { resolveRemoteVoice } from './remoteVoice.js';
import { TtsEngineError } from './types.js';
import type { TtsCapabilities, TtsChunk, TtsEngine, TtsOptions, TtsVoiceInfo } from './types.js';
import type { ResolvedVoice, VoiceInput } from './voiceMap.js';

/** What the engine asks the server to answer with. */
export type SpeechResponseFormat = 'pcm' | 'wav';

export interface OpenAiSpeechTtsEngineOptions extends OpenAiEndpointOptions {
  /**
   * Deadline for the response to start, and for each next piece of the body, in ms (default 30 000).
   * A long sentence may take longer in total as long as audio keeps coming.
   */
  timeoutMs?: number;
  /** Voice names the server offers (default {@link OPENAI_SPEECH_VOICES}); sessions may use only these. */
  voices?: readonly string[];
  /** Default `pcm`. Use `wav` for servers whose raw PCM is not 24 kHz (e.g. Piper voices at 22.05 kHz). */
  responseFormat?: SpeechResponseFormat;
  /** Sample rate of the server's raw `pcm` (default 24 000, as OpenAI and Kokoro send). */
  pcmSampleRateHz?: number;
  /** Sent as `instructions` (voice style for gpt-4o-mini-tts); other servers ignore it. */
  instructions?: string;
}

/** OpenAI's speech voices (all of them work with gpt-4o-mini-tts; tts-1 has a subset). */
export const OPENAI_SPEECH_VOICES: readonly string[] = Object.freeze([
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'fable',
  'nova',
  'onyx',
  'sage',
  'shimmer',
  'verse',
  'marin',
  'cedar',
]);

/** OpenAI's `speed` range. */
export const MIN_SPEECH_SPEED = 0.25;
export const MAX_SPEECH_SPEED = 4;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PCM_SAMPLE_RATE_HZ = 24_000;
/** Content types that are audio but not something this engine decodes. */
const COMPRESSED_TYPES = /mpeg|mp3|ogg|opus|aac|flac|webm|mp4/i;

/**
 * TTS engine for an OpenAI-compatible speech endpoint. `synthesize` throws TtsEngineError with the
 * codes of {@link describeEndpointFailure} (`endpoint_unreachable`, `endpoint_timeout`,
 * `endpoint_auth_failed`, `endpoint_not_found`, `endpoint_rate_limited`,
 * `endpoint_rejected_request`, `endpoint_server_error`, `endpoint_bad_response`), 
 * `endpoint_disconnected` (the body broke off), `invalid_voice` or `engine_closed`; the constructor throws code `invalid_config`.
 */
export class OpenAiSpeechTtsEngine implements TtsEngine {
  readonly name = 'openai-speech';
  readonly description: string;
  readonly capabilities: TtsCapabilities = { incremental: true, wordTimings: false, rateControl: true };
  private readonly client: OpenAI;
  private readonly host: string;
  private readonly timeoutMs: number;
  private readonly voiceNames: readonly string[];
  private readonly responseFormat: SpeechResponseFormat;
  private readonly pcmSampleRateHz: number;
  private readonly label: string;
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(private readonly options: OpenAiSpeechTtsEngineOptions) {
    if (!options.model) throw new TtsEngineError('the speech engine needs a model name', 'invalid_config');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new TtsEngineError(`timeoutMs must be positive, got ${this.timeoutMs}`, 'invalid_config');
    this.voiceNames = [...(options.voices ?? OPENAI_SPEECH_VOICES)];
    if (this.voiceNames.length === 0) throw new TtsEngineError('the speech engine needs at least one voice', 'invalid_config');
    this.responseFormat = options.responseFormat ?? 'pcm';
    if (this.responseFormat !== 'pcm' && this.responseFormat !== 'wav') {
      throw new TtsEngineError(`responseFormat must be "pcm" or "wav", got ${JSON.stringify(this.responseFormat)}`, 'invalid_config');
    }
    this.pcmSampleRateHz = options.pcmSampleRateHz ?? DEFAULT_PCM_SAMPLE_RATE_HZ;
    if (!Number.isInteger(this.pcmSampleRateHz) || this.pcmSampleRateHz < 1000) {
      throw new TtsEngineError(`pcmSampleRateHz must be an integer ≥ 1000, got ${this.pcmSampleRateHz}`, 'invalid_config');
    }
    try {
      this.host = endpointHost(options.baseUrl);
      this.client = createOpenAiClient(options, this.timeoutMs);
    } catch (error) {
      if (error instanceof EndpointConfigError) throw new TtsEngineError(`speech engine: ${error.message}`, 'invalid_config');
      throw error;
    }
    const where = options.azure ? `Azure OpenAI deployment ${options.azure.deployment ?? options.model}` : `model ${options.model}`;
    this.label = `the speech server at ${this.host}`;
    this.description = `OpenAI-compatible speech at ${this.host} (${where}, ${this.responseFormat}); voices ${this.voiceNames.join(', ')}`;
  }

  voices(): TtsVoiceInfo[] {
    return this.voiceNames.map((id) => ({
      id,
      description: `"${id}" from ${this.label}`,
      // What the voice speaks is up to the server (OpenAI's voices speak many languages).
      language: 'mul',
      sampleRateHz: this.pcmSampleRateHz,
    }));
  }

  resolveVoice(voice: VoiceInput, speed: number): ResolvedVoice {
    return resolveRemoteVoice(voice, speed, {
      voices: this.voiceNames,
      engineLabel: this.label,
      minRate: MIN_SPEECH_SPEED,
      maxRate: MAX_SPEECH_SPEED,
    });
  }

  /** Aborts the requests in flight (their syntheses throw `engine_closed`). */
  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.inFlight) controller.abort();
  }

  /**
   * Posts `text` and yields its audio as the body arrives (whole samples, mono). Ends without
   * throwing when `signal` aborts; the HTTP request is cancelled.
   */
  async *synthesize(text: string, options: TtsOptions, signal: AbortSignal): AsyncIterable<TtsChunk> {
    if (this.closed) throw new TtsEngineError('the speech engine is closed', 'engine_closed');
    const voice = this.voiceNames.find((v) => v === options.voice);
    if (voice === undefined) {
      throw new TtsEngineError(`unknown voice "${options.voice}" for ${this.label}; it offers: ${this.voiceNames.join(', ')}`, 'invalid_voice');
    }
    if (signal.aborted || !/\S/.test(text)) return;

    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.inFlight.add(controller);
    let timedOut = false;
    let stallTimer: NodeJS.Timeout | undefined;
    const armStallTimer = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutMs);
    };
    const fail = (error: unknown): TtsEngineError => {
      if (error instanceof TtsEngineError) return error;
      if (this.closed) return new TtsEngineError('the speech engine was closed during synthesis', 'engine_closed');
      const { code, message } = describeEndpointFailure(error, {
        operation: 'speech',
        host: this.host,
        apiKey: this.options.apiKey,
        timeoutMs: this.timeoutMs,
        timedOut,
      });
      return new TtsEngineError(message, code);
    };

    try {
      armStallTimer();
      let response: Response;
      try {
        const speed = clamp(options.rate, MIN_SPEECH_SPEED, MAX_SPEECH_SPEED);
        response = await this.client.audio.speech.create(
          {
            model: this.options.model,
            voice,
            input: text,
            response_format: this.responseFormat,
            // Left out at normal speed: some servers reject the field (and 1 is everyone's default).
            ...(speed !== 1 ? { speed } : {}),
            ...(this.options.instructions ? { instructions: this.options.instructions } : {}),
          },
          { signal: controller.signal, timeout: this.timeoutMs },
        );
      } catch (error) {
        if (signal.aborted) return;
        throw fail(error);
      }
      const badResponse = (error: unknown) =>
        new TtsEngineError(`speech request to ${this.host} failed: ${(error as Error).message ?? String(error)}`, 'endpoint_bad_response');
      const body = response.body;
      if (body === null) throw badResponse(new Error('the response has no body'));
      let decoder: SpeechBodyDecoder;
      try {
        decoder = new SpeechBodyDecoder(this.responseFormat, this.pcmSampleRateHz, response.headers.get('content-type') ?? '');
      } catch (error) {
        throw badResponse(error);
      }
      let receivedBytes = 0;
      try {
        for await (const piece of body as unknown as AsyncIterable<Uint8Array>) {
          armStallTimer();
          receivedBytes += piece.length;
          const chunk = decoder.push(piece);
          if (chunk !== null && chunk.pcm.length > 0) {
            // The deadline is for the server; time the consumer takes with a chunk does not count.
            clearTimeout(stallTimer);
            yield chunk;
            armStallTimer();
          }
          if (signal.aborted) return;
          // Never read on after an abort: Node 20's fetch body iterator can then wait forever when
          // the whole body had already arrived (seen with undici in Node 20.19).
          if (controller.signal.aborted) throw fail(new Error('the request was aborted'));
        }
        const last = decoder.end();
        if (last !== null && last.pcm.length > 0) yield last;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof BodyFormatError) throw badResponse(error);
        if (timedOut || this.closed) throw fail(error);
        throw new TtsEngineError(
          `speech response from ${this.host} broke off after ${receivedBytes} bytes (${(error as Error).message ?? String(error)})`,
          'endpoint_disconnected',
        );
      }
    } finally {
      clearTimeout(stallTimer);
      signal.removeEventListener('abort', onAbort);
      this.inFlight.delete(controller);
      // Stops the download when the consumer stopped early (abort, error, or return()).
      controller.abort();
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : 1;
}

/** The body is not audio this engine can decode. */
class BodyFormatError extends Error {}

/**
 * Turns the body's byte pieces into mono PCM chunks, keeping whole samples across piece boundaries.
 * Chooses raw PCM or WAV from the first bytes (`RIFF`) and the content type.
 */
class SpeechBodyDecoder {
  private mode: 'sniffing' | 'pcm' | 'wav' = 'sniffing';
  private sniffed: Uint8Array = new Uint8Array(0);
  private readonly pcmAligner = new ByteFrameAligner(2);
  private readonly wav = new WavStreamDecoder();

  constructor(
    private readonly requested: SpeechResponseFormat,
    private readonly pcmSampleRateHz: number,
    private readonly contentType: string,
  ) {
    if (COMPRESSED_TYPES.test(contentType) || /json|text\//i.test(contentType)) {
      throw new Error(
        `the server answered with content type "${contentType}", not ${requested === 'pcm' ? 'raw PCM or WAV' : 'WAV'} ` +
          `audio; it must support response_format "${requested}"`,
      );
    }
  }

  push(bytes: Uint8Array): TtsChunk | null {
    try {
      return this.pushUnchecked(bytes);
    } catch (error) {
      throw new BodyFormatError((error as Error).message);
    }
  }

  end(): TtsChunk | null {
    try {
      return this.endUnchecked();
    } catch (error) {
      throw new BodyFormatError((error as Error).message);
    }
  }

  private pushUnchecked(bytes: Uint8Array): TtsChunk | null {
    if (this.mode === 'sniffing') {
      this.sniffed = concat(this.sniffed, bytes);
      if (this.sniffed.length < 4) return null;
      this.choose();
      const pending = this.sniffed;
      this.sniffed = new Uint8Array(0);
      return this.decode(pending);
    }
    return this.decode(bytes);
  }

  private endUnchecked(): TtsChunk | null {
    if (this.mode === 'sniffing') {
      if (this.sniffed.length === 0) return null;
      this.choose();
      return this.decode(this.sniffed);
    }
    if (this.mode === 'wav') this.wav.end();
    return null;
  }

  private choose(): void {
    const riff = String.fromCharCode(...this.sniffed.subarray(0, 4)) === 'RIFF';
    if (riff || this.requested === 'wav' || /wav/i.test(this.contentType)) this.mode = 'wav';
    else this.mode = 'pcm';
  }

  private decode(bytes: Uint8Array): TtsChunk | null {
    if (this.mode === 'pcm') return { pcm: bytesToPcm16(this.pcmAligner.push(bytes)), sampleRateHz: this.pcmSampleRateHz };
    const pcm = this.wav.push(bytes);
    return pcm === null ? null : { pcm, sampleRateHz: this.wav.sampleRateHz };
  }
}

/** Reads a WAV stream: buffers the header up to the `data` chunk, then converts whole frames as they come. */
class WavStreamDecoder {
  sampleRateHz = 0;
  private header: Uint8Array = new Uint8Array(0);
  /** The header up to the data chunk's body, its size field set to "unknown" (see headerFor). */
  private prefix: Uint8Array | null = null;
  private channels = 1;
  private aligner: ByteFrameAligner | null = null;
  private dataBytesLeft = Infinity;

  /** Mono samples decoded from `bytes` (null while the header is incomplete). */
  push(bytes: Uint8Array): Int16Array | null {
    if (this.prefix === null) {
      this.header = concat(this.header, bytes);
      const dataBodyOffset = this.findDataBody();
      if (dataBodyOffset < 0) return null;
      const rest = this.header.subarray(dataBodyOffset);
      this.start(this.header.subarray(0, dataBodyOffset));
      this.header = new Uint8Array(0);
      return this.decodeData(rest);
    }
    return this.decodeData(bytes);
  }

  end(): void {
    if (this.prefix === null) throw new Error('the WAV response ended before its data chunk');
  }

  /** Offset of the data chunk's body in the buffered header, or −1 if it has not arrived yet. */
  private findDataBody(): number {
    const bytes = this.header;
    if (bytes.length >= 12 && (fourCc(bytes, 0) !== 'RIFF' || fourCc(bytes, 8) !== 'WAVE')) {
      throw new Error('the response is not a WAV file (no RIFF/WAVE header)');
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = 12;
    while (offset + 8 <= bytes.length) {
      if (fourCc(bytes, offset) === 'data') return offset + 8;
      const size = view.getUint32(offset + 4, true);
      offset += 8 + size + (size & 1);
    }
    return -1;
  }

  private start(prefix: Uint8Array): void {
    const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
    const declared = view.getUint32(prefix.length - 4, true);
    // Streaming servers write 0 or 0xFFFFFFFF (size unknown when the header was sent): read to the end.
    this.dataBytesLeft = declared === 0 || declared >= 0x7fffffff ? Infinity : declared;
    this.prefix = prefix.slice();
    new DataView(this.prefix.buffer).setUint32(this.prefix.length - 4, 0x7ffffffe, true);
    // readWav validates the fmt chunk; with no data yet it only reports the format.
    const format = readWav(this.prefix);
    this.sampleRateHz = format.sampleRateHz;
    this.channels = format.channels;
    const bytesPerSample = format.sourceEncoding === 'ulaw' || format.sourceEncoding === 'alaw' ? 1 : format.sourceBitsPerSample / 8;
    this.aligner = new ByteFrameAligner(bytesPerSample * format.channels);
  }

  private decodeData(bytes: Uint8Array): Int16Array {
    let data = bytes;
    if (data.length > this.dataBytesLeft) data = data.subarray(0, this.dataBytesLeft);
    this.dataBytesLeft -= data.length;
    const frames = this.aligner!.push(data);
    if (frames.length === 0) return new Int16Array(0);
    // readWav converts any encoding it knows (PCM 8–32 bit, float, G.711) to 16-bit.
    const decoded = readWav(concat(this.prefix!, frames));
    return toMono(decoded.samples, this.channels);
  }
}

function fourCc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset] ?? 0, bytes[offset + 1] ?? 0, bytes[offset + 2] ?? 0, bytes[offset + 3] ?? 0);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
