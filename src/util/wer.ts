/**
 * Word error rate: the minimum number of word substitutions, deletions and insertions that turn
 * the reference into the hypothesis (Levenshtein distance over words), divided by the number of
 * reference words. Both texts are normalized first (see {@link normalizeTranscriptWords}).
 */

/** Edit counts and rate of one comparison (or a sum of several, see {@link sumWordErrors}). */
export interface WordErrorRate {
  /** (substitutions + deletions + insertions) / referenceWords; with an empty reference, the insertion count. */
  wer: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  referenceWords: number;
}

/**
 * Spelled-out forms so that "what's" and "what is" (or "mr" and "mister") compare equal. Both
 * sides are expanded the same way; only unambiguous forms are listed ("he's" could be "he has").
 */
const EQUIVALENT_FORMS: Readonly<Record<string, string>> = {
  "what's": 'what is',
  "that's": 'that is',
  "there's": 'there is',
  "where's": 'where is',
  "let's": 'let us',
  "i'm": 'i am',
  "you're": 'you are',
  "we're": 'we are',
  "they're": 'they are',
  "isn't": 'is not',
  "aren't": 'are not',
  "wasn't": 'was not',
  "weren't": 'were not',
  "don't": 'do not',
  "doesn't": 'does not',
  "didn't": 'did not',
  "can't": 'cannot',
  "won't": 'will not',
  "wouldn't": 'would not',
  "couldn't": 'could not',
  "shouldn't": 'should not',
  "haven't": 'have not',
  "hasn't": 'has not',
  "i'll": 'i will',
  "you'll": 'you will',
  "we'll": 'we will',
  "they'll": 'they will',
  "i've": 'i have',
  "you've": 'you have',
  "we've": 'we have',
  "they've": 'they have',
  mister: 'mr',
  missus: 'mrs',
};

/**
 * Splits a transcript into comparable words: lowercase; punctuation removed except apostrophes
 * inside words ("don't" stays one word, quotes around words go); hyphens and slashes separate
 * words; the contractions and titles in the table above are spelled out. Digits are kept as they
 * are ("7" and "seven" differ).
 */
export function normalizeTranscriptWords(text: string): string[] {
  const words: string[] = [];
  const cleaned = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[-\u2010-\u2015/]/g, ' ')
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ');
  for (const token of cleaned.split(/\s+/)) {
    const word = token.replace(/^'+|'+$/g, '');
    if (word === '') continue;
    const expanded = EQUIVALENT_FORMS[word];
    if (expanded === undefined) words.push(word);
    else words.push(...expanded.split(' '));
  }
  return words;
}

/** Compares a hypothesis with a reference transcript after normalizing both. */
export function wordErrorRate(reference: string, hypothesis: string): WordErrorRate {
  return alignWords(normalizeTranscriptWords(reference), normalizeTranscriptWords(hypothesis));
}

/**
 * Edit counts of an optimal alignment of two word lists (no normalization). The total is the
 * Levenshtein distance; where several alignments reach it, the trace back prefers a match or
 * substitution, then a deletion, then an insertion, which fixes how the total splits.
 */
export function alignWords(referenceWords: readonly string[], hypothesisWords: readonly string[]): WordErrorRate {
  const rows = referenceWords.length + 1;
  const columns = hypothesisWords.length + 1;
  // cost[i * columns + j]: edits turning the first i reference words into the first j hypothesis words.
  const cost = new Uint32Array(rows * columns);
  for (let i = 0; i < rows; i++) cost[i * columns] = i;
  for (let j = 0; j < columns; j++) cost[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const same = referenceWords[i - 1] === hypothesisWords[j - 1];
      const diagonal = at(cost, (i - 1) * columns + j - 1) + (same ? 0 : 1);
      const deletion = at(cost, (i - 1) * columns + j) + 1;
      const insertion = at(cost, i * columns + j - 1) + 1;
      cost[i * columns + j] = Math.min(diagonal, deletion, insertion);
    }
  }
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  let i = rows - 1;
  let j = columns - 1;
  while (i > 0 || j > 0) {
    const here = at(cost, i * columns + j);
    if (i > 0 && j > 0) {
      const same = referenceWords[i - 1] === hypothesisWords[j - 1];
      if (here === at(cost, (i - 1) * columns + j - 1) + (same ? 0 : 1)) {
        if (!same) substitutions++;
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && here === at(cost, (i - 1) * columns + j) + 1) {
      deletions++;
      i--;
    } else {
      insertions++;
      j--;
    }
  }
  return rate(substitutions, deletions, insertions, referenceWords.length);
}

/** Pools several comparisons into one corpus-level rate (total edits / total reference words). */
export function sumWordErrors(results: Iterable<WordErrorRate>): WordErrorRate {
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  let referenceWords = 0;
  for (const result of results) {
    substitutions += result.substitutions;
    deletions += result.deletions;
    insertions += result.insertions;
    referenceWords += result.referenceWords;
  }
  return rate(substitutions, deletions, insertions, referenceWords);
}

function rate(substitutions: number, deletions: number, insertions: number, referenceWords: number): WordErrorRate {
  const errors = substitutions + deletions + insertions;
  return {
    wer: errors / Math.max(referenceWords, 1),
    substitutions,
    deletions,
    insertions,
    referenceWords,
  };
}

function at(values: Uint32Array, index: number): number {
  return values[index] ?? 0;
}
