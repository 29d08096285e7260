/**
 * Raw PCM bodies arrive split at any byte (TCP and proxies do not respect sample boundaries): a
 * sample cut in two by a piece boundary is carried over, so the decoded audio is exactly the sent
 * audio and every chunk holds whole samples.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiSpeechTtsEngine } from '../../src/engines/tts/openaiSpeech.js';
import { FakeOpenAiAudioServer, pcm16LeBytes, splitBytes, tonePcm16 } from '../helpers/fakeOpenAiAudioServer.js';
import { collectSpeech, neverAborted } from './helpers/collectSpeech.js';

let server: FakeOpenAiAudioServer;
before(async () => {
  server = await FakeOpenAiAudioServer.start();
});
after(async () => {
  await server.close();
});

test('pieces of 1, 3, 5, 7, 2 and 1001 bytes decode to exactly the samples sent', async () => {
  // Negative and positive samples, so a byte-order or alignment slip changes values.
  const tone = tonePcm16(250, 24_000, 997, 0.9);
  const bytes = pcm16LeBytes(tone);
  const pieces = splitBytes(bytes, [1, 3, 5, 7, 2, 1001]);
  assert.ok(pieces.some((p) => p.length % 2 === 1));
  // A small pause between pieces keeps them from being merged on the way.
  server.queueSpeech({ pieces, pieceDelayMs: 1 });
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1' });
  const speech = await collectSpeech(engine.synthesize('Alignment.', { voice: 'echo', rate: 1 }, neverAborted()));
  assert.deepEqual(speech.pcm, tone);
  assert.ok(speech.chunks.length > 3, `${speech.chunks.length} chunks`);
  for (const chunk of speech.chunks) assert.ok(chunk.pcm.length > 0, 'no empty chunks');
});

test('a body with an odd trailing byte drops only that half sample', async () => {
  const tone = tonePcm16(10, 24_000);
  const bytes = pcm16LeBytes(tone);
  const odd = new Uint8Array(bytes.length + 1);
  odd.set(bytes);
  odd[bytes.length] = 0x7f;
  server.queueSpeech({ pieces: splitBytes(odd, [3]) });
  const engine = new OpenAiSpeechTtsEngine({ baseUrl: server.baseUrl, model: 'tts-1' });
  const speech = await collectSpeech(engine.synthesize('Odd.', { voice: 'echo', rate: 1 }, neverAborted()));
  assert.deepEqual(speech.pcm, tone);
});
