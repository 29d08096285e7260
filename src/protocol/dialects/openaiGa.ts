/**
 * The OpenAI GA dialect (spec §10): `/v1/realtime` and `/openai/v1/realtime` without the beta
 * signal. GA names (`response.output_audio.delta`, `conversation.item.added/done`), nested
 * `audio.input/output` session shape, format objects and `output_modalities`.
 */
import type { Item } from '../items.js';
import type { ResponseObject } from '../responses.js';
import type { ServerEvent } from '../serverEvents.js';
import type { SessionConfig } from '../session.js';
import type { Dialect } from './dialect.js';

type Json = Record<string, unknown>;

const renamedServerTypes: Record<string, string> = {
  'response.text.delta': 'response.output_text.delta',
  'response.text.done': 'response.output_text.done',
  'response.audio.delta': 'response.output_audio.delta',
  'response.audio.done': 'response.output_audio.done',
  'response.audio_transcript.delta': 'response.output_audio_transcript.delta',
  'response.audio_transcript.done': 'response.output_audio_transcript.done',
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** GA format object → canonical format id (+ sampling rate for PCM input). */
function formatIdFromGa(format: unknown): { id: string; rateHz?: number } | { invalid: unknown } {
  if (!isObject(format)) return { invalid: format };
  switch (format.type) {
    case 'audio/pcm':
      return { id: 'pcm16', rateHz: typeof format.rate === 'number' ? format.rate : 24000 };
    case 'audio/pcmu':
      return { id: 'g711_ulaw' };
    case 'audio/pcma':
      return { id: 'g711_alaw' };
    default:
      return { invalid: format.type };
  }
}

function formatToGa(id: string, rateHz?: number): Json {
  if (id === 'g711_ulaw') return { type: 'audio/pcmu' };
  if (id === 'g711_alaw') return { type: 'audio/pcma' };
  const rate = id === 'pcm16_16000hz' ? 16000 : id === 'pcm16_8000hz' ? 8000 : (rateHz ?? 24000);
  return { type: 'audio/pcm', rate };
}

function outputModalitiesToCanonical(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.includes('audio') ? ['text', 'audio'] : value;
}

function sessionToCanonical(session: unknown): unknown {
  if (!isObject(session)) return session;
  const { audio, output_modalities, type: _type, ...rest } = session;
  const out: Json = { ...rest };
  if (output_modalities !== undefined) out.modalities = outputModalitiesToCanonical(output_modalities);
  if (isObject(audio)) {
    const input = isObject(audio.input) ? audio.input : {};
    const output = isObject(audio.output) ? audio.output : {};
    if (input.format !== undefined) {
      const f = formatIdFromGa(input.format);
      if ('id' in f) {
        out.input_audio_format = f.id;
        if (f.rateHz !== undefined) out.input_audio_sampling_rate = f.rateHz;
      } else out.input_audio_format = f.invalid;
    }
    if ('turn_detection' in input) out.turn_detection = input.turn_detection;
    if ('transcription' in input) out.input_audio_transcription = input.transcription;
    if ('noise_reduction' in input) out.input_audio_noise_reduction = input.noise_reduction;
    if (output.format !== undefined) {
      const f = formatIdFromGa(output.format);
      if ('id' in f) {
        const rate = f.rateHz;
        out.output_audio_format = f.id === 'pcm16' && rate === 16000 ? 'pcm16_16000hz' : f.id === 'pcm16' && rate === 8000 ? 'pcm16_8000hz' : f.id;
      } else out.output_audio_format = f.invalid;
    }
    if (output.voice !== undefined) out.voice = isObject(output.voice) && typeof output.voice.id === 'string' ? output.voice.id : output.voice;
    if (output.speed !== undefined) out.speed = output.speed;
  }
  return out;
}

function responseParamsToCanonical(response: unknown): unknown {
  if (!isObject(response)) return response;
  const { audio, output_modalities, ...rest } = response;
  const out: Json = { ...rest };
  if (output_modalities !== undefined) out.modalities = outputModalitiesToCanonical(output_modalities);
  if (isObject(audio) && isObject(audio.output)) {
    if (audio.output.voice !== undefined) out.voice = audio.output.voice;
    if (audio.output.format !== undefined) {
      const f = formatIdFromGa(audio.output.format);
      out.output_audio_format = 'id' in f ? f.id : f.invalid;
    }
  }
  return out;
}

function itemToGa(item: Item): Json {
  if (item.type !== 'message' || item.role !== 'assistant') return item as unknown as Json;
  return {
    ...item,
    content: item.content.map((part) => {
      if (part.type === 'text') return { ...part, type: 'output_text' };
      if (part.type === 'audio') return { ...part, type: 'output_audio' };
      return part;
    }),
  };
}

function sessionToGa(session: SessionConfig): Json {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: session.id,
    model: session.model,
    expires_at: session.expires_at,
    output_modalities: session.modalities.includes('audio') ? ['audio'] : ['text'],
    instructions: session.instructions,
    audio: {
      input: {
        format: formatToGa(session.input_audio_format, session.input_audio_sampling_rate),
        transcription: session.input_audio_transcription,
        noise_reduction: session.input_audio_noise_reduction,
        turn_detection: session.turn_detection,
      },
      output: {
        format: formatToGa(session.output_audio_format),
        voice: session.voice,
        speed: session.speed ?? 1,
      },
    },
    tools: session.tools,
    tool_choice: session.tool_choice,
    parallel_tool_calls: session.parallel_tool_calls,
    max_output_tokens: session.max_response_output_tokens,
    tracing: null,
    truncation: 'auto',
    include: session.include ?? null,
  };
}

