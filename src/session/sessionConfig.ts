/**
 * The session's effective configuration: defaults for `session.created`, and `session.update`
 * applied field by field (absent = unchanged, null = cleared, nested objects replaced whole).
 * A rejected update throws ProtocolError and leaves the previous config in force.
 */
import { ProtocolError } from '../protocol/errors.js';
import type { WarningBody } from '../protocol/serverEvents.js';
import { knownSessionFields, normalizeToolChoice } from '../protocol/session.js';
import type {
  FunctionTool,
  SessionConfig,
  SessionUpdate,
  Tool,
  TurnDetection,
  TurnDetectionInput,
  Voice,
} from '../protocol/session.js';

/** What the connection knows that changes defaults and validation. */
export interface SessionContext {
  /** The Voice Live `api-version` query value, or null on OpenAI paths. */
  apiVersion: string | null;
  /** Voice Live path (Azure defaults, warnings allowed) vs OpenAI paths. */
  flavor: 'voice-live' | 'openai';
  /** Validates a voice against the TTS engine's voices; returns an error message or null. */
  checkVoice(voice: Voice): string | null;
  /** Which optional processing the server can really do, so accepted-but-inactive settings are reported. */
  features: { noiseSuppression: boolean; echoCancellation: boolean };
}

export interface SessionDefaults {
  model: string;
  instructions: string;
  voice: Voice;
  temperature: number;
  maxSessionDurationMs: number;
}

/** Azure changed the server_vad prefix padding default at api-version 2026-04-10 (spec §3.4). */
function azurePaddingIsNew(apiVersion: string | null): boolean {
  if (!apiVersion) return true;
  const date = apiVersion.slice(0, 10);
  return !/^\d{4}-\d{2}-\d{2}$/.test(date) || date >= '2026-04-10';
}

/** Silence before end of turn for `semantic_vad` eagerness (it runs as server_vad until a semantic model exists). */
const silenceMsByEagerness = { low: 1200, medium: 800, auto: 800, high: 500 } as const;

export function turnDetectionWithDefaults(input: Exclude<TurnDetectionInput, { type: 'none' }>, context: SessionContext): TurnDetection {
  const newPadding = context.flavor === 'voice-live' && azurePaddingIsNew(context.apiVersion);
  if (input.type === 'semantic_vad') {
    const eagerness = input.eagerness ?? 'auto';
    return {
      ...input,
      type: 'semantic_vad',
      eagerness,
      threshold: 0.5,
      prefix_padding_ms: 300,
      silence_duration_ms: silenceMsByEagerness[eagerness],
      speech_duration_ms: 80,
      create_response: input.create_response ?? true,
      interrupt_response: input.interrupt_response ?? true,
      auto_truncate: false,
    };
  }
  const semantic = input.type !== 'server_vad';
  const result: TurnDetection = {
    ...input,
    type: input.type,
    threshold: input.threshold ?? 0.5,
    prefix_padding_ms: input.prefix_padding_ms ?? (semantic ? (newPadding ? 420 : 300) : newPadding ? 400 : 300),
    silence_duration_ms: input.silence_duration_ms ?? 500,
    speech_duration_ms: input.speech_duration_ms ?? (semantic ? 80 : 200),
    create_response: input.create_response ?? true,
    interrupt_response: input.interrupt_response ?? true,
    auto_truncate: input.auto_truncate ?? false,
  };
  if (semantic) result.remove_filler_words = (input as { remove_filler_words?: boolean }).remove_filler_words ?? false;
  return result;
}

export function defaultSessionConfig(id: string, defaults: SessionDefaults, context: SessionContext, nowMs: number): SessionConfig {
  return {
    id,
    object: 'realtime.session',
    model: defaults.model,
    expires_at: Math.floor((nowMs + defaults.maxSessionDurationMs) / 1000),
    modalities: ['text', 'audio'],
    instructions: defaults.instructions,
    voice: defaults.voice,
    input_audio_format: 'pcm16',
    output_audio_format: 'pcm16',
    input_audio_sampling_rate: 24000,
    turn_detection: turnDetectionWithDefaults({ type: 'server_vad' }, context),
    input_audio_noise_reduction: null,
    input_audio_echo_cancellation: null,
    input_audio_transcription: null,
    tools: [],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    temperature: defaults.temperature,
    max_response_output_tokens: 'inf',
  };
}

/** Only `function` tools run here; MCP, agent and search tools are refused clearly. */
export function functionToolsOnly(tools: Tool[], paramPrefix: string): FunctionTool[] {
  return tools.map((tool, index) => {
    if (tool.type !== 'function') {
      throw new ProtocolError(
        'not_supported',
        `Tool type '${tool.type}' is not supported by this server; only 'function' tools are.`,
        `${paramPrefix}[${index}].type`,
      );
    }
    return tool as FunctionTool;
  });
}

export function checkModalities(modalities: string[], param: string): SessionConfig['modalities'] {
  for (const m of modalities) {
    if (m === 'animation' || m === 'avatar') {
      throw new ProtocolError('not_supported', `The '${m}' modality is not supported by this server.`, param);
    }
  }
  if (!modalities.includes('text')) {
    throw new ProtocolError('invalid_value', `Invalid modalities: ${JSON.stringify(modalities)}. Use ["text"] or ["text", "audio"].`, param);
  }
  return [...new Set(modalities)] as SessionConfig['modalities'];
}

export interface AppliedUpdate {
  config: SessionConfig;
  warnings: WarningBody[];
}

