import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FLITE_VOICES, FliteTtsEngine } from '../../src/engines/tts/flite.js';
import { TtsEngineError } from '../../src/engines/tts/types.js';
import { collectSpeech, neverAborted, peakLevel, rmsLevel } from './helpers/collectSpeech.js';

let engine: FliteTtsEngine;
before(async () => {
  engine = await FliteTtsEngine.create({ workerCount: 2 });
});
after(() => engine.close());

test('every voice speaks "Hello world." at its advertised rate with speech-like length and level', async (t) => {
  assert.deepEqual(
    engine.voices().map((voice) => [voice.id, voice.sampleRateHz]),
    [
      ['slt', 16000],
      ['rms', 16000],
      ['awb', 16000],
      ['kal16', 16000],
      ['kal', 8000],
    ],
  );
  for (const voice of FLITE_VOICES) {
    const speech = await collectSpeech(engine.synthesize('Hello world.', { voice: voice.id, rate: 1 }, neverAborted()));
    const rms = rmsLevel(speech.pcm);
    const peak = peakLevel(speech.pcm);
    t.diagnostic(
      `${voice.id}: ${speech.sampleRateHz} Hz, ${speech.durationMs.toFixed(0)} ms, RMS ${rms.toFixed(0)}, peak ${peak}, ` +
        `${speech.chunks.length} chunks, first chunk after ${speech.firstChunkMs.toFixed(1)} ms`,
    );
    assert.equal(speech.sampleRateHz, voice.sampleRateHz, voice.id);
    // Two words with leading/trailing pauses: measured 0.98–1.24 s.
    assert.ok(speech.durationMs > 700 && speech.durationMs < 2000, `${voice.id} duration ${speech.durationMs} ms`);
    // Measured RMS 1184 (kal16) to 4748 (slt); digital silence would be 0.
    assert.ok(rms > 500, `${voice.id} RMS ${rms}`);
    assert.ok(peak > 3000, `${voice.id} peak ${peak}`);
  }
});

test('audio comes in 100 ms chunks (the last one shorter)', async () => {
  for (const voice of ['slt', 'kal']) {
    const speech = await collectSpeech(engine.synthesize('Hello world.', { voice, rate: 1 }, neverAborted()));
    const samplesPer100Ms = speech.sampleRateHz / 10;
    assert.ok(speech.chunks.length >= 8, `${voice}: ${speech.chunks.length} chunks`);
    speech.chunks.forEach((chunk, index) => {
      assert.equal(chunk.sampleRateHz, speech.sampleRateHz);
      if (index < speech.chunks.length - 1) assert.equal(chunk.pcm.length, samplesPer100Ms);
      else assert.ok(chunk.pcm.length > 0 && chunk.pcm.length <= samplesPer100Ms);
    });
  }
});

test('the same text and voice give identical samples', async () => {
  const first = await collectSpeech(engine.synthesize('Testing one two.', { voice: 'rms', rate: 1 }, neverAborted()));
  const second = await collectSpeech(engine.synthesize('Testing one two.', { voice: 'rms', rate: 1 }, neverAborted()));
  assert.ok(first.pcm.length > 0);
  assert.deepEqual(second.pcm, first.pcm);
});

test('an unknown voice fails with invalid_voice before any audio', async () => {
  await assert.rejects(
    collectSpeech(engine.synthesize('Hello.', { voice: 'alloy', rate: 1 }, neverAborted())),
    (error: unknown) => error instanceof TtsEngineError && error.code === 'invalid_voice' && /slt/.test(error.message),
  );
});

test('whitespace-only text yields no audio', async () => {
  const speech = await collectSpeech(engine.synthesize(' \n\t ', { voice: 'slt', rate: 1 }, neverAborted()));
  assert.equal(speech.chunks.length, 0);
});

test('typographic punctuation and accents are spoken like their ASCII forms', async () => {
  const typographic = await collectSpeech(
    engine.synthesize('“Don’t” — café', { voice: 'slt', rate: 1 }, neverAborted()),
  );
  const ascii = await collectSpeech(engine.synthesize('"Don\'t" - cafe', { voice: 'slt', rate: 1 }, neverAborted()));
  assert.deepEqual(typographic.pcm, ascii.pcm);
  assert.deepEqual(
    typographic.words.map((word) => word.text),
    ['Don’t', 'café'],
  );
});
