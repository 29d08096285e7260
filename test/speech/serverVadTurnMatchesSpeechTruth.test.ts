/**
 * A full server-VAD turn through the official Azure SDK, with real audio streamed at real-time pace:
 * the VAD timestamps match where the speech really is, one item id runs through the turn, the
 * transcription arrives before the user item (Azure order), and the automatic response speaks the
 * echo as plausible audio.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { wordErrorRate } from '../../src/util/wer.js';
import type { AzureSdkRecorder, SdkEvent } from '../helpers/azureSdkRecorder.js';
import { composeScene, encodeScene, espeakClip, librivoxClip } from '../helpers/speechFixtures.js';
import type { SpeechClip } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { assertSpeechAudio, connect, field, speechSkipReason, startSpeechServer } from './speechSession.js';

const PREFIX_PADDING_MS = 300;
const LEAD_SILENCE_MS = 1000;
const TOLERANCE_MS = 200;

let server: TestServer;
before(async () => {
  if (!speechSkipReason) server = await startSpeechServer();
});
after(async () => {
  await server?.close();
});

interface TurnRun {
  recorder: AzureSdkRecorder;
  truth: { startMs: number; endMs: number };
  started: SdkEvent;
  stopped: SdkEvent;
  done: SdkEvent;
}

/** One session: `clip` after 1 s of silence and before 1.5 s of silence, as 24 kHz PCM16 at real-time pace. */
async function runTurn(clip: SpeechClip): Promise<TurnRun> {
  const recorder = await connect(server);
  await recorder.update({
    turnDetection: { type: 'server_vad', threshold: 0.5, prefixPaddingInMs: PREFIX_PADDING_MS, silenceDurationInMs: 500 },
    inputAudioTranscription: { model: 'whisper-1' },
  } as never);
  const scene = composeScene([clip], [LEAD_SILENCE_MS, 1500]);
  await recorder.streamAudio(encodeScene(scene, 'pcm16', 24_000), 48_000);
  const started = await recorder.waitFor('input_audio_buffer.speech_started');
  const stopped = await recorder.waitFor('input_audio_buffer.speech_stopped');
  const done = await recorder.waitFor('response.done', { timeoutMs: 25_000 });
  const speech = scene.speech[0]!;
  return { recorder, truth: { startMs: speech.startMs, endMs: speech.endMs }, started, stopped, done };
}

function assertTimestamps(run: TurnRun, label: string): { startErrorMs: number; endErrorMs: number } {
  const expectedStart = Math.max(0, run.truth.startMs - PREFIX_PADDING_MS);
  const startMs = field<number>(run.started, 'audioStartInMs');
  const endMs = field<number>(run.stopped, 'audioEndInMs');
  const startErrorMs = startMs - expectedStart;
  const endErrorMs = endMs - run.truth.endMs;
  console.log(`${label}: audio_start_ms ${startMs} (expected ${expectedStart.toFixed(0)}, error ${startErrorMs.toFixed(0)} ms); audio_end_ms ${endMs} (speech ends ${run.truth.endMs.toFixed(0)}, error ${endErrorMs.toFixed(0)} ms)`);
  assert.ok(Math.abs(startErrorMs) <= TOLERANCE_MS, `${label}: audio_start_ms ${startMs} within ±${TOLERANCE_MS} ms of ${expectedStart}`);
  assert.ok(Math.abs(endErrorMs) <= TOLERANCE_MS, `${label}: audio_end_ms ${endMs} within ±${TOLERANCE_MS} ms of ${run.truth.endMs}`);
  return { startErrorMs, endErrorMs };
}

