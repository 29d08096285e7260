import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

function userText(id: string | undefined, text: string) {
  return { ...(id ? { id } : {}), type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

test('client item ids are kept, previous_item_id inserts in place, root inserts first', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  const create = async (item: Record<string, unknown>, previous?: string) => {
    const next = client.next('conversation.item.created');
    client.send({ type: 'conversation.item.create', ...(previous !== undefined ? { previous_item_id: previous } : {}), item });
    return next;
  };
  const a = await create(userText('msg_a', 'first'));
  assert.equal(a.previous_item_id, null);
  assert.equal((a.item as { id: string }).id, 'msg_a');
  assert.equal((a.item as { status: string }).status, 'completed');
  const b = await create(userText('msg_b', 'second'));
  assert.equal(b.previous_item_id, 'msg_a');
  const c = await create(userText('msg_c', 'between'), 'msg_a');
  assert.equal(c.previous_item_id, 'msg_a');
  const r = await create(userText(undefined, 'at the start'), 'root');
  assert.equal(r.previous_item_id, null);
  assert.match((r.item as { id: string }).id, /^item_/);

  const retrieved = client.next('conversation.item.retrieved');
  client.send({ type: 'conversation.item.retrieve', item_id: 'msg_c' });
  assert.deepEqual(((await retrieved).item as { content: unknown[] }).content, [{ type: 'input_text', text: 'between' }]);

  const deleted = client.next('conversation.item.deleted');
  client.send({ type: 'conversation.item.delete', item_id: 'msg_b' });
  assert.equal((await deleted).item_id, 'msg_b');

  const dup = client.next('error');
  client.send({ type: 'conversation.item.create', item: userText('msg_a', 'again') });
  assert.equal(((await dup).error as { code: string }).code, 'duplicate_item_id');

  // A message at the end now follows msg_c's successor chain: [r, msg_a, msg_c] + new.
  const d = await create(userText('msg_d', 'last'));
  assert.equal(d.previous_item_id, 'msg_c');
  await client.close();
});

test('assistant and system items can seed history; audio parts cannot be created for the assistant', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  const ok = client.next('conversation.item.created');
  client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Earlier answer' }] } });
  assert.equal(((await ok).item as { role: string }).role, 'assistant');
  const bad = client.next('error');
  client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'assistant', content: [{ type: 'audio', transcript: 'x' }] } });
  const error = (await bad).error as { code: string; param: string };
  assert.equal(error.param, 'item.content[0].type');
  await client.close();
});
