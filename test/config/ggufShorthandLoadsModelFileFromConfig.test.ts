import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { test } from 'node:test';
import { resolveServerConfig } from '../../src/config/serverConfig.js';
import { createEngineCatalog } from '../../src/engines/registry.js';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import { makeTinyGgufModel } from '../helpers/tinyGguf.js';

test("llm 'gguf:<relative path>' loads that file and the server answers from it", async () => {
  // Steered output layer: the tiny random model says "hello there." (see test/helpers/tinyGguf.ts).
  const model = makeTinyGgufModel({ reply: { phrase: ['▁hello', '▁there', '.'] } });
  const server = await startTestServer({ llm: `gguf:${relative(process.cwd(), model.path)}` });
  try {
    assert.equal(server.engines.llm.name, 'gguf');
    const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
    await client.waitFor('session.created');
    client.send({ type: 'session.update', session: { modalities: ['text'] } });
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] } });
    client.send({ type: 'response.create' });
    const done = (await client.waitFor('response.done', 20_000)).response as { status: string; output: { content: { text: string }[] }[] };
    assert.equal(done.status, 'completed');
    assert.equal(done.output[0]?.content[0]?.text.trim(), 'hello there.');
    await client.close();
  } finally {
    await server.close();
    model.remove();
  }
});

test('a missing GGUF file stops the start with a message naming the model profile and the path', async () => {
  const config = resolveServerConfig({ port: 0, logLevel: 'silent', models: { local: { llm: 'gguf:./no/such/model.gguf' } } });
  await assert.rejects(createEngineCatalog(config, { speech: false }), (error: Error) => {
    assert.match(error.message, /Cannot start the LLM engines/);
    assert.match(error.message, /model local: .*no\/such\/model\.gguf/);
    return true;
  });
});
