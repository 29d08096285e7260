/**
 * Standard base64 (RFC 4648 §4, padded) for the client, working in Node and in browsers: Node's
 * Buffer when present (fast), otherwise `btoa` / `atob` on binary strings in bounded chunks.
 */

interface BufferLike {
  from(data: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'base64'): string };
  from(data: string, encoding: 'base64'): Uint8Array;
}

const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

/** Bytes per `String.fromCharCode` call (keeps argument lists far below engine limits). */
const CHUNK_BYTES = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return bytesToBase64WithBtoa(bytes);
}

/** The browser path of {@link bytesToBase64} (exported so tests can run it under Node). */
export function bytesToBase64WithBtoa(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + CHUNK_BYTES));
  }
  return btoa(binary);
}

/**
 * Decodes standard base64 into fresh bytes (never a view on shared memory). Whitespace is ignored;
 * other characters outside the alphabet are rejected in browsers and skipped by Node.
 */
export function base64ToBytes(base64: string): Uint8Array {
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(base64, 'base64'));
  return base64ToBytesWithAtob(base64);
}

/** The browser path of {@link base64ToBytes} (exported so tests can run it under Node). */
export function base64ToBytesWithAtob(base64: string): Uint8Array {
  const binary = atob(base64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
