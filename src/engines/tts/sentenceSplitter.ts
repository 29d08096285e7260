/**
 * Streaming splitter that cuts LLM text deltas into segments a sentence-at-a-time TTS engine can
 * speak as soon as they are complete.
 *
 * Rules, applied to the pending text from its start:
 * - A sentence ends after `.`, `!`, `?` (runs such as `?!` or `...` included, plus closing quotes or
 *   brackets) when whitespace follows, and at every newline.
 * - A `.` does not end a sentence after a title or Latin abbreviation (Mr. Dr. St. e.g. i.e. vs.),
 *   an initial (J. R. R. Tolkien), or a leading list number ("1. "); after "etc.", "Jr.", "Inc.",
 *   "No." and dotted acronyms (U.S., p.m.) only when the next word is capitalised. Decimals (3.14) never split
 *   because no whitespace follows the dot.
 * - Clause boundaries (`,` `;` `:` followed by whitespace, `—`, `–`, spaced ` - `) end a segment once
 *   it is long enough: {@link SentenceSplitterOptions.firstSegmentMinChars} for the first segment
 *   (so the first audio starts early), {@link SentenceSplitterOptions.clauseSplitAfterChars} after.
 * - Text that reaches {@link SentenceSplitterOptions.maxSegmentChars} without any boundary is cut at
 *   its last space.
 *
 * Each decision looks only at a bounded amount of following text and waits for it, so the segments
 * do not depend on how the text was chunked into deltas. Whitespace-only segments are never emitted;
 * emitted segments are trimmed.
 */

export interface SentenceSplitterOptions {
  /** A clause boundary may end the first segment once it is at least this long. Default 20. */
  firstSegmentMinChars?: number;
  /** A clause boundary may end later segments once they are at least this long. Default 120. */
  clauseSplitAfterChars?: number;
  /** Hard limit: a longer run without boundaries is cut at its last whitespace. Default 250. */
  maxSegmentChars?: number;
}

/** Abbreviations after which a `.` never ends a sentence (lowercase, without the final dot). */
const NEVER_SENTENCE_END = new Set([
  'mr',
  'mrs',
  'ms',
  'mx',
  'dr',
  'prof',
  'st',
  'mt',
  'gen',
  'col',
  'lt',
  'sgt',
  'capt',
  'cmdr',
  'rev',
  'hon',
  'gov',
  'sen',
  'rep',
  'pres',
  'vs',
  'cf',
  'e.g',
  'i.e',
  'approx',
  'fig',
]);

/** Abbreviations that end a sentence only when a capitalised word follows. */
const SENTENCE_END_IF_CAPITAL_FOLLOWS = new Set([
  'etc',
  'jr',
  'sr',
  'inc',
  'ltd',
  'co',
  'corp',
  'llc',
  'al',
  'no',
  'vol',
  'ft',
]);

const TERMINATORS = '.!?';
const CLOSERS = '"\')]}\u201d\u2019\u00bb';
const OPENERS = '"\'([{\u201c\u2018\u00ab';
const CLAUSE_MARKS = ',;:';
const DASHES = '\u2014\u2013';

function isWhitespace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

type Verdict = 'end' | 'not-end' | 'need-more';

export class SentenceSplitter {
  readonly #firstSegmentMinChars: number;
  readonly #clauseSplitAfterChars: number;
  readonly #maxSegmentChars: number;
  #pending = '';
  #emittedAny = false;

