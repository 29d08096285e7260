/**
 * The real human recordings in Debian's `pocketsphinx-testdata` that come with reference
 * transcripts (LibriVox read speech, the "cards" clips), found by scanning for transcription files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** One utterance with its reference transcript. */
export interface HumanRecording {
  /** `<folder>/<file id>`, e.g. `librivox/sense_and_sensibility_01_austen_64kb-0880`. */
  id: string;
  reference: string;
  audioPath: string;
  pcm: Int16Array;
  sampleRateHz: number;
}

const DEBIAN_TESTDATA_DIR = '/usr/share/pocketsphinx/test/data';
export const TESTDATA_INSTALL_HINT =
  'install it with `sudo apt-get install pocketsphinx-testdata` (or `npm run setup`), or set VOICELIVE_POCKETSPHINX_TESTDATA_DIR';

/** The testdata directory, or undefined when the package is not installed. */
export function locatePocketsphinxTestdata(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.VOICELIVE_POCKETSPHINX_TESTDATA_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : undefined;
  if (existsSync(DEBIAN_TESTDATA_DIR)) return DEBIAN_TESTDATA_DIR;
  const listing = spawnSync('dpkg', ['-L', 'pocketsphinx-testdata'], { encoding: 'utf8' });
  if (listing.status !== 0 || typeof listing.stdout !== 'string') return undefined;
  return listing.stdout.split('\n').find((line) => line.endsWith('/test/data') && existsSync(line));
}

/**
 * Every recording under `testdataDir` listed in a `transcription` / `*.transcription` file
 * (lines like `<s> words </s> (file_id)`) whose audio (`file_id.wav`, or headerless 16 kHz
 * `file_id.raw`) sits next to it. Sorted by id.
 */
export function loadHumanRecordings(testdataDir: string): HumanRecording[] {
  const recordings: HumanRecording[] = [];
  for (const transcriptionPath of findTranscriptionFiles(testdataDir)) {
    const folder = join(transcriptionPath, '..');
    for (const line of readFileSync(transcriptionPath, 'utf8').split('\n')) {
      const match = /^(.*)\(([^()]+)\)\s*$/.exec(line.trim());
      if (match === null) continue;
      const reference = (match[1] ?? '').replace(/<\/?s>/g, ' ').replace(/\s+/g, ' ').trim();
      const fileId = (match[2] ?? '').trim();
      const wavPath = join(folder, `${fileId}.wav`);
      const rawPath = join(folder, `${fileId}.raw`);
      let audio: { pcm: Int16Array; sampleRateHz: number; audioPath: string } | undefined;
      if (existsSync(wavPath)) audio = { ...readPcm16Wav(wavPath), audioPath: wavPath };
      else if (existsSync(rawPath)) audio = { pcm: readRawPcm16(rawPath), sampleRateHz: 16_000, audioPath: rawPath };
      if (audio === undefined || reference === '') continue;
      recordings.push({ id: `${basename(folder)}/${fileId}`, reference, ...audio });
    }
  }
  return recordings.sort((a, b) => a.id.localeCompare(b.id));
}

function findTranscriptionFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTranscriptionFiles(path));
    else if (name === 'transcription' || name.endsWith('.transcription')) found.push(path);
  }
  return found;
}

/** Reads a 16-bit PCM mono RIFF/WAVE file (walks the chunks; no fixed 44-byte header assumed). */
export function readPcm16Wav(path: string): { pcm: Int16Array; sampleRateHz: number } {
  const bytes = readFileSync(path);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path} is not a RIFF/WAVE file`);
  }
  let sampleRateHz = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const chunkId = bytes.toString('ascii', offset, offset + 4);
    const chunkBytes = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (chunkId === 'fmt ') {
      const format = bytes.readUInt16LE(body);
      const channels = bytes.readUInt16LE(body + 2);
      sampleRateHz = bytes.readUInt32LE(body + 4);
      const bitsPerSample = bytes.readUInt16LE(body + 14);
      if (format !== 1 || channels !== 1 || bitsPerSample !== 16) {
        throw new Error(`${path}: need 16-bit PCM mono, got format ${format}, ${channels} channels, ${bitsPerSample} bits`);
      }
    } else if (chunkId === 'data') {
      const dataBytes = Math.min(chunkBytes, bytes.length - body) & ~1;
      const pcm = new Int16Array(dataBytes / 2);
      for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(body + i * 2);
      if (sampleRateHz === 0) throw new Error(`${path}: data chunk before fmt chunk`);
      return { pcm, sampleRateHz };
    }
    offset = body + chunkBytes + (chunkBytes & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

/** Reads headerless little-endian 16-bit samples. */
export function readRawPcm16(path: string): Int16Array {
  const bytes = readFileSync(path);
  const pcm = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(i * 2);
  return pcm;
}
