/** A raw `ws` client that records every server event, for exact protocol assertions. */
import { WebSocket } from 'ws';

export type WireEvent = Record<string, unknown> & { type: string; event_id?: string };

export class RawClient {
  readonly events: WireEvent[] = [];
  private waiters: { predicate: (e: WireEvent) => boolean; resolve: (e: WireEvent) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  closeInfo: { code: number; reason: string } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const event = JSON.parse(data.toString()) as WireEvent;
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => {
        if (!w.predicate(event)) return true;
        clearTimeout(w.timer);
        w.resolve(event);
        return false;
      });
    });
    socket.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
    });
  }

  static async connect(url: string, options: { headers?: Record<string, string>; protocols?: string[]; maxPayload?: number } = {}): Promise<RawClient> {
    const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers, maxPayload: options.maxPayload ?? 1024 * 1024 });
    const client = new RawClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  send(event: Record<string, unknown> | string): void {
    this.socket.send(typeof event === 'string' ? event : JSON.stringify(event));
  }

  /** Resolves with the first event (already received or future) matching, after index `from`. */
  waitFor(predicate: ((e: WireEvent) => boolean) | string, timeoutMs = 5000, from = 0): Promise<WireEvent> {
    const match = typeof predicate === 'string' ? (e: WireEvent) => e.type === predicate : predicate;
    const existing = this.events.slice(from).find(match);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out waiting for event (${typeof predicate === 'string' ? predicate : 'predicate'}); got: ${this.events.map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      this.waiters.push({ predicate: match, resolve, reject, timer });
    });
  }

  /** Waits for the next event of `type` that arrives after this call. */
  next(type: string, timeoutMs = 5000): Promise<WireEvent> {
    return this.waitFor(type, timeoutMs, this.events.length);
  }

  types(from = 0): string[] {
    return this.events.slice(from).map((e) => e.type);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close(1000);
    });
  }
}
