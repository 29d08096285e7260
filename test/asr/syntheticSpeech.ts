/**
 * Test-time fixtures made with espeak-ng and sox (Debian packages, see scripts/debianPackages.mjs)
 * in a temporary directory. Synthetic speech is only for plumbing and load tests, never for
 * judging recognition quality.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPcm16Wav } from './pocketsphinxTestdata.js';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error !== undefined) {
    throw new Error(`${command} is needed for this test fixture (sudo apt-get install espeak-ng sox): ${result.error.message}`);
  }
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

/** `text` spoken by espeak-ng, as 16 kHz mono 16-bit samples. */
export function synthesizeSpeech(text: string, sampleRateHz = 16_000): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'voicelive-asr-'));
  try {
    const voicePath = join(dir, 'voice.wav');
    const outPath = join(dir, 'speech.wav');
    run('espeak-ng', ['-v', 'en-us', '-w', voicePath, text]);
    run('sox', [voicePath, '-r', String(sampleRateHz), '-c', '1', '-b', '16', '-e', 'signed-integer', outPath]);
    return readPcm16Wav(outPath).pcm;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `durationMs` of low-level pink noise (about −60 dBFS), made by sox. */
export function quietNoise(durationMs: number, sampleRateHz = 16_000): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'voicelive-asr-'));
  try {
    const outPath = join(dir, 'noise.wav');
    run('sox', ['-n', '-r', String(sampleRateHz), '-c', '1', '-b', '16', '-e', 'signed-integer', outPath,
      'synth', String(durationMs / 1000), 'pinknoise', 'vol', '0.001']);
    return readPcm16Wav(outPath).pcm;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
