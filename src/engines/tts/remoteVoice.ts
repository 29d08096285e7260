/**
 * Voice resolution for engines that speak with the client's own voice names (a remote TTS server):
 * the name is checked against the voices the engine offers and passed through, instead of being
 * mapped onto the local flite voices. OpenAI names are used as is; an Azure voice object gives its
 * `name` (or, when only the short name is offered, e.g. "alloy" for
 * "en-US-AlloyTurboMultilingualNeural", that short name); its SSML `rate` and the OpenAI `speed`
 * multiply as in the flite mapping, but within the engine's own rate range.
 */
import { azureVoiceRate, azureVoiceShortName, speedRefusal, unsupported as refuse } from './voiceMap.js';
import type { ResolvedVoice, VoiceInput } from './voiceMap.js';

export interface RemoteVoiceOptions {
  /** The voice names the engine offers (matched case-insensitively, returned as spelled here). */
  voices: readonly string[];
  /** For messages: "the OpenAI speech engine at localhost:8880". */
  engineLabel: string;
  /** Rate range the engine accepts; the combined rate is clamped into it. */
  minRate: number;
  maxRate: number;
}

/** Resolves a session voice to one of `options.voices` and a rate; see the module comment. */
export function resolveRemoteVoice(voice: VoiceInput, speed: number, options: RemoteVoiceOptions): ResolvedVoice {
  const badSpeed = speedRefusal(speed);
  if (badSpeed) return badSpeed;
  const clamp = (rate: number) => Math.min(options.maxRate, Math.max(options.minRate, rate));
  const offered = options.voices.join(', ');
  const find = (name: string | undefined) =>
    name === undefined ? undefined : options.voices.find((v) => v.toLowerCase() === name.trim().toLowerCase());
  const unknown = (asked: string, param: string) =>
    refuse(`Unsupported voice ${asked} for ${options.engineLabel}. Voices it offers: ${offered}.`, param);

  if (typeof voice === 'string') {
    const found = find(voice);
    if (found === undefined) return unknown(`"${voice}"`, 'session.voice');
    const rate = clamp(speed);
    return { ok: true, voiceId: found, rate, description: describe(`"${voice}"`, found, rate, options.engineLabel) };
  }
  if (typeof voice !== 'object' || voice === null || typeof voice.type !== 'string') {
    return refuse('voice must be a string or an object with a "type"', 'session.voice');
  }

  const azureRate = azureVoiceRate(voice);
  if (typeof azureRate !== 'number') return azureRate;
  const name = typeof voice.name === 'string' ? voice.name : undefined;
  let found: string | undefined;
  switch (voice.type) {
    case 'openai':
    case 'azure-realtime-native':
      found = find(name);
      break;
    case 'azure-standard': {
      found = find(name);
      if (found === undefined && name !== undefined) found = find(azureVoiceShortName(name));
      break;
    }
    case 'azure-custom':
    case 'azure-personal':
    case 'avatar-voice-sync':
      return refuse(
        `Voice type "${voice.type}" is not available on this self-hosted server (it needs Azure-hosted voice models). ` +
          `Use one of the voices ${options.engineLabel} offers: ${offered}.`,
        'session.voice.type',
      );
    default:
      return refuse(`Unsupported voice type "${voice.type}"; supported: openai, azure-standard, azure-realtime-native`, 'session.voice.type');
  }
  if (found === undefined) {
    return unknown(`${voice.type} ${name === undefined ? '(missing name)' : `"${name}"`}`, 'session.voice.name');
  }
  const rate = clamp(azureRate * speed);
  return { ok: true, voiceId: found, rate, description: describe(`${voice.type} "${name}"`, found, rate, options.engineLabel) };
}

function describe(asked: string, voiceId: string, rate: number, engineLabel: string): string {
  const rateText = rate === 1 ? '' : ` at ${Number(rate.toFixed(3))}× speed`;
  return `${asked} → voice "${voiceId}" of ${engineLabel}${rateText}`;
}
