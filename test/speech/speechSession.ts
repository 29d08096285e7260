/**
 * Shared pieces of the end-to-end speech tests: a speech-enabled test server, and checks on the
 * audio a response streamed back (decoded from the wire format the session asked for).
 */
import assert from 'node:assert/strict';
import { decodeAlaw, decodeUlaw } from '../../src/audio/g711.js';
import type { SdkEvent } from '../helpers/azureSdkRecorder.js';
import { AzureSdkRecorder, pcm16FromBytes } from '../helpers/azureSdkRecorder.js';
import { measureSpeechMs, missingSpeechFixtureTools, rmsDbfs } from '../helpers/speechFixtures.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';
import type { ServerConfig } from '../../src/config/serverConfig.js';

/** Why these tests cannot run here (tools or engines missing), or undefined. */
export const speechSkipReason = missingSpeechFixtureTools();

/** A server with the real engines (Silero VAD, pocketsphinx, flite); fails when one did not load. */
export async function startSpeechServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const server = await startTestServer(overrides, { speech: true });
  assert.deepEqual(server.engines.unavailable, {}, 'VAD, ASR and TTS engines all loaded');
  return server;
}

export function connect(server: TestServer): Promise<AzureSdkRecorder> {
  return AzureSdkRecorder.connect(server.httpUrl);
}

/** Output format id → how to turn its bytes into PCM16 and at what rate. */
export const OUTPUT_FORMATS = {
  pcm16: { sampleRateHz: 24_000, decode: pcm16FromBytes },
  pcm16_16000hz: { sampleRateHz: 16_000, decode: pcm16FromBytes },
  pcm16_8000hz: { sampleRateHz: 8000, decode: pcm16FromBytes },
  g711_ulaw: { sampleRateHz: 8000, decode: decodeUlaw },
  g711_alaw: { sampleRateHz: 8000, decode: decodeAlaw },
} as const;
export type OutputFormatId = keyof typeof OUTPUT_FORMATS;

/** What a response's audio measured. */
export interface ResponseAudio {
  pcm: Int16Array;
  sampleRateHz: number;
  durationMs: number;
  /** Span from the first to the last sound above −40 dBFS (sox trim). */
  speechMs: number;
  rmsDbfs: number;
  /** Duration per character of the spoken transcript. */
  msPerChar: number;
}

/**
 * Decodes one response's audio deltas and checks it is speech for `transcript`: whole samples,
 * clearly audible, mostly sound rather than silence, and as long as a voice needs for the text
 * (flite speaks English at roughly 60 ms per character; 35–110 ms is accepted).
 */
export function assertSpeechAudio(recorder: AzureSdkRecorder, responseId: string, format: OutputFormatId, transcript: string): ResponseAudio {
  const bytes = recorder.responseAudio(responseId);
  const { sampleRateHz, decode } = OUTPUT_FORMATS[format];
  if (format.startsWith('pcm16')) assert.equal(bytes.length % 2, 0, 'PCM16 audio is whole samples');
  const pcm = decode(bytes);
  const durationMs = (pcm.length * 1000) / sampleRateHz;
  const speechMs = measureSpeechMs(pcm, sampleRateHz);
  const level = rmsDbfs(pcm);
  const msPerChar = durationMs / transcript.length;
  const measured = { pcm, sampleRateHz, durationMs, speechMs, rmsDbfs: level, msPerChar };
  const summary = `${format}: ${bytes.length} bytes = ${durationMs.toFixed(0)} ms, speech ${speechMs.toFixed(0)} ms, ${level.toFixed(1)} dBFS, ${msPerChar.toFixed(1)} ms/char for ${JSON.stringify(transcript)}`;
  assert.ok(level > -35, `audible: ${summary}`);
  assert.ok(speechMs > 0.6 * durationMs, `mostly sound: ${summary}`);
  assert.ok(msPerChar >= 35 && msPerChar <= 110, `duration fits the text: ${summary}`);
  return measured;
}

/** The camelCase field of an SDK event, typed loosely for assertions. */
export function field<T = unknown>(event: unknown, ...path: (string | number)[]): T {
  let value: unknown = event;
  for (const key of path) value = (value as Record<string | number, unknown> | undefined)?.[key];
  return value as T;
}

/** Indexes of the first event of each type (−1 when absent). */
export function indexOf(recorder: AzureSdkRecorder, match: (e: SdkEvent) => boolean): number {
  return recorder.events.findIndex(match);
}
