import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeOpenAiChatServer, textStream } from '../helpers/fakeOpenAiChatServer.js';
import { collect, engineFor, failureOf, request, textOf } from './chatAdapterTestKit.js';

let fake: FakeOpenAiChatServer;
before(async () => {
  fake = await FakeOpenAiChatServer.start();
});
after(async () => {
  await fake.close();
});

test('stream_options rejected (older Azure api-versions, some gateways) → one retry without it, remembered afterwards', async () => {
  const notes: string[] = [];
  const engine = engineFor(fake, { log: (message) => notes.push(message) });
  const start = fake.requests.length;
  fake.enqueue(
    { kind: 'error', status: 400, body: { error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error', param: '', code: null } } },
    textStream(['First']),
    textStream(['Second']),
  );
  assert.equal(textOf(await collect(engine)), 'First');
  assert.equal(textOf(await collect(engine)), 'Second');
  const sent = fake.requests.slice(start);
  assert.equal(sent.length, 3, 'one rejected request, then one per reply');
  assert.deepEqual(sent[0]!.body.stream_options, { include_usage: true });
  assert.equal('stream_options' in sent[1]!.body, false);
  assert.equal('stream_options' in sent[2]!.body, false, 'not sent again to this endpoint');
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /rejected stream_options/);
});

test("'max_tokens' not supported (OpenAI reasoning models) → switches to max_completion_tokens", async () => {
  const engine = engineFor(fake);
  const start = fake.requests.length;
  fake.enqueue(
    {
      kind: 'error',
      status: 400,
      body: { error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } },
    },
    textStream(['ok']),
  );
  await collect(engine, request({ maxOutputTokens: 300 }));
  const [rejected, retried] = fake.requests.slice(start);
  assert.equal(rejected!.body.max_tokens, 300);
  assert.equal(retried!.body.max_completion_tokens, 300);
  assert.equal('max_tokens' in retried!.body, false);
});

test("'temperature' unsupported (only the default) → retried without temperature", async () => {
  const engine = engineFor(fake);
  const start = fake.requests.length;
  fake.enqueue(
    {
      kind: 'error',
      status: 400,
      body: { error: { message: "Unsupported value: 'temperature' does not support 0.8 with this model. Only the default (1) value is supported.", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' } },
    },
    textStream(['ok']),
  );
  assert.equal(textOf(await collect(engine)), 'ok');
  const [rejected, retried] = fake.requests.slice(start);
  assert.equal(rejected!.body.temperature, 0.8);
  assert.equal('temperature' in retried!.body, false);
});

test('a 400 naming nothing the adapter can drop fails at once (no blind retries)', async () => {
  const engine = engineFor(fake);
  const start = fake.requests.length;
  fake.enqueue({ kind: 'error', status: 400, body: { error: { message: 'messages: tool message without a preceding tool call' } } });
  const error = await failureOf(engine);
  assert.equal(error.code, 'llm_bad_request');
  assert.equal(fake.requests.length - start, 1);
});

test('a server rejecting several parameters in turn sheds each once, then gives up with its error', async () => {
  const engine = engineFor(fake);
  const start = fake.requests.length;
  const reject = (param: string) => ({ kind: 'error' as const, status: 400, body: { error: { message: `Unrecognized request argument supplied: ${param}` } } });
  fake.enqueue(reject('stream_options'), reject('parallel_tool_calls'), reject('temperature'), reject('max_tokens'));
  const error = await failureOf(engine, request({ tools: [{ name: 'ping' }], maxOutputTokens: 10 }));
  assert.equal(error.code, 'llm_bad_request');
  assert.equal(fake.requests.length - start, 4, 'three parameters shed, the fourth rejection is final');
  const last = fake.requests.at(-1)!.body;
  for (const key of ['stream_options', 'parallel_tool_calls', 'temperature']) assert.equal(key in last, false, `${key} was shed`);
});
