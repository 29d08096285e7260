/**
 * What the speaker has played, for barge-in (spec §8.5). Audio written to the player plays in
 * real time, one chunk after the other: a chunk starts when the previous one ends or when it is
 * written, whichever is later. When the user starts speaking, the tracker says which assistant
 * items were not heard to the end and how many ms of each were, so the client can stop playback
 * and send `conversation.item.truncate { audio_end_ms }`; audio still arriving for the interrupted
 * responses is then dropped.
 *
 * The device's own output latency is not counted (a few tens of ms with the player settings used).
 */

/** An item cut short by a barge-in: send `conversation.item.truncate` with these. */
export interface Truncation {
  itemId: string;
  contentIndex: number;
  /** Whole ms of the item's audio that had played. */
  audioEndMs: number;
}

interface ItemPlayback {
  itemId: string;
  contentIndex: number;
  /** Ms of this item's audio written to the player so far. */
  writtenMs: number;
  /** Wall time (ms) at which this item's first audio started / will start playing. */
  startAtMs: number;
  /** Wall time (ms) at which this item's last written audio ends. */
  endAtMs: number;
  /** Gaps (ms) inside this item's playback, when the player ran dry between its chunks. */
  gapMs: number;
}

export class PlaybackTracker {
  /** Wall time at which everything written so far will have played. */
  private queueEndAtMs = 0;
  private readonly items = new Map<string, ItemPlayback>();
  private readonly activeResponses = new Set<string>();
  private readonly interruptedResponses = new Set<string>();

  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  /** `response.created`. */
  responseStarted(responseId: string): void {
    this.activeResponses.add(responseId);
  }

  /** `response.done`. */
  responseEnded(responseId: string): void {
    this.activeResponses.delete(responseId);
  }

  /** True when audio of this response must not be played (it was interrupted). */
  isInterrupted(responseId: string): boolean {
    return this.interruptedResponses.has(responseId);
  }

  /**
   * Audio of `durationMs` for `itemId` is about to be written to the player. Returns false when it
   * belongs to an interrupted response and must be dropped instead.
   */
  accept(responseId: string, itemId: string, contentIndex: number, durationMs: number): boolean {
    if (this.interruptedResponses.has(responseId)) return false;
    const now = this.nowMs();
    const startAtMs = Math.max(now, this.queueEndAtMs);
    this.queueEndAtMs = startAtMs + durationMs;
    const item = this.items.get(itemId);
    if (!item) {
      this.items.set(itemId, { itemId, contentIndex, writtenMs: durationMs, startAtMs, endAtMs: this.queueEndAtMs, gapMs: 0 });
    } else {
      item.gapMs += Math.max(0, startAtMs - item.endAtMs);
      item.writtenMs += durationMs;
      item.endAtMs = this.queueEndAtMs;
    }
    return true;
  }

  /** True while written audio is still playing. */
  get playing(): boolean {
    return this.nowMs() < this.queueEndAtMs;
  }

  /** Ms of written audio not yet played. */
  get pendingMs(): number {
    return Math.max(0, this.queueEndAtMs - this.nowMs());
  }

  /**
   * The user started speaking (`input_audio_buffer.speech_started`): playback stops now. Marks
   * every active response interrupted and returns the items not heard to the end, with what was
   * heard of each. Returns [] when nothing was playing or pending.
   */
  interrupt(): Truncation[] {
    const now = this.nowMs();
    for (const responseId of this.activeResponses) this.interruptedResponses.add(responseId);
    const truncations: Truncation[] = [];
    for (const item of this.items.values()) {
      if (item.endAtMs <= now) continue;
      const playedMs = Math.min(item.writtenMs, Math.max(0, now - item.startAtMs - item.gapMs));
      truncations.push({ itemId: item.itemId, contentIndex: item.contentIndex, audioEndMs: Math.floor(playedMs) });
    }
    // Played items are done with; the cut ones will get no more audio.
    this.items.clear();
    this.queueEndAtMs = now;
    return truncations;
  }

  /** Forgets items that have finished playing (keeps the map small in long sessions). */
  prune(): void {
    const now = this.nowMs();
    for (const [id, item] of this.items) if (item.endAtMs <= now) this.items.delete(id);
  }
}
