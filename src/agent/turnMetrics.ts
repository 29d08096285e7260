/**
 * Latency and duration metrics for each turn of a voice conversation, one {@link TurnMetrics} per
 * response, emitted when the response is done.
 *
 * All times are taken on the agent's monotonic clock (`performance.now()` unless the config gives
 * another) at the moment the agent handles the event, so they include network transit from the
 * server but not the application's playback. "Audio ms" are positions on the session's audio clock
 * (PCM16 24 kHz samples / 24), which is what the server's `audio_start_ms` / `audio_end_ms` count.
 *
 * How each metric is measured:
 * - `userSpeechDurationMs`: `speech_stopped.audio_end_ms − speech_started.audio_start_ms` (audio ms;
 *   includes the server's prefix padding).
 * - `endOfUtteranceDelayMs`: time from the moment `pushAudio()` sent the audio that reaches the
 *   server's `audio_end_ms` (the end of the user's speech) to the arrival of `speech_stopped`. It is
 *   how long the user waited for the server to decide the turn was over: the server's silence window
 *   (`silence_duration_ms`) plus detection and network time. Meaningful when audio is pushed in real
 *   time, as a microphone does; pushed faster, it measures the server's processing only.
 * - `transcriptionDelayMs`: `speech_stopped` (for manual turns: `input_audio_buffer.committed`) →
 *   the user's final transcription. Null when no final transcription arrived before the response ended.
 * - `timeToFirstTextMs` / `timeToFirstAudioMs`: turn start → the response's first transcript or text
 *   delta / first audio delta. The turn starts at `speech_stopped` for voice turns, at the moment the
 *   agent sent `response.create` for turns the application asked for (`sendText`, `sendToolResult`,
 *   `createResponse`), and at `response.created` otherwise. Null when the response had none.
 * - `responseDurationMs`: `response.created` → `response.done`.
 * - `agentAudioDurationMs`: audio received for the response (audio ms), including audio dropped after
 *   an interruption.
 * - `interrupted`: the user started speaking, or `interrupt()` was called, while the response was in
 *   progress. `interruptionCount`: interruptions in the session so far (these, plus barge-ins and
 *   `interrupt()` calls that cut off audio still playing after its response had finished).
 * - `inputTokens` / `outputTokens`: from the response's `usage`, when the server reports it.
 */

/** What started the turn a response answers. */
export type TurnTrigger =
  /** Server VAD ended the user's speech (`speech_stopped`). */
  | 'user_speech'
  /** The application asked for the response (`sendText`, `sendToolResult`, `createResponse`). */
  | 'app_request'
  /** Neither was seen (e.g. the server started a response on its own). */
  | 'server';

export interface TurnMetrics {
  responseId: string;
  trigger: TurnTrigger;
  /** The user item the response answers, when the turn had one (voice turn or committed audio). */
  userItemId: string | null;
  /** `response.done` status: `completed`, `cancelled`, `failed`, `incomplete`. */
  status: string;
  interrupted: boolean;
  interruptionCount: number;
  userSpeechDurationMs: number | null;
  endOfUtteranceDelayMs: number | null;
  transcriptionDelayMs: number | null;
  timeToFirstTextMs: number | null;
  timeToFirstAudioMs: number | null;
  responseDurationMs: number;
  agentAudioDurationMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
}

interface UserTurnTiming {
  audioStartMs: number | null;
  audioEndMs: number | null;
  stoppedAtMs: number | null;
  committedAtMs: number | null;
  transcribedAtMs: number | null;
  endOfUtteranceDelayMs: number | null;
}

interface ResponseTiming {
  trigger: TurnTrigger;
  userItemId: string | null;
  turnStartedAtMs: number;
  createdAtMs: number;
  firstTextAtMs: number | null;
  firstAudioAtMs: number | null;
  audioMs: number;
  interrupted: boolean;
}

/** A point where the audio sent so far reached `endMs` (audio ms) at `atMs` (clock ms). */
interface AudioMark {
  endMs: number;
  atMs: number;
}

/** Marks kept for the end-of-utterance lookup: two minutes of audio at one mark per 10 ms. */
const MAX_AUDIO_MARKS = 12_000;
/** User turns remembered for late transcriptions. */
const MAX_USER_TURNS = 64;

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Collects the timings of the events above and computes {@link TurnMetrics} per response. */
export class TurnMetricsTracker {
  private marks: AudioMark[] = [];
  private readonly users = new Map<string, UserTurnTiming>();
  private readonly responses = new Map<string, ResponseTiming>();
  /** The turn start not yet claimed by a `response.created`. */
  private pendingStart: { trigger: TurnTrigger; atMs: number } | null = null;
  /** The last user item committed since the previous `response.created`. */
  private pendingUserItemId: string | null = null;
  private interruptions = 0;

  /** Interruptions so far in the session. */
  get interruptionCount(): number {
    return this.interruptions;
  }

  /** `pushAudio()` has now sent audio up to `sessionAudioEndMs` (audio ms since the session began). */
  audioSent(sessionAudioEndMs: number, atMs: number): void {
    const last = this.marks.at(-1);
    if (last && sessionAudioEndMs <= last.endMs) return;
    this.marks.push({ endMs: sessionAudioEndMs, atMs });
    if (this.marks.length > MAX_AUDIO_MARKS * 2) this.marks = this.marks.slice(-MAX_AUDIO_MARKS);
  }

