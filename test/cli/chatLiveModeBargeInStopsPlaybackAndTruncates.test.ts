/**
 * Live mode end to end with stand-in `arecord`/`aplay` processes (see fakeAudioTools.ts) against a
 * real voicelive server with its speech engines: a typed request gets a long spoken answer on the
 * speaker; one second into it the microphone speaks, and the CLI kills the player at once, tells
 * the server with `conversation.item.truncate` how much was heard, marks the cut answer
 * `[interrupted]`, prints the spoken turn's transcript and plays its answer on a new player.
 * `q` + Enter quits with exit 0, leaving no recorder or player behind. When the server goes away
 * mid-session, the CLI exits 1 naming the close.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { composeScene, encodeScene, espeakClip, silenceScene } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { startTestServer } from '../helpers/testServer.js';
import { startSpeechServer, speechSkipReason } from '../speech/speechSession.js';
import { startChat } from './chatProcess.js';
import { isAlive, makeFakeAudioTools } from './fakeAudioTools.js';

const API_KEY = 'live-key';
/** The scripted LLM streams a word every 150 ms, so the answer is still being produced when the user interrupts. */
const WORD_DELAY_MS = 150;
const INTERRUPT_AFTER_MS = 1000;
/** Several sentences: the scripted LLM echoes them, and speech starts after the first one. */
const LONG_REQUEST = 'I would like to hear a long answer today. Please keep talking for quite a while. I will interrupt you somewhere in the middle of it. Thank you very much for your patience.';

let server: TestServer;
let dir: string;
let silenceRaw: string;
let interruptionRaw: string;

before(async () => {
  if (speechSkipReason) return;
  dir = mkdtempSync(join(tmpdir(), 'voicelive-live-'));
  // Fixtures first: espeak-ng and sox run synchronously.
  silenceRaw = join(dir, 'silence.raw');
  interruptionRaw = join(dir, 'interruption.raw');
  writeFileSync(silenceRaw, encodeScene(silenceScene(300), 'pcm16', 24_000));
  writeFileSync(interruptionRaw, encodeScene(composeScene([espeakClip('Sorry to interrupt, but I have a question.')], [0, 0]), 'pcm16', 24_000));
  server = await startSpeechServer({ apiKeys: [API_KEY], scriptedWordDelayMs: WORD_DELAY_MS });
});
after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface LogEntry {
  timestamp: string;
  direction: 'sent' | 'received';
  event: Record<string, unknown> & { type: string };
}

/** Waits until `path` exists (a fake tool writes it when it starts). */
async function fileAppears(path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function readLog(path: string): LogEntry[] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as LogEntry);
}

