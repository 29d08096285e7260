import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { PocketsphinxAsrEngine } from '../../src/engines/asr/pocketsphinx.js';
import { AsrEngineError } from '../../src/engines/asr/types.js';
import { pocketsphinxSkipReason, testdataDir } from './pocketsphinxAvailability.js';
import { readPcm16Wav } from './pocketsphinxTestdata.js';
import { assertTranscriptBelongsTo } from './recognitionCheck.js';
import { transcribe } from './transcribe.js';

test('a crashed decoder thread fails its stream with engine_crashed and is replaced', { skip: pocketsphinxSkipReason }, async () => {
  const engine = await PocketsphinxAsrEngine.create({ poolSize: 1 });
  try {
    const pcm = readPcm16Wav(join(testdataDir, 'librivox', 'sense_and_sensibility_01_austen_64kb-0930.wav')).pcm;
    const doomed = engine.createStream({ sampleRateHz: 16_000 });
    doomed.write(pcm.subarray(0, 16_000));
    assert.equal(engine.simulateDecoderCrash(doomed), true);
    await assert.rejects(
      (async () => {
        for await (const event of doomed.events) assert.equal(event.type, 'partial');
      })(),
      (error) => {
        assert.ok(error instanceof AsrEngineError);
        assert.equal(error.code, 'engine_crashed');
        assert.match(error.message, /crashed .*simulated pocketsphinx decoder crash.*replaced/);
        return true;
      },
    );
    doomed.write(pcm); // writing to a failed stream is harmless
    doomed.end();

    // A stream opened right away waits for the replacement decoder and is transcribed normally.
    const run = await transcribe(engine, pcm);
    assertTranscriptBelongsTo('0930', run.final.text);
    for (let i = 0; i < 50 && engine.poolStats().decoders !== 1; i++) await sleep(20);
    assert.deepEqual(engine.poolStats(), { decoders: 1, startingDecoders: 0, busyDecoders: 0, waitingStreams: 0 });
  } finally {
    await engine.close();
  }
});
