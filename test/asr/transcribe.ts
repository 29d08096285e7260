/** Streams a recording through an ASR engine the way the session does and times what comes back. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AsrEngine, AsrEvent } from '../../src/engines/asr/types.js';

export type FinalEvent = Extract<AsrEvent, { type: 'final' }>;

export interface TranscriptionRun {
  /** Partials in arrival order, with the audio written before each arrived. */
  partials: Array<{ text: string; audioWrittenMs: number }>;
  final: FinalEvent;
  /** Wall time from the first write to the final. */
  wallMs: number;
  /** Wall time from `end()` to the final. */
  endToFinalMs: number;
}

export interface TranscribeOptions {
  sampleRateHz?: number;
  /** Audio per `write()` (default 100 ms). */
  chunkMs?: number;
  /** Write in real time (one chunk every `chunkMs`) instead of as fast as possible. */
  paced?: boolean;
}

/** Writes `pcm` in chunks, calls `end()`, and collects the events until the final. */
export async function transcribe(engine: AsrEngine, pcm: Int16Array, options: TranscribeOptions = {}): Promise<TranscriptionRun> {
  const sampleRateHz = options.sampleRateHz ?? 16_000;
  const chunkSamples = Math.round(((options.chunkMs ?? 100) * sampleRateHz) / 1000);
  const stream = engine.createStream({ sampleRateHz });
  const partials: TranscriptionRun['partials'] = [];
  let samplesWritten = 0;
  let final: FinalEvent | undefined;
  let finalAtMs = 0;
  const collecting = (async () => {
    for await (const event of stream.events) {
      if (event.type === 'partial') partials.push({ text: event.text, audioWrittenMs: (samplesWritten * 1000) / sampleRateHz });
      else {
        final = event;
        finalAtMs = performance.now();
      }
    }
  })();
  const startedMs = performance.now();
  for (let offset = 0; offset < pcm.length; offset += chunkSamples) {
    if (options.paced === true) {
      const dueMs = startedMs + (offset * 1000) / sampleRateHz;
      const waitMs = dueMs - performance.now();
      if (waitMs > 0) await sleep(waitMs);
    } else if (offset % (chunkSamples * 10) === 0) {
      // Let events be delivered while writing at full speed, as a socket-fed session would.
      await sleep(0);
    }
    const chunk = pcm.subarray(offset, Math.min(pcm.length, offset + chunkSamples));
    stream.write(chunk);
    samplesWritten += chunk.length;
  }
  const endedMs = performance.now();
  stream.end();
  await collecting;
  if (final === undefined) throw new Error('the stream ended without a final');
  return { partials, final, wallMs: finalAtMs - startedMs, endToFinalMs: finalAtMs - endedMs };
}
