/**
 * Microphone/speaker tool detection searches PATH for executables only: PulseAudio's parec/pacat
 * first, then ALSA's arecord/aplay, then SoX's rec/play; a recorder and a player may come from
 * different tools; `--audio-tool` restricts the search; every command asks for raw s16le mono
 * at the session rate; and a machine without tools gets install instructions.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, test } from 'node:test';
import { detectAudioDevices, findExecutable, missingDeviceMessage } from '../../src/cli/chat/audioDevices.js';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'voicelive-devices-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A directory holding fake tools (`name` → executable or not). */
function binDir(name: string, tools: Record<string, boolean>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [tool, executable] of Object.entries(tools)) {
    const path = join(dir, tool);
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    chmodSync(path, executable ? 0o755 : 0o644);
  }
  return dir;
}

test('ALSA tools are found and asked for raw S16_LE mono at the session rate', () => {
  const dir = binDir('alsa', { arecord: true, aplay: true });
  const devices = detectAudioDevices({ pathEnv: dir, sampleRateHz: 24_000 });
  assert.equal(devices.recorder?.program, join(dir, 'arecord'));
  assert.equal(devices.player?.program, join(dir, 'aplay'));
  assert.equal(devices.recorder?.backend, 'alsa');
  for (const args of [devices.recorder!.args, devices.player!.args]) {
    assert.deepEqual(args.slice(0, 9), ['-q', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', '24000']);
  }
});

test('PulseAudio is preferred over ALSA and SoX when all are in PATH, whatever the PATH order', () => {
  const alsa = binDir('alsa2', { arecord: true, aplay: true });
  const sox = binDir('sox2', { rec: true, play: true });
  const pulse = binDir('pulse2', { parec: true, pacat: true });
  const devices = detectAudioDevices({ pathEnv: [sox, alsa, pulse].join(delimiter), sampleRateHz: 24_000 });
  assert.equal(devices.recorder?.program, join(pulse, 'parec'));
  assert.equal(devices.player?.program, join(pulse, 'pacat'));
  assert.deepEqual(devices.recorder?.args.slice(0, 4), ['--raw', '--format=s16le', '--channels=1', '--rate=24000']);
  assert.ok(devices.player?.args.includes('--playback'));
});

test('--audio-tool picks one family even when a preferred one is present', () => {
  const alsa = binDir('alsa3', { arecord: true, aplay: true });
  const sox = binDir('sox3', { rec: true, play: true });
  const devices = detectAudioDevices({ pathEnv: [alsa, sox].join(delimiter), backend: 'sox', sampleRateHz: 24_000 });
  assert.equal(devices.recorder?.program, join(sox, 'rec'));
  assert.deepEqual(devices.recorder?.args, ['-q', '-t', 'raw', '-r', '24000', '-e', 'signed-integer', '-b', '16', '-c', '1', '-L', '-']);
  assert.equal(devices.player?.program, join(sox, 'play'));
  assert.deepEqual(detectAudioDevices({ pathEnv: alsa, backend: 'pulse', sampleRateHz: 24_000 }), { recorder: null, player: null });
});

test('a recorder and a player may come from different families; non-executable files and directories do not count', () => {
  const dir = binDir('mixed', { arecord: false, rec: true, aplay: true, parec: false });
  mkdirSync(join(dir, 'pacat'));
  const devices = detectAudioDevices({ pathEnv: `${join(root, 'missing')}${delimiter}${delimiter}${dir}`, sampleRateHz: 16_000 });
  assert.equal(devices.recorder?.program, join(dir, 'rec'));
  assert.equal(devices.recorder?.backend, 'sox');
  assert.ok(devices.recorder?.args.includes('16000'));
  assert.equal(devices.player?.program, join(dir, 'aplay'));
  assert.equal(findExecutable('arecord', dir), null, 'not executable');
  assert.equal(findExecutable('pacat', dir), null, 'a directory');
});

test('nothing in PATH: no devices, and the message says what to install', () => {
  const devices = detectAudioDevices({ pathEnv: binDir('empty', {}), sampleRateHz: 24_000 });
  assert.deepEqual(devices, { recorder: null, player: null });
  assert.deepEqual(detectAudioDevices({ pathEnv: '', sampleRateHz: 24_000 }), { recorder: null, player: null });
  const message = missingDeviceMessage({ recorder: true, player: true });
  assert.match(message, /^no microphone recorder \(parec, arecord or rec\) and no speaker player \(pacat, aplay or play\) found in PATH/);
  assert.match(message, /apt-get install alsa-utils/);
  assert.match(message, /apt-get install sox/);
  assert.match(message, /pulseaudio-utils/);
  assert.match(missingDeviceMessage({ recorder: false, player: true }, 'alsa'), /^no speaker player \(aplay\) found/);
});
