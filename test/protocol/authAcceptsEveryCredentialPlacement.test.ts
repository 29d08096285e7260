import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ apiKeys: ['key-one', 'key-two'] });
});
after(async () => {
  await server.close();
});

async function statusOf(path: string, headers: Record<string, string> = {}, protocols: string[] = []): Promise<{ status: number; protocol?: string }> {
  try {
    const client = await RawClient.connect(`${server.wsUrl}${path}`, { headers, protocols });
    const protocol = client.socket.protocol;
    await client.waitFor('session.created');
    await client.close();
    return { status: 101, protocol };
  } catch (error) {
    const match = /HTTP (\d+)/.exec(String(error));
    return { status: match ? Number(match[1]) : -1 };
  }
}

test('credentials are accepted from the api-key header, Bearer header, query parameters and subprotocol', async () => {
  assert.equal((await statusOf('/voice-live/realtime?model=m', { 'api-key': 'key-one' })).status, 101);
  assert.equal((await statusOf('/voice-live/realtime?model=m', { Authorization: 'Bearer key-two' })).status, 101);
  assert.equal((await statusOf('/voice-live/realtime?model=m&api-key=key-one')).status, 101);
  assert.equal((await statusOf(`/voice-live/realtime?model=m&Authorization=${encodeURIComponent('Bearer key-two')}`)).status, 101);
  const viaProtocol = await statusOf('/v1/realtime?model=m', {}, ['realtime', 'openai-insecure-api-key.key-one']);
  assert.equal(viaProtocol.status, 101);
  assert.equal(viaProtocol.protocol, 'realtime', 'the realtime subprotocol is selected when offered');
});

test('wrong or missing credentials get HTTP 401 and no session', async () => {
  assert.equal((await statusOf('/voice-live/realtime?model=m')).status, 401);
  assert.equal((await statusOf('/voice-live/realtime?model=m', { 'api-key': 'key-three' })).status, 401);
  assert.equal((await statusOf('/voice-live/realtime?model=m', { Authorization: 'Bearer ' })).status, 401);
  assert.equal((await statusOf('/v1/realtime?model=m', {}, ['realtime', 'openai-insecure-api-key.nope'])).status, 401);
  assert.equal(server.server.sessionCount, 0);
});

test('every realtime route answers, also under a path prefix; unknown paths get 404', async () => {
  const headers = { 'api-key': 'key-one' };
  for (const path of ['/voice-live/realtime?api-version=2026-07-15&model=m', '/openai/realtime?api-version=2025-04-01-preview&deployment=d', '/openai/v1/realtime?model=m', '/v1/realtime?model=m', '/some/prefix/voice-live/realtime?model=m']) {
    assert.equal((await statusOf(path, headers)).status, 101, path);
  }
  assert.equal((await statusOf('/nope/realtime', headers)).status, 404);
});

test('GET /healthz answers 200 with the engine list', async () => {
  const body = await new Promise<{ status: number; json: { status: string; engines: string[] } }>((resolve, reject) => {
    request(`${server.httpUrl}/healthz`, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    })
      .on('error', reject)
      .end();
  });
  assert.equal(body.status, 200);
  assert.equal(body.json.status, 'ok');
  assert.ok(body.json.engines.some((l) => l.startsWith('LLM: scripted')));
});
