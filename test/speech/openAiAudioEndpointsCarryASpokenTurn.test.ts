/**
 * A server whose ASR and TTS are the OpenAI-compatible endpoint engines, pointed at a fake audio
 * server, with the real Silero VAD and the scripted LLM, driven by the official Azure SDK: a spoken
 * turn is detected, posted as one WAV for transcription, the fixed transcript is echoed by the LLM,
 * and the answer's audio deltas are exactly the PCM the fake speech server sent. A failing
 * transcription server surfaces as `input_audio_transcription.failed` with the engine's code, and
 * voices are checked against the speech server's list.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadResampler } from '../../src/audio/resampler.js';
import { readWav } from '../../src/audio/wav.js';
import { OpenAiTranscriptionAsrEngine } from '../../src/engines/asr/openaiTranscription.js';
import type { EngineSet } from '../../src/engines/engineSet.js';
import { ScriptedLlmEngine } from '../../src/engines/llm/scripted.js';
import { OpenAiSpeechTtsEngine } from '../../src/engines/tts/openaiSpeech.js';
import type { VadEngine } from '../../src/engines/vad/types.js';
import { AzureSdkRecorder } from '../helpers/azureSdkRecorder.js';
import { FakeOpenAiAudioServer, pcm16LeBytes, splitBytes, tonePcm16 } from '../helpers/fakeOpenAiAudioServer.js';
import { composeScene, encodeScene, librivoxClip } from '../helpers/speechFixtures.js';
import { startTestServer } from '../helpers/testServer.js';
import type { TestServer } from '../helpers/testServer.js';
import { field, speechSkipReason } from './speechSession.js';

const TRANSCRIPT = 'Please book a table for two';
const ANSWER_TONE = tonePcm16(400, 24_000, 330);

let audioServer: FakeOpenAiAudioServer;
let server: TestServer;
let vad: VadEngine;
before(async () => {
  if (speechSkipReason) return;
  await loadResampler();
  audioServer = await FakeOpenAiAudioServer.start();
  audioServer.setDefault('transcription', { json: { text: TRANSCRIPT, words: [] } });
  // Each sentence's audio in odd-sized pieces, as a network would deliver it.
  audioServer.setDefault('speech', { pieces: splitBytes(pcm16LeBytes(ANSWER_TONE), [4801, 3999]), pieceDelayMs: 5 });
  const { SileroVadEngine } = await import('../../src/engines/vad/silero.js');
  vad = await SileroVadEngine.create();
  const engines: EngineSet = {
    llm: new ScriptedLlmEngine(),
    asr: new OpenAiTranscriptionAsrEngine({ baseUrl: audioServer.baseUrl, model: 'whisper-1', apiKey: 'sk-asr', timeoutMs: 5000 }),
    tts: new OpenAiSpeechTtsEngine({ baseUrl: audioServer.baseUrl, model: 'tts-1', apiKey: 'sk-tts', timeoutMs: 5000 }),
    vad,
    unavailable: {},
  };
  server = await startTestServer({}, { engines });
});
after(async () => {
  await server?.close();
  await vad?.close?.();
  await audioServer?.close();
});

async function speakOneTurn(recorder: AzureSdkRecorder): Promise<void> {
  await recorder.update({ turnDetection: { type: 'server_vad', prefixPaddingInMs: 300, silenceDurationInMs: 500 } } as never);
  const scene = composeScene([librivoxClip('sense_and_sensibility_01_austen_64kb-0930')], [600, 1200]);
  await recorder.streamAudio(encodeScene(scene, 'pcm16', 24_000), 48_000, { realTime: false });
}

test('a spoken turn is transcribed by the endpoint, echoed, and spoken with the endpoint audio', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const recorder = await AzureSdkRecorder.connect(server.httpUrl);
  try {
    const requestsBefore = audioServer.requests.length;
    await speakOneTurn(recorder);
    const done = await recorder.waitFor('response.done', { timeoutMs: 20_000 });
    assert.equal(field(done, 'response', 'status'), 'completed');

    const completed = recorder.all('conversation.item.input_audio_transcription.completed');
    assert.equal(completed.length, 1);
    assert.equal(field(completed[0], 'transcript'), TRANSCRIPT);
    const spoken = field<string>(done, 'response', 'output', 0, 'content', 0, 'transcript');
    assert.equal(spoken, `You said: ${TRANSCRIPT}.`);

    const requests = audioServer.requests.slice(requestsBefore);
    const transcriptions = requests.filter((r) => r.kind === 'transcription');
    assert.equal(transcriptions.length, 1, 'one request for the utterance');
    const posted = readWav(transcriptions[0]!.file!.bytes);
    const postedMs = (posted.samples.length * 1000) / posted.sampleRateHz;
    assert.equal(posted.sampleRateHz, 16_000);
    assert.ok(postedMs > 1500 && postedMs < 6000, `posted ${postedMs.toFixed(0)} ms of audio`);
    assert.equal(transcriptions[0]!.headers.authorization, 'Bearer sk-asr');

    const speech = requests.filter((r) => r.kind === 'speech');
    assert.ok(speech.length >= 1);
    assert.equal(speech.map((r) => r.json!.input as string).join(' ').replace(/\s+/g, ' '), spoken, 'the answer text went to the speech server');
    assert.ok(speech.every((r) => r.json!.voice === 'alloy' && r.json!.response_format === 'pcm'), 'the session default voice, by name');

    const audio = recorder.responseAudio(field(done, 'response', 'id'));
    const expected = new Uint8Array(speech.length * ANSWER_TONE.length * 2);
    speech.forEach((_, i) => expected.set(pcm16LeBytes(ANSWER_TONE), i * ANSWER_TONE.length * 2));
    assert.equal(audio.length, expected.length, `${speech.length} sentences × ${ANSWER_TONE.length} samples`);
    assert.deepEqual(audio, expected, 'response.audio.delta carries exactly the endpoint audio');
    const deltas = recorder.all((e) => e.type === 'response.audio.delta');
    console.log(`turn: posted ${postedMs.toFixed(0)} ms WAV, ${speech.length} speech request(s), ${deltas.length} audio deltas, ${audio.length} bytes`);
  } finally {
    await recorder.close();
  }
});

test('a failing transcription server surfaces as input_audio_transcription.failed with the engine code', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  audioServer.queueTranscription({ status: 503, json: { detail: 'model is loading' } });
  const recorder = await AzureSdkRecorder.connect(server.httpUrl);
  try {
    await speakOneTurn(recorder);
    const failed = await recorder.waitFor('conversation.item.input_audio_transcription.failed', { timeoutMs: 20_000 });
    assert.equal(field(failed, 'error', 'code'), 'endpoint_server_error');
    const message = field<string>(failed, 'error', 'message');
    assert.ok(message.includes(`transcription request to ${new URL(audioServer.url).host} failed with HTTP 503: model is loading`), message);
    assert.ok(!message.includes('sk-asr'));
    const created = await recorder.waitFor('conversation.item.created');
    assert.equal(field(created, 'item', 'id'), field(failed, 'itemId'), 'the user item still joins the conversation');
  } finally {
    await recorder.close();
  }
});

test('session voices are checked against the speech server: its names pass, others are refused with the list', { skip: speechSkipReason, timeout: 30_000 }, async () => {
  const recorder = await AzureSdkRecorder.connect(server.httpUrl);
  try {
    const updated = await recorder.update({ voice: { type: 'openai', name: 'nova' } } as never);
    assert.equal(field(updated, 'session', 'voice', 'name'), 'nova');
    const from = recorder.events.length;
    await recorder.send({ type: 'session.update', session: { voice: 'slt' } });
    const error = await recorder.waitFor('error', { from });
    assert.equal(field(error, 'error', 'code'), 'invalid_value');
    assert.match(field<string>(error, 'error', 'message'), /Voices it offers: alloy, ash, ballad, coral, echo, fable, nova/);
  } finally {
    await recorder.close();
  }
});
