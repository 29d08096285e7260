/**
 * A dialect is how one connection's wire JSON maps to the canonical (Voice Live / beta) events:
 * event names, GA vs beta shapes, which optional events exist. Chosen per connection (spec §1.4).
 */
import type { ServerEvent } from '../serverEvents.js';

export type DialectName = 'voice-live' | 'openai-beta' | 'openai-ga';

export interface Dialect {
  readonly name: DialectName;
  /** Voice Live paths get Azure defaults and `warning` events; OpenAI paths get OpenAI defaults. */
  readonly flavor: 'voice-live' | 'openai';
  /** Wire JSON of a client event → canonical JSON (still unvalidated). */
  decodeClient(raw: Record<string, unknown>): Record<string, unknown>;
  /** Canonical server event → zero or more wire events (without event_id). */
  encodeServer(event: ServerEvent): Record<string, unknown>[];
}
