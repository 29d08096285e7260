/**
 * The promise behind `waitFor` on the connection and the agent: resolves with the next event a
 * subscription delivers that passes `predicate`, and rejects when the predicate throws, the
 * signal aborts (with its reason), `timeoutMs` passes, or the owner ends first. Every outcome
 * removes the listener, the end watcher, the timer and the abort handler.
 */

export interface EventWaitOptions<E> {
  /** Only an event for which this returns true resolves the wait. */
  predicate?: (event: E) => boolean;
  /** Rejects with `timeoutError()` after this many ms. */
  timeoutMs?: number;
  /** Rejects with the signal's reason when it aborts. */
  signal?: AbortSignal;
}

export interface EventWaitHooks<E> {
  /** Starts delivering events to `listener`; returns a function that stops it. */
  subscribe: (listener: (event: E) => void) => () => void;
  /**
   * Arranges for `fail` to be called when the owner ends (closes), later, never synchronously;
   * returns a function that cancels that.
   */
  watchEnd: (fail: (error: unknown) => void) => () => void;
  /** The error a timeout rejects with. */
  timeoutError: (timeoutMs: number) => unknown;
}

export function waitForEvent<E>(options: EventWaitOptions<E>, hooks: EventWaitHooks<E>): Promise<E> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = () => {
      unsubscribe();
      unwatchEnd();
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      cleanup();
      reject(error);
    };
    const unsubscribe = hooks.subscribe((event) => {
      let matches: boolean;
      try {
        matches = options.predicate ? options.predicate(event) : true;
      } catch (error) {
        fail(error);
        return;
      }
      if (!matches) return;
      cleanup();
      resolve(event);
    });
    const unwatchEnd = hooks.watchEnd(fail);
    const onAbort = () => fail(options.signal?.reason);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => fail(hooks.timeoutError(timeoutMs)), timeoutMs);
    }
  });
}
