/**
 * The client opens the same WebSocket request as the official `@azure/ai-voicelive` 1.1.0 for the
 * same endpoint and credential, so it works against Azure: path /voice-live/realtime, the same
 * query parameters in the same order (api-version, model or agent parameters, api-key), the key
 * in the `api-key` header too, a token as `Authorization: Bearer` requested for the same scope,
 * and in browser mode the same query-parameter form as the official browser build.
 */
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, test } from 'node:test';
import { VoiceLiveClient } from '@azure/ai-voicelive';
import { AzureKeyCredential } from '@azure/core-auth';
import { WebSocket } from 'ws';
import { connect } from '../../src/client/index.js';
import type { AgentTarget, Credential } from '../../src/client/index.js';
import { realtimeUrl, withCredentialQuery } from '../../src/client/endpoint.js';
import { eventually, sessionCreated, startFakeServer } from './fakeRealtimeServer.js';
import type { FakeServer, RecordedRequest } from './fakeRealtimeServer.js';

let server: FakeServer;
before(async () => {
  server = await startFakeServer({ onConnection: (socket) => socket.send(sessionCreated()) });
});
after(async () => {
  await server.close();
});

/** A token provider that records the scopes it was asked for. */
function recordingTokenProvider(token: string): { credential: { getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number }> }; scopes: unknown[] } {
  const scopes: unknown[] = [];
  return {
    scopes,
    credential: {
      async getToken(requested) {
        scopes.push(requested);
        return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    },
  };
}

type OfficialTarget = string | { agent: AgentTarget };

/** The request the official SDK makes (Node build, or the browser build on a WHATWG WebSocket). */
async function officialRequest(target: OfficialTarget, credential: unknown, build: 'node' | 'browser' = 'node'): Promise<RecordedRequest> {
  const from = server.requests.length;
  let Client: typeof VoiceLiveClient = VoiceLiveClient;
  const globals = globalThis as { WebSocket?: unknown };
  const savedWebSocket = globals.WebSocket;
  if (build === 'browser') {
    globals.WebSocket = WebSocket;
    Client = ((await import('../../node_modules/@azure/ai-voicelive/dist/browser/index.js' as string)) as { VoiceLiveClient: typeof VoiceLiveClient }).VoiceLiveClient;
  }
  try {
    const client = new Client(server.httpUrl, credential as AzureKeyCredential);
    const session = client.createSession(target as string);
    await session.connect();
    await eventually(() => server.requests.length > from);
    await session.disconnect();
  } finally {
    globals.WebSocket = savedWebSocket;
  }
  return server.requests[from]!;
}

async function ourRequest(target: OfficialTarget, credential: Credential, browser = false): Promise<RecordedRequest> {
  const from = server.requests.length;
  const where = typeof target === 'string' ? { model: target } : target;
  const connection = await connect({ endpoint: server.httpUrl, credential, ...where, ...(browser ? { WebSocket } : {}) });
  await connection.close();
  return server.requests[from]!;
}

/** Query parameters in order, with the volatile request id reduced to its format. */
function query(request: RecordedRequest): [string, string][] {
  const url = new URL(request.url, 'http://x');
  return [...url.searchParams].map(([name, value]) => [name, name === 'client-request-id' ? requestIdShape(value) : value]);
}

function requestIdShape(value: string): string {
  return /^\d{13}-[a-z0-9]{9}$/.test(value) ? '<ms>-<9 chars>' : `unexpected: ${value}`;
}

function authHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  return {
    'api-key': headers['api-key'] as string | undefined,
    authorization: headers.authorization,
    'x-ms-client-request-id': headers['x-ms-client-request-id'] === undefined ? undefined : requestIdShape(headers['x-ms-client-request-id'] as string),
  };
}

test('API key + model: same path, query (api-version, model, api-key) and api-key header as the official Node SDK', async () => {
  const official = await officialRequest('gpt-realtime', new AzureKeyCredential('key-123'));
  const ours = await ourRequest('gpt-realtime', 'key-123');
  assert.equal(new URL(ours.url, 'http://x').pathname, '/voice-live/realtime');
  assert.deepEqual(query(ours), query(official));
  assert.deepEqual(query(ours), [
    ['api-version', '2026-07-15'],
    ['model', 'gpt-realtime'],
    ['api-key', 'key-123'],
  ]);
  assert.deepEqual(authHeaders(ours.headers), authHeaders(official.headers));
  assert.deepEqual(authHeaders(ours.headers), { 'api-key': 'key-123', authorization: undefined, 'x-ms-client-request-id': '<ms>-<9 chars>' });
  assert.equal(ours.headers['sec-websocket-protocol'], official.headers['sec-websocket-protocol'], 'no subprotocol, like the SDK');
  assert.equal(ours.headers['sec-websocket-extensions'], official.headers['sec-websocket-extensions'], 'permessage-deflate offered the same way');
  assert.equal(ours.headers['user-agent'], 'voicelive-client-js');
});

