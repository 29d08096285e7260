/**
 * One OpenAI-compatible HTTP endpoint (OpenAI, Azure OpenAI, or a local server speaking the same
 * API): builds the `openai` npm client for it and turns the client's failures into a short code
 * and a message that names the host, never the key. Shared by the transcription and speech engines.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, AzureOpenAI } from 'openai';
import { networkErrorCodes, serverErrorMessage } from './endpointErrorText.js';

export interface OpenAiEndpointOptions {
  /**
   * Where the API lives. OpenAI-style servers: the URL the paths hang off, usually ending in `/v1`
   * (`https://api.openai.com/v1`, `http://localhost:8000/v1`). Azure: the resource endpoint
   * (`https://<resource>.openai.azure.com`); a URL already ending in `/openai` is used as is.
   */
  baseUrl: string;
  /** Model name sent in requests; on Azure also the deployment name unless `azure.deployment` is set. */
  model: string;
  /** Sent as `Authorization: Bearer …` (Azure: `api-key: …`). Omitted when absent (local servers). */
  apiKey?: string;
  /** Azure OpenAI: requests go to `/openai/deployments/<deployment>/…?api-version=<apiVersion>`. */
  azure?: { apiVersion: string; deployment?: string };
  /** Retries of failed requests (connection errors, 408/409/429/5xx) by the client. Default 0. */
  maxRetries?: number;
}

/** Failure codes shared by the engines that talk to an endpoint. */
export type EndpointFailureCode =
  | 'endpoint_unreachable'
  | 'endpoint_timeout'
  | 'endpoint_auth_failed'
  | 'endpoint_not_found'
  | 'endpoint_rate_limited'
  | 'endpoint_rejected_request'
  | 'endpoint_server_error'
  | 'endpoint_bad_response'
  | 'endpoint_disconnected'
  | 'invalid_config';

export class EndpointConfigError extends Error {
  readonly code = 'invalid_config';
}

/** `host[:port]` of the endpoint, for messages. */
export function endpointHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    throw new EndpointConfigError(`baseUrl ${JSON.stringify(baseUrl)} is not a URL`);
  }
}

/**
 * Builds the client. Environment variables the client would otherwise read (`OPENAI_API_KEY`,
 * `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`) are not used: everything comes from
 * `options`, so a server-wide key cannot leak to a local server by accident.
 * @throws EndpointConfigError for a bad URL or an Azure endpoint without a key.
 */
export function createOpenAiClient(options: OpenAiEndpointOptions, timeoutMs: number): OpenAI {
  endpointHost(options.baseUrl);
  const common = {
    timeout: timeoutMs,
    maxRetries: options.maxRetries ?? 0,
    fetch: withReadableErrorBodies(globalThis.fetch),
    logLevel: 'off' as const,
    organization: null,
    project: null,
  };
  const trimmed = options.baseUrl.replace(/\/+$/, '');
  if (options.azure) {
    if (!options.apiKey) throw new EndpointConfigError('Azure OpenAI needs an apiKey');
    if (!options.azure.apiVersion) throw new EndpointConfigError('Azure OpenAI needs azure.apiVersion');
    return new AzureOpenAI({
      ...common,
      ...(/\/openai$/.test(trimmed) ? { baseURL: trimmed } : { endpoint: trimmed }),
      apiKey: options.apiKey,
      apiVersion: options.azure.apiVersion,
      deployment: options.azure.deployment ?? options.model,
    });
  }
  return new OpenAI({
    ...common,
    baseURL: trimmed,
    // The client insists on a credential; without a key it sends none (the header is removed).
    apiKey: options.apiKey ?? 'no-key',
    ...(options.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
  });
}

/**
 * The client keeps an error body's message only when it is `{"error": {...}}` (OpenAI's shape); for
 * other JSON (FastAPI's `{"detail": …}`, used by speaches and Kokoro-FastAPI) it reports "no body".
 * This fetch rewrites a failed response's body into OpenAI's shape so the server's words survive.
 */
function withReadableErrorBodies(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    const message = serverErrorMessage(text);
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(JSON.stringify({ error: { message } }), { status: response.status, statusText: response.statusText, headers });
  };
}

/** What the engine was doing, for the message: "transcription request to localhost:8000". */
export interface FailureContext {
  /** e.g. "transcription", "speech". */
  operation: string;
  host: string;
  apiKey?: string;
  timeoutMs: number;
  /** The engine's own deadline fired (its abort looks like a user abort to the client). */
  timedOut: boolean;
}

/** Removes the key from text that may echo it back. */
export function redactKey(text: string, apiKey: string | undefined): string {
  return apiKey && apiKey.length >= 4 ? text.split(apiKey).join('***') : text;
}

/** Maps any failure of a request to a code and a message naming the host (never the key). */
export function describeEndpointFailure(error: unknown, context: FailureContext): { code: EndpointFailureCode; message: string } {
  const target = `${context.operation} request to ${context.host}`;
  const result = (code: EndpointFailureCode, message: string) => ({ code, message: redactKey(message, context.apiKey) });
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return result('endpoint_timeout', `${target} timed out after ${context.timeoutMs} ms`);
  }
  if (error instanceof APIUserAbortError) return result('endpoint_timeout', `${target} was cancelled`);
  if (error instanceof APIConnectionError) {
    return result('endpoint_unreachable', `${target} failed: connection error (${connectionCause(error)})`);
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const said = serverSaid(error);
    const http = `${target} failed with HTTP ${status}${said}`;
    if (status === 401 || status === 403) return result('endpoint_auth_failed', `${http} (check the API key)`);
    if (status === 404) return result('endpoint_not_found', `${http} (check the URL, model or deployment)`);
    if (status === 408) return result('endpoint_timeout', http);
    if (status === 429) return result('endpoint_rate_limited', http);
    if (status >= 500) return result('endpoint_server_error', http);
    return result('endpoint_rejected_request', http);
  }
  const text = error instanceof Error ? error.message : String(error);
  return result('endpoint_bad_response', `${target} failed: ${text}`);
}

function serverSaid(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message.trim() : '';
  return message === '' ? '' : `: ${message}`;
}

/** "ECONNREFUSED", "ENOTFOUND", … from the fetch error's cause chain, else its message. */
function connectionCause(error: Error): string {
  const code = networkErrorCodes(error.cause).find((c) => /^E[A-Z]+$/.test(c));
  if (code) return code;
  let innermost: Error = error;
  while (innermost.cause instanceof Error) innermost = innermost.cause;
  return innermost.message;
}
