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

test('a WebSocket ping is answered with a pong carrying the same payload', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  const pong = new Promise<string>((resolve) => client.socket.once('pong', (data) => resolve(data.toString())));
  client.socket.ping('are-you-there');
  assert.equal(await pong, 'are-you-there');
  await client.close();
});

test('conversation.item.retrieved inlines small audio and omits audio that would exceed 1 MiB, with a warning', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`, { maxPayload: 1024 * 1024 });
  await client.waitFor('session.created');
  client.send({ type: 'session.update', session: { turn_detection: null } });
  await client.waitFor('session.updated');

  const small = Buffer.alloc(24000 * 2); // 1 s of 24 kHz PCM16
  small.writeInt16LE(1234, 0);
  client.send({ type: 'input_audio_buffer.append', audio: small.toString('base64') });
  client.send({ type: 'input_audio_buffer.commit' });
  const smallItem = (await client.next('conversation.item.created')).item as { id: string };
  client.send({ type: 'conversation.item.retrieve', item_id: smallItem.id });
  const retrieved = await client.next('conversation.item.retrieved');
  const part = (retrieved.item as { content: { audio?: string }[] }).content[0]!;
  const audio = Buffer.from(part.audio!, 'base64');
  assert.equal(audio.length, small.length);
  assert.equal(audio.readInt16LE(0), 1234);

  const large = Buffer.alloc(24000 * 2 * 15); // 15 s: 960 KB of PCM, ~1.3 MB as base64
  client.send({ type: 'input_audio_buffer.append', audio: large.toString('base64') });
  client.send({ type: 'input_audio_buffer.commit' });
  const largeItem = (await client.next('conversation.item.created')).item as { id: string };
  const warning = client.next('warning');
  client.send({ type: 'conversation.item.retrieve', item_id: largeItem.id });
  const bigRetrieved = await client.next('conversation.item.retrieved');
  assert.equal(((await warning).warning as { code: string }).code, 'audio_omitted');
  assert.equal((bigRetrieved.item as { content: { audio?: string }[] }).content[0]!.audio, undefined);
  assert.equal(client.closeInfo, null, 'the 1 MiB client limit was never exceeded');
  await client.close();
});
