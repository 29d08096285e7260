/**
 * Drives an ASR stream the way the session does (audio in 100 ms writes, then `end()`) and collects
 * what its events iterator delivered: the events, and the error it threw, if any.
 */
import type { AsrEvent, AsrStream } from '../../src/engines/asr/types.js';

export interface CollectedAsr {
  events: AsrEvent[];
  error: (Error & { code?: string }) | undefined;
}

/** Reads the stream's events to the end (or to the error) in the background. */
export function collectAsrEvents(stream: AsrStream): Promise<CollectedAsr> {
  return (async () => {
    const events: AsrEvent[] = [];
    try {
      for await (const event of stream.events) events.push(event);
      return { events, error: undefined };
    } catch (error) {
      return { events, error: error as Error & { code?: string } };
    }
  })();
}

/** Writes `pcm` in pieces of `chunkMs` at `sampleRateHz`. */
export function writeInChunks(stream: AsrStream, pcm: Int16Array, sampleRateHz: number, chunkMs = 100): void {
  const size = Math.round((sampleRateHz * chunkMs) / 1000);
  for (let offset = 0; offset < pcm.length; offset += size) stream.write(pcm.subarray(offset, offset + size));
}
