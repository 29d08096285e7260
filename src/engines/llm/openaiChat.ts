/**
 * The OpenAI-compatible chat LLM engine: streams `POST …/chat/completions` from OpenAI, Azure OpenAI
 * or any server speaking that API (Ollama `/v1`, vLLM, llama.cpp server, LM Studio, LiteLLM, …),
 * using the official `openai` client to build, authenticate and send the request (Azure deployment
 * URLs and `api-version` included) and reading the server-sent events itself, so that it can time
 * the stream, recognise `[DONE]`, and survive the quirks listed in openaiChatStream.ts.
 *
 * Behaviour worth knowing when configuring it:
 *  - Timeouts: `firstTokenTimeoutMs` (default 20 s) runs from sending the request until the server
 *    generates anything (covers connecting, queueing, loading the model, reading the prompt);
 *    `idleTimeoutMs` (default 10 s) is the longest silence allowed between chunks after that.
 *    Time the session spends consuming a delta (e.g. speaking) does not count as silence.
 *  - Retries: `maxRetries` (default 1) is how often the `openai` client repeats a request that failed
 *    before any reply arrived (connection error, 408/409/429/5xx), after a short backoff (~0.5 s, or
 *    the server's Retry-After). One retry absorbs a stale pooled connection or a momentary 502/503
 *    without stretching a voice turn much further; all of it stays inside `firstTokenTimeoutMs`.
 *    Nothing is retried once a reply has started streaming.
 *  - Rejected parameters: when a server answers 400/422 naming a parameter this adapter can do
 *    without, it retries once without it and remembers that for the engine's lifetime:
 *    `stream_options` (servers that reject it; usage is then estimated by the session),
 *    `temperature` (OpenAI reasoning models only accept the default), `parallel_tool_calls`, and
 *    `max_tokens` ⇄ `max_completion_tokens` (each side rejects the other on some servers).
 *  - `maxTokensField` 'auto' (default) sends `max_completion_tokens` to api.openai.com and Azure
 *    (required by their reasoning models) and `max_tokens` elsewhere (Ollama, LM Studio and older
 *    llama.cpp servers ignore the newer field, which would leave replies unbounded).
 *  - No API key: no Authorization header is sent (local servers). Nothing is read from OPENAI_*
 *    environment variables except what the `openai` client always reads (OPENAI_CUSTOM_HEADERS).
 *  - Usage comes from the server's final usage chunk (`prompt_tokens`, `completion_tokens`,
 *    `prompt_tokens_details.cached_tokens`). A server that sends none gets no usage delta, and the
 *    session falls back to its own estimate; no exact-looking numbers are invented here.
 */
import { APIError, AzureOpenAI, OpenAI } from 'openai';
import { serverErrorMessage } from '../endpointErrorText.js';
import { ChatStreamDecoder } from './openaiChatStream.js';
import {
  firstTokenTimeoutError,
  interruptedError,
  malformedStreamError,
  notAnEventStreamError,
  redact,
  requestError,
  stalledError,
  streamErrorEvent,
} from './openaiChatErrors.js';
import type { ChatErrorContext } from './openaiChatErrors.js';
import { autoMaxTokensField, toChatCompletionsBody } from './openaiChatMessages.js';
import type { MaxTokensField } from './openaiChatMessages.js';
import { SseParser } from './sseParser.js';
import type { LlmCapabilities, LlmDelta, LlmEngine, LlmRequest } from './types.js';
import { LlmEngineError } from './types.js';

export interface OpenAiChatAzureOptions {
  /** Azure OpenAI `api-version`, e.g. "2024-10-21". */
  apiVersion: string;
  /** Deployment name; default: the `model` option. */
  deployment?: string;
  /** Entra ID (AAD) token source, instead of `apiKey`; sent as `Authorization: Bearer`. */
  tokenProvider?: () => Promise<string>;
}

