/**
 * The three ways to receive events see every event: listeners (synchronously, from registration
 * on, in order, removable), waitFor (the next match, with predicate, timeout and abort), and the
 * loop (one at a time; leaving it keeps the unread events for the next loop). close() and
 * `await using` end the connection with 1000 "Client disconnect", as the official SDK does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionClosed, EventTimeoutError, connect } from '../../src/client/index.js';
import type { ServerEvent, VoiceLiveConnection } from '../../src/client/index.js';
import { eventually, sessionCreated, startFakeServer } from './fakeRealtimeServer.js';
import type { FakeServer } from './fakeRealtimeServer.js';

/** A server that answers each client `emit` event with `count` numbered `response.text.delta` events. */
function startCountingServer(): Promise<FakeServer> {
  return startFakeServer({
    onConnection(socket) {
      socket.send(sessionCreated());
      socket.on('message', (data) => {
        const event = JSON.parse(data.toString()) as { type: string; count?: number; from?: number };
        if (event.type !== 'emit') return;
        for (let i = 0; i < (event.count ?? 1); i++) {
          const n = (event.from ?? 0) + i;
          socket.send(JSON.stringify({ type: 'response.text.delta', event_id: `e${n}`, response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: String(n) }));
        }
      });
    },
  });
}

async function take(connection: VoiceLiveConnection, count: number): Promise<string[]> {
  const out: string[] = [];
  for await (const event of connection) {
    out.push(event.type === 'response.text.delta' ? event.delta : event.type);
    if (out.length === count) break;
  }
  return out;
}

test('listeners, waitFor and the loop each see every event; unread events wait for the next loop', async () => {
  const server = await startCountingServer();
  try {
    const connection = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm' });
    const heard: string[] = [];
    const all: string[] = [];
    const remove = connection.on('response.text.delta', (event) => heard.push(event.delta));
    connection.on('*', (event: ServerEvent) => all.push(event.type));
    const third = connection.waitFor('response.text.delta', { predicate: (event) => event.delta === '2' });
    connection.send({ type: 'emit', count: 5 });
    assert.equal((await third).event_id, 'e2');
    assert.deepEqual(await take(connection, 3), ['session.created', '0', '1']);
    // Left the loop: the rest stays buffered, and more arrives meanwhile.
    connection.send({ type: 'emit', count: 2, from: 5 });
    await eventually(() => heard.length === 7);
    remove();
    connection.send({ type: 'emit', count: 1, from: 7 });
    assert.deepEqual(await take(connection, 5), ['2', '3', '4', '5', '6']);
    assert.deepEqual(await take(connection, 1), ['7']);
    assert.deepEqual(heard, ['0', '1', '2', '3', '4', '5', '6'], 'a removed listener hears nothing more');
    assert.equal(all.length, 8, 'the * listener was registered after session.created arrived');
    assert.equal(connection.droppedEventCount, 0);
    await connection.close();
  } finally {
    await server.close();
  }
});

test('past maxBufferedEvents the oldest unread events are dropped and counted; listeners still hear all', async () => {
  const server = await startCountingServer();
  try {
    const connection = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm', maxBufferedEvents: 3 });
    const heard: string[] = [];
    connection.on('response.text.delta', (event) => heard.push(event.delta));
    connection.send({ type: 'emit', count: 6 });
    await eventually(() => heard.length === 6);
    assert.equal(connection.droppedEventCount, 4, 'session.created and deltas 0-2 were dropped');
    assert.deepEqual(await take(connection, 3), ['3', '4', '5']);
    await connection.close();
  } finally {
    await server.close();
  }
});

test('a second concurrent loop is refused; a new loop after the first ended is fine', async () => {
  const server = await startCountingServer();
  try {
    const connection = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm' });
    const first = connection[Symbol.asyncIterator]();
    assert.throws(() => connection[Symbol.asyncIterator](), /already being iterated/);
    await first.return?.();
    assert.deepEqual(await take(connection, 1), ['session.created']);
    await connection.close();
  } finally {
    await server.close();
  }
});

test('waitFor rejects on timeout, on abort, and when the connection closes; a throwing predicate rejects it', async () => {
  const server = await startCountingServer();
  try {
    const connection = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm' });
    const started = performance.now();
    await assert.rejects(connection.waitFor('response.done', { timeoutMs: 100 }), (error: unknown) => {
      assert.ok(error instanceof EventTimeoutError);
      assert.equal(error.eventType, 'response.done');
      assert.equal(error.timeoutMs, 100);
      return true;
    });
    assert.ok(performance.now() - started >= 95);
    const controller = new AbortController();
    const aborted = connection.waitFor('response.done', { signal: controller.signal });
    controller.abort(new Error('user gave up'));
    await assert.rejects(aborted, /user gave up/);
    const bad = connection.waitFor('response.text.delta', {
      predicate: () => {
        throw new Error('predicate bug');
      },
    });
    connection.send({ type: 'emit' });
    await assert.rejects(bad, /predicate bug/);
    const never = assert.rejects(connection.waitFor('response.done'), (error: unknown) => error instanceof ConnectionClosed && error.initiatedBy === 'client' && error.code === 1000);
    await connection.close();
    await never;
    await assert.rejects(connection.waitFor('response.done'), ConnectionClosed);
  } finally {
    await server.close();
  }
});

