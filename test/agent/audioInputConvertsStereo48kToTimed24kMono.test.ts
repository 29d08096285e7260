/**
 * The agent's input conversion (48 kHz stereo → the session's 24 kHz mono): N seconds pushed in
 * odd-sized chunks (partial frames and single bytes included) come out as exactly N seconds of
 * 24 kHz mono, with the tone's frequency, amplitude and phase intact (no drift), identical to
 * converting the whole clip at once (so chunk boundaries leave no clicks).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AudioInputConverter, downmixToMono } from '../../src/agent/audioInput.js';
import { loadResampler, resampleOnce } from '../../src/audio/resampler.js';
import { fitSine } from '../audio/helpers/sineFit.js';

const TONE_HZ = 997;
const DURATION_S = 3;

before(async () => {
  await loadResampler();
});

/** Interleaved stereo: the tone on the left at `amplitude`, and at half that on the right. */
function stereoTone(sampleRateHz: number, seconds: number, amplitude: number): Int16Array {
  const frames = sampleRateHz * seconds;
  const omega = (2 * Math.PI * TONE_HZ) / sampleRateHz;
  const pcm = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    const value = Math.sin(omega * i);
    pcm[2 * i] = Math.round(amplitude * value);
    pcm[2 * i + 1] = Math.round((amplitude / 2) * value);
  }
  return pcm;
}

function concat(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Deterministic odd chunk sizes (in samples, so stereo frames are split across chunks). */
function* oddSizes(): Generator<number> {
  const pattern = [1, 3, 479, 961, 7, 2047, 333, 5, 1441, 99];
  for (let i = 0; ; i++) yield pattern[i % pattern.length] as number;
}

test('3 s of 48 kHz stereo in odd sample chunks → exactly 3 s of 24 kHz mono, tone and phase intact, same as one-shot', () => {
  const input = stereoTone(48_000, DURATION_S, 20_000);
  const converter = new AudioInputConverter({ sampleRateHz: 48_000, channels: 2 });
  try {
    const chunks: Int16Array[] = [];
    const sizes = oddSizes();
    for (let offset = 0; offset < input.length; ) {
      const size = Math.min(sizes.next().value as number, input.length - offset);
      chunks.push(converter.push(input.subarray(offset, offset + size)));
      offset += size;
    }
    const beforeFlush = concat(chunks).length;
    chunks.push(converter.flush());
    const output = concat(chunks);
    assert.equal(converter.inputFrameCount, 48_000 * DURATION_S);
    assert.ok(Math.abs(output.length - 24_000 * DURATION_S) <= 1, `${output.length} samples = ${DURATION_S} s ± 1 sample`);
    assert.ok(24_000 * DURATION_S - beforeFlush < 48, `before flush at most the filter delay is held back (${24_000 * DURATION_S - beforeFlush} samples)`);

    // The stream equals converting the whole downmixed clip at once: chunking adds nothing.
    const oneShot = resampleOnce(downmixToMono(input, 2), 48_000, 24_000);
    assert.deepEqual(output, oneShot);

    // Tone: mono is the average of 1.0 and 0.5 → 0.75 × 20 000; phase 0 at sample 0 (no delay, no drift).
    const edge = 2400;
    const fit = fitSine(output, 24_000, TONE_HZ, edge, output.length - edge);
    console.log(`48k stereo → 24k mono: ${output.length} samples, SNR ${fit.snrDb.toFixed(1)} dB, amplitude ${fit.amplitude.toFixed(1)}, phase ${fit.phaseRad.toExponential(2)} rad`);
    assert.ok(fit.snrDb > 80, `SNR ${fit.snrDb.toFixed(1)} dB`);
    assert.ok(Math.abs(fit.amplitude - 15_000) < 15, `amplitude ${fit.amplitude}`);
    const delaySamples = Math.abs(fit.phaseRad) / ((2 * Math.PI * TONE_HZ) / 24_000);
    assert.ok(delaySamples < 0.01, `delay ${delaySamples} samples`);
    // The last second fits the same phase as the whole: no drift over the stream.
    const lastSecond = fitSine(output, 24_000, TONE_HZ, output.length - 24_000, output.length - edge);
    assert.ok(Math.abs(lastSecond.phaseRad - fit.phaseRad) < 0.01, `phase of the last second ${lastSecond.phaseRad} vs ${fit.phaseRad}`);
  } finally {
    converter.destroy();
  }
});

test('little-endian bytes split at odd byte offsets convert the same as samples', () => {
  const input = stereoTone(48_000, 1, 12_000);
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const fromBytes = new AudioInputConverter({ sampleRateHz: 48_000, channels: 2 });
  const fromSamples = new AudioInputConverter({ sampleRateHz: 48_000, channels: 2 });
  try {
    const byteChunks: Int16Array[] = [];
    const sizes = oddSizes();
    for (let offset = 0; offset < bytes.length; ) {
      const size = Math.min(sizes.next().value as number, bytes.length - offset);
      // A Buffer view at an odd offset, as a socket or file read may hand it over.
      byteChunks.push(fromBytes.push(Buffer.from(bytes.subarray(offset, offset + size))));
      offset += size;
    }
    byteChunks.push(fromBytes.flush());
    const expected = concat([fromSamples.push(input), fromSamples.flush()]);
    assert.deepEqual(concat(byteChunks), expected);
    assert.equal(expected.length, 24_000);
  } finally {
    fromBytes.destroy();
    fromSamples.destroy();
  }
});

test('44.1 kHz mono (a non-integer ratio) keeps its length: ceil(N × 24000 / 44100) samples', () => {
  const frames = 44_100 * 2 + 37;
  const input = new Int16Array(frames);
  const omega = (2 * Math.PI * TONE_HZ) / 44_100;
  for (let i = 0; i < frames; i++) input[i] = Math.round(10_000 * Math.sin(omega * i));
  const converter = new AudioInputConverter({ sampleRateHz: 44_100, channels: 1 });
  try {
    const chunks: Int16Array[] = [];
    for (let offset = 0; offset < frames; offset += 441) chunks.push(converter.push(input.subarray(offset, offset + 441)));
    chunks.push(converter.flush());
    const output = concat(chunks);
    assert.equal(output.length, Math.ceil((frames * 24_000) / 44_100));
    const fit = fitSine(output, 24_000, TONE_HZ, 2400, output.length - 2400);
    assert.ok(fit.snrDb > 80, `SNR ${fit.snrDb.toFixed(1)} dB`);
  } finally {
    converter.destroy();
  }
});

test('downmix averages the channels of each frame', () => {
  assert.deepEqual(downmixToMono(new Int16Array([100, 300, -32768, 32767, 5, 6]), 2), new Int16Array([200, 0, 6]));
  assert.deepEqual(downmixToMono(new Int16Array([3, 6, 9]), 3), new Int16Array([6]));
});
