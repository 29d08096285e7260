/**
 * Which voice a TTS engine speaks for a session voice: through the engine's own `resolveVoice` when
 * it has one (remote engines take the client's voice names), else through the flite mapping.
 */
import type { EngineSet } from '../engineSet.js';
import { resolveVoice } from './voiceMap.js';
import type { ResolvedVoice, VoiceInput } from './voiceMap.js';

export function resolveEngineVoice(engines: EngineSet, voice: VoiceInput, speed?: number): ResolvedVoice {
  if (engines.tts?.resolveVoice) return engines.tts.resolveVoice(voice, speed ?? 1);
  return resolveVoice(voice, speed);
}

/** Voice validation for session.update / response.create and the profiles' default voices: an error message, or null when usable. */
export function checkVoiceFor(engines: EngineSet): (voice: VoiceInput) => string | null {
  return (voice) => {
    const resolved = resolveEngineVoice(engines, voice);
    if (!resolved.ok) return resolved.message;
    if (engines.tts && !engines.tts.resolveVoice && !engines.tts.voices().some((v) => v.id === resolved.voiceId)) {
      return `Voice maps to local voice '${resolved.voiceId}', which the ${engines.tts.name} engine does not have.`;
    }
    return null;
  };
}
