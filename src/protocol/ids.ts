import { randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random alphanumeric id with an OpenAI-style prefix, e.g. `item_Bx3…` (22 random characters). */
export function newId(prefix: 'sess' | 'conv' | 'item' | 'resp' | 'call' | 'event'): string {
  const bytes = randomBytes(22);
  let body = '';
  for (const byte of bytes) body += alphabet[byte % alphabet.length];
  return `${prefix}_${body}`;
}
