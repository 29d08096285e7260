/**
 * The beta-shaped dialect: Azure Voice Live (`/voice-live/realtime`) and OpenAI beta clients.
 * The canonical events are already in this shape; only the optional events differ.
 */
import type { ServerEvent } from '../serverEvents.js';
import type { Dialect } from './dialect.js';

export function createBetaDialect(flavor: 'voice-live' | 'openai'): Dialect {
  return {
    name: flavor === 'voice-live' ? 'voice-live' : 'openai-beta',
    flavor,
    decodeClient: (raw) => raw,
    encodeServer(event: ServerEvent) {
      // `warning` exists on Voice Live only; OpenAI clients would not know it.
      if (event.type === 'warning' && flavor !== 'voice-live') return [];
      return [event as unknown as Record<string, unknown>];
    },
  };
}
