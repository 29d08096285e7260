/**
 * Turning a refused WebSocket upgrade (a non-101 HTTP answer) into a {@link ConnectionError} that
 * says what went wrong, without ever echoing the credential from the URL.
 */
import { ConnectionError } from './errors.js';

const secretParams = new Set(['api-key', 'authorization', 'h-api-key', 'h-authorization']);

/** The URL with credential query parameters replaced by `***` (for messages and logs). */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  for (const name of [...copy.searchParams.keys()]) {
    if (secretParams.has(name.toLowerCase())) copy.searchParams.set(name, '***');
  }
  return copy.href;
}

/** The server's explanation in a refusal body: `error.message` / `message` of JSON, else the trimmed text. */
export function refusalMessage(body: string): string | null {
  const text = body.trim();
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'object' && typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: use the text
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export function describeUpgradeRefusal(url: URL, statusCode: number, statusText: string, body: string): ConnectionError {
  const serverMessage = refusalMessage(body);
  const status = `HTTP ${statusCode}${statusText ? ` ${statusText}` : ''}`;
  const says = serverMessage ? ` The server says: ${serverMessage}` : '';
  if (statusCode === 401 || statusCode === 403) {
    return new ConnectionError(
      'authentication_failed',
      `Authentication failed: the server refused the credential at the WebSocket upgrade (${status} from ${redactUrl(url)}); check the API key or token.${says}`,
      { statusCode, serverMessage },
    );
  }
  return new ConnectionError('http_error', `The server refused the WebSocket upgrade (${status} from ${redactUrl(url)}).${says}`, { statusCode, serverMessage });
}
