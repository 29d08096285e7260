/**
 * A small typed event emitter for {@link VoiceAgentEvent}s that runs in Node and browsers alike.
 * Listeners run synchronously in emission order; a listener that throws does not stop delivery
 * (its error is rethrown asynchronously, as the client's listeners do).
 */
import { ListenerRegistry } from '../client/listenerRegistry.js';
import { waitForEvent } from '../client/waitForEvent.js';
import type { VoiceAgentEvent, VoiceAgentEventOf, VoiceAgentEventType } from './agentEvents.js';

export interface AgentWaitForOptions<E> {
  /** Only an event for which this returns true resolves the wait. */
  predicate?: (event: E) => boolean;
  /** Rejects with an `Error` after this many ms. */
  timeoutMs?: number;
  /** Rejects with the signal's reason when it aborts. */
  signal?: AbortSignal;
}

export class AgentEventEmitter {
  private readonly listeners = new ListenerRegistry<VoiceAgentEvent>();
  private readonly waiters = new Set<(error: Error) => void>();

  /** Calls `listener` for each event of `type` (`'*'`: every event). Returns a function that removes it. */
  on<T extends VoiceAgentEventType>(type: T, listener: (event: VoiceAgentEventOf<T>) => void): () => void;
  on(type: '*', listener: (event: VoiceAgentEvent) => void): () => void;
  on(type: string, listener: (event: never) => void): () => void {
    return this.listeners.add(type, listener as (event: VoiceAgentEvent) => void);
  }

  /** Like `on`, for the next matching event only. */
  once<T extends VoiceAgentEventType>(type: T, listener: (event: VoiceAgentEventOf<T>) => void): () => void {
    const remove = this.on(type, (event) => {
      remove();
      listener(event);
    });
    return remove;
  }

  /**
   * Resolves with the next event of `type` (after this call) that passes `predicate`. Rejects on
   * timeout, when the signal aborts, or when the agent closes first.
   */
  waitFor<T extends VoiceAgentEventType>(type: T, options: AgentWaitForOptions<VoiceAgentEventOf<T>> = {}): Promise<VoiceAgentEventOf<T>> {
    return waitForEvent(options, {
      subscribe: (listener) => this.on(type, listener),
      watchEnd: (fail) => {
        this.waiters.add(fail);
        return () => this.waiters.delete(fail);
      },
      timeoutError: (timeoutMs) => new Error(`No '${type}' event within ${timeoutMs} ms`),
    });
  }

  protected emit(event: VoiceAgentEvent): void {
    this.listeners.emit(event);
  }

  /** Rejects every pending `waitFor` (the agent closed). */
  protected failWaiters(error: Error): void {
    for (const fail of [...this.waiters]) fail(error);
  }
}
