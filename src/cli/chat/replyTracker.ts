/**
 * When a spoken turn from a file has been answered. The server's VAD finds the turns in the audio
 * (a file may hold several); the reply is complete once all the audio has been sent, the user is
 * not speaking, at least one turn was committed, and a response created after the last commit has
 * finished with nothing else in progress. A response that fails ends the run.
 *
 * The user's transcript may come after the answer (OpenAI realtime models transcribe
 * asynchronously), so each committed turn's transcription result is awaited too; the caller
 * gives it a short grace period ({@link ReplyTracker.answered} without {@link ReplyTracker.complete}).
 */
import type { ServerEvent } from '../../client/index.js';
import { ChatFailure } from './chatFailure.js';

export class ReplyTracker {
  private speaking = false;
  private speechStarts = 0;
  private commits = 0;
  /** Responses created since the last commit, and those of them that finished. */
  private createdSinceCommit = new Set<string>();
  private finishedSinceCommit = 0;
  private readonly active = new Set<string>();
  private inputEnded = false;
  /** Committed turns whose transcription result has not arrived. */
  private readonly untranscribed = new Set<string>();

  /** @param expectTranscripts false when transcription is off (no results will come). */
  constructor(private readonly expectTranscripts = true) {}

  /** Feeds one server event. Throws {@link ChatFailure} for a failed response. */
  observe(event: ServerEvent): void {
    switch (event.type) {
      case 'input_audio_buffer.speech_started':
        this.speaking = true;
        this.speechStarts++;
        break;
      case 'input_audio_buffer.speech_stopped':
        this.speaking = false;
        break;
      case 'input_audio_buffer.committed':
        this.commits++;
        if (this.expectTranscripts) this.untranscribed.add(event.item_id);
        this.createdSinceCommit = new Set();
        this.finishedSinceCommit = 0;
        break;
      case 'conversation.item.input_audio_transcription.completed':
      case 'conversation.item.input_audio_transcription.failed':
        this.untranscribed.delete(event.item_id);
        break;
      case 'response.created':
        this.active.add(event.response.id);
        this.createdSinceCommit.add(event.response.id);
        break;
      case 'response.done': {
        this.active.delete(event.response.id);
        const { status, status_details: details } = event.response;
        if (status === 'failed') {
          const why = details && details.type === 'failed' ? details.error.message : 'no reason given';
          throw new ChatFailure(`the response failed: ${why}`);
        }
        if (this.createdSinceCommit.has(event.response.id) && status !== 'cancelled') this.finishedSinceCommit++;
        break;
      }
      default:
        break;
    }
  }

  /** All of the input has been sent. */
  endInput(): void {
    this.inputEnded = true;
  }

  /** True once the server's VAD heard speech. */
  get heardSpeech(): boolean {
    return this.speechStarts > 0;
  }

  /** The last turn has been answered (its transcript may still be on the way). */
  get answered(): boolean {
    return this.inputEnded && !this.speaking && this.commits > 0 && this.active.size === 0 && this.finishedSinceCommit > 0;
  }

  /** Answered, and every turn's transcription result has arrived. */
  get complete(): boolean {
    return this.answered && this.untranscribed.size === 0;
  }

  /** What is still awaited, for a timeout message. */
  describeWaiting(): string {
    if (!this.inputEnded) return 'sending the input audio';
    if (this.speechStarts === 0) return 'the server to detect speech';
    if (this.speaking) return 'the server to detect the end of speech';
    if (this.commits === 0) return 'the server to commit the turn';
    if (this.active.size > 0) return 'the response to finish';
    return 'a response to the last turn';
  }
}
