/**
 * Speech input for one session: input audio → 16 kHz → VAD (worker) → turn detector →
 * `speech_started` / `speech_stopped`, streaming transcription of each turn (partials →
 * transcription deltas), the commit (committed → transcription completed → item created, the
 * Azure order for cascaded models) and the automatic response, and barge-in: cancel the running
 * response and truncate the assistant item to what the client can have played.
 */
import type { Logger } from 'pino';
import { pcm16ToFloat32 } from '../audio/pcm.js';
import { StreamingResampler, isResamplerLoaded, resampleOnce } from '../audio/resampler.js';
import type { AsrStream } from '../engines/asr/types.js';
import type { EngineSet } from '../engines/engineSet.js';
import type { VadStream } from '../engines/vad/types.js';
import { ProtocolError } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { SessionConfig, TurnDetection } from '../protocol/session.js';
import type { CommittedAudio } from './inputAudioBuffer.js';
import type { InputAudioListener, RealtimeSession } from './realtimeSession.js';
import { truncateAssistantAudio } from './truncation.js';
import { TurnDetector } from './turnDetector.js';

const asrSampleRateHz = 16_000;
/**
 * How much 16 kHz audio is kept before the point the VAD has reached, so a turn's transcription can
 * start at its prefix padding (at least this much; more when padding + minimum speech need it).
 */
const minHistoryMs = 3000;

interface Turn {
  itemId: string;
  audioStartMs: number;
  asr: AsrStream | null;
  transcript: Promise<TranscriptResult>;
  /** Session-clock position up to which this turn's audio has been written to the ASR stream. */
  asrFedUntilMs: number;
}

type TranscriptResult = { ok: true; text: string } | { ok: false; message: string; code: string };

export class SpeechInput implements InputAudioListener {
  private config: SessionConfig | null = null;
  private turnDetection: TurnDetection | null = null;
  private detector: TurnDetector | null = null;
  private vad: VadStream | null = null;
  private resampler: StreamingResampler | null = null;
  private resamplerInputHz = 0;
  private history: Int16Array[] = [];
  private historySamples = 0;
  /** Session-clock ms at the end of the 16 kHz history. */
  private historyEndMs = 0;
  /**
   * Session-clock ms up to which the VAD has analysed the audio. The turn's transcription is fed
   * from the history in step with the VAD (not as audio arrives), so it gets exactly the turn's
   * audio even when the client sends faster than real time and the VAD lags behind.
   */
  private vadDoneUntilMs = 0;
  /** When (performance.now) recent input audio arrived: session-clock end of each append, oldest first. */
  private arrivals: { clockMs: number; atMs: number }[] = [];
  private vadChain: Promise<void> = Promise.resolve();
  /** Bumped when VAD state is reset, so results from an older chain are ignored. */
  private vadGeneration = 0;
  private turn: Turn | null = null;
  /** The last committed turn's item announcement; the next one waits for it so items keep commit order. */
  private announcing: Promise<void> = Promise.resolve();
  /** Committed turns whose item is not in the conversation yet (transcription running), oldest first. */
  private readonly unannounced: string[] = [];
  /** Automatic responses waiting for their turn's transcription; a newer turn supersedes them. */
  private readonly pendingAutoResponses = new Set<{ superseded: boolean }>();
  private warnedNoVad = false;
  private closed = false;

  constructor(
    private readonly session: RealtimeSession,
    private readonly engines: EngineSet,
    private readonly logger: Logger,
  ) {}

  onConfigChanged(config: SessionConfig): void {
    this.config = config;
    const td = config.turn_detection;
    this.turnDetection = td;
    if (!td) {
      this.stopVad();
      return;
    }
    const detectorConfig = {
      threshold: td.threshold,
      prefixPaddingMs: td.prefix_padding_ms,
      silenceDurationMs: td.silence_duration_ms,
      speechDurationMs: td.speech_duration_ms,
    };
    if (this.detector) {
      this.detector.updateConfig(detectorConfig);
    } else if (this.engines.vad) {
      this.detector = new TurnDetector(detectorConfig);
      this.detector.reset(this.session.input.clockMs);
      this.vadDoneUntilMs = this.session.input.clockMs;
      this.vad = this.engines.vad.createStream();
    }
  }

