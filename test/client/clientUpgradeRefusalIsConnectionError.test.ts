/**
 * A refused connection rejects connect() with a ConnectionError that says why: 401 at the upgrade
 * is "authentication failed" with the status and the server's message (never the key itself);
 * other statuses are http_error; an unreachable port is network_error; a token provider that
 * throws is credential_failed before anything is sent.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { ConnectionError, connect } from '../../src/client/index.js';
import { startTestServer } from '../helpers/testServer.js';
import { startFakeServer } from './fakeRealtimeServer.js';

function connectionError(error: unknown): ConnectionError {
  assert.ok(error instanceof ConnectionError, `expected a ConnectionError, got ${String(error)}`);
  return error;
}

test('a wrong API key against voicelive: ConnectionError authentication_failed, status 401, no key in the message', async () => {
  const server = await startTestServer({ apiKeys: ['right-key'] });
  try {
    const error = connectionError(await connect({ endpoint: server.httpUrl, credential: 'wrong-key-123', model: 'gpt-4o' }).catch((e: unknown) => e));
    assert.equal(error.kind, 'authentication_failed');
    assert.equal(error.statusCode, 401);
    assert.match(error.message, /^Authentication failed/);
    assert.match(error.message, /HTTP 401 Unauthorized/);
    assert.match(error.serverMessage ?? '', /Missing or invalid API key/);
    assert.doesNotMatch(error.message, /wrong-key-123/);
    assert.match(error.message, /api-key=\*\*\*/);
    assert.equal(server.server.sessionCount, 0);

    // The right key gets a session.
    const connection = await connect({ endpoint: server.httpUrl, credential: { key: 'right-key' }, model: 'gpt-4o' });
    assert.match(connection.sessionId, /^sess_/);
    await connection.close();
  } finally {
    await server.close();
  }
});

test('a 403 is authentication_failed too; a 404 or 400 is http_error with the server message', async () => {
  for (const [status, statusText, kind] of [
    [403, 'Forbidden', 'authentication_failed'],
    [404, 'Not Found', 'http_error'],
    [400, 'Bad Request', 'http_error'],
  ] as const) {
    const server = await startFakeServer({ refuse: { status, statusText, body: JSON.stringify({ error: { code: 'x', message: `refused with ${status}` } }) } });
    try {
      const error = connectionError(await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm' }).catch((e: unknown) => e));
      assert.equal(error.kind, kind);
      assert.equal(error.statusCode, status);
      assert.equal(error.serverMessage, `refused with ${status}`);
      assert.match(error.message, new RegExp(`HTTP ${status} ${statusText}`));
    } finally {
      await server.close();
    }
  }
});

test('nothing listening: network_error; in browser mode the refusal has no status', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const error = connectionError(await connect({ endpoint: `http://127.0.0.1:${port}`, credential: 'k', model: 'm' }).catch((e: unknown) => e));
  assert.equal(error.kind, 'network_error');
  assert.equal(error.statusCode, null);
  assert.match(error.message, /ECONNREFUSED/);

  const server = await startTestServer({ apiKeys: ['right-key'] });
  try {
    const browser = connectionError(await connect({ endpoint: server.httpUrl, credential: 'wrong', model: 'm', WebSocket }).catch((e: unknown) => e));
    assert.equal(browser.kind, 'network_error');
    assert.equal(browser.statusCode, null);
  } finally {
    await server.close();
  }
});

test('a failing token provider is credential_failed and opens no socket; so is one returning no token', async () => {
  const server = await startFakeServer();
  try {
    const thrown = connectionError(
      await connect({ endpoint: server.httpUrl, credential: { getToken: async () => Promise.reject(new Error('no login')) }, model: 'm' }).catch((e: unknown) => e),
    );
    assert.equal(thrown.kind, 'credential_failed');
    assert.match(thrown.message, /no login/);
    const empty = connectionError(await connect({ endpoint: server.httpUrl, credential: { getToken: async () => null }, model: 'm' }).catch((e: unknown) => e));
    assert.equal(empty.kind, 'credential_failed');
    assert.equal(server.requests.length, 0);
  } finally {
    await server.close();
  }
});

test('connect times out when no session.created comes, and can be aborted', async () => {
  const server = await startFakeServer({ onConnection: () => undefined });
  try {
    const started = performance.now();
    const slow = connectionError(await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm', connectTimeoutMs: 300 }).catch((e: unknown) => e));
    assert.equal(slow.kind, 'timeout');
    const elapsedMs = performance.now() - started;
    assert.ok(elapsedMs >= 290 && elapsedMs < 2000, `timed out after ${elapsedMs.toFixed(0)} ms`);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = connectionError(await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm', signal: controller.signal }).catch((e: unknown) => e));
    assert.equal(aborted.kind, 'aborted');
  } finally {
    await server.close();
  }
});

test('invalid options are TypeErrors', async () => {
  await assert.rejects(connect({ endpoint: 'http://127.0.0.1:1', credential: 'k' }), TypeError);
  await assert.rejects(connect({ endpoint: 'http://127.0.0.1:1', credential: 'k', model: 'm', agent: { agentName: 'a', projectName: 'p' } }), TypeError);
  await assert.rejects(connect({ endpoint: 'ftp://example.com', credential: 'k', model: 'm' }), TypeError);
  await assert.rejects(connect({ endpoint: 'http://127.0.0.1:1', credential: '', model: 'm' }), TypeError);
  await assert.rejects(connect({ endpoint: 'http://127.0.0.1:1', credential: 42 as never, model: 'm' }), TypeError);
});