/** Applies `session.update.session` to `current`; throws ProtocolError without changing anything. */
export function applySessionUpdate(current: SessionConfig, update: SessionUpdate, context: SessionContext): AppliedUpdate {
  const next: SessionConfig = structuredClone(current);
  const warnings: WarningBody[] = [];
  const has = (key: string) => Object.prototype.hasOwnProperty.call(update, key) && (update as Record<string, unknown>)[key] !== undefined;

  if (has('model') && update.model !== current.model) {
    throw new ProtocolError('cannot_update_model', `The model cannot be changed after connecting (session model is '${current.model}').`, 'session.model');
  }
  if (has('modalities')) next.modalities = checkModalities(update.modalities!, 'session.modalities');
  if (has('instructions')) next.instructions = update.instructions!;
  if (has('voice')) {
    const problem = context.checkVoice(update.voice!);
    if (problem) throw new ProtocolError('invalid_value', problem, 'session.voice');
    next.voice = update.voice!;
  }
  if (has('input_audio_format')) next.input_audio_format = update.input_audio_format!;
  if (has('input_audio_sampling_rate')) next.input_audio_sampling_rate = update.input_audio_sampling_rate!;
  if (next.input_audio_format !== 'pcm16') {
    if (has('input_audio_sampling_rate') && update.input_audio_sampling_rate !== 8000) {
      throw new ProtocolError('invalid_value', `${next.input_audio_format} audio is always 8000 Hz; input_audio_sampling_rate must be 8000.`, 'session.input_audio_sampling_rate');
    }
    next.input_audio_sampling_rate = 8000;
  } else if (current.input_audio_format !== 'pcm16' && !has('input_audio_sampling_rate')) {
    next.input_audio_sampling_rate = 24000;
  }
  if (has('output_audio_format')) next.output_audio_format = update.output_audio_format!;

  if (has('turn_detection')) {
    const td = update.turn_detection;
    next.turn_detection = td === null || td!.type === 'none' ? null : turnDetectionWithDefaults(td as Exclude<TurnDetectionInput, { type: 'none' }>, context);
  }
  if (has('input_audio_noise_reduction')) {
    next.input_audio_noise_reduction = update.input_audio_noise_reduction ?? null;
    if (next.input_audio_noise_reduction && !context.features.noiseSuppression) {
      warnings.push({
        code: 'feature_inactive',
        param: 'session.input_audio_noise_reduction',
        message: 'input_audio_noise_reduction is accepted but no noise suppressor is active in this server build; audio is used as sent.',
      });
    }
  }
  if (has('input_audio_echo_cancellation')) {
    const ec = update.input_audio_echo_cancellation ?? null;
    if (ec) {
      const source = ec.reference_source ?? 'server';
      const channels = ec.channels ?? 1;
      if (source === 'server' && channels === 2) {
        throw new ProtocolError('invalid_ec_channels_requires_client', 'channels: 2 requires reference_source: "client".', 'session.input_audio_echo_cancellation.channels');
      }
      if (source === 'client' && channels === 1) {
        throw new ProtocolError('invalid_ec_reference_channels', 'reference_source: "client" requires channels: 2 (stereo input with the reference on channel 1).', 'session.input_audio_echo_cancellation.channels');
      }
      if (channels === 2 && next.input_audio_format !== 'pcm16') {
        throw new ProtocolError('invalid_value', 'Stereo echo-cancellation input requires input_audio_format "pcm16".', 'session.input_audio_echo_cancellation.channels');
      }
      if (!context.features.echoCancellation) {
        warnings.push({
          code: 'feature_inactive',
          param: 'session.input_audio_echo_cancellation',
          message: 'input_audio_echo_cancellation is accepted but no echo canceller is active in this server build; audio is used as sent.',
        });
      }
    }
    next.input_audio_echo_cancellation = ec;
  }
  if (has('input_audio_transcription')) next.input_audio_transcription = update.input_audio_transcription ?? null;
  if (has('tools')) next.tools = functionToolsOnly(update.tools!, 'session.tools');
  if (has('tool_choice')) next.tool_choice = normalizeToolChoice(update.tool_choice!);
  if (has('parallel_tool_calls')) next.parallel_tool_calls = update.parallel_tool_calls!;
  if (has('temperature')) next.temperature = update.temperature!;
  if (has('max_response_output_tokens')) next.max_response_output_tokens = update.max_response_output_tokens!;
  else if (has('max_output_tokens')) next.max_response_output_tokens = update.max_output_tokens!;
  if (has('speed')) next.speed = update.speed!;
  if (has('reasoning_effort')) next.reasoning_effort = update.reasoning_effort!;
  if (has('output_audio_timestamp_types')) next.output_audio_timestamp_types = update.output_audio_timestamp_types!;
  if (has('include')) next.include = update.include!;
  if (has('metadata')) next.metadata = update.metadata ?? null;

  for (const key of ['avatar', 'animation'] as const) {
    if (has(key) && update[key] !== null) {
      throw new ProtocolError('not_supported', `session.${key} is not supported by this server (no ${key} renderer).`, `session.${key}`);
    }
  }
  for (const key of ['interim_response', 'interim-response'] as const) {
    if (has(key) && update[key] !== null) {
      warnings.push({ code: 'feature_inactive', param: `session.${key}`, message: 'interim_response is accepted but not implemented yet; no filler speech is produced.' });
    }
  }
  if (context.flavor === 'voice-live') {
    const unknown = Object.keys(update).filter((k) => !knownSessionFields.has(k));
    if (unknown.length > 0) {
      warnings.push({
        code: 'unknown_parameter',
        param: `session.${unknown[0]}`,
        message: `Ignored unknown session field(s): ${unknown.map((k) => `session.${k}`).join(', ')}.`,
      });
    }
  }
  return { config: next, warnings };
}
