import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLITE_VOICES } from '../../src/engines/tts/flite.js';
import { VOICE_MAP, azureVoiceShortName, resolveVoice } from '../../src/engines/tts/voiceMap.js';

const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

function voiceIdOf(result: ReturnType<typeof resolveVoice>): string {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.voiceId;
}

test('every OpenAI voice name maps to a flite voice of the same gender', () => {
  const expected: Record<string, string> = {
    alloy: 'slt',
    ash: 'rms',
    ballad: 'awb',
    coral: 'slt',
    echo: 'rms',
    sage: 'slt',
    shimmer: 'slt',
    verse: 'awb',
    marin: 'slt',
    cedar: 'rms',
  };
  for (const name of OPENAI_VOICES) {
    assert.equal(voiceIdOf(resolveVoice(name)), expected[name], name);
    assert.equal(voiceIdOf(resolveVoice({ type: 'openai', name })), expected[name], name);
  }
  assert.equal(voiceIdOf(resolveVoice('Alloy')), 'slt', 'names are case-insensitive');
});

test('local voice ids pass through', () => {
  for (const id of ['slt', 'rms', 'awb', 'kal16', 'kal']) assert.equal(voiceIdOf(resolveVoice(id)), id);
});

test('the table only targets voices the flite engine has', () => {
  const fliteIds = new Set(FLITE_VOICES.map((voice) => voice.id));
  for (const entry of VOICE_MAP) assert.ok(fliteIds.has(entry.voiceId), `${entry.name} → ${entry.voiceId}`);
  const keys = VOICE_MAP.map((entry) => `${entry.source}:${entry.name.toLowerCase()}`);
  assert.equal(new Set(keys).size, keys.length, 'no duplicate rows');
});

test('Azure standard voice names map by the short name, whatever the locale or HD suffix', () => {
  assert.equal(azureVoiceShortName('en-US-AvaNeural'), 'Ava');
  assert.equal(azureVoiceShortName('en-US-Ava:DragonHDLatestNeural'), 'Ava');
  assert.equal(azureVoiceShortName('en-US-AndrewMultilingualNeural'), 'Andrew');
  assert.equal(azureVoiceShortName('en-US-AlloyTurboMultilingualNeural'), 'Alloy');
  const cases: [string, string][] = [
    ['en-US-AvaNeural', 'slt'],
    ['en-US-JennyNeural', 'slt'],
    ['en-US-EmmaMultilingualNeural', 'slt'],
    ['en-US-AriaNeural', 'slt'],
    ['en-US-Ava:DragonHDLatestNeural', 'slt'],
    ['en-US-AndrewNeural', 'rms'],
    ['en-US-GuyNeural', 'rms'],
    ['en-US-BrianMultilingualNeural', 'rms'],
    ['en-US-DavisNeural', 'rms'],
    ['en-GB-RyanNeural', 'awb'],
    ['en-GB-SoniaNeural', 'slt'],
  ];
  for (const [name, voiceId] of cases) {
    assert.equal(voiceIdOf(resolveVoice({ type: 'azure-standard', name })), voiceId, name);
  }
});

test('Azure realtime-native voices map by gender and default to ava', () => {
  assert.equal(voiceIdOf(resolveVoice({ type: 'azure-realtime-native', name: 'ava' })), 'slt');
  assert.equal(voiceIdOf(resolveVoice({ type: 'azure-realtime-native', name: 'andrew' })), 'rms');
  assert.equal(voiceIdOf(resolveVoice({ type: 'azure-realtime-native', name: 'yunxi' })), 'rms');
  assert.equal(voiceIdOf(resolveVoice({ type: 'azure-realtime-native', name: 'ximena' })), 'slt');
  assert.equal(voiceIdOf(resolveVoice({ type: 'azure-realtime-native' })), 'slt');
});

test('unknown voices fail with a message that lists what is supported', () => {
  const unknownName = resolveVoice('nova');
  assert.equal(unknownName.ok, false);
  assert.ok(!unknownName.ok);
  assert.equal(unknownName.param, 'session.voice');
  for (const name of [...OPENAI_VOICES, 'slt', 'kal16']) assert.match(unknownName.message, new RegExp(`\\b${name}\\b`));

  const unknownAzure = resolveVoice({ type: 'azure-standard', name: 'de-DE-KatjaNeural' });
  assert.ok(!unknownAzure.ok);
  assert.equal(unknownAzure.param, 'session.voice.name');
  assert.match(unknownAzure.message, /Katja/);
  assert.match(unknownAzure.message, /Jenny/);

  const missingName = resolveVoice({ type: 'azure-standard' });
  assert.ok(!missingName.ok);
  assert.match(missingName.message, /missing name/);

  for (const type of ['azure-custom', 'azure-personal', 'avatar-voice-sync']) {
    const result = resolveVoice({ type, name: 'MyVoice', endpoint_id: '00000000-0000-0000-0000-000000000000' });
    assert.ok(!result.ok);
    assert.equal(result.param, 'session.voice.type');
    assert.match(result.message, /not available/);
  }
  const strange = resolveVoice({ type: 'elevenlabs', name: 'x' });
  assert.ok(!strange.ok);
  assert.match(strange.message, /azure-standard/);
});

test('the description says what plays', () => {
  const result = resolveVoice({ type: 'azure-standard', name: 'en-US-GuyNeural', rate: 'fast' });
  assert.ok(result.ok);
  assert.equal(result.description, 'azure-standard "en-US-GuyNeural" → flite rms, US English male at 1.55× speed');
});
