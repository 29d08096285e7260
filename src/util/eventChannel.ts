/** Single-consumer async queue of events that ends normally (`close`) or with an error (`fail`). */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly readers: Array<{ resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void }> = [];
  private ended = false;
  private error: Error | null = null;

  get isEnded(): boolean {
    return this.ended;
  }

  /** `onReturn` runs when the consumer stops iterating before the end. */
  constructor(private readonly onReturn: () => void) {}

  push(item: T): void {
    if (this.ended) return;
    const reader = this.readers.shift();
    if (reader !== undefined) reader.resolve({ value: item, done: false });
    else this.items.push(item);
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    for (const reader of this.readers.splice(0)) reader.resolve({ value: undefined, done: true });
  }

  fail(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    for (const reader of this.readers.splice(0)) reader.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.error !== null) {
          const error = this.error;
          this.error = null; // reported once
          return Promise.reject(error);
        }
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => this.readers.push({ resolve, reject }));
      },
      return: () => {
        if (!this.ended) this.onReturn();
        this.items.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
