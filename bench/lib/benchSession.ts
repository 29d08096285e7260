/**
 * One simulated caller for the latency benchmark: a raw WebSocket session that streams a
 * continuous microphone signal in real time (room noise, then an utterance, then room noise until
 * the reply has been generated, a short pause, the next utterance, …) and timestamps every server
 * event that matters for turn latency.
 *
 * Pacing: the chunk covering stream audio [a, a + d) is sent at wall time t0 + a + d, i.e. the
 * moment a real microphone would have captured it, on drift-free absolute deadlines. Each
 * utterance's last speech sample ends a chunk, so "end of speech" is the send time of that chunk.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { INPUT_SAMPLE_RATE_HZ, roomNoise } from './utterances.js';
import type { Utterance } from './utterances.js';

type WireEvent = Record<string, unknown> & { type: string };

/** Every time below is `performance.now()` in the benchmark process, in ms. */
export interface TurnRecord {
  session: number;
  turn: number;
  utteranceId: string;
  source: Utterance['source'];
  speechMs: number;
  /** Session audio clock (ms of audio sent) at the start / end of the speech. */
  speechStartPos: number;
  speechEndPos: number;
  speechStartSentAt: number;
  /** Wall time the chunk holding the last speech sample was sent: the end of speech. */
  speechEndSentAt: number;
  speechStartedAt?: number;
  speechStoppedAt?: number;
  /** `speech_stopped.audio_end_ms`. */
  audioEndMs?: number;
  /** Wall time the stream reached audio_end_ms + silence_duration_ms (when the VAD could decide). */
  vadDecisionSentAt?: number;
  /** speech_stopped events inside the utterance (the VAD cut it in two or more turns). */
  splits: number;
  itemId?: string;
  committedAt?: number;
  transcriptionAt?: number;
  transcript?: string;
  transcriptionFailed?: boolean;
  userItemCreatedAt?: number;
  responseId?: string;
  responseCreatedAt?: number;
  firstTranscriptDeltaAt?: number;
  firstAudioAt?: number;
  responseDoneAt?: number;
  responseStatus?: string;
  responseAudioMs: number;
  responseText?: string;
  timedOut: boolean;
}

export interface SessionPlan {
  utterances: Utterance[];
  /** Room noise before the first utterance (staggers sessions). */
  startDelayMs: number;
  /** Pause after each reply before the next utterance, drawn per turn. */
  gapMs: () => number;
  chunkMs: number;
  /** Give up on a turn's reply this long after the end of speech. */
  turnTimeoutMs: number;
  signal: AbortSignal;
}

export interface SessionResult {
  turns: TurnRecord[];
  /** Send time minus deadline for every chunk (client pacing health), ms. */
  sendLatenessMs: number[];
  errors: string[];
  /** speech_stopped events outside any utterance (noise turns). */
  strayStops: number;
}

