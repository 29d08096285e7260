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

async function connect(): Promise<RawClient> {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?api-version=2026-07-15&model=gpt-4o`);
  await client.waitFor('session.created');
  return client;
}

interface ErrorBody {
  type: string;
  code: string | null;
  message: string;
  param: string | null;
  event_id: string | null;
}

async function expectError(client: RawClient, send: Record<string, unknown> | string): Promise<ErrorBody> {
  const next = client.next('error');
  client.send(send);
  const event = await next;
  const error = event.error as ErrorBody;
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  assert.ok('param' in error && 'event_id' in error && 'code' in error && 'type' in error);
  return error;
}

/** The session still answers: a session.update round trip works after the bad input. */
async function assertAlive(client: RawClient): Promise<void> {
  const next = client.next('session.updated');
  client.send({ type: 'session.update', session: { instructions: 'still here' } });
  const updated = await next;
  assert.equal((updated.session as { instructions: string }).instructions, 'still here');
  assert.equal(client.closeInfo, null);
}

test('malformed JSON gets invalid_json and the session lives on', async () => {
  const client = await connect();
  const error = await expectError(client, '{"type": "session.update", ');
  assert.equal(error.code, 'invalid_json');
  assert.equal(error.type, 'invalid_request_error');
  await assertAlive(client);
  await client.close();
});

test('non-object JSON and missing type are rejected with a typed error', async () => {
  const client = await connect();
  assert.equal((await expectError(client, '[1,2,3]')).code, 'invalid_event');
  const missing = await expectError(client, { event_id: 'evt_1', session: {} });
  assert.equal(missing.code, 'missing_required_parameter');
  assert.equal(missing.param, 'type');
  assert.equal(missing.event_id, 'evt_1');
  assert.equal((await expectError(client, { type: 42 })).code, 'invalid_type');
  await assertAlive(client);
  await client.close();
});

test('an unknown event type is named in the error and echoes the event_id', async () => {
  const client = await connect();
  const error = await expectError(client, { type: 'session.frobnicate', event_id: 'evt_x' });
  assert.equal(error.code, 'unknown_event_type');
  assert.equal(error.event_id, 'evt_x');
  assert.match(error.message, /session\.frobnicate/);
  await assertAlive(client);
  await client.close();
});

test('wrong field types name the field; the previous config stays in force', async () => {
  const client = await connect();
  const first = client.next('session.updated');
  client.send({ type: 'session.update', session: { instructions: 'keep me', temperature: 0.9 } });
  await first;

  const wrongType = await expectError(client, { type: 'session.update', event_id: 'e2', session: { temperature: 'hot', instructions: 'do not apply' } });
  assert.equal(wrongType.code, 'invalid_type');
  assert.equal(wrongType.param, 'session.temperature');
  assert.equal(wrongType.event_id, 'e2');

  const badValue = await expectError(client, { type: 'session.update', session: { turn_detection: { type: 'server_vad', threshold: 7 } } });
  assert.equal(badValue.code, 'invalid_value');
  assert.equal(badValue.param, 'session.turn_detection.threshold');

  const badEnum = await expectError(client, { type: 'session.update', session: { input_audio_format: 'mp3' } });
  assert.equal(badEnum.param, 'session.input_audio_format');

  const badVariant = await expectError(client, { type: 'session.update', session: { turn_detection: { type: 'psychic_vad' } } });
  assert.equal(badVariant.param, 'session.turn_detection.type');

  const notObject = await expectError(client, { type: 'session.update', session: 'everything' });
  assert.equal(notObject.param, 'session');

  const next = client.next('session.updated');
  client.send({ type: 'session.update', session: {} });
  const session = (await next).session as { instructions: string; temperature: number; turn_detection: { threshold: number }; input_audio_format: string };
  assert.equal(session.instructions, 'keep me');
  assert.equal(session.temperature, 0.9);
  assert.equal(session.turn_detection.threshold, 0.5);
  assert.equal(session.input_audio_format, 'pcm16');
  await client.close();
});

test('an oversized frame gets message_too_large and the session lives on', async () => {
  const small = await startTestServer({ maxClientFrameBytes: 2 * 1024 * 1024, hardMaxClientFrameBytes: 64 * 1024 * 1024 });
  try {
    const client = await RawClient.connect(`${small.wsUrl}/voice-live/realtime?model=m`);
    await client.waitFor('session.created');
    const error = await expectError(client, JSON.stringify({ type: 'input_audio_buffer.append', audio: 'A'.repeat(3 * 1024 * 1024) }));
    assert.equal(error.code, 'message_too_large');
    await assertAlive(client);
    await client.close();
  } finally {
    await small.close();
  }
});

test('a 20 MiB append is accepted (15 MiB of audio in one event)', async () => {
  const client = await connect();
  const next = client.next('session.updated');
  client.send({ type: 'session.update', session: { turn_detection: null } });
  await next;
  const audio = Buffer.alloc(15 * 1024 * 1024).toString('base64');
  client.send({ type: 'input_audio_buffer.append', audio });
  const committed = client.next('input_audio_buffer.committed', 20_000);
  client.send({ type: 'input_audio_buffer.commit' });
  const event = await committed;
  assert.match(event.item_id as string, /^item_/);
  assert.ok(!client.events.some((e) => e.type === 'error'), JSON.stringify(client.events.filter((e) => e.type === 'error')));
  await client.close();
});

test('invalid base64 audio is an invalid_audio error, not silently dropped bytes', async () => {
  const client = await connect();
  const error = await expectError(client, { type: 'input_audio_buffer.append', audio: 'not base64 at all!' });
  assert.equal(error.code, 'invalid_audio');
  assert.equal(error.param, 'audio');
  await assertAlive(client);
  await client.close();
});

test('conversation errors: unknown previous item, unknown item ids, bad truncate, cancel with nothing active', async () => {
  const client = await connect();
  const prev = await expectError(client, {
    type: 'conversation.item.create',
    previous_item_id: 'item_missing',
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] },
  });
  assert.equal(prev.code, 'previous_item_not_found');
  assert.equal(prev.param, 'previous_item_id');
  assert.equal((await expectError(client, { type: 'conversation.item.delete', item_id: 'item_nope' })).code, 'item_not_found');
  assert.equal((await expectError(client, { type: 'conversation.item.retrieve', item_id: 'item_nope' })).code, 'item_not_found');
  const created = client.next('conversation.item.created');
  client.send({ type: 'conversation.item.create', item: { id: 'u1', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } });
  await created;
  const truncate = await expectError(client, { type: 'conversation.item.truncate', item_id: 'u1', content_index: 0, audio_end_ms: 10 });
  assert.equal(truncate.code, 'unsupported_content_type');
  const cancel = await expectError(client, { type: 'response.cancel' });
  assert.equal(cancel.code, 'response_cancel_not_active');
  const commit = await expectError(client, { type: 'input_audio_buffer.commit' });
  assert.equal(commit.code, 'input_audio_buffer_commit_empty');
  const orphan = await expectError(client, { type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_none', output: '{}' } });
  assert.equal(orphan.param, 'item.call_id');
  await assertAlive(client);
  await client.close();
});

test('binary frames carrying JSON are accepted like text frames', async () => {
  const client = await connect();
  const next = client.next('session.updated');
  client.socket.send(Buffer.from(JSON.stringify({ type: 'session.update', session: { instructions: 'binary' } })), { binary: true });
  assert.equal(((await next).session as { instructions: string }).instructions, 'binary');
  await client.close();
});

test('a flood of garbage from one client does not affect another session', async () => {
  const noisy = await connect();
  const quiet = await connect();
  for (let i = 0; i < 200; i++) noisy.send(i % 2 ? '}{' : { type: 'nope', n: i });
  await assertAlive(quiet);
  await assertAlive(noisy);
  assert.ok(noisy.events.filter((e) => e.type === 'error').length >= 200);
  await noisy.close();
  await quiet.close();
});
