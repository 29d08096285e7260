/**
 * The session object (spec §3): the zod schemas that validate `session.update` and the effective
 * session type reported in `session.created` / `session.updated`. Wire names stay snake_case.
 */
import { z } from 'zod';

export const modalitySchema = z.enum(['text', 'audio', 'animation', 'avatar']);
export type Modality = z.infer<typeof modalitySchema>;

export const inputAudioFormatSchema = z.enum(['pcm16', 'g711_ulaw', 'g711_alaw']);
export type InputAudioFormatId = z.infer<typeof inputAudioFormatSchema>;

export const outputAudioFormatSchema = z.enum(['pcm16', 'pcm16_8000hz', 'pcm16_16000hz', 'g711_ulaw', 'g711_alaw']);
export type OutputAudioFormatId = z.infer<typeof outputAudioFormatSchema>;

export const inputSamplingRateSchema = z.union([z.literal(8000), z.literal(16000), z.literal(24000)]);

/** Azure voice objects (§3.2); unknown extra fields are kept and echoed. */
export const voiceObjectSchema = z.looseObject({
  type: z.enum(['openai', 'azure-standard', 'azure-custom', 'azure-personal', 'avatar-voice-sync', 'azure-realtime-native']),
  name: z.string().min(1).optional(),
  endpoint_id: z.string().optional(),
  model: z.string().optional(),
  temperature: z.number().min(0).max(1).optional(),
  rate: z.string().optional(),
  pitch: z.string().optional(),
  volume: z.string().optional(),
  style: z.string().optional(),
  locale: z.string().optional(),
  prefer_locales: z.array(z.string()).optional(),
  custom_lexicon_url: z.string().optional(),
  custom_text_normalization_url: z.string().optional(),
});
export type VoiceObject = z.infer<typeof voiceObjectSchema>;
export const voiceSchema = z.union([z.string().min(1, 'voice must be a non-empty string'), voiceObjectSchema]);
export type Voice = z.infer<typeof voiceSchema>;

const endOfUtteranceSchema = z.looseObject({
  model: z.string(),
  threshold_level: z.enum(['low', 'medium', 'high', 'default']).optional(),
  timeout_ms: z.number().int().min(0).max(60_000).optional(),
  threshold: z.number().optional(),
  timeout: z.number().optional(),
});

const vadTuningFields = {
  threshold: z.number().min(0).max(1).optional(),
  prefix_padding_ms: z.number().int().min(0).max(10_000).optional(),
  silence_duration_ms: z.number().int().min(0).max(60_000).optional(),
  speech_duration_ms: z.number().int().min(0).max(10_000).optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
  auto_truncate: z.boolean().optional(),
  end_of_utterance_detection: endOfUtteranceSchema.nullable().optional(),
  idle_timeout_ms: z.number().int().min(0).nullable().optional(),
};

export const semanticVadTypes = [
  'azure_semantic_vad',
  'azure_semantic_vad_en',
  'azure_semantic_vad_multilingual',
  'azure_multilingual_semantic_vad',
] as const;

export const turnDetectionInputSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('server_vad'), ...vadTuningFields }),
  z.looseObject({
    type: z.enum(semanticVadTypes),
    ...vadTuningFields,
    remove_filler_words: z.boolean().optional(),
    languages: z.array(z.string()).optional(),
    appended_text_after_truncation: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('semantic_vad'),
    eagerness: z.enum(['auto', 'low', 'medium', 'high']).optional(),
    create_response: z.boolean().optional(),
    interrupt_response: z.boolean().optional(),
    idle_timeout_ms: z.number().int().min(0).nullable().optional(),
  }),
  // Old Azure OpenAI docs: {type:"none"} means the same as null.
  z.looseObject({ type: z.literal('none') }),
]);
export type TurnDetectionInput = z.infer<typeof turnDetectionInputSchema>;

/** Effective turn detection: every field the detector needs, defaults filled in. */
export interface TurnDetection {
  type: 'server_vad' | 'semantic_vad' | (typeof semanticVadTypes)[number];
  threshold: number;
  prefix_padding_ms: number;
  silence_duration_ms: number;
  speech_duration_ms: number;
  create_response: boolean;
  interrupt_response: boolean;
  auto_truncate: boolean;
  eagerness?: 'auto' | 'low' | 'medium' | 'high';
  remove_filler_words?: boolean;
  languages?: string[];
  appended_text_after_truncation?: string;
  end_of_utterance_detection?: z.infer<typeof endOfUtteranceSchema> | null;
  idle_timeout_ms?: number | null;
  [extra: string]: unknown;
}

export const noiseReductionSchema = z.looseObject({
  type: z.enum(['azure_deep_noise_suppression', 'near_field', 'far_field']),
});
export type NoiseReduction = z.infer<typeof noiseReductionSchema>;

