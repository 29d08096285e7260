/**
 * `voicelive chat`: the quickstart client for a voicelive (or Azure Voice Live) server.
 *
 * - live (default): microphone and speaker through the machine's command-line audio tools, server
 *   VAD turns, barge-in, `q` + Enter quits;
 * - `--input in.wav [--output out.wav]`: one spoken turn from a file, the answer written as WAV;
 * - `--text "…" [--output out.wav]`: one typed turn, the answer written, played or printed.
 *
 * Transcripts go to stdout (`you: …` / `assistant: …`), everything else to stderr. Exit status 0
 * when the run completed, 1 with a one-line `voicelive chat: …` message otherwise, 130 after Ctrl-C
 * in file and text modes.
 */
import type { AudioBackendId } from './chat/audioDevices.js';
import { AUDIO_BACKENDS, detectAudioDevices, isAudioBackendId, missingDeviceMessage, toolNames } from './chat/audioDevices.js';
import { ChatFailure, INTERRUPTED_EXIT_CODE } from './chat/chatFailure.js';
import type { ChatSessionOptions } from './chat/chatSession.js';
import { ChatSession, SESSION_SAMPLE_RATE_HZ, defaultTranscriptionModel } from './chat/chatSession.js';
import { EventLog } from './chat/eventLog.js';
import { runFileTurn } from './chat/fileTurn.js';
import { runLiveChat } from './chat/liveChat.js';
import { Speaker, processPlayer } from './chat/speaker.js';
import { runTextTurn } from './chat/textTurn.js';
import { showTranscripts } from './chat/transcriptEvents.js';
import { TranscriptPrinter } from './chat/transcriptPrinter.js';
import type { SessionAudio } from './chat/wavFiles.js';
import { readWavAsSessionAudio } from './chat/wavFiles.js';

/** The flags as commander parses them. */
export interface ChatFlags {
  endpoint?: string;
  apiKey?: string;
  model?: string;
  voice?: string;
  instructions?: string;
  input?: string;
  output?: string;
  text?: string;
  log?: string;
  /** false with `--no-audio`. */
  audio?: boolean;
  audioTool?: string;
  realtime?: boolean;
  transcriptionModel?: string;
  timeout?: string;
  connectTimeout?: string;
}

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8080';
export const DEFAULT_MODEL = 'gpt-realtime';
const DEFAULT_TIMEOUT_S = 120;
const DEFAULT_CONNECT_TIMEOUT_S = 15;

type Mode = { kind: 'file'; inputPath: string } | { kind: 'text'; text: string } | { kind: 'live' };

/** Validated settings of one run; the connection and session fields as {@link ChatSession.open} takes them. */
export interface ChatSettings
  extends Pick<ChatSessionOptions, 'endpoint' | 'apiKey' | 'model' | 'voice' | 'instructions' | 'transcriptionModel' | 'textOnly' | 'connectTimeoutMs'> {
  mode: Mode;
  outputPath: string | null;
  logPath: string | null;
  audioTool: AudioBackendId | undefined;
  realTime: boolean;
  timeoutMs: number;
}

