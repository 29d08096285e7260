/**
 * Speech fixtures for end-to-end tests, made at test time in a fresh directory under os.tmpdir()
 * (nothing binary is committed): espeak-ng speech and the real human recordings of Debian's
 * pocketsphinx-testdata, trimmed with sox so the truth of every clip is known (its measured speech
 * duration), laid out with digital silence (optionally under pink noise) and converted by sox to the
 * wire formats a client sends (PCM16 at 24/16/8 kHz, G.711 µ-law/A-law; `sox -D`, no dither, so the
 * bytes are deterministic).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOX = '/usr/bin/sox';
export const ESPEAK = '/usr/bin/espeak-ng';
export const TESTDATA_DIR = '/usr/share/pocketsphinx/test/data';
export const LIBRIVOX_DIR = join(TESTDATA_DIR, 'librivox');

/** All fixture audio is composed at this rate, then converted to the wire format. */
export const SCENE_RATE_HZ = 16_000;

/** Why the fixtures cannot be built here, or undefined when sox, espeak-ng and the recordings exist. */
export function missingSpeechFixtureTools(): string | undefined {
  for (const path of [SOX, ESPEAK, join(LIBRIVOX_DIR, 'transcription')]) {
    if (!existsSync(path)) return `${path} is missing (apt-get install sox espeak-ng pocketsphinx-testdata)`;
  }
  return undefined;
}

/** One trimmed utterance at {@link SCENE_RATE_HZ}. */
export interface SpeechClip {
  pcm: Int16Array;
  /** Speech duration after trimming (sample count / rate). */
  durationMs: number;
  /** What is said (the testdata transcript, or the text given to espeak-ng). */
  text: string;
}

/** A span of speech on the scene's clock. */
export interface SpeechSpan {
  startMs: number;
  endMs: number;
  text: string;
}

/** Clips laid out with silence: the audio and where each clip's speech really is. */
export interface SpeechScene {
  pcm: Int16Array;
  sampleRateHz: number;
  durationMs: number;
  speech: SpeechSpan[];
}

/** sox effect chain that trims leading/trailing audio below 1 % of full scale (−40 dBFS) lasting < 50 ms. */
const TRIM = ['silence', '1', '0.05', '1%', 'reverse', 'silence', '1', '0.05', '1%', 'reverse'];
const RAW_SCENE = ['-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', String(SCENE_RATE_HZ)];

function withTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'voicelive-speech-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readInt16(path: string): Int16Array {
  const bytes = readFileSync(path);
  const pcm = new Int16Array(bytes.byteLength >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(i * 2);
  return pcm;
}

function writeInt16(path: string, pcm: Int16Array): void {
  writeFileSync(path, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
}

function clipOf(pcm: Int16Array, text: string): SpeechClip {
  return { pcm, durationMs: (pcm.length * 1000) / SCENE_RATE_HZ, text };
}

/** `text` spoken by espeak-ng (`wordsPerMinute` default 175), trimmed, at 16 kHz. */
export function espeakClip(text: string, options: { voice?: string; wordsPerMinute?: number } = {}): SpeechClip {
  return withTempDir((dir) => {
    const wav = join(dir, 'espeak.wav');
    const out = join(dir, 'espeak.raw');
    execFileSync(ESPEAK, ['-v', options.voice ?? 'en-us', '-s', String(options.wordsPerMinute ?? 175), '-w', wav, text]);
    execFileSync(SOX, ['-D', wav, ...RAW_SCENE, out, ...TRIM]);
    return clipOf(readInt16(out), text);
  });
}

/** Reference transcripts of the LibriVox recordings (`file id → words`). */
export function librivoxTranscripts(): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(join(LIBRIVOX_DIR, 'transcription'), 'utf8').split('\n')) {
    const match = /^(.*)\(([^()]+)\)\s*$/.exec(line.trim());
    if (!match) continue;
    map.set((match[2] ?? '').trim(), (match[1] ?? '').replace(/<\/?s>/g, ' ').replace(/\s+/g, ' ').trim());
  }
  return map;
}

/** A real human recording from pocketsphinx-testdata (LibriVox read speech), trimmed, with its reference transcript. */
export function librivoxClip(fileId: string): SpeechClip {
  const reference = librivoxTranscripts().get(fileId);
  if (reference === undefined) throw new Error(`no transcript for ${fileId} in ${LIBRIVOX_DIR}/transcription`);
  return withTempDir((dir) => {
    const out = join(dir, 'trimmed.raw');
    execFileSync(SOX, ['-D', join(LIBRIVOX_DIR, `${fileId}.wav`), ...RAW_SCENE, out, ...TRIM]);
    return clipOf(readInt16(out), reference);
  });
}

function samplesFor(ms: number): number {
  return Math.round((ms * SCENE_RATE_HZ) / 1000);
}

/**
 * Lays clips out with digital silence: `gapsMs[0]` before the first clip, `gapsMs[i]` between clip
 * i−1 and i, the last entry after the last clip (`gapsMs.length = clips.length + 1`).
 */
