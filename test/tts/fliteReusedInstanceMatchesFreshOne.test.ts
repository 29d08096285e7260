import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FliteTtsEngine } from '../../src/engines/tts/flite.js';
import { collectSpeech, neverAborted } from './helpers/collectSpeech.js';

// Each worker reuses one WebAssembly instance and resets its memory between runs. A worker's very
// first run (fresh instance) must sound exactly like a run after many others with other voices,
// rates and a text long enough to grow the instance's memory.
test('a worker that has served many jobs produces the same audio as a fresh one', async () => {
  const text = 'Is there a good coffee shop near the train station?';
  const fresh = await FliteTtsEngine.create({ workerCount: 1, warmUp: false, wordTimings: false });
  let first;
  try {
    first = await collectSpeech(fresh.synthesize(text, { voice: 'awb', rate: 1.2 }, neverAborted()));
  } finally {
    await fresh.close();
  }

  const used = await FliteTtsEngine.create({ workerCount: 1, wordTimings: true });
  try {
    const long = 'Every evening the fisherman told a story, and everyone listened closely. '.repeat(30);
    for (const [voice, rate, input] of [
      ['slt', 0.6, 'Warming up with something else entirely.'],
      ['kal', 2, long],
      ['rms', 1, '3.14 is not 22/7, Mr. Jones!'],
      ['kal16', 1.1, long.slice(0, 400)],
    ] as const) {
      await collectSpeech(used.synthesize(input, { voice, rate }, neverAborted()));
    }
    const later = await collectSpeech(used.synthesize(text, { voice: 'awb', rate: 1.2 }, neverAborted()));
    assert.ok(first.pcm.length > 16000);
    assert.deepEqual(later.pcm, first.pcm);
  } finally {
    await used.close();
  }
});