  /** When the sent audio first reached `audioMs`; null if no audio sent by this agent covers it. */
  sentAtForAudio(audioMs: number): number | null {
    // audio_end_ms is rounded to whole ms by servers: allow half a ms.
    const target = audioMs - 0.5;
    let low = 0;
    let high = this.marks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.marks[mid] as AudioMark).endMs >= target) high = mid;
      else low = mid + 1;
    }
    return this.marks[low]?.atMs ?? null;
  }

  userSpeechStarted(itemId: string, audioStartMs: number): void {
    this.user(itemId).audioStartMs = audioStartMs;
  }

  userSpeechStopped(itemId: string, audioEndMs: number, atMs: number): void {
    const user = this.user(itemId);
    user.audioEndMs = audioEndMs;
    user.stoppedAtMs = atMs;
    const sentAtMs = this.sentAtForAudio(audioEndMs);
    user.endOfUtteranceDelayMs = sentAtMs === null ? null : round1(Math.max(0, atMs - sentAtMs));
    this.pendingStart = { trigger: 'user_speech', atMs };
    this.pendingUserItemId = itemId;
  }

  userCommitted(itemId: string, atMs: number): void {
    this.user(itemId).committedAtMs = atMs;
    this.pendingUserItemId = itemId;
  }

  userTranscribed(itemId: string, atMs: number): void {
    const user = this.users.get(itemId);
    if (user && user.transcribedAtMs === null) user.transcribedAtMs = atMs;
  }

  /** The agent sent `response.create` for the application. */
  responseRequested(atMs: number): void {
    this.pendingStart = { trigger: 'app_request', atMs };
  }

  responseCreated(responseId: string, atMs: number): void {
    const start = this.pendingStart;
    this.pendingStart = null;
    this.responses.set(responseId, {
      trigger: start?.trigger ?? 'server',
      userItemId: this.pendingUserItemId,
      turnStartedAtMs: start?.atMs ?? atMs,
      createdAtMs: atMs,
      firstTextAtMs: null,
      firstAudioAtMs: null,
      audioMs: 0,
      interrupted: false,
    });
    this.pendingUserItemId = null;
  }

  textDelta(responseId: string, atMs: number): void {
    const response = this.responses.get(responseId);
    if (response && response.firstTextAtMs === null) response.firstTextAtMs = atMs;
  }

  audioDelta(responseId: string, audioMs: number, atMs: number): void {
    const response = this.responses.get(responseId);
    if (!response) return;
    if (response.firstAudioAtMs === null) response.firstAudioAtMs = atMs;
    response.audioMs += audioMs;
  }

  /** Marks an in-progress response interrupted; counts it once. Returns true the first time. */
  responseInterrupted(responseId: string): boolean {
    const response = this.responses.get(responseId);
    if (!response || response.interrupted) return false;
    response.interrupted = true;
    this.interruptions++;
    return true;
  }

  /** Counts an interruption of audio whose response had already finished. */
  playbackInterrupted(): void {
    this.interruptions++;
  }

  /** Ends the response's timings and returns its metrics (null for a response never seen created). */
  responseDone(responseId: string, status: string, usage: { input_tokens?: number; output_tokens?: number } | null | undefined, atMs: number): TurnMetrics | null {
    const response = this.responses.get(responseId);
    if (!response) return null;
    this.responses.delete(responseId);
    const user = response.userItemId ? this.users.get(response.userItemId) : undefined;
    const since = (start: number, end: number | null) => (end === null ? null : round1(Math.max(0, end - start)));
    const userEndAtMs = user ? (user.stoppedAtMs ?? user.committedAtMs) : null;
    return {
      responseId,
      trigger: response.trigger,
      userItemId: response.userItemId,
      status,
      interrupted: response.interrupted,
      interruptionCount: this.interruptions,
      userSpeechDurationMs: user && user.audioStartMs !== null && user.audioEndMs !== null ? Math.max(0, user.audioEndMs - user.audioStartMs) : null,
      endOfUtteranceDelayMs: user?.endOfUtteranceDelayMs ?? null,
      transcriptionDelayMs: user && userEndAtMs !== null ? since(userEndAtMs, user.transcribedAtMs) : null,
      timeToFirstTextMs: since(response.turnStartedAtMs, response.firstTextAtMs),
      timeToFirstAudioMs: since(response.turnStartedAtMs, response.firstAudioAtMs),
      responseDurationMs: round1(Math.max(0, atMs - response.createdAtMs)),
      agentAudioDurationMs: round1(response.audioMs),
      inputTokens: typeof usage?.input_tokens === 'number' ? usage.input_tokens : null,
      outputTokens: typeof usage?.output_tokens === 'number' ? usage.output_tokens : null,
    };
  }

  private user(itemId: string): UserTurnTiming {
    let user = this.users.get(itemId);
    if (!user) {
      user = { audioStartMs: null, audioEndMs: null, stoppedAtMs: null, committedAtMs: null, transcribedAtMs: null, endOfUtteranceDelayMs: null };
      this.users.set(itemId, user);
      if (this.users.size > MAX_USER_TURNS) this.users.delete(this.users.keys().next().value as string);
    }
    return user;
  }
}
