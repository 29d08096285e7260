/**
 * Typed commands in live mode: `q` (or `quit`, `exit`) + Enter quits; any other non-empty line is
 * sent to the assistant as a typed message.
 */
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

export interface KeyboardHandlers {
  onQuit(): void;
  onText(text: string): void;
}

const QUIT_WORDS = new Set(['q', 'quit', 'exit']);

/** True for the lines that quit. */
export function isQuitCommand(line: string): boolean {
  return QUIT_WORDS.has(line.trim().toLowerCase());
}

/** Reads lines from `input` until the returned function is called. */
export function watchKeyboard(input: Readable, handlers: KeyboardHandlers): () => void {
  const lines = createInterface({ input, terminal: false });
  lines.on('line', (line) => {
    if (isQuitCommand(line)) handlers.onQuit();
    else if (line.trim().length > 0) handlers.onText(line.trim());
  });
  return () => {
    lines.close();
    // readline resumed stdin; pause it again so it does not keep the process alive.
    input.pause();
  };
}
