import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeAsrEngine } from '../../src/engines/asr/fake.js';
import { AsrEngineError } from '../../src/engines/asr/types.js';
import type { AsrEvent, AsrStream } from '../../src/engines/asr/types.js';

const SAMPLE_RATE_HZ = 16_000;
const chunk100Ms = new Int16Array(SAMPLE_RATE_HZ / 10);

async function collect(stream: AsrStream): Promise<AsrEvent[]> {
  const events: AsrEvent[] = [];
  for await (const event of stream.events) events.push(event);
  return events;
}

test('each stream takes the next transcript, reveals it word by word as audio arrives, then the final', async () => {
  const engine = new FakeAsrEngine({ transcripts: ['hello there world', 'second one'], msPerWord: 300 });
  const stream = engine.createStream({ sampleRateHz: SAMPLE_RATE_HZ });
  const events = collect(stream);
  for (let i = 0; i < 10; i++) stream.write(chunk100Ms); // 1 s of audio: 3 words revealed at 300/600/900 ms
  stream.end();
  const received = await events;
  assert.deepEqual(
    received.map((e) => e.text),
    ['hello', 'hello there', 'hello there world', 'hello there world'],
  );
  const final = received.at(-1);
  assert.equal(final?.type, 'final');
  if (final?.type !== 'final') return;
  assert.equal(final.audioDurationMs, 1000);
  assert.deepEqual(final.words.map((w) => [w.text, Math.round(w.startMs), Math.round(w.durationMs)]), [
    ['hello', 0, 333],
    ['there', 333, 333],
    ['world', 667, 333],
  ]);

  const second = engine.createStream({ sampleRateHz: SAMPLE_RATE_HZ });
  const secondEvents = collect(second);
  second.end();
  const secondFinal = (await secondEvents).map((e) => [e.type, e.text]);
  assert.deepEqual(secondFinal, [['final', 'second one']]);
  assert.equal(engine.streams.length, 2);
  assert.equal(engine.streams[0]?.samplesWritten, SAMPLE_RATE_HZ);
  assert.equal(engine.streams[0]?.ended, true);
});

test('abort ends the events without a final, even after end()', async () => {
  const engine = new FakeAsrEngine({ transcripts: ['never finished'], finalDelayMs: 50 });
  const stream = engine.createStream({ sampleRateHz: SAMPLE_RATE_HZ });
  const events = collect(stream);
  for (let i = 0; i < 4; i++) stream.write(chunk100Ms);
  stream.end();
  stream.abort();
  stream.write(chunk100Ms); // late audio after abort is ignored
  assert.deepEqual(await events, [{ type: 'partial', text: 'never' }]);
  assert.equal(engine.streams[0]?.aborted, true);
});

test('a scripted error surfaces from the events iterator after end()', async () => {
  const failure = new AsrEngineError('scripted failure', 'asr_error');
  const engine = new FakeAsrEngine({ transcripts: [{ text: 'x', error: failure }] });
  const stream = engine.createStream({ sampleRateHz: SAMPLE_RATE_HZ });
  stream.end();
  await assert.rejects(collect(stream), failure);
});

test('scripted word timings are passed through and unsupported sample rates are refused', async () => {
  const words = [{ text: 'hi', startMs: 120, durationMs: 200 }];
  const engine = new FakeAsrEngine({ transcripts: [{ text: 'hi', words }] });
  assert.throws(() => engine.createStream({ sampleRateHz: 8_000 }), { code: 'unsupported_sample_rate' });
  const stream = engine.createStream({ sampleRateHz: 24_000 });
  stream.write(new Int16Array(2400));
  stream.end();
  const events = await collect(stream);
  assert.deepEqual(events.at(-1), { type: 'final', text: 'hi', words, audioDurationMs: 100 });
  await engine.close();
  assert.throws(() => engine.createStream({ sampleRateHz: 16_000 }), { code: 'engine_closed' });
});
