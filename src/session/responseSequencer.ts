/**
 * One conversation response at a time: a second `response.create` while one runs is refused with
 * `conversation_already_has_active_response` (or cancels it with Azure `cancel_previous`), never
 * fatal. Out-of-band responses (`conversation: "none"`) may run beside it.
 */
import { ProtocolError } from '../protocol/errors.js';
import type { CancelReason, ResponseRunner } from './responseRunner.js';

export class ResponseSequencer {
  private conversationResponse: ResponseRunner | null = null;
  private readonly outOfBand = new Set<ResponseRunner>();

  /** The conversation response in flight, if any. */
  get active(): ResponseRunner | null {
    return this.conversationResponse;
  }

  all(): ResponseRunner[] {
    return [...(this.conversationResponse ? [this.conversationResponse] : []), ...this.outOfBand];
  }

  /**
   * Claims the conversation slot for `runner` synchronously (so back-to-back creates cannot race).
   * Throws when a conversation response is active, unless the runner asked to cancel the previous
   * one; then returns that response so the caller can wait for its `response.done` first.
   */
  admit(runner: ResponseRunner): ResponseRunner | null {
    if (!runner.settings.writesConversation) {
      this.outOfBand.add(runner);
      void runner.whenDone().then(() => this.outOfBand.delete(runner));
      return null;
    }
    const previous = this.conversationResponse;
    if (previous && !runner.settings.cancelPrevious) {
      throw new ProtocolError(
        'conversation_already_has_active_response',
        `Conversation already has an active response in progress: ${previous.id}. Wait until the response is finished before creating a new one.`,
      );
    }
    previous?.cancel('client_cancelled');
    this.conversationResponse = runner;
    void runner.whenDone().then(() => {
      if (this.conversationResponse === runner) this.conversationResponse = null;
    });
    return previous;
  }

  /** Cancels the given response (or the active/any one). False when nothing matched. */
  cancel(responseId: string | undefined, reason: CancelReason): boolean {
    const candidates = this.all().filter((r) => !r.isFinished);
    const target = responseId ? candidates.find((r) => r.id === responseId) : (this.conversationResponse ?? candidates[0]);
    if (!target || target.isFinished) return false;
    target.cancel(reason);
    return true;
  }

  cancelAll(reason: CancelReason): void {
    for (const r of this.all()) r.cancel(reason);
  }
}
