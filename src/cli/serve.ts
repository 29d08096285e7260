/**
 * `voicelive serve`: loads config (file → env → flags), builds the engines, starts the server,
 * prints where it listens and which engines run, and drains cleanly on SIGTERM/SIGINT.
 */
import { configFromEnv, configFromFile, isLoopback, resolveServerConfig } from '../config/serverConfig.js';
import type { ServerConfig, ServerConfigInput } from '../config/serverConfig.js';
import { unreachableEndpointWarnings } from '../config/endpointProbe.js';
import { createEngineCatalog } from '../engines/registry.js';
import { createLogger } from '../logger.js';
import { VoiceLiveServer } from '../server/voiceLiveServer.js';

export interface ServeFlags {
  host?: string;
  port?: string;
  config?: string;
  apiKey?: string[];
  llm?: string;
  llmUrl?: string;
  llmModel?: string;
  asr?: string;
  asrUrl?: string;
  asrModel?: string;
  tts?: string;
  ttsUrl?: string;
  ttsModel?: string;
  unknownModel?: string;
  voice?: string;
  instructions?: string;
  logLevel?: string;
  allowUnauthenticatedRemote?: boolean;
  textOnly?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

export async function serve(flags: ServeFlags): Promise<void> {
  const fromFlags: ServerConfigInput = {
    host: flags.host,
    port: flags.port !== undefined ? Number(flags.port) : undefined,
    apiKeys: flags.apiKey && flags.apiKey.length > 0 ? flags.apiKey : undefined,
    llm: endpointFlag('llm', flags.llm, flags.llmUrl, flags.llmModel, process.env.VOICELIVE_LLM_API_KEY) as ServerConfigInput['llm'],
    asr: endpointFlag('asr', flags.asr, flags.asrUrl, flags.asrModel, process.env.VOICELIVE_ASR_API_KEY) as ServerConfigInput['asr'],
    tts: endpointFlag('tts', flags.tts, flags.ttsUrl, flags.ttsModel, process.env.VOICELIVE_TTS_API_KEY) as ServerConfigInput['tts'],
    unknownModel: flags.unknownModel as ServerConfig['unknownModel'] | undefined,
    defaultVoice: flags.voice,
    defaultInstructions: flags.instructions,
    logLevel: flags.logLevel as ServerConfig['logLevel'] | undefined,
    allowUnauthenticatedRemote: flags.allowUnauthenticatedRemote,
    tls: flags.tlsCert && flags.tlsKey ? { certFile: flags.tlsCert, keyFile: flags.tlsKey } : undefined,
  };
  const config = resolveServerConfig(flags.config ? configFromFile(flags.config) : {}, configFromEnv(process.env), fromFlags);
  const logger = createLogger(config.logLevel);
  const catalog = await createEngineCatalog(config, { speech: !flags.textOnly, log: (message, fields) => logger.warn(fields ?? {}, message) });
  const server = new VoiceLiveServer(config, catalog, logger);
  const [address, endpointWarnings] = await Promise.all([server.listen(), unreachableEndpointWarnings(config)]);
  const scheme = config.tls ? 'wss' : 'ws';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const lines = [
    `voicelive listening on ${scheme}://${host}:${address.port}/voice-live/realtime (also /openai/realtime, /openai/v1/realtime, /v1/realtime; health: /healthz)`,
    ...catalog.describe().map((l) => `  ${l}`),
  ];
  if (catalog.defaultProfile.engines.llm.name === 'scripted') lines.push('  Note: the scripted LLM is a rule-based placeholder, not a language model. See README "Use your own models".');
  for (const warning of endpointWarnings) lines.push(`  ${warning}`);
  if (config.apiKeys.length === 0) {
    lines.push(
      isLoopback(config.host)
        ? '  WARNING: no API key configured (VOICELIVE_API_KEY): accepting unauthenticated clients on loopback only.'
        : `  WARNING: no API key configured and listening on ${config.host}: anyone who can reach this port can use the server.`,
    );
  }
  console.log(lines.join('\n'));
  logger.info({ host: address.address, port: address.port, models: catalog.profileNames, auth: config.apiKeys.length > 0 }, 'server started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, sessions: server.sessionCount }, 'draining');
    await server.close();
    await catalog.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** `--llm`/`--llm-url`/`--llm-model` (and the asr/tts equivalents) as one engine spec, or undefined. */
function endpointFlag(kind: string, shorthand: string | undefined, url: string | undefined, model: string | undefined, apiKey: string | undefined): unknown {
  if (!url && !model) return shorthand;
  if (shorthand) throw new Error(`Use either --${kind} or --${kind}-url with --${kind}-model, not both.`);
  if (!url || !model) throw new Error(`--${kind}-url and --${kind}-model must be given together.`);
  return { type: 'openai', baseUrl: url, model, ...(apiKey ? { apiKey } : {}) };
}
