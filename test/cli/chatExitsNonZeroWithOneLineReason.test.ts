/**
 * `voicelive chat` fails with exit status 1 and one clear `voicelive chat: …` line on stderr, and
 * writes nothing to stdout or to `--output`, when: the key is wrong (HTTP 401), no key is given to
 * a server that needs one, no server listens at the endpoint, the input file is not a WAV, the
 * options contradict each other, no microphone/speaker tool is installed (live mode), or the
 * microphone tool fails (live mode; a fake `arecord` that fails like ALSA without a sound card).
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeWav } from '../../src/audio/wav.js';
import type { TestServer } from '../helpers/testServer.js';
import { startTestServer } from '../helpers/testServer.js';
import type { ChatRun } from './chatProcess.js';
import { runChat, startChat } from './chatProcess.js';

let server: TestServer;
let dir: string;
let inputWav: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'voicelive-chat-fail-'));
  inputWav = join(dir, 'in.wav');
  writeFileSync(inputWav, writeWav({ sampleRateHz: 16_000, channels: 1, samples: new Int16Array(16_000) }));
  server = await startTestServer({ apiKeys: ['right-key'] });
});
after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Exit 1, nothing on stdout, exactly one stderr line matching `reason`. */
function assertFailedWith(run: ChatRun, reason: RegExp): void {
  assert.equal(run.code, 1, `exit 1; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${run.stderr}`);
  assert.match(lines[0]!, /^voicelive chat: /);
  assert.match(lines[0]!, reason);
}

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

test('a wrong API key: "authentication failed: check --api-key …", exit 1, no output file', async () => {
  const output = join(dir, 'wrong-key.wav');
  const run = await runChat(['--endpoint', server.httpUrl, '--api-key', 'wrong-key', '--input', inputWav, '--output', output]);
  assertFailedWith(run, /^voicelive chat: authentication failed: check --api-key .*HTTP 401/);
  assert.equal(existsSync(output), false);
});

test('no API key for a server that needs one: says that none was given and where to put it', async () => {
  const run = await runChat(['--endpoint', server.httpUrl, '--text', 'hi', '--no-audio']);
  assertFailedWith(run, /authentication failed: no API key was given; pass --api-key \(or VOICELIVE_API_KEY \/ AZURE_VOICELIVE_API_KEY\)/);
});

test('the key from VOICELIVE_API_KEY is used when --api-key is absent', async () => {
  const run = await runChat(['--endpoint', server.httpUrl, '--text', 'hi', '--no-audio'], { env: { VOICELIVE_API_KEY: 'right-key' } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^you: hi\nassistant: .+\n$/);
});

test('no server at the endpoint: "cannot connect to <endpoint>" with a hint, exit 1', async () => {
  const endpoint = `http://127.0.0.1:${await closedPort()}`;
  const run = await runChat(['--endpoint', endpoint, '--api-key', 'k', '--input', inputWav, '--output', join(dir, 'none.wav')]);
  assertFailedWith(run, new RegExp(`^voicelive chat: cannot connect to ${endpoint.replace(/\./g, '\\.')}: .*ECONNREFUSED.*is the server running\\?`));
});

test('an input that is not a WAV file fails before connecting', async () => {
  const notWav = join(dir, 'not.wav');
  writeFileSync(notWav, 'hello');
  const run = await runChat(['--endpoint', 'http://127.0.0.1:1', '--input', notWav, '--output', join(dir, 'x.wav')]);
  assertFailedWith(run, /--input .*not\.wav is not a usable WAV file: not a WAV file/);
  const missing = await runChat(['--endpoint', 'http://127.0.0.1:1', '--input', join(dir, 'missing.wav')]);
  assertFailedWith(missing, /cannot read --input .*missing\.wav: ENOENT/);
});

test('contradictory options are refused before connecting', async () => {
  assertFailedWith(await runChat(['--output', join(dir, 'x.wav')]), /--output needs --input <wav> or --text/);
  assertFailedWith(await runChat(['--input', inputWav, '--text', 'hi']), /use either --input or --text, not both/);
  assertFailedWith(await runChat(['--text', 'hi', '--output', join(dir, 'x.wav'), '--no-audio']), /cannot be used with --no-audio/);
  assertFailedWith(await runChat(['--audio-tool', 'oss']), /--audio-tool must be one of pulse, alsa, sox/);
  assertFailedWith(await runChat(['--text', 'hi', '--timeout', '-3']), /--timeout must be a positive number of seconds/);
});

test('live mode without any audio tool in PATH explains what to install', async () => {
  const run = await runChat(['--endpoint', server.httpUrl, '--api-key', 'right-key'], { env: { PATH: join(dir, 'empty-bin') } });
  assertFailedWith(run, /no microphone recorder \(parec, arecord or rec\) and no speaker player \(pacat, aplay or play\) found in PATH; install one of: `sudo apt-get install alsa-utils`.*sox/);
});

test('live mode with a microphone tool that fails: names the tool and repeats its error', async () => {
  const bin = join(dir, 'failing-bin');
  mkdirSync(bin);
  for (const name of ['arecord', 'aplay']) {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\necho "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default" >&2\necho "${name}: main:831: audio open error: No such file or directory" >&2\nexit 1\n`);
    chmodSync(path, 0o755);
  }
  const run = await runChat(['--endpoint', server.httpUrl, '--api-key', 'right-key', '--audio-tool', 'alsa'], { env: { PATH: `${bin}:/usr/bin:/bin` } });
  assert.equal(run.code, 1, run.stderr);
  const last = run.stderr.trimEnd().split('\n').at(-1) ?? '';
  assert.match(last, /^voicelive chat: microphone failed: `.*\/arecord .*-r 24000.*` exited with code 1: arecord: main:831: audio open error: No such file or directory/);
});

test('session settings the server refuses (an unknown voice) end the run with the server\'s reason', async () => {
  const run = await runChat(['--endpoint', server.httpUrl, '--api-key', 'right-key', '--voice', 'darth-vader', '--text', 'hi', '--no-audio']);
  assertFailedWith(run, /^voicelive chat: the server refused the session settings: .*darth-vader/);
});

test('no reply within --timeout: says what was still awaited', async () => {
  // This server has no VAD, so the turn never ends.
  const run = await runChat(['--endpoint', server.httpUrl, '--api-key', 'right-key', '--input', inputWav, '--output', join(dir, 'late.wav'), '--timeout', '1']);
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^voicelive chat: no complete reply within 1 s \(still waiting for the server to detect speech\); raise --timeout or check the server$/);
  assert.equal(existsSync(join(dir, 'late.wav')), false);
});

test('Ctrl-C during a file turn exits 130', async () => {
  const chat = startChat(['--endpoint', server.httpUrl, '--api-key', 'right-key', '--input', inputWav]);
  await chat.waitForStderr(/server warning: Server VAD is unavailable/, 15_000);
  chat.child.kill('SIGINT');
  const run = await chat.exited;
  assert.equal(run.code, 130);
  assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^voicelive chat: interrupted$/);
});
