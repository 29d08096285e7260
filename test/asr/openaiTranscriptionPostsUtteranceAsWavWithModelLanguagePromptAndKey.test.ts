/**
 * The transcription engine buffers an utterance and, at end(), posts it as one WAV in a multipart
 * request with the model, language (ISO-639-1 from a BCP-47 tag), the phrase list as `prompt`, the
 * response format and the API key; the server's text becomes the one final event.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { readWav } from '../../src/audio/wav.js';
import { OpenAiTranscriptionAsrEngine } from '../../src/engines/asr/openaiTranscription.js';
import { FakeOpenAiAudioServer } from '../helpers/fakeOpenAiAudioServer.js';
import { collectAsrEvents, writeInChunks } from './transcriptionStreamDriver.js';

const WAV_PATH = '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav';
const skip = existsSync(WAV_PATH) ? false : `${WAV_PATH} is missing (apt-get install pocketsphinx-testdata)`;

let server: FakeOpenAiAudioServer;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
});
after(async () => {
  await server.close();
});

test('a real recording is posted as a WAV with model, language, prompt, format and bearer key; the text is the final', { skip }, async () => {
  const recording = readWav(new Uint8Array(readFileSync(WAV_PATH)));
  assert.equal(recording.sampleRateHz, 16_000);
  server.queueTranscription({ json: { text: ' Sense and sensibility. ', words: [] } });
  const engine = new OpenAiTranscriptionAsrEngine({ baseUrl: server.baseUrl, model: 'whisper-1', apiKey: 'sk-test-1234567890' });
  assert.equal(engine.capabilities.partials, false);
  assert.ok(engine.capabilities.sampleRatesHz.includes(16_000), 'takes the 16 kHz the session writes');

  const stream = engine.createStream({ sampleRateHz: 16_000, language: 'en-US', phrases: ['Voicelive', 'Marianne Dashwood'] });
  const collected = collectAsrEvents(stream);
  writeInChunks(stream, recording.samples, 16_000);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(server.requests.length, 0, 'nothing is sent before end()');
  stream.end();
  const { events, error } = await collected;

  assert.equal(error, undefined);
  assert.deepEqual(events, [{ type: 'final', text: 'Sense and sensibility.', words: [], audioDurationMs: (recording.samples.length * 1000) / 16_000 }]);
  const request = server.requests[0]!;
  assert.equal(request.path, '/v1/audio/transcriptions');
  assert.equal(request.headers.authorization, 'Bearer sk-test-1234567890');
  assert.deepEqual(request.fields.model, ['whisper-1']);
  assert.deepEqual(request.fields.language, ['en'], 'BCP-47 en-US is sent as ISO-639-1 en');
  assert.deepEqual(request.fields.prompt, ['Voicelive, Marianne Dashwood']);
  assert.deepEqual(request.fields.response_format, ['verbose_json']);
  assert.deepEqual(request.fields['timestamp_granularities[]'], ['word']);
  assert.ok(request.file, 'a file part');
  assert.equal(request.file.type, 'audio/wav');
  assert.match(request.file.name, /\.wav$/);
  const posted = readWav(request.file.bytes);
  assert.equal(posted.sampleRateHz, 16_000);
  assert.equal(posted.channels, 1);
  assert.deepEqual(posted.samples, recording.samples, 'the posted WAV holds exactly the audio written');
});

test('without a key no Authorization header is sent; the engine language applies; gpt-4o transcribe models get plain json', async () => {
  server.queueTranscription({ json: { text: 'hola' } });
  const engine = new OpenAiTranscriptionAsrEngine({ baseUrl: server.baseUrl, model: 'gpt-4o-mini-transcribe', language: 'es' });
  assert.equal(engine.capabilities.wordTimings, false);
  const stream = engine.createStream({ sampleRateHz: 24_000 });
  const collected = collectAsrEvents(stream);
  stream.write(new Int16Array(2400).fill(100));
  stream.end();
  const { events, error } = await collected;
  assert.equal(error, undefined);
  assert.deepEqual(events, [{ type: 'final', text: 'hola', words: [], audioDurationMs: 100 }]);
  const request = server.requests.at(-1)!;
  assert.equal(request.headers.authorization, undefined);
  assert.equal(request.headers['api-key'], undefined);
  assert.deepEqual(request.fields.language, ['es']);
  assert.deepEqual(request.fields.response_format, ['json']);
  assert.equal(request.fields['timestamp_granularities[]'], undefined);
  assert.equal(request.fields.prompt, undefined, 'no phrases, no prompt');
  assert.equal(readWav(request.file!.bytes).sampleRateHz, 24_000, 'the WAV carries the stream rate');
});

test('an utterance without audio gives an empty final without a request', async () => {
  const before = server.requests.length;
  const engine = new OpenAiTranscriptionAsrEngine({ baseUrl: server.baseUrl, model: 'whisper-1' });
  const stream = engine.createStream({ sampleRateHz: 16_000 });
  const collected = collectAsrEvents(stream);
  stream.end();
  assert.deepEqual((await collected).events, [{ type: 'final', text: '', words: [], audioDurationMs: 0 }]);
  assert.equal(server.requests.length, before);
  assert.throws(() => engine.createStream({ sampleRateHz: 44_100 }), { name: 'AsrEngineError', code: 'unsupported_sample_rate' } as object);
});
