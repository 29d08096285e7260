/**
 * What a response needs to speak: text segment in, encoded output-format audio chunks out.
 * Built per response by the session from the TTS engine, the voice and the output format.
 */
import type { OutputAudioFormatId, Voice } from '../protocol/session.js';

export interface SpeechChunk {
  /** Audio in the response's output format, ready for `response.audio.delta`. */
  bytes: Uint8Array;
  /** The same audio as PCM16 at the output rate (kept for retrieve/truncate). */
  pcm: Int16Array;
  durationMs: number;
}

export interface SpeechRenderer {
  readonly outputSampleRateHz: number;
  render(text: string, signal: AbortSignal): AsyncIterable<SpeechChunk>;
}

/** Creates a renderer for one response, or explains why audio output is not available. */
export type SpeechRendererFactory = (options: {
  voice: Voice;
  speed: number;
  outputAudioFormat: OutputAudioFormatId;
}) => { ok: true; renderer: SpeechRenderer } | { ok: false; reason: string };