  onAudio(pcm: Int16Array, sampleRateHz: number, clockMs: number): void {
    if (this.closed) return;
    this.arrivals.push({ clockMs, atMs: performance.now() });
    const audio16k = this.toAsrRate(pcm, sampleRateHz);
    this.remember(audio16k, clockMs);
    if (!this.turnDetection) return;
    if (!this.detector || !this.vad) {
      if (!this.warnedNoVad) {
        this.warnedNoVad = true;
        this.session.emit({
          type: 'warning',
          warning: {
            code: 'engine_unavailable',
            param: 'session.turn_detection',
            message: `Server VAD is unavailable (${this.engines.unavailable.vad ?? 'no VAD engine'}); no turns will be detected. Commit audio with input_audio_buffer.commit or set turn_detection to null.`,
          },
        });
      }
      return;
    }
    const vad = this.vad;
    const detector = this.detector;
    const generation = this.vadGeneration;
    const samples = pcm16ToFloat32(audio16k);
    this.vadChain = this.vadChain
      .then(async () => {
        const probabilities = await vad.process(samples);
        if (generation !== this.vadGeneration || this.closed) return;
        const frameMs = (vad === this.vad ? this.engines.vad!.capabilities.frameSamples : 512) * (1000 / asrSampleRateHz);
        for (const event of detector.push(probabilities, frameMs)) {
          if (event.type === 'speech_started') this.onSpeechStarted(event.audioStartMs, event.speechOnsetMs, event.detectedAtMs);
          else this.onSpeechStopped(event.audioEndMs, event.detectedAtMs);
        }
        this.vadDoneUntilMs = Math.max(this.vadDoneUntilMs, clockMs);
        if (this.turn) this.feedAsr(this.turn, clockMs);
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: String(error) }, 'VAD failed');
        this.session.emit({ type: 'error', error: { type: 'server_error', code: 'vad_error', message: `Voice activity detection failed: ${String(error)}`, param: null, event_id: null } });
      });
  }

  onBufferCleared(): void {
    this.turn?.asr?.abort();
    this.turn = null;
    this.vadGeneration++;
    this.detector?.reset(this.session.input.clockMs);
    this.vadDoneUntilMs = this.session.input.clockMs;
    this.vad?.reset();
  }

  onClientCommit(itemId: string, audio: CommittedAudio): void {
    // A manual commit during a VAD turn takes that turn's stream; otherwise transcribe the audio in one go.
    const turn = this.turn;
    if (turn) {
      this.turn = null;
      this.detector?.reset(this.session.input.clockMs);
      // The commit takes everything appended so far: transcribe it all, including audio the VAD has not reached.
      this.feedAsr(turn, this.session.input.clockMs);
      turn.asr?.end();
      this.finishTurn(itemId, audio, turn.transcript, false);
      return;
    }
    const stream = this.openAsr(itemId);
    stream.asr?.write(this.toAsrRateOnce(audio.pcm, audio.sampleRateHz));
    stream.asr?.end();
    this.finishTurn(itemId, audio, stream.transcript, false);
  }

  close(): void {
    this.closed = true;
    this.turn?.asr?.abort();
    this.stopVad();
    this.resampler?.destroy();
    this.resampler = null;
  }

  private stopVad(): void {
    this.vadGeneration++;
    this.vad?.close();
    this.vad = null;
    this.detector = null;
  }

  private onSpeechStarted(audioStartMs: number, speechOnsetMs: number, detectedAtMs: number): void {
    const itemId = newId('item');
    this.session.input.discardBefore(audioStartMs);
    this.session.emit({ type: 'input_audio_buffer.speech_started', audio_start_ms: Math.round(audioStartMs), item_id: itemId });
    if (this.turnDetection?.interrupt_response) {
      // The user spoke again before the answer to the previous turn began: answer once, after this turn.
      for (const pending of this.pendingAutoResponses) pending.superseded = true;
      this.pendingAutoResponses.clear();
      this.bargeIn(speechOnsetMs);
    }
    const { asr, transcript } = this.openAsr(itemId);
    this.turn = { itemId, audioStartMs, asr, transcript, asrFedUntilMs: audioStartMs };
    this.feedAsr(this.turn, detectedAtMs);
  }

  private onSpeechStopped(audioEndMs: number, detectedAtMs: number): void {
    const turn = this.turn;
    if (!turn) return;
    this.turn = null;
    this.session.emit({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(audioEndMs), item_id: turn.itemId });
    // The transcription covers exactly the committed audio: from the turn's start to the commit point.
    this.feedAsr(turn, detectedAtMs);
    turn.asr?.end();
    const audio = this.session.input.commitUntil(detectedAtMs);
    this.finishTurn(turn.itemId, audio, turn.transcript, this.turnDetection?.create_response ?? false);
  }

  /**
   * committed → transcription completed/failed → item created → [response]. Turns are announced in
   * commit order even when a later turn's transcription finishes first.
   */
  private finishTurn(itemId: string, audio: CommittedAudio, transcript: Promise<TranscriptResult>, createResponse: boolean): void {
    // The item will follow the turns still being transcribed, if any.
    const previousItemId = this.unannounced.at(-1) ?? this.session.conversation.lastItemId();
    this.session.emit({ type: 'input_audio_buffer.committed', previous_item_id: previousItemId, item_id: itemId });
    this.unannounced.push(itemId);
    const work = Promise.all([transcript, this.announcing]).then(([result]) => {
      this.unannounced.splice(this.unannounced.indexOf(itemId), 1);
      if (this.closed) return;
      if (result.ok) {
        this.session.emit({
          type: 'conversation.item.input_audio_transcription.completed',
          item_id: itemId,
          content_index: 0,
          transcript: result.text,
          logprobs: null,
          usage: { type: 'duration', seconds: Math.round((audio.audioEndMs - audio.audioStartMs) / 10) / 100 },
        });
      } else {
        this.session.emit({
          type: 'conversation.item.input_audio_transcription.failed',
          item_id: itemId,
          content_index: 0,
          error: { type: 'server_error', code: result.code, message: result.message, param: null },
        });
      }
      this.session.insertUserAudioItem(itemId, audio, result.ok ? result.text : null);
    });
    this.announcing = work.catch(() => undefined);
    this.session.conversation.addPending(work);
    if (createResponse) {
      const pending = { superseded: false };
      this.pendingAutoResponses.add(pending);
      void work.then(() => {
        this.pendingAutoResponses.delete(pending);
        if (this.closed || pending.superseded) return;
        try {
          this.session.createResponse({});
        } catch (error) {
          if (error instanceof ProtocolError) this.session.emitError(error, null);
          else throw error;
        }
      });
    }
  }

  /** Opens a transcription stream for a turn; its promise always settles (failure is a result). */
  private openAsr(itemId: string): { asr: AsrStream | null; transcript: Promise<TranscriptResult> } {
    const engine = this.engines.asr;
    if (!engine) {
      const message = `Transcription is unavailable: ${this.engines.unavailable.asr ?? 'no ASR engine is configured'}`;
      return { asr: null, transcript: Promise.resolve({ ok: false, code: 'engine_unavailable', message }) };
    }
    let asr: AsrStream;
    try {
      asr = engine.createStream({ sampleRateHz: asrSampleRateHz, language: this.config?.input_audio_transcription?.language, phrases: this.config?.input_audio_transcription?.phrase_list });
    } catch (error) {
      return { asr: null, transcript: Promise.resolve({ ok: false, code: (error as { code?: string }).code ?? 'asr_error', message: String((error as Error).message ?? error) }) };
    }
    const transcript = (async (): Promise<TranscriptResult> => {
      let emitted = '';
      try {
        for await (const event of asr.events) {
          if (this.closed) break;
          if (event.type === 'partial') {
            // Deltas only ever append: emit the new tail when the hypothesis extends what was sent.
            if (event.text.startsWith(emitted) && event.text.length > emitted.length) {
              const delta = event.text.slice(emitted.length);
              emitted = event.text;
              this.session.emit({ type: 'conversation.item.input_audio_transcription.delta', item_id: itemId, content_index: 0, delta, logprobs: null });
            }
          } else {
            return { ok: true, text: event.text };
          }
        }
        return { ok: false, code: 'asr_error', message: 'Transcription ended without a result.' };
      } catch (error) {
        return { ok: false, code: (error as { code?: string }).code ?? 'asr_error', message: `Transcription failed: ${(error as Error).message ?? String(error)}` };
      }
    })();
    return { asr, transcript };
  }

  /**
   * Stops the response and cuts the assistant item to what the client can have played when the user
   * began (real-time playout from the first delta), so the history holds what the user heard. A
   * client that knows better (OpenAI-style `conversation.item.truncate` with what it really played)
   * re-cuts from the original audio, up to its full length.
   */
  private bargeIn(speechOnsetMs: number): void {
    const runner = this.session.lastAudioResponse();
    const running = this.session.cancelActiveResponse('turn_detected');
    const progress = runner?.audioProgress();
    if (!runner || !progress) return;
    // Playback is assumed to run in real time from the first delta; the user began speaking when the
    // onset's audio arrived, which is earlier than now by the VAD's reaction time (and any lag).
    const sinceOnsetMs = Math.max(0, performance.now() - this.arrivalTimeOf(speechOnsetMs));
    const playedMs = Math.max(0, Math.min(progress.audioSentMs, progress.sinceFirstAudioMs - sinceOnsetMs));
    if (playedMs >= progress.audioSentMs) return; // it had all been played: nothing to cut
    const truncate = () => {
      const item = this.session.conversation.get(progress.itemId);
      if (!item) return;
      try {
        const audioEndMs = truncateAssistantAudio(this.session.conversation, item, 0, Math.floor(playedMs));
        this.session.emit({ type: 'conversation.item.truncated', item_id: item.id, content_index: 0, audio_end_ms: audioEndMs });
      } catch (error) {
        this.logger.warn({ err: String(error) }, 'barge-in truncation failed');
      }
    };
    if (running) void running.whenDone().then(truncate);
    else truncate();
  }

  private toAsrRate(pcm: Int16Array, sampleRateHz: number): Int16Array {
    if (sampleRateHz === asrSampleRateHz) return pcm;
    if (!isResamplerLoaded()) return new Int16Array(0);
    if (!this.resampler || this.resamplerInputHz !== sampleRateHz) {
      this.resampler?.destroy();
      this.resampler = new StreamingResampler(sampleRateHz, asrSampleRateHz);
      this.resamplerInputHz = sampleRateHz;
    }
    return this.resampler.process(pcm);
  }

  private toAsrRateOnce(pcm: Int16Array, sampleRateHz: number): Int16Array {
    if (sampleRateHz === asrSampleRateHz || !isResamplerLoaded()) return pcm;
    return resampleOnce(pcm, sampleRateHz, asrSampleRateHz);
  }

  /** Writes the turn's audio from where its ASR stream stopped up to session-clock `untilMs`. */
  private feedAsr(turn: Turn, untilMs: number): void {
    if (untilMs <= turn.asrFedUntilMs) return;
    if (turn.asr) for (const chunk of this.historyBetween(turn.asrFedUntilMs, untilMs)) turn.asr.write(chunk);
    turn.asrFedUntilMs = untilMs;
  }

  private remember(audio16k: Int16Array, clockMs: number): void {
    this.historyEndMs = clockMs;
    // Keep what a turn may still need: back from the point the VAD has reached (it may lag behind
    // the audio received) by the prefix padding plus the minimum speech, with a margin.
    const td = this.turnDetection;
    const keepMs = Math.max(minHistoryMs, (td?.prefix_padding_ms ?? 0) + (td?.speech_duration_ms ?? 0) + 1000);
    const keepFromMs = (td ? Math.min(this.vadDoneUntilMs, clockMs) : clockMs) - keepMs;
    const firstArrivalKept = this.arrivals.findIndex((a) => a.clockMs >= keepFromMs);
    if (firstArrivalKept > 0) this.arrivals.splice(0, firstArrivalKept);
    if (audio16k.length === 0) return;
    this.history.push(audio16k);
    this.historySamples += audio16k.length;
    const maxSamples = Math.max(0, Math.round(((clockMs - keepFromMs) * asrSampleRateHz) / 1000));
    while (this.historySamples - (this.history[0]?.length ?? 0) > maxSamples) this.historySamples -= this.history.shift()!.length;
  }

  /** performance.now() at which the client's audio at session-clock `clockMs` arrived (real-time pace assumed within an append). */
  private arrivalTimeOf(clockMs: number): number {
    const arrival = this.arrivals.find((a) => a.clockMs >= clockMs) ?? this.arrivals.at(-1);
    return arrival ? arrival.atMs - (arrival.clockMs - clockMs) : performance.now();
  }

  /** The 16 kHz history between session-clock positions `startMs` and `endMs` (clamped to what is kept). */
  private historyBetween(startMs: number, endMs: number): Int16Array[] {
    const toIndex = (ms: number) => Math.max(0, Math.min(this.historySamples, this.historySamples - Math.round(((this.historyEndMs - ms) * asrSampleRateHz) / 1000)));
    const from = toIndex(startMs);
    const to = toIndex(endMs);
    const out: Int16Array[] = [];
    let offset = 0;
    for (const chunk of this.history) {
      const end = offset + chunk.length;
      if (end > from && offset < to) out.push(chunk.subarray(Math.max(0, from - offset), Math.min(chunk.length, to - offset)));
      offset = end;
    }
    return out;
  }
}

export function attachSpeechInput(session: RealtimeSession, engines: EngineSet, logger: Logger): void {
  session.attachInputListener(new SpeechInput(session, engines, logger));
}
