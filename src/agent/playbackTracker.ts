/**
 * How much of an assistant item's audio the user has heard, for cutting the item when the user
 * interrupts (`conversation.item.truncate` takes the heard length as `audio_end_ms`).
 *
 * The application knows best: it reports what its speaker has played with
 * `agent.reportPlayback(itemId, playedMs)`. Without a report, the agent assumes playback in real
 * time from the first audio delta (what Azure's `auto_truncate` assumes too). Either way the
 * position never exceeds the audio received for the item.
 */
export class PlaybackTracker {
  private receivedAudioMs = 0;
  private reportedPlayedMs: number | null = null;

  constructor(
    readonly itemId: string,
    readonly responseId: string,
    /** Clock time of the item's first audio delta. */
    readonly firstAudioAtMs: number,
  ) {}

  /** Audio received for the item so far, in ms. */
  get receivedMs(): number {
    return this.receivedAudioMs;
  }

  /** Whether the application has reported a playback position. */
  get hasReport(): boolean {
    return this.reportedPlayedMs !== null;
  }

  received(audioMs: number): void {
    this.receivedAudioMs += audioMs;
  }

  /** The application's playback position for the item (ms of its audio played). */
  report(playedMs: number): void {
    if (!Number.isFinite(playedMs) || playedMs < 0) throw new RangeError(`playedMs must be a non-negative number, got ${playedMs}`);
    this.reportedPlayedMs = playedMs;
  }

  /** Ms of the item heard at clock time `atMs`: the report, else real time since the first delta; at most what was received. */
  playedMs(atMs: number): number {
    const played = this.reportedPlayedMs ?? Math.max(0, atMs - this.firstAudioAtMs);
    return Math.min(played, this.receivedAudioMs);
  }

  /** True while some received audio is (by the measure above) still unplayed. */
  isPlaying(atMs: number): boolean {
    return this.playedMs(atMs) < this.receivedAudioMs;
  }
}
