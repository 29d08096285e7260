/**
 * Credentials at the WebSocket handshake (spec §1.2, §0 rule 7): `api-key` header or query,
 * `Authorization: Bearer` header or query (any case), or the `openai-insecure-api-key.<key>`
 * subprotocol. Keys are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const keySubprotocolPrefix = 'openai-insecure-api-key.';

/** Every credential the request carries (a client may send the same one in several places). */
export function credentialsFromRequest(request: IncomingMessage, url: URL): string[] {
  const found: string[] = [];
  const add = (value: string | undefined | null) => {
    if (value) found.push(value.trim());
  };
  const bearer = (value: string | undefined | null) => {
    if (!value) return;
    const match = /^\s*bearer\s+(.+)$/i.exec(value);
    add(match ? match[1] : value);
  };
  add(request.headers['api-key'] as string | undefined);
  bearer(request.headers.authorization);
  for (const [name, value] of url.searchParams) {
    const lower = name.toLowerCase();
    if (lower === 'api-key' || lower === 'h-api-key') add(value);
    else if (lower === 'authorization' || lower === 'h-authorization') bearer(value);
  }
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const protocol of protocols.split(',').map((p) => p.trim())) {
      if (protocol.startsWith(keySubprotocolPrefix)) add(protocol.slice(keySubprotocolPrefix.length));
    }
  }
  return found.filter((c) => c.length > 0);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export class ApiKeyVerifier {
  private readonly keyDigests: Buffer[];

  constructor(keys: string[]) {
    this.keyDigests = keys.map(digest);
  }

  get required(): boolean {
    return this.keyDigests.length > 0;
  }

  /** True when any presented credential equals any configured key (constant-time per comparison). */
  accepts(credentials: string[]): boolean {
    if (!this.required) return true;
    let ok = false;
    for (const credential of credentials) {
      const presented = digest(credential);
      for (const key of this.keyDigests) ok = timingSafeEqual(presented, key) || ok;
    }
    return ok;
  }
}

/** Picks the subprotocol to answer with: `realtime` when offered, else another non-secret one. */
export function selectSubprotocol(offered: Set<string>): string | false {
  if (offered.has('realtime')) return 'realtime';
  for (const protocol of offered) if (!protocol.startsWith(keySubprotocolPrefix)) return protocol;
  return false;
}
