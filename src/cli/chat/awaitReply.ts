/**
 * Waiting for a reply in file and text modes: whichever comes first of the reply, a failure of the
 * session, the overall timeout, or Ctrl-C.
 */
import { ChatFailure, INTERRUPTED_EXIT_CODE } from './chatFailure.js';
import type { ChatSession } from './chatSession.js';

export interface AwaitReplyOptions {
  session: ChatSession;
  timeoutMs: number;
  /** The failure to report at the timeout (built then, so it can say what was still awaited). */
  onTimeout(): ChatFailure;
  signal?: AbortSignal;
}

export async function awaitReply<T>(reply: Promise<T>, options: AwaitReplyOptions): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(options.onTimeout()), options.timeoutMs);
    onAbort = () => reject(new ChatFailure('interrupted', INTERRUPTED_EXIT_CODE));
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([reply, options.session.failed, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

/** "120 s" / "1.5 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
