/**
 * Time-to-first-token overhead of the OpenAI-compatible chat adapter.
 *
 * A local fake chat-completions server (test/helpers/fakeOpenAiChatServer.ts) answers every request
 * at once with a fixed stream ("Hello", " world", "."). The same request is then read two ways, in
 * alternating order:
 *   - engine: `OpenAiChatLlmEngine.generate()` until its first text delta (request building, the
 *     `openai` client, SSE parsing, chunk decoding, reasoning filter, timers);
 *   - bare:   `fetch` POST of the same JSON body, reading the body until the first `data:` event that
 *             carries content, and JSON-parsing it.
 * Both drain the rest of the stream afterwards, so each run starts on a pooled keep-alive connection.
 * The difference of the medians is what the adapter adds before the first word can be spoken.
 *
 * Run: node --import tsx bench/llmOverhead.ts [--runs 200] [--warmup 30]
 */
import { performance } from 'node:perf_hooks';
import { OpenAiChatLlmEngine } from '../src/engines/llm/openaiChat.js';
import { toChatCompletionsBody } from '../src/engines/llm/openaiChatMessages.js';
import type { LlmRequest } from '../src/engines/llm/types.js';
import { FakeOpenAiChatServer, textStream } from '../test/helpers/fakeOpenAiChatServer.js';

function argValue(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

const runs = argValue('--runs', 200);
const warmup = argValue('--warmup', 30);
const apiKey = 'sk-bench';

const request: LlmRequest = {
  sessionId: 'sess_bench',
  instructions: 'You are a helpful voice assistant. Answer in one short sentence.',
  messages: [
    { role: 'user', content: 'Hi!' },
    { role: 'assistant', content: 'Hello! How can I help?' },
    { role: 'user', content: 'What is the capital of France?' },
  ],
  tools: [],
  toolChoice: 'auto',
  parallelToolCalls: true,
  temperature: 0.8,
  maxOutputTokens: 'inf',
};

async function engineTtftMs(engine: OpenAiChatLlmEngine): Promise<number> {
  const startedAt = performance.now();
  let firstAt = -1;
  for await (const delta of engine.generate(request, new AbortController().signal)) {
    if (firstAt < 0 && delta.type === 'text') firstAt = performance.now();
  }
  if (firstAt < 0) throw new Error('engine produced no text');
  return firstAt - startedAt;
}

async function bareTtftMs(url: string, body: string): Promise<number> {
  const startedAt = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let firstAt = -1;
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    if (firstAt >= 0) continue;
    buffered += decoder.decode(value, { stream: true });
    for (const line of buffered.split('\n')) {
      if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
      const chunk = JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] };
      if (chunk.choices[0]?.delta.content) {
        firstAt = performance.now();
        break;
      }
    }
  }
  if (firstAt < 0) throw new Error('bare fetch saw no content');
  return firstAt - startedAt;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: number[]): { median: number; p10: number; p90: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p10: percentile(sorted, 10), p90: percentile(sorted, 90), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

const fake = await FakeOpenAiChatServer.start();
fake.handler = () => textStream(['Hello', ' world', '.'], { usage: [40, 3] });
const engine = new OpenAiChatLlmEngine({ baseUrl: fake.baseUrl, model: 'bench-model', apiKey, maxRetries: 0 });
const body = JSON.stringify(toChatCompletionsBody(request, { model: 'bench-model', maxTokensField: 'max_tokens', streamUsage: true, sendTemperature: true, sendParallelToolCalls: true, extraBody: {} }));
const url = `${fake.baseUrl}/chat/completions`;

for (let i = 0; i < warmup; i++) {
  await engineTtftMs(engine);
  await bareTtftMs(url, body);
}
const engineSamples: number[] = [];
const bareSamples: number[] = [];
for (let i = 0; i < runs; i++) {
  if (i % 2 === 0) {
    engineSamples.push(await engineTtftMs(engine));
    bareSamples.push(await bareTtftMs(url, body));
  } else {
    bareSamples.push(await bareTtftMs(url, body));
    engineSamples.push(await engineTtftMs(engine));
  }
}
await fake.close();

const e = summary(engineSamples);
const b = summary(bareSamples);
const row = (name: string, s: ReturnType<typeof summary>) => `${name.padEnd(8)} median ${s.median.toFixed(3)} ms   p10 ${s.p10.toFixed(3)}   p90 ${s.p90.toFixed(3)}   mean ${s.mean.toFixed(3)}`;
console.log(`time to first token against a local instant fake server, ${runs} runs each (after ${warmup} warm-up runs), Node ${process.version}`);
console.log(row('engine', e));
console.log(row('bare', b));
console.log(`adapter overhead (difference of medians): ${(e.median - b.median).toFixed(3)} ms`);
