/**
 * The engines one server process shares across sessions, built once at startup from the config.
 * An engine that cannot run here is null with the reason, so sessions can say clearly what is missing.
 */
import type { AsrEngine } from './asr/types.js';
import type { LlmEngine } from './llm/types.js';
import type { TtsEngine } from './tts/types.js';
import type { VadEngine } from './vad/types.js';

export interface EngineSet {
  llm: LlmEngine;
  tts: TtsEngine | null;
  asr: AsrEngine | null;
  vad: VadEngine | null;
  /** Why an engine is null, by kind (shown in warnings/errors and the startup log). */
  unavailable: Partial<Record<'tts' | 'asr' | 'vad', string>>;
}

export function describeEngines(engines: EngineSet): string[] {
  const line = (kind: 'tts' | 'asr' | 'vad', engine: { description: string } | null) =>
    `${kind.toUpperCase()}: ${engine ? engine.description : `unavailable (${engines.unavailable[kind] ?? 'not configured'})`}`;
  return [`LLM: ${engines.llm.description}`, line('asr', engines.asr), line('tts', engines.tts), line('vad', engines.vad)];
}

export async function closeEngines(engines: EngineSet): Promise<void> {
  await Promise.allSettled([engines.llm.close?.(), engines.tts?.close?.(), engines.asr?.close?.(), engines.vad?.close?.()]);
}