  constructor(options: SentenceSplitterOptions = {}) {
    this.#firstSegmentMinChars = options.firstSegmentMinChars ?? 20;
    this.#clauseSplitAfterChars = options.clauseSplitAfterChars ?? 120;
    this.#maxSegmentChars = options.maxSegmentChars ?? 250;
    if (!(this.#maxSegmentChars >= 2)) throw new RangeError('maxSegmentChars must be at least 2');
  }

  /** Adds a text delta; returns the segments it completed (possibly none). */
  push(delta: string): string[] {
    this.#pending += delta;
    return this.#drain(false);
  }

  /** Ends the text: returns every remaining segment and resets the splitter for reuse. */
  flush(): string[] {
    const segments = this.#drain(true);
    this.#pending = '';
    this.#emittedAny = false;
    return segments;
  }

  /** Text received but not yet emitted. */
  get pendingText(): string {
    return this.#pending;
  }

  #drain(final: boolean): string[] {
    const segments: string[] = [];
    for (;;) {
      this.#pending = this.#pending.replace(/^\s+/, '');
      if (this.#pending === '') break;
      const end = this.#segmentEnd(this.#pending, final) ?? (final ? this.#pending.length : undefined);
      if (end === undefined) break;
      const segment = this.#pending.slice(0, end).trim();
      this.#pending = this.#pending.slice(end);
      if (segment !== '') {
        segments.push(segment);
        this.#emittedAny = true;
      }
    }
    return segments;
  }

  /**
   * Where the segment starting at `text[0]` (not whitespace) ends, or undefined when that depends on
   * text not received yet. With `final`, the end of `text` is the end of everything.
   */
  #segmentEnd(text: string, final: boolean): number | undefined {
    const clauseMinChars = this.#emittedAny ? this.#clauseSplitAfterChars : this.#firstSegmentMinChars;
    const scanLimit = Math.min(text.length, this.#maxSegmentChars);
    for (let i = 0; i < scanLimit; i++) {
      const char = text[i] as string;

      if (char === '\n') return i + 1;

      if (TERMINATORS.includes(char)) {
        let runEnd = i;
        while (runEnd < text.length && TERMINATORS.includes(text[runEnd] as string)) runEnd++;
        let end = runEnd;
        while (end < text.length && CLOSERS.includes(text[end] as string)) end++;
        if (end === text.length && !final) return undefined;
        if (end < text.length && !isWhitespace(text[end])) {
          i = runEnd - 1;
          continue;
        }
        const verdict = sentenceEndVerdict(text, i, runEnd, end, final);
        if (verdict === 'need-more') return undefined;
        if (verdict === 'end') return end;
        i = runEnd - 1;
        continue;
      }

      if (CLAUSE_MARKS.includes(char)) {
        let end = i + 1;
        while (end < text.length && CLOSERS.includes(text[end] as string)) end++;
        if (end < clauseMinChars) continue;
        if (end === text.length) {
          if (!final) return undefined;
          continue;
        }
        if (isWhitespace(text[end])) return end;
        continue;
      }

      if (DASHES.includes(char)) {
        if (i + 1 >= clauseMinChars) return i + 1;
        continue;
      }

      if (char === '-' && isWhitespace(text[i - 1]) && i + 1 >= clauseMinChars) {
        if (i + 1 === text.length) {
          if (!final) return undefined;
          continue;
        }
        if (isWhitespace(text[i + 1])) return i + 1;
      }
    }

    if (text.length <= this.#maxSegmentChars) return undefined;
    for (let k = this.#maxSegmentChars; k > 0; k--) if (isWhitespace(text[k])) return k;
    return this.#maxSegmentChars;
  }
}

/**
 * Whether the terminator run `text[runStart, runEnd)` (closers up to `end`, then whitespace or the
 * end of the text) ends a sentence.
 */
function sentenceEndVerdict(text: string, runStart: number, runEnd: number, end: number, final: boolean): Verdict {
  const run = text.slice(runStart, runEnd);
  if (run.includes('!') || run.includes('?') || run.length > 1) return 'end';

  let wordStart = runStart;
  while (wordStart > 0 && !isWhitespace(text[wordStart - 1])) wordStart--;
  let word = text.slice(wordStart, runStart);
  while (word !== '' && OPENERS.includes(word[0] as string)) word = word.slice(1);
  if (word === '') return 'end';
  const lower = word.toLowerCase();

  if (NEVER_SENTENCE_END.has(lower)) return 'not-end';
  if (/^\p{L}$/u.test(word)) return 'not-end'; // an initial: "J. R. R. Tolkien"
  if (/^\d+$/.test(word) && wordStart === 0) return 'not-end'; // a list number: "1. Preheat…"

  if (SENTENCE_END_IF_CAPITAL_FOLLOWS.has(lower) || /^(\p{L}\.)+\p{L}$/u.test(word)) {
    let next = end;
    while (next < text.length && isWhitespace(text[next])) {
      if (text[next] === '\n') return 'end';
      next++;
    }
    if (next === text.length) return final ? 'end' : 'need-more';
    const following = text[next] as string;
    return following !== following.toLowerCase() && following === following.toUpperCase() ? 'end' : 'not-end';
  }
  return 'end';
}
