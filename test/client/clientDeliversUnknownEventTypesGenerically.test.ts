/**
 * Events of types the client does not know (a newer service, GA names on /v1/realtime) reach the
 * loop, listeners and waitFor unchanged; unreadable frames become a client-side `error` event.
 * Nothing is thrown and the connection keeps working.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, isKnownServerEvent } from '../../src/client/index.js';
import type { ServerEvent } from '../../src/client/index.js';
import { sessionCreated, startFakeServer } from './fakeRealtimeServer.js';

test('unknown event types are delivered as generic events with every field intact; bad frames become error events', async () => {
  const server = await startFakeServer({
    onConnection(socket) {
      socket.send(sessionCreated());
      socket.send(JSON.stringify({ type: 'response.output_audio.delta', event_id: 'e1', response_id: 'r', delta: 'AAA=' }));
      socket.send(JSON.stringify({ type: 'future.thing', event_id: 'e2', nested: { depth: [1, 2] }, flag: true }));
      socket.send('this is not json');
      socket.send(JSON.stringify({ no_type: 1 }));
      socket.send(Buffer.from(JSON.stringify({ type: 'binary.framed', event_id: 'e3' })), { binary: true });
      socket.send(JSON.stringify({ type: 'input_audio_buffer.cleared', event_id: 'e4' }));
      socket.on('message', (data) => {
        const event = JSON.parse(data.toString()) as { type: string };
        if (event.type === 'poke') socket.send(JSON.stringify({ type: 'later.thing', event_id: 'e5', answer: 42 }));
      });
    },
  });
  try {
    const connection = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm' });
    const seen: ServerEvent[] = [];
    for await (const event of connection) {
      seen.push(event);
      if (event.type === 'input_audio_buffer.cleared') break;
    }
    assert.deepEqual(
      seen.map((e) => e.type),
      ['session.created', 'response.output_audio.delta', 'future.thing', 'error', 'error', 'binary.framed', 'input_audio_buffer.cleared'],
    );
    assert.deepEqual(seen[2] as unknown, { type: 'future.thing', event_id: 'e2', nested: { depth: [1, 2] }, flag: true });
    assert.equal(isKnownServerEvent(seen[2]!), false);
    assert.equal(isKnownServerEvent(seen[6]!), true);
    const notJson = seen[3]!;
    assert.ok(notJson.type === 'error');
    assert.equal(notJson.error.code, 'invalid_server_message');
    assert.match(notJson.error.message, /this is not json/);
    const noType = seen[4]!;
    assert.ok(noType.type === 'error');
    assert.match(noType.error.message, /string "type"/);

    // Listeners and waitFor take unknown types too, and the connection still works both ways.
    const heard: number[] = [];
    connection.on('later.thing', (event) => heard.push(event.answer as number));
    const later = connection.waitFor('later.thing', { timeoutMs: 2000 });
    connection.send({ type: 'poke' });
    assert.equal((await later).answer, 42);
    assert.deepEqual(heard, [42]);
    const next = await connection[Symbol.asyncIterator]().next();
    assert.equal(next.value?.type, 'later.thing', 'the loop gets it as well');
    await connection.close();
  } finally {
    await server.close();
  }
});
