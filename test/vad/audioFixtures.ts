/**
 * Test audio made at test time (nothing binary is committed): real human utterances from Debian's
 * pocketsphinx-testdata trimmed with sox, espeak-ng speech, sox pink noise, all as 16 kHz mono
 * float32 in memory. Work files live in a fresh directory under os.tmpdir().
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_SAMPLE_RATE_HZ = 16_000;
export const LIBRIVOX_DIR = '/usr/share/pocketsphinx/test/data/librivox';
/** Two short read sentences: "he was not an ill disposed young man", "he might even have been made amiable himself". */
export const UTTERANCE_A = 'sense_and_sensibility_01_austen_64kb-0880.wav';
export const UTTERANCE_B = 'sense_and_sensibility_01_austen_64kb-0930.wav';

/** A span of speech on the file's clock. */
export interface TruthSegment {
  startMs: number;
  endMs: number;
}

export interface TestSignal {
  samples: Float32Array;
  /** Where speech really is (from the trimmed utterances' sample counts). */
  truth: TruthSegment[];
}

/** Why fixtures cannot be built here, or undefined when sox, espeak-ng and the recordings exist. */
export function missingFixtureTools(): string | undefined {
  for (const path of ['/usr/bin/sox', '/usr/bin/espeak-ng', join(LIBRIVOX_DIR, UTTERANCE_A)]) {
    if (!existsSync(path)) return `${path} is missing (apt-get install sox espeak-ng pocketsphinx-testdata)`;
  }
  return undefined;
}

/** sox effect chain that trims leading and trailing audio below 1 % of full scale (−40 dBFS) lasting < 50 ms. */
const TRIM_EFFECTS = ['silence', '1', '0.05', '1%', 'reverse', 'silence', '1', '0.05', '1%', 'reverse'];

function withTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'voicelive-vad-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readFloat32(path: string): Float32Array {
  const bytes = readFileSync(path);
  const samples = new Float32Array(bytes.byteLength / 4);
  for (let index = 0; index < samples.length; index++) samples[index] = bytes.readFloatLE(index * 4);
  return samples;
}

const RAW_FLOAT_16K = ['-t', 'raw', '-e', 'floating-point', '-b', '32', '-c', '1', '-r', String(FIXTURE_SAMPLE_RATE_HZ)];

/** A pocketsphinx-testdata LibriVox utterance with leading/trailing silence trimmed by sox. */
export function trimmedLibrivoxUtterance(fileName: string): Float32Array {
  return withTempDir((dir) => {
    const out = join(dir, 'trimmed.f32');
    execFileSync('/usr/bin/sox', [join(LIBRIVOX_DIR, fileName), ...RAW_FLOAT_16K, out, ...TRIM_EFFECTS]);
    return readFloat32(out);
  });
}

/** espeak-ng speech resampled to 16 kHz and trimmed like the human utterances. */
export function espeakUtterance(text: string, voice = 'en-us'): Float32Array {
  return withTempDir((dir) => {
    const wav = join(dir, 'espeak.wav');
    const out = join(dir, 'espeak.f32');
    execFileSync('/usr/bin/espeak-ng', ['-v', voice, '-w', wav, text]);
    execFileSync('/usr/bin/sox', [wav, ...RAW_FLOAT_16K, out, ...TRIM_EFFECTS]);
    return readFloat32(out);
  });
}

/** Pink noise from sox with its fixed random seed (`-R`), normalised to the given RMS (linear). */
export function pinkNoise(durationMs: number, rms: number): Float32Array {
  const noise = withTempDir((dir) => {
    const out = join(dir, 'pink.f32');
    const seconds = (durationMs / 1000).toFixed(3);
    execFileSync('/usr/bin/sox', ['-R', '-n', ...RAW_FLOAT_16K, out, 'synth', seconds, 'pinknoise']);
    return readFloat32(out);
  });
  return scaleToRms(noise, rms);
}

export function rmsOf(samples: Float32Array): number {
  let sumOfSquares = 0;
  for (const sample of samples) sumOfSquares += sample * sample;
  return samples.length === 0 ? 0 : Math.sqrt(sumOfSquares / samples.length);
}

function scaleToRms(samples: Float32Array, rms: number): Float32Array {
  const gain = rms / (rmsOf(samples) || 1);
  return samples.map((sample) => sample * gain);
}

export function samplesForMs(durationMs: number): number {
  return Math.round((durationMs * FIXTURE_SAMPLE_RATE_HZ) / 1000);
}

export function msForSamples(sampleCount: number): number {
  return (sampleCount * 1000) / FIXTURE_SAMPLE_RATE_HZ;
}

/**
 * Lays utterances out with digital silence: `gapsMs[0]` before the first, `gapsMs[i]` between
 * utterance i−1 and i, and the last entry after the last (so `gapsMs.length = utterances + 1`).
 */
export function composeWithSilence(utterances: Float32Array[], gapsMs: number[]): TestSignal {
  if (gapsMs.length !== utterances.length + 1) throw new Error('need one gap more than utterances');
  const gapSamples = gapsMs.map(samplesForMs);
  const total = gapSamples.reduce((sum, n) => sum + n, 0) + utterances.reduce((sum, u) => sum + u.length, 0);
  const samples = new Float32Array(total);
  const truth: TruthSegment[] = [];
  let cursor = gapSamples[0] ?? 0;
  utterances.forEach((utterance, index) => {
    samples.set(utterance, cursor);
    truth.push({ startMs: msForSamples(cursor), endMs: msForSamples(cursor + utterance.length) });
    cursor += utterance.length + (gapSamples[index + 1] ?? 0);
  });
  return { samples, truth };
}

/**
 * Adds pink noise over the whole signal so that speech power / noise power = `snrDb`, where speech
 * power is measured over the truth segments only.
 */
export function withPinkNoise(signal: TestSignal, snrDb: number): TestSignal {
  let sumOfSquares = 0;
  let count = 0;
  for (const { startMs, endMs } of signal.truth) {
    for (let index = samplesForMs(startMs); index < samplesForMs(endMs); index++) {
      const sample = signal.samples[index] ?? 0;
      sumOfSquares += sample * sample;
      count++;
    }
  }
  const speechRms = Math.sqrt(sumOfSquares / Math.max(1, count));
  const noiseRms = speechRms / 10 ** (snrDb / 20);
  const noise = pinkNoise(msForSamples(signal.samples.length), noiseRms);
  const samples = signal.samples.map((sample, index) => sample + (noise[index] ?? 0));
  return { samples, truth: signal.truth };
}
