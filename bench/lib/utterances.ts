/**
 * Real utterances for the latency benchmark: sentences spoken by espeak-ng and human recordings
 * from Debian's pocketsphinx-testdata, converted by sox to 24 kHz mono PCM16 (the session's input
 * format) and trimmed to the speech, so the end of each buffer is the end of speech.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INPUT_SAMPLE_RATE_HZ = 24_000;

export interface Utterance {
  id: string;
  source: 'espeak-ng' | 'human';
  /** What is said (reference transcript for human recordings). */
  text: string;
  /** 24 kHz mono PCM16, trimmed: the last sample is the end of speech. */
  pcm: Int16Array;
  speechMs: number;
}

const ESPEAK_SENTENCES = [
  'What is the weather like in Paris today?',
  'Please book a table for two at seven tonight.',
  'Turn off the lights in the kitchen.',
  'How long does it take to drive to Boston?',
  'I would like to order a large pizza.',
  'Can you remind me to call my mother tomorrow?',
  'Play some relaxing music.',
  'What time does the train leave?',
];

/** Human recordings with their transcripts (paths under the pocketsphinx test data). */
const HUMAN_CLIPS = [
  { file: 'cards/001.wav', text: 'ten of clubs' },
  { file: 'cards/002.wav', text: 'four queen of clubs' },
  { file: 'cards/003.wav', text: 'seven of clubs' },
  { file: 'cards/005.wav', text: 'eight of spades four of clubs seven of hearts' },
  { file: 'librivox/sense_and_sensibility_01_austen_64kb-0880.wav', text: 'he was not an ill disposed young man' },
  { file: 'librivox/sense_and_sensibility_01_austen_64kb-0930.wav', text: 'he might even have been made amiable himself' },
];

export const POCKETSPHINX_TESTDATA_DIR = process.env.VOICELIVE_POCKETSPHINX_TESTDATA_DIR ?? '/usr/share/pocketsphinx/test/data';

function run(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`${command} failed (the benchmark needs espeak-ng and sox: sudo apt-get install espeak-ng sox): ${(error as Error).message}`);
  }
}

/** Any audio file → headerless 24 kHz mono signed 16-bit little-endian samples, via sox. */
function toPcm24k(inputPath: string, rawPath: string): Int16Array {
  run('sox', [inputPath, '-t', 'raw', '-r', String(INPUT_SAMPLE_RATE_HZ), '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', rawPath]);
  const bytes = readFileSync(rawPath);
  const pcm = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(i * 2);
  return pcm;
}

/**
 * Cuts leading and trailing silence: keeps from the first to the last 10 ms window whose RMS is
 * within 35 dB of the loudest window (and above −50 dBFS).
 */
export function trimSilence(pcm: Int16Array, sampleRateHz: number): Int16Array {
  const window = Math.round(sampleRateHz / 100);
  const rms: number[] = [];
  for (let start = 0; start < pcm.length; start += window) {
    let sum = 0;
    const end = Math.min(pcm.length, start + window);
    for (let i = start; i < end; i++) sum += (pcm[i] ?? 0) * (pcm[i] ?? 0);
    rms.push(Math.sqrt(sum / Math.max(1, end - start)));
  }
  const peak = Math.max(0, ...rms);
  const threshold = Math.max(32768 * 10 ** (-50 / 20), peak * 10 ** (-35 / 20));
  const first = rms.findIndex((r) => r >= threshold);
  let last = -1;
  for (let i = rms.length - 1; i >= 0; i--) {
    if ((rms[i] ?? 0) >= threshold) {
      last = i;
      break;
    }
  }
  if (first < 0 || last < first) return pcm;
  return pcm.slice(first * window, Math.min(pcm.length, (last + 1) * window));
}

/** Synthesizes and loads every utterance (a second or two of espeak-ng and sox work). */
export function prepareUtterances(options: { human: boolean } = { human: true }): Utterance[] {
  const dir = mkdtempSync(join(tmpdir(), 'voicelive-bench-'));
  const utterances: Utterance[] = [];
  const add = (id: string, source: Utterance['source'], text: string, inputPath: string) => {
    const pcm = trimSilence(toPcm24k(inputPath, join(dir, `${utterances.length}.raw`)), INPUT_SAMPLE_RATE_HZ);
    utterances.push({ id, source, text, pcm, speechMs: (pcm.length * 1000) / INPUT_SAMPLE_RATE_HZ });
  };
  try {
    ESPEAK_SENTENCES.forEach((text, index) => {
      const wavPath = join(dir, `espeak-${index}.wav`);
      run('espeak-ng', ['-v', 'en-us', '-s', '165', '-w', wavPath, text]);
      add(`espeak/${index}`, 'espeak-ng', text, wavPath);
    });
    if (options.human) {
      for (const clip of HUMAN_CLIPS) {
        const path = join(POCKETSPHINX_TESTDATA_DIR, clip.file);
        if (existsSync(path)) add(clip.file.replace(/\.wav$/, ''), 'human', clip.text, path);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return utterances;
}

/** Low-level white noise (about −66 dBFS) standing in for a quiet microphone between turns. */
export function roomNoise(samples: number, random: () => number): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = Math.round((random() * 2 - 1) * 28);
  return out;
}
