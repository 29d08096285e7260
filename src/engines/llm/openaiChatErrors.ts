/**
 * Failure mapping for the OpenAI-compatible chat adapter: whatever went wrong (connection, HTTP
 * status, timeout, broken stream) becomes an `LlmEngineError` with a stable code and a message that
 * names the endpoint's host (never the full URL, never a key or token: secrets are replaced by
 * "[redacted]" even when a server echoes them back).
 *
 * Codes:
 *   llm_unreachable          connection refused, host not found, reset, TLS rejected, closed before answering
 *   llm_first_token_timeout  nothing generated within firstTokenTimeoutMs of sending the request
 *   llm_stream_stalled       no data for idleTimeoutMs in the middle of a reply
 *   llm_auth_failed          HTTP 401 / 403
 *   llm_model_not_found      HTTP 404 (unknown model or deployment, or a wrong URL path)
 *   llm_rate_limited         HTTP 429
 *   llm_server_error         HTTP 5xx
 *   llm_bad_request          HTTP 400 / 422
 *   llm_http_error           any other HTTP status
 *   llm_malformed_stream     a stream event that is not JSON, or a web page instead of a stream
 *   llm_stream_interrupted   the connection dropped, or the stream ended, before the reply was complete
 *   llm_stream_error         the server reported an error inside the stream
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { clip, networkErrorCodes, serverErrorMessage } from '../endpointErrorText.js';
import { LlmEngineError } from './types.js';

export interface ChatErrorContext {
  /** host[:port] of the endpoint. */
  host: string;
  model: string;
  /** Set for Azure OpenAI: the deployment requests go to. */
  azureDeployment?: string;
  /** Strings that must never appear in a message (API key, tokens). */
  secrets: string[];
  firstTokenTimeoutMs: number;
  idleTimeoutMs: number;
}

export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('[redacted]');
  return out;
}

function make(ctx: ChatErrorContext, code: string, message: string): LlmEngineError {
  return new LlmEngineError(redact(message, ctx.secrets), code);
}

function connectionReason(error: unknown): string {
  const codes = networkErrorCodes(error);
  const has = (...names: string[]) => codes.some((c) => names.includes(c));
  if (has('ECONNREFUSED')) return 'connection refused: is the server running and the port right?';
  if (has('ENOTFOUND', 'EAI_AGAIN')) return 'host not found';
  if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT')) return 'connecting timed out';
  if (has('EHOSTUNREACH', 'ENETUNREACH')) return 'host unreachable';
  const tls = codes.find((c) => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL/i.test(c));
  if (tls) return `TLS handshake rejected (${tls})`;
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE')) return 'the server closed the connection before answering';
  return codes[0] ? `connection failed (${codes[0]})` : 'connection failed';
}

export function firstTokenTimeoutError(ctx: ChatErrorContext): LlmEngineError {
  return make(ctx, 'llm_first_token_timeout', `LLM endpoint ${ctx.host} produced no output within ${ctx.firstTokenTimeoutMs} ms (model '${ctx.model}'); it may be overloaded or still loading the model. The limit is the first-token timeout setting.`);
}

export function stalledError(ctx: ChatErrorContext): LlmEngineError {
  return make(ctx, 'llm_stream_stalled', `LLM endpoint ${ctx.host} stopped sending in the middle of a reply (nothing for ${ctx.idleTimeoutMs} ms). The limit is the idle timeout setting.`);
}

export function malformedStreamError(ctx: ChatErrorContext, data: string): LlmEngineError {
  return make(ctx, 'llm_malformed_stream', `LLM endpoint ${ctx.host} sent a stream event that is not valid JSON: ${JSON.stringify(clip(data).slice(0, 80))}`);
}

export function notAnEventStreamError(ctx: ChatErrorContext, contentType: string): LlmEngineError {
  return make(ctx, 'llm_malformed_stream', `LLM endpoint ${ctx.host} answered with ${contentType || 'an unknown content type'} instead of an event stream; is the URL the API's (often ending in /v1)?`);
}

export function interruptedError(ctx: ChatErrorContext, detail: string): LlmEngineError {
  return make(ctx, 'llm_stream_interrupted', `LLM endpoint ${ctx.host} ${detail} before the reply was complete.`);
}

export function streamErrorEvent(ctx: ChatErrorContext, data: string): LlmEngineError {
  const said = serverErrorMessage(data);
  return make(ctx, 'llm_stream_error', `LLM endpoint ${ctx.host} reported an error during the reply${said ? `: ${said}` : ''}`);
}

export function statusError(ctx: ChatErrorContext, status: number, body: string | undefined): LlmEngineError {
  const said = serverErrorMessage(body);
  const suffix = said ? ` Server said: ${said}` : '';
  if (status === 401 || status === 403) {
    return make(ctx, 'llm_auth_failed', `LLM endpoint ${ctx.host} refused the credentials (HTTP ${status}); check the API key or token.${suffix}`);
  }
  if (status === 404) {
    if (ctx.azureDeployment !== undefined) {
      return make(ctx, 'llm_model_not_found', `Azure OpenAI endpoint ${ctx.host} answered 404 for deployment '${ctx.azureDeployment}': no such deployment on that resource (or the api-version is not served there).${suffix}`);
    }
    return make(ctx, 'llm_model_not_found', `LLM endpoint ${ctx.host} answered 404 for model '${ctx.model}': the server does not know that model, or the URL path is wrong (OpenAI-style servers usually end in /v1).${suffix}`);
  }
  if (status === 429) return make(ctx, 'llm_rate_limited', `LLM endpoint ${ctx.host} is rate limiting requests (HTTP 429).${suffix}`);
  if (status >= 500) return make(ctx, 'llm_server_error', `LLM endpoint ${ctx.host} failed with HTTP ${status}.${suffix}`);
  if (status === 400 || status === 422) return make(ctx, 'llm_bad_request', `LLM endpoint ${ctx.host} rejected the request (HTTP ${status}).${suffix}`);
  return make(ctx, 'llm_http_error', `LLM endpoint ${ctx.host} answered HTTP ${status}.${suffix}`);
}

/**
 * Maps an error thrown while sending the request (by the `openai` client) to an LlmEngineError.
 * `errorBody` is the raw body of a non-2xx answer when it was captured.
 */
export function requestError(ctx: ChatErrorContext, error: unknown, errorBody: string | undefined): LlmEngineError {
  if (error instanceof LlmEngineError) return make(ctx, error.code, error.message);
  if (error instanceof APIConnectionTimeoutError) return firstTokenTimeoutError(ctx);
  if (error instanceof APIConnectionError) return make(ctx, 'llm_unreachable', `LLM endpoint ${ctx.host} is unreachable: ${connectionReason(error)}`);
  if (error instanceof APIError && typeof error.status === 'number') {
    return statusError(ctx, error.status, errorBody ?? (error.error ? JSON.stringify({ error: error.error }) : undefined));
  }
  const message = error instanceof Error ? error.message : String(error);
  return make(ctx, 'llm_error', `LLM request to ${ctx.host} failed: ${clip(message)}`);
}