test('token provider: Authorization: Bearer header only, token requested for the same scope as the official SDK', async () => {
  const officialProvider = recordingTokenProvider('tok-abc');
  const official = await officialRequest('gpt-4o', officialProvider.credential);
  const ourProvider = recordingTokenProvider('tok-abc');
  const ours = await ourRequest('gpt-4o', ourProvider.credential);
  assert.deepEqual(ourProvider.scopes, officialProvider.scopes);
  assert.deepEqual(ourProvider.scopes, [['https://ai.azure.com/.default']]);
  assert.deepEqual(query(ours), query(official));
  assert.deepEqual(query(ours), [
    ['api-version', '2026-07-15'],
    ['model', 'gpt-4o'],
  ]);
  assert.deepEqual(authHeaders(ours.headers), authHeaders(official.headers));
  assert.equal(ours.headers.authorization, 'Bearer tok-abc');
  // A provider returning a bare string works too.
  const plain = await ourRequest('gpt-4o', { getToken: async () => 'tok-plain' });
  assert.equal(plain.headers.authorization, 'Bearer tok-plain');
});

test('agent sessions: the same agent query parameters as the official SDK, no model', async () => {
  const agent: AgentTarget = {
    agentName: 'helper',
    projectName: 'proj',
    agentVersion: '3',
    conversationId: 'conv_1',
    authenticationIdentityClientId: 'client-id',
    foundryResourceOverride: 'other-resource',
  };
  const official = await officialRequest({ agent }, new AzureKeyCredential('k'));
  const ours = await ourRequest({ agent }, 'k');
  assert.deepEqual(query(ours), query(official));
  assert.deepEqual(
    query(ours).map(([name]) => name),
    ['api-version', 'agent-name', 'agent-project-name', 'agent-version', 'conversation-id', 'agent-authentication-identity-client-id', 'foundry-resource-override', 'api-key'],
  );
});

test('browser mode (WHATWG WebSocket): credential and request id in the query exactly as the official browser build', async () => {
  const officialToken = await officialRequest('gpt-4o', recordingTokenProvider('tok-b').credential, 'browser');
  const oursToken = await ourRequest('gpt-4o', recordingTokenProvider('tok-b').credential, true);
  assert.deepEqual(query(oursToken), query(officialToken));
  assert.deepEqual(query(oursToken), [
    ['api-version', '2026-07-15'],
    ['model', 'gpt-4o'],
    ['client-request-id', '<ms>-<9 chars>'],
    ['authorization', 'Bearer tok-b'],
  ]);
  assert.equal(oursToken.headers.authorization, undefined);

  const officialKey = await officialRequest('gpt-4o', new AzureKeyCredential('key-b'), 'browser');
  const oursKey = await ourRequest('gpt-4o', 'key-b', true);
  assert.deepEqual(query(oursKey), query(officialKey));
  assert.equal(oursKey.headers['api-key'], undefined);

  // Extra headers become h-<name> parameters in browser mode, and real headers in Node.
  const from = server.requests.length;
  await (await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm', headers: { 'X-Custom': 'v1' }, WebSocket })).close();
  await (await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm', headers: { 'X-Custom': 'v2' } })).close();
  assert.equal(new URL(server.requests[from]!.url, 'http://x').searchParams.get('h-x-custom'), 'v1');
  assert.equal(server.requests[from + 1]!.headers['x-custom'], 'v2');
});

test('Azure endpoint forms map to the URL the official SDK builds for them', async () => {
  const { CredentialHandler } = (await import('../../node_modules/@azure/ai-voicelive/dist/esm/auth/credentialHandler.js' as string)) as {
    CredentialHandler: new (credential: unknown) => { getWebSocketUrl(endpoint: string, apiVersion: string, model?: string): Promise<string> };
  };
  const handler = new CredentialHandler(new AzureKeyCredential('secret'));
  for (const endpoint of [
    'https://my-resource.services.ai.azure.com',
    'https://my-resource.cognitiveservices.azure.com/',
    'https://my-resource.services.ai.azure.com/api/projects/my-project',
    'my-resource.cognitiveservices.azure.com',
    'http://localhost:8080/some/prefix?features=client_ec_reference:true',
  ]) {
    const normalized = new VoiceLiveClient(endpoint, new AzureKeyCredential('secret')).endpoint;
    const official = await handler.getWebSocketUrl(normalized, '2026-07-15', 'gpt-realtime');
    const ours = withCredentialQuery(realtimeUrl({ endpoint, model: 'gpt-realtime' }), { kind: 'key', key: 'secret' });
    assert.equal(ours.href, official, endpoint);
  }
  // Where this client deliberately differs: wss:// stays wss:// (the SDK would downgrade it to ws://),
  // a custom path is used as given, and api-version can be left out.
  assert.equal(realtimeUrl({ endpoint: 'wss://host.example', model: 'm' }).href, 'wss://host.example/voice-live/realtime?api-version=2026-07-15&model=m');
  assert.equal(realtimeUrl({ endpoint: 'https://api.example', model: 'gpt-realtime', path: '/v1/realtime', apiVersion: null }).href, 'wss://api.example/v1/realtime?model=gpt-realtime');
});