test('live mode: speaking over the answer kills the player and truncates to what was heard; transcripts stream; q quits', { skip: speechSkipReason, timeout: 120_000 }, async () => {
  const tools = makeFakeAudioTools(join(dir, 'barge-in'), silenceRaw, interruptionRaw, INTERRUPT_AFTER_MS);
  const log = join(dir, 'live.log');
  const chat = startChat(['--endpoint', server.httpUrl, '--api-key', API_KEY, '--audio-tool', 'alsa', '--log', log], tools.env);
  try {
    await chat.waitForStderr(/connected to .*microphone: \S+\/arecord -q -t raw -f S16_LE -c 1 -r 24000, speaker: \S+\/aplay /, 30_000);
    chat.child.stdin.write(`${LONG_REQUEST}\n`);
    // The answer is cut short; the spoken turn gets its own answer.
    const printed = await chat.waitForStdout(/^you: (.+)\nassistant: (.+) \[interrupted\]\nyou: (.+)\nassistant: (.+)\n/, 60_000);
    assert.equal(printed[1], LONG_REQUEST);
    assert.ok(`You said: ${LONG_REQUEST}`.startsWith(printed[2]!), `the cut answer is a prefix of the full one: ${printed[2]}`);
    assert.ok(printed[2]!.length < `You said: ${LONG_REQUEST}`.length);
    assert.equal(printed[4], `You said: ${printed[3]}.`, 'the spoken turn is answered');

    const entries = readLog(log);
    const firstResponse = entries.find((e) => e.direction === 'received' && e.event.type === 'response.created')!;
    const firstResponseId = (firstResponse.event.response as { id: string }).id;
    const firstAudio = entries.find((e) => e.event.type === 'response.audio.delta' && e.event.response_id === firstResponseId)!;
    const assistantItemId = firstAudio.event.item_id as string;
    const speechStarts = entries.filter((e) => e.event.type === 'input_audio_buffer.speech_started');
    assert.equal(speechStarts.length, 1, 'one spoken turn');
    const truncate = entries.find((e) => e.direction === 'sent' && e.event.type === 'conversation.item.truncate');
    assert.ok(truncate, 'the CLI sent conversation.item.truncate');
    assert.equal(truncate.event.item_id, assistantItemId, 'for the interrupted answer');
    assert.equal(truncate.event.content_index, 0);
    // Heard: from the first audio to the second speech_started, played in real time.
    const heardEstimateMs = Date.parse(speechStarts[0]!.timestamp) - Date.parse(firstAudio.timestamp);
    const audioEndMs = truncate.event.audio_end_ms as number;
    assert.ok(audioEndMs >= INTERRUPT_AFTER_MS, `audio_end_ms ${audioEndMs} ≥ the ${INTERRUPT_AFTER_MS} ms before the user spoke`);
    assert.ok(Math.abs(audioEndMs - heardEstimateMs) <= 150, `audio_end_ms ${audioEndMs} ≈ ${heardEstimateMs} ms between first audio and speech_started`);
    assert.ok(Date.parse(truncate.timestamp) - Date.parse(speechStarts[0]!.timestamp) <= 50, 'truncated right at speech_started');
    // voicelive cuts the item itself at the speech onset when it cancels; the client's truncate then sets what was really played.
    const truncated = entries.filter((e) => e.direction === 'received' && e.event.type === 'conversation.item.truncated');
    assert.ok(truncated.every((e) => e.event.item_id === assistantItemId));
    assert.equal(truncated.at(-1)?.event.audio_end_ms, audioEndMs, 'the item ends where playback stopped');
    const firstDone = entries.find((e) => e.event.type === 'response.done' && (e.event.response as { id: string }).id === firstResponseId)!;
    assert.equal((firstDone.event.response as { status: string }).status, 'cancelled');

    // Two player processes: the first was killed at the barge-in, the second played the next answer.
    const playerFiles = () => readdirSync(tools.speakerDir).filter((name) => name.startsWith('play-'));
    for (let waitedMs = 0; playerFiles().length < 2 && waitedMs < 10_000; waitedMs += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const players = playerFiles()
      .map((name) => ({ pid: Number(/play-(\d+)\.raw/.exec(name)![1]), bytes: statSync(join(tools.speakerDir, name)).size, bornMs: statSync(join(tools.speakerDir, name)).birthtimeMs }))
      .sort((a, b) => a.bornMs - b.bornMs);
    assert.equal(players.length, 2, `two players: ${JSON.stringify(players)}`);
    assert.equal(isAlive(players[0]!.pid), false, 'the interrupted player was killed');
    assert.ok(players[1]!.bytes > 24_000, 'the second answer went to the new player');

    const micPid = Number(readFileSync(join(tools.speakerDir, 'mic.pid'), 'utf8'));
    assert.equal(isAlive(micPid), true);
    chat.child.stdin.write('q\n');
    const run = await chat.exited;
    assert.equal(run.code, 0, `q quits with exit 0; stderr: ${run.stderr}`);
    assert.equal(isAlive(micPid), false, 'the microphone process is gone');
    assert.equal(isAlive(players[1]!.pid), false, 'the player process is gone');
  } finally {
    chat.child.kill('SIGKILL');
  }
});

test('live mode: the server going away ends the run with exit 1 and the close code', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const textServer = await startTestServer({ apiKeys: [API_KEY] });
  const silent = join(dir, 'silence.raw');
  writeFileSync(silent, encodeScene(silenceScene(500), 'pcm16', 24_000));
  const tools = makeFakeAudioTools(join(dir, 'server-gone'), silent, null);
  const chat = startChat(['--endpoint', textServer.httpUrl, '--api-key', API_KEY, '--audio-tool', 'alsa'], tools.env);
  try {
    await chat.waitForStderr(/connected to /, 30_000);
    await fileAppears(join(tools.speakerDir, 'mic.pid'));
    const micPid = Number(readFileSync(join(tools.speakerDir, 'mic.pid'), 'utf8'));
    await textServer.close();
    const run = await chat.exited;
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^voicelive chat: the connection was closed by the server with code 1001 \(going away\)/);
    assert.equal(isAlive(micPid), false, 'the microphone process is gone');
  } finally {
    chat.child.kill('SIGKILL');
    await textServer.close().catch(() => undefined);
  }
});

test('live mode: Ctrl-C quits cleanly with exit 0 and stops the microphone', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const textServer = await startTestServer({ apiKeys: [API_KEY] });
  const tools = makeFakeAudioTools(join(dir, 'ctrl-c'), silenceRaw, null);
  const chat = startChat(['--endpoint', textServer.httpUrl, '--api-key', API_KEY, '--audio-tool', 'alsa'], tools.env);
  try {
    await chat.waitForStderr(/connected to /, 30_000);
    await fileAppears(join(tools.speakerDir, 'mic.pid'));
    const micPid = Number(readFileSync(join(tools.speakerDir, 'mic.pid'), 'utf8'));
    chat.child.kill('SIGINT');
    const run = await chat.exited;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(isAlive(micPid), false, 'the microphone process is gone');
  } finally {
    chat.child.kill('SIGKILL');
    await textServer.close();
  }
});
