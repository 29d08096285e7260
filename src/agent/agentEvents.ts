/**
 * What a voice agent reports, as one discriminated union on `type`. Listen with
 * `agent.on(type, listener)` (or `'*'` for all) or await one with `agent.waitFor(type)`.
 *
 * A spoken turn with server VAD reports, in order: `user_speech_started` → `user_speech_stopped`
 * → `transcription` (user, final; deltas before it) → `agent_speech_started` → `agent_audio` …
 * interleaved with `transcription` (assistant, deltas) → `agent_speech_stopped` → `transcription`
 * (assistant, final) → `response_done` → `metrics`. (Servers may deliver the user's final
 * transcription later, during the response; OpenAI realtime models do.)
 *
 * "Agent speech" follows the audio the server streams, not the application's speaker: the app
 * plays `agent_audio` chunks as they come and, on `agent_audio_cleared`, drops what it has queued.
 */
import type { VoiceAgentError } from './agentErrors.js';
import type { TurnMetrics } from './turnMetrics.js';

export type SpeakerRole = 'user' | 'assistant';

/** Server VAD heard the user start speaking. */
export interface UserSpeechStartedEvent {
  type: 'user_speech_started';
  /** The user item this speech becomes. */
  itemId: string;
  /** Position in the session's input audio (ms since the first audio pushed), including prefix padding. */
  audioStartMs: number;
}

/** Server VAD decided the user stopped speaking (the turn is committed next). */
export interface UserSpeechStoppedEvent {
  type: 'user_speech_stopped';
  itemId: string;
  /** Where the speech ended in the session's input audio (ms). */
  audioEndMs: number;
}

/**
 * Transcribed speech of either side. Deltas (`isFinal: false`) carry the new text only; the final
 * event carries the whole transcript of the item.
 */
export interface TranscriptionEvent {
  type: 'transcription';
  role: SpeakerRole;
  itemId: string;
  /** The assistant response the text belongs to; null for the user. */
  responseId: string | null;
  text: string;
  isFinal: boolean;
}

/** Text of a text-modality answer (`response.text.*`). Deltas carry the new text; the final event all of it. */
export interface TextResponseEvent {
  type: 'text';
  itemId: string;
  responseId: string;
  text: string;
  isFinal: boolean;
}

/** The first audio of an assistant item arrived. */
export interface AgentSpeechStartedEvent {
  type: 'agent_speech_started';
  responseId: string;
  itemId: string;
}

/** A chunk of assistant audio in the configured output format. */
export interface AgentAudioEvent {
  type: 'agent_audio';
  responseId: string;
  itemId: string;
  /** Interleaved PCM16 frames. */
  pcm: Int16Array;
  sampleRateHz: number;
  channels: number;
  /** Where the chunk starts in the item's audio (ms). */
  startMs: number;
  /** Length of the chunk (ms). */
  durationMs: number;
}

/** The item's audio ended: all of it was delivered, or it was interrupted. */
export interface AgentSpeechStoppedEvent {
  type: 'agent_speech_stopped';
  responseId: string;
  itemId: string;
  /** True when the user (or `interrupt()`) cut the response off. */
  interrupted: boolean;
  /** Audio delivered in `agent_audio` events for the item (ms). */
  audioDurationMs: number;
}

/** Stop playback now: drop every assistant audio chunk still queued. */
export interface AgentAudioClearedEvent {
  type: 'agent_audio_cleared';
  /** Why: `interrupt()` was called, or the user started speaking over the agent. */
  reason: 'interrupt' | 'user_speech';
  responseId: string | null;
  itemId: string | null;
  /** Where the item was cut (ms of its audio heard), when a truncation was sent. */
  truncatedAtMs: number | null;
}

/** The model calls a function. Answer with `agent.sendToolResult(callId, output)`. */
export interface FunctionCallEvent {
  type: 'function_call';
  callId: string;
  name: string;
  /** The arguments as the model wrote them (JSON text). */
  arguments: string;
  /** `arguments` parsed, or undefined when it is not valid JSON. */
  parsedArguments: unknown;
  itemId: string;
  responseId: string;
}

/** A response ended. */
export interface ResponseDoneEvent {
  type: 'response_done';
  responseId: string;
  /** `completed`, `cancelled`, `failed` or `incomplete`. */
  status: string;
  /** e.g. `turn_detected` or `client_cancelled` for a cancelled response. */
  reason: string | null;
}

/** Latency and duration figures for the response just done (see turnMetrics.ts for how each is measured). */
export interface MetricsEvent {
  type: 'metrics';
  metrics: TurnMetrics;
}

/** Something went wrong; the session goes on unless a `closed` event follows. */
export interface ErrorEvent {
  type: 'error';
  error: VoiceAgentError;
}

/** The connection ended. */
export interface ClosedEvent {
  type: 'closed';
  code: number;
  reason: string;
  initiatedBy: 'client' | 'server';
  /** Set when the connection ended abnormally. */
  error: VoiceAgentError | null;
}

export type VoiceAgentEvent =
  | UserSpeechStartedEvent
  | UserSpeechStoppedEvent
  | TranscriptionEvent
  | TextResponseEvent
  | AgentSpeechStartedEvent
  | AgentAudioEvent
  | AgentSpeechStoppedEvent
  | AgentAudioClearedEvent
  | FunctionCallEvent
  | ResponseDoneEvent
  | MetricsEvent
  | ErrorEvent
  | ClosedEvent;

export type VoiceAgentEventType = VoiceAgentEvent['type'];

/** The event of one type, e.g. `VoiceAgentEventOf<'metrics'>`. */
export type VoiceAgentEventOf<T extends VoiceAgentEventType> = Extract<VoiceAgentEvent, { type: T }>;
