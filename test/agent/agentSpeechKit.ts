/**
 * Shared pieces of the agent's speech tests: speech scenes rendered as 48 kHz stereo (what a desktop
 * app records), pushed through `agent.pushAudio` at real-time pace in odd-sized chunks, and an event
 * log with arrival order.
 */
import type { VoiceAgent, VoiceAgentEvent, VoiceAgentEventOf, VoiceAgentEventType } from '../../src/agent/index.js';
import { encodeScene } from '../helpers/speechFixtures.js';
import type { SpeechScene } from '../helpers/speechFixtures.js';

export const APP_RATE_HZ = 48_000;
export const APP_CHANNELS = 2;

/** The scene at 48 kHz (sox), the same signal on both channels, interleaved. */
export function stereo48k(scene: SpeechScene): Int16Array {
  const bytes = encodeScene(scene, 'pcm16', APP_RATE_HZ);
  const mono = new Int16Array(bytes.byteLength >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < mono.length; i++) mono[i] = view.getInt16(i * 2, true);
  const stereo = new Int16Array(mono.length * 2);
  for (let i = 0; i < mono.length; i++) {
    stereo[2 * i] = mono[i] as number;
    stereo[2 * i + 1] = mono[i] as number;
  }
  return stereo;
}

/** Silence of `ms` at 48 kHz stereo. */
export function stereoSilence(ms: number): Int16Array {
  return new Int16Array(Math.round((APP_RATE_HZ * ms) / 1000) * APP_CHANNELS);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Pushes interleaved 48 kHz stereo like a microphone: each chunk once its audio has been "recorded"
 * (real time from the first call), in chunks of 1919 / 1921 samples (≈ 20 ms, each splitting a
 * stereo frame) so partial frames cross chunk boundaries.
 */
export async function pushInRealTime(agent: VoiceAgent, pcm: Int16Array, shouldStop: () => boolean = () => false): Promise<void> {
  const startedAt = performance.now();
  const samplesPerMs = (APP_RATE_HZ * APP_CHANNELS) / 1000;
  for (let offset = 0, index = 0; offset < pcm.length && !shouldStop(); index++) {
    const size = Math.min(index % 2 === 0 ? 1919 : 1921, pcm.length - offset);
    const due = startedAt + (offset + size) / samplesPerMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    agent.pushAudio(pcm.subarray(offset, offset + size));
    offset += size;
  }
}

/** Every agent event in arrival order, with lookups. */
export class EventLog {
  readonly events: VoiceAgentEvent[] = [];

  constructor(agent: VoiceAgent) {
    agent.on('*', (event) => this.events.push(event));
  }

  all<T extends VoiceAgentEventType>(type: T, predicate: (event: VoiceAgentEventOf<T>) => boolean = () => true): VoiceAgentEventOf<T>[] {
    return this.events.filter((e): e is VoiceAgentEventOf<T> => e.type === type && predicate(e as VoiceAgentEventOf<T>));
  }

  /** Index of the first matching event, −1 when none. */
  indexOf<T extends VoiceAgentEventType>(type: T, predicate: (event: VoiceAgentEventOf<T>) => boolean = () => true): number {
    return this.events.findIndex((e) => e.type === type && predicate(e as VoiceAgentEventOf<T>));
  }

  /** Event types in order, audio chunks and deltas collapsed, for failure messages. */
  summary(): string {
    const out: string[] = [];
    for (const e of this.events) {
      const label = e.type === 'transcription' ? `transcription(${e.role}${e.isFinal ? ',final' : ''})` : e.type;
      if (out.at(-1) !== label) out.push(label);
    }
    return out.join(' → ');
  }
}
