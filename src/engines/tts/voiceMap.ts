/**
 * Maps the voices a client asks for (OpenAI voice names, Azure voice objects, or local flite ids)
 * onto the local flite voices, and turns the Azure `rate` string and the OpenAI `speed` number into
 * one speaking-rate multiplier. The table is exported as data so documentation can render it.
 *
 * flite has one female voice (slt) and three male ones (rms, awb, kal16/kal), so names are mapped by
 * gender, with the Scottish awb standing in for British-Isles male voices.
 */

/** Local voice ids the mapping can produce (the flite voices). */
export type LocalVoiceId = 'slt' | 'rms' | 'awb' | 'kal16' | 'kal';

/** Where a mapped name comes from. */
export type VoiceSource = 'openai' | 'azure-standard' | 'azure-realtime-native' | 'local';

/** One row of the mapping table. */
export interface VoiceMapEntry {
  source: VoiceSource;
  /**
   * The name as clients spell it (case-insensitive). For `azure-standard` this is the short name
   * inside `en-US-AvaNeural` / `en-US-Ava:DragonHDLatestNeural` / `en-US-AvaMultilingualNeural`.
   */
  name: string;
  gender: 'female' | 'male';
  voiceId: LocalVoiceId;
}

/** Azure voice object as sent in `session.voice` (only the fields the mapping reads). */
export interface AzureVoiceInput {
  type: string;
  name?: string;
  /** SSML prosody rate: "x-slow"…"x-fast", "default", "+10%", "-20%", "150%", "1.2", "+0.2". */
  rate?: string | number;
  [field: string]: unknown;
}

export type VoiceInput = string | AzureVoiceInput;

export type ResolvedVoice =
  | {
      ok: true;
      /**
       * The voice id the engine's `synthesize` takes: a {@link LocalVoiceId} from this mapping, or
       * the client's own voice name for engines that resolve voices themselves (`TtsEngine.resolveVoice`).
       */
      voiceId: string;
      /** Speaking-rate multiplier for the engine, within its range (this mapping: 0.5..2). */
      rate: number;
      /** Human-readable "what was asked → what plays", for logs and session info. */
      description: string;
    }
  | {
      ok: false;
      message: string;
      /** Path of the offending field for the protocol's `error.param`. */
      param: string;
    };

/** What each local voice sounds like (for descriptions). */
export const LOCAL_VOICE_DESCRIPTIONS: Readonly<Record<LocalVoiceId, string>> = Object.freeze({
  slt: 'flite slt, US English female',
  rms: 'flite rms, US English male',
  awb: 'flite awb, Scottish English male',
  kal16: 'flite kal16, US English male (diphone, 16 kHz)',
  kal: 'flite kal, US English male (diphone, 8 kHz)',
});

const LOCAL_VOICE_IDS = Object.keys(LOCAL_VOICE_DESCRIPTIONS) as LocalVoiceId[];

function rows(source: VoiceSource, voiceId: LocalVoiceId, gender: 'female' | 'male', names: string[]): VoiceMapEntry[] {
  return names.map((name) => ({ source, name, gender, voiceId }));
}

/** The complete mapping, in documentation order. */
export const VOICE_MAP: readonly VoiceMapEntry[] = Object.freeze([
  ...rows('openai', 'slt', 'female', ['alloy', 'coral', 'marin', 'sage', 'shimmer']),
  ...rows('openai', 'rms', 'male', ['ash', 'cedar', 'echo']),
  ...rows('openai', 'awb', 'male', ['ballad', 'verse']),
  ...rows('azure-realtime-native', 'slt', 'female', [
    'aarti',
    'ava',
    'denise',
    'diya',
    'elsa',
    'francisca',
    'meera',
    'xiaoxiao',
    'ximena',
  ]),
  ...rows('azure-realtime-native', 'rms', 'male', ['andrew', 'florian', 'yunxi']),
  // en-US neural voices (and their Multilingual / DragonHD variants).
  ...rows('azure-standard', 'slt', 'female', [
    'Amber',
    'Ana',
    'Aria',
    'Ashley',
    'Ava',
    'Cora',
    'Elizabeth',
    'Emma',
    'Jane',
    'Jenny',
    'Michelle',
    'Monica',
    'Nancy',
    'Phoebe',
    'Sara',
    'Serena',
    'Evelyn',
    'Lola',
    // Azure's "…TurboMultilingualNeural" versions of OpenAI voices.
    'Alloy',
    'Nova',
    'Shimmer',
    // en-GB / en-AU / en-IE female voices: only one female voice exists locally.
    'Sonia',
    'Libby',
    'Maisie',
    'Natasha',
    'Emily',
  ]),
  ...rows('azure-standard', 'rms', 'male', [
    'Adam',
    'Andrew',
    'Brandon',
    'Brian',
    'Christopher',
    'Davis',
    'Derek',
    'Dustin',
    'Eric',
    'Guy',
    'Jacob',
    'Jason',
    'Kai',
    'Roger',
    'Steffan',
    'Tony',
    'Echo',
    'Onyx',
  ]),
  // British-Isles male voices → the Scottish voice.
  ...rows('azure-standard', 'awb', 'male', ['Ryan', 'Thomas', 'Alfie', 'Oliver', 'Connor', 'William', 'Fable']),
  ...LOCAL_VOICE_IDS.map(
    (id): VoiceMapEntry => ({ source: 'local', name: id, gender: id === 'slt' ? 'female' : 'male', voiceId: id }),
  ),
]);

