import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { PocketsphinxAsrEngine } from '../../src/engines/asr/pocketsphinx.js';
import { pocketsphinxSkipReason, testdataDir } from './pocketsphinxAvailability.js';
import { readPcm16Wav } from './pocketsphinxTestdata.js';
import { assertTranscriptBelongsTo } from './recognitionCheck.js';
import type { LibrivoxFileId } from './recognitionCheck.js';
import { transcribe } from './transcribe.js';

const skip = pocketsphinxSkipReason;
type FileId = LibrivoxFileId;

function librivox(fileId: FileId): Int16Array {
  return readPcm16Wav(join(testdataDir, 'librivox', `sense_and_sensibility_01_austen_64kb-${fileId}.wav`)).pcm;
}

function assertRecognised(fileId: FileId, text: string): void {
  assertTranscriptBelongsTo(fileId, text);
}

test('two concurrent streams are decoded at once by the two decoders and both finish correctly', { skip }, async () => {
  const engine = await PocketsphinxAsrEngine.create({ poolSize: 2 });
  try {
    assert.deepEqual(engine.poolStats(), { decoders: 2, startingDecoders: 0, busyDecoders: 0, waitingStreams: 0 });
    const first = transcribe(engine, librivox('0870'));
    const second = transcribe(engine, librivox('0920'));
    assert.equal(engine.poolStats().busyDecoders, 2);
    assert.equal(engine.poolStats().waitingStreams, 0);
    const [a, b] = await Promise.all([first, second]);
    assertRecognised('0870', a.final.text);
    assertRecognised('0920', b.final.text);
    assert.equal(engine.poolStats().busyDecoders, 0);
  } finally {
    await engine.close();
  }
});

test('with every decoder busy a new stream waits its turn, buffering its audio, then finishes', { skip }, async () => {
  const engine = await PocketsphinxAsrEngine.create({ poolSize: 1 });
  try {
    const first = transcribe(engine, librivox('0920'));
    const second = transcribe(engine, librivox('0930'));
    assert.deepEqual(engine.poolStats(), { decoders: 1, startingDecoders: 0, busyDecoders: 1, waitingStreams: 1 });
    const [a, b] = await Promise.all([first, second]);
    assertRecognised('0920', a.final.text);
    assertRecognised('0930', b.final.text);
    assert.ok(b.partials.length > 0, 'the queued stream still produced partials');
    assert.deepEqual(engine.poolStats(), { decoders: 1, startingDecoders: 0, busyDecoders: 0, waitingStreams: 0 });
  } finally {
    await engine.close();
  }
});

test('the pool grows up to maxPoolSize when all decoders are busy', { skip }, async () => {
  const engine = await PocketsphinxAsrEngine.create({ poolSize: 1, maxPoolSize: 2 });
  try {
    const first = transcribe(engine, librivox('0930'));
    const second = transcribe(engine, librivox('0920'));
    assert.equal(engine.poolStats().decoders, 2);
    assert.equal(engine.poolStats().startingDecoders, 1);
    const third = transcribe(engine, librivox('0930'));
    assert.equal(engine.poolStats().decoders, 2, 'never more than maxPoolSize');
    const [a, b, c] = await Promise.all([first, second, third]);
    assertRecognised('0930', a.final.text);
    assertRecognised('0920', b.final.text);
    assertRecognised('0930', c.final.text);
  } finally {
    await engine.close();
  }
});
