/**
 * Live mode: the microphone streams to the session (raw PCM16 from the recorder process), the
 * server's VAD takes turns, answers play on the speaker, and transcripts print as they stream.
 * When the user starts speaking during an answer (`input_audio_buffer.speech_started`), playback
 * stops at once and `conversation.item.truncate` tells the server how much was heard (spec §8.5).
 * A typed line is sent as a text message; `q` + Enter or Ctrl-C quits.
 */
import type { Readable } from 'node:stream';
import { ByteFrameAligner } from '../../audio/byteFrameAligner.js';
import { decodeAudio } from '../../client/index.js';
import type { AudioDevices } from './audioDevices.js';
import { formatCommand } from './audioDevices.js';
import { AudioProcess } from './audioProcess.js';
import type { ChatFailure } from './chatFailure.js';
import type { ChatSession } from './chatSession.js';
import { watchKeyboard } from './keyboard.js';
import type { Speaker } from './speaker.js';
import { sendTypedTurn } from './textTurn.js';
import type { TranscriptPrinter } from './transcriptPrinter.js';

export interface LiveChatOptions {
  devices: AudioDevices;
  /** Plays answers; null with `--no-audio` (text answers). */
  speaker: Speaker | null;
  printer: TranscriptPrinter;
  /** Writes a line to stderr. */
  info(message: string): void;
  /** For the banner. */
  endpoint: string;
  /** Aborts when the user quits (Ctrl-C). */
  signal: AbortSignal;
  /** Typed commands (stdin). */
  keyboard: Readable;
}

/** Sends the truncations of a barge-in; returns how many were sent. */
export function handleBargeIn(session: ChatSession, speaker: Speaker): number {
  const truncations = speaker.interrupt();
  for (const cut of truncations) {
    session.connection.conversation.item.truncate({ item_id: cut.itemId, content_index: cut.contentIndex, audio_end_ms: cut.audioEndMs });
  }
  return truncations.length;
}

/** Wires the speaker to the session: plays answers, and stops them when the user barges in. Returns a remover. */
export function playAnswers(session: ChatSession, speaker: Speaker): () => void {
  return session.onEvent((event) => {
    switch (event.type) {
      case 'response.created':
        speaker.responseStarted(event.response.id);
        break;
      case 'response.audio.delta':
        speaker.play(event.response_id, event.item_id, event.content_index, decodeAudio(event));
        break;
      case 'response.done':
        speaker.responseEnded(event.response.id);
        break;
      case 'input_audio_buffer.speech_started':
        handleBargeIn(session, speaker);
        break;
      default:
        break;
    }
  });
}

/** Runs until the user quits; rejects with the {@link ChatFailure} that ended the run. */
export async function runLiveChat(session: ChatSession, options: LiveChatOptions): Promise<void> {
  const { devices, speaker, printer } = options;
  if (!devices.recorder) throw new Error('runLiveChat needs a recorder');
  const removers: (() => void)[] = [];
  if (speaker) removers.push(playAnswers(session, speaker));

  const microphone = new AudioProcess('microphone', devices.recorder, (failure: ChatFailure) => session.fail(failure));
  const aligner = new ByteFrameAligner(2);
  microphone.child.stdout?.on('data', (chunk: Buffer) => {
    const whole = aligner.push(chunk);
    if (whole.byteLength > 0 && session.isOpen) session.connection.input_audio_buffer.append(whole);
  });

  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const onAbort = () => quit();
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) quit();
  const stopKeyboard = watchKeyboard(options.keyboard, {
    onQuit: quit,
    onText: (text) => {
      if (!session.isOpen) return;
      printer.typed(text);
      sendTypedTurn(session, text);
    },
  });

  const speakerLine = devices.player && speaker ? `, speaker: ${formatCommand(devices.player)}` : ' (text answers)';
  options.info(`connected to ${options.endpoint} (session ${session.connection.sessionId}); microphone: ${formatCommand(devices.recorder)}${speakerLine}`);
  options.info('speak to talk (headphones avoid the answer interrupting itself); type a message + Enter to send text; q + Enter or Ctrl-C quits');
  try {
    await Promise.race([quitting, session.failed]);
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    stopKeyboard();
    microphone.stop();
    speaker?.close();
    for (const remove of removers) remove();
  }
}
