// The gguf engine on a tiny random-weight GGUF written at test time: real node-llama-cpp loading,
// tokenizing, generation, cancellation and accounting. The text is gibberish; assertions are on
// structure and token counts, except where the model's output layer is wired to say a phrase.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LlamaCppLlmEngine } from '../../src/engines/llm/llamaCpp.js';
import { makeTinyGgufModel } from '../helpers/tinyGguf.js';
import { collect, textRequest } from './ggufTestSupport.js';

const endless = makeTinyGgufModel();
const phrase = makeTinyGgufModel({ reply: { phrase: ['▁hello', '▁there', '.'] } });
const silent = makeTinyGgufModel({ reply: 'silent' });
let engine: LlamaCppLlmEngine;

before(async () => {
  engine = await LlamaCppLlmEngine.create({ modelPath: endless.path, threads: 1, contextSize: 512, maxSessions: 4 });
});
after(async () => {
  await engine.close();
  for (const m of [endless, phrase, silent]) m.remove();
});

test('the tiny GGUF is about 0.1 MB and loads with the offline CPU binary', () => {
  assert.ok(endless.bytes > 50_000 && endless.bytes < 150_000, `${endless.bytes} bytes`);
  assert.equal(engine.info.gpu, false);
  assert.equal(engine.info.contextSize, 512);
  assert.equal(engine.info.maxSessions, 4);
  assert.match(engine.description, /^gguf \(/);
});

test('text streams as deltas while the model is still generating, then usage, then finish', async () => {
  let busyAtFirstText: number | null = null;
  const result = await collect(engine, textRequest({ sessionId: 'stream', maxOutputTokens: 24 }), undefined, (delta) => {
    if (delta.type === 'text' && busyAtFirstText === null) busyAtFirstText = engine.stats().busy;
  });
  assert.equal(busyAtFirstText, 1, 'the first text delta arrives before generation has ended');
  assert.ok(result.textDeltas > 1, `${result.textDeltas} text deltas`);
  assert.ok(result.text.length > 0);
  const types = result.deltas.map((d) => d.type);
  assert.deepEqual(types.slice(-2), ['usage', 'finish']);
  assert.ok(types.slice(0, -2).every((t) => t === 'text'));
  assert.equal(engine.stats().busy, 0);
});

test('maxOutputTokens yields exactly that many tokens and finish "length"', async () => {
  for (const limit of [1, 7, 40]) {
    const result = await collect(engine, textRequest({ sessionId: `limit-${limit}`, maxOutputTokens: limit }));
    assert.equal(result.usage?.outputTokens, limit);
    assert.equal(result.finish, 'length');
    assert.ok(result.textDeltas <= limit);
  }
});

test('"inf" output is still bounded by the context size', async () => {
  const result = await collect(engine, textRequest({ sessionId: 'inf', maxOutputTokens: 'inf' }));
  assert.equal(result.usage?.outputTokens, 512);
  assert.equal(result.finish, 'length');
});

test('usage counts prompt tokens, and the next turn of a session reuses them from its cache', async () => {
  const first = await collect(engine, textRequest({ sessionId: 'usage-1' }));
  const again = await collect(engine, textRequest({ sessionId: 'usage-2' }));
  assert.ok(first.usage!.inputTokens > 20, `${first.usage!.inputTokens} input tokens`);
  assert.equal(first.usage!.cachedInputTokens, 0, 'a new session has nothing cached');
  assert.deepEqual(again.usage, first.usage, 'the same request costs the same tokens');

  const secondTurn = textRequest({
    sessionId: 'usage-1',
    messages: [...textRequest().messages, { role: 'assistant', content: first.text }, { role: 'user', content: 'Tell me more about that.' }],
  });
  const second = await collect(engine, secondTurn);
  assert.ok(second.usage!.inputTokens > first.usage!.inputTokens + 5);
  assert.ok(second.usage!.cachedInputTokens! >= first.usage!.inputTokens - 1, `cached ${second.usage!.cachedInputTokens} of first prompt ${first.usage!.inputTokens}`);
  assert.ok(second.usage!.cachedInputTokens! < second.usage!.inputTokens);

  const elsewhere = await collect(engine, { ...secondTurn, sessionId: 'usage-3' });
  assert.equal(elsewhere.usage!.inputTokens, second.usage!.inputTokens);
  assert.equal(elsewhere.usage!.cachedInputTokens, 0, "another session does not see this session's cache");
});

test('a model that ends its turn finishes with "stop"; output tokens include the end token', async () => {
  const phraseEngine = await LlamaCppLlmEngine.create({ modelPath: phrase.path, threads: 1, contextSize: 512, maxSessions: 1 });
  const silentEngine = await LlamaCppLlmEngine.create({ modelPath: silent.path, threads: 1, contextSize: 512, maxSessions: 1 });
  try {
    const said = await collect(phraseEngine, textRequest({ maxOutputTokens: 50 }));
    assert.equal(said.text.trim(), 'hello there.');
    assert.equal(said.usage?.outputTokens, 4, 'three phrase pieces and </s>');
    assert.equal(said.finish, 'stop');
    const quiet = await collect(silentEngine, textRequest({ maxOutputTokens: 50 }));
    assert.equal(quiet.text, '');
    assert.equal(quiet.usage?.outputTokens, 1);
    assert.equal(quiet.finish, 'stop');
  } finally {
    await phraseEngine.close();
    await silentEngine.close();
  }
});

test('abort mid-generation ends the stream quietly within milliseconds and frees the session', async () => {
  const controller = new AbortController();
  let abortedAtMs = 0;
  const result = await collect(engine, textRequest({ sessionId: 'abort', maxOutputTokens: 'inf' }), controller.signal, (delta, index) => {
    if (index === 20) {
      abortedAtMs = performance.now();
      controller.abort();
    }
  });
  const stoppedAfterMs = performance.now() - abortedAtMs;
  assert.ok(stoppedAfterMs < 250, `stopped ${stoppedAfterMs.toFixed(1)} ms after abort`);
  assert.ok(result.deltas.length <= 23, `${result.deltas.length} deltas`);
  assert.equal(result.finish, undefined, 'no finish for a cancelled response');
  assert.equal(result.usage, undefined);
  assert.equal(engine.stats().busy, 0);
  const next = await collect(engine, textRequest({ sessionId: 'abort', maxOutputTokens: 3 }));
  assert.equal(next.usage?.outputTokens, 3, 'the session generates again after a cancel');

  const early = new AbortController();
  early.abort();
  assert.deepEqual((await collect(engine, textRequest({ sessionId: 'abort' }), early.signal)).deltas, []);
});

test('a consumer that stops reading stops the generation', async () => {
  let seen = 0;
  for await (const delta of engine.generate(textRequest({ sessionId: 'break', maxOutputTokens: 'inf' }), new AbortController().signal)) {
    if (delta.type === 'text' && ++seen === 5) break;
  }
  assert.equal(engine.stats().busy, 0);
});

test('temperature 0 is greedy and repeatable; a high temperature samples', async () => {
  const greedy = await Promise.all([1, 2].map((i) => collect(engine, textRequest({ sessionId: `greedy-${i}`, maxOutputTokens: 20 }))));
  assert.equal(greedy[0]!.text, greedy[1]!.text);
  const hot: string[] = [];
  for (let i = 0; i < 4; i++) hot.push((await collect(engine, textRequest({ sessionId: `hot-${i}`, temperature: 1.5, maxOutputTokens: 20 }))).text);
  assert.ok(new Set(hot).size >= 2, `4 samples at temperature 1.5 gave ${new Set(hot).size} distinct texts`);
});
