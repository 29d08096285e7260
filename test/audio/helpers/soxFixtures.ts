/**
 * Test fixtures made on the fly with sox and espeak-ng in a private temp directory (nothing binary is
 * committed). Every helper runs the real tool and returns the bytes it wrote.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOX_PATH = '/usr/bin/sox';
export const ESPEAK_NG_PATH = '/usr/bin/espeak-ng';

/** A scratch directory removed by `dispose()`. */
export class FixtureDir {
  readonly path = mkdtempSync(join(tmpdir(), 'voicelive-audio-test-'));

  file(name: string): string {
    return join(this.path, name);
  }

  write(name: string, bytes: Uint8Array): string {
    const path = this.file(name);
    writeFileSync(path, bytes);
    return path;
  }

  read(name: string): Uint8Array {
    return new Uint8Array(readFileSync(this.file(name)));
  }

  /** Runs sox with `args` (paths relative to this directory) and returns the bytes of `outputName`. */
  sox(args: readonly string[], outputName: string): Uint8Array {
    execFileSync(SOX_PATH, args, { cwd: this.path, stdio: ['ignore', 'ignore', 'pipe'] });
    return this.read(outputName);
  }

  /** Runs `sox --i <option> name` (e.g. `-r`, `-c`, `-e`) and returns what it prints, trimmed. */
  soxInfo(option: string, name: string): string {
    return execFileSync(SOX_PATH, ['--i', option, name], { cwd: this.path, encoding: 'utf8' }).trim();
  }

  /** Speaks `text` with espeak-ng into a WAV file and returns its bytes. */
  espeak(text: string, outputName: string): Uint8Array {
    execFileSync(ESPEAK_NG_PATH, ['-w', this.file(outputName), text], { stdio: ['ignore', 'ignore', 'pipe'] });
    return this.read(outputName);
  }

  dispose(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Options selecting a raw 16-bit signed little-endian mono stream for sox. */
export function soxRawPcm16Args(sampleRateHz: number, channels = 1): string[] {
  return ['-t', 'raw', '-r', String(sampleRateHz), '-e', 'signed-integer', '-b', '16', '-c', String(channels), '-L'];
}

/** Little-endian Int16 view copy of raw bytes. */
export function int16FromRaw(bytes: Uint8Array): Int16Array {
  const copy = bytes.slice(0, bytes.byteLength - (bytes.byteLength % 2));
  return new Int16Array(copy.buffer);
}

/** Every 16-bit value from -32768 to 32767 in order. */
export function everyInt16(): Int16Array {
  const values = new Int16Array(65536);
  for (let i = 0; i < values.length; i++) values[i] = i - 32768;
  return values;
}
