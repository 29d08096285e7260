/**
 * How a one-shot turn (file or text mode) ends its reply: the failure it reports when the reply
 * does not complete in time, and writing the answer's audio to `--output`.
 */
import { formatSeconds } from './awaitReply.js';
import { ChatFailure } from './chatFailure.js';
import type { ChatSession } from './chatSession.js';
import type { ResponseAudio } from './responseAudio.js';
import { writeSessionWav } from './wavFiles.js';

/** The timeout failure: what was still awaited (`waitingFor`), and the last server error if any. */
export function noCompleteReplyFailure(session: ChatSession, timeoutMs: number, waitingFor: string): ChatFailure {
  const lastError = session.lastError ? `; last server error: ${session.lastError}` : '';
  return new ChatFailure(`no complete reply within ${formatSeconds(timeoutMs)} (still waiting for ${waitingFor})${lastError}; raise --timeout or check the server`);
}

/** Writes the answer's audio as a WAV file; a {@link ChatFailure} when the reply had none. */
export async function writeAnswerWav(outputPath: string, answer: ResponseAudio, sampleRateHz: number): Promise<void> {
  const pcm = answer.pcm;
  if (pcm.length === 0) throw new ChatFailure(`the reply had no audio to write to ${outputPath}`);
  await writeSessionWav(outputPath, pcm, sampleRateHz);
}
