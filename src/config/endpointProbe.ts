/**
 * A start-up check that the OpenAI-compatible endpoints in the configuration answer at all, so a
 * server pointed at an Ollama that is not running says so when it starts rather than at the first
 * turn. Any HTTP answer counts as reachable (no credentials are sent, so 401/404 are expected);
 * only network failures and timeouts are reported. The server starts either way.
 */
import { describeEndpoint } from './engineSpecs.js';
import type { ServerConfig } from './serverConfig.js';

interface EndpointSpec {
  type: 'openai';
  baseUrl: string;
  model: string;
  azureApiVersion?: string;
}

/** Every distinct OpenAI-compatible endpoint named by the default profile and the named profiles. */
export function configuredEndpoints(config: ServerConfig): Array<{ stage: 'LLM' | 'ASR' | 'TTS'; spec: EndpointSpec }> {
  const found = new Map<string, { stage: 'LLM' | 'ASR' | 'TTS'; spec: EndpointSpec }>();
  const add = (stage: 'LLM' | 'ASR' | 'TTS', spec: { type: string } | undefined) => {
    if (spec?.type !== 'openai') return;
    const endpoint = spec as EndpointSpec;
    found.set(`${stage} ${endpoint.baseUrl} ${endpoint.model}`, { stage, spec: endpoint });
  };
  for (const profile of [config, ...Object.values(config.models)]) {
    add('LLM', profile.llm);
    add('ASR', profile.asr);
    add('TTS', profile.tts);
  }
  return [...found.values()];
}

/** Why the endpoint cannot be reached, or null when something answered within `timeoutMs`. */
export async function probeEndpoint(baseUrl: string, timeoutMs = 2000): Promise<string | null> {
  try {
    const response = await fetch(baseUrl, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    return null;
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}

/** Warning lines for the start-up banner, one per endpoint that did not answer. */
export async function unreachableEndpointWarnings(config: ServerConfig, timeoutMs = 2000): Promise<string[]> {
  const endpoints = configuredEndpoints(config);
  const results = await Promise.all(endpoints.map(async ({ stage, spec }) => ({ stage, spec, problem: await probeEndpoint(spec.baseUrl, timeoutMs) })));
  return results
    .filter((r) => r.problem !== null)
    .map((r) => `WARNING: the ${r.stage} endpoint (${describeEndpoint(r.spec)}) is not reachable (${r.problem}); its turns will fail until it is up.`);
}
