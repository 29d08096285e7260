/**
 * A small typed event emitter for {@link VoiceAgentEvent}s that runs in Node and browsers alike.
 * Listeners run synchronously in emission order; a listener that throws does not stop delivery
 * (its error is rethrown asynchronously, as the client's listeners do).
 */
import type { VoiceAgentEvent, VoiceAgentEventOf, VoiceAgentEventType } from './agentEvents.js';

type Listener = (event: VoiceAgentEvent) => void;

export interface AgentWaitForOptions<E> {
  /** Only an event for which this returns true resolves the wait. */
  predicate?: (event: E) => boolean;
  /** Rejects with an `Error` after this many ms. */
  timeoutMs?: number;
  /** Rejects with the signal's reason when it aborts. */
  signal?: AbortSignal;
}

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

export class AgentEventEmitter {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly waiters = new Set<(error: Error) => void>();

  /** Calls `listener` for each event of `type` (`'*'`: every event). Returns a function that removes it. */
  on<T extends VoiceAgentEventType>(type: T, listener: (event: VoiceAgentEventOf<T>) => void): () => void;
  on(type: '*', listener: (event: VoiceAgentEvent) => void): () => void;
  on(type: string, listener: (event: never) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    const entry = listener as Listener;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
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
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cleanup = () => {
        remove();
        this.waiters.delete(fail);
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: Error) => {
        cleanup();
        reject(error);
      };
      const remove = this.on(type, (event) => {
        let matches: boolean;
        try {
          matches = options.predicate ? options.predicate(event) : true;
        } catch (error) {
          fail(error as Error);
          return;
        }
        if (!matches) return;
        cleanup();
        resolve(event);
      });
      const onAbort = () => fail(options.signal?.reason as Error);
      this.waiters.add(fail);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort);
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => fail(new Error(`No '${type}' event within ${options.timeoutMs} ms`)), options.timeoutMs);
      }
    });
  }

  protected emit(event: VoiceAgentEvent): void {
    for (const key of [event.type, '*']) {
      const set = this.listeners.get(key);
      if (!set) continue;
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch (error) {
          rethrowLater(error);
        }
      }
    }
  }

  /** Rejects every pending `waitFor` (the agent closed). */
  protected failWaiters(error: Error): void {
    for (const fail of [...this.waiters]) fail(error);
  }
}