function lookup(source: VoiceSource, name: string): VoiceMapEntry | undefined {
  const key = name.toLowerCase();
  return VOICE_MAP.find((entry) => entry.source === source && entry.name.toLowerCase() === key);
}

function namesOf(source: VoiceSource): string {
  return VOICE_MAP.filter((entry) => entry.source === source)
    .map((entry) => entry.name)
    .join(', ');
}

/**
 * The short name inside an Azure voice name: "en-US-AvaNeural", "en-US-Ava:DragonHDLatestNeural",
 * "en-US-AvaMultilingualNeural" and "Ava" all give "Ava". Returns undefined for malformed names.
 */
export function azureVoiceShortName(fullName: string): string | undefined {
  let name = fullName.trim();
  const colon = name.indexOf(':');
  if (colon >= 0) name = name.slice(0, colon);
  // Locale prefix: "en-US-", "zh-CN-", "en-US-x-" variants; the short name is the last dash part.
  const parts = name.split('-');
  name = parts[parts.length - 1] ?? '';
  name = name.replace(/Neural$/, '').replace(/(Multilingual|Turbo)+$/, '');
  return /^[A-Za-z]+$/.test(name) ? name : undefined;
}

/** Named SSML prosody rates, as Azure defines them. */
const NAMED_RATES: Readonly<Record<string, number>> = {
  'x-slow': 0.5,
  slow: 0.64,
  medium: 1,
  default: 1,
  fast: 1.55,
  'x-fast': 2,
};

/** Engine rate range; `TtsOptions.rate` must stay inside it. */
export const MIN_SPEAKING_RATE = 0.5;
export const MAX_SPEAKING_RATE = 2;

function clampRate(rate: number): number {
  return Math.min(MAX_SPEAKING_RATE, Math.max(MIN_SPEAKING_RATE, rate));
}

/**
 * Parses an SSML prosody `rate` into a multiplier clamped to 0.5..2, or undefined if it is not one
 * of: a named level (`x-slow` 0.5, `slow` 0.64, `medium`/`default` 1, `fast` 1.55, `x-fast` 2), a
 * relative percentage (`+10%` → 1.1, `-20%` → 0.8), an absolute percentage (`150%` → 1.5), a
 * multiplier (`1.2`), or a signed relative number (`+0.2` → 1.2). Empty means default.
 */
export function parseProsodyRate(rate: string | number): number | undefined {
  if (typeof rate === 'number') return Number.isFinite(rate) && rate > 0 ? clampRate(rate) : undefined;
  const text = rate.trim().toLowerCase();
  if (text === '') return 1;
  const named = NAMED_RATES[text];
  if (named !== undefined) return named;
  const match = /^([+-]?)(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits, percent] = match;
  const value = Number(digits);
  let multiplier: number;
  if (percent) multiplier = sign ? 1 + (sign === '-' ? -value : value) / 100 : value / 100;
  else multiplier = sign ? 1 + (sign === '-' ? -value : value) : value;
  if (!(multiplier > 0)) return MIN_SPEAKING_RATE;
  return clampRate(multiplier);
}

/** OpenAI `speed` bounds. */
export const MIN_OPENAI_SPEED = 0.25;
export const MAX_OPENAI_SPEED = 1.5;

function describe(asked: string, voiceId: LocalVoiceId, rate: number): string {
  const rateText = rate === 1 ? '' : ` at ${Number(rate.toFixed(3))}× speed`;
  return `${asked} → ${LOCAL_VOICE_DESCRIPTIONS[voiceId]}${rateText}`;
}

/** A refusal of the session's voice settings, naming the offending field. */
export function unsupported(message: string, param: string): ResolvedVoice {
  return { ok: false, message, param };
}

/** The refusal of an OpenAI `speed` that is not a number from {@link MIN_OPENAI_SPEED} to {@link MAX_OPENAI_SPEED}; null when it is one. */
export function speedRefusal(speed: number): ResolvedVoice | null {
  if (typeof speed !== 'number' || !Number.isFinite(speed)) return unsupported('speed must be a number', 'session.speed');
  if (speed < MIN_OPENAI_SPEED || speed > MAX_OPENAI_SPEED) {
    return unsupported(`speed ${speed} is out of range; expected ${MIN_OPENAI_SPEED} to ${MAX_OPENAI_SPEED}`, 'session.speed');
  }
  return null;
}

