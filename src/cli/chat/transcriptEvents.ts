/**
 * Connects the server's transcript events to the {@link TranscriptPrinter} (stdout) and its errors
 * and warnings to stderr.
 */
import type { ChatSession } from './chatSession.js';
import type { TranscriptPrinter } from './transcriptPrinter.js';

/** Warnings not worth showing: serving the default profile for a model name without one is the normal case on a local server. */
const QUIET_WARNING_CODES = new Set(['model_fallback']);

export interface TranscriptWiring {
  printer: TranscriptPrinter;
  /** Writes a line to stderr. */
  warn(message: string): void;
  /** A note for the end of the assistant line of `responseId`, e.g. "[interrupted]". */
  noteFor?(responseId: string): string | undefined;
}

/** Prints transcripts as they stream; returns a remover. */
export function showTranscripts(session: ChatSession, wiring: TranscriptWiring): () => void {
  const { printer, warn } = wiring;
  return session.onEvent((event) => {
    switch (event.type) {
      case 'conversation.item.input_audio_transcription.completed':
        printer.user(event.transcript);
        break;
      case 'conversation.item.input_audio_transcription.failed':
        warn(`could not transcribe what you said: ${event.error.message}`);
        break;
      case 'response.audio_transcript.delta':
      case 'response.text.delta':
        printer.assistantDelta(event.item_id, event.delta);
        break;
      case 'response.audio_transcript.done':
        printer.assistantDone(event.item_id, event.transcript, wiring.noteFor?.(event.response_id));
        break;
      case 'response.text.done':
        printer.assistantDone(event.item_id, event.text, wiring.noteFor?.(event.response_id));
        break;
      case 'error':
        warn(`server error: ${event.error.message}`);
        break;
      case 'warning':
        if (!QUIET_WARNING_CODES.has(event.warning.code ?? '')) warn(`server warning: ${event.warning.message}`);
        break;
      default:
        break;
    }
  });
}
