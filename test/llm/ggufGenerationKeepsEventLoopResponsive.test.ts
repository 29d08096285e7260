// node-llama-cpp runs llama.cpp on native threads: while a response is generated (here a
// 1000-token prompt on a 15 MB random GGUF, two 512-token prefill batches of ~200 ms each), the
// event loop keeps serving timers. A blocking implementation would show a delay of at least one
// batch (hundreds of ms); we allow 150 ms for a loaded CI machine (and at most half the time to first text).
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { LlamaCppLlmEngine } from '../../src/engines/llm/llamaCpp.js';
import { makeTinyGgufModel } from '../helpers/tinyGguf.js';
import { collect, textRequest } from './ggufTestSupport.js';

const model = makeTinyGgufModel({ embeddingLength: 512, blockCount: 8, feedForwardLength: 1536, headCount: 8, headCountKv: 4, vocabSize: 900 });
let engine: LlamaCppLlmEngine;

before(async () => {
  engine = await LlamaCppLlmEngine.create({ modelPath: model.path, threads: 1, contextSize: 2048, maxSessions: 1 });
});
after(async () => {
  await engine.close();
  model.remove();
});

test('the event loop stays responsive while the model evaluates a long prompt and generates', async (t) => {
  const histogram = monitorEventLoopDelay({ resolution: 2 });
  histogram.enable();
  const startMs = performance.now();
  let firstTextMs = 0;
  const result = await collect(engine, textRequest({ messages: [{ role: 'user', content: 'hello there how are you '.repeat(100) }], maxOutputTokens: 100 }), undefined, (delta) => {
    if (delta.type === 'text' && firstTextMs === 0) firstTextMs = performance.now() - startMs;
  });
  const totalMs = performance.now() - startMs;
  histogram.disable();
  const maxLagMs = histogram.max / 1e6;
  const p99LagMs = histogram.percentile(99) / 1e6;
  t.diagnostic(`prompt ${result.usage!.inputTokens} tokens, first text after ${firstTextMs.toFixed(0)} ms, 100 tokens in ${totalMs.toFixed(0)} ms; event-loop delay p99 ${p99LagMs.toFixed(1)} ms, max ${maxLagMs.toFixed(1)} ms (2 ms timer resolution)`);
  assert.ok(result.usage!.inputTokens > 900);
  assert.equal(result.usage!.outputTokens, 100);
  assert.ok(maxLagMs < 150, `event loop was blocked for ${maxLagMs.toFixed(1)} ms`);
  assert.ok(maxLagMs < firstTextMs / 2, `max delay ${maxLagMs.toFixed(1)} ms vs ${firstTextMs.toFixed(0)} ms to first text`);
});
