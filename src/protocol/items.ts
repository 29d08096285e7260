/**
 * Conversation items (spec §4): the schema of items clients create, and the item shapes the
 * server reports. Content parts use beta/Voice Live names (`text`, `audio`); the GA codec renames.
 */
import { z } from 'zod';

const itemIdSchema = z.string().min(1).max(64);

export const contentPartInputSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('input_text'), text: z.string() }),
  z.looseObject({ type: z.literal('input_audio'), audio: z.string().nullable().optional(), transcript: z.string().nullable().optional() }),
  z.looseObject({
    type: z.literal('input_image'),
    image_url: z.string().optional(),
    url: z.string().optional(),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('output_text'), text: z.string() }),
  z.looseObject({ type: z.literal('audio'), audio: z.string().nullable().optional(), transcript: z.string().nullable().optional() }),
  z.looseObject({ type: z.literal('output_audio'), audio: z.string().nullable().optional(), transcript: z.string().nullable().optional() }),
]);
export type ContentPartInput = z.infer<typeof contentPartInputSchema>;

export const messageItemInputSchema = z.looseObject({
  id: itemIdSchema.optional(),
  type: z.literal('message'),
  object: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system']),
  content: z.array(contentPartInputSchema),
  status: z.string().optional(),
});

export const functionCallItemInputSchema = z.looseObject({
  id: itemIdSchema.optional(),
  type: z.literal('function_call'),
  object: z.string().optional(),
  name: z.string().min(1),
  call_id: z.string().min(1),
  arguments: z.string(),
  status: z.string().optional(),
});

export const functionCallOutputItemInputSchema = z.looseObject({
  id: itemIdSchema.optional(),
  type: z.literal('function_call_output'),
  object: z.string().optional(),
  call_id: z.string().min(1),
  output: z.string(),
  status: z.string().optional(),
});

/** Item types the protocol knows but this server does not run (MCP, agents, search): refused with `not_supported`. */
export const unsupportedItemInputSchema = z.looseObject({
  type: z.enum([
    'mcp_list_tools',
    'mcp_call',
    'mcp_approval_request',
    'mcp_approval_response',
    'foundry_agent_call',
    'web_search_call',
    'file_search_call',
    'item_reference',
  ]),
  id: z.string().optional(),
});

export const itemInputSchema = z.discriminatedUnion('type', [
  messageItemInputSchema,
  functionCallItemInputSchema,
  functionCallOutputItemInputSchema,
  unsupportedItemInputSchema,
]);
export type ItemInput = z.infer<typeof itemInputSchema>;

// ---- Server-side item shapes ----

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export type ContentPart =
  | { type: 'input_text'; text: string }
  | { type: 'input_audio'; transcript: string | null; audio?: string }
  | { type: 'input_image'; image_url: string; detail: 'auto' | 'low' | 'high' }
  | { type: 'text'; text: string }
  | { type: 'audio'; transcript: string; audio?: string };

export interface MessageItem {
  id: string;
  object: 'realtime.item';
  type: 'message';
  role: 'user' | 'assistant' | 'system';
  status: ItemStatus;
  content: ContentPart[];
}

export interface FunctionCallItem {
  id: string;
  object: 'realtime.item';
  type: 'function_call';
  status: ItemStatus;
  name: string;
  call_id: string;
  arguments: string;
}

export interface FunctionCallOutputItem {
  id: string;
  object: 'realtime.item';
  type: 'function_call_output';
  status: ItemStatus;
  call_id: string;
  output: string;
}

export type Item = MessageItem | FunctionCallItem | FunctionCallOutputItem;