export const echoCancellationSchema = z.looseObject({
  type: z.literal('server_echo_cancellation'),
  reference_source: z.enum(['server', 'client']).optional(),
  channels: z.union([z.literal(1), z.literal(2)]).optional(),
});
export type EchoCancellation = z.infer<typeof echoCancellationSchema>;

export const transcriptionSchema = z.looseObject({
  model: z.string().min(1).optional(),
  language: z.string().optional(),
  prompt: z.string().optional(),
  phrase_list: z.array(z.string()).optional(),
  custom_speech: z.record(z.string(), z.string()).optional(),
});
export type InputAudioTranscription = z.infer<typeof transcriptionSchema>;

const toolNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 characters of letters, digits, "_" and "-"');

export const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  name: toolNameSchema,
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export type FunctionTool = z.infer<typeof functionToolSchema>;

/** Tool types the protocol knows but this server does not run; accepted by the parser, refused by the session. */
export const otherToolSchema = z.looseObject({
  type: z.enum(['mcp', 'foundry_agent', 'web_search', 'file_search']),
});
export const toolSchema = z.discriminatedUnion('type', [functionToolSchema, otherToolSchema]);
export type Tool = z.infer<typeof toolSchema>;

/** Every spelling of tool_choice the SDKs send (§3.1); normalized to the canonical form. */
export const toolChoiceInputSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), name: toolNameSchema }),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: toolNameSchema }) }),
  toolNameSchema,
]);
export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

export function normalizeToolChoice(input: z.infer<typeof toolChoiceInputSchema>): ToolChoice {
  if (input === 'auto' || input === 'none' || input === 'required') return input;
  if (typeof input === 'string') return { type: 'function', name: input };
  if ('name' in input && typeof input.name === 'string') return { type: 'function', name: input.name };
  return { type: 'function', name: (input as { function: { name: string } }).function.name };
}

export const maxOutputTokensSchema = z.union([z.number().int().min(1), z.literal('inf')]);

export const metadataSchema = z
  .record(z.string().max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, 'metadata holds at most 16 pairs');

/** `session.update.session`: every field optional; `null` is meaningful where allowed (§0 rule 9). */
export const sessionUpdateSchema = z.looseObject({
  model: z.string().optional(),
  modalities: z.array(modalitySchema).min(1).optional(),
  instructions: z.string().optional(),
  voice: voiceSchema.optional(),
  input_audio_format: inputAudioFormatSchema.optional(),
  output_audio_format: outputAudioFormatSchema.optional(),
  input_audio_sampling_rate: inputSamplingRateSchema.optional(),
  turn_detection: turnDetectionInputSchema.nullable().optional(),
  input_audio_noise_reduction: noiseReductionSchema.nullable().optional(),
  input_audio_echo_cancellation: echoCancellationSchema.nullable().optional(),
  input_audio_transcription: transcriptionSchema.nullable().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceInputSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_response_output_tokens: maxOutputTokensSchema.optional(),
  // OpenAI GA spelling, accepted on every path.
  max_output_tokens: maxOutputTokensSchema.optional(),
  speed: z.number().min(0.25).max(1.5).optional(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
  output_audio_timestamp_types: z.array(z.literal('word')).optional(),
  include: z.array(z.string()).optional(),
  metadata: metadataSchema.nullable().optional(),
  tracing: z.unknown().optional(),
  animation: z.unknown().optional(),
  avatar: z.unknown().optional(),
  interim_response: z.unknown().optional(),
  'interim-response': z.unknown().optional(),
});
export type SessionUpdate = z.infer<typeof sessionUpdateSchema>;

/** The known top-level session field names (for unknown-field warnings). */
export const knownSessionFields = new Set<string>([
  ...Object.keys(sessionUpdateSchema.shape),
  'id',
  'object',
  'expires_at',
  'client_secret',
  'type',
]);

/** The effective session, as reported in `session.created` / `session.updated` (Voice Live shape). */
export interface SessionConfig {
  id: string;
  object: 'realtime.session';
  model: string;
  expires_at: number;
  modalities: Modality[];
  instructions: string;
  voice: Voice;
  input_audio_format: InputAudioFormatId;
  output_audio_format: OutputAudioFormatId;
  input_audio_sampling_rate: 8000 | 16000 | 24000;
  turn_detection: TurnDetection | null;
  input_audio_noise_reduction: NoiseReduction | null;
  input_audio_echo_cancellation: EchoCancellation | null;
  input_audio_transcription: InputAudioTranscription | null;
  tools: FunctionTool[];
  tool_choice: ToolChoice;
  parallel_tool_calls: boolean;
  temperature: number;
  max_response_output_tokens: number | 'inf';
  speed?: number;
  reasoning_effort?: string;
  output_audio_timestamp_types?: 'word'[];
  include?: string[];
  metadata?: Record<string, string> | null;
}
