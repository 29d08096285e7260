/**
 * The `scripted` LLM: a deterministic, rule-based placeholder used when no model is configured
 * (no LLM weights can be had from npm or Debian). It is not a language model. It answers from
 * simple rules so the voice pipeline can be tried end to end:
 *  - after a tool result, it reports what the tool returned;
 *  - when the session has tools and the user's words name one (e.g. "weather" → get_weather),
 *    it calls it with the arguments it can extract (a place after "in"/"for"/"at", numbers,
 *    quoted strings); if a required argument cannot be found it asks for it;
 *  - greetings get a greeting; anything else is echoed back ("You said: …").
 * Point voicelive at a real model (OpenAI-compatible endpoint or GGUF) for real conversations.
 */
import type { LlmDelta, LlmEngine, LlmMessage, LlmRequest, LlmToolDefinition } from './types.js';

export interface ScriptedLlmOptions {
  /** Delay between streamed words, to imitate token streaming in demos. Default 0. */
  wordDelayMs?: number;
}

const genericToolWords = new Set(['get', 'set', 'fetch', 'lookup', 'look', 'up', 'do', 'make', 'call', 'run', 'check', 'find', 'query', 'the', 'a', 'an', 'for', 'of', 'to', 'by', 'info', 'data', 'current']);

function toolKeywords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2 && !genericToolWords.has(w));
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
}

/** True when a keyword (or its simple plural/singular) is among the words. */
function mentions(textWords: string[], keyword: string): boolean {
  const stem = keyword.replace(/s$/, '');
  return textWords.some((w) => w === keyword || w.replace(/s$/, '') === stem);
}

const placeProperty = /^(location|city|place|destination|origin|town|country|region|address|where)$/i;

/** "in Paris", "for New York City", "at the Louvre" → the capitalised/rest phrase, punctuation trimmed. */
function extractPlace(text: string): string | null {
  const match = text.match(/\b(?:in|for|at|to|near|from)\s+([A-Za-z][\w'.-]*(?:\s+[A-Za-z][\w'.-]*){0,3})/);
  if (!match) return null;
  const stop = /\b(today|tomorrow|tonight|now|please|right|this|next|on|at|in|for|and)\b.*$/i;
  const place = match[1]!.replace(stop, '').replace(/[.?!,]+$/, '').trim();
  return place.length > 0 ? place.replace(/\b\w/g, (c) => c.toUpperCase()) : null;
}

function extractArguments(tool: LlmToolDefinition, text: string): { args: Record<string, unknown>; missing: string[] } {
  const schema = tool.parameters ?? {};
  const properties = (schema.properties ?? {}) as Record<string, { type?: string; enum?: unknown[] }>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const args: Record<string, unknown> = {};
  const numbers = text.match(/-?\d+(?:\.\d+)?/g) ?? [];
  const quoted = text.match(/"([^"]+)"|'([^']+)'/);
  for (const [name, prop] of Object.entries(properties)) {
    if (Array.isArray(prop.enum)) {
      const hit = prop.enum.find((v) => typeof v === 'string' && mentions(words(text), v.toLowerCase()));
      if (hit !== undefined) args[name] = hit;
    } else if (prop.type === 'number' || prop.type === 'integer') {
      const n = numbers.shift();
      if (n !== undefined) args[name] = prop.type === 'integer' ? Math.round(Number(n)) : Number(n);
    } else if (prop.type === 'string' || prop.type === undefined) {
      if (placeProperty.test(name)) {
        const place = extractPlace(text);
        if (place) args[name] = place;
      } else if (quoted) {
        args[name] = quoted[1] ?? quoted[2];
      }
    } else if (prop.type === 'boolean' && required.includes(name)) {
      args[name] = !/\b(no|not|don't|off|false)\b/i.test(text);
    }
  }
  return { args, missing: required.filter((r) => !(r in args)) };
}

function lastOf<T extends LlmMessage['role']>(messages: LlmMessage[], role: T): Extract<LlmMessage, { role: T }> | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === role) return messages[i] as Extract<LlmMessage, { role: T }>;
  return undefined;
}

