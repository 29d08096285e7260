/**
 * The agent config: defaults (24 kHz mono both ways, text + audio, 15 s connect limit), refusals of
 * unusable values, and the session.update built from it (overrides first, configured fields, then
 * the PCM16 formats the agent relies on; an overridden input rate is dropped).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveAgentConfig, sessionUpdateFor } from '../../src/agent/index.js';

const base = { endpoint: 'http://localhost:8080', credential: 'key', model: 'gpt-realtime' };

test('defaults', () => {
  const config = resolveAgentConfig(base);
  assert.deepEqual(config.inputAudio, { sampleRateHz: 24_000, channels: 1 });
  assert.deepEqual(config.outputAudio, { sampleRateHz: 24_000, channels: 1 });
  assert.deepEqual(config.modalities, ['text', 'audio']);
  assert.equal(config.connectTimeoutMs, 15_000);
  assert.equal(config.interruptOnUserSpeech, true);
  assert.deepEqual(sessionUpdateFor(config), { modalities: ['text', 'audio'], input_audio_format: 'pcm16', output_audio_format: 'pcm16' });
});

test('unusable values are refused with the field named', () => {
  assert.throws(() => resolveAgentConfig({ ...base, model: undefined }), /model/);
  assert.throws(() => resolveAgentConfig({ ...base, inputAudio: { sampleRateHz: 44_100.5 } }), /inputAudio\.sampleRateHz/);
  assert.throws(() => resolveAgentConfig({ ...base, outputAudio: { channels: 0 } }), /outputAudio\.channels/);
  assert.throws(() => resolveAgentConfig({ ...base, connectTimeoutMs: -1 }), /connectTimeoutMs/);
  assert.throws(() => resolveAgentConfig({ ...base, modalities: [] }), /modalities/);
  assert.throws(() => resolveAgentConfig({ ...base, tools: [{ name: '' }] }), /tool/);
});

test('session.update: overrides, configured fields, then the managed formats', () => {
  const config = resolveAgentConfig({
    ...base,
    instructions: 'Be brief.',
    voice: 'en-US-AvaNeural',
    turnDetection: { type: 'azure_semantic_vad', silence_duration_ms: 300 },
    inputTranscription: { model: 'azure-speech', language: 'en-US' },
    temperature: 0.7,
    modalities: ['text'],
    sessionOverrides: { input_audio_noise_reduction: { type: 'azure_deep_noise_suppression' }, input_audio_sampling_rate: 16_000, output_audio_format: 'g711_ulaw', instructions: 'overridden' },
  });
  assert.deepEqual(sessionUpdateFor(config), {
    input_audio_noise_reduction: { type: 'azure_deep_noise_suppression' },
    instructions: 'Be brief.',
    modalities: ['text'],
    voice: 'en-US-AvaNeural',
    turn_detection: { type: 'azure_semantic_vad', silence_duration_ms: 300 },
    input_audio_transcription: { model: 'azure-speech', language: 'en-US' },
    temperature: 0.7,
    input_audio_format: 'pcm16',
    output_audio_format: 'pcm16',
  });
});
