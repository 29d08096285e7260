/**
 * `response.create` parameters merged over the session config: everything one response needs,
 * validated up front so a bad request is an error event and never a half-started response.
 */
import { ProtocolError } from '../protocol/errors.js';
import type { Item } from '../protocol/items.js';
import type { ResponseCreateParams } from '../protocol/responses.js';
import { normalizeToolChoice } from '../protocol/session.js';
import type { FunctionTool, Modality, OutputAudioFormatId, SessionConfig, ToolChoice, Voice } from '../protocol/session.js';
import type { Conversation } from './conversation.js';
import { itemFromInput } from './itemFactory.js';
import { checkModalities, functionToolsOnly } from './sessionConfig.js';
import type { SessionContext } from './sessionConfig.js';

export interface ResponseSettings {
  modalities: Modality[];
  instructions: string;
  voice: Voice;
  speed: number;
  outputAudioFormat: OutputAudioFormatId;
  tools: FunctionTool[];
  toolChoice: ToolChoice;
  parallelToolCalls: boolean;
  temperature: number;
  maxOutputTokens: number | 'inf';
  metadata: Record<string, string> | null;
  /** Output items are added to the conversation (false for `conversation: "none"` and `commit: false`). */
  writesConversation: boolean;
  /** The context items; null = the whole conversation at generation time. */
  contextItems: Item[] | null;
  /** Items appended to the conversation context (Azure `append_input_items`). */
  appendedItems: Item[];
  /** Speak this text instead of calling the LLM (Azure `pre_generated_assistant_message`). */
  preGeneratedText: string | null;
  /** Cancel an active response instead of refusing (Azure `cancel_previous: true`). */
  cancelPrevious: boolean;
}

function itemsFromInputs(inputs: NonNullable<ResponseCreateParams['input']>, conversation: Conversation, param: string): Item[] {
  return inputs.map((input, index) => {
    if (input.type === 'item_reference') {
      const id = (input as { id: string }).id;
      return conversation.require(id, `${param}[${index}].id`);
    }
    return itemFromInput(input, `${param}[${index}]`).item;
  });
}

export function resolveResponseSettings(
  params: ResponseCreateParams | null | undefined,
  additionalInstructions: string | undefined,
  session: SessionConfig,
  conversation: Conversation,
  context: SessionContext,
): ResponseSettings {
  const p = params ?? {};
  const conversationMode = p.conversation ?? 'auto';
  if (conversationMode !== 'auto' && conversationMode !== 'none') {
    throw new ProtocolError('invalid_value', `Invalid value for 'response.conversation': use "auto" or "none".`, 'response.conversation');
  }
  if (p.voice !== undefined) {
    const problem = context.checkVoice(p.voice);
    if (problem) throw new ProtocolError('invalid_value', problem, 'response.voice');
  }
  const extra = additionalInstructions ?? p.additional_instructions;
  const baseInstructions = p.instructions ?? session.instructions;
  const contextInputs = p.input ?? p.input_items;
  return {
    modalities: p.modalities ? checkModalities(p.modalities, 'response.modalities') : session.modalities,
    instructions: extra ? `${baseInstructions}${baseInstructions ? '\n\n' : ''}${extra}` : baseInstructions,
    voice: p.voice ?? session.voice,
    speed: session.speed ?? 1,
    outputAudioFormat: p.output_audio_format ?? session.output_audio_format,
    tools: p.tools ? functionToolsOnly(p.tools, 'response.tools') : session.tools,
    toolChoice: p.tool_choice ? normalizeToolChoice(p.tool_choice) : session.tool_choice,
    parallelToolCalls: p.parallel_tool_calls ?? session.parallel_tool_calls,
    temperature: p.temperature ?? session.temperature,
    maxOutputTokens: p.max_output_tokens ?? p.max_response_output_tokens ?? session.max_response_output_tokens,
    metadata: p.metadata ?? null,
    writesConversation: conversationMode === 'auto' && p.commit !== false,
    contextItems: contextInputs ? itemsFromInputs(contextInputs, conversation, p.input ? 'response.input' : 'response.input_items') : null,
    appendedItems: p.append_input_items ? p.append_input_items.map((input, i) => itemFromInput(input, `response.append_input_items[${i}]`).item) : [],
    preGeneratedText: p.pre_generated_assistant_message?.content[0]?.text ?? null,
    cancelPrevious: p.cancel_previous === true,
  };
}
