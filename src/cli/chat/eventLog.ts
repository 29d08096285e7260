/**
 * `--log <file>`: every event sent and received, one JSON object per line:
 * `{"timestamp":"2025-01-01T12:00:00.000Z","direction":"sent","event":{…}}`. Base64 audio is
 * replaced by a note of its size (`"<base64 4800 bytes>"`) so the log stays readable.
 */
import type { WriteStream } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { ChatFailure } from './chatFailure.js';

export type EventDirection = 'sent' | 'received';

/** Fields that carry base64 audio in any event (`input_audio_buffer.append`, `input_audio` content parts). */
const AUDIO_FIELDS = new Set(['audio']);
/** Event types whose `delta` is base64 audio (beta and GA names). */
const AUDIO_DELTA_EVENTS = new Set(['response.audio.delta', 'response.output_audio.delta']);

/** Bytes encoded by a base64 string. */
export function base64ByteLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

function abbreviation(base64: string): string {
  return `<base64 ${base64ByteLength(base64)} bytes>`;
}

function abbreviateValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(abbreviateValue);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = AUDIO_FIELDS.has(key) && typeof field === 'string' ? abbreviation(field) : abbreviateValue(field);
  }
  return copy;
}

/** A copy of `event` with its audio payloads replaced by `<base64 N bytes>`. */
export function abbreviateAudio<T extends { type: string }>(event: T): T {
  const copy = abbreviateValue(event) as Record<string, unknown>;
  if (AUDIO_DELTA_EVENTS.has(event.type) && typeof copy.delta === 'string') copy.delta = abbreviation(copy.delta);
  return copy as T;
}

/** The log line for one event (without the newline). */
export function formatLogLine(direction: EventDirection, event: { type: string }, at: Date): string {
  return JSON.stringify({ timestamp: at.toISOString(), direction, event: abbreviateAudio(event) });
}

export class EventLog {
  private failure: Error | null = null;

  private constructor(
    private readonly stream: WriteStream,
    readonly path: string,
  ) {
    stream.on('error', (error) => (this.failure ??= error));
  }

  /** Creates (or truncates) the log file; throws {@link ChatFailure} when it cannot be opened. */
  static async open(path: string): Promise<EventLog> {
    const stream = createWriteStream(path, { flags: 'w' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    }).catch((error: Error) => {
      throw new ChatFailure(`cannot write --log ${path}: ${error.message}`);
    });
    return new EventLog(stream, path);
  }

  record(direction: EventDirection, event: { type: string }): void {
    if (this.failure || this.stream.writableEnded) return;
    this.stream.write(`${formatLogLine(direction, event, new Date())}\n`);
  }

  /** Flushes and closes the file; rejects with {@link ChatFailure} if writing failed. */
  async close(): Promise<void> {
    if (!this.stream.writableEnded) await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.failure) throw new ChatFailure(`writing --log ${this.path} failed: ${this.failure.message}`);
  }
}
