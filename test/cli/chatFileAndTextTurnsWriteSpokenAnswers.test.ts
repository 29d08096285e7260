/**
 * `voicelive chat` end to end against a real voicelive server with its speech engines (Silero VAD,
 * pocketsphinx, flite), the CLI running as a child process:
 * - `--input in.wav --output out.wav` with a 44.1 kHz stereo espeak-ng recording prints both
 *   transcripts, writes a valid 24 kHz mono WAV of the spoken answer and exits 0;
 * - `--log` records every event sent and received with ISO timestamps and abbreviated audio;
 * - `--text "…" --output out.wav` holds a typed turn and writes its spoken answer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readWav, writeWav } from '../../src/audio/wav.js';
import { composeScene, espeakClip, measureSpeechMs, rmsDbfs, SCENE_RATE_HZ } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { startSpeechServer, speechSkipReason } from '../speech/speechSession.js';
import { runChat } from './chatProcess.js';

const API_KEY = 'chat-test-key';
let server: TestServer;
let dir: string;
let inputWav: string;
/** Duration of the speech in the input file. */
let inputSpeechMs = 0;

/** The scene (16 kHz mono) as a 44.1 kHz stereo WAV: the CLI must downmix and resample it. */
function writeStereo44kWav(path: string, pcm16k: Int16Array): void {
  const frames = Math.round((pcm16k.length * 44_100) / SCENE_RATE_HZ);
  const stereo = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    // Nearest-sample upsampling is enough for a fixture; the left channel is louder than the right.
    const sample = pcm16k[Math.min(pcm16k.length - 1, Math.floor((i * SCENE_RATE_HZ) / 44_100))] ?? 0;
    stereo[2 * i] = sample;
    stereo[2 * i + 1] = Math.round(sample / 2);
  }
  writeFileSync(path, writeWav({ sampleRateHz: 44_100, channels: 2, samples: stereo }));
}

before(async () => {
  if (speechSkipReason) return;
  dir = mkdtempSync(join(tmpdir(), 'voicelive-chat-'));
  // Fixtures first: espeak-ng and sox run synchronously.
  const scene = composeScene([espeakClip('What is the weather like in Paris today?')], [400, 300]);
  inputSpeechMs = scene.speech[0]!.endMs - scene.speech[0]!.startMs;
  inputWav = join(dir, 'question.wav');
  writeStereo44kWav(inputWav, scene.pcm);
  server = await startSpeechServer({ apiKeys: [API_KEY] });
});
after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Checks an answer WAV: PCM16 mono 24 kHz, longer than 0.5 s, audible speech most of the time. */
function assertSpokenAnswer(path: string): { durationMs: number } {
  const wav = readWav(readFileSync(path));
  assert.equal(wav.sampleRateHz, 24_000);
  assert.equal(wav.channels, 1);
  assert.equal(wav.sourceEncoding, 'pcm');
  assert.equal(wav.sourceBitsPerSample, 16);
  const durationMs = (wav.samples.length * 1000) / wav.sampleRateHz;
  assert.ok(durationMs > 500, `answer lasts ${durationMs} ms`);
  assert.ok(rmsDbfs(wav.samples) > -35, `answer is audible: ${rmsDbfs(wav.samples).toFixed(1)} dBFS`);
  assert.ok(measureSpeechMs(wav.samples, wav.sampleRateHz) > 0.6 * durationMs, 'answer is mostly sound');
  return { durationMs };
}

