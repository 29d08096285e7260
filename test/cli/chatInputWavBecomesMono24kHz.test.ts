/**
 * `--input` accepts any WAV src/audio/wav.ts reads: a 44.1 kHz stereo file and an 8 kHz µ-law
 * file both become PCM16 mono at 24 kHz of the same duration (Speex resampler), with the tone
 * kept at its frequency; `--output` writes a canonical PCM16 mono WAV.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodeUlaw } from '../../src/audio/g711.js';
import { readWav, writeWav } from '../../src/audio/wav.js';
import { readWavAsSessionAudio, writeSessionWav } from '../../src/cli/chat/wavFiles.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'voicelive-wav-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A sine of `hz` at `rateHz` for `ms`. */
function tone(hz: number, rateHz: number, ms: number, amplitude = 10_000): Int16Array {
  const pcm = new Int16Array(Math.round((rateHz * ms) / 1000));
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rateHz));
  return pcm;
}

/** Zero crossings per second ≈ 2 × frequency. */
function frequencyHz(pcm: Int16Array, rateHz: number): number {
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) if ((pcm[i - 1]! < 0) !== (pcm[i]! < 0)) crossings++;
  return (crossings / 2) * (rateHz / pcm.length);
}

test('44.1 kHz stereo becomes 24 kHz mono of the same length and pitch, channels averaged', async () => {
  const left = tone(440, 44_100, 1500);
  const stereo = new Int16Array(left.length * 2);
  for (let i = 0; i < left.length; i++) {
    stereo[2 * i] = left[i]!;
    stereo[2 * i + 1] = 0; // silent right channel: the mix is half the left
  }
  const path = join(dir, 'stereo.wav');
  writeFileSync(path, writeWav({ sampleRateHz: 44_100, channels: 2, samples: stereo }));
  const audio = await readWavAsSessionAudio(path, 24_000);
  assert.deepEqual(audio.source, { sampleRateHz: 44_100, channels: 2 });
  assert.equal(audio.sampleRateHz, 24_000);
  assert.equal(audio.pcm.length, 36_000);
  assert.equal(audio.durationMs, 1500);
  assert.ok(Math.abs(frequencyHz(audio.pcm, 24_000) - 440) < 3);
  const peak = audio.pcm.subarray(1000, 35_000).reduce((m, s) => Math.max(m, Math.abs(s)), 0);
  assert.ok(Math.abs(peak - 5000) < 100, `peak ${peak} ≈ half the left channel`);
});

test('8 kHz µ-law is decoded and upsampled', async () => {
  const path = join(dir, 'ulaw.wav');
  const codes = encodeUlaw(tone(300, 8000, 1000));
  // A WAVE_FORMAT_MULAW file written by hand: fmt (18 bytes) + data.
  const header = Buffer.alloc(12 + 8 + 18 + 8);
  header.write('RIFF', 0);
  header.writeUInt32LE(header.length - 8 + codes.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(18, 16);
  header.writeUInt16LE(7, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.writeUInt16LE(0, 36);
  header.write('data', 38);
  header.writeUInt32LE(codes.length, 42);
  writeFileSync(path, Buffer.concat([header, Buffer.from(codes)]));
  const audio = await readWavAsSessionAudio(path, 24_000);
  assert.equal(audio.pcm.length, 24_000);
  assert.ok(Math.abs(frequencyHz(audio.pcm, 24_000) - 300) < 3);
});

test('an empty WAV is refused; the answer is written as canonical PCM16 mono', async () => {
  const empty = join(dir, 'empty.wav');
  writeFileSync(empty, writeWav({ sampleRateHz: 24_000, channels: 1, samples: new Int16Array(0) }));
  await assert.rejects(readWavAsSessionAudio(empty, 24_000), /holds no audio/);
  const out = join(dir, 'out.wav');
  const pcm = tone(200, 24_000, 250);
  await writeSessionWav(out, pcm, 24_000);
  const bytes = readFileSync(out);
  assert.equal(bytes.length, 44 + pcm.length * 2);
  const wav = readWav(bytes);
  assert.deepEqual([wav.sampleRateHz, wav.channels, wav.sourceBitsPerSample], [24_000, 1, 16]);
  assert.deepEqual(wav.samples, pcm);
  await assert.rejects(writeSessionWav(join(dir, 'no-such-dir', 'x.wav'), pcm, 24_000), /cannot write --output .*ENOENT/);
});
