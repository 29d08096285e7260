/**
 * Builds the realtime session for an accepted connection: defaults from the chosen model profile
 * and the route (api-version, dialect flavor), and the profile's shared engines wired into the
 * session's parts.
 */
import type { Logger } from 'pino';
import type { ServerConfig } from '../config/serverConfig.js';
import type { ProfileChoice } from '../engines/engineCatalog.js';
import type { ServerEvent } from '../protocol/serverEvents.js';
import { RealtimeSession } from '../session/realtimeSession.js';
import { checkVoiceFor } from '../engines/tts/engineVoice.js';
import { createSpeechRendererFactory, createTextSegmenter } from '../session/speechOutput.js';
import { attachSpeechInput } from '../session/speechInput.js';
import type { RealtimeRoute } from './routes.js';

export interface SessionFactoryInput {
  route: RealtimeRoute;
  config: ServerConfig;
  choice: Extract<ProfileChoice, { ok: true }>;
  emit(event: ServerEvent): void;
  logger: Logger;
}

export function createSessionForRoute({ route, config, choice, emit, logger }: SessionFactoryInput): RealtimeSession {
  const { profile, fallbackFrom } = choice;
  const engines = profile.engines;
  const session = new RealtimeSession({
    defaults: {
      // The model actually serving: a name without a profile falls back to the default profile's.
      model: fallbackFrom ? profile.name : (route.model ?? profile.name),
      instructions: profile.instructions,
      voice: profile.voice,
      temperature: profile.temperature,
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
  if (fallbackFrom) {
    logger.info({ requestedModel: fallbackFrom, profile: profile.name }, 'model has no profile; serving the default profile');
    session.addStartWarning({
      code: 'model_fallback',
      param: 'model',
      message: `Model '${fallbackFrom}' is not configured on this server; the default profile '${profile.name}' serves this session.`,
    });
  }
  return session;
}
