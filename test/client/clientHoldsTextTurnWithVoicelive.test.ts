/**
 * Against a real voicelive server: connect with a key, update the session, hold a text turn read
 * through the event loop (typed events, spec §8.1 order), and see a server shutdown (drain with
 * 1001) end the loop with ConnectionClosed 1001.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionClosed, connect } from '../../src/client/index.js';
import type { ServerEvent } from '../../src/client/index.js';
import { startTestServer } from '../helpers/testServer.js';

test('a text turn: session.update, item, response streamed as typed events in spec order', async () => {
  const server = await startTestServer({ apiKeys: ['key-1'] });
  try {
    await using connection = await connect({ endpoint: server.httpUrl, credential: 'key-1', model: 'gpt-4o' });
    assert.match(connection.sessionId, /^sess_/);
    assert.equal(connection.initialSession.model, 'gpt-4o');

    const updated = connection.waitFor('session.updated');
    connection.session.update({ session: { modalities: ['text'], instructions: 'Be brief.' } });
    const session = (await updated).session;
    assert.deepEqual(session.modalities, ['text']);
    assert.equal(session.instructions, 'Be brief.');
    assert.equal(session.id, connection.sessionId);

    const itemEventId = connection.conversation.item.create({
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is the capital of France?' }] },
    });
    connection.response.create();
    const events: ServerEvent[] = [];
    let text = '';
    for await (const event of connection) {
      events.push(event);
      if (event.type === 'response.text.delta') text += event.delta;
      if (event.type === 'response.done') break;
    }
    const types = events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 3), ['session.created', 'session.updated', 'conversation.item.created']);
    const deltas = types.filter((t) => t === 'response.text.delta').length;
    assert.ok(deltas >= 2, 'the answer streams');
    assert.deepEqual(types.slice(3), [
      'response.created',
      'response.output_item.added',
      'conversation.item.created',
      'response.content_part.added',
      ...Array<string>(deltas).fill('response.text.delta'),
      'response.text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.done',
    ]);
    const done = events.at(-1)!;
    assert.ok(done.type === 'response.done');
    assert.equal(done.response.status, 'completed');
    const answer = done.response.output[0]!;
    const part = answer.type === 'message' ? answer.content[0] : undefined;
    assert.ok(part?.type === 'text', 'the answer is a text message');
    assert.equal(part.text, 'You asked: What is the capital of France?');
    assert.equal(text, part.text);
    assert.ok(!events.some((e) => e.type === 'error'), 'no errors');
    assert.match(itemEventId, /^evt_/);
  } finally {
    await server.close();
  }
});

test('an error event names the event_id of the client event that failed, and the session lives on', async () => {
  const server = await startTestServer();
  try {
    await using connection = await connect({ endpoint: server.httpUrl, credential: 'any', model: 'gpt-4o' });
    const error = connection.waitFor('error');
    const eventId = connection.response.cancel();
    const { error: details } = await error;
    assert.equal(details.code, 'response_cancel_not_active');
    assert.equal(details.event_id, eventId);
    const deleted = connection.waitFor('error');
    connection.conversation.item.delete({ item_id: 'item_missing', event_id: 'my-delete' });
    assert.equal((await deleted).error.event_id, 'my-delete');
    assert.ok(connection.isOpen);
  } finally {
    await server.close();
  }
});

test('a server shutdown (drain with 1001) ends the loop with ConnectionClosed 1001', async () => {
  const server = await startTestServer();
  try {
    const connection = await connect({ endpoint: server.httpUrl, credential: 'any', model: 'gpt-4o' });
    const loop = (async () => {
      const seen: string[] = [];
      for await (const event of connection) seen.push(event.type);
      return seen;
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server.server.close();
    await assert.rejects(loop, (error: unknown) => {
      assert.ok(error instanceof ConnectionClosed);
      assert.equal(error.code, 1001);
      assert.equal(error.initiatedBy, 'server');
      console.log(`server drain: ${error.message}`);
      return true;
    });
  } finally {
    await server.close().catch(() => undefined);
  }
});
