/**
 * Decoding one client frame: JSON → dialect → schema → typed ClientEvent, or a typed error that
 * says exactly what was wrong (the connection and session live on either way).
 */
import { clientEventSchemas, isClientEventType } from './clientEvents.js';
import type { ClientEvent } from './clientEvents.js';
import type { Dialect } from './dialects/dialect.js';
import { ProtocolError } from './errors.js';
import { zodErrorToProtocolError } from './validation.js';

export type DecodeResult = { ok: true; event: ClientEvent } | { ok: false; error: ProtocolError; eventId: string | null };

export function decodeClientFrame(text: string, dialect: Dialect): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { ok: false, eventId: null, error: new ProtocolError('invalid_json', `The message is not valid JSON: ${reason}`) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, eventId: null, error: new ProtocolError('invalid_event', 'Each message must be one JSON object with a "type" field.') };
  }
  const raw = parsed as Record<string, unknown>;
  const eventId = typeof raw.event_id === 'string' ? raw.event_id : null;
  if (typeof raw.type !== 'string') {
    return {
      ok: false,
      eventId,
      error: new ProtocolError(raw.type === undefined ? 'missing_required_parameter' : 'invalid_type', 'The event must have a string "type" field.', 'type'),
    };
  }
  const canonical = dialect.decodeClient(raw);
  const type = canonical.type as string;
  if (!isClientEventType(type)) {
    return { ok: false, eventId, error: new ProtocolError('unknown_event_type', `Unknown client event type '${raw.type}'.`, 'type') };
  }
  const result = clientEventSchemas[type].safeParse(canonical);
  if (!result.success) return { ok: false, eventId, error: zodErrorToProtocolError(result.error, canonical) };
  return { ok: true, event: result.data as ClientEvent };
}