export interface OpenAiChatOptions {
  /**
   * The API base URL, e.g. "http://localhost:11434/v1" (Ollama), "http://localhost:8000/v1" (vLLM),
   * "https://api.openai.com/v1". For Azure OpenAI: the resource endpoint
   * "https://<resource>.openai.azure.com" (a ".../openai/deployments/<name>" URL is accepted too and
   * supplies the deployment).
   */
  baseUrl: string;
  /** Model name sent in each request (for Azure also the default deployment name). */
  model: string;
  /** API key: `Authorization: Bearer` (or `api-key` for Azure). Omit for servers without auth. */
  apiKey?: string;
  /** Set to talk to an Azure OpenAI resource (deployment URLs, `api-version`, `api-key`). */
  azure?: OpenAiChatAzureOptions;
  /** From sending the request until the server generates anything. Default 20000. */
  firstTokenTimeoutMs?: number;
  /** Longest silence between stream chunks once generation started. Default 10000. */
  idleTimeoutMs?: number;
  /** Retries of a request that failed before the reply started. Default 1 (see above). */
  maxRetries?: number;
  /** Extra HTTP headers sent with every request (e.g. a gateway's routing or auth header). */
  headers?: Record<string, string>;
  /** Which output-limit field to send. Default 'auto' (see above). */
  maxTokensField?: 'auto' | MaxTokensField;
  /** Ask for the final usage chunk (`stream_options.include_usage`). Default true. */
  streamUsage?: boolean;
  /**
   * Extra top-level body fields for server-specific knobs, e.g.
   * `{ chat_template_kwargs: { enable_thinking: false } }` (vLLM/SGLang Qwen3) or `{ top_p: 0.9 }`.
   */
  extraBody?: Record<string, unknown>;
  /** Engine id in logs. Default "openai". */
  name?: string;
  /** Receives notes such as "the endpoint rejected stream_options; retrying without it". */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export const openAiChatDefaults = {
  firstTokenTimeoutMs: 20_000,
  idleTimeoutMs: 10_000,
  maxRetries: 1,
} as const;

/** After the finish reason, how long to wait for the usage chunk and the end of the stream. */
const tailGraceMs = 2000;

/** How many rejected parameters one request may shed before its error is final. */
const maxParameterFallbacks = 3;

class AbortedError extends Error {
  constructor() {
    super('aborted');
  }
}

/** Resolves like `promise` unless `signal` aborts first; a late result is handed to `onLate`. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onLate: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) onLate(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

interface AzureTarget {
  endpoint: string;
  deployment: string;
}

/** "https://r.openai.azure.com/openai/deployments/d/…" → endpoint + deployment; plain endpoints pass through. */
function azureTarget(baseUrl: string, deployment: string | undefined, model: string): AzureTarget {
  const url = new URL(baseUrl);
  const match = url.pathname.match(/^(.*?)\/openai(?:\/deployments\/([^/]+))?(?:\/.*)?$/);
  const prefix = match ? match[1]! : url.pathname.replace(/\/+$/, '');
  return { endpoint: `${url.origin}${prefix}`, deployment: deployment ?? (match?.[2] ? decodeURIComponent(match[2]) : model) };
}

export class OpenAiChatLlmEngine implements LlmEngine {
  readonly name: string;
  readonly description: string;
  readonly capabilities: LlmCapabilities = { tools: true, parallelToolCalls: true, exactUsage: true };

  private readonly client: OpenAI;
  private readonly context: ChatErrorContext;
  private readonly firstTokenTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly maxRetries: number;
  /** Raw bodies of non-2xx answers, by the Headers object the `openai` client puts on its error. */
  private readonly errorBodies = new WeakMap<Headers, string>();
  /** What this endpoint has been found to accept (starts from the options; shrinks on rejections). */
  private readonly accepted: { streamUsage: boolean; temperature: boolean; parallelToolCalls: boolean; maxTokensField: MaxTokensField };

