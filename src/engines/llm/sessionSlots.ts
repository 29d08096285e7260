/**
 * A fixed number of reusable per-session state slots, for engines that keep something expensive per
 * session (a local model's context sequence and its KV cache).
 *
 * - Slots are made on first need, up to `capacity`, and then reused; never destroyed here.
 * - A session keeps its slot between responses, so the next turn reuses its state.
 * - A session without a slot gets a free one; when none is free, the least recently used slot of a
 *   session that is not generating is taken from it (that session just loses its cache and gets a
 *   slot again on its next turn — it is never refused). A slot changing hands is reset first.
 * - When every slot is generating, the request waits (first come, first served) until one is
 *   done, or until its AbortSignal fires (then `acquire` resolves null).
 * - One response at a time per session: a second request of the same session waits for the first.
 * - `release(sessionId)` frees a session's slot (at once when idle, else when its response ends).
 */
export interface SlotFactory<S> {
  /** Makes the state of a new slot. */
  create(): S;
  /** Clears a slot's state before another session uses it (e.g. erases a KV cache). */
  reset(state: S): Promise<void>;
}

export interface Slot<S> {
  readonly state: S;
  readonly sessionId: string;
}

interface Entry<S> {
  state: S;
  owner: string | null;
  busy: boolean;
  lastUsed: number;
  releaseWhenIdle: boolean;
  /** Settles when the last reset of `state` has finished. */
  ready: Promise<void>;
}

export interface SessionSlotStats {
  capacity: number;
  /** Slots made so far. */
  slots: number;
  /** Sessions holding a slot. */
  sessions: number;
  /** Slots generating now. */
  busy: number;
  /** Requests waiting for a slot. */
  waiting: number;
}

export class SessionSlots<S> {
  private readonly entries: Entry<S>[] = [];
  private waiters: Array<() => void> = [];
  private useCounter = 0;

  constructor(
    readonly capacity: number,
    private readonly factory: SlotFactory<S>,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`slot capacity must be a positive integer, got ${capacity}`);
  }

  stats(): SessionSlotStats {
    return {
      capacity: this.capacity,
      slots: this.entries.length,
      sessions: this.entries.filter((e) => e.owner !== null).length,
      busy: this.entries.filter((e) => e.busy).length,
      waiting: this.waiters.length,
    };
  }

  /** The session's slot, marked busy; null when `signal` aborted first. Call `done` after use. */
  async acquire(sessionId: string, signal: AbortSignal): Promise<Slot<S> | null> {
    while (!signal.aborted) {
      const entry = this.tryTake(sessionId);
      if (entry) {
        await entry.ready;
        return { state: entry.state, sessionId };
      }
      await this.nextChange(signal);
    }
    return null;
  }

  /** The response using `slot` ended. */
  done(slot: Slot<S>): void {
    const entry = this.entries.find((e) => e.state === slot.state && e.owner === slot.sessionId);
    if (!entry) return;
    entry.busy = false;
    entry.lastUsed = ++this.useCounter;
    if (entry.releaseWhenIdle) this.free(entry);
    this.wake();
  }

  /** The session ended: free its slot now, or when its running response ends. */
  release(sessionId: string): void {
    const entry = this.entries.find((e) => e.owner === sessionId);
    if (!entry) return;
    if (entry.busy) entry.releaseWhenIdle = true;
    else {
      this.free(entry);
      this.wake();
    }
  }

  private tryTake(sessionId: string): Entry<S> | null {
    const own = this.entries.find((e) => e.owner === sessionId);
    if (own) return own.busy ? null : this.take(own, sessionId);
    const unowned = this.entries.find((e) => e.owner === null && !e.busy);
    if (unowned) return this.take(unowned, sessionId);
    if (this.entries.length < this.capacity) {
      const entry: Entry<S> = { state: this.factory.create(), owner: null, busy: false, lastUsed: 0, releaseWhenIdle: false, ready: Promise.resolve() };
      this.entries.push(entry);
      return this.take(entry, sessionId);
    }
    let victim: Entry<S> | null = null;
    for (const e of this.entries) if (!e.busy && (victim === null || e.lastUsed < victim.lastUsed)) victim = e;
    if (victim === null) return null;
    this.free(victim);
    return this.take(victim, sessionId);
  }

  private take(entry: Entry<S>, sessionId: string): Entry<S> {
    entry.owner = sessionId;
    entry.busy = true;
    entry.releaseWhenIdle = false;
    entry.lastUsed = ++this.useCounter;
    return entry;
  }

  private free(entry: Entry<S>): void {
    entry.owner = null;
    entry.releaseWhenIdle = false;
    const previous = entry.ready;
    entry.ready = previous.then(() => this.factory.reset(entry.state)).catch(() => undefined);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private nextChange(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
