/**
 * An audio turn through the client against voicelive's real engines: a WAV file of a human
 * recording is read and streamed like a microphone (Int16Array chunks at real-time pace), server
 * VAD ends the turn, the transcript matches the recording, and the spoken answer decodes (via the
 * client's audio helpers) to audible speech as long as its transcript needs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readWav, writeWav } from '../../src/audio/wav.js';
import { connect, decodePcm16 } from '../../src/client/index.js';
import type { ServerEvent } from '../../src/client/index.js';
import { wordErrorRate } from '../../src/util/wer.js';
import { composeScene, encodeScene, librivoxClip, measureSpeechMs, rmsDbfs } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { speechSkipReason, startSpeechServer } from '../speech/speechSession.js';

const CHUNK_MS = 100;
const RATE_HZ = 24_000;

let server: TestServer;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'voicelive-client-'));
  if (!speechSkipReason) server = await startSpeechServer();
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a WAV utterance: VAD turn, transcript close to the recording, spoken answer decodes to plausible speech', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  // The input file: a LibriVox sentence between silences, as a 24 kHz mono PCM16 WAV.
  const clip = librivoxClip('sense_and_sensibility_01_austen_64kb-0880');
  const scene = composeScene([clip], [800, 1500]);
  const wavPath = join(dir, 'question.wav');
  const wireBytes = encodeScene(scene, 'pcm16', RATE_HZ);
  writeFileSync(wavPath, writeWav({ sampleRateHz: RATE_HZ, channels: 1, samples: new Int16Array(wireBytes.buffer, wireBytes.byteOffset, wireBytes.byteLength / 2) }));

  await using connection = await connect({ endpoint: server.httpUrl, credential: 'any', model: 'gpt-4o' });
  const updated = connection.waitFor('session.updated');
  connection.session.update({
    session: {
      turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
      input_audio_transcription: { model: 'whisper-1' },
    },
  });
  assert.equal((await updated).session.input_audio_format, 'pcm16');

  const wav = readWav(readFileSync(wavPath));
  assert.equal(wav.sampleRateHz, RATE_HZ);
  assert.equal(wav.channels, 1);
  const chunkSamples = (RATE_HZ * CHUNK_MS) / 1000;
  const streaming = (async () => {
    const startedAt = performance.now();
    for (let offset = 0, index = 0; offset < wav.samples.length; offset += chunkSamples, index++) {
      const due = startedAt + (index + 1) * CHUNK_MS;
      await sleep(Math.max(0, due - performance.now()));
      if (!connection.isOpen) return;
      connection.input_audio_buffer.append(wav.samples.subarray(offset, offset + chunkSamples));
    }
  })();

  const events: ServerEvent[] = [];
  const audio: Int16Array[] = [];
  for await (const event of connection) {
    events.push(event);
    if (event.type === 'response.audio.delta') audio.push(decodePcm16(event));
    if (event.type === 'response.done') break;
  }
  await streaming;

  const first = <T extends ServerEvent['type']>(type: T) => events.find((e): e is Extract<ServerEvent, { type: T }> => e.type === type);
  const started = first('input_audio_buffer.speech_started');
  const stopped = first('input_audio_buffer.speech_stopped');
  const transcription = first('conversation.item.input_audio_transcription.completed');
  const done = first('response.done');
  assert.ok(started && stopped && transcription && done, `turn events: ${events.map((e) => e.type).join(', ')}`);
  assert.equal(stopped.item_id, started.item_id);
  assert.equal(transcription.item_id, started.item_id);
  assert.ok(Math.abs(started.audio_start_ms - (scene.speech[0]!.startMs - 300)) <= 200, `speech_started at ${started.audio_start_ms} ms`);
  assert.ok(Math.abs(stopped.audio_end_ms - scene.speech[0]!.endMs) <= 200, `speech_stopped at ${stopped.audio_end_ms} ms`);
  const wer = wordErrorRate(clip.text, transcription.transcript);
  console.log(`client audio turn: "${transcription.transcript}" vs "${clip.text}": WER ${(wer.wer * 100).toFixed(1)} %`);
  assert.ok(wer.wer <= 0.6, `WER ${(wer.wer * 100).toFixed(1)} %`);

  assert.equal(done.response.status, 'completed');
  const answer = done.response.output[0]!;
  const part = answer.type === 'message' ? answer.content[0] : undefined;
  assert.ok(part?.type === 'audio', 'the answer is an audio message');
  const spoken = part.transcript;
  assert.equal(spoken, `You said: ${transcription.transcript}.`);
  const pcm = new Int16Array(audio.reduce((n, chunk) => n + chunk.length, 0));
  audio.reduce((offset, chunk) => (pcm.set(chunk, offset), offset + chunk.length), 0);
  const durationMs = (pcm.length * 1000) / RATE_HZ;
  const speechMs = measureSpeechMs(pcm, RATE_HZ);
  const level = rmsDbfs(pcm);
  console.log(`client audio turn answer: ${audio.length} deltas, ${durationMs.toFixed(0)} ms, speech ${speechMs.toFixed(0)} ms, ${level.toFixed(1)} dBFS for ${spoken.length} chars`);
  assert.ok(audio.length >= 5, 'the answer streams in several deltas');
  assert.ok(level > -35, 'audible');
  assert.ok(speechMs > 0.6 * durationMs, 'mostly sound');
  assert.ok(durationMs / spoken.length >= 35 && durationMs / spoken.length <= 110, 'as long as the text needs');
  assert.ok(!events.some((e) => e.type === 'error'), 'no errors');
});
