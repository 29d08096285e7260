/**
 * `voicelive/agent`: a voice-agent helper for applications, on top of `voicelive/client`. One
 * object per conversation: configure it, `connect()`, push microphone audio in the app's own
 * format, play the `agent_audio` it emits, and read typed events (speech start/stop of both sides,
 * transcriptions with role and finality, text, function calls, errors, per-turn latency metrics).
 *
 * @example
 * ```ts
 * import { createVoiceAgent } from 'voicelive/agent';
 *
 * const agent = createVoiceAgent({ endpoint: 'http://localhost:8080', credential: 'local', model: 'gpt-realtime', inputAudio: { sampleRateHz: 48_000, channels: 2 } });
 * agent.on('transcription', (e) => e.isFinal && console.log(`${e.role}: ${e.text}`));
 * agent.on('metrics', ({ metrics }) => console.log(`time to first audio ${metrics.timeToFirstAudioMs} ms`));
 * await agent.connect();
 * agent.sendText('Hello!');
 * ```
 */
export { VoiceAgent, createVoiceAgent } from './voiceAgent.js';
export type { InterruptResult } from './voiceAgent.js';
export { SESSION_SAMPLE_RATE_HZ, resolveAgentConfig, sessionUpdateFor } from './agentConfig.js';
export type { AudioStreamFormat, ResolvedAgentConfig, TurnDetectionSetting, VoiceAgentConfig, VoiceAgentFunctionTool } from './agentConfig.js';
export { VoiceAgentError } from './agentErrors.js';
export type { VoiceAgentErrorDetails, VoiceAgentErrorKind } from './agentErrors.js';
export { AgentEventEmitter } from './agentEventEmitter.js';
export type { AgentWaitForOptions } from './agentEventEmitter.js';
export type {
  AgentAudioClearedEvent,
  AgentAudioEvent,
  AgentSpeechStartedEvent,
  AgentSpeechStoppedEvent,
  ClosedEvent,
  ErrorEvent,
  FunctionCallEvent,
  MetricsEvent,
  ResponseDoneEvent,
  SpeakerRole,
  TextResponseEvent,
  TranscriptionEvent,
  UserSpeechStartedEvent,
  UserSpeechStoppedEvent,
  VoiceAgentEvent,
  VoiceAgentEventOf,
  VoiceAgentEventType,
} from './agentEvents.js';
export { TurnMetricsTracker } from './turnMetrics.js';
export type { TurnMetrics, TurnTrigger } from './turnMetrics.js';
export { AudioInputConverter, downmixToMono } from './audioInput.js';
export type { AppAudio } from './audioInput.js';
export { AudioOutputConverter, upmixFromMono } from './audioOutput.js';
export { PlaybackTracker } from './playbackTracker.js';
export { loadResampler } from '../audio/resampler.js';
