/**
 * Removes reasoning blocks (`<think>…</think>`, `<thinking>…</thinking>`) from streamed model text,
 * so a reasoning model's chain of thought is never spoken. Tags may be split across deltas
 * ("<thi" + "nk>"); a trailing piece that could still become a tag is held back until the next
 * delta decides it (at most a tag's length, so text is not delayed otherwise).
 *
 * Known limit: some chat templates (e.g. Qwen3 "thinking" variants) put the opening `<think>` in the
 * prompt, so the output starts inside the block and only a closing tag appears. The text before that
 * closing tag cannot be told apart from an answer without holding back everything, which would cost
 * the first-token latency of every reply; the stray closing tag itself is dropped. Configure such
 * servers to split reasoning out (e.g. vLLM `--reasoning-parser`, llama.cpp `--reasoning-format`),
 * which the adapter then ignores.
 */

const openTags = ['<think>', '<thinking>'];
const closeTags = ['</think>', '</thinking>'];

function findFirst(text: string, tags: string[]): { at: number; tag: string } | null {
  const lower = text.toLowerCase();
  let best: { at: number; tag: string } | null = null;
  for (const tag of tags) {
    const at = lower.indexOf(tag);
    if (at >= 0 && (best === null || at < best.at)) best = { at, tag };
  }
  return best;
}

/** Length of the longest suffix of `text` that is a proper prefix of one of `tags`. */
function partialTagSuffix(text: string, tags: string[]): number {
  const lower = text.toLowerCase();
  const longest = Math.max(...tags.map((t) => t.length)) - 1;
  for (let n = Math.min(longest, lower.length); n > 0; n--) {
    const tail = lower.slice(-n);
    if (tags.some((t) => t.startsWith(tail))) return n;
  }
  return 0;
}

export class ThinkTagFilter {
  private inside = false;
  private held = '';
  /** After a block closes, whitespace separating it from the answer is dropped. */
  private trimLeading = false;

  /** True while inside a reasoning block (what arrives is not to be spoken). */
  get thinking(): boolean {
    return this.inside;
  }

  /** Takes a content delta; returns the part to speak (possibly ''). */
  push(delta: string): string {
    let text = this.held + delta;
    this.held = '';
    let out = '';
    while (text.length > 0) {
      if (this.inside) {
        const close = findFirst(text, closeTags);
        if (close) {
          text = text.slice(close.at + close.tag.length);
          this.inside = false;
          this.trimLeading = true;
          continue;
        }
        const keep = partialTagSuffix(text, closeTags);
        this.held = keep > 0 ? text.slice(-keep) : '';
        text = '';
      } else {
        const open = findFirst(text, openTags);
        const strayClose = findFirst(text, closeTags);
        if (strayClose && (!open || strayClose.at < open.at)) {
          out += this.emit(text.slice(0, strayClose.at));
          text = text.slice(strayClose.at + strayClose.tag.length);
          this.trimLeading = true;
          continue;
        }
        if (open) {
          out += this.emit(text.slice(0, open.at));
          text = text.slice(open.at + open.tag.length);
          this.inside = true;
          continue;
        }
        const keep = partialTagSuffix(text, [...openTags, ...closeTags]);
        out += this.emit(keep > 0 ? text.slice(0, -keep) : text);
        this.held = keep > 0 ? text.slice(-keep) : '';
        text = '';
      }
    }
    return out;
  }

  /** The stream ended: releases held-back text that never became a tag (an unclosed block is dropped). */
  flush(): string {
    const rest = this.inside ? '' : this.emit(this.held);
    this.held = '';
    return rest;
  }

  private emit(text: string): string {
    if (!this.trimLeading) return text;
    const trimmed = text.replace(/^\s+/, '');
    if (trimmed.length > 0) this.trimLeading = false;
    return trimmed;
  }
}
