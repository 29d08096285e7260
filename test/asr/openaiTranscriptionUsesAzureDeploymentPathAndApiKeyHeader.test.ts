/**
 * With `azure`, the transcription goes to `/openai/deployments/<deployment>/audio/transcriptions`
 * with `?api-version=` and the key in the `api-key` header (no bearer token); the deployment
 * defaults to the model name.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiTranscriptionAsrEngine } from '../../src/engines/asr/openaiTranscription.js';
import { FakeOpenAiAudioServer } from '../helpers/fakeOpenAiAudioServer.js';
import { collectAsrEvents } from './transcriptionStreamDriver.js';

let server: FakeOpenAiAudioServer;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
});
after(async () => {
  await server.close();
});

async function transcribeOnce(engine: OpenAiTranscriptionAsrEngine): Promise<string> {
  const stream = engine.createStream({ sampleRateHz: 16_000, language: 'de-DE' });
  const collected = collectAsrEvents(stream);
  stream.write(new Int16Array(3200));
  stream.end();
  const { events, error } = await collected;
  assert.equal(error, undefined);
  return events[0]?.type === 'final' ? events[0].text : '';
}

test('Azure deployment path, api-version query and api-key header', async () => {
  server.queueTranscription({ json: { text: 'Guten Tag' } });
  const engine = new OpenAiTranscriptionAsrEngine({
    baseUrl: server.url,
    model: 'whisper',
    apiKey: 'azure-key-abcdef',
    azure: { apiVersion: '2024-10-21', deployment: 'my-whisper' },
  });
  assert.equal(await transcribeOnce(engine), 'Guten Tag');
  const request = server.requests.at(-1)!;
  assert.equal(request.path, '/openai/deployments/my-whisper/audio/transcriptions');
  assert.equal(request.deployment, 'my-whisper');
  assert.equal(request.query['api-version'], '2024-10-21');
  assert.equal(request.headers['api-key'], 'azure-key-abcdef');
  assert.equal(request.headers.authorization, undefined);
  assert.deepEqual(request.fields.language, ['de']);
  assert.match(engine.description, /Azure OpenAI deployment my-whisper/);
});

test('the deployment defaults to the model; a base URL already ending in /openai is kept', async () => {
  server.queueTranscription({ json: { text: 'ok' } });
  const engine = new OpenAiTranscriptionAsrEngine({ baseUrl: `${server.url}/openai/`, model: 'whisper-dep', apiKey: 'k-123456', azure: { apiVersion: '2025-03-01-preview' } });
  assert.equal(await transcribeOnce(engine), 'ok');
  const request = server.requests.at(-1)!;
  assert.equal(request.path, '/openai/deployments/whisper-dep/audio/transcriptions');
  assert.equal(request.query['api-version'], '2025-03-01-preview');
});