function seconds(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback * 1000;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new ChatFailure(`${flag} must be a positive number of seconds, got ${JSON.stringify(value)}`);
  return parsed * 1000;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Checks the flags (and the environment for the endpoint and key). Throws {@link ChatFailure}. */
export function resolveChatSettings(flags: ChatFlags, env: NodeJS.ProcessEnv = process.env): ChatSettings {
  if (flags.input !== undefined && flags.text !== undefined) throw new ChatFailure('use either --input or --text, not both');
  if (flags.output !== undefined && flags.input === undefined && flags.text === undefined) {
    throw new ChatFailure('--output needs --input <wav> or --text "…" (live mode plays the answers)');
  }
  const textOnly = flags.audio === false;
  if (textOnly && flags.output !== undefined) throw new ChatFailure('--output writes the spoken answer; it cannot be used with --no-audio');
  if (flags.text !== undefined && flags.text.trim() === '') throw new ChatFailure('--text needs a message');
  if (flags.audioTool !== undefined && !isAudioBackendId(flags.audioTool)) {
    throw new ChatFailure(`--audio-tool must be one of ${AUDIO_BACKENDS.join(', ')}, got ${JSON.stringify(flags.audioTool)}`);
  }
  const model = nonEmpty(flags.model) ?? DEFAULT_MODEL;
  const transcription = nonEmpty(flags.transcriptionModel) ?? defaultTranscriptionModel(model);
  const mode: Mode = flags.input !== undefined ? { kind: 'file', inputPath: flags.input } : flags.text !== undefined ? { kind: 'text', text: flags.text } : { kind: 'live' };
  return {
    endpoint: nonEmpty(flags.endpoint) ?? nonEmpty(env.VOICELIVE_ENDPOINT) ?? nonEmpty(env.AZURE_VOICELIVE_ENDPOINT) ?? DEFAULT_ENDPOINT,
    apiKey: nonEmpty(flags.apiKey) ?? nonEmpty(env.VOICELIVE_API_KEY) ?? nonEmpty(env.AZURE_VOICELIVE_API_KEY),
    model,
    voice: nonEmpty(flags.voice),
    instructions: flags.instructions,
    transcriptionModel: transcription === 'none' ? null : transcription,
    mode,
    outputPath: flags.output ?? null,
    logPath: flags.log ?? null,
    textOnly,
    audioTool: flags.audioTool as AudioBackendId | undefined,
    realTime: flags.realtime === true,
    timeoutMs: seconds(flags.timeout, DEFAULT_TIMEOUT_S, '--timeout'),
    connectTimeoutMs: seconds(flags.connectTimeout, DEFAULT_CONNECT_TIMEOUT_S, '--connect-timeout'),
  };
}

/** The streams a run talks through (replaced in tests). */
export interface ChatIo {
  stdout: (text: string) => void;
  stderr: (line: string) => void;
  stdin: NodeJS.ReadStream;
  signal: AbortSignal;
}

/** Runs one `voicelive chat`; resolves with the exit status. */
export async function runChat(flags: ChatFlags, io: ChatIo): Promise<number> {
  const printer = new TranscriptPrinter(io.stdout);
  const warn = (message: string) => io.stderr(`voicelive chat: ${message}`);
  let log: EventLog | null = null;
  let session: ChatSession | null = null;
  let speaker: Speaker | null = null;
  try {
    const settings = resolveChatSettings(flags);
    // Everything that can fail locally fails before connecting.
    let audio: SessionAudio | null = null;
    if (settings.mode.kind === 'file') audio = await readWavAsSessionAudio(settings.mode.inputPath, SESSION_SAMPLE_RATE_HZ);
    const devices = settings.mode.kind === 'live' || (settings.mode.kind === 'text' && !settings.outputPath && !settings.textOnly)
      ? detectAudioDevices({ backend: settings.audioTool, sampleRateHz: SESSION_SAMPLE_RATE_HZ })
      : null;
    if (settings.mode.kind === 'live' && devices) {
      const missing = { recorder: !devices.recorder, player: !devices.player && !settings.textOnly };
      if (missing.recorder || missing.player) throw new ChatFailure(missingDeviceMessage(missing, settings.audioTool));
    }
    if (settings.logPath) log = await EventLog.open(settings.logPath);

    session = await ChatSession.open({
      endpoint: settings.endpoint,
      apiKey: settings.apiKey,
      model: settings.model,
      voice: settings.voice,
      instructions: settings.instructions,
      transcriptionModel: settings.transcriptionModel,
      textOnly: settings.textOnly,
      log,
      connectTimeoutMs: settings.connectTimeoutMs,
      signal: io.signal,
    });
    const openSession = session;

    if (devices?.player && !settings.textOnly) {
      const player = devices.player;
      // Live mode: a speaker failure ends the run. Text mode: the printed answer is enough.
      let warned = false;
      const onFailure = (failure: ChatFailure) => {
        if (settings.mode.kind === 'live') return openSession.fail(failure);
        if (!warned) warn(`cannot play the answer, printing it only: ${failure.message}`);
        warned = true;
      };
      speaker = new Speaker(() => processPlayer(player, onFailure), { sampleRateHz: SESSION_SAMPLE_RATE_HZ });
    } else if (settings.mode.kind === 'text' && !settings.outputPath && !settings.textOnly) {
      warn(`no audio player found in PATH (${toolNames('player', settings.audioTool)}); printing the answer only`);
    }
    const activeSpeaker = speaker;
    showTranscripts(session, {
      printer,
      warn,
      noteFor: (responseId) => (activeSpeaker?.tracker.isInterrupted(responseId) ? '[interrupted]' : undefined),
    });

    switch (settings.mode.kind) {
      case 'file':
        await runFileTurn(session, {
          inputPath: settings.mode.inputPath,
          audio: audio as SessionAudio,
          outputPath: settings.outputPath,
          realTime: settings.realTime,
          timeoutMs: settings.timeoutMs,
          expectTranscripts: settings.transcriptionModel !== null,
          warn,
          signal: io.signal,
        });
        break;
      case 'text':
        await runTextTurn(session, {
          text: settings.mode.text,
          outputPath: settings.outputPath,
          sampleRateHz: SESSION_SAMPLE_RATE_HZ,
          speaker,
          printer,
          timeoutMs: settings.timeoutMs,
          signal: io.signal,
        });
        break;
      case 'live':
        await runLiveChat(session, {
          devices: devices ?? { recorder: null, player: null },
          speaker,
          printer,
          info: (message) => io.stderr(message),
          endpoint: settings.endpoint,
          signal: io.signal,
          keyboard: io.stdin,
        });
        break;
    }
    printer.flush();
    await session.close();
    session = null;
    await log?.close();
    log = null;
    return 0;
  } catch (error) {
    printer.flush();
    const failure = error instanceof ChatFailure ? error : interruptedOr(error, io.signal);
    warn(failure.message);
    return failure.exitCode;
  } finally {
    speaker?.close();
    await session?.close().catch(() => undefined);
    await log?.close().catch(() => undefined);
  }
}

function interruptedOr(error: unknown, signal: AbortSignal): ChatFailure {
  if (signal.aborted) return new ChatFailure('interrupted', INTERRUPTED_EXIT_CODE);
  return new ChatFailure(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}

/** The command as `voicelive chat` runs it: real stdio, Ctrl-C handling, and the exit status. */
export async function chatCommand(flags: ChatFlags): Promise<number> {
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(INTERRUPTED_EXIT_CODE);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    return await runChat(flags, {
      stdout: (text) => process.stdout.write(text),
      stderr: (line) => process.stderr.write(`${line}\n`),
      stdin: process.stdin,
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
