/**
 * Builds the realtime session for an accepted connection: defaults from the config and the route
 * (model, api-version, dialect flavor) and the shared engines wired into the session's parts.
 */
import type { Logger } from 'pino';
import type { ServerConfig } from '../config/serverConfig.js';
import type { EngineSet } from '../engines/engineSet.js';
import type { ServerEvent } from '../protocol/serverEvents.js';
import { RealtimeSession } from '../session/realtimeSession.js';
import { createSpeechRendererFactory, checkVoiceFor, createTextSegmenter } from '../session/speechOutput.js';
import { attachSpeechInput } from '../session/speechInput.js';
import type { RealtimeRoute } from './routes.js';

export interface SessionFactoryInput {
  route: RealtimeRoute;
  config: ServerConfig;
  engines: EngineSet;
  emit(event: ServerEvent): void;
  logger: Logger;
}

export function createSessionForRoute({ route, config, engines, emit, logger }: SessionFactoryInput): RealtimeSession {
  const session = new RealtimeSession({
    defaults: {
      model: route.model ?? config.defaultModel,
      instructions: config.defaultInstructions,
      voice: config.defaultVoice,
      temperature: config.defaultTemperature,
      maxSessionDurationMs: config.maxSessionDurationMs,
    },
    context: {
      apiVersion: route.apiVersion,
      flavor: route.dialect.flavor,
      checkVoice: checkVoiceFor(engines),
      features: { noiseSuppression: false, echoCancellation: false },
    },
    engines: {
      llm: engines.llm,
      speech: createSpeechRendererFactory(engines),
      createSegmenter: createTextSegmenter,
    },
    emit,
    log: (message, fields) => logger.info(fields ?? {}, message),
  });
  attachSpeechInput(session, engines, logger);
  return session;
}
