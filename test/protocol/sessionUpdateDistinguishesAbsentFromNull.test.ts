import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RawClient } from '../helpers/rawClient.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

type Session = Record<string, unknown> & { turn_detection: Record<string, unknown> | null };

async function update(client: RawClient, session: Record<string, unknown>): Promise<Session> {
  const next = client.next('session.updated');
  client.send({ type: 'session.update', session });
  return (await next).session as Session;
}

test('session.created comes first with a non-empty id and every default filled in', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?api-version=2026-07-15&model=gpt-4o`);
  const first = await client.waitFor(() => true);
  assert.equal(first.type, 'session.created');
  assert.match(first.event_id as string, /^event_/);
  const s = first.session as Session;
  assert.match(s.id as string, /^sess_.{10,}/);
  assert.equal(s.object, 'realtime.session');
  assert.equal(s.model, 'gpt-4o');
  assert.deepEqual(s.modalities, ['text', 'audio']);
  assert.equal(s.input_audio_format, 'pcm16');
  assert.equal(s.output_audio_format, 'pcm16');
  assert.equal(s.input_audio_sampling_rate, 24000);
  assert.deepEqual(s.turn_detection, {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 400,
    silence_duration_ms: 500,
    speech_duration_ms: 200,
    create_response: true,
    interrupt_response: true,
    auto_truncate: false,
  });
  for (const key of ['input_audio_noise_reduction', 'input_audio_echo_cancellation', 'input_audio_transcription']) assert.equal(s[key], null, key);
  assert.deepEqual(s.tools, []);
  assert.equal(s.tool_choice, 'auto');
  assert.equal(s.temperature, 0.8);
  assert.equal(s.max_response_output_tokens, 'inf');
  assert.ok(typeof s.expires_at === 'number' && (s.expires_at as number) > Date.now() / 1000);
  await client.close();
});

test('older api-versions get the older 300 ms prefix padding default', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?api-version=2025-10-01&model=gpt-4o`);
  const created = await client.waitFor('session.created');
  assert.equal((created.session as Session).turn_detection!.prefix_padding_ms, 300);
  await client.close();
});

test('absent leaves a field unchanged, null clears it, nested objects are replaced whole with defaults', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  let s = await update(client, { turn_detection: { type: 'server_vad', silence_duration_ms: 900, threshold: 0.7 } });
  assert.equal(s.turn_detection!.silence_duration_ms, 900);
  assert.equal(s.turn_detection!.threshold, 0.7);

  s = await update(client, { instructions: 'x' });
  assert.equal(s.turn_detection!.silence_duration_ms, 900, 'absent turn_detection stays as it was');

  s = await update(client, { turn_detection: { type: 'server_vad', threshold: 0.6 } });
  assert.equal(s.turn_detection!.silence_duration_ms, 500, 'a new turn_detection object takes defaults for missing fields');

  s = await update(client, { turn_detection: null });
  assert.equal(s.turn_detection, null, 'null disables turn detection (manual mode)');

  s = await update(client, { input_audio_transcription: { model: 'whisper-1', language: 'en' } });
  assert.deepEqual(s.input_audio_transcription, { model: 'whisper-1', language: 'en' });
  s = await update(client, { input_audio_transcription: null, instructions: '' });
  assert.equal(s.input_audio_transcription, null);
  assert.equal(s.instructions, '');

  s = await update(client, { turn_detection: { type: 'azure_semantic_vad' } });
  assert.equal(s.turn_detection!.type, 'azure_semantic_vad');
  assert.equal(s.turn_detection!.speech_duration_ms, 80);
  assert.equal(s.turn_detection!.remove_filler_words, false);

  s = await update(client, { input_audio_format: 'g711_ulaw' });
  assert.equal(s.input_audio_sampling_rate, 8000);
  s = await update(client, { input_audio_format: 'pcm16', input_audio_sampling_rate: 16000 });
  assert.equal(s.input_audio_sampling_rate, 16000);

  s = await update(client, { tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }], tool_choice: 'get_weather' });
  assert.deepEqual(s.tool_choice, { type: 'function', name: 'get_weather' });
  s = await update(client, { tools: [] });
  assert.deepEqual(s.tools, []);
  await client.close();
});

test('invalid combinations are refused with specific codes and change nothing', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  const expectCode = async (session: Record<string, unknown>, code: string) => {
    const next = client.next('error');
    client.send({ type: 'session.update', session });
    assert.equal(((await next).error as { code: string }).code, code, JSON.stringify(session));
  };
  await expectCode({ input_audio_echo_cancellation: { type: 'server_echo_cancellation', reference_source: 'server', channels: 2 } }, 'invalid_ec_channels_requires_client');
  await expectCode({ input_audio_echo_cancellation: { type: 'server_echo_cancellation', reference_source: 'client', channels: 1 } }, 'invalid_ec_reference_channels');
  await expectCode({ input_audio_format: 'g711_alaw', input_audio_sampling_rate: 24000 }, 'invalid_value');
  await expectCode({ modalities: ['audio'] }, 'invalid_value');
  await expectCode({ modalities: ['text', 'avatar'] }, 'not_supported');
  await expectCode({ tools: [{ type: 'mcp', server_label: 'x', server_url: 'http://x' }] }, 'not_supported');
  await expectCode({ model: 'other-model' }, 'cannot_update_model');
  const s = await update(client, {});
  assert.deepEqual(s.modalities, ['text', 'audio']);
  assert.equal(s.input_audio_echo_cancellation, null);
  assert.deepEqual(s.tools, []);
  await client.close();
});

test('unknown session fields are ignored with a warning; accepted-but-inactive features say so', async () => {
  const client = await RawClient.connect(`${server.wsUrl}/voice-live/realtime?model=m`);
  await client.waitFor('session.created');
  const warning = client.next('warning');
  client.send({ type: 'session.update', session: { instructions: 'ok', silence_duration: 3 } });
  const w = (await warning).warning as { code: string; param: string; message: string };
  assert.equal(w.code, 'unknown_parameter');
  assert.equal(w.param, 'session.silence_duration');
  const updated = await client.waitFor('session.updated');
  assert.equal((updated.session as Session).instructions, 'ok');
  const inactive = client.next('warning');
  client.send({ type: 'session.update', session: { input_audio_noise_reduction: { type: 'azure_deep_noise_suppression' } } });
  assert.equal(((await inactive).warning as { code: string }).code, 'feature_inactive');
  await client.close();
});
