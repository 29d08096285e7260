/**
 * File mode (`--input in.wav [--output out.wav]`): streams the file to the session as a
 * microphone would, then 1 s of silence so the server's VAD sees the turn end, and keeps sending
 * silence (in real time, like an open microphone) until the reply is complete. Turns are found by
 * the server's VAD, as in live mode. The assistant's audio is written to `--output` once every
 * response is done.
 *
 * Pace: by default the file goes as fast as the connection takes it (voicelive and Azure run VAD on
 * the audio's own clock, so turns come out the same); `--realtime` sends it at real-time pace.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pcm16ToBytes } from '../../audio/pcm.js';
import { awaitReply, formatSeconds } from './awaitReply.js';
import { ChatFailure } from './chatFailure.js';
import type { ChatSession } from './chatSession.js';
import { ReplyTracker } from './replyTracker.js';
import { ResponseAudio } from './responseAudio.js';
import { noCompleteReplyFailure, writeAnswerWav } from './turnReply.js';
import type { SessionAudio } from './wavFiles.js';

/** Audio per `input_audio_buffer.append`. */
const CHUNK_MS = 100;
/** Silence after the file, so that the server's VAD ends the turn. */
const TRAILING_SILENCE_MS = 1000;
/** Unsent bytes above which fast streaming waits for the socket to drain. */
const MAX_BUFFERED_BYTES = 512 * 1024;
/** How long after the input the server may take to report speech, at least. */
const MIN_SPEECH_WAIT_MS = 5000;
/** How long a transcript of the user's turn is awaited once the answer is complete. */
const TRANSCRIPT_GRACE_MS = 3000;

export interface FileTurnOptions {
  inputPath: string;
  audio: SessionAudio;
  outputPath: string | null;
  realTime: boolean;
  timeoutMs: number;
  /** False when transcription is off: no `you:` line is awaited. */
  expectTranscripts: boolean;
  /** Writes a line to stderr. */
  warn(message: string): void;
  signal?: AbortSignal;
}

/** Sends `pcm` in {@link CHUNK_MS} appends, paced to real time or to the socket. Stops early when `stopped()` turns true. */
async function streamPcm(session: ChatSession, pcm: Int16Array, sampleRateHz: number, realTime: boolean, stopped: () => boolean): Promise<void> {
  const bytes = pcm16ToBytes(pcm);
  const chunkBytes = Math.round((sampleRateHz * CHUNK_MS) / 1000) * 2;
  const startedAt = performance.now();
  for (let offset = 0, index = 0; offset < bytes.length; offset += chunkBytes, index++) {
    if (stopped()) return;
    if (realTime) {
      const waitMs = startedAt + index * CHUNK_MS - performance.now();
      if (waitMs > 0) await sleep(waitMs);
    } else {
      while (session.connection.bufferedAmount > MAX_BUFFERED_BYTES && !stopped()) await sleep(5);
      // Let incoming events through between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (stopped()) return;
    session.connection.input_audio_buffer.append(bytes.subarray(offset, Math.min(bytes.length, offset + chunkBytes)));
  }
}

/** Runs the turn; resolves once the reply is complete and written. Throws {@link ChatFailure}. */
export async function runFileTurn(session: ChatSession, options: FileTurnOptions): Promise<void> {
  const { audio } = options;
  const tracker = new ReplyTracker(options.expectTranscripts);
  const answer = new ResponseAudio();
  let finished = false;
  let settle!: { resolve: () => void; reject: (failure: ChatFailure) => void };
  const reply = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  reply.catch(() => undefined);
  let transcriptGraceTimer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    if (tracker.complete) settle.resolve();
    else if (tracker.answered && transcriptGraceTimer === undefined) {
      transcriptGraceTimer = setTimeout(() => {
        options.warn(`no transcript of your turn arrived within ${formatSeconds(TRANSCRIPT_GRACE_MS)} of the answer`);
        settle.resolve();
      }, TRANSCRIPT_GRACE_MS);
    }
  };
  const removeHandler = session.onEvent((event) => {
    answer.observe(event);
    try {
      tracker.observe(event);
    } catch (error) {
      settle.reject(error as ChatFailure);
    }
    check();
  });

  const silence = new Int16Array(Math.round((audio.sampleRateHz * CHUNK_MS) / 1000));
  let noSpeechTimer: ReturnType<typeof setTimeout> | undefined;
  const stopped = () => finished || !session.isOpen;
  const streaming = (async () => {
    await streamPcm(session, audio.pcm, audio.sampleRateHz, options.realTime, stopped);
    await streamPcm(session, new Int16Array(Math.round((audio.sampleRateHz * TRAILING_SILENCE_MS) / 1000)), audio.sampleRateHz, options.realTime, stopped);
    tracker.endInput();
    check();
    const speechWaitMs = Math.max(MIN_SPEECH_WAIT_MS, audio.durationMs);
    noSpeechTimer = setTimeout(() => {
      if (!tracker.heardSpeech) {
        settle.reject(new ChatFailure(`no speech detected in ${options.inputPath}: the server's VAD found no turn within ${formatSeconds(speechWaitMs)} of the end of the audio (is it silent or very quiet?)`));
      }
    }, speechWaitMs);
    // An open microphone: silence in real time until the reply is complete.
    while (!stopped()) {
      await sleep(CHUNK_MS);
      if (!stopped()) session.connection.input_audio_buffer.append(silence);
    }
  })();
  streaming.catch((error: unknown) => {
    // A closed connection is reported by the session itself.
    if (session.isOpen) settle.reject(new ChatFailure(`sending audio failed: ${(error as Error).message}`));
  });

  try {
    await awaitReply(reply, {
      session,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onTimeout: () => noCompleteReplyFailure(session, options.timeoutMs, tracker.describeWaiting()),
    });
  } finally {
    finished = true;
    clearTimeout(noSpeechTimer);
    clearTimeout(transcriptGraceTimer);
    removeHandler();
  }
  await streaming.catch(() => undefined);
  if (options.outputPath) await writeAnswerWav(options.outputPath, answer, audio.sampleRateHz);
}
