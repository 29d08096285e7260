/**
 * The voice agent's configuration: where to connect, how the session should behave, and what audio
 * the application works with. {@link resolveAgentConfig} checks it and fills in defaults;
 * {@link sessionUpdateFor} turns it into the `session.update` the agent sends on connect.
 *
 * The session itself always carries PCM16 mono at 24 kHz in both directions (the one format every
 * Voice Live / Realtime service accepts); the agent converts the application's audio to and from
 * it (see audioInput.ts and audioOutput.ts).
 */
import type { ConnectOptions } from '../client/connect.js';
import type { SessionUpdate } from '../client/resources.js';

/** Sample rate of the session's PCM16 audio, both directions. */
export const SESSION_SAMPLE_RATE_HZ = 24_000;

/** Interleaved 16-bit PCM as the application records or plays it. */
export interface AudioStreamFormat {
  /** Frames per second, e.g. 48 000, 44 100, 16 000. */
  sampleRateHz: number;
  /** Interleaved channels per frame (1 mono, 2 stereo, …). */
  channels: number;
}

/** A function the model may call (spec §3.7). */
export interface VoiceAgentFunctionTool {
  type?: 'function';
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters?: Record<string, unknown>;
}

/** Turn detection as the session takes it (`server_vad`, `azure_semantic_vad`, …); `null` means manual turns. */
export type TurnDetectionSetting = NonNullable<SessionUpdate['turn_detection']> | null;

/**
 * Where to connect, as the client's `connect()` takes it and the agent passes it on unchanged:
 * `endpoint`, `credential`, `model` or `agent` (give one), `apiVersion`, `path`, `headers`, `WebSocket`.
 */
export type AgentConnectionFields = Pick<ConnectOptions, 'endpoint' | 'credential' | 'model' | 'agent' | 'apiVersion' | 'path' | 'headers' | 'WebSocket'>;

export interface VoiceAgentConfig extends AgentConnectionFields {
  /** System prompt. */
  instructions?: string;
  /** Voice name (`alloy`, `en-US-AvaNeural`, …) or an Azure voice object. */
  voice?: SessionUpdate['voice'];
  /** Functions the model may call; calls arrive as `function_call` events. */
  tools?: VoiceAgentFunctionTool[];
  toolChoice?: SessionUpdate['tool_choice'];
  /** Absent: the server's default (server VAD). `null`: manual turns (`commitAudio()` + `createResponse()`). */
  turnDetection?: TurnDetectionSetting;
  /** `input_audio_transcription` (e.g. `{ model: 'whisper-1' }` or `{ model: 'azure-speech', language: 'en-US' }`); absent: the server's default. */
  inputTranscription?: SessionUpdate['input_audio_transcription'];
  /** Default `['text', 'audio']`; `['text']` for text-only answers. */
  modalities?: ('text' | 'audio')[];
  temperature?: number;
  /** More `session.update` fields, sent as given (e.g. Azure `input_audio_noise_reduction`). Agent-managed fields win. */
  sessionOverrides?: SessionUpdate;

  /** What `pushAudio()` receives. Default 24 000 Hz mono. */
  inputAudio?: Partial<AudioStreamFormat>;
  /** What `agent_audio` events carry. Default 24 000 Hz mono. */
  outputAudio?: Partial<AudioStreamFormat>;

  /** Limit for `connect()` as a whole (WebSocket, `session.created`, `session.update` acknowledged). Default 15 000 ms. */
  connectTimeoutMs?: number;
  /** Limit for `updateSession()` to be acknowledged. Default 10 000 ms. */
  sessionUpdateTimeoutMs?: number;
  /** How long `close()` waits for the server's close frame. Default 3000 ms. */
  closeTimeoutMs?: number;
  /**
   * When the user starts speaking while assistant audio is still being generated or (estimated to
   * be) playing, drop the queued output and truncate the assistant item to what was played.
   * Default true. Skipped when the session's turn detection has `interrupt_response: false`, and
   * the truncation is left to the server when it has `auto_truncate: true`.
   */
  interruptOnUserSpeech?: boolean;
  /** Monotonic clock in ms for metrics; default `performance.now()`. */
  now?: () => number;
}