/** An Azure voice object's SSML `rate` as a multiplier (1 when absent; see {@link parseProsodyRate}), or the refusal of one that cannot be read. */
export function azureVoiceRate(voice: AzureVoiceInput): number | ResolvedVoice {
  if (voice.rate === undefined || voice.rate === null) return 1;
  const parsed = typeof voice.rate === 'string' || typeof voice.rate === 'number' ? parseProsodyRate(voice.rate) : undefined;
  if (parsed === undefined) {
    return unsupported(
      `Unsupported voice rate ${JSON.stringify(voice.rate)}; use x-slow, slow, medium, fast, x-fast, default, ` +
        `a percentage like "+10%" / "-20%" / "150%", or a multiplier like "1.2"`,
      'session.voice.rate',
    );
  }
  return parsed;
}

/**
 * Resolves a session voice to a local voice and speaking rate.
 *
 * - string: an OpenAI voice name (alloy, ash, ballad, coral, echo, sage, shimmer, verse, marin,
 *   cedar) or a local id (slt, rms, awb, kal16, kal); case-insensitive.
 * - `{type:'openai', name}`: the same names.
 * - `{type:'azure-standard', name}`: well-known English neural voices by short name, any locale
 *   prefix or HD/Multilingual suffix.
 * - `{type:'azure-realtime-native', name}`: the native realtime voices (ava, andrew, …).
 * - custom, personal and avatar voices cannot be reproduced locally → error.
 *
 * The Azure `rate` (SSML prosody) and OpenAI `speedMultiplier` (0.25–1.5, default 1) multiply;
 * the product is clamped to 0.5..2.
 */
export function resolveVoice(voice: VoiceInput, speedMultiplier = 1): ResolvedVoice {
  const badSpeed = speedRefusal(speedMultiplier);
  if (badSpeed) return badSpeed;

  if (typeof voice === 'string') {
    const entry = lookup('openai', voice) ?? lookup('local', voice);
    if (!entry) {
      return unsupported(
        `Unsupported voice "${voice}". Supported: ${namesOf('openai')} (OpenAI names), ${namesOf('local')} (local voices), ` +
          `or a voice object of type azure-standard / azure-realtime-native.`,
        'session.voice',
      );
    }
    const rate = clampRate(speedMultiplier);
    return { ok: true, voiceId: entry.voiceId, rate, description: describe(`"${voice}"`, entry.voiceId, rate) };
  }

  if (typeof voice !== 'object' || voice === null || typeof voice.type !== 'string') {
    return unsupported('voice must be a string or an object with a "type"', 'session.voice');
  }

  const azureRate = azureVoiceRate(voice);
  if (typeof azureRate !== 'number') return azureRate;
  const rate = clampRate(azureRate * speedMultiplier);

  const name = typeof voice.name === 'string' ? voice.name : undefined;
  let entry: VoiceMapEntry | undefined;
  let supportedNames: string;
  switch (voice.type) {
    case 'openai':
      entry = name === undefined ? undefined : (lookup('openai', name) ?? lookup('local', name));
      supportedNames = `${namesOf('openai')}`;
      break;
    case 'azure-standard': {
      const shortName = name === undefined ? undefined : azureVoiceShortName(name);
      entry = shortName === undefined ? undefined : lookup('azure-standard', shortName);
      supportedNames = `en-US-<Name>Neural with <Name> one of ${namesOf('azure-standard')}`;
      break;
    }
    case 'azure-realtime-native':
      entry = lookup('azure-realtime-native', name ?? 'ava');
      supportedNames = namesOf('azure-realtime-native');
      break;
    case 'azure-custom':
    case 'azure-personal':
    case 'avatar-voice-sync':
      return unsupported(
        `Voice type "${voice.type}" is not available on this self-hosted server (it needs Azure-hosted voice models). ` +
          'Use an OpenAI voice name, or type azure-standard / azure-realtime-native.',
        'session.voice.type',
      );
    default:
      return unsupported(
        `Unsupported voice type "${voice.type}"; supported: openai, azure-standard, azure-realtime-native`,
        'session.voice.type',
      );
  }
  if (!entry) {
    return unsupported(
      `Unsupported ${voice.type} voice ${name === undefined ? '(missing name)' : `"${name}"`}. Supported: ${supportedNames}.`,
      'session.voice.name',
    );
  }
  return {
    ok: true,
    voiceId: entry.voiceId,
    rate,
    description: describe(`${voice.type} "${name ?? 'ava'}"`, entry.voiceId, rate),
  };
}
