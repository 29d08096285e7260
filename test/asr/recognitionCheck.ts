/**
 * For tests of the decoder pool's mechanics (queueing, abort, crash recovery), not of accuracy:
 * a transcript "belongs" to a recording when it is recognisably that recording (word error rate
 * below `maxWer`) and closer to its reference than to any other recording's, i.e. no audio leaked
 * between streams. Accuracy itself is pinned by pocketsphinxTranscribesHumanSpeechWithinWerBound.
 */
import assert from 'node:assert/strict';
import { wordErrorRate } from '../../src/util/wer.js';

/** The LibriVox testdata references used by the pool tests. */
export const LIBRIVOX_REFERENCES = {
  '0870': 'and mister john dashwood had then leisure to consider how much there might be prudently in his power to do for them',
  '0920': 'had he married a more a amiable woman he might have been made still more respectable than he was',
  '0930': 'he might even have been made amiable himself',
} as const;
export type LibrivoxFileId = keyof typeof LIBRIVOX_REFERENCES;

export function assertTranscriptBelongsTo(fileId: LibrivoxFileId, text: string, maxWer = 0.65): void {
  const own = wordErrorRate(LIBRIVOX_REFERENCES[fileId], text).wer;
  assert.ok(own < maxWer, `${fileId} recognised as "${text}" (WER ${(own * 100).toFixed(1)} %)`);
  for (const [otherId, reference] of Object.entries(LIBRIVOX_REFERENCES)) {
    if (otherId === fileId) continue;
    const other = wordErrorRate(reference, text).wer;
    assert.ok(own < other, `"${text}" is closer to recording ${otherId} (WER ${(other * 100).toFixed(1)} %) than to ${fileId} (${(own * 100).toFixed(1)} %)`);
  }
}
