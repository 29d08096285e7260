/**
 * Server configuration: one validated object built from a JSON config file, environment variables
 * and CLI flags (flags win over env, env over file). Invalid values fail at startup with a message
 * naming the setting.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { asrSpecSchema, llmSpecSchema, ttsSpecSchema } from './engineSpecs.js';

/**
 * A model profile: what the server runs when a client asks for this model (or agent) name. Fields
 * left out inherit the server's top-level settings (the default profile).
 */
export const modelProfileSchema = z.strictObject({
  llm: llmSpecSchema.optional(),
  asr: asrSpecSchema.optional(),
  tts: ttsSpecSchema.optional(),
  voice: z.string().min(1).optional(),
  instructions: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
});
export type ModelProfileConfig = z.infer<typeof modelProfileSchema>;

export const serverConfigSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  /** Accepted API keys; empty = no auth (then the server only listens on loopback). */
  apiKeys: z.array(z.string().min(1)),
  /** Listen on a non-loopback host without keys (explicit opt-in). */
  allowUnauthenticatedRemote: z.boolean(),
  defaultModel: z.string().min(1),
  defaultVoice: z.string().min(1),
  defaultInstructions: z.string(),
  defaultTemperature: z.number().min(0).max(2),
  maxSessionDurationMs: z.number().int().positive(),
  /** Client frames up to this size are processed; larger ones get an error event. */
  maxClientFrameBytes: z.number().int().min(1024 * 1024),
  /** Frames above this close the connection (1009) to protect memory. */
  hardMaxClientFrameBytes: z.number().int().min(1024 * 1024),
  /** The default profile's engines (used by every model name without its own profile). */
  llm: llmSpecSchema,
  asr: asrSpecSchema,
  tts: ttsSpecSchema,
  /** Named model profiles, looked up by the client's `model` (or agent name). */
  models: z.record(z.string().min(1), modelProfileSchema),
  /**
   * A model name with no profile: `default` serves the default profile (and says so in
   * session.created's `model` and a warning), `reject` refuses the connection with HTTP 400.
   */
  unknownModel: z.enum(['default', 'reject']),
  /**
   * Speech-recognition decoders kept warm (one per concurrently transcribed turn; ~107 MB each).
   * A turn holds one from speech start to its final transcript; more concurrent turns queue.
   */
  asrDecoders: z.number().int().min(1).max(64),
  /** TTS worker threads. */
  ttsWorkers: z.number().int().min(1).max(16),
  /** Word delay of the scripted LLM (demo pacing). */
  scriptedWordDelayMs: z.number().int().min(0),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  tls: z.object({ certFile: z.string(), keyFile: z.string() }).nullable(),
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;
/** What config files, environment variables and flags may give (engine shorthands as strings). */
export type ServerConfigInput = Partial<z.input<typeof serverConfigSchema>>;

export const defaultServerConfig: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
  apiKeys: [],
  allowUnauthenticatedRemote: false,
  defaultModel: 'voicelive-default',
  defaultVoice: 'alloy',
  defaultInstructions: '',
  defaultTemperature: 0.8,
  maxSessionDurationMs: 4 * 60 * 60 * 1000,
  maxClientFrameBytes: 32 * 1024 * 1024,
  hardMaxClientFrameBytes: 64 * 1024 * 1024,
  llm: { type: 'scripted' },
  asr: { type: 'pocketsphinx' },
  tts: { type: 'flite' },
  models: {},
  unknownModel: 'default',
  asrDecoders: 8,
  ttsWorkers: 2,
  scriptedWordDelayMs: 0,
  logLevel: 'info',
  tls: null,
};

