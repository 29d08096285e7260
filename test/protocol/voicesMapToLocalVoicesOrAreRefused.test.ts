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

test('OpenAI voice names, Azure voice objects and local voice ids are accepted; an unknown voice is an invalid_value error', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  for (const voice of ['alloy', 'echo', 'slt', { type: 'azure-standard', name: 'en-US-AvaNeural', rate: '+10%' }, { type: 'openai', name: 'shimmer' }]) {
    const next = client.next('session.updated');
    client.send({ type: 'session.update', session: { voice } });
    assert.deepEqual(((await next).session as { voice: unknown }).voice, voice);
  }
  for (const voice of ['darth-vader', { type: 'azure-standard', name: 'xx-XX-NobodyNeural' }, { type: 'azure-custom', name: 'mine', endpoint_id: '00000000-0000-0000-0000-000000000000' }]) {
    const error = client.next('error');
    client.send({ type: 'session.update', session: { voice } });
    const body = (await error).error as { code: string; param: string; message: string };
    assert.equal(body.code, 'invalid_value', JSON.stringify(voice));
    assert.equal(body.param, 'session.voice');
    assert.ok(body.message.length > 10);
  }
  const bad = client.next('error');
  client.send({ type: 'response.create', response: { voice: 'darth-vader' } });
  assert.equal(((await bad).error as { param: string }).param, 'response.voice');
  await client.close();
});