export function composeScene(clips: SpeechClip[], gapsMs: number[]): SpeechScene {
  if (gapsMs.length !== clips.length + 1) throw new Error('need one gap more than clips');
  const gaps = gapsMs.map(samplesFor);
  const total = gaps.reduce((n, g) => n + g, 0) + clips.reduce((n, c) => n + c.pcm.length, 0);
  const pcm = new Int16Array(total);
  const speech: SpeechSpan[] = [];
  let cursor = gaps[0] ?? 0;
  clips.forEach((clip, index) => {
    pcm.set(clip.pcm, cursor);
    speech.push({ startMs: (cursor * 1000) / SCENE_RATE_HZ, endMs: ((cursor + clip.pcm.length) * 1000) / SCENE_RATE_HZ, text: clip.text });
    cursor += clip.pcm.length + (gaps[index + 1] ?? 0);
  });
  return { pcm, sampleRateHz: SCENE_RATE_HZ, durationMs: (total * 1000) / SCENE_RATE_HZ, speech };
}

/** Digital silence of the given length (a scene without speech). */
export function silenceScene(durationMs: number): SpeechScene {
  return composeScene([], [durationMs]);
}

/** RMS level of PCM16 in dBFS (full scale = 32768; −Infinity for digital silence). */
export function rmsDbfs(pcm: Int16Array): number {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  const rms = pcm.length === 0 ? 0 : Math.sqrt(sum / pcm.length) / 32768;
  return 20 * Math.log10(rms);
}

/**
 * Pink noise from sox (fixed seed, `-R`) scaled to an RMS of `dbfs` and added to the scene (or on
 * its own when no scene is given). The speech truth is unchanged.
 */
export function withPinkNoise(scene: SpeechScene, dbfs: number): SpeechScene {
  const noise = withTempDir((dir) => {
    const out = join(dir, 'pink.raw');
    execFileSync(SOX, ['-R', '-D', '-n', ...RAW_SCENE, out, 'synth', (scene.durationMs / 1000).toFixed(4), 'pinknoise', 'vol', '0.5']);
    return readInt16(out);
  });
  const gain = 10 ** ((dbfs - rmsDbfs(noise)) / 20);
  const pcm = new Int16Array(scene.pcm.length);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round((scene.pcm[i] ?? 0) + (noise[i] ?? 0) * gain)));
  return { ...scene, pcm };
}

/** Wire encodings a client can send (input) or receive (output). */
export type WireEncoding = 'pcm16' | 'g711_ulaw' | 'g711_alaw';

/** Converts a scene with sox (`-D`: no dither) to raw wire bytes: PCM16 LE at `sampleRateHz`, or 8 kHz G.711. */
export function encodeScene(scene: SpeechScene, encoding: WireEncoding, sampleRateHz = encoding === 'pcm16' ? 24_000 : 8000): Uint8Array {
  const target =
    encoding === 'pcm16'
      ? ['-e', 'signed-integer', '-b', '16', '-r', String(sampleRateHz)]
      : ['-e', encoding === 'g711_ulaw' ? 'u-law' : 'a-law', '-b', '8', '-r', String(sampleRateHz)];
  return withTempDir((dir) => {
    const input = join(dir, 'scene.raw');
    const output = join(dir, 'wire.raw');
    writeInt16(input, scene.pcm);
    execFileSync(SOX, ['-D', ...RAW_SCENE, input, '-t', 'raw', '-c', '1', ...target, output]);
    const bytes = readFileSync(output);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });
}

/** Bytes per second of a wire encoding at a rate (mono). */
export function wireBytesPerSecond(encoding: WireEncoding, sampleRateHz: number): number {
  return encoding === 'pcm16' ? sampleRateHz * 2 : sampleRateHz;
}

/**
 * Speech measured in PCM16 audio by the same sox trim as the fixtures: the duration between the first
 * and the last sound above −40 dBFS (0 for silence).
 */
export function measureSpeechMs(pcm: Int16Array, sampleRateHz: number): number {
  return withTempDir((dir) => {
    const input = join(dir, 'in.raw');
    const out = join(dir, 'out.raw');
    writeInt16(input, pcm);
    const raw = ['-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', String(sampleRateHz)];
    execFileSync(SOX, ['-D', ...raw, input, ...raw, out, ...TRIM]);
    return (readFileSync(out).byteLength / 2 / sampleRateHz) * 1000;
  });
}

/** Resamples PCM16 with sox (for comparing audio rendered at different rates). */
export function resamplePcm16(pcm: Int16Array, fromHz: number, toHz: number): Int16Array {
  return withTempDir((dir) => {
    const input = join(dir, 'in.raw');
    const out = join(dir, 'out.raw');
    writeInt16(input, pcm);
    const raw = (hz: number) => ['-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', String(hz)];
    execFileSync(SOX, ['-D', ...raw(fromHz), input, ...raw(toHz), out]);
    return readInt16(out);
  });
}

/**
 * Largest normalised cross-correlation of two signals over lags up to ±`maxLagSamples`: 1 for the
 * same waveform, about 0 for unrelated audio.
 */
export function maxCorrelation(a: Int16Array, b: Int16Array, maxLagSamples: number): number {
  let best = -1;
  for (let lag = -maxLagSamples; lag <= maxLagSamples; lag++) {
    let dot = 0;
    let ea = 0;
    let eb = 0;
    for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
      const x = a[i] ?? 0;
      const y = b[i + lag] ?? 0;
      dot += x * y;
      ea += x * x;
      eb += y * y;
    }
    if (ea > 0 && eb > 0) best = Math.max(best, dot / Math.sqrt(ea * eb));
  }
  return best;
}
