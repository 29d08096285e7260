/**
 * The WebSocket request the client makes, built the way `@azure/ai-voicelive` 1.1.0 builds it
 * (spec §1.1, §11), so the same endpoint and credential work against voicelive and Azure:
 *
 * - scheme `https:` → `wss:`, `http:` → `ws:` (`ws:` / `wss:` kept; a bare host name means https);
 * - the endpoint's path is replaced by `/voice-live/realtime` (the official SDK ignores it too);
 *   pass `path` to use another route (`/openai/realtime`, `/v1/realtime`, or a prefixed path
 *   behind a proxy);
 * - query `api-version` (default 2026-07-15), then `model` or the agent parameters, then `api-key`
 *   for key credentials; any query the endpoint already had is kept;
 * - headers `api-key` (key) or `Authorization: Bearer` (token), `x-ms-client-request-id`, and a
 *   `User-Agent` naming this client.
 */
import type { ResolvedCredential } from './credential.js';

/** The API version the official SDK 1.1.0 sends by default. */
export const DEFAULT_API_VERSION = '2026-07-15';
/** The Voice Live route. */
export const DEFAULT_REALTIME_PATH = '/voice-live/realtime';
export const CLIENT_USER_AGENT = 'voicelive-client-js';

/** A Foundry agent session (instead of a model); names as in the official SDK's `AgentSessionConfig`. */
export interface AgentTarget {
  agentName: string;
  /** The Azure AI project the agent belongs to. */
  projectName: string;
  agentVersion?: string;
  /** A conversation to continue. */
  conversationId?: string;
  /** Client id of a user-assigned managed identity the service uses to call the agent. */
  authenticationIdentityClientId?: string;
  foundryResourceOverride?: string;
}

export interface RealtimeUrlOptions {
  endpoint: string | URL;
  model?: string;
  agent?: AgentTarget;
  /** `null` leaves `api-version` out (e.g. for OpenAI's `/v1/realtime`). */
  apiVersion?: string | null;
  path?: string;
}

function parseEndpoint(endpoint: string | URL): URL {
  const text = String(endpoint).trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TypeError(`endpoint is not a valid URL: ${text}`);
  }
  if (url.protocol === 'https:' || url.protocol === 'wss:') url.protocol = 'wss:';
  else if (url.protocol === 'http:' || url.protocol === 'ws:') url.protocol = 'ws:';
  else throw new TypeError(`endpoint must be an http(s) or ws(s) URL, not ${url.protocol}`);
  return url;
}

/** The URL to open, without the credential (see {@link withCredentialQuery}). */
export function realtimeUrl(options: RealtimeUrlOptions): URL {
  const url = parseEndpoint(options.endpoint);
  url.pathname = options.path ?? DEFAULT_REALTIME_PATH;
  url.hash = '';
  const apiVersion = options.apiVersion === undefined ? DEFAULT_API_VERSION : options.apiVersion;
  if (apiVersion !== null) url.searchParams.set('api-version', apiVersion);
  const { model, agent } = options;
  if (model !== undefined && agent !== undefined) throw new TypeError('pass either model or agent, not both');
  if (model !== undefined) {
    if (!model) throw new TypeError('model must be a non-empty string');
    url.searchParams.set('model', model);
  } else if (agent !== undefined) {
    if (!agent.agentName || !agent.projectName) throw new TypeError('agent needs agentName and projectName');
    url.searchParams.set('agent-name', agent.agentName);
    url.searchParams.set('agent-project-name', agent.projectName);
    if (agent.agentVersion) url.searchParams.set('agent-version', agent.agentVersion);
    if (agent.conversationId) url.searchParams.set('conversation-id', agent.conversationId);
    if (agent.authenticationIdentityClientId) url.searchParams.set('agent-authentication-identity-client-id', agent.authenticationIdentityClientId);
    if (agent.foundryResourceOverride) url.searchParams.set('foundry-resource-override', agent.foundryResourceOverride);
  } else {
    throw new TypeError('pass a model (e.g. "gpt-realtime") or an agent');
  }
  return url;
}

/** Adds `api-key` to the query for key credentials (the official Node SDK sends it in both places). */
export function withCredentialQuery(url: URL, credential: ResolvedCredential): URL {
  const out = new URL(url.href);
  if (credential.kind === 'key') out.searchParams.set('api-key', credential.key);
  return out;
}

/** A request id in the official SDK's format: `<ms since epoch>-<9 base-36 characters>`. */
export function newClientRequestId(): string {
  return `${Date.now()}-${Math.random().toString(36).slice(2, 11).padEnd(9, '0')}`;
}

/** Handshake headers: request id, user agent, the credential, then the caller's extra headers. */
export function handshakeHeaders(credential: ResolvedCredential, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {
    'X-MS-Client-Request-ID': newClientRequestId(),
    'User-Agent': CLIENT_USER_AGENT,
  };
  if (credential.kind === 'key') headers['api-key'] = credential.key;
  else headers.Authorization = `Bearer ${credential.token}`;
  return { ...headers, ...extra };
}
