/**
 * Speech output for responses: the shared TTS engine behind a per-response renderer that maps the
 * session voice to the engine's voice (the engine's `resolveVoice`, else the flite mapping),
 * resamples the engine's audio to the output format's rate and encodes it (PCM16 or G.711) in
 * chunks of about 100 ms.
 */
import { encodeFromPcm16, outputAudioFormat } from '../audio/audioFormat.js';
import { StreamingResampler, isResamplerLoaded } from '../audio/resampler.js';
import type { EngineSet } from '../engines/engineSet.js';
import type { TextSegmenter } from './responseRunner.js';
import type { SpeechChunk, SpeechRendererFactory } from './speechRenderer.js';
import { SentenceSplitter } from '../engines/tts/sentenceSplitter.js';
import { resolveEngineVoice } from '../engines/tts/engineVoice.js';
import type { VoiceInput } from '../engines/tts/voiceMap.js';

export function createTextSegmenter(): TextSegmenter {
  return new SentenceSplitter();
}

export function createSpeechRendererFactory(engines: EngineSet): SpeechRendererFactory {
  return ({ voice, speed, outputAudioFormat: formatId }) => {
    const tts = engines.tts;
    if (!tts) return { ok: false, reason: engines.unavailable.tts ?? 'no text-to-speech engine is configured' };
    if (!isResamplerLoaded()) return { ok: false, reason: 'the audio resampler is not loaded' };
    const resolved = resolveEngineVoice(engines, voice as VoiceInput, speed);
    if (!resolved.ok) return { ok: false, reason: resolved.message };
    const format = outputAudioFormat(formatId);
    const chunkSamples = Math.round(format.sampleRateHz / 10);
    return {
      ok: true,
      renderer: {
        outputSampleRateHz: format.sampleRateHz,
        async *render(text: string, signal: AbortSignal): AsyncIterable<SpeechChunk> {
          let resampler: StreamingResampler | null = null;
          let pending = new Int16Array(0);
          const emit = function* (pcm: Int16Array, final: boolean): Generator<SpeechChunk> {
            const joined = new Int16Array(pending.length + pcm.length);
            joined.set(pending);
            joined.set(pcm, pending.length);
            let offset = 0;
            while (joined.length - offset >= chunkSamples || (final && offset < joined.length)) {
              const piece = joined.slice(offset, Math.min(joined.length, offset + chunkSamples));
              offset += piece.length;
              yield { bytes: encodeFromPcm16(format, piece), pcm: piece, durationMs: (piece.length * 1000) / format.sampleRateHz };
            }
            pending = joined.slice(offset);
          };
          try {
            for await (const chunk of tts.synthesize(text, { voice: resolved.voiceId, rate: resolved.rate }, signal)) {
              if (signal.aborted) return;
              resampler ??= new StreamingResampler(chunk.sampleRateHz, format.sampleRateHz);
              yield* emit(resampler.process(chunk.pcm), false);
            }
            if (signal.aborted) return;
            yield* emit(resampler ? resampler.flush() : new Int16Array(0), true);
          } finally {
            resampler?.destroy();
          }
        },
      },
    };
  };
}
