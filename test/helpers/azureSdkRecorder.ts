/**
 * Drives a voicelive server with the official `@azure/ai-voicelive` SDK and records every server
 * event it delivers (camelCase, as SDK users see them) with its arrival time, plus when each piece
 * of microphone audio was sent, so tests can relate server timestamps to the client's clock.
 */
import { VoiceLiveClient } from '@azure/ai-voicelive';
import type { ClientEventUnion, RequestSession, VoiceLiveSession } from '@azure/ai-voicelive';
import { AzureKeyCredential } from '@azure/core-auth';

/** A server event as the SDK delivered it, with `atMs` = arrival on `performance.now()`'s clock. */
export type SdkEvent = { type: string; atMs: number } & Record<string, unknown>;

/** A stretch of input audio: where it lies on the session's audio clock and when it was sent. */
export interface SentAudio {
  audioStartMs: number;
  audioEndMs: number;
  sentAtMs: number;
}

export interface WaitOptions {
  /** Wait for the n-th match (1-based). Default 1. */
  count?: number;
  timeoutMs?: number;
  /** Only consider events recorded at or after this index. */
  from?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AzureSdkRecorder {
  readonly events: SdkEvent[] = [];
  /** Input audio sent so far, in order (audio clock = ms of audio appended in this session). */
  readonly sent: SentAudio[] = [];
  private audioClockMs = 0;
  private waiters = new Set<() => void>();

  private constructor(readonly session: VoiceLiveSession) {}

  /** Connects with a key (any key when the server has none configured) and waits for `session.created`. */
  static async connect(endpoint: string, options: { key?: string; model?: string } = {}): Promise<AzureSdkRecorder> {
    const client = new VoiceLiveClient(endpoint, new AzureKeyCredential(options.key ?? 'test-key'));
    let recorder: AzureSdkRecorder | null = null;
    const early: SdkEvent[] = [];
    const session = await client.startSession(options.model ?? 'gpt-4o', {
      sessionHandlers: {
        onServerEvent: async (event) => {
          const recorded = { ...(event as unknown as Record<string, unknown>), atMs: performance.now() } as SdkEvent;
          if (recorder) recorder.record(recorded);
          else early.push(recorded);
        },
      },
    });
    recorder = new AzureSdkRecorder(session);
    for (const event of early) recorder.record(event);
    await recorder.waitFor('session.created');
    return recorder;
  }

  private record(event: SdkEvent): void {
    this.events.push(event);
    for (const wake of [...this.waiters]) wake();
  }

  /** Events of one type (or matching a predicate), optionally from an index on. */
  all(match: string | ((e: SdkEvent) => boolean), from = 0): SdkEvent[] {
    const predicate = typeof match === 'string' ? (e: SdkEvent) => e.type === match : match;
    return this.events.slice(from).filter(predicate);
  }

  types(from = 0): string[] {
    return this.events.slice(from).map((e) => e.type);
  }

  /** Resolves with the `count`-th matching event (already recorded or future). */
  waitFor(match: string | ((e: SdkEvent) => boolean), options: WaitOptions = {}): Promise<SdkEvent> {
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.all(match, options.from ?? 0)[count - 1];
        if (!found) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${typeof match === 'string' ? match : 'a matching event'} (#${count}); got: ${this.types().join(', ')}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Sends a client event through the SDK (camelCase, as SDK users write it). */
  async send(event: Record<string, unknown> & { type: string }): Promise<void> {
    await this.session.sendEvent(event as unknown as ClientEventUnion);
  }

  /** `session.update` through the SDK; resolves with the `session.updated` it caused. */
  async update(session: RequestSession): Promise<SdkEvent> {
    const from = this.events.length;
    await this.session.updateSession(session);
    return this.waitFor('session.updated', { from });
  }

  /**
   * Streams audio like a live microphone: `chunkMs` pieces, each sent once it has been "recorded"
   * (piece i at start + (i + 1) × chunkMs on a drift-free schedule); `realTime: false` sends them
   * back to back.
   */
  async streamAudio(bytes: Uint8Array, bytesPerSecond: number, options: { chunkMs?: number; realTime?: boolean } = {}): Promise<void> {
    const chunkMs = options.chunkMs ?? 100;
    const chunkBytes = Math.round((bytesPerSecond * chunkMs) / 1000);
    const startedAt = performance.now();
    for (let offset = 0, index = 0; offset < bytes.length; offset += chunkBytes, index++) {
      if (options.realTime !== false) {
        const due = startedAt + (index + 1) * chunkMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + chunkBytes));
      const durationMs = (chunk.length * 1000) / bytesPerSecond;
      this.sent.push({ audioStartMs: this.audioClockMs, audioEndMs: this.audioClockMs + durationMs, sentAtMs: performance.now() });
      this.audioClockMs += durationMs;
      await this.session.sendAudio(chunk);
    }
  }

  /** Ms of input audio sent so far (the client's view of the session's audio clock). */
  get audioSentMs(): number {
    return this.audioClockMs;
  }

  /**
   * The client's wall-clock time (performance.now) of the audio at session-clock position `audioMs`,
   * as a live microphone would have captured it: the piece holding it was sent when it ended, so the
   * position lies (end − audioMs) before that.
   */
  wallTimeOfAudioMs(audioMs: number): number {
    const piece = this.sent.find((s) => audioMs < s.audioEndMs) ?? this.sent.at(-1);
    if (!piece) throw new Error('no audio was sent');
    return piece.sentAtMs - (piece.audioEndMs - audioMs);
  }

  /** The response audio of one response (all `response.audio.delta` bytes in order). */
  responseAudio(responseId: string): Uint8Array {
    const chunks = this.all((e) => e.type === 'response.audio.delta' && e.responseId === responseId).map((e) => e.delta as Uint8Array);
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  /** The concatenated `response.audio_transcript.delta` text of one response. */
  transcriptDeltas(responseId: string): string {
    return this.all((e) => e.type === 'response.audio_transcript.delta' && e.responseId === responseId)
      .map((e) => e.delta as string)
      .join('');
  }

  /** Waits `ms` and returns the events that arrived meanwhile. */
  async quietFor(ms: number): Promise<SdkEvent[]> {
    const from = this.events.length;
    await sleep(ms);
    return this.events.slice(from);
  }

  async close(): Promise<void> {
    await this.session.disconnect();
  }
}

/** Little-endian PCM16 bytes as samples (copies, so any byte alignment works). */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pcm = new Int16Array(bytes.byteLength >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = view.getInt16(i * 2, true);
  return pcm;
}
