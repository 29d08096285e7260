/**
 * A scripted ASR engine for tests of the modules above the engines (session, transcription
 * events). Each stream takes the next transcript from a queue, reveals it word by word as
 * partials while audio is written, and emits the whole transcript as the final after `end()`.
 */
import { EventChannel } from '../../util/eventChannel.js';
import { AsrEngineError } from './types.js';
import type {
  AsrCapabilities,
  AsrEngine,
  AsrEvent,
  AsrStream,
  AsrStreamOptions,
  AsrWordTiming,
} from './types.js';

/** What one fake stream will "recognise". */
export interface FakeAsrTranscript {
  text: string;
  /** Word timings of the final; default: the words spread evenly over the audio written. */
  words?: AsrWordTiming[];
  /** Instead of a final, the events iterator throws this after `end()`. */
  error?: AsrEngineError;
}

export interface FakeAsrEngineOptions {
  /** Transcripts for the next streams, in order (more can be added with `enqueue`). */
  transcripts?: Array<string | FakeAsrTranscript>;
  /** Used when the queue is empty (default: an empty transcript). */
  defaultTranscript?: string | FakeAsrTranscript;
  /** Audio it takes to reveal one more word in the partials (default 300). */
  msPerWord?: number;
  /** Delay between `end()` and the final (default 0: the final follows asynchronously at once). */
  finalDelayMs?: number;
  /** Overrides of the advertised capabilities (default: partials, word timings, 16/24 kHz, en). */
  capabilities?: Partial<AsrCapabilities>;
}

/** What a test can inspect about each stream the fake created. */
export interface FakeAsrStreamRecord {
  readonly options: AsrStreamOptions;
  readonly transcript: FakeAsrTranscript;
  samplesWritten: number;
  ended: boolean;
  aborted: boolean;
}

/** Scripted {@link AsrEngine}; see the module comment. */
export class FakeAsrEngine implements AsrEngine {
  readonly name = 'fake';
  readonly description = 'Scripted ASR for tests: replays queued transcripts';
  readonly capabilities: AsrCapabilities;
  /** Every stream created so far, oldest first. */
  readonly streams: FakeAsrStreamRecord[] = [];
  private readonly queue: FakeAsrTranscript[];
  private readonly defaultTranscript: FakeAsrTranscript;
  private readonly msPerWord: number;
  private readonly finalDelayMs: number;
  private closed = false;

  constructor(options: FakeAsrEngineOptions = {}) {
    this.queue = (options.transcripts ?? []).map(toTranscript);
    this.defaultTranscript = toTranscript(options.defaultTranscript ?? '');
    this.msPerWord = options.msPerWord ?? 300;
    this.finalDelayMs = options.finalDelayMs ?? 0;
    this.capabilities = {
      partials: true,
      wordTimings: true,
      sampleRatesHz: [16_000, 24_000],
      languages: ['en'],
      ...options.capabilities,
    };
  }

  /** Adds transcripts for later streams. */
  enqueue(...transcripts: Array<string | FakeAsrTranscript>): void {
    this.queue.push(...transcripts.map(toTranscript));
  }

  createStream(options: AsrStreamOptions): AsrStream {
    if (this.closed) throw new AsrEngineError('the fake ASR engine is closed', 'engine_closed');
    if (!this.capabilities.sampleRatesHz.includes(options.sampleRateHz)) {
      throw new AsrEngineError(`unsupported sample rate ${options.sampleRateHz} Hz`, 'unsupported_sample_rate');
    }
    const record: FakeAsrStreamRecord = {
      options,
      transcript: this.queue.shift() ?? this.defaultTranscript,
      samplesWritten: 0,
      ended: false,
      aborted: false,
    };
    this.streams.push(record);
    return new FakeAsrStream(record, this.msPerWord, this.finalDelayMs);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

class FakeAsrStream implements AsrStream {
  readonly events: AsyncIterable<AsrEvent>;
  private readonly channel: EventChannel<AsrEvent>;
  private readonly words: string[];
  private revealedWords = 0;
  private finalTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly record: FakeAsrStreamRecord,
    private readonly msPerWord: number,
    private readonly finalDelayMs: number,
  ) {
    this.words = record.transcript.text.split(/\s+/).filter((word) => word !== '');
    this.channel = new EventChannel<AsrEvent>(() => this.abort());
    this.events = this.channel;
  }

  write(pcm: Int16Array): void {
    if (this.record.aborted) return;
    if (this.record.ended) throw new AsrEngineError('write() after end()', 'invalid_state');
    this.record.samplesWritten += pcm.length;
    const due = Math.min(this.words.length, Math.floor(this.audioDurationMs() / this.msPerWord));
    if (due > this.revealedWords) {
      this.revealedWords = due;
      this.channel.push({ type: 'partial', text: this.words.slice(0, due).join(' ') });
    }
  }

  end(): void {
    if (this.record.ended || this.record.aborted) return;
    this.record.ended = true;
    this.finalTimer = setTimeout(() => {
      this.finalTimer = null;
      const { transcript } = this.record;
      if (transcript.error !== undefined) {
        this.channel.fail(transcript.error);
        return;
      }
      const audioDurationMs = this.audioDurationMs();
      this.channel.push({
        type: 'final',
        text: this.words.join(' '),
        words: transcript.words ?? this.spreadWords(audioDurationMs),
        audioDurationMs,
      });
      this.channel.close();
    }, this.finalDelayMs);
  }

  abort(): void {
    if (this.record.aborted || this.channel.isEnded) return;
    this.record.aborted = true;
    if (this.finalTimer !== null) clearTimeout(this.finalTimer);
    this.finalTimer = null;
    this.channel.close();
  }

  private audioDurationMs(): number {
    return (this.record.samplesWritten * 1000) / this.record.options.sampleRateHz;
  }

  private spreadWords(audioDurationMs: number): AsrWordTiming[] {
    const durationMs = this.words.length === 0 ? 0 : audioDurationMs / this.words.length;
    return this.words.map((text, index) => ({ text, startMs: index * durationMs, durationMs }));
  }
}

function toTranscript(transcript: string | FakeAsrTranscript): FakeAsrTranscript {
  return typeof transcript === 'string' ? { text: transcript } : transcript;
}
