/**
 * The connection's unread events: a FIFO that buffers from the moment the socket opens until
 * someone reads, so nothing is lost between `connect()` resolving and the first iteration (or
 * between one loop ending and the next starting). Each event is read once.
 *
 * The buffer is bounded (`maxEvents`); past the bound the oldest unread event is dropped and
 * counted, so a connection used only through listeners does not grow without limit.
 *
 * The queue ends normally (`end`), with an error that is thrown once after the buffered events
 * (`fail`), or at once, discarding what is unread (`discard`, used when the client closes).
 */
export class EventQueue<T> {
  private items: T[] = [];
  private head = 0;
  private readonly readers: { resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void }[] = [];
  private state: 'open' | 'ended' = 'open';
  private error: Error | null = null;
  private dropped = 0;

  constructor(private readonly maxEvents: number) {}

  /** Events dropped because the buffer was full. */
  get droppedCount(): number {
    return this.dropped;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.state === 'ended') return;
    const reader = this.readers.shift();
    if (reader) {
      reader.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.size > this.maxEvents) {
      this.head++;
      this.dropped++;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** No more events; readers get the buffered ones, then `done`. */
  end(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    for (const reader of this.readers.splice(0)) reader.resolve({ value: undefined, done: true });
  }

  /** No more events; readers get the buffered ones, then `error` (once), then `done`. */
  fail(error: Error): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    const first = this.readers.shift();
    if (first) first.reject(error);
    else this.error = error;
    for (const reader of this.readers.splice(0)) reader.resolve({ value: undefined, done: true });
  }

  /** Ends now: unread events are dropped, waiting readers get `done`. */
  discard(): void {
    this.items = [];
    this.head = 0;
    this.error = null;
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head] as T;
      this.items[this.head] = undefined as T;
      this.head++;
      return Promise.resolve({ value, done: false });
    }
    if (this.error) {
      const error = this.error;
      this.error = null;
      return Promise.reject(error);
    }
    if (this.state === 'ended') return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.readers.push({ resolve, reject }));
  }
}
