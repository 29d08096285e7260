/**
 * How a connection's end shows: a normal server close (1000) ends the loop quietly; any other
 * close (1001 going away, 1008 policy violation, a dropped socket = 1006) is thrown as
 * ConnectionClosed with its code and reason, but only after every event received before it; a
 * waiting waitFor rejects; sending afterwards throws.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionClosed, connect } from '../../src/client/index.js';
import type { VoiceLiveConnection } from '../../src/client/index.js';
import { sessionCreated, startFakeServer } from './fakeRealtimeServer.js';
import type { WebSocket } from './fakeRealtimeServer.js';

/** Connects to a server that sends session.created and two deltas, then ends the socket with `end`. */
async function runClose(end: (socket: WebSocket) => void): Promise<{ types: string[]; error: unknown; connection: VoiceLiveConnection; waitForError: unknown }> {
  const server = await startFakeServer({
    onConnection(socket) {
      socket.send(sessionCreated());
      socket.on('message', () => {
        // The client says it is ready: stream two events, then end mid-response.
        socket.send(JSON.stringify({ type: 'response.text.delta', event_id: 'e1', response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: 'Hel' }));
        socket.send(JSON.stringify({ type: 'response.text.delta', event_id: 'e2', response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: 'lo' }));
        end(socket);
      });
    },
  });
  try {
    const connection = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm' });
    const pending = connection.waitFor('response.done').then(
      () => null,
      (error: unknown) => error,
    );
    connection.response.create();
    const types: string[] = [];
    let error: unknown = null;
    try {
      for await (const event of connection) types.push(event.type);
    } catch (e) {
      error = e;
    }
    return { types, error, connection, waitForError: await pending };
  } finally {
    await server.close();
  }
}

for (const [code, reason] of [
  [1001, 'server shutting down'],
  [1008, 'policy violation: too many sessions'],
  [1011, 'engine crashed'],
] as const) {
  test(`a ${code} close mid-iteration throws ConnectionClosed with code ${code} after the events already received`, async () => {
    const run = await runClose((socket) => socket.close(code, reason));
    assert.deepEqual(run.types, ['session.created', 'response.text.delta', 'response.text.delta']);
    assert.ok(run.error instanceof ConnectionClosed, String(run.error));
    assert.equal(run.error.code, code);
    assert.equal(run.error.reason, reason);
    assert.equal(run.error.initiatedBy, 'server');
    assert.match(run.error.message, new RegExp(`${code}`));
    assert.ok(run.waitForError instanceof ConnectionClosed);
    assert.equal(run.waitForError.code, code);
    assert.deepEqual(run.connection.closeInfo, { code, reason, initiatedBy: 'server' });
    assert.deepEqual(await run.connection.closed, { code, reason, initiatedBy: 'server' });
    assert.equal(run.connection.isOpen, false);
    assert.throws(() => run.connection.response.create(), (error: unknown) => error instanceof ConnectionClosed && error.code === code);
  });
}

test('a socket dropped without a close frame throws ConnectionClosed 1006', async () => {
  const run = await runClose((socket) => socket.terminate());
  assert.deepEqual(run.types, ['session.created', 'response.text.delta', 'response.text.delta']);
  assert.ok(run.error instanceof ConnectionClosed);
  assert.equal(run.error.code, 1006);
  assert.match(run.error.message, /abnormal closure/);
});

test('a normal 1000 close from the server ends iteration without an error', async () => {
  const run = await runClose((socket) => socket.close(1000, 'bye'));
  assert.deepEqual(run.types, ['session.created', 'response.text.delta', 'response.text.delta']);
  assert.equal(run.error, null);
  assert.ok(run.waitForError instanceof ConnectionClosed, 'the awaited event can no longer come');
  assert.deepEqual(run.connection.closeInfo, { code: 1000, reason: 'bye', initiatedBy: 'server' });
  // Iterating a closed connection ends at once.
  const again: string[] = [];
  for await (const event of run.connection) again.push(event.type);
  assert.deepEqual(again, []);
});

test('a close before session.created is a ConnectionError, not a half-open connection', async () => {
  const server = await startFakeServer({
    onConnection(socket) {
      socket.send(JSON.stringify({ type: 'error', event_id: 'e0', error: { type: 'invalid_request_error', code: 'model_not_found', message: 'No such model', param: null, event_id: null } }));
      socket.close(1008, 'bad model');
    },
  });
  try {
    await assert.rejects(connect({ endpoint: server.httpUrl, credential: 'k', model: 'nope' }), (error: unknown) => {
      assert.equal((error as { name: string }).name, 'ConnectionError');
      const e = error as { kind: string; closeCode: number; closeReason: string; serverMessage: string; message: string };
      assert.equal(e.kind, 'closed_before_session');
      assert.equal(e.closeCode, 1008);
      assert.equal(e.closeReason, 'bad model');
      assert.equal(e.serverMessage, 'No such model');
      assert.match(e.message, /1008.*bad model.*No such model/);
      return true;
    });
  } finally {
    await server.close();
  }
});
