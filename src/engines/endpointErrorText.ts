/**
 * Reading failures of HTTP model endpoints (OpenAI-compatible chat, transcription and speech
 * servers) for error messages: the server's own words from an error body, and the network error
 * codes in a fetch failure's cause chain. Shared by the chat adapter and the speech adapters.
 */

const MAX_SERVER_MESSAGE_CHARS = 300;

/** Text as one line of at most 300 characters, for messages. */
export function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_SERVER_MESSAGE_CHARS ? `${oneLine.slice(0, MAX_SERVER_MESSAGE_CHARS)}…` : oneLine;
}

/**
 * The server's own words from an error body: OpenAI `{error:{message}}`, `{error:"…"}`, vLLM
 * `{message}`, FastAPI `{detail:"…"}` or validation `{detail:[{msg}]}`, an HTML page's title, or the
 * text itself; one line, at most 300 characters.
 */
export function serverErrorMessage(body: string | undefined): string {
  if (!body) return '';
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // HTML error pages from proxies say nothing useful beyond their title.
    const title = body.match(/<title>([^<]*)<\/title>/i);
    return clip(title ? title[1]! : body);
  }
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    const error = o.error;
    if (typeof error === 'string') return clip(error);
    if (error && typeof error === 'object' && typeof (error as Record<string, unknown>).message === 'string') return clip((error as { message: string }).message);
    if (typeof o.message === 'string') return clip(o.message);
    if (typeof o.detail === 'string') return clip(o.detail);
    if (Array.isArray(o.detail)) {
      return clip(o.detail.map((d) => (typeof d === 'object' && d !== null && 'msg' in d ? String((d as { msg: unknown }).msg) : JSON.stringify(d))).join('; '));
    }
    if (o.detail !== undefined) return clip(JSON.stringify(o.detail));
  }
  return clip(body);
}

/** Error codes (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, …) along an error's cause chain, outermost first. */
export function networkErrorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const e of errors) if (e && typeof (e as { code?: unknown }).code === 'string') codes.push((e as { code: string }).code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}
