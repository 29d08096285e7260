import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { OpenAIRealtimeWS as BetaRealtimeWS } from 'openai/beta/realtime/ws';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { makeSelfSignedCert } from '../helpers/selfSignedCert.js';
import type { SelfSignedCert } from '../helpers/selfSignedCert.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
let cert: SelfSignedCert;
before(async () => {
  cert = makeSelfSignedCert();
  server = await startTestServer({ apiKeys: ['sk-test'], tls: { certFile: cert.certFile, keyFile: cert.keyFile } });
});
after(async () => {
  await server.close();
});

type AnyEvent = { type: string; [k: string]: unknown };

function record(rt: { on(event: 'event', cb: (e: AnyEvent) => void): unknown }) {
  const events: AnyEvent[] = [];
  rt.on('event', (e) => events.push(e));
  const waitFor = async (type: string, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find((e) => e.type === type);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type}; got ${events.map((e) => e.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { events, waitFor };
}

test('openai GA realtime client (OpenAIRealtimeWS) holds a text turn with GA event names and shapes', async () => {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `https://127.0.0.1:${server.port}/v1` });
  const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca: cert.certPem } }, client);
  const { events, waitFor } = record(rt as never);
  await new Promise<void>((resolve, reject) => {
    rt.socket.once('open', () => resolve());
    rt.socket.once('error', reject);
  });
  const created = await waitFor('session.created');
  const session = created.session as { type: string; model: string; output_modalities: string[]; audio: { input: { format: { type: string; rate: number } } } };
  assert.equal(session.type, 'realtime');
  assert.equal(session.model, 'gpt-realtime');
  assert.deepEqual(session.output_modalities, ['audio']);
  assert.deepEqual(session.audio.input.format, { type: 'audio/pcm', rate: 24000 });

  rt.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'], instructions: 'Be brief.' } });
  const updated = await waitFor('session.updated');
  assert.deepEqual((updated.session as { output_modalities: string[] }).output_modalities, ['text']);

  rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello there' }] } });
  await waitFor('conversation.item.added');
  await waitFor('conversation.item.done');
  rt.send({ type: 'response.create' });
  const done = await waitFor('response.done');
  const response = done.response as { status: string; output_modalities: string[]; output: { content: { type: string; text: string }[] }[] };
  assert.equal(response.status, 'completed');
  assert.deepEqual(response.output_modalities, ['text']);
  assert.equal(response.output[0]!.content[0]!.type, 'output_text');
  assert.match(response.output[0]!.content[0]!.text, /^Hello! I am the voicelive scripted assistant/);
  const types = events.map((e) => e.type);
  assert.ok(types.includes('response.output_text.delta'));
  assert.ok(types.includes('response.output_text.done'));
  assert.ok(!types.includes('response.text.delta'), 'no beta names on the GA route');
  assert.ok(!types.includes('conversation.item.created'));
  assert.ok(!types.includes('error'), JSON.stringify(events.filter((e) => e.type === 'error')));
  rt.close();
});

test('openai beta realtime client (OpenAI-Beta header) gets beta event names on /v1/realtime', async () => {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `https://127.0.0.1:${server.port}/v1` });
  const rt = new BetaRealtimeWS({ model: 'gpt-4o-realtime-preview', options: { ca: cert.certPem } }, client);
  const { events, waitFor } = record(rt as never);
  const created = await waitFor('session.created');
  assert.deepEqual((created.session as { modalities: string[] }).modalities, ['text', 'audio']);
  rt.send({ type: 'session.update', session: { modalities: ['text'] } });
  await waitFor('session.updated');
  rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Testing one two' }] } });
  await waitFor('conversation.item.created');
  rt.send({ type: 'response.create' });
  const done = await waitFor('response.done');
  assert.equal((done.response as { status: string }).status, 'completed');
  const text = events.filter((e) => e.type === 'response.text.delta').map((e) => e.delta).join('');
  assert.equal(text, 'You said: Testing one two.');
  assert.ok(!events.some((e) => e.type === 'error'));
  rt.close();
});

test('openai client with a wrong key is refused at the handshake (HTTP 401)', async () => {
  const client = new OpenAI({ apiKey: 'sk-wrong', baseURL: `https://127.0.0.1:${server.port}/v1` });
  const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca: cert.certPem } }, client);
  const status = await new Promise<number>((resolve) => {
    rt.socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    rt.socket.once('open', () => resolve(101));
    rt.on('error', () => undefined);
  });
  assert.equal(status, 401);
});
