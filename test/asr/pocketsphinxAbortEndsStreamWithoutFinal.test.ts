import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { PocketsphinxAsrEngine } from '../../src/engines/asr/pocketsphinx.js';
import type { AsrEvent } from '../../src/engines/asr/types.js';
import { pocketsphinxSkipReason, testdataDir } from './pocketsphinxAvailability.js';
import { readPcm16Wav } from './pocketsphinxTestdata.js';
import { assertTranscriptBelongsTo } from './recognitionCheck.js';
import { transcribe } from './transcribe.js';

const skip = pocketsphinxSkipReason;
let engine: PocketsphinxAsrEngine | undefined;
before(async () => {
  if (skip === false) engine = await PocketsphinxAsrEngine.create({ poolSize: 1 });
});
after(() => engine?.close());

function librivox(fileId: string): Int16Array {
  return readPcm16Wav(join(testdataDir, 'librivox', `sense_and_sensibility_01_austen_64kb-${fileId}.wav`)).pcm;
}

test('abort mid-utterance ends the events without a final and frees the decoder for the next stream', { skip }, async () => {
  assert.ok(engine);
  const pcm = librivox('0870');
  const stream = engine.createStream({ sampleRateHz: 16_000 });
  const events: AsrEvent[] = [];
  const collecting = (async () => {
    for await (const event of stream.events) events.push(event);
  })();
  for (let offset = 0; offset < pcm.length / 2; offset += 1600) stream.write(pcm.subarray(offset, offset + 1600));
  await sleep(300); // let some partials come back
  stream.abort();
  await collecting;
  assert.ok(events.every((e) => e.type === 'partial'), 'no final after abort');
  stream.write(pcm.subarray(0, 1600)); // late audio is ignored, not an error
  stream.end(); // and so is end()
  assert.equal(engine.poolStats().busyDecoders, 0);

  // The same decoder now transcribes another utterance from scratch.
  const next = await transcribe(engine, librivox('0930'));
  assertTranscriptBelongsTo('0930', next.final.text);
  assert.ok(next.final.words.every((w) => w.startMs + w.durationMs <= next.final.audioDurationMs));
});

test('aborting a stream that waits for a decoder removes it from the queue', { skip }, async () => {
  assert.ok(engine);
  const busy = transcribe(engine, librivox('0930'));
  const waiting = engine.createStream({ sampleRateHz: 16_000 });
  waiting.write(librivox('0880'));
  assert.equal(engine.poolStats().waitingStreams, 1);
  waiting.abort();
  assert.equal(engine.poolStats().waitingStreams, 0);
  const events: AsrEvent[] = [];
  for await (const event of waiting.events) events.push(event);
  assert.deepEqual(events, []);
  await busy;
});

test('leaving the events loop early aborts the stream', { skip }, async () => {
  assert.ok(engine);
  const pcm = librivox('0870');
  const stream = engine.createStream({ sampleRateHz: 16_000 });
  stream.write(pcm);
  for await (const event of stream.events) {
    assert.equal(event.type, 'partial');
    break;
  }
  assert.equal(engine.poolStats().busyDecoders, 0);
});