  constructor(private readonly options: OpenAiChatOptions) {
    if (!options.model || options.model.trim() === '') throw new Error('OpenAI-compatible LLM: a model name is required');
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new Error(`OpenAI-compatible LLM: base URL ${JSON.stringify(options.baseUrl)} is not a valid URL (expected e.g. http://localhost:11434/v1)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`OpenAI-compatible LLM: base URL must be http(s), got ${url.protocol}`);
    if (url.username || url.password) throw new Error('OpenAI-compatible LLM: put credentials in the API key setting, not in the base URL');
    this.firstTokenTimeoutMs = options.firstTokenTimeoutMs ?? openAiChatDefaults.firstTokenTimeoutMs;
    this.idleTimeoutMs = options.idleTimeoutMs ?? openAiChatDefaults.idleTimeoutMs;
    this.maxRetries = options.maxRetries ?? openAiChatDefaults.maxRetries;
    for (const [key, value] of Object.entries({ firstTokenTimeoutMs: this.firstTokenTimeoutMs, idleTimeoutMs: this.idleTimeoutMs })) {
      if (!Number.isFinite(value) || value <= 0) throw new Error(`OpenAI-compatible LLM: ${key} must be a positive number of milliseconds`);
    }
    if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0) throw new Error('OpenAI-compatible LLM: maxRetries must be a whole number ≥ 0');

    const host = url.host;
    // The key, and the values of extra headers that carry credentials (a gateway's auth header).
    const credentialHeaders = Object.entries(options.headers ?? {}).filter(([name]) => /auth|key|token|secret|cookie/i.test(name));
    const secrets = [options.apiKey ?? '', ...credentialHeaders.map(([, value]) => value)].filter((s) => s.length > 0);
    this.context = { host, model: options.model, secrets, firstTokenTimeoutMs: this.firstTokenTimeoutMs, idleTimeoutMs: this.idleTimeoutMs };
    const field = options.maxTokensField ?? 'auto';
    this.accepted = {
      streamUsage: options.streamUsage ?? true,
      temperature: true,
      parallelToolCalls: true,
      maxTokensField: field === 'auto' ? autoMaxTokensField(url, options.azure !== undefined) : field,
    };

    const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      if (!response.ok) {
        const body = await response
          .clone()
          .text()
          .catch(() => '');
        this.errorBodies.set(response.headers, body);
      }
      return response;
    };
    const common = {
      maxRetries: this.maxRetries,
      // The client's own timeout only covers waiting for response headers; ours covers the first token.
      timeout: this.firstTokenTimeoutMs + 1000,
      defaultHeaders: { ...(options.headers ?? {}), ...(options.apiKey || options.azure?.tokenProvider ? {} : { Authorization: null }) },
      fetch: recordingFetch,
      logLevel: 'off' as const,
    };
    if (options.azure) {
      const target = azureTarget(options.baseUrl, options.azure.deployment, options.model);
      this.context.azureDeployment = target.deployment;
      if (!options.apiKey && !options.azure.tokenProvider) throw new Error('OpenAI-compatible LLM: Azure OpenAI needs an API key or a token provider');
      this.client = new AzureOpenAI({
        // baseURL (not endpoint) and an explicit null key keep OPENAI_BASE_URL / AZURE_OPENAI_API_KEY
        // from the environment out of this client.
        baseURL: `${target.endpoint}/openai`,
        deployment: target.deployment,
        apiVersion: options.azure.apiVersion,
        ...(options.azure.tokenProvider ? { azureADTokenProvider: options.azure.tokenProvider, apiKey: null as unknown as undefined } : { apiKey: options.apiKey }),
        ...common,
      });
      this.description = `OpenAI-compatible chat via Azure OpenAI at ${host} (deployment '${target.deployment}', api-version ${options.azure.apiVersion})`;
    } else {
      this.client = new OpenAI({
        baseURL: options.baseUrl.replace(/\/+$/, ''),
        // The client insists on a credential; without a key the Authorization header is removed above.
        apiKey: options.apiKey || 'unused',
        adminAPIKey: null,
        organization: null,
        project: null,
        ...common,
      });
      this.description = `OpenAI-compatible chat at ${host} (model '${options.model}')`;
    }
    this.name = options.name ?? 'openai';
  }

  async *generate(request: LlmRequest, signal: AbortSignal): AsyncIterable<LlmDelta> {
    if (signal.aborted) return;
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort();
    signal.addEventListener('abort', onCallerAbort, { once: true });
    // 'tail': the finish reason came but the server neither sends [DONE] nor closes; after a short
    // grace (for the usage chunk) the reply is taken as complete instead of failing as stalled.
    type TimerKind = 'first_token' | 'idle' | 'tail';
    const state: { timedOut: TimerKind | null } = { timedOut: null };
    const timerMs: Record<TimerKind, number> = { first_token: this.firstTokenTimeoutMs, idle: this.idleTimeoutMs, tail: Math.min(this.idleTimeoutMs, tailGraceMs) };
    let timer: NodeJS.Timeout | undefined;
    const arm = (kind: TimerKind) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        state.timedOut = kind;
        controller.abort();
      }, timerMs[kind]);
    };
    const pause = () => clearTimeout(timer);
    const failure = (error: unknown): LlmEngineError => {
      if (state.timedOut === 'first_token') return firstTokenTimeoutError(this.context);
      if (state.timedOut === 'idle') return stalledError(this.context);
      if (error instanceof LlmEngineError) return error;
      const headers = error instanceof APIError ? error.headers : undefined;
      return requestError(this.context, error, headers ? this.errorBodies.get(headers) : undefined);
    };

    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    let complete = false;
    arm('first_token');
    try {
      const response = await this.open(request, controller.signal);
      const contentType = response.headers.get('content-type') ?? '';
      const decoder = new ChatStreamDecoder();
      if (/html/i.test(contentType)) {
        throw notAnEventStreamError(this.context, contentType.split(';')[0]!.trim());
      }
      if (!response.body) throw interruptedError(this.context, 'sent no response body');
      const bodyReader = response.body.getReader();
      reader = bodyReader;
      const read = async (): Promise<ReadableStreamReadResult<Uint8Array>> => {
        try {
          const result = await bodyReader.read();
          if (decoder.sawOutput) arm(decoder.finished ? 'tail' : 'idle');
          return result;
        } catch {
          if (state.timedOut === 'tail') return { done: true, value: undefined };
          if (controller.signal.aborted) throw new AbortedError();
          // undici's "terminated" / "other side closed": the connection dropped mid-body.
          throw interruptedError(this.context, 'closed the connection');
        }
      };
      const text = new TextDecoder();

      if (/application\/json/i.test(contentType)) {
        // A server that ignored `stream: true` and sent one whole completion.
        let raw = '';
        while (true) {
          const { value, done } = await read();
          if (done) break;
          raw += text.decode(value, { stream: true });
        }
        raw += text.decode();
        pause();
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          throw malformedStreamError(this.context, raw);
        }
        if (json && typeof json === 'object' && 'error' in json) throw streamErrorEvent(this.context, raw);
        const deltas = [...decoder.completion(json as Record<string, unknown>), ...decoder.end()];
        complete = true;
        for (const delta of deltas) yield delta;
        return;
      }

      const sse = new SseParser();
      let sawDone = false;
      while (!sawDone) {
        const { value, done } = await read();
        const events = done ? sse.end() : sse.push(text.decode(value, { stream: true }));
        for (const event of events) {
          if (event.data.trim() === '[DONE]') {
            sawDone = true;
            break;
          }
          if (event.event === 'error') throw streamErrorEvent(this.context, event.data);
          let chunk: unknown;
          try {
            chunk = JSON.parse(event.data);
          } catch {
            throw malformedStreamError(this.context, event.data);
          }
          if (!chunk || typeof chunk !== 'object' || Array.isArray(chunk)) throw malformedStreamError(this.context, event.data);
          if ('error' in chunk && (chunk as { error: unknown }).error) throw streamErrorEvent(this.context, event.data);
          const deltas = decoder.chunk(chunk as Record<string, unknown>);
          if (decoder.sawOutput) {
            // Time spent by the consumer between our yields is not the server's silence.
            pause();
            for (const delta of deltas) yield delta;
            arm(decoder.finished ? 'tail' : 'idle');
          }
        }
        if (done) break;
      }
      pause();
      // A stream may omit [DONE] after its finish reason; one that has neither was cut short.
      if (!sawDone && !decoder.finished) throw interruptedError(this.context, 'ended the stream');
      complete = true;
      await reader.cancel().catch(() => undefined);
      for (const delta of decoder.end()) yield delta;
    } catch (error) {
      if (state.timedOut === null && (signal.aborted || error instanceof AbortedError)) return;
      throw failure(error);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onCallerAbort);
      if (!complete) {
        controller.abort();
        reader?.cancel().catch(() => undefined);
      }
    }
  }

  /** Sends the request (shedding parameters the server rejects) and returns the streaming response. */
  private async open(request: LlmRequest, signal: AbortSignal): Promise<Response> {
    for (let fallbacks = 0; ; fallbacks++) {
      const body = toChatCompletionsBody(request, {
        model: this.options.model,
        maxTokensField: this.accepted.maxTokensField,
        streamUsage: this.accepted.streamUsage,
        sendTemperature: this.accepted.temperature,
        sendParallelToolCalls: this.accepted.parallelToolCalls,
        extraBody: this.options.extraBody ?? {},
      });
      const pending = this.client.chat.completions
        .create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming, { signal, maxRetries: this.maxRetries })
        .asResponse();
      try {
        return await raceAbort(pending, signal, (late) => void late.body?.cancel().catch(() => undefined));
      } catch (error) {
        if (fallbacks >= maxParameterFallbacks || !this.shedRejectedParameter(error, body)) throw error;
      }
    }
  }

  /** True when the error names a parameter we can do without; updates what is sent from now on. */
  private shedRejectedParameter(error: unknown, body: Record<string, unknown>): boolean {
    if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422)) return false;
    const said = `${serverErrorMessage(this.errorBodies.get(error.headers as Headers))} ${error.message} ${typeof error.param === 'string' ? error.param : ''}`;
    const names = (param: string) => param in body && new RegExp(`\\b${param}\\b`).test(said);
    let shed: string | null = null;
    if (names('stream_options')) {
      this.accepted.streamUsage = false;
      shed = 'stream_options';
    } else if (names('max_tokens')) {
      this.accepted.maxTokensField = 'max_completion_tokens';
      shed = 'max_tokens (using max_completion_tokens)';
    } else if (names('max_completion_tokens')) {
      this.accepted.maxTokensField = 'max_tokens';
      shed = 'max_completion_tokens (using max_tokens)';
    } else if (names('parallel_tool_calls')) {
      this.accepted.parallelToolCalls = false;
      shed = 'parallel_tool_calls';
    } else if (names('temperature')) {
      this.accepted.temperature = false;
      shed = 'temperature';
    }
    if (shed) this.options.log?.(redact(`LLM endpoint ${this.context.host} rejected ${shed}; retrying without it from now on`, this.context.secrets), { status: error.status });
    return shed !== null;
  }
}
