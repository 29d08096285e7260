/**
 * The transcript on stdout, one line per turn: `you: <what the user said>` once the user's turn
 * is transcribed, and `assistant: <answer>` streamed word by word as the answer is produced.
 * Scripts rely on this form. Lines never interleave: a user line that arrives while an assistant
 * line is still streaming is printed when that line ends.
 */

export class TranscriptPrinter {
  /** The assistant item whose line is open (streaming), or null. */
  private openItemId: string | null = null;
  private openText = '';
  private readonly deferred: string[] = [];
  private readonly finishedItems = new Set<string>();

  constructor(private readonly write: (text: string) => void) {}

  /** A complete user transcript. */
  user(transcript: string): void {
    this.line(`you: ${oneLine(transcript)}`);
  }

  /** A typed user message (`--text` or a line typed in live mode). */
  typed(text: string): void {
    this.line(`you: ${oneLine(text)}`);
  }

  /** A piece of the assistant's answer for `itemId`. */
  assistantDelta(itemId: string, delta: string): void {
    if (this.finishedItems.has(itemId) || delta.length === 0) return;
    if (this.openItemId !== itemId) {
      this.endOpenLine();
      this.openItemId = itemId;
      this.openText = '';
      this.write('assistant: ');
    }
    const text = oneLine(delta);
    this.openText += text;
    this.write(text);
  }

  /**
   * The assistant's answer for `itemId` is complete. When nothing was streamed, the whole
   * `transcript` is printed; `note` (e.g. "[interrupted]") is appended to the line.
   */
  assistantDone(itemId: string, transcript: string, note?: string): void {
    if (this.finishedItems.has(itemId)) return;
    this.finishedItems.add(itemId);
    if (this.openItemId !== itemId) {
      const suffix = note ? `${transcript ? ' ' : ''}${note}` : '';
      this.line(`assistant: ${oneLine(transcript)}${suffix}`);
      return;
    }
    if (note) this.write(`${this.openText ? ' ' : ''}${note}`);
    this.endOpenLine();
  }

  /** True while an assistant line is streaming. */
  get streaming(): boolean {
    return this.openItemId !== null;
  }

  /** Ends a streaming line (at exit, or before an error message). */
  flush(): void {
    this.endOpenLine();
  }

  private line(text: string): void {
    if (this.openItemId !== null) this.deferred.push(text);
    else this.write(`${text}\n`);
  }

  private endOpenLine(): void {
    if (this.openItemId === null) return;
    this.write('\n');
    this.openItemId = null;
    this.openText = '';
    for (const text of this.deferred.splice(0)) this.write(`${text}\n`);
  }
}

/** Newlines inside a transcript would break the one-line form. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
