import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveServerConfig } from '../../src/config/serverConfig.js';
import { createEngineCatalog } from '../../src/engines/registry.js';

const kokoro = { type: 'openai' as const, baseUrl: 'http://127.0.0.1:9/v1', model: 'kokoro', voices: ['af_heart', 'am_adam'] };
const whisper = { type: 'openai' as const, baseUrl: 'http://127.0.0.1:9/v1', model: 'whisper-1' };

test('a TTS endpoint profile whose default voice the server does not offer stops the start, naming the fix', async () => {
  const config = resolveServerConfig({ port: 0, logLevel: 'silent', tts: kokoro, asr: whisper });
  await assert.rejects(createEngineCatalog(config, { speech: true }), (error: Error) => {
    assert.match(error.message, /model voicelive-default: default voice "alloy"/);
    assert.match(error.message, /af_heart/);
    assert.match(error.message, /VOICELIVE_DEFAULT_VOICE/);
    return true;
  });
});

test('with a voice it offers, the profile uses the endpoint engines (no local ASR/TTS loaded)', async () => {
  const config = resolveServerConfig({ port: 0, logLevel: 'silent', tts: kokoro, asr: whisper, defaultVoice: 'af_heart' });
  const catalog = await createEngineCatalog(config, { speech: true });
  try {
    const engines = catalog.defaultProfile.engines;
    assert.deepEqual(engines.unavailable, {});
    assert.match(engines.tts!.description, /127\.0\.0\.1:9/);
    assert.match(engines.asr!.description, /127\.0\.0\.1:9/);
    assert.deepEqual(engines.tts!.voices().map((v) => v.id), ['af_heart', 'am_adam']);
  } finally {
    await catalog.close();
  }
});