const NOISE_SECONDS = 4;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class BenchSession {
  private readonly events: { at: number; event: WireEvent }[] = [];
  private readonly waiters: { type: string; resolve: (e: WireEvent) => void }[] = [];
  private current: TurnRecord | null = null;
  private readonly turns: TurnRecord[] = [];
  private readonly errors: string[] = [];
  private strayStops = 0;
  private silenceMs = 500;
  private posMs = 0;
  private t0 = 0;
  private readonly sendLog: { endPos: number; at: number }[] = [];
  private readonly lateness: number[] = [];
  private readonly noise: Int16Array;
  private noiseOffset = 0;

  private constructor(
    readonly index: number,
    private readonly socket: WebSocket,
    random: () => number,
  ) {
    this.noise = roomNoise(INPUT_SAMPLE_RATE_HZ * NOISE_SECONDS, random);
    socket.on('message', (data) => this.onMessage(data));
    socket.on('error', (error) => this.errors.push(`socket: ${error.message}`));
  }

  /** Opens the session and configures server VAD (defaults) with transcription. */
  static async open(url: string, index: number, random: () => number): Promise<BenchSession> {
    const socket = new WebSocket(url, { maxPayload: 16 * 1024 * 1024 });
    // Listen before 'open': session.created can arrive in the same read as the upgrade response.
    const session = new BenchSession(index, socket, random);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
    await session.waitFor('session.created', 10_000);
    session.send({
      type: 'session.update',
      session: {
        modalities: ['text', 'audio'],
        input_audio_format: 'pcm16',
        output_audio_format: 'pcm16',
        turn_detection: { type: 'server_vad' },
        input_audio_transcription: { model: 'whisper-1' },
      },
    });
    const updated = await session.waitFor('session.updated', 10_000);
    const td = (updated.session as { turn_detection?: { silence_duration_ms?: number } } | undefined)?.turn_detection;
    if (typeof td?.silence_duration_ms === 'number') session.silenceMs = td.silence_duration_ms;
    return session;
  }

  get silenceDurationMs(): number {
    return this.silenceMs;
  }

  private send(event: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(event));
  }

  private waitFor(type: string, timeoutMs: number): Promise<WireEvent> {
    const existing = this.events.find((e) => e.event.type === type);
    if (existing) return Promise.resolve(existing.event);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`session ${this.index}: no ${type} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        type,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  /** Streams the plan in real time; resolves when every utterance has been answered (or timed out). */
  async run(plan: SessionPlan): Promise<SessionResult> {
    this.t0 = performance.now();
    await this.streamNoise(plan.startDelayMs, plan);
    for (const [turnIndex, utterance] of plan.utterances.entries()) {
      if (plan.signal.aborted) break;
      const turn: TurnRecord = {
        session: this.index,
        turn: turnIndex,
        utteranceId: utterance.id,
        source: utterance.source,
        speechMs: utterance.speechMs,
        speechStartPos: this.posMs,
        speechEndPos: Number.NaN,
        speechStartSentAt: Number.NaN,
        speechEndSentAt: Number.NaN,
        splits: 0,
        responseAudioMs: 0,
        timedOut: false,
      };
      this.turns.push(turn);
      this.current = turn;
      const chunkSamples = Math.round((plan.chunkMs * INPUT_SAMPLE_RATE_HZ) / 1000);
      for (let offset = 0; offset < utterance.pcm.length; offset += chunkSamples) {
        const sentAt = await this.sendAudio(utterance.pcm.subarray(offset, Math.min(utterance.pcm.length, offset + chunkSamples)));
        if (offset === 0) turn.speechStartSentAt = sentAt;
        turn.speechEndSentAt = sentAt;
        if (plan.signal.aborted) return this.result();
      }
      turn.speechEndPos = this.posMs;
      // Room noise until the reply is complete, like a caller listening.
      while (turn.responseDoneAt === undefined && !plan.signal.aborted) {
        if (performance.now() - turn.speechEndSentAt > plan.turnTimeoutMs) {
          turn.timedOut = true;
          break;
        }
        await this.streamNoise(plan.chunkMs, plan);
      }
      await this.streamNoise(plan.gapMs(), plan);
    }
    this.current = null;
    return this.result();
  }

  private result(): SessionResult {
    return { turns: this.turns, sendLatenessMs: this.lateness, errors: this.errors, strayStops: this.strayStops };
  }

  private async streamNoise(durationMs: number, plan: SessionPlan): Promise<void> {
    const endPos = this.posMs + durationMs;
    const chunkSamples = Math.round((plan.chunkMs * INPUT_SAMPLE_RATE_HZ) / 1000);
    while (this.posMs < endPos - 0.01 && !plan.signal.aborted) {
      const samples = Math.min(chunkSamples, Math.round(((endPos - this.posMs) * INPUT_SAMPLE_RATE_HZ) / 1000));
      if (samples <= 0) break;
      if (this.noiseOffset + samples > this.noise.length) this.noiseOffset = 0;
      await this.sendAudio(this.noise.subarray(this.noiseOffset, this.noiseOffset + samples));
      this.noiseOffset += samples;
    }
  }

  /** Sends one chunk at its capture deadline; returns the send time. */
  private async sendAudio(pcm: Int16Array): Promise<number> {
    const durationMs = (pcm.length * 1000) / INPUT_SAMPLE_RATE_HZ;
    const deadline = this.t0 + this.posMs + durationMs;
    const wait = deadline - performance.now();
    if (wait > 0.5) await sleep(wait);
    const audio = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(`{"type":"input_audio_buffer.append","audio":"${audio}"}`);
    const sentAt = performance.now();
    this.lateness.push(sentAt - deadline);
    this.posMs += durationMs;
    this.sendLog.push({ endPos: this.posMs, at: sentAt });
    return sentAt;
  }

  /** Wall time at which the stream had been sent up to audio position `pos`. */
  private sentAtPos(pos: number): number | undefined {
    for (let i = this.sendLog.length - 1; i >= 0; i--) {
      const entry = this.sendLog[i]!;
      const previous = this.sendLog[i - 1];
      if (entry.endPos >= pos - 0.01 && (previous === undefined || previous.endPos < pos - 0.01)) return entry.at;
      if (entry.endPos < pos) return undefined;
    }
    return undefined;
  }

  private onMessage(data: RawData): void {
    const at = performance.now();
    let event: WireEvent;
    try {
      event = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)) as WireEvent;
    } catch {
      this.errors.push('unparseable server frame');
      return;
    }
    if (event.type !== 'response.audio.delta') this.events.push({ at, event });
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.type === event.type) {
        this.waiters.splice(i, 1);
        waiter.resolve(event);
      }
    }
    this.track(at, event);
  }

  private track(at: number, event: WireEvent): void {
    const turn = this.current;
    switch (event.type) {
      case 'error': {
        const error = event.error as { code?: string; message?: string } | undefined;
        this.errors.push(`${error?.code ?? 'error'}: ${error?.message ?? ''}`);
        return;
      }
      case 'input_audio_buffer.speech_started':
        if (turn && turn.speechStartedAt === undefined && Number.isFinite(turn.speechStartSentAt)) turn.speechStartedAt = at;
        return;
      case 'input_audio_buffer.speech_stopped': {
        const audioEndMs = Number(event.audio_end_ms);
        // A stop decided after the end of the speech ends the turn; one decided inside it is a split.
        const decidedAtPos = audioEndMs + this.silenceMs;
        if (turn && turn.speechStoppedAt === undefined && Number.isFinite(turn.speechEndPos) && decidedAtPos >= turn.speechEndPos - 1) {
          turn.speechStoppedAt = at;
          turn.audioEndMs = audioEndMs;
          turn.itemId = String(event.item_id);
          turn.vadDecisionSentAt = this.sentAtPos(decidedAtPos);
        } else if (turn && turn.speechStoppedAt === undefined) {
          turn.splits++;
        } else {
          this.strayStops++;
        }
        return;
      }
      case 'input_audio_buffer.committed':
        if (turn && event.item_id === turn.itemId) turn.committedAt = at;
        return;
      case 'conversation.item.input_audio_transcription.completed':
        if (turn && event.item_id === turn.itemId) {
          turn.transcriptionAt = at;
          turn.transcript = String(event.transcript ?? '');
        }
        return;
      case 'conversation.item.input_audio_transcription.failed':
        if (turn && event.item_id === turn.itemId) {
          turn.transcriptionAt = at;
          turn.transcriptionFailed = true;
        }
        return;
      case 'conversation.item.created':
        if (turn && (event.item as { id?: string } | undefined)?.id === turn.itemId) turn.userItemCreatedAt = at;
        return;
      case 'response.created':
        // The reply to this turn is the first response created once its transcript is in.
        if (turn && turn.transcriptionAt !== undefined && turn.responseId === undefined) {
          turn.responseId = (event.response as { id?: string } | undefined)?.id;
          turn.responseCreatedAt = at;
        }
        return;
      case 'response.audio_transcript.delta':
        if (turn && event.response_id === turn.responseId && turn.firstTranscriptDeltaAt === undefined) turn.firstTranscriptDeltaAt = at;
        return;
      case 'response.audio.delta':
        if (turn && event.response_id === turn.responseId) {
          turn.firstAudioAt ??= at;
          const base64 = String(event.delta ?? '');
          turn.responseAudioMs += ((base64.length * 3) / 4 / 2 / INPUT_SAMPLE_RATE_HZ) * 1000;
        }
        return;
      case 'response.audio_transcript.done':
        if (turn && event.response_id === turn.responseId) turn.responseText = String(event.transcript ?? '');
        return;
      case 'response.done': {
        const response = event.response as { id?: string; status?: string } | undefined;
        if (turn && response?.id === turn.responseId) {
          turn.responseDoneAt = at;
          turn.responseStatus = response?.status;
        }
        return;
      }
      default:
        return;
    }
  }

  /** Closes the socket (1000) and waits for the close, terminating after `timeoutMs`. */
  async close(timeoutMs = 3000): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(1000, 'benchmark done');
    const timer = setTimeout(() => this.socket.terminate(), timeoutMs);
    await closed;
    clearTimeout(timer);
  }
}
