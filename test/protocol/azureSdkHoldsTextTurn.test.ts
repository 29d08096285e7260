import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { VoiceLiveClient } from '@azure/ai-voicelive';
import { AzureKeyCredential } from '@azure/core-auth';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ apiKeys: ['test-key-1'] });
});
after(async () => {
  await server.close();
});

test('official @azure/ai-voicelive SDK connects with a key, updates the session and holds a text turn', async () => {
  const client = new VoiceLiveClient(server.httpUrl, new AzureKeyCredential('test-key-1'));
  const events: { type: string; [k: string]: unknown }[] = [];
  const errors: unknown[] = [];
  const session = await client.startSession('gpt-4o', {
    sessionHandlers: {
      onServerEvent: async (event) => {
        events.push(event as unknown as { type: string });
      },
      onServerError: async (event) => {
        errors.push(event);
      },
    },
  });
  const waitFor = async (type: string, count = 1, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (events.filter((e) => e.type === type).length < count) {
      if (Date.now() > deadline) throw new Error(`no ${type}; got ${events.map((e) => e.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return events.filter((e) => e.type === type)[count - 1]!;
  };

  const created = (await waitFor('session.created')) as unknown as { session: { id: string; model: string; turnDetection: { type: string; threshold: number } } };
  assert.match(created.session.id, /^sess_/);
  assert.equal(created.session.model, 'gpt-4o');
  assert.equal(created.session.turnDetection.type, 'server_vad');

  await session.updateSession({ modalities: ['text'], instructions: 'Be brief.', temperature: 0.7 });
  const updated = (await waitFor('session.updated')) as unknown as { session: { id: string; model: string; modalities: string[]; instructions: string; inputAudioFormat: string } };
  assert.equal(updated.session.id, created.session.id);
  assert.equal(updated.session.model, 'gpt-4o');
  assert.deepEqual(updated.session.modalities, ['text']);
  assert.equal(updated.session.instructions, 'Be brief.');
  assert.equal(updated.session.inputAudioFormat, 'pcm16');

  await session.addConversationItem({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is the capital of France?' }] } as never);
  await waitFor('conversation.item.created');
  await session.sendEvent({ type: 'response.create' } as never);
  const done = (await waitFor('response.done')) as unknown as {
    response: { status: string; output: { type: string; content: { type: string; text: string }[] }[]; usage: { totalTokens: number; inputTokenDetails: unknown; outputTokenDetails: unknown } };
  };
  assert.equal(done.response.status, 'completed');
  const text = done.response.output[0]!.content[0]!.text;
  assert.equal(text, 'You asked: What is the capital of France?');
  assert.ok(done.response.usage.totalTokens > 0);
  assert.ok(done.response.usage.inputTokenDetails && done.response.usage.outputTokenDetails);

  const deltas = events.filter((e) => e.type === 'response.text.delta').map((e) => (e as unknown as { delta: string }).delta);
  assert.ok(deltas.length > 1, 'text streams in several deltas');
  assert.equal(deltas.join(''), text);
  assert.deepEqual(
    events.map((e) => e.type).filter((t) => t.startsWith('response.')),
    ['response.created', 'response.output_item.added', 'response.content_part.added', ...deltas.map(() => 'response.text.delta'), 'response.text.done', 'response.content_part.done', 'response.output_item.done', 'response.done'],
  );
  assert.equal(errors.length, 0, `no error events: ${JSON.stringify(errors)}`);
  assert.ok(!events.some((e) => (e as { code?: string }).code === 'MessageParsingError'));
  await session.disconnect();
});
