/**
 * The response object (spec §5) and the `response.create` parameters (§6).
 */
import { z } from 'zod';
import { itemInputSchema } from './items.js';
import type { Item } from './items.js';
import {
  maxOutputTokensSchema,
  metadataSchema,
  modalitySchema,
  outputAudioFormatSchema,
  toolChoiceInputSchema,
  toolSchema,
  voiceSchema,
} from './session.js';
import type { Modality, OutputAudioFormatId, Voice } from './session.js';

export const responseCreateParamsSchema = z.looseObject({
  modalities: z.array(modalitySchema).min(1).optional(),
  instructions: z.string().optional(),
  voice: voiceSchema.optional(),
  output_audio_format: outputAudioFormatSchema.optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceInputSchema.optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_output_tokens: maxOutputTokensSchema.optional(),
  max_response_output_tokens: maxOutputTokensSchema.optional(),
  conversation: z.union([z.enum(['auto', 'none']), z.string()]).optional(),
  input: z.array(z.union([itemInputSchema, z.looseObject({ type: z.literal('item_reference'), id: z.string() })])).optional(),
  input_items: z.array(itemInputSchema).optional(),
  append_input_items: z.array(itemInputSchema).optional(),
  commit: z.boolean().optional(),
  cancel_previous: z.boolean().optional(),
  metadata: metadataSchema.nullable().optional(),
  parallel_tool_calls: z.boolean().optional(),
  pre_generated_assistant_message: z
    .looseObject({
      type: z.literal('message').optional(),
      role: z.literal('assistant').optional(),
      content: z.array(z.looseObject({ type: z.enum(['text', 'output_text']), text: z.string() })).length(1),
    })
    .optional(),
  reasoning_effort: z.string().optional(),
  additional_instructions: z.string().optional(),
  interim_response: z.unknown().optional(),
  invoke_input: z.unknown().optional(),
});
export type ResponseCreateParams = z.infer<typeof responseCreateParamsSchema>;

export interface Usage {
  total_tokens: number;
  input_tokens: number;
  output_tokens: number;
  input_token_details: {
    cached_tokens: number;
    text_tokens: number;
    audio_tokens: number;
    image_tokens: number;
    cached_tokens_details: { text_tokens: number; audio_tokens: number; image_tokens: number };
  };
  output_token_details: { text_tokens: number; audio_tokens: number; reasoning_tokens: number };
}

export type ResponseStatus = 'in_progress' | 'completed' | 'cancelled' | 'incomplete' | 'failed';

export type ResponseStatusDetails =
  | null
  | { type: 'cancelled'; reason: 'turn_detected' | 'client_cancelled' }
  | { type: 'incomplete'; reason: 'max_output_tokens' | 'content_filter' }
  | { type: 'failed'; error: { type: string; code: string | null; message: string } };

export interface ResponseObject {
  id: string;
  object: 'realtime.response';
  status: ResponseStatus;
  status_details: ResponseStatusDetails;
  output: Item[];
  usage: Usage | null;
  conversation_id: string | null;
  voice: Voice;
  modalities: Modality[];
  output_audio_format: OutputAudioFormatId;
  temperature: number;
  max_output_tokens: number | 'inf';
  metadata: Record<string, string> | null;
}

/** A complete usage object (spec §0 rule 3: never partial). */
export function makeUsage(counts: {
  inputTextTokens: number;
  inputAudioTokens: number;
  cachedTextTokens?: number;
  outputTextTokens: number;
  outputAudioTokens: number;
}): Usage {
  const cachedText = counts.cachedTextTokens ?? 0;
  const input = counts.inputTextTokens + counts.inputAudioTokens;
  const output = counts.outputTextTokens + counts.outputAudioTokens;
  return {
    total_tokens: input + output,
    input_tokens: input,
    output_tokens: output,
    input_token_details: {
      cached_tokens: cachedText,
      text_tokens: counts.inputTextTokens,
      audio_tokens: counts.inputAudioTokens,
      image_tokens: 0,
      cached_tokens_details: { text_tokens: cachedText, audio_tokens: 0, image_tokens: 0 },
    },
    output_token_details: { text_tokens: counts.outputTextTokens, audio_tokens: counts.outputAudioTokens, reasoning_tokens: 0 },
  };
}