test('`chat --input in.wav --output out.wav` prints both transcripts, writes the spoken answer as WAV and exits 0', { skip: speechSkipReason, timeout: 90_000 }, async () => {
  const output = join(dir, 'answer.wav');
  const log = join(dir, 'chat.log');
  const run = await runChat(['--endpoint', server.httpUrl, '--api-key', API_KEY, '--input', inputWav, '--output', output, '--log', log]);
  assert.equal(run.code, 0, `exit 0; stderr: ${run.stderr}`);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2, `two transcript lines: ${JSON.stringify(run.stdout)}`);
  const [you, assistant] = lines as [string, string];
  assert.match(you, /^you: \S.*$/);
  const heard = you.slice('you: '.length);
  // The scripted LLM echoes a statement: the answer quotes what was transcribed.
  assert.match(assistant, /^assistant: \S.*$/);
  assert.ok(assistant.toLowerCase().includes(heard.toLowerCase().split(' ')[0]!), `the answer refers to the question: ${assistant}`);
  const { durationMs } = assertSpokenAnswer(output);
  // flite speaks about 60 ms per character.
  const answerChars = assistant.length - 'assistant: '.length;
  assert.ok(durationMs / answerChars > 35 && durationMs / answerChars < 110, `${durationMs} ms for ${answerChars} characters`);
  assert.ok(inputSpeechMs > 1000);

  // --log: one JSON object per line, every event in both directions, audio abbreviated.
  const entries = readFileSync(log, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { timestamp: string; direction: string; event: Record<string, unknown> & { type: string } });
  assert.equal(entries[0]?.event.type, 'session.created', 'the log starts with session.created');
  for (const entry of entries) {
    assert.match(entry.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(entry.direction === 'sent' || entry.direction === 'received');
  }
  const sentTypes = new Set(entries.filter((e) => e.direction === 'sent').map((e) => e.event.type));
  const receivedTypes = new Set(entries.filter((e) => e.direction === 'received').map((e) => e.event.type));
  assert.deepEqual([...sentTypes].sort(), ['input_audio_buffer.append', 'session.update']);
  for (const type of ['session.updated', 'input_audio_buffer.speech_started', 'input_audio_buffer.committed', 'conversation.item.input_audio_transcription.completed', 'response.audio.delta', 'response.done']) {
    assert.ok(receivedTypes.has(type), `received ${type} is logged`);
  }
  const appends = entries.filter((e) => e.event.type === 'input_audio_buffer.append');
  assert.ok(appends.every((e) => /^<base64 \d+ bytes>$/.test(String(e.event.audio))), 'appended audio is abbreviated');
  assert.equal(appends[0]?.event.audio, '<base64 4800 bytes>', '100 ms of 24 kHz PCM16 per append');
  const deltas = entries.filter((e) => e.event.type === 'response.audio.delta');
  assert.ok(deltas.every((e) => /^<base64 \d+ bytes>$/.test(String(e.event.delta))), 'answer audio is abbreviated');
  const loggedAnswerBytes = deltas.reduce((n, e) => n + Number(/(\d+) bytes/.exec(String(e.event.delta))?.[1]), 0);
  assert.equal(loggedAnswerBytes, Math.round((durationMs * 48_000) / 1000), 'the logged sizes add up to the written answer');
  const times = entries.map((e) => Date.parse(e.timestamp));
  assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]!), 'timestamps never go back');
  assert.equal(new Set(entries.map((e) => e.event.event_id)).size, entries.length, 'no event is logged twice');
});

test('`chat --text "…" --output out.wav` holds a typed turn and writes its spoken answer', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const output = join(dir, 'text-answer.wav');
  const run = await runChat(['--endpoint', server.httpUrl, '--api-key', API_KEY, '--text', 'Hello there!', '--output', output]);
  assert.equal(run.code, 0, `exit 0; stderr: ${run.stderr}`);
  const lines = run.stdout.trimEnd().split('\n');
  assert.deepEqual(lines[0], 'you: Hello there!');
  assert.match(lines[1] ?? '', /^assistant: Hello!/, 'the scripted LLM greets back');
  assert.equal(lines.length, 2);
  assertSpokenAnswer(output);
});

test('`chat --text "…" --no-audio` prints a text answer without touching audio devices', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  // An empty PATH: no player could be found, and none is needed.
  const run = await runChat(['--endpoint', server.httpUrl, '--api-key', API_KEY, '--text', 'Hello there!', '--no-audio'], { env: { PATH: '' } });
  assert.equal(run.code, 0, `exit 0; stderr: ${run.stderr}`);
  assert.match(run.stdout, /^you: Hello there!\nassistant: Hello!.*\n$/);
  assert.equal(run.stderr, '');
});

test('`chat --input` with a silent WAV fails with "no speech detected"', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const silent = join(dir, 'silent.wav');
  writeFileSync(silent, writeWav({ sampleRateHz: 16_000, channels: 1, samples: new Int16Array(16_000) }));
  const run = await runChat(['--endpoint', server.httpUrl, '--api-key', API_KEY, '--input', silent, '--output', join(dir, 'silent-answer.wav')]);
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^voicelive chat: no speech detected in .*silent\.wav: the server's VAD found no turn within 5 s of the end of the audio/);
});