function responseToGa(response: ResponseObject): Json {
  const { modalities, voice, output_audio_format, output, temperature: _t, max_output_tokens, ...rest } = response;
  return {
    ...rest,
    output: output.map(itemToGa),
    output_modalities: modalities.includes('audio') ? ['audio'] : ['text'],
    audio: { output: { format: formatToGa(output_audio_format), voice } },
    max_output_tokens,
  };
}

export function createOpenAiGaDialect(): Dialect {
  /** Items announced with conversation.item.added whose conversation.item.done is still owed. */
  const itemsAwaitingDone = new Set<string>();
  return {
    name: 'openai-ga',
    flavor: 'openai',
    decodeClient(raw) {
      if (raw.type === 'session.update' && isObject(raw.session) && raw.session.type === 'transcription') {
        return { ...raw, type: 'transcription_session.update' };
      }
      if (raw.type === 'session.update' && 'session' in raw) return { ...raw, session: sessionToCanonical(raw.session) };
      if (raw.type === 'response.create' && isObject(raw.response)) return { ...raw, response: responseParamsToCanonical(raw.response) };
      return raw;
    },
    encodeServer(event: ServerEvent) {
      switch (event.type) {
        case 'warning':
          return [];
        case 'session.created':
        case 'session.updated':
          return [{ type: event.type, session: sessionToGa(event.session) }];
        case 'response.created':
        case 'response.done':
          return [{ type: event.type, response: responseToGa(event.response) }];
        case 'conversation.item.created': {
          const added = { type: 'conversation.item.added', previous_item_id: event.previous_item_id, item: itemToGa(event.item) };
          if (event.item.status === 'in_progress') {
            itemsAwaitingDone.add(event.item.id);
            return [added];
          }
          return [added, { type: 'conversation.item.done', previous_item_id: event.previous_item_id, item: itemToGa(event.item) }];
        }
        case 'conversation.item.retrieved':
          return [{ ...event, item: itemToGa(event.item) }];
        case 'response.output_item.added':
        case 'response.output_item.done': {
          const wire: Json = { ...event, item: itemToGa(event.item) };
          if (event.type === 'response.output_item.done' && itemsAwaitingDone.delete(event.item.id)) {
            return [wire, { type: 'conversation.item.done', item: itemToGa(event.item) }];
          }
          return [wire];
        }
        // content_part events keep `text` / `audio` part types: that is what the openai package's GA types declare.
        default: {
          const renamed = renamedServerTypes[event.type];
          return [renamed ? { ...event, type: renamed } : (event as unknown as Json)];
        }
      }
    },
  };
}
