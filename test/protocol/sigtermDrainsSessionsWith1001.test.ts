import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { RawClient } from '../helpers/rawClient.js';

test('`voicelive serve` prints its address, and SIGTERM closes open sessions with 1001 and exits 0', async () => {
  const child = spawn(process.execPath, ['bin/voicelive.js', 'serve', '--port', '0', '--text-only', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed: ${stdout}`)), 15_000);
    child.stdout.on('data', () => {
      const match = /ws:\/\/127\.0\.0\.1:(\d+)\/voice-live\/realtime/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  assert.match(stdout, /LLM: scripted/);
  assert.match(stdout, /WARNING: no API key configured/);
  const client = await RawClient.connect(`ws://127.0.0.1:${port}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(client.closeInfo?.code, 1001);
});

test('`voicelive serve` refuses a non-loopback host without an API key, with a clear message', async () => {
  const child = spawn(process.execPath, ['bin/voicelive.js', 'serve', '--host', '0.0.0.0', '--port', '0', '--text-only'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VOICELIVE_API_KEY: '', VOICELIVE_API_KEYS: '' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 1);
  assert.match(stderr, /Refusing to listen on 0\.0\.0\.0 without an API key/);
});
