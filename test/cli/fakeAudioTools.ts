/**
 * Stand-ins for `arecord` and `aplay` (there is no sound card here), put first in the CLI's PATH:
 *
 * - the fake `arecord` is a microphone following a script: it writes raw PCM16 at real-time pace
 *   (20 ms chunks): a first utterance, then silence until the speaker has started playing an
 *   answer, `interruptAfterMs` more of silence, a second utterance (the barge-in), then silence
 *   until it is killed;
 * - the fake `aplay` appends what it is given to `play-<pid>.raw` in the speaker directory (a new
 *   file per player process), so a test sees which process got which audio and whether it was
 *   killed.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeAudioTools {
  /** Put first in PATH. */
  binDir: string;
  /** Where the fake player writes `play-<pid>.raw` and the fake microphone `mic.pid`. */
  speakerDir: string;
  env: Record<string, string>;
}

const MIC_SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const speakerDir = process.env.FAKE_SPEAKER_DIR;
fs.writeFileSync(path.join(speakerDir, 'mic.pid'), String(process.pid));
const first = fs.readFileSync(process.env.FAKE_MIC_FIRST);
const second = process.env.FAKE_MIC_SECOND ? fs.readFileSync(process.env.FAKE_MIC_SECOND) : null;
const interruptAfterMs = Number(process.env.FAKE_MIC_INTERRUPT_AFTER_MS || '1000');
const CHUNK_BYTES = 960; // 20 ms at 24 kHz
const silence = Buffer.alloc(CHUNK_BYTES);
let phase = 'first';
let offset = 0;
let playingSince = 0;
process.stdout.on('error', () => process.exit(0));
const startedAt = Date.now();
let sent = 0;
function nextChunk() {
  if (phase === 'first' || phase === 'second') {
    const source = phase === 'first' ? first : second;
    const chunk = source.subarray(offset, offset + CHUNK_BYTES);
    offset += CHUNK_BYTES;
    if (offset >= source.length) {
      phase = phase === 'first' && second ? 'waiting' : 'done';
      offset = 0;
    }
    return chunk;
  }
  if (phase === 'waiting') {
    const playing = fs.readdirSync(speakerDir).some((name) => name.startsWith('play-'));
    if (playing && !playingSince) playingSince = Date.now();
    if (playingSince && Date.now() - playingSince >= interruptAfterMs) phase = 'second';
  }
  return silence;
}
function tick() {
  // Real-time pace without drift: send every chunk that is due.
  while ((sent + 1) * 20 <= Date.now() - startedAt) {
    process.stdout.write(nextChunk());
    sent++;
  }
  setTimeout(tick, 10);
}
tick();
`;

const PLAYER_SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const file = path.join(process.env.FAKE_SPEAKER_DIR, 'play-' + process.pid + '.raw');
process.stdin.on('data', (chunk) => fs.appendFileSync(file, chunk));
process.stdin.on('end', () => process.exit(0));
`;

/** Writes the fake tools into `dir` (bin/ and speaker/). `first`/`second`: raw PCM16 24 kHz mono files. */
export function makeFakeAudioTools(dir: string, firstUtterancePath: string, secondUtterancePath: string | null, interruptAfterMs = 1000): FakeAudioTools {
  const binDir = join(dir, 'bin');
  const speakerDir = join(dir, 'speaker');
  mkdirSync(binDir, { recursive: true });
  mkdirSync(speakerDir, { recursive: true });
  for (const [name, source] of [['arecord', MIC_SOURCE], ['aplay', PLAYER_SOURCE]] as const) {
    const path = join(binDir, name);
    writeFileSync(path, `#!${process.execPath}\n${source}`);
    chmodSync(path, 0o755);
  }
  return {
    binDir,
    speakerDir,
    env: {
      PATH: `${binDir}:${process.env.PATH ?? ''}`,
      FAKE_SPEAKER_DIR: speakerDir,
      FAKE_MIC_FIRST: firstUtterancePath,
      ...(secondUtterancePath ? { FAKE_MIC_SECOND: secondUtterancePath } : {}),
      FAKE_MIC_INTERRUPT_AFTER_MS: String(interruptAfterMs),
    },
  };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