function describeToolOutput(output: string): string {
  try {
    const value = JSON.parse(output) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const pairs = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k.replace(/_/g, ' ')} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      if (pairs.length > 0) return pairs.join(', ');
    }
    return String(value);
  } catch {
    return output.trim() || 'nothing';
  }
}

type Plan = { kind: 'text'; text: string } | { kind: 'tool'; tool: LlmToolDefinition; args: Record<string, unknown> };

export function planScriptedReply(request: LlmRequest): Plan {
  const { messages, tools, toolChoice } = request;
  const last = messages.at(-1);
  if (last?.role === 'tool_result') {
    const call = [...messages].reverse().find((m): m is Extract<LlmMessage, { role: 'tool_call' }> => m.role === 'tool_call' && m.callId === last.callId);
    const name = call ? call.name.replace(/_/g, ' ') : 'the tool';
    return { kind: 'text', text: `Here is what ${name} returned: ${describeToolOutput(last.output)}.` };
  }
  const user = lastOf(messages, 'user');
  const said = user?.content.trim() ?? '';
  const usableTools = toolChoice === 'none' ? [] : tools;
  if (usableTools.length > 0 && said) {
    const saidWords = words(said);
    const forced = typeof toolChoice === 'object' ? usableTools.find((t) => t.name === toolChoice.name) : undefined;
    const named = forced ?? usableTools.find((t) => toolKeywords(t.name).some((k) => mentions(saidWords, k)));
    const chosen = named ?? (toolChoice === 'required' ? usableTools[0] : undefined);
    if (chosen) {
      const { args, missing } = extractArguments(chosen, said);
      if (missing.length === 0 || forced || toolChoice === 'required') return { kind: 'tool', tool: chosen, args };
      return { kind: 'text', text: `I can use ${chosen.name.replace(/_/g, ' ')}, but I need the ${missing.join(' and ').replace(/_/g, ' ')}. Could you tell me?` };
    }
  }
  if (!said) return { kind: 'text', text: "I didn't catch that. Could you say it again?" };
  if (/^(hi|hello|hey|good (morning|afternoon|evening))\b/i.test(said)) {
    return { kind: 'text', text: 'Hello! I am the voicelive scripted assistant, a placeholder until you connect a real model. What would you like to try?' };
  }
  const echoed = said.replace(/[.?!\s]+$/, '');
  return { kind: 'text', text: said.endsWith('?') ? `You asked: ${echoed}?` : `You said: ${echoed}.` };
}

let callCounter = 0;

export class ScriptedLlmEngine implements LlmEngine {
  readonly name = 'scripted';
  readonly description = 'scripted (rule-based placeholder, not a language model: echoes the user and calls tools named in their words)';
  readonly capabilities = { tools: true, parallelToolCalls: false, exactUsage: false };

  constructor(private readonly options: ScriptedLlmOptions = {}) {}

  async *generate(request: LlmRequest, signal: AbortSignal): AsyncIterable<LlmDelta> {
    const plan = planScriptedReply(request);
    const pause = async () => {
      const ms = this.options.wordDelayMs ?? 0;
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    };
    if (plan.kind === 'tool') {
      const callId = `call_scripted_${++callCounter}`;
      yield { type: 'tool_call_start', index: 0, callId, name: plan.tool.name };
      const json = JSON.stringify(plan.args);
      // Stream the arguments in a few pieces, as real models do.
      for (let i = 0; i < json.length; i += 8) {
        if (signal.aborted) return;
        yield { type: 'tool_call_arguments', index: 0, delta: json.slice(i, i + 8) };
      }
      yield { type: 'finish', reason: 'tool_calls' };
      return;
    }
    const limit = request.maxOutputTokens === 'inf' ? Infinity : request.maxOutputTokens;
    const pieces = plan.text.match(/\S+\s*/g) ?? [];
    let emitted = 0;
    for (const piece of pieces) {
      if (signal.aborted) return;
      if (emitted >= limit) {
        yield { type: 'finish', reason: 'length' };
        return;
      }
      await pause();
      if (signal.aborted) return;
      yield { type: 'text', text: piece };
      emitted++;
    }
    yield { type: 'finish', reason: 'stop' };
  }
}
