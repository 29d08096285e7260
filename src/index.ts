/** Programmatic API: start a voicelive server from code. */
export { VoiceLiveServer } from './server/voiceLiveServer.js';
export { resolveServerConfig, configFromEnv, configFromFile, defaultServerConfig } from './config/serverConfig.js';
export type { ServerConfig, ServerConfigInput } from './config/serverConfig.js';
export { createEngineCatalog, createEngines, singleProfileCatalog } from './engines/registry.js';
export { EngineCatalog } from './engines/engineCatalog.js';
export type { ModelProfile } from './engines/engineCatalog.js';
export type { EngineSet } from './engines/engineSet.js';
export type { ClientEvent } from './protocol/clientEvents.js';
export type { ServerEvent } from './protocol/serverEvents.js';
export type { LlmEngine, LlmRequest, LlmDelta } from './engines/llm/types.js';
export type { TtsEngine } from './engines/tts/types.js';
export type { AsrEngine } from './engines/asr/types.js';
export type { VadEngine } from './engines/vad/types.js';
