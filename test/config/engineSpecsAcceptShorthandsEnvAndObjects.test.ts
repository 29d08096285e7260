import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointApiKey } from '../../src/config/engineSpecs.js';
import { configFromEnv, resolveServerConfig } from '../../src/config/serverConfig.js';

test('engine shorthands become spec objects and the defaults are the embedded engines', () => {
  const defaults = resolveServerConfig({});
  assert.deepEqual(defaults.llm, { type: 'scripted' });
  assert.deepEqual(defaults.asr, { type: 'pocketsphinx' });
  assert.deepEqual(defaults.tts, { type: 'flite' });
  const gguf = resolveServerConfig({ llm: 'gguf:./models/tiny.gguf' });
  assert.deepEqual(gguf.llm, { type: 'gguf', modelPath: './models/tiny.gguf' });
});

test('VOICELIVE_LLM_URL + VOICELIVE_LLM_MODEL is enough for an OpenAI-compatible endpoint', () => {
  const config = resolveServerConfig(
    configFromEnv({ VOICELIVE_LLM_URL: 'http://localhost:11434/v1', VOICELIVE_LLM_MODEL: 'llama3.2', VOICELIVE_LLM_API_KEY: 'sk-test' }),
  );
  assert.deepEqual(config.llm, { type: 'openai', baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', apiKey: 'sk-test' });
  const azure = resolveServerConfig(
    configFromEnv({ VOICELIVE_LLM_URL: 'https://res.openai.azure.com', VOICELIVE_LLM_MODEL: 'gpt-4o-mini', VOICELIVE_LLM_API_VERSION: '2024-10-21' }),
  );
  assert.equal(azure.llm.type === 'openai' && azure.llm.azureApiVersion, '2024-10-21');
  const speech = resolveServerConfig(
    configFromEnv({
      VOICELIVE_ASR_URL: 'http://localhost:8000/v1',
      VOICELIVE_ASR_MODEL: 'Systran/faster-whisper-small',
      VOICELIVE_ASR_LANGUAGE: 'en',
      VOICELIVE_TTS_URL: 'http://localhost:8880/v1',
      VOICELIVE_TTS_MODEL: 'kokoro',
      VOICELIVE_TTS_VOICES: 'af_heart, am_adam',
    }),
  );
  assert.deepEqual(speech.asr, { type: 'openai', baseUrl: 'http://localhost:8000/v1', model: 'Systran/faster-whisper-small', language: 'en' });
  assert.deepEqual(speech.tts, { type: 'openai', baseUrl: 'http://localhost:8880/v1', model: 'kokoro', voices: ['af_heart', 'am_adam'] });
});

test('half an endpoint pair, or both forms at once, is refused naming the variables', () => {
  assert.throws(() => configFromEnv({ VOICELIVE_LLM_URL: 'http://localhost:11434/v1' }), /VOICELIVE_LLM_URL and VOICELIVE_LLM_MODEL must be set together/);
  assert.throws(() => configFromEnv({ VOICELIVE_TTS_MODEL: 'kokoro' }), /VOICELIVE_TTS_URL and VOICELIVE_TTS_MODEL/);
  assert.throws(
    () => configFromEnv({ VOICELIVE_LLM: 'scripted', VOICELIVE_LLM_URL: 'http://x/v1', VOICELIVE_LLM_MODEL: 'm' }),
    /either VOICELIVE_LLM or VOICELIVE_LLM_URL/,
  );
});

test('invalid engine settings fail with the setting named and the accepted forms', () => {
  assert.throws(() => resolveServerConfig({ llm: 'llama' as never }), (error: Error) => {
    assert.match(error.message, /llm: expected 'scripted', 'gguf:<path to \.gguf>'/);
    return true;
  });
  assert.throws(() => resolveServerConfig({ llm: { type: 'openai', baseUrl: 'localhost:11434', model: 'x' } }), /llm\.baseUrl: must be an http\(s\) URL/);
  assert.throws(() => resolveServerConfig({ asr: 'whisper' as never }), /asr: expected 'pocketsphinx'/);
  assert.throws(() => resolveServerConfig({ models: { fast: { llm: 'scripted', colour: 'red' } as never } }), /models\.fast/);
  assert.throws(() => resolveServerConfig({ unknownModel: 'maybe' as never }), /unknownModel/);
});

test('an API key can come from a named environment variable, and a missing one is named', () => {
  assert.equal(endpointApiKey({ apiKeyEnv: 'MY_KEY' }, { MY_KEY: 'secret-1' }), 'secret-1');
  assert.equal(endpointApiKey({ apiKey: 'inline', apiKeyEnv: 'MY_KEY' }, {}), 'inline');
  assert.equal(endpointApiKey({}, {}), undefined);
  assert.throws(() => endpointApiKey({ apiKeyEnv: 'MY_KEY' }, {}), /MY_KEY \(apiKeyEnv\) is not set/);
});
