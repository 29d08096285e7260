import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { FakeOpenAiChatServer, textStream } from '../helpers/fakeOpenAiChatServer.js';
import { RawClient } from '../helpers/rawClient.js';

let fake: FakeOpenAiChatServer;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
});
after(async () => {
  await fake.close();
});

/** Runs `voicelive serve` with extra arguments; resolves with the child, its port and its banner. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['bin/voicelive.js', 'serve', '--port', '0', '--text-only', '--log-level', 'silent', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VOICELIVE_LLM: '', VOICELIVE_LLM_URL: '', VOICELIVE_LLM_MODEL: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed: ${stdout}${stderr}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    child.stdout.on('data', () => {
      const match = /ws:\/\/127\.0\.0\.1:(\d+)\/voice-live\/realtime/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return { child, port, banner: () => stdout };
}

test('`voicelive serve --llm-url … --llm-model …` answers from that endpoint and says so at start-up', async () => {
  const { child, port, banner } = await serve(['--llm-url', fake.baseUrl, '--llm-model', 'llama3.2'], { VOICELIVE_LLM_API_KEY: 'sk-from-env' });
  try {
    assert.match(banner(), /LLM: .*127\.0\.0\.1:\d+.*llama3\.2/);
    assert.doesNotMatch(banner(), /sk-from-env/);
    assert.doesNotMatch(banner(), /scripted LLM is a rule-based placeholder/);
    fake.enqueue(textStream(['Hello ', 'from ', 'the endpoint.']));
    const client = await RawClient.connect(`ws://127.0.0.1:${port}/voice-live/realtime?model=gpt-4o`);
    await client.waitFor('session.created');
    client.send({ type: 'session.update', session: { modalities: ['text'] } });
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] } });
    client.send({ type: 'response.create' });
    const done = (await client.waitFor('response.done', 10_000)).response as { status: string; output: { content: { text: string }[] }[] };
    assert.equal(done.status, 'completed');
    assert.equal(done.output[0]!.content[0]!.text, 'Hello from the endpoint.');
    const request = fake.requests.at(-1)!;
    assert.equal((request.body as { model: string }).model, 'llama3.2');
    assert.equal(request.headers.authorization, 'Bearer sk-from-env');
    await client.close();
  } finally {
    child.kill('SIGTERM');
  }
});

test('`voicelive serve` with half an endpoint pair exits 1 naming both flags', async () => {
  const child = spawn(process.execPath, ['bin/voicelive.js', 'serve', '--port', '0', '--text-only', '--llm-url', fake.baseUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 1);
  assert.match(stderr, /--llm-url and --llm-model must be given together/);
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

test('`voicelive serve` pointed at an endpoint that is down still starts and says so in its banner', async () => {
  const port = await closedPort();
  const { child, banner } = await serve(['--llm-url', `http://127.0.0.1:${port}/v1`, '--llm-model', 'llama3.2']);
  try {
    assert.match(banner(), new RegExp(`WARNING: the LLM endpoint \\(OpenAI-compatible 127\\.0\\.0\\.1:${port} model llama3\\.2\\) is not reachable \\(ECONNREFUSED\\)`));
  } finally {
    child.kill('SIGTERM');
  }
});

test('a reachable endpoint gets no warning, whatever status it answers with', async () => {
  const { child, banner } = await serve(['--llm-url', fake.baseUrl, '--llm-model', 'llama3.2']);
  try {
    assert.doesNotMatch(banner(), /not reachable/);
  } finally {
    child.kill('SIGTERM');
  }
});
