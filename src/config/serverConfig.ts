/**
 * Server configuration: one validated object built from a JSON config file, environment variables
 * and CLI flags (flags win over env, env over file). Invalid values fail at startup with a message
 * naming the setting.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

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
  llm: z.string().min(1),
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
  llm: 'scripted',
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

/** Reads VOICELIVE_* environment variables (only the ones that are set). */
export function configFromEnv(env: NodeJS.ProcessEnv): Partial<ServerConfig> {
  const out: Partial<ServerConfig> = {};
  const keys = [...(splitKeys(env.VOICELIVE_API_KEYS) ?? []), ...(splitKeys(env.VOICELIVE_API_KEY) ?? [])];
  if (keys.length > 0) out.apiKeys = keys;
  if (env.VOICELIVE_HOST) out.host = env.VOICELIVE_HOST;
  if (env.VOICELIVE_PORT) out.port = Number(env.VOICELIVE_PORT);
  if (env.VOICELIVE_LLM) out.llm = env.VOICELIVE_LLM;
  if (env.VOICELIVE_ASR_DECODERS) out.asrDecoders = Number(env.VOICELIVE_ASR_DECODERS);
  if (env.VOICELIVE_DEFAULT_MODEL) out.defaultModel = env.VOICELIVE_DEFAULT_MODEL;
  if (env.VOICELIVE_DEFAULT_VOICE) out.defaultVoice = env.VOICELIVE_DEFAULT_VOICE;
  if (env.VOICELIVE_INSTRUCTIONS !== undefined) out.defaultInstructions = env.VOICELIVE_INSTRUCTIONS;
  if (env.VOICELIVE_LOG_LEVEL) out.logLevel = env.VOICELIVE_LOG_LEVEL as ServerConfig['logLevel'];
  return out;
}

/** Reads a JSON config file (same keys as ServerConfig). */
export function configFromFile(path: string): Partial<ServerConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Partial<ServerConfig>;
  } catch (error) {
    throw new Error(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Merges layers over the defaults and validates; throws an Error naming each bad setting. */
export function resolveServerConfig(...layers: Partial<ServerConfig>[]): ServerConfig {
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
