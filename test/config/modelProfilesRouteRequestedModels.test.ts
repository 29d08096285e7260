import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

/** Attempts a WebSocket upgrade and returns the HTTP status and JSON body of a refusal. */
function upgradeRefusal(port: number, path: string): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      reject(new Error('the upgrade was accepted'));
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: { code: string; message: string } } }));
    });
    req.on('error', reject);
    req.end();
  });
}

const profiles = {
  models: {
    'support-agent': { llm: 'scripted', voice: 'echo', instructions: 'You are a support agent.', temperature: 0.6 },
    'sales-agent': { instructions: 'You sell things.' },
  },
} as const;

let lenient: TestServer;
let strict: TestServer;
before(async () => {
  lenient = await startTestServer({ ...profiles, defaultInstructions: 'Default instructions.' });
  strict = await startTestServer({ ...profiles, unknownModel: 'reject' });
});
after(async () => {
  await lenient.close();
  await strict.close();
});

test('a configured model name selects its profile: voice, instructions and temperature', async () => {
  const client = await RawClient.connect(`${lenient.wsUrl}/voice-live/realtime?model=support-agent`);
  const created = await client.waitFor('session.created');
  const session = created.session as { model: string; voice: unknown; instructions: string; temperature: number };
  assert.equal(session.model, 'support-agent');
  assert.equal(session.instructions, 'You are a support agent.');
  assert.equal(session.temperature, 0.6);
  assert.equal(session.voice, 'echo');
  await client.close();
});

test('fields a profile leaves out inherit the server defaults, and profiles share engines', async () => {
  const client = await RawClient.connect(`${lenient.wsUrl}/voice-live/realtime?model=sales-agent`);
  const session = (await client.waitFor('session.created')).session as { instructions: string; voice: unknown };
  assert.equal(session.instructions, 'You sell things.');
  assert.equal(session.voice, lenient.server.config.defaultVoice);
  await client.close();
  const llmOf = (name: string) => lenient.catalog.profile(name)!.engines.llm;
  assert.equal(llmOf('support-agent'), llmOf('sales-agent'), 'one scripted engine instance serves both profiles');
  assert.equal(llmOf('support-agent'), lenient.catalog.defaultProfile.engines.llm);
});

test('an unknown model falls back to the default profile, named in session.created with a warning', async () => {
  const client = await RawClient.connect(`${lenient.wsUrl}/voice-live/realtime?model=gpt-4o-realtime-preview`);
  const session = (await client.waitFor('session.created')).session as { model: string; instructions: string };
  assert.equal(session.model, 'voicelive-default');
  assert.equal(session.instructions, 'Default instructions.');
  const warning = (await client.waitFor('warning')).warning as { code: string; message: string };
  assert.equal(warning.code, 'model_fallback');
  assert.match(warning.message, /gpt-4o-realtime-preview/);
  await client.close();
});

test('with unknownModel "reject" an unknown model gets HTTP 400 listing the offered models', async () => {
  const refusal = await upgradeRefusal(strict.port, '/voice-live/realtime?model=gpt-4o-realtime-preview');
  assert.equal(refusal.status, 400);
  assert.equal(refusal.body.error?.code, 'unknown_model');
  assert.match(refusal.body.error!.message, /Unknown model 'gpt-4o-realtime-preview'\. This server offers: voicelive-default, support-agent, sales-agent/);
  const accepted = await RawClient.connect(`${strict.wsUrl}/voice-live/realtime?model=sales-agent`);
  await accepted.waitFor('session.created');
  await accepted.close();
});

test('an agent name selects the profile of that name; an agent without one gets HTTP 400', async () => {
  const client = await RawClient.connect(`${lenient.wsUrl}/voice-live/realtime?agent-name=support-agent&agent-project-name=p`);
  const session = (await client.waitFor('session.created')).session as { instructions: string };
  assert.equal(session.instructions, 'You are a support agent.');
  await client.close();
  const refusal = await upgradeRefusal(lenient.port, '/voice-live/realtime?agent-name=unknown-agent&agent-project-name=p');
  assert.equal(refusal.status, 400);
  assert.equal(refusal.body.error?.code, 'not_supported');
  assert.match(refusal.body.error!.message, /unknown-agent/);
});

test('a server with one profile serves any model name as sent, without a warning', async () => {
  const single = await startTestServer();
  try {
    const client = await RawClient.connect(`${single.wsUrl}/voice-live/realtime?model=gpt-4o`);
    const session = (await client.waitFor('session.created')).session as { model: string };
    assert.equal(session.model, 'gpt-4o');
    client.send({ type: 'session.update', session: { modalities: ['text'] } });
    await client.waitFor('session.updated');
    assert.ok(!client.types().includes('warning'));
    await client.close();
  } finally {
    await single.close();
  }
});
