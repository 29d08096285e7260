/**
 * With `azure`, speech goes to `/openai/deployments/<deployment>/audio/speech?api-version=…` with the
 * key in `api-key`; the body still names the model, voice and format.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiSpeechTtsEngine } from '../../src/engines/tts/openaiSpeech.js';
import { FakeOpenAiAudioServer, pcm16LeBytes, tonePcm16 } from '../helpers/fakeOpenAiAudioServer.js';
import { collectSpeech, neverAborted } from './helpers/collectSpeech.js';

let server: FakeOpenAiAudioServer;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
});
after(async () => {
  await server.close();
});

test('Azure deployment path, api-version and api-key header for speech', async () => {
  const tone = tonePcm16(100, 24_000);
  server.queueSpeech({ pieces: [pcm16LeBytes(tone)] });
  const engine = new OpenAiSpeechTtsEngine({
    baseUrl: server.url,
    model: 'gpt-4o-mini-tts',
    apiKey: 'azure-speech-key',
    azure: { apiVersion: '2025-03-01-preview', deployment: 'tts-deployment' },
  });
  const speech = await collectSpeech(engine.synthesize('Hello Azure.', { voice: 'coral', rate: 1 }, neverAborted()));
  assert.deepEqual(speech.pcm, tone);
  const request = server.requests.at(-1)!;
  assert.equal(request.path, '/openai/deployments/tts-deployment/audio/speech');
  assert.equal(request.query['api-version'], '2025-03-01-preview');
  assert.equal(request.headers['api-key'], 'azure-speech-key');
  assert.equal(request.headers.authorization, undefined);
  assert.deepEqual(request.json, { model: 'gpt-4o-mini-tts', voice: 'coral', input: 'Hello Azure.', response_format: 'pcm' });
  assert.match(engine.description, /Azure OpenAI deployment tts-deployment/);
});
