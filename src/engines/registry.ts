/**
 * Builds the engine set from configuration. Each offline engine is loaded if it can run here; one
 * that cannot (e.g. pocketsphinx without its Debian packages) is left null with the reason, so the
 * server still starts and says exactly what is missing.
 */
import { loadResampler } from '../audio/resampler.js';
import type { ServerConfig } from '../config/serverConfig.js';
import type { EngineSet } from './engineSet.js';
import { ScriptedLlmEngine } from './llm/scripted.js';
import type { LlmEngine } from './llm/types.js';

export interface EngineSelection {
  /** Load the speech engines (TTS, ASR, VAD). False builds a text-only server (fast start for tests). */
  speech: boolean;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function createLlmEngine(config: ServerConfig): Promise<LlmEngine> {
  if (config.llm === 'scripted') return new ScriptedLlmEngine({ wordDelayMs: config.scriptedWordDelayMs });
  throw new Error(`Unknown LLM engine '${config.llm}'. Available: scripted.`);
}

export async function createEngines(config: ServerConfig, selection: EngineSelection = { speech: true }): Promise<EngineSet> {
  const engines: EngineSet = { llm: await createLlmEngine(config), tts: null, asr: null, vad: null, unavailable: {} };
  if (!selection.speech) {
    engines.unavailable = { tts: 'speech engines disabled', asr: 'speech engines disabled', vad: 'speech engines disabled' };
    return engines;
  }
  await loadResampler();
  const [tts, asr, vad] = await Promise.allSettled([
    // Word timings cost a second flite run per sentence before the first audio; nothing uses them yet.
    import('./tts/flite.js').then((m) => m.FliteTtsEngine.create({ workerCount: config.ttsWorkers, wordTimings: false })),
    import('./asr/pocketsphinx.js').then((m) => m.PocketsphinxAsrEngine.create({ poolSize: config.asrDecoders })),
    import('./vad/silero.js').then((m) => m.SileroVadEngine.create()),
  ]);
  if (tts.status === 'fulfilled') engines.tts = tts.value;
  else engines.unavailable.tts = reason(tts.reason);
  if (asr.status === 'fulfilled') engines.asr = asr.value;
  else engines.unavailable.asr = reason(asr.reason);
  if (vad.status === 'fulfilled') engines.vad = vad.value;
  else engines.unavailable.vad = reason(vad.reason);
  return engines;
}
