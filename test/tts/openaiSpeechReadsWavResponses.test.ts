/**
 * WAV bodies: the rate comes from the header (even when the header arrives in pieces and has extra
 * chunks before `data`, and the data size is the streaming placeholder); other encodings and
 * stereo are converted to mono 16-bit; a server that answers WAV although `pcm` was asked for
 * (LocalAI does) is recognised by its RIFF magic; compressed audio is refused clearly.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { toMono, writeWav } from '../../src/audio/wav.js';
import { OpenAiSpeechTtsEngine } from '../../src/engines/tts/openaiSpeech.js';
import { FakeOpenAiAudioServer, splitBytes, tonePcm16 } from '../helpers/fakeOpenAiAudioServer.js';
import { collectSpeech, neverAborted } from './helpers/collectSpeech.js';

let server: FakeOpenAiAudioServer;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
});
after(async () => {
  await server.close();
});

/** A streamed WAV: a LIST chunk before `data`, and 0xFFFFFFFF as the data size. */
function streamingWav(samples: Int16Array, sampleRateHz: number, channels = 1): Uint8Array {
  const plain = writeWav({ sampleRateHz, channels, samples });
  const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([5, 0, 0, 0], [...'INFOx'].map((c) => c.charCodeAt(0)), [0]));
  const out = new Uint8Array(plain.length + list.length);
  out.set(plain.subarray(0, 36));
  out.set(list, 36);
  out.set(plain.subarray(36), 36 + list.length);
  new DataView(out.buffer).setUint32(36 + list.length + 4, 0xffffffff, true);
  return out;
}

function float32Wav(samples: Float32Array, sampleRateHz: number): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 4);
  const view = new DataView(out.buffer);
  const text = (offset: number, id: string) => [...id].forEach((c, i) => (out[offset + i] = c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 3, true); // IEEE float
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * 4, true);
  view.setUint16(32, 4, true);
  view.setUint16(34, 32, true);
  text(36, 'data');
  view.setUint32(40, samples.length * 4, true);
  samples.forEach((s, i) => view.setFloat32(44 + i * 4, s, true));
  return out;
}

test('wav format: 22.05 kHz from a header split across pieces, with a LIST chunk and an unknown data size', async () => {
  const tone = tonePcm16(100, 22_050, 523);
  server.queueSpeech({ pieces: splitBytes(streamingWav(tone, 22_050), [3, 7, 20, 1, 33, 5]), contentType: 'audio/wav', pieceDelayMs: 1 });
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1', voices: ['en_US-lessac-medium'], responseFormat: 'wav' });
  const speech = await collectSpeech(engine.synthesize('Piper.', { voice: 'en_US-lessac-medium', rate: 1 }, neverAborted()));
  assert.equal(speech.sampleRateHz, 22_050);
  assert.ok(speech.chunks.every((c) => c.sampleRateHz === 22_050));
  assert.deepEqual(speech.pcm, tone);
  assert.equal(server.requests.at(-1)!.json!.response_format, 'wav');
});

test('a WAV answer to a pcm request is recognised; stereo is mixed to mono', async () => {
  const left = tonePcm16(100, 16_000, 300);
  const right = tonePcm16(100, 16_000, 700);
  const stereo = new Int16Array(left.length * 2);
  left.forEach((s, i) => {
    stereo[2 * i] = s;
    stereo[2 * i + 1] = right[i]!;
  });
  server.queueSpeech({ pieces: splitBytes(writeWav({ sampleRateHz: 16_000, channels: 2, samples: stereo }), [101]), contentType: 'application/octet-stream' });
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1' });
  const speech = await collectSpeech(engine.synthesize('LocalAI.', { voice: 'alloy', rate: 1 }, neverAborted()));
  assert.equal(server.requests.at(-1)!.json!.response_format, 'pcm');
  assert.equal(speech.sampleRateHz, 16_000, 'not mistaken for 24 kHz raw PCM');
  assert.deepEqual(speech.pcm, toMono(stereo, 2));
});

test('32-bit float WAV is converted to 16-bit', async () => {
  const floats = new Float32Array([0, 0.5, -0.5, 0.25, -1, 0.999]);
  server.queueSpeech({ pieces: splitBytes(float32Wav(floats, 24_000), [45, 3]), contentType: 'audio/wav' });
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1', responseFormat: 'wav' });
  const speech = await collectSpeech(engine.synthesize('Float.', { voice: 'alloy', rate: 1 }, neverAborted()));
  assert.deepEqual([...speech.pcm], [0, 16384, -16384, 8192, -32768, 32735]);
});

test('mp3 or JSON instead of audio → endpoint_bad_response naming the content type', async () => {
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1' });
  for (const [contentType, pattern] of [['audio/mpeg', /audio\/mpeg/], ['application/json', /application\/json/]] as const) {
    server.queueSpeech({ pieces: [new Uint8Array([0xff, 0xfb, 0x90, 0x64])], contentType });
    await assert.rejects(collectSpeech(engine.synthesize('Mp3.', { voice: 'alloy', rate: 1 }, neverAborted())), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'endpoint_bad_response');
      assert.match(error.message, pattern);
      assert.match(error.message, /response_format "pcm"/);
      return true;
    });
  }
});

test('a wav response that is not RIFF, or ends inside its header, is a bad response', async () => {
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1', responseFormat: 'wav' });
  server.queueSpeech({ pieces: [new Uint8Array(64).fill(1)], contentType: 'audio/wav' });
  await assert.rejects(collectSpeech(engine.synthesize('X.', { voice: 'alloy', rate: 1 }, neverAborted())), { code: 'endpoint_bad_response' } as object);
  server.queueSpeech({ pieces: [streamingWav(new Int16Array(10), 24_000).subarray(0, 30)], contentType: 'audio/wav' });
  await assert.rejects(collectSpeech(engine.synthesize('X.', { voice: 'alloy', rate: 1 }, neverAborted())), /ended before its data chunk/);
});
