/**
 * Runs a whole signal through a VAD stream and the turn detector the way a session would: audio
 * arrives in client-sized chunks, probabilities are pushed in order on the audio clock.
 */
import type { VadEngine } from '../../src/engines/vad/types.js';
import { TurnDetector, type TurnDetectorConfig, type TurnEvent } from '../../src/session/turnDetector.js';
import type { TruthSegment } from './audioFixtures.js';

/** Azure `server_vad` defaults for api-versions before 2026-04-10 (protocol.md §3.4). */
export const SERVER_VAD_DEFAULTS: TurnDetectorConfig = {
  threshold: 0.5,
  prefixPaddingMs: 300,
  silenceDurationMs: 500,
  speechDurationMs: 200,
};

export interface DetectedTurn {
  /** Onset without padding (`speech_started.speechOnsetMs`). */
  onsetMs: number;
  audioStartMs: number;
  /** `speech_stopped.audioEndMs`, or undefined if the signal ended mid-turn. */
  audioEndMs: number | undefined;
}

export interface DetectionRun {
  probabilities: Float32Array;
  events: TurnEvent[];
  turns: DetectedTurn[];
}

export async function detectTurns(
  engine: VadEngine,
  samples: Float32Array,
  config: TurnDetectorConfig = SERVER_VAD_DEFAULTS,
  chunkSamples = 320,
): Promise<DetectionRun> {
  const { sampleRateHz, frameSamples } = engine.capabilities;
  const frameDurationMs = (frameSamples * 1000) / sampleRateHz;
  const stream = engine.createStream();
  const detector = new TurnDetector(config);
  const probabilityChunks: Float32Array[] = [];
  const events: TurnEvent[] = [];
  try {
    for (let start = 0; start < samples.length; start += chunkSamples) {
      const probabilities = await stream.process(samples.subarray(start, start + chunkSamples));
      probabilityChunks.push(probabilities);
      events.push(...detector.push(probabilities, frameDurationMs));
    }
  } finally {
    stream.close();
  }
  const probabilities = new Float32Array(probabilityChunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of probabilityChunks) {
    probabilities.set(chunk, offset);
    offset += chunk.length;
  }
  const turns: DetectedTurn[] = [];
  for (const event of events) {
    if (event.type === 'speech_started') {
      turns.push({ onsetMs: event.speechOnsetMs, audioStartMs: event.audioStartMs, audioEndMs: undefined });
    } else {
      const open = turns.at(-1);
      if (open) open.audioEndMs = event.audioEndMs;
    }
  }
  return { probabilities, events, turns };
}

/** Signed boundary errors (detected − truth) in ms, per turn: [start, end]. */
export function boundaryErrorsMs(turns: DetectedTurn[], truth: TruthSegment[]): Array<[number, number]> {
  return turns.map((turn, index) => {
    const segment = truth[index];
    if (!segment || turn.audioEndMs === undefined) return [Number.NaN, Number.NaN];
    return [Math.round(turn.onsetMs - segment.startMs), Math.round(turn.audioEndMs - segment.endMs)];
  });
}
