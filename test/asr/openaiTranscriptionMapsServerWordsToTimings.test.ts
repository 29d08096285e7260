/**
 * Word timings from `verbose_json` (top-level `words`, as OpenAI and speaches send them, or inside
 * `segments`, as whisper.cpp does) become AsrWordTiming in ms; servers that ignore the format and
 * answer plain json or text still give the final text, without words; a server that refuses
 * verbose_json with a 400 gets json instead.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiTranscriptionAsrEngine } from '../../src/engines/asr/openaiTranscription.js';
import type { AsrEvent } from '../../src/engines/asr/types.js';
import type { FakeAudioReply } from '../helpers/fakeOpenAiAudioServer.js';
import { FakeOpenAiAudioServer } from '../helpers/fakeOpenAiAudioServer.js';
import { collectAsrEvents } from './transcriptionStreamDriver.js';

let server: FakeOpenAiAudioServer;
let engine: OpenAiTranscriptionAsrEngine;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
  engine = new OpenAiTranscriptionAsrEngine({ baseUrl: server.baseUrl, model: 'Systran/faster-whisper-small' });
});
after(async () => {
  await server.close();
});

async function finalFor(reply: FakeAudioReply): Promise<Extract<AsrEvent, { type: 'final' }>> {
  server.queueTranscription(reply);
  const stream = engine.createStream({ sampleRateHz: 16_000 });
  const collected = collectAsrEvents(stream);
  stream.write(new Int16Array(16_000));
  stream.end();
  const { events, error } = await collected;
  assert.equal(error, undefined);
  assert.equal(events.length, 1);
  const final = events[0]!;
  assert.equal(final.type, 'final');
  return final as Extract<AsrEvent, { type: 'final' }>;
}

test('verbose_json words map to ms timings with probabilities as confidence', async () => {
  const final = await finalFor({
    json: {
      task: 'transcribe',
      language: 'english',
      duration: 1,
      text: ' Hello there.',
      words: [
        { word: ' Hello', start: 0.12, end: 0.5, probability: 0.93 },
        { word: ' there.', start: 0.5, end: 0.875 },
      ],
      segments: [{ id: 0, start: 0, end: 1, text: ' Hello there.' }],
    },
  });
  assert.equal(final.text, 'Hello there.');
  assert.deepEqual(final.words, [
    { text: 'Hello', startMs: 120, durationMs: 380, confidence: 0.93 },
    { text: 'there.', startMs: 500, durationMs: 375 },
  ]);
  assert.equal(final.audioDurationMs, 1000);
});

test('words nested in segments (whisper.cpp) are collected in order', async () => {
  const final = await finalFor({
    json: {
      text: 'one two three',
      segments: [
        { text: 'one two', words: [{ word: 'one', start: 0, end: 0.25 }, { word: ' two', start: 0.25, end: 0.5 }] },
        { text: ' three', words: [{ word: ' three', start: 0.5, end: 0.75, probability: 0.5 }] },
      ],
    },
  });
  assert.deepEqual(final.words.map((w) => [w.text, w.startMs, w.durationMs]), [['one', 0, 250], ['two', 250, 250], ['three', 500, 250]]);
});

test('a server that ignores verbose_json: plain json, text/plain, and JSON sent as text all give the text', async () => {
  assert.deepEqual(await finalFor({ json: { text: 'plain json' } }), { type: 'final', text: 'plain json', words: [], audioDurationMs: 1000 });
  assert.equal((await finalFor({ text: 'just text\n' })).text, 'just text');
  assert.equal((await finalFor({ text: '{"text":" json as text"}' })).text, 'json as text');
});

test('a server that refuses verbose_json with a 400 gets json, now and for later utterances', async () => {
  const fallback = new OpenAiTranscriptionAsrEngine({ baseUrl: server.baseUrl, model: 'my-azure-deployment' });
  assert.equal(fallback.capabilities.wordTimings, true);
  server.queueTranscription(
    { status: 400, json: { error: { message: "response_format 'verbose_json' is not compatible with model 'gpt-4o-transcribe'", param: 'response_format' } } },
    { json: { text: 'first' } },
    { json: { text: 'second' } },
  );
  const before = server.requests.length;
  for (const expected of ['first', 'second']) {
    const stream = fallback.createStream({ sampleRateHz: 16_000 });
    const collected = collectAsrEvents(stream);
    stream.write(new Int16Array(1600));
    stream.end();
    const { events, error } = await collected;
    assert.equal(error, undefined);
    assert.equal(events[0]?.type === 'final' && events[0].text, expected);
  }
  const formats = server.requests.slice(before).map((r) => r.fields.response_format?.[0]);
  assert.deepEqual(formats, ['verbose_json', 'json', 'json']);
  assert.equal(fallback.capabilities.wordTimings, false);
});

test('an answer without text is a bad response, not an empty transcript', async () => {
  server.queueTranscription({ json: { transcript: 'wrong field' } });
  const stream = engine.createStream({ sampleRateHz: 16_000 });
  const collected = collectAsrEvents(stream);
  stream.write(new Int16Array(160));
  stream.end();
  const { events, error } = await collected;
  assert.deepEqual(events, []);
  assert.equal(error?.code, 'endpoint_bad_response');
  assert.match(error!.message, /127\.0\.0\.1:\d+/);
  assert.match(error!.message, /no "text" field/);
});