test('a human utterance makes one turn: ids, Azure event order, transcript close to the reference, spoken echo', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const clip = librivoxClip('sense_and_sensibility_01_austen_64kb-0880');
  const run = await runTurn(clip);
  const { recorder, started, stopped, done } = run;
  try {
    assertTimestamps(run, 'human recording');

    // Exactly one turn, one item id from speech_started to conversation.item.created.
    const userItemId = field<string>(started, 'itemId');
    assert.match(userItemId, /\S/);
    assert.equal(recorder.all('input_audio_buffer.speech_started').length, 1);
    assert.equal(recorder.all('input_audio_buffer.speech_stopped').length, 1);
    assert.equal(field(stopped, 'itemId'), userItemId);
    const committed = await recorder.waitFor('input_audio_buffer.committed');
    assert.equal(field(committed, 'itemId'), userItemId);
    assert.equal(field(committed, 'previousItemId') ?? null, null);
    const transcription = await recorder.waitFor('conversation.item.input_audio_transcription.completed');
    assert.equal(field(transcription, 'itemId'), userItemId);
    const userCreated = await recorder.waitFor((e) => e.type === 'conversation.item.created' && field(e, 'item', 'role') === 'user');
    assert.equal(field(userCreated, 'item', 'id'), userItemId);
    const transcript = field<string>(transcription, 'transcript');
    assert.equal(field(userCreated, 'item', 'content', 0, 'transcript'), transcript, 'the user item carries the transcript');

    const wer = wordErrorRate(clip.text, transcript);
    console.log(`ASR: "${transcript}" vs reference "${clip.text}": WER ${(wer.wer * 100).toFixed(1)} % (${wer.substitutions} sub, ${wer.deletions} del, ${wer.insertions} ins of ${wer.referenceWords})`);
    assert.ok(wer.wer <= 0.6, `WER ${(wer.wer * 100).toFixed(1)} % ≤ 60 %`);

    // Azure cascaded order: started → stopped → committed → transcription completed → user item → response.
    const position = (e: SdkEvent) => recorder.events.indexOf(e);
    const responseCreated = await recorder.waitFor('response.created');
    const order = [started, stopped, committed, transcription, userCreated, responseCreated, done].map(position);
    assert.deepEqual([...order].sort((a, b) => a - b), order, `event order ${order.join(' < ')}`);
    const transcriptionDeltas = recorder.all('conversation.item.input_audio_transcription.delta');
    for (const delta of transcriptionDeltas) {
      assert.equal(field(delta, 'itemId'), userItemId);
      assert.ok(position(delta) > position(started) && position(delta) < position(transcription), 'transcription deltas stream during the turn');
    }

    // The response: completed, one assistant audio message, streamed in the documented order.
    const responseId = field<string>(done, 'response', 'id');
    assert.equal(field(responseCreated, 'response', 'id'), responseId);
    assert.equal(field(done, 'response', 'status'), 'completed');
    const output = field<SdkEvent[]>(done, 'response', 'output');
    assert.equal(output.length, 1);
    assert.equal(field(output[0], 'role'), 'assistant');
    assert.equal(field(output[0], 'status'), 'completed');
    const responseTypes = recorder.types(position(responseCreated)).filter((t) => t.startsWith('response.') && t !== 'response.audio.delta' && t !== 'response.audio_transcript.delta');
    assert.deepEqual(responseTypes, [
      'response.created',
      'response.output_item.added',
      'response.content_part.added',
      'response.audio.done',
      'response.audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.done',
    ]);
    const transcriptDone = await recorder.waitFor('response.audio_transcript.done');
    const spoken = field<string>(transcriptDone, 'transcript');
    assert.equal(recorder.transcriptDeltas(responseId), spoken, 'audio_transcript.done = concatenated transcript deltas');
    assert.equal(spoken, `You said: ${transcript}.`, 'the scripted LLM echoes the transcript');
    assert.equal(field(output[0], 'content', 0, 'transcript'), spoken);
    const assistantCreated = recorder.all((e) => e.type === 'conversation.item.created' && field(e, 'item', 'role') === 'assistant');
    assert.equal(assistantCreated.length, 1);
    assert.equal(field(assistantCreated[0], 'previousItemId'), userItemId);

    const audio = assertSpeechAudio(recorder, responseId, 'pcm16', spoken);
    const deltas = recorder.all((e) => e.type === 'response.audio.delta' && e.responseId === responseId);
    assert.ok(deltas.length >= 5, `audio streams in several deltas (${deltas.length})`);
    console.log(`response audio: ${audio.durationMs.toFixed(0)} ms in ${deltas.length} deltas, speech ${audio.speechMs.toFixed(0)} ms, ${audio.rmsDbfs.toFixed(1)} dBFS, ${audio.msPerChar.toFixed(1)} ms/char`);
    assert.equal(recorder.all('error').length, 0, `no errors: ${JSON.stringify(recorder.all('error'))}`);
  } finally {
    await recorder.close();
  }
});

test('an espeak utterance: speech_started/stopped within ±200 ms of the measured speech', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const run = await runTurn(espeakClip('Please tell me what the weather will be like tomorrow in the city.'));
  try {
    assertTimestamps(run, 'espeak');
    assert.equal(field(run.done, 'response', 'status'), 'completed');
    assert.equal(run.recorder.all('error').length, 0);
  } finally {
    await run.recorder.close();
  }
});

// Known bug (src/session/turnDetector.ts, not owned here): a candidate turn is dropped by any single
// unvoiced VAD frame before speech_duration_ms is reached, so the stop closure after a short first
// word ("The | quick") restarts the onset at a later word. Silero marks speech from 992 ms here, the
// server reports the onset about 470 ms later.
test('an utterance starting with a short word keeps its onset (stop closures do not restart the turn)', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const run = await runTurn(espeakClip('The quick brown fox jumps over the lazy dog.'));
  try {
    assertTimestamps(run, 'espeak starting with "The"');
  } finally {
    await run.recorder.close();
  }
});
