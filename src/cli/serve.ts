/**
 * `voicelive serve`: loads config (file → env → flags), builds the engines, starts the server,
 * prints where it listens and which engines run, and drains cleanly on SIGTERM/SIGINT.
 */
import { configFromEnv, configFromFile, isLoopback, resolveServerConfig } from '../config/serverConfig.js';
import type { ServerConfig } from '../config/serverConfig.js';
import { closeEngines, describeEngines } from '../engines/engineSet.js';
import { createEngines } from '../engines/registry.js';
import { createLogger } from '../logger.js';
import { VoiceLiveServer } from '../server/voiceLiveServer.js';

export interface ServeFlags {
  host?: string;
  port?: string;
  config?: string;
  apiKey?: string[];
  llm?: string;
  voice?: string;
  instructions?: string;
  logLevel?: string;
  allowUnauthenticatedRemote?: boolean;
  textOnly?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

export async function serve(flags: ServeFlags): Promise<void> {
  const fromFlags: Partial<ServerConfig> = {
    host: flags.host,
    port: flags.port !== undefined ? Number(flags.port) : undefined,
    apiKeys: flags.apiKey && flags.apiKey.length > 0 ? flags.apiKey : undefined,
    llm: flags.llm,
    defaultVoice: flags.voice,
    defaultInstructions: flags.instructions,
    logLevel: flags.logLevel as ServerConfig['logLevel'] | undefined,
    allowUnauthenticatedRemote: flags.allowUnauthenticatedRemote,
    tls: flags.tlsCert && flags.tlsKey ? { certFile: flags.tlsCert, keyFile: flags.tlsKey } : undefined,
  };
  const config = resolveServerConfig(flags.config ? configFromFile(flags.config) : {}, configFromEnv(process.env), fromFlags);
  const logger = createLogger(config.logLevel);
  const engines = await createEngines(config, { speech: !flags.textOnly });
  const server = new VoiceLiveServer(config, engines, logger);
  const address = await server.listen();
  const scheme = config.tls ? 'wss' : 'ws';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const lines = [
    `voicelive listening on ${scheme}://${host}:${address.port}/voice-live/realtime (also /openai/realtime, /openai/v1/realtime, /v1/realtime; health: /healthz)`,
    ...describeEngines(engines).map((l) => `  ${l}`),
  ];
  if (config.llm === 'scripted') lines.push('  Note: the scripted LLM is a rule-based placeholder, not a language model. See README "Use your own models".');
  if (config.apiKeys.length === 0) {
    lines.push(
      isLoopback(config.host)
        ? '  WARNING: no API key configured (VOICELIVE_API_KEY): accepting unauthenticated clients on loopback only.'
        : `  WARNING: no API key configured and listening on ${config.host}: anyone who can reach this port can use the server.`,
    );
  }
  console.log(lines.join('\n'));
  logger.info({ host: address.address, port: address.port, llm: config.llm, auth: config.apiKeys.length > 0 }, 'server started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, sessions: server.sessionCount }, 'draining');
    await server.close();
    await closeEngines(engines);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
