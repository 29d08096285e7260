/**
 * Word timings for flite output.
 *
 * flite prints phone end times (`-psdur`) but cannot say which word each phone belongs to. We get
 * that from a second, cheap run over the same tokens separated by SSML `<break/>`s (`-ssml -ps`):
 * every token's phones then come out as their own pause-delimited group. Aligning those labelled
 * phones to the timed phones of the real run (edit distance, so post-lexical differences such as
 * "the" → dh ax / dh iy only cost a substitution) gives each token a start and an end.
 *
 * Everything here is pure and small (a sentence has a few hundred phones at most).
 */

import type { TtsWordTiming } from './types.js';

/** One phone of a synthesized utterance with its time span in the output audio. */
export interface FlitePhoneTiming {
  phone: string;
  startMs: number;
  endMs: number;
}

/** A whitespace-delimited token of the synthesized text that should get a word timing. */
export interface FliteTimingToken {
  /** Offset of the token in the text (UTF-16 code units). */
  start: number;
  end: number;
  /** The token as sent to flite (normalized text). */
  flite: string;
}

const PAUSE_PHONE = 'pau';
/** Guard against pathological inputs: the alignment matrix has (n+1)·(m+1) cells. */
const MAX_ALIGNMENT_CELLS = 4_000_000;

/**
 * Parses flite `-psdur` output ("pau:0.164 hh:0.255 …", one line per utterance, times restarting at
 * each utterance) into phone spans on one timeline.
 */
export function parsePhoneDurations(psdurOutput: string): FlitePhoneTiming[] {
  const phones: FlitePhoneTiming[] = [];
  let utteranceOffsetMs = 0;
  for (const line of psdurOutput.split('\n')) {
    let previousEndMs = 0;
    let sawPhone = false;
    for (const field of line.trim().split(/\s+/)) {
      const match = /^([^:\s]+):(\d+(?:\.\d+)?)$/.exec(field);
      if (!match) continue;
      const endMs = Number(match[2]) * 1000;
      phones.push({
        phone: match[1] as string,
        startMs: utteranceOffsetMs + previousEndMs,
        endMs: utteranceOffsetMs + endMs,
      });
      previousEndMs = endMs;
      sawPhone = true;
    }
    if (sawPhone) utteranceOffsetMs += previousEndMs;
  }
  return phones;
}

/**
 * Parses flite `-ps` output of the token-separated run into one phone list per pause-delimited
 * group, in order (utterance line breaks count as pauses).
 */
export function parsePhoneGroups(psOutput: string): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  for (const phone of psOutput.split(/\s+/)) {
    if (phone === '') continue;
    if (phone === PAUSE_PHONE) {
      if (current.length > 0) groups.push(current);
      current = [];
    } else {
      current.push(phone);
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Tokens that can carry a word timing: whitespace-delimited runs containing a letter or digit.
 * Pure punctuation tokens ("-", "…") are skipped because flite gives them no phones.
 */
export function timingTokens(normalizedText: string): FliteTimingToken[] {
  const tokens: FliteTimingToken[] = [];
  for (const match of normalizedText.matchAll(/\S+/g)) {
    const flite = match[0].replace(/[<>]/g, '');
    if (!/[\p{L}\p{N}]/u.test(flite)) continue;
    tokens.push({ start: match.index, end: match.index + match[0].length, flite });
  }
  return tokens;
}

/** SSML text for the grouping run: every token followed by a break, so each forms its own phrase. */
export function tokenGroupingSsml(tokens: readonly FliteTimingToken[]): string {
  return `<speak>${tokens.map((token) => token.flite).join(' <break/> ')}</speak>`;
}

/** The token text reported to clients: the original spelling without surrounding punctuation. */
function displayText(originalText: string, token: FliteTimingToken): string {
  const raw = originalText.slice(token.start, token.end);
  const stripped = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  return stripped === '' ? raw : stripped;
}

/**
 * Aligns the grouped phones of the token run to the timed phones of the real run and returns one
 * timing per token that received at least one phone. Returns `undefined` when the grouping run did
 * not produce exactly one group per token (then the token ↔ phone mapping is unknown).
 *
 * @param audioDurationMs end of the audio; timings are clamped to it (diphone voices report a
 *   final pause slightly longer than the wave they write).
 */
export function alignWordTimings(
  originalText: string,
  tokens: readonly FliteTimingToken[],
  groups: readonly (readonly string[])[],
  timedPhones: readonly FlitePhoneTiming[],
  audioDurationMs: number,
): TtsWordTiming[] | undefined {
  if (tokens.length === 0 || groups.length !== tokens.length) return undefined;

  const spoken = timedPhones.filter((phone) => phone.phone !== PAUSE_PHONE);
  const labelled: { phone: string; token: number }[] = [];
  groups.forEach((group, token) => {
    for (const phone of group) labelled.push({ phone, token });
  });
  const n = labelled.length;
  const m = spoken.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_ALIGNMENT_CELLS) return undefined;

  // Edit-distance table: cost[i][j] = cheapest alignment of labelled[0..i) with spoken[0..j).
  const width = m + 1;
  const cost = new Uint32Array((n + 1) * width);
  for (let i = 0; i <= n; i++) cost[i * width] = i;
  for (let j = 0; j <= m; j++) cost[j] = j;
  for (let i = 1; i <= n; i++) {
    const a = (labelled[i - 1] as { phone: string }).phone;
    for (let j = 1; j <= m; j++) {
      const b = (spoken[j - 1] as FlitePhoneTiming).phone;
      const diagonal = (cost[(i - 1) * width + j - 1] as number) + (a === b ? 0 : 1);
      const up = (cost[(i - 1) * width + j] as number) + 1;
      const left = (cost[i * width + j - 1] as number) + 1;
      cost[i * width + j] = Math.min(diagonal, up, left);
    }
  }

  // Walk back, recording which spoken phones each token's phones landed on.
  const firstPhone = new Array<number>(tokens.length).fill(-1);
  const lastPhone = new Array<number>(tokens.length).fill(-1);
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const here = cost[i * width + j] as number;
    const label = labelled[i - 1] as { phone: string; token: number };
    const same = label.phone === (spoken[j - 1] as FlitePhoneTiming).phone;
    if (here === (cost[(i - 1) * width + j - 1] as number) + (same ? 0 : 1)) {
      if (lastPhone[label.token] === -1) lastPhone[label.token] = j - 1;
      firstPhone[label.token] = j - 1;
      i--;
      j--;
    } else if (here === (cost[(i - 1) * width + j] as number) + 1) {
      i--;
    } else {
      j--;
    }
  }

  const words: TtsWordTiming[] = [];
  tokens.forEach((token, index) => {
    const first = firstPhone[index] as number;
    const last = lastPhone[index] as number;
    if (first < 0 || last < 0) return;
    const startMs = Math.min((spoken[first] as FlitePhoneTiming).startMs, audioDurationMs);
    const endMs = Math.min((spoken[last] as FlitePhoneTiming).endMs, audioDurationMs);
    words.push({
      text: displayText(originalText, token),
      startMs: Math.round(startMs),
      durationMs: Math.max(0, Math.round(endMs - startMs)),
    });
  });
  return words;
}
