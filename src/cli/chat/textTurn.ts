/**
 * `--text "…"`: one typed turn. The message becomes a user item, a response is asked for, and the
 * answer is printed as it streams; its audio is written to `--output`, or played when a speaker
 * is available (otherwise the printed transcript is the answer).
 */
import { decodeAudio } from '../../client/index.js';
import { awaitReply } from './awaitReply.js';
import { ChatFailure } from './chatFailure.js';
import type { ChatSession } from './chatSession.js';
import { ResponseAudio } from './responseAudio.js';
import type { Speaker } from './speaker.js';
import type { TranscriptPrinter } from './transcriptPrinter.js';
import { noCompleteReplyFailure, writeAnswerWav } from './turnReply.js';

export interface TextTurnOptions {
  text: string;
  outputPath: string | null;
  sampleRateHz: number;
  /** Plays the answer when given (and `outputPath` is not). */
  speaker: Speaker | null;
  printer: TranscriptPrinter;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Sends a typed user message and asks for a response (also used for lines typed in live mode). */
export function sendTypedTurn(session: ChatSession, text: string): void {
  session.connection.conversation.item.create({ item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
  session.connection.response.create();
}

/** Runs the turn; resolves once the answer is complete (and written or played). Throws {@link ChatFailure}. */
export async function runTextTurn(session: ChatSession, options: TextTurnOptions): Promise<void> {
  const answer = new ResponseAudio();
  let responseId: string | null = null;
  let settle!: { resolve: () => void; reject: (failure: ChatFailure) => void };
  const reply = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  reply.catch(() => undefined);
  const removeHandler = session.onEvent((event) => {
    answer.observe(event);
    if (event.type === 'response.created' && responseId === null) {
      responseId = event.response.id;
      options.speaker?.responseStarted(responseId);
    } else if (event.type === 'response.audio.delta' && event.response_id === responseId && options.speaker && !options.outputPath) {
      options.speaker.play(event.response_id, event.item_id, event.content_index, decodeAudio(event));
    } else if (event.type === 'response.done' && event.response.id === responseId) {
      options.speaker?.responseEnded(responseId);
      const { status, status_details: details } = event.response;
      if (status === 'failed') settle.reject(new ChatFailure(`the response failed: ${details && details.type === 'failed' ? details.error.message : 'no reason given'}`));
      else if (status === 'cancelled') settle.reject(new ChatFailure('the response was cancelled'));
      else settle.resolve();
    }
  });
  try {
    options.printer.typed(options.text);
    sendTypedTurn(session, options.text);
    await awaitReply(reply, {
      session,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onTimeout: () => noCompleteReplyFailure(session, options.timeoutMs, responseId === null ? 'the response to start' : 'the response to finish'),
    });
  } finally {
    removeHandler();
  }
  if (options.outputPath) {
    await writeAnswerWav(options.outputPath, answer, options.sampleRateHz);
  } else if (options.speaker) {
    await options.speaker.finish();
  }
}
