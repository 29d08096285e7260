/**
 * ASR accuracy and speed on real human speech: transcribes every recording in Debian's
 * pocketsphinx-testdata that has a reference transcript with the pocketsphinx engine, streaming
 * 100 ms chunks as fast as possible, and prints per-file and total WER, real-time factor and the
 * time from `end()` to the final. A second pass writes the same audio in real time to measure the
 * end-of-speech → final latency a live caller sees (skip it with `--no-paced`). A third pass gives
 * each file a freshly loaded decoder, whose cepstral mean normalization has not yet adapted to the
 * channel, to show the WER of the first utterance a decoder ever hears (skip it with `--no-cold`).
 *
 * Run: node --import tsx bench/asrWer.ts [--no-paced] [--no-cold]
 */
import { cpus, loadavg } from 'node:os';
import { PocketsphinxAsrEngine } from '../src/engines/asr/pocketsphinx.js';
import { sumWordErrors, wordErrorRate } from '../src/util/wer.js';
import type { WordErrorRate } from '../src/util/wer.js';
import { loadHumanRecordings, locatePocketsphinxTestdata, TESTDATA_INSTALL_HINT } from '../test/asr/pocketsphinxTestdata.js';
import type { HumanRecording } from '../test/asr/pocketsphinxTestdata.js';
import { transcribe } from '../test/asr/transcribe.js';
import type { TranscriptionRun } from '../test/asr/transcribe.js';

interface FileResult {
  recording: HumanRecording;
  audioMs: number;
  run: TranscriptionRun;
  errors: WordErrorRate;
  pacedEndToFinalMs?: number;
}

const paced = !process.argv.includes('--no-paced');
const cold = !process.argv.includes('--no-cold');

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function group(id: string): string {
  return id.split('/')[0] ?? id;
}

async function runPass(recordings: HumanRecording[], pacedWrites: boolean): Promise<{ loadMs: number; runs: TranscriptionRun[] }> {
  const loadStartedMs = performance.now();
  // One decoder, files in sequence: like one caller's successive utterances.
  const engine = await PocketsphinxAsrEngine.create({ poolSize: 1 });
  const loadMs = performance.now() - loadStartedMs;
  const runs: TranscriptionRun[] = [];
  try {
    for (const recording of recordings) runs.push(await transcribe(engine, recording.pcm, { paced: pacedWrites }));
  } finally {
    await engine.close();
  }
  return { loadMs, runs };
}

async function main(): Promise<void> {
  const testdataDir = locatePocketsphinxTestdata();
  if (testdataDir === undefined) {
    console.error(`pocketsphinx-testdata not found; ${TESTDATA_INSTALL_HINT}`);
    process.exit(1);
  }
  const recordings = loadHumanRecordings(testdataDir).filter((r) => r.sampleRateHz === 16_000);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`pocketsphinx on ${recordings.length} human recordings from ${testdataDir}`);
  console.log(
    `machine: ${cpu}, ${cpus().length} cores, node ${process.version}, load average ${loadavg()[0]?.toFixed(1)} at start ` +
      '(timings are wall-clock: other load on the machine inflates them)\n',
  );

  const fast = await runPass(recordings, false);
  const results: FileResult[] = recordings.map((recording, index) => {
    const run = fast.runs[index];
    if (run === undefined) throw new Error('missing run');
    return {
      recording,
      audioMs: (recording.pcm.length * 1000) / recording.sampleRateHz,
      run,
      errors: wordErrorRate(recording.reference, run.final.text),
    };
  });
  let pacedLoadMs: number | undefined;
  if (paced) {
    const slow = await runPass(recordings, true);
    pacedLoadMs = slow.loadMs;
    slow.runs.forEach((run, index) => {
      const result = results[index];
      if (result !== undefined) result.pacedEndToFinalMs = run.endToFinalMs;
    });
  }

  for (const result of results) {
    const { errors, run } = result;
    const edits = errors.substitutions + errors.deletions + errors.insertions;
    console.log(`${result.recording.id}  (${(result.audioMs / 1000).toFixed(2)} s)`);
    console.log(`  ref: ${result.recording.reference}`);
    console.log(`  hyp: ${run.final.text}`);
    console.log(
      `  WER ${percent(errors.wer)} (${edits}/${errors.referenceWords}: S${errors.substitutions} D${errors.deletions} I${errors.insertions})` +
        `  RTF ${(run.wallMs / result.audioMs).toFixed(3)}` +
        `  end→final ${run.endToFinalMs.toFixed(0)} ms at full speed` +
        (result.pacedEndToFinalMs === undefined ? '' : `, ${result.pacedEndToFinalMs.toFixed(0)} ms in real time`) +
        `  partials ${run.partials.length}`,
    );
  }

  console.log('\n| set | files | audio s | ref words | S | D | I | WER |');
  console.log('|---|---|---|---|---|---|---|---|');
  const groups = [...new Set(results.map((r) => group(r.recording.id)))];
  for (const name of [...groups, 'all']) {
    const members = name === 'all' ? results : results.filter((r) => group(r.recording.id) === name);
    const total = sumWordErrors(members.map((r) => r.errors));
    const audioS = members.reduce((sum, r) => sum + r.audioMs, 0) / 1000;
    console.log(
      `| ${name} | ${members.length} | ${audioS.toFixed(1)} | ${total.referenceWords} | ${total.substitutions} | ${total.deletions} | ${total.insertions} | ${percent(total.wer)} |`,
    );
  }
  if (cold) {
    const coldErrors: WordErrorRate[] = [];
    for (const recording of recordings) {
      const { runs } = await runPass([recording], false);
      const run = runs[0];
      if (run !== undefined) coldErrors.push(wordErrorRate(recording.reference, run.final.text));
    }
    const total = sumWordErrors(coldErrors);
    console.log(
      `| all, fresh decoder per file | ${coldErrors.length} | | ${total.referenceWords} | ${total.substitutions} | ` +
        `${total.deletions} | ${total.insertions} | ${percent(total.wer)} |`,
    );
  }
  const audioMs = results.reduce((sum, r) => sum + r.audioMs, 0);
  const wallMs = results.reduce((sum, r) => sum + r.run.wallMs, 0);
  const fastLatencies = results.map((r) => r.run.endToFinalMs);
  console.log(`\nload average at the end: ${loadavg()[0]?.toFixed(1)}`);
  console.log(`engine load (1 decoder): ${fast.loadMs.toFixed(0)} ms`);
  console.log(`total RTF at full speed (wall time first write → final / audio): ${(wallMs / audioMs).toFixed(3)}`);
  console.log(`end→final at full speed (includes decoding the backlog): mean ${mean(fastLatencies).toFixed(0)} ms, max ${Math.max(...fastLatencies).toFixed(0)} ms`);
  if (paced) {
    const pacedLatencies = results.map((r) => r.pacedEndToFinalMs ?? 0);
    console.log(
      `end→final with real-time writes: mean ${mean(pacedLatencies).toFixed(0)} ms, max ${Math.max(...pacedLatencies).toFixed(0)} ms` +
        ` (engine load ${pacedLoadMs?.toFixed(0)} ms)`,
    );
  }
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);
}

await main();
