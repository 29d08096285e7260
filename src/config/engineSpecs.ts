/**
 * Engine specifications: which LLM, ASR and TTS engine a model profile uses, as written in config
 * files, environment variables and CLI flags. Strings are shorthands for the common cases
 * (`scripted`, `gguf:./model.gguf`, `pocketsphinx`, `flite`); objects configure OpenAI-compatible
 * endpoints. Secrets are given as `apiKey` or, better, `apiKeyEnv` (the name of an environment
 * variable), and never appear in descriptions or logs.
 */
import { z } from 'zod';

const positiveMs = z.number().int().positive();

/** Fields every OpenAI-compatible endpoint spec shares. */
const endpointFields = {
  /** e.g. http://localhost:11434/v1 (Ollama), https://api.openai.com/v1, or an Azure OpenAI resource URL. */
  baseUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. http://localhost:11434/v1' }),
  /** Model name (Azure OpenAI: the deployment name). */
  model: z.string().min(1),
  apiKey: z.string().min(1).optional(),
  /** Name of the environment variable holding the API key (keeps secrets out of config files). */
  apiKeyEnv: z.string().min(1).optional(),
  /** Set for Azure OpenAI: the `api-version` query parameter; `model` is then the deployment. */
  azureApiVersion: z.string().min(1).optional(),
  /** Extra HTTP headers sent with every request. */
  headers: z.record(z.string(), z.string()).optional(),
};

export const scriptedLlmSpecSchema = z.strictObject({ type: z.literal('scripted') });

export const openAiLlmSpecSchema = z.strictObject({
  type: z.literal('openai'),
  ...endpointFields,
  /** Time allowed from sending the request to the first streamed token. */
  firstTokenTimeoutMs: positiveMs.optional(),
  /** Longest pause allowed between two streamed chunks. */
  idleTimeoutMs: positiveMs.optional(),
  /** Retries of a request that failed before anything streamed (connection errors, 429, 5xx). */
  maxRetries: z.number().int().min(0).max(5).optional(),
  /**
   * Which request field carries the output-token limit: `auto` (default) sends
   * `max_completion_tokens` to OpenAI and Azure and `max_tokens` to everything else.
   */
  maxTokensField: z.enum(['auto', 'max_tokens', 'max_completion_tokens']).optional(),
  /** Extra top-level request fields, e.g. `{ "chat_template_kwargs": { "enable_thinking": false } }`. */
  extraBody: z.record(z.string(), z.unknown()).optional(),
});

export const ggufLlmSpecSchema = z.strictObject({
  type: z.literal('gguf'),
  /** Path of a GGUF model file on this machine. */
  modelPath: z.string().min(1),
  /** Context window per session, in tokens. */
  contextSize: z.number().int().min(256).optional(),
  /** Sessions that may hold a context at once. */
  maxSessions: z.number().int().min(1).optional(),
  /** CPU threads for inference (default: half the cores, leaving room for ASR/TTS). */
  threads: z.number().int().min(1).optional(),
  /** Use an installed GPU build of llama.cpp (CUDA/Vulkan/Metal). Default false. */
  gpu: z.boolean().optional(),
  /** node-llama-cpp chat wrapper: "auto" (default, from the model's template) or e.g. "llama3.1", "qwen", "chatML". */
  chatWrapper: z.string().min(1).optional(),
});

export const pocketsphinxAsrSpecSchema = z.strictObject({ type: z.literal('pocketsphinx') });

export const openAiAsrSpecSchema = z.strictObject({
  type: z.literal('openai'),
  ...endpointFields,
  /** Whole-request timeout for one utterance's transcription. */
  timeoutMs: positiveMs.optional(),
  /** Language hint sent with every request (ISO-639-1), unless the session sets one. */
  language: z.string().min(2).optional(),
});

export const fliteTtsSpecSchema = z.strictObject({ type: z.literal('flite') });

export const openAiTtsSpecSchema = z.strictObject({
  type: z.literal('openai'),
  ...endpointFields,
  timeoutMs: positiveMs.optional(),
  /** Voice names the server offers; session voices outside this list are refused. */
  voices: z.array(z.string().min(1)).min(1).optional(),
  /** `pcm` (raw 24 kHz 16-bit, OpenAI's streaming format) or `wav`. */
  responseFormat: z.enum(['pcm', 'wav']).optional(),
});

/** Turns the string shorthands into spec objects before validation. */
function shorthand(value: unknown, table: Record<string, (rest: string) => unknown>): unknown {
  if (typeof value !== 'string') return value;
  const colon = value.indexOf(':');
  const head = colon === -1 ? value : value.slice(0, colon);
  const make = table[head];
  return make ? make(colon === -1 ? '' : value.slice(colon + 1)) : value;
}

export const llmSpecSchema = z.preprocess(
  (value) =>
    shorthand(value, {
      scripted: () => ({ type: 'scripted' }),
      gguf: (path) => ({ type: 'gguf', modelPath: path }),
    }),
  z.discriminatedUnion('type', [scriptedLlmSpecSchema, openAiLlmSpecSchema, ggufLlmSpecSchema], {
    error: "expected 'scripted', 'gguf:<path to .gguf>', or an object {type:'openai', baseUrl, model}",
  }),
);

export const asrSpecSchema = z.preprocess(
  (value) => shorthand(value, { pocketsphinx: () => ({ type: 'pocketsphinx' }) }),
  z.discriminatedUnion('type', [pocketsphinxAsrSpecSchema, openAiAsrSpecSchema], {
    error: "expected 'pocketsphinx' or an object {type:'openai', baseUrl, model}",
  }),
);

export const ttsSpecSchema = z.preprocess(
  (value) => shorthand(value, { flite: () => ({ type: 'flite' }) }),
  z.discriminatedUnion('type', [fliteTtsSpecSchema, openAiTtsSpecSchema], {
    error: "expected 'flite' or an object {type:'openai', baseUrl, model}",
  }),
);

export type LlmSpec = z.infer<typeof llmSpecSchema>;
export type AsrSpec = z.infer<typeof asrSpecSchema>;
export type TtsSpec = z.infer<typeof ttsSpecSchema>;
export type OpenAiLlmSpec = z.infer<typeof openAiLlmSpecSchema>;
export type GgufLlmSpec = z.infer<typeof ggufLlmSpecSchema>;
export type OpenAiAsrSpec = z.infer<typeof openAiAsrSpecSchema>;
export type OpenAiTtsSpec = z.infer<typeof openAiTtsSpecSchema>;

/** The API key of an endpoint spec: `apiKey`, else the variable named by `apiKeyEnv`. */
export function endpointApiKey(spec: { apiKey?: string; apiKeyEnv?: string }, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (spec.apiKey) return spec.apiKey;
  if (spec.apiKeyEnv) {
    const value = env[spec.apiKeyEnv];
    if (!value) throw new Error(`The environment variable ${spec.apiKeyEnv} (apiKeyEnv) is not set.`);
    return value;
  }
  return undefined;
}

/** A stable identity for a spec, so profiles that name the same engine share one instance. */
export function specKey(spec: object): string {
  const sorted = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]))
      : value;
  return JSON.stringify(sorted(spec));
}

/** Where an endpoint spec points, for logs: host and model only (no key, no path secrets). */
export function describeEndpoint(spec: { baseUrl: string; model: string; azureApiVersion?: string }): string {
  let host: string;
  try {
    host = new URL(spec.baseUrl).host;
  } catch {
    host = '(invalid URL)';
  }
  return `${spec.azureApiVersion ? 'Azure OpenAI' : 'OpenAI-compatible'} ${host} model ${spec.model}`;
}