/** The config with every default filled in and every value checked. */
export interface ResolvedAgentConfig extends VoiceAgentConfig {
  inputAudio: AudioStreamFormat;
  outputAudio: AudioStreamFormat;
  modalities: ('text' | 'audio')[];
  connectTimeoutMs: number;
  sessionUpdateTimeoutMs: number;
  closeTimeoutMs: number;
  interruptOnUserSpeech: boolean;
  now: () => number;
}

const MAX_CHANNELS = 32;
const MAX_SAMPLE_RATE_HZ = 768_000;

function checkFormat(name: string, given: Partial<AudioStreamFormat> | undefined): AudioStreamFormat {
  const sampleRateHz = given?.sampleRateHz ?? SESSION_SAMPLE_RATE_HZ;
  const channels = given?.channels ?? 1;
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 1000 || sampleRateHz > MAX_SAMPLE_RATE_HZ) {
    throw new RangeError(`${name}.sampleRateHz must be an integer from 1000 to ${MAX_SAMPLE_RATE_HZ}, got ${sampleRateHz}`);
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    throw new RangeError(`${name}.channels must be an integer from 1 to ${MAX_CHANNELS}, got ${channels}`);
  }
  return { sampleRateHz, channels };
}

function checkPositive(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved <= 0) throw new RangeError(`${name} must be a positive number of ms, got ${resolved}`);
  return resolved;
}

/** Checks the config and fills in defaults. Throws `TypeError` / `RangeError` for invalid values. */
export function resolveAgentConfig(config: VoiceAgentConfig): ResolvedAgentConfig {
  if (!config || typeof config !== 'object') throw new TypeError('the voice agent needs a config object');
  if (!config.endpoint) throw new TypeError('config.endpoint is required');
  if (config.credential === undefined || config.credential === null) throw new TypeError('config.credential is required');
  if (!config.model && !config.agent) throw new TypeError('config.model (or config.agent) is required');
  const modalities = config.modalities ?? ['text', 'audio'];
  if (modalities.length === 0 || modalities.some((m) => m !== 'text' && m !== 'audio')) {
    throw new TypeError(`config.modalities must be a non-empty list of 'text' and 'audio', got ${JSON.stringify(modalities)}`);
  }
  for (const tool of config.tools ?? []) {
    if (!tool || typeof tool.name !== 'string' || !tool.name) throw new TypeError('every tool needs a name');
  }
  return {
    ...config,
    inputAudio: checkFormat('inputAudio', config.inputAudio),
    outputAudio: checkFormat('outputAudio', config.outputAudio),
    modalities,
    connectTimeoutMs: checkPositive('connectTimeoutMs', config.connectTimeoutMs, 15_000),
    sessionUpdateTimeoutMs: checkPositive('sessionUpdateTimeoutMs', config.sessionUpdateTimeoutMs, 10_000),
    closeTimeoutMs: checkPositive('closeTimeoutMs', config.closeTimeoutMs, 3000),
    interruptOnUserSpeech: config.interruptOnUserSpeech ?? true,
    now: config.now ?? (() => performance.now()),
  };
}

/**
 * The `session.update.session` the agent sends on connect: the overrides, then the configured
 * fields, then the audio formats the agent relies on (PCM16 at 24 kHz both ways). Fields the config
 * leaves out are left out, so the server keeps its defaults.
 */
export function sessionUpdateFor(config: ResolvedAgentConfig): SessionUpdate {
  const session: SessionUpdate = { ...config.sessionOverrides };
  session.modalities = [...config.modalities];
  if (config.instructions !== undefined) session.instructions = config.instructions;
  if (config.voice !== undefined) session.voice = config.voice;
  if (config.tools !== undefined) {
    session.tools = config.tools.map((tool) => ({ ...tool, type: 'function' as const }));
  }
  if (config.toolChoice !== undefined) session.tool_choice = config.toolChoice;
  if (config.turnDetection !== undefined) session.turn_detection = config.turnDetection;
  if (config.inputTranscription !== undefined) session.input_audio_transcription = config.inputTranscription;
  if (config.temperature !== undefined) session.temperature = config.temperature;
  session.input_audio_format = 'pcm16';
  session.output_audio_format = 'pcm16';
  // The input rate stays the default 24 kHz (OpenAI does not know this Azure field at all).
  delete session.input_audio_sampling_rate;
  return session;
}