test('close() sends 1000 "Client disconnect", ends a running loop, and later sends throw; await using closes too', async () => {
  const server = await startCountingServer();
  try {
    const connection = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm' });
    const loop = take(connection, 100);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const info = await connection.close();
    assert.deepEqual(info, { code: 1000, reason: 'Client disconnect', initiatedBy: 'client' });
    assert.deepEqual(await loop, ['session.created'], 'the loop ended without an error');
    await eventually(() => server.clientCloses.length === 1);
    assert.deepEqual(server.clientCloses[0], { code: 1000, reason: 'Client disconnect' });
    assert.throws(() => connection.input_audio_buffer.commit(), ConnectionClosed);
    assert.deepEqual(await connection.close(), info, 'closing twice is harmless');

    {
      await using scoped = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm' });
      assert.ok(scoped.isOpen);
    }
    await eventually(() => server.clientCloses.length === 2);
    assert.equal(server.clientCloses[1]!.code, 1000);

    // The caller's signal closes an established connection.
    const controller = new AbortController();
    const viaSignal = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm', signal: controller.signal });
    controller.abort();
    assert.equal((await viaSignal.closed).initiatedBy, 'client');
  } finally {
    await server.close();
  }
});

test('every resource method sends its event with the given fields and an event_id it returns; onSent sees each', async () => {
  const server = await startFakeServer({ onConnection: (socket) => socket.send(sessionCreated()) });
  try {
    const connection = await connect({ endpoint: server.httpUrl, credential: 'k', model: 'm' });
    const logged: string[] = [];
    connection.onSent((event) => logged.push(event.type));
    const ids = [
      connection.session.update({ session: { instructions: 'Be brief.', turn_detection: null } }),
      connection.transcription_session.update({ session: { input_audio_transcription: { model: 'whisper-1' } }, event_id: 'mine' }),
      connection.input_audio_buffer.append(new Int16Array([1, -2, 32767, -32768])),
      connection.input_audio_buffer.append({ audio: new Uint8Array([1, 2, 3]), event_id: 'bytes' }),
      connection.input_audio_buffer.append('AQID'),
      connection.input_audio_buffer.commit(),
      connection.input_audio_buffer.clear(),
      connection.output_audio_buffer.clear(),
      connection.conversation.item.create({ item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] } }),
      connection.conversation.item.create({ item: { type: 'function_call_output', call_id: 'c1', output: '{}' }, previous_item_id: 'item_1' }),
      connection.conversation.item.retrieve({ item_id: 'item_1' }),
      connection.conversation.item.truncate({ item_id: 'item_2', audio_end_ms: 1500 }),
      connection.conversation.item.delete({ item_id: 'item_1' }),
      connection.response.create(),
      connection.response.create({ response: { modalities: ['text'], instructions: 'Short.' } }),
      connection.response.cancel({ response_id: 'resp_1' }),
      connection.send({ type: 'input_text.delta', id: 'item_3', delta: 'He' }),
    ];
    await eventually(() => server.received[0]!.length === ids.length);
    const frames = server.received[0]!;
    const strip = ({ event_id: _id, ...rest }: Record<string, unknown>) => rest;
    assert.deepEqual(frames.map(strip), [
      { type: 'session.update', session: { instructions: 'Be brief.', turn_detection: null } },
      { type: 'transcription_session.update', session: { input_audio_transcription: { model: 'whisper-1' } } },
      { type: 'input_audio_buffer.append', audio: Buffer.from([1, 0, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80]).toString('base64') },
      { type: 'input_audio_buffer.append', audio: 'AQID' },
      { type: 'input_audio_buffer.append', audio: 'AQID' },
      { type: 'input_audio_buffer.commit' },
      { type: 'input_audio_buffer.clear' },
      { type: 'output_audio_buffer.clear' },
      { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] } },
      { type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'c1', output: '{}' }, previous_item_id: 'item_1' },
      { type: 'conversation.item.retrieve', item_id: 'item_1' },
      { type: 'conversation.item.truncate', item_id: 'item_2', content_index: 0, audio_end_ms: 1500 },
      { type: 'conversation.item.delete', item_id: 'item_1' },
      { type: 'response.create' },
      { type: 'response.create', response: { modalities: ['text'], instructions: 'Short.' } },
      { type: 'response.cancel', response_id: 'resp_1' },
      { type: 'input_text.delta', id: 'item_3', delta: 'He' },
    ]);
    assert.deepEqual(
      frames.map((f) => f.event_id),
      ids,
      'each method returns the event_id it sent (send() adds none)',
    );
    assert.equal(ids[1], 'mine');
    assert.equal(ids[3], 'bytes');
    assert.equal(ids.at(-1), undefined);
    for (const id of ids.slice(0, -1)) assert.match(id!, /^(evt_\d+_[a-z0-9]+|mine|bytes)$/);
    assert.equal(new Set(ids.slice(0, -1)).size, ids.length - 1, 'generated ids are unique');
    assert.deepEqual(logged, frames.map((f) => f.type));
    await connection.close();
  } finally {
    await server.close();
  }
});
