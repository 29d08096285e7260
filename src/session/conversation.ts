/**
 * The ordered conversation of one session: items with their ids, insertion after a given item,
 * deletion, and the audio that belongs to audio content parts (kept beside the items, never
 * inlined in events except `conversation.item.retrieved`).
 */
import { ProtocolError } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Item } from '../protocol/items.js';

/** Audio of one content part, as PCM16 at `sampleRateHz`, plus the transcript timeline for truncation. */
export interface PartAudio {
  pcm: Int16Array;
  sampleRateHz: number;
  /** Transcript pieces with the audio span they were spoken in (assistant audio only). */
  timeline: { text: string; startMs: number; endMs: number }[];
  /**
   * The audio and timeline as generated, before any truncation. A later truncate cuts from this, so
   * a client's own truncate (what it really played) can override the server's barge-in estimate.
   */
  original?: { pcm: Int16Array; timeline: { text: string; startMs: number; endMs: number }[] };
}

interface Entry {
  item: Item;
  audio: Map<number, PartAudio>;
}

export class Conversation {
  readonly id = newId('conv');
  private readonly entries: Entry[] = [];
  /** User turns committed but not yet added (their transcription is still running). */
  private readonly pending = new Set<Promise<void>>();

  get length(): number {
    return this.entries.length;
  }

  items(): Item[] {
    return this.entries.map((e) => e.item);
  }

  has(itemId: string): boolean {
    return this.indexOf(itemId) >= 0;
  }

  get(itemId: string): Item | undefined {
    return this.entry(itemId)?.item;
  }

  /** Throws `item_not_found` with the given param when the id is unknown. */
  require(itemId: string, param: string): Item {
    const item = this.get(itemId);
    if (!item) throw new ProtocolError('item_not_found', `Item with item_id '${itemId}' not found in the conversation.`, param);
    return item;
  }

  lastItemId(): string | null {
    return this.entries.at(-1)?.item.id ?? null;
  }

  /**
   * Inserts an item. `previousItemId` absent/null appends; "root" inserts first; another id inserts
   * right after that item. Returns the id of the item now before it (null when first).
   */
  insert(item: Item, previousItemId?: string | null): string | null {
    if (this.has(item.id)) {
      throw new ProtocolError('duplicate_item_id', `An item with id '${item.id}' already exists in the conversation.`, 'item.id');
    }
    let index = this.entries.length;
    if (previousItemId === 'root') index = 0;
    else if (previousItemId !== undefined && previousItemId !== null) {
      const previous = this.indexOf(previousItemId);
      if (previous < 0) {
        throw new ProtocolError('previous_item_not_found', `Previous item with id '${previousItemId}' not found in the conversation.`, 'previous_item_id');
      }
      index = previous + 1;
    }
    this.entries.splice(index, 0, { item, audio: new Map() });
    return index > 0 ? this.entries[index - 1]!.item.id : null;
  }

  delete(itemId: string): void {
    const index = this.indexOf(itemId);
    if (index < 0) throw new ProtocolError('item_not_found', `Item with item_id '${itemId}' not found in the conversation.`, 'item_id');
    this.entries.splice(index, 1);
  }

  setAudio(itemId: string, contentIndex: number, audio: PartAudio): void {
    this.entry(itemId)?.audio.set(contentIndex, audio);
  }

  audio(itemId: string, contentIndex: number): PartAudio | undefined {
    return this.entry(itemId)?.audio.get(contentIndex);
  }

  /** Registers work that will add an item soon (a committed turn being transcribed). */
  addPending(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Waits until every committed user turn is in the conversation (so a response sees what the user said). */
  async transcriptionsSettled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private entry(itemId: string): Entry | undefined {
    return this.entries.find((e) => e.item.id === itemId);
  }

  private indexOf(itemId: string): number {
    return this.entries.findIndex((e) => e.item.id === itemId);
  }
}
