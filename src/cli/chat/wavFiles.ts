/**
 * WAV files of `--input` / `--output`: any WAV that src/audio/wav.ts reads (PCM 8–32 bit, float,
 * G.711; any rate, any channel count) becomes the session's PCM16 mono at 24 kHz (channels
 * averaged, rate converted with the Speex resampler), and the assistant's audio is written as a
 * PCM16 mono WAV.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadResampler, resampleOnce } from '../../audio/resampler.js';
import { readWav, toMono, writeWav } from '../../audio/wav.js';
import { ChatFailure } from './chatFailure.js';

/** An input file converted to the session's format. */
export interface SessionAudio {
  pcm: Int16Array;
  sampleRateHz: number;
  durationMs: number;
  /** What the file held. */
  source: { sampleRateHz: number; channels: number };
}

/** Reads `path` and converts it to mono PCM16 at `sampleRateHz`. Throws {@link ChatFailure} with the reason. */
export async function readWavAsSessionAudio(path: string, sampleRateHz: number): Promise<SessionAudio> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ChatFailure(`cannot read --input ${path}: ${(error as Error).message}`);
  }
  let wav: ReturnType<typeof readWav>;
  try {
    wav = readWav(bytes);
  } catch (error) {
    throw new ChatFailure(`--input ${path} is not a usable WAV file: ${(error as Error).message}`);
  }
  const mono = toMono(wav.samples, wav.channels);
  let pcm = mono;
  if (wav.sampleRateHz !== sampleRateHz) {
    await loadResampler();
    pcm = resampleOnce(mono, wav.sampleRateHz, sampleRateHz);
  }
  if (pcm.length === 0) throw new ChatFailure(`--input ${path} holds no audio`);
  return { pcm, sampleRateHz, durationMs: (pcm.length * 1000) / sampleRateHz, source: { sampleRateHz: wav.sampleRateHz, channels: wav.channels } };
}

/** Writes mono PCM16 as a WAV file. Throws {@link ChatFailure} when the file cannot be written. */
export async function writeSessionWav(path: string, pcm: Int16Array, sampleRateHz: number): Promise<void> {
  try {
    await writeFile(path, writeWav({ sampleRateHz, channels: 1, samples: pcm }));
  } catch (error) {
    throw new ChatFailure(`cannot write --output ${path}: ${(error as Error).message}`);
  }
}
