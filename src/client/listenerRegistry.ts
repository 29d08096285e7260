/**
 * Typed listeners keyed by event `type` (`'*'`: every event), as the connection and the agent
 * use them. Listeners run synchronously in registration order; one that throws does not stop
 * delivery to the rest (its error is rethrown asynchronously, so it still surfaces).
 */

/** Rethrows `error` from a microtask, outside the caller's stack. */
export function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Calls each listener with `value`, over a snapshot (listeners added or removed meanwhile do not
 * change this round). A listener that throws has its error rethrown asynchronously.
 */
export function callEach<V>(listeners: Iterable<(value: V) => void>, value: V): void {
  for (const listener of [...listeners]) {
    try {
      listener(value);
    } catch (error) {
      rethrowLater(error);
    }
  }
}

export class ListenerRegistry<E extends { type: string }> {
  private readonly byType = new Map<string, Set<(event: E) => void>>();

  /** Adds `listener` for events of `type` (`'*'`: every event). Returns a function that removes it. */
  add(type: string, listener: (event: E) => void): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Delivers `event` to the listeners of its type, then to the `'*'` listeners. */
  emit(event: E): void {
    for (const key of [event.type, '*']) {
      const set = this.byType.get(key);
      if (set) callEach(set, event);
    }
  }
}
