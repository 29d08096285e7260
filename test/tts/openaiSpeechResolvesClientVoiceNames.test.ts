/**
 * A remote speech engine gets the client's own voice names instead of the flite mapping: OpenAI
 * names as they are (any case, spelled as the engine lists them), an Azure voice object by its
 * name (or its short name, when that is what the server offers), and an unknown voice is refused
 * with the list of voices the engine offers. The session's voice check and the speech renderer go
 * through the engine's resolveVoice; the Azure `rate` and the session `speed` combine into `speed`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadResampler } from '../../src/audio/resampler.js';
import type { EngineSet } from '../../src/engines/engineSet.js';
import { ScriptedLlmEngine } from '../../src/engines/llm/scripted.js';
import { OpenAiSpeechTtsEngine } from '../../src/engines/tts/openaiSpeech.js';
import type { ResolvedVoice } from '../../src/engines/tts/voiceMap.js';
import { checkVoiceFor } from '../../src/engines/tts/engineVoice.js';
import { createSpeechRendererFactory } from '../../src/session/speechOutput.js';
import { FakeOpenAiAudioServer, pcm16LeBytes, tonePcm16 } from '../helpers/fakeOpenAiAudioServer.js';

let server: FakeOpenAiAudioServer;
before(async () => {
  await loadResampler();
  server = await FakeOpenAiAudioServer.start();
});
after(async () => {
  await server.close();
});

function ok(result: ResolvedVoice): { voiceId: string; rate: number } {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return { voiceId: result.voiceId, rate: result.rate };
}

function refused(result: ResolvedVoice): { message: string; param: string } {
  assert.ok(!result.ok, 'refused');
  return { message: result.message, param: result.param };
}

test('OpenAI names pass through; Azure objects give their name or short name; speed and rate combine', () => {
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: 'http://localhost:8880/v1', model: 'tts-1' });
  assert.deepEqual(ok(engine.resolveVoice('alloy', 1)), { voiceId: 'alloy', rate: 1 });
  assert.deepEqual(ok(engine.resolveVoice('SHIMMER', 1.25)), { voiceId: 'shimmer', rate: 1.25 });
  assert.deepEqual(ok(engine.resolveVoice({ type: 'openai', name: 'verse' }, 1)), { voiceId: 'verse', rate: 1 });
  assert.deepEqual(ok(engine.resolveVoice({ type: 'azure-standard', name: 'en-US-AlloyTurboMultilingualNeural' }, 1)), { voiceId: 'alloy', rate: 1 });
  // flite would cap this at 2; the server takes up to 4.
  assert.deepEqual(ok(engine.resolveVoice({ type: 'azure-standard', name: 'en-US-NovaTurboMultilingualNeural', rate: 'x-fast' }, 1.5)), { voiceId: 'nova', rate: 3 });

  const azureVoices = new OpenAiSpeechTtsEngine({ baseUrl: 'http://localhost:8880/v1', model: 'tts', voices: ['en-US-AvaNeural', 'en-US-AndrewNeural'] });
  assert.deepEqual(ok(azureVoices.resolveVoice({ type: 'azure-standard', name: 'en-US-AvaNeural', rate: '+10%' }, 1)), { voiceId: 'en-US-AvaNeural', rate: 1.1 });
  assert.match((azureVoices.resolveVoice({ type: 'azure-standard', name: 'en-US-AvaNeural' }, 1) as { description: string }).description, /en-US-AvaNeural.*localhost:8880/);
});

test('unknown voices are refused with the voices the engine offers; unsupported types and speeds too', () => {
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: 'http://localhost:8880/v1', model: 'kokoro', voices: ['af_bella', 'af_sky', 'am_adam'] });
  const slt = refused(engine.resolveVoice('slt', 1));
  assert.equal(slt.param, 'session.voice');
  assert.match(slt.message, /Unsupported voice "slt" for the speech server at localhost:8880\. Voices it offers: af_bella, af_sky, am_adam\./);
  const ava = refused(engine.resolveVoice({ type: 'azure-standard', name: 'en-US-AvaNeural' }, 1));
  assert.equal(ava.param, 'session.voice.name');
  assert.match(ava.message, /azure-standard "en-US-AvaNeural".*af_bella, af_sky, am_adam/);
  assert.equal(refused(engine.resolveVoice({ type: 'azure-custom', name: 'mine', endpoint_id: 'x' }, 1)).param, 'session.voice.type');
  assert.equal(refused(engine.resolveVoice({ type: 'elevenlabs', name: 'x' }, 1)).param, 'session.voice.type');
  assert.equal(refused(engine.resolveVoice({ type: 'openai', name: 'af_bella', rate: 'warp' }, 1)).param, 'session.voice.rate');
  assert.equal(refused(engine.resolveVoice('af_bella', 3)).param, 'session.speed');
});

function enginesWith(tts: OpenAiSpeechTtsEngine): EngineSet {
  return { llm: new ScriptedLlmEngine(), tts, asr: null, vad: null, unavailable: {} };
}

test('the session voice check uses the engine: its voices pass, flite-only names are refused', () => {
  const check = checkVoiceFor(enginesWith(new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'kokoro', voices: ['af_bella', 'af_sky'] })));
  assert.equal(check('af_bella'), null);
  assert.equal(check({ type: 'openai', name: 'af_sky' }), null);
  assert.match(check('slt') ?? '', /Voices it offers: af_bella, af_sky/);
  assert.match(check('alloy') ?? '', /Unsupported voice "alloy"/);
});

test('the speech renderer sends the client voice name and speed to the server and plays its audio', async () => {
  const tone = tonePcm16(300, 24_000);
  server.queueSpeech({ pieces: [pcm16LeBytes(tone)] });
  const factory = createSpeechRendererFactory(enginesWith(new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts', voices: ['en-US-AvaNeural'] })));
  const created = factory({ voice: { type: 'azure-standard', name: 'en-US-AvaNeural', rate: '+20%' }, speed: 1.25, outputAudioFormat: 'pcm16' });
  assert.ok(created.ok, created.ok ? '' : created.reason);
  const pieces: Int16Array[] = [];
  for await (const chunk of created.renderer.render('Hello from Ava.', new AbortController().signal)) pieces.push(chunk.pcm);
  const request = server.requests.at(-1)!;
  assert.equal(request.json!.voice, 'en-US-AvaNeural');
  assert.equal(request.json!.speed, 1.5);
  assert.equal(request.json!.input, 'Hello from Ava.');
  const rendered = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
  pieces.reduce((offset, p) => (rendered.set(p, offset), offset + p.length), 0);
  assert.deepEqual(rendered, tone, '24 kHz server audio passes unchanged into pcm16 output');

  const refusedFactory = factory({ voice: 'slt', speed: 1, outputAudioFormat: 'pcm16' });
  assert.equal(refusedFactory.ok, false);
});
