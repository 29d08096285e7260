/**
 * The speech engine posts the sentence with model, voice, format and key, and yields audio as the
 * body arrives: the first chunk reaches the consumer while the server still holds back the last
 * piece of the body. The audio is exactly what the server sent, at OpenAI's 24 kHz; the rate
 * multiplier becomes `speed`, clamped to 0.25..4 and left out at 1.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { concatPcm16 } from '../../src/audio/pcm.js';
import { OpenAiSpeechTtsEngine } from '../../src/engines/tts/openaiSpeech.js';
import { FakeOpenAiAudioServer, pcm16LeBytes, splitBytes, tonePcm16 } from '../helpers/fakeOpenAiAudioServer.js';

let server: FakeOpenAiAudioServer;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
});
after(async () => {
  await server.close();
});

test('the first chunk arrives before the last piece of the body is sent; the audio is exact', async () => {
  const tone = tonePcm16(1000, 24_000);
  const pieces = splitBytes(pcm16LeBytes(tone), [9600]);
  assert.equal(pieces.length, 5);
  let releaseLastPiece!: () => void;
  const lastPieceHeld = new Promise<void>((resolve) => (releaseLastPiece = resolve));
  server.queueSpeech({ pieces, beforePiece: (index) => (index === pieces.length - 1 ? lastPieceHeld : Promise.resolve()) });
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1', apiKey: 'sk-tts-key-123' });
  assert.equal(engine.capabilities.incremental, true);

  const startedAt = performance.now();
  const received: Int16Array[] = [];
  let firstChunkAtMs = 0;
  let piecesSentAtFirstChunk = -1;
  for await (const chunk of engine.synthesize('Hello there.', { voice: 'alloy', rate: 1 }, new AbortController().signal)) {
    assert.equal(chunk.sampleRateHz, 24_000);
    if (received.length === 0) {
      firstChunkAtMs = performance.now() - startedAt;
      piecesSentAtFirstChunk = server.requests.at(-1)!.piecesSent;
      releaseLastPiece();
    }
    received.push(chunk.pcm);
  }
  console.log(`first audio after ${firstChunkAtMs.toFixed(1)} ms, with ${piecesSentAtFirstChunk} of ${pieces.length} pieces sent`);
  assert.ok(piecesSentAtFirstChunk >= 1 && piecesSentAtFirstChunk < pieces.length, `first chunk came with ${piecesSentAtFirstChunk} pieces sent`);
  assert.ok(received.length >= 2, 'more than one chunk');
  assert.deepEqual(concatPcm16(received), tone);

  const request = server.requests.at(-1)!;
  assert.equal(request.path, '/v1/audio/speech');
  assert.equal(request.headers.authorization, 'Bearer sk-tts-key-123');
  assert.deepEqual(request.json, { model: 'tts-1', voice: 'alloy', input: 'Hello there.', response_format: 'pcm' });
});

test('the rate multiplier is sent as speed, clamped to the server range 0.25..4', async () => {
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'kokoro', voices: ['af_bella'], instructions: 'Speak warmly.' });
  const speeds: unknown[] = [];
  for (const rate of [1.5, 10, 0.1]) {
    for await (const _chunk of engine.synthesize('Hi.', { voice: 'af_bella', rate }, new AbortController().signal)) {
      // drain
    }
    speeds.push(server.requests.at(-1)!.json!.speed);
  }
  assert.deepEqual(speeds, [1.5, 4, 0.25]);
  assert.equal(server.requests.at(-1)!.json!.instructions, 'Speak warmly.');
  assert.equal(server.requests.at(-1)!.headers.authorization, undefined, 'no key, no Authorization header');
});

test('blank text makes no request; an unknown voice id is refused before any request', async () => {
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1' });
  const before = server.requests.length;
  const chunks = [];
  for await (const chunk of engine.synthesize('  \n', { voice: 'alloy', rate: 1 }, new AbortController().signal)) chunks.push(chunk);
  assert.deepEqual(chunks, []);
  await assert.rejects(
    async () => {
      for await (const _chunk of engine.synthesize('Hi.', { voice: 'slt', rate: 1 }, new AbortController().signal)) {
        // never reached
      }
    },
    (error: Error & { code?: string }) => error.code === 'invalid_voice' && /alloy, ash/.test(error.message),
  );
  assert.equal(server.requests.length, before);
  assert.deepEqual(
    engine.voices().map((v) => v.id),
    ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse', 'marin', 'cedar'],
  );
});
