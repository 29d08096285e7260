import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({}, { speech: true });
});
after(async () => {
  await server.close();
});

test('an OpenAI GA client gets spoken answers as response.output_audio.* with GA item shapes; G.711 as audio/pcmu', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/v1/realtime?model=gpt-realtime`);
  await client.waitFor('session.created');
  client.send({ type: 'session.update', session: { type: 'realtime', audio: { output: { format: { type: 'audio/pcmu' }, voice: 'cedar' } } } });
  const updated = await client.waitFor('session.updated');
  assert.deepEqual((updated.session as { audio: { output: { format: unknown } } }).audio.output.format, { type: 'audio/pcmu' });
  client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'The train leaves at noon.' }] } });
  client.send({ type: 'response.create' });
  const done = await client.waitFor('response.done', 15_000);
  const types = client.types();
  assert.ok(types.includes('response.output_audio.delta'));
  assert.ok(types.includes('response.output_audio.done'));
  assert.ok(types.includes('response.output_audio_transcript.done'));
  assert.ok(!types.some((t) => t.startsWith('response.audio')), 'no beta names on the GA route');
  const response = done.response as { status: string; output: { content: { type: string; transcript: string }[] }[]; audio: { output: { format: unknown } } };
  assert.equal(response.status, 'completed');
  assert.equal(response.output[0]!.content[0]!.type, 'output_audio');
  assert.equal(response.output[0]!.content[0]!.transcript, 'You said: The train leaves at noon.');
  assert.deepEqual(response.audio.output.format, { type: 'audio/pcmu' });
  // 8 kHz µ-law is one byte per sample: the audio lasts about as long as the sentence takes to say.
  const bytes = client.events.filter((e) => e.type === 'response.output_audio.delta').reduce((n, e) => n + Buffer.from(e.delta as string, 'base64').length, 0);
  const seconds = bytes / 8000;
  assert.ok(seconds > 1 && seconds < 5, `${seconds.toFixed(2)} s of audio`);
  await client.close();
});
