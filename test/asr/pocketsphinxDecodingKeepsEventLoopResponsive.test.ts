import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { PocketsphinxAsrEngine } from '../../src/engines/asr/pocketsphinx.js';
import { pocketsphinxSkipReason, testdataDir } from './pocketsphinxAvailability.js';
import { loadHumanRecordings } from './pocketsphinxTestdata.js';
import { synthesizeSpeech } from './syntheticSpeech.js';
import { transcribe } from './transcribe.js';

// Decoding runs in worker threads: the event loop only copies audio and forwards events, so while
// two streams decode 25 s (human) and 9 s (espeak) of audio at full speed it stays mostly idle
// and a 10 ms tick keeps coming. Were the decoding on the event loop, utilization would be ~1 and
// the ticks would stop for seconds. Measured here: utilization 0.02–0.04, p95 tick gap 10–20 ms.
// The largest single gap is printed but not asserted: on this shared 2-core machine (load 9–12)
// even an idle process sees 40 ms gaps, and the thread is descheduled for up to ~1 s at times.
const MAX_EVENT_LOOP_UTILIZATION = 0.25;
const MAX_P95_TICK_GAP_MS = 50;

test('the event loop keeps ticking while two long streams decode at full speed', { skip: pocketsphinxSkipReason }, async () => {
  const engine = await PocketsphinxAsrEngine.create({ poolSize: 2 });
  try {
    const human = loadHumanRecordings(testdataDir).filter((r) => r.id.startsWith('librivox/'));
    const humanPcm = concat(human.map((r) => r.pcm));
    const synthetic = synthesizeSpeech(
      'Please remind me to call my mother tomorrow morning. How long does it take to drive to the airport? ' +
        'Turn off the lights in the living room. What time does the pharmacy close on Sunday?',
    );
    const gapsMs: number[] = [];
    let lastTickMs = performance.now();
    const ticker = setInterval(() => {
      const nowMs = performance.now();
      gapsMs.push(nowMs - lastTickMs);
      lastTickMs = nowMs;
    }, 10);
    const startedMs = performance.now();
    lastTickMs = startedMs;
    const utilizationBefore = performance.eventLoopUtilization();
    const [a, b] = await Promise.all([transcribe(engine, humanPcm), transcribe(engine, synthetic)]);
    const { utilization } = performance.eventLoopUtilization(utilizationBefore);
    const elapsedMs = performance.now() - startedMs;
    clearInterval(ticker);
    gapsMs.sort((x, y) => x - y);
    const p95GapMs = gapsMs[Math.floor(gapsMs.length * 0.95)] ?? Infinity;
    const audioMs = ((humanPcm.length + synthetic.length) * 1000) / 16_000;
    console.log(
      `decoded ${(audioMs / 1000).toFixed(1)} s of audio in ${elapsedMs.toFixed(0)} ms; event loop utilization ` +
        `${utilization.toFixed(3)}; ${gapsMs.length} ticks, p95 gap ${p95GapMs.toFixed(1)} ms, ` +
        `largest ${(gapsMs.at(-1) ?? 0).toFixed(1)} ms; ${a.partials.length + b.partials.length} partials`,
    );
    assert.ok(a.final.text.split(' ').length > 40 && b.final.text.split(' ').length > 15);
    assert.ok(elapsedMs > 1000, 'decoding took long enough to measure');
    assert.ok(utilization < MAX_EVENT_LOOP_UTILIZATION, `event loop busy ${(utilization * 100).toFixed(0)} % of the time`);
    assert.ok(p95GapMs < MAX_P95_TICK_GAP_MS, `95th-percentile tick gap ${p95GapMs.toFixed(1)} ms`);
  } finally {
    await engine.close();
  }
});

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
