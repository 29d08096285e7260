/** Test helpers: gather a TTS stream into one buffer and measure it. */

import type { TtsChunk, TtsWordTiming } from '../../../src/engines/tts/types.js';

export interface CollectedSpeech {
  pcm: Int16Array;
  sampleRateHz: number;
  chunks: TtsChunk[];
  words: TtsWordTiming[];
  durationMs: number;
  /** Milliseconds from the call to the first chunk (NaN without chunks). */
  firstChunkMs: number;
}

export async function collectSpeech(stream: AsyncIterable<TtsChunk>): Promise<CollectedSpeech> {
  const startedAt = performance.now();
  let firstChunkMs = Number.NaN;
  const chunks: TtsChunk[] = [];
  for await (const chunk of stream) {
    if (chunks.length === 0) firstChunkMs = performance.now() - startedAt;
    chunks.push(chunk);
  }
  const total = chunks.reduce((sum, chunk) => sum + chunk.pcm.length, 0);
  const pcm = new Int16Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    pcm.set(chunk.pcm, offset);
    offset += chunk.pcm.length;
  }
  const sampleRateHz = chunks[0]?.sampleRateHz ?? 0;
  return {
    pcm,
    sampleRateHz,
    chunks,
    words: chunks.flatMap((chunk) => chunk.words ?? []),
    durationMs: sampleRateHz > 0 ? (total / sampleRateHz) * 1000 : 0,
    firstChunkMs,
  };
}

/** Root-mean-square level in 16-bit units. */
export function rmsLevel(pcm: Int16Array): number {
  if (pcm.length === 0) return 0;
  let sum = 0;
  for (const sample of pcm) sum += sample * sample;
  return Math.sqrt(sum / pcm.length);
}

export function peakLevel(pcm: Int16Array): number {
  let peak = 0;
  for (const sample of pcm) peak = Math.max(peak, Math.abs(sample));
  return peak;
}

export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}