function splitKeys(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

/**
 * An OpenAI-compatible endpoint from `VOICELIVE_<KIND>_URL` / `_MODEL` / `_API_KEY` / `_API_VERSION`,
 * or undefined when neither URL nor model is set.
 */
function endpointFromEnv(env: NodeJS.ProcessEnv, kind: 'LLM' | 'ASR' | 'TTS'): Record<string, unknown> | undefined {
  const url = env[`VOICELIVE_${kind}_URL`];
  const model = env[`VOICELIVE_${kind}_MODEL`];
  if (!url && !model) return undefined;
  if (!url || !model) {
    throw new Error(`VOICELIVE_${kind}_URL and VOICELIVE_${kind}_MODEL must be set together (got only ${url ? 'the URL' : 'the model'}).`);
  }
  const spec: Record<string, unknown> = { type: 'openai', baseUrl: url, model };
  const apiKey = env[`VOICELIVE_${kind}_API_KEY`];
  if (apiKey) spec.apiKey = apiKey;
  const apiVersion = env[`VOICELIVE_${kind}_API_VERSION`];
  if (apiVersion) spec.azureApiVersion = apiVersion;
  return spec;
}

/** Reads VOICELIVE_* environment variables (only the ones that are set). */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfigInput {
  const out: ServerConfigInput = {};
  const keys = [...(splitKeys(env.VOICELIVE_API_KEYS) ?? []), ...(splitKeys(env.VOICELIVE_API_KEY) ?? [])];
  if (keys.length > 0) out.apiKeys = keys;
  if (env.VOICELIVE_HOST) out.host = env.VOICELIVE_HOST;
  if (env.VOICELIVE_PORT) out.port = Number(env.VOICELIVE_PORT);
  if (env.VOICELIVE_LLM) out.llm = env.VOICELIVE_LLM as ServerConfigInput['llm'];
  if (env.VOICELIVE_ASR) out.asr = env.VOICELIVE_ASR as ServerConfigInput['asr'];
  if (env.VOICELIVE_TTS) out.tts = env.VOICELIVE_TTS as ServerConfigInput['tts'];
  const llmEndpoint = endpointFromEnv(env, 'LLM');
  if (llmEndpoint) {
    if (env.VOICELIVE_LLM) throw new Error('Set either VOICELIVE_LLM or VOICELIVE_LLM_URL + VOICELIVE_LLM_MODEL, not both.');
    out.llm = llmEndpoint as ServerConfigInput['llm'];
  }
  const asrEndpoint = endpointFromEnv(env, 'ASR');
  if (asrEndpoint) {
    if (env.VOICELIVE_ASR_LANGUAGE) asrEndpoint.language = env.VOICELIVE_ASR_LANGUAGE;
    out.asr = asrEndpoint as ServerConfigInput['asr'];
  }
  const ttsEndpoint = endpointFromEnv(env, 'TTS');
  if (ttsEndpoint) {
    const voices = splitKeys(env.VOICELIVE_TTS_VOICES);
    if (voices && voices.length > 0) ttsEndpoint.voices = voices;
    out.tts = ttsEndpoint as ServerConfigInput['tts'];
  }
  if (env.VOICELIVE_UNKNOWN_MODEL) out.unknownModel = env.VOICELIVE_UNKNOWN_MODEL as ServerConfig['unknownModel'];
  if (env.VOICELIVE_ASR_DECODERS) out.asrDecoders = Number(env.VOICELIVE_ASR_DECODERS);
  if (env.VOICELIVE_DEFAULT_MODEL) out.defaultModel = env.VOICELIVE_DEFAULT_MODEL;
  if (env.VOICELIVE_DEFAULT_VOICE) out.defaultVoice = env.VOICELIVE_DEFAULT_VOICE;
  if (env.VOICELIVE_INSTRUCTIONS !== undefined) out.defaultInstructions = env.VOICELIVE_INSTRUCTIONS;
  if (env.VOICELIVE_LOG_LEVEL) out.logLevel = env.VOICELIVE_LOG_LEVEL as ServerConfig['logLevel'];
  return out;
}

/** Reads a JSON config file (same keys as ServerConfig). */
export function configFromFile(path: string): ServerConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as ServerConfigInput;
  } catch (error) {
    throw new Error(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Merges layers over the defaults and validates; throws an Error naming each bad setting. */
export function resolveServerConfig(...layers: ServerConfigInput[]): ServerConfig {
  const merged = Object.assign({}, defaultServerConfig, ...layers.map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined))));
  const result = serverConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const config = result.data;
  if (config.apiKeys.length === 0 && !isLoopback(config.host) && !config.allowUnauthenticatedRemote) {
    throw new Error(
      `Refusing to listen on ${config.host} without an API key: set VOICELIVE_API_KEY (or --api-key), or pass --allow-unauthenticated-remote to accept anyone on the network.`,
    );
  }
  return config;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
