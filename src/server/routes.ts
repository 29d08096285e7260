/**
 * The realtime routes (spec §1.1) and the dialect each one speaks (§1.4). Paths may carry a
 * prefix (the Python SDK appends `/voice-live/realtime` to whatever path its endpoint has).
 */
import type { IncomingMessage } from 'node:http';
import type { Dialect } from '../protocol/dialects/dialect.js';
import { createOpenAiGaDialect } from '../protocol/dialects/openaiGa.js';
import { createBetaDialect } from '../protocol/dialects/voiceLive.js';

export interface RealtimeRoute {
  kind: 'voice-live' | 'azure-openai' | 'openai-v1';
  dialect: Dialect;
  /** Requested model / deployment (query `model` or `deployment`), if any. */
  model: string | null;
  apiVersion: string | null;
  /** Foundry agent parameters (agent sessions), if present. */
  agentName: string | null;
}

function betaSignalled(request: IncomingMessage): boolean {
  const header = request.headers['openai-beta'];
  if (typeof header === 'string' && /realtime\s*=\s*v1/i.test(header)) return true;
  const protocols = request.headers['sec-websocket-protocol'];
  return typeof protocols === 'string' && protocols.split(',').some((p) => p.trim() === 'openai-beta.realtime-v1');
}

export function matchRealtimeRoute(url: URL, request: IncomingMessage): RealtimeRoute | null {
  const path = url.pathname.replace(/\/+$/, '');
  const query = (name: string) => url.searchParams.get(name);
  const model = query('model') ?? query('deployment');
  const apiVersion = query('api-version');
  const agentName = query('agent-name') ?? query('agent_name');
  if (path.endsWith('/voice-live/realtime')) {
    const dialect = apiVersion === 'v1' ? createOpenAiGaDialect() : createBetaDialect('voice-live');
    return { kind: 'voice-live', dialect, model, apiVersion, agentName };
  }
  if (path.endsWith('/openai/v1/realtime') || path.endsWith('/v1/realtime')) {
    const dialect = betaSignalled(request) ? createBetaDialect('openai') : createOpenAiGaDialect();
    return { kind: 'openai-v1', dialect, model, apiVersion: null, agentName };
  }
  if (path.endsWith('/openai/realtime')) {
    return { kind: 'azure-openai', dialect: createBetaDialect('openai'), model, apiVersion, agentName };
  }
  return null;
}
