/**
 * Barge-in through the Azure SDK with real audio at real-time pace: while the assistant is still
 * speaking (the scripted LLM is slowed to 150 ms per word so the response is still being produced),
 * the user speaks. The server cancels the response (`turn_detected`), leaves the assistant item
 * incomplete and cuts it to what real-time playback from the first audio delta had played when the
 * user began; a client truncate re-cuts from the original audio.
 * Client truncation of a finished audio answer shortens its transcript, and a cut beyond the audio
 * is refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AzureSdkRecorder, SdkEvent } from '../helpers/azureSdkRecorder.js';
import { pcm16FromBytes } from '../helpers/azureSdkRecorder.js';
import { composeScene, encodeScene, espeakClip, silenceScene } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { connect, field, speechSkipReason, startSpeechServer } from './speechSession.js';

const WORD_DELAY_MS = 150;
const LONG_REQUEST =
  'I would like to hear a long answer today. Please keep talking for quite a while. I will interrupt you somewhere in the middle of it. Thank you very much for your patience.';
/** The scripted LLM echoes a statement. */
const LONG_ANSWER = `You said: ${LONG_REQUEST.replace(/\.$/, '')}.`;
/** How long after the first answer audio the user starts talking. */
const INTERRUPT_AFTER_MS = 1200;

let server: TestServer;
before(async () => {
  if (!speechSkipReason) server = await startSpeechServer({ scriptedWordDelayMs: WORD_DELAY_MS });
});
after(async () => {
  await server?.close();
});

interface BargeIn {
  responseId: string;
  assistantItemId: string;
  firstDeltaAtMs: number;
  /** Client-side playout estimate: real-time playback from the first delta until the user's speech onset. */
  playedEstimateMs: number;
  /** Audio the server had sent for the answer by the time it was cancelled. */
  sentAudioMs: number;
  started: SdkEvent;
  done: SdkEvent;
}

/**
 * Asks for the long answer by text, keeps the microphone streaming silence, and 1.2 s after the
 * first answer audio arrives speaks an interruption.
 */
async function interruptLongAnswer(recorder: AzureSdkRecorder): Promise<BargeIn> {
  // Fixtures first: sox and espeak-ng run synchronously and would stall the in-process server.
  const silence = encodeScene(silenceScene(100), 'pcm16', 24_000);
  const interruption = composeScene([espeakClip('Sorry to interrupt, but I have a question.')], [INTERRUPT_AFTER_MS, 1200]);
  const interruptionBytes = encodeScene(interruption, 'pcm16', 24_000);
  await recorder.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: LONG_REQUEST }] } });
  await recorder.send({ type: 'response.create' });
  const created = await recorder.waitFor('response.created');
  const responseId = field<string>(created, 'response', 'id');
  // A live microphone: silence until the answer starts playing.
  const firstDelta = recorder.waitFor('response.audio.delta', { timeoutMs: 15_000 });
  let playing = false;
  void firstDelta.then(() => (playing = true), () => undefined);
  while (!playing) await recorder.streamAudio(silence, 48_000);
  const first = await firstDelta;
  const sceneStartMs = recorder.audioSentMs;
  await recorder.streamAudio(interruptionBytes, 48_000);

  const started = await recorder.waitFor('input_audio_buffer.speech_started');
  const done = await recorder.waitFor((e) => e.type === 'response.done' && field(e, 'response', 'id') === responseId);
  const onsetWallMs = recorder.wallTimeOfAudioMs(sceneStartMs + interruption.speech[0]!.startMs);
  const sentAudioMs = recorder.responseAudio(responseId).length / 48;
  return {
    responseId,
    assistantItemId: field<string>(first, 'itemId'),
    firstDeltaAtMs: first.atMs,
    playedEstimateMs: onsetWallMs - first.atMs,
    sentAudioMs,
    started,
    done,
  };
}

function assertCancelledByTurn(recorder: AzureSdkRecorder, barge: BargeIn): void {
  const at = (e: SdkEvent) => recorder.events.indexOf(e);
  assert.ok(at(barge.started) < at(barge.done), 'speech_started comes before the cancelled response.done');
  assert.ok(barge.started.atMs - barge.firstDeltaAtMs < barge.sentAudioMs, 'the user spoke while the answer was still playing');
  assert.equal(field(barge.done, 'response', 'status'), 'cancelled');
  assert.equal(field(barge.done, 'response', 'statusDetails', 'type'), 'cancelled');
  assert.equal(field(barge.done, 'response', 'statusDetails', 'reason'), 'turn_detected');
  assert.equal(field(barge.done, 'response', 'output', 0, 'id'), barge.assistantItemId);
  assert.equal(field(barge.done, 'response', 'output', 0, 'status'), 'incomplete', 'the assistant item is incomplete');
  const itemDone = recorder.all((e) => e.type === 'response.output_item.done' && field(e, 'responseId') === barge.responseId);
  assert.equal(itemDone.length, 1);
  assert.equal(field(itemDone[0], 'item', 'status'), 'incomplete');
  // Cut short: the answer was still being generated when the user spoke.
  const spokenSoFar = field<string>(recorder.all((e) => e.type === 'response.audio_transcript.done' && field(e, 'responseId') === barge.responseId)[0], 'transcript');
  assert.ok(LONG_ANSWER.startsWith(spokenSoFar) && spokenSoFar.length < LONG_ANSWER.length, `generation stopped early: "${spokenSoFar}"`);
}

async function retrieveTranscript(recorder: AzureSdkRecorder, itemId: string): Promise<string> {
  const from = recorder.events.length;
  await recorder.send({ type: 'conversation.item.retrieve', itemId });
  const retrieved = await recorder.waitFor('conversation.item.retrieved', { from });
  assert.equal(field(retrieved, 'item', 'id'), itemId);
  return field<string>(retrieved, 'item', 'content', 0, 'transcript');
}

test('auto_truncate barge-in: response cancelled (turn_detected), item incomplete and cut to the real-time playout', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const recorder = await connect(server);
  try {
    await recorder.update({
      turnDetection: { type: 'server_vad', prefixPaddingInMs: 300, silenceDurationInMs: 500, interruptResponse: true, createResponse: true, autoTruncate: true },
    } as never);
    const barge = await interruptLongAnswer(recorder);
    assertCancelledByTurn(recorder, barge);

    const truncated = await recorder.waitFor('conversation.item.truncated');
    assert.equal(field(truncated, 'itemId'), barge.assistantItemId);
    assert.equal(field(truncated, 'contentIndex'), 0);
    const audioEndMs = field<number>(truncated, 'audioEndInMs');
    console.log(`auto_truncate: audio_end_ms ${audioEndMs}; client playout estimate ${barge.playedEstimateMs.toFixed(0)} ms (error ${(audioEndMs - barge.playedEstimateMs).toFixed(0)} ms); answer audio sent ${barge.sentAudioMs.toFixed(0)} ms`);
    assert.ok(audioEndMs <= barge.sentAudioMs, `audio_end_ms ${audioEndMs} ≤ the ${barge.sentAudioMs.toFixed(0)} ms sent`);
    assert.ok(Math.abs(audioEndMs - barge.playedEstimateMs) <= 300, `audio_end_ms ${audioEndMs} within 300 ms of the playout estimate ${barge.playedEstimateMs.toFixed(0)}`);

    // The item keeps only what was heard.
    const heard = await retrieveTranscript(recorder, barge.assistantItemId);
    console.log(`auto_truncate: heard "${heard}" of "${LONG_ANSWER}"`);
    assert.ok(heard.length > 0 && LONG_ANSWER.startsWith(heard) && heard.length < LONG_ANSWER.length, `"${heard}" is a proper prefix of the answer`);
    const spokenSoFar = field<string>(recorder.all('response.audio_transcript.done')[0], 'transcript');
    assert.ok(heard.length < spokenSoFar.length, 'less than the text whose audio had been sent');
    // flite speaks about 60 ms per character: the heard text is about as long as the audio played.
    const msPerChar = barge.sentAudioMs / spokenSoFar.length;
    assert.ok(Math.abs(heard.length * msPerChar - audioEndMs) <= 800, `heard text (${heard.length} chars ≈ ${(heard.length * msPerChar).toFixed(0)} ms) matches ${audioEndMs} ms of audio`);

    // The interruption becomes the next turn and is answered.
    const next = await recorder.waitFor('response.done', { count: 2, timeoutMs: 20_000 });
    assert.equal(field(next, 'response', 'status'), 'completed');
    const roles = recorder.all('conversation.item.created').map((e) => field(e, 'item', 'role'));
    assert.deepEqual(roles, ['user', 'assistant', 'user', 'assistant']);
    assert.equal(recorder.all('error').length, 0, JSON.stringify(recorder.all('error')));
  } finally {
    await recorder.close();
  }
});

test('barge-in without auto_truncate: the server cuts to its playout estimate; the client may re-cut to what it really played', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const recorder = await connect(server);
  try {
    await recorder.update({ turnDetection: { type: 'server_vad', prefixPaddingInMs: 300, silenceDurationInMs: 500, createResponse: false } } as never);
    const barge = await interruptLongAnswer(recorder);
    assertCancelledByTurn(recorder, barge);
    await recorder.waitFor('input_audio_buffer.committed');
    await recorder.quietFor(300);
    const serverCut = recorder.all('conversation.item.truncated');
    assert.equal(serverCut.length, 1, 'the server cuts the item to the estimated playout');
    assert.ok(field<number>(serverCut[0], 'audioEndInMs') < barge.sentAudioMs);
    const spokenSoFar = field<string>(recorder.all('response.audio_transcript.done')[0], 'transcript');
    const estimated = await retrieveTranscript(recorder, barge.assistantItemId);
    assert.ok(spokenSoFar.startsWith(estimated) && estimated.length < spokenSoFar.length, `"${estimated}" is a proper prefix of "${spokenSoFar}"`);

    // What an OpenAI-style client does after speech_started: truncate to the audio it really played
    // (here a little more than the server's estimate, which must still be accepted).
    const played = Math.min(Math.floor(barge.sentAudioMs) - 1, Math.floor(barge.playedEstimateMs) + 300);
    const from = recorder.events.length;
    await recorder.send({ type: 'conversation.item.truncate', itemId: barge.assistantItemId, contentIndex: 0, audioEndInMs: played });
    const truncated = await recorder.waitFor('conversation.item.truncated', { from });
    assert.equal(field(truncated, 'audioEndInMs'), played);
    const heard = await retrieveTranscript(recorder, barge.assistantItemId);
    console.log(`client truncate at ${played} ms of ${barge.sentAudioMs.toFixed(0)} ms: heard "${heard}"`);
    assert.ok(heard.length > 0 && spokenSoFar.startsWith(heard) && heard.length < spokenSoFar.length, `"${heard}" is a proper prefix of "${spokenSoFar}"`);
    assert.equal(recorder.all('error').length, 0, JSON.stringify(recorder.all('error')));
  } finally {
    await recorder.close();
  }
});

test('conversation.item.truncate after a finished audio answer: shortens it; beyond its audio is an error', { skip: speechSkipReason, timeout: 30_000 }, async () => {
  const recorder = await connect(server);
  try {
    await recorder.update({ turnDetection: null } as never);
    await recorder.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'The museum opens at nine and closes at six in the evening.' }] } });
    await recorder.send({ type: 'response.create' });
    const done = await recorder.waitFor('response.done', { timeoutMs: 15_000 });
    assert.equal(field(done, 'response', 'status'), 'completed');
    const itemId = field<string>(done, 'response', 'output', 0, 'id');
    const full = field<string>(done, 'response', 'output', 0, 'content', 0, 'transcript');
    const durationMs = pcm16FromBytes(recorder.responseAudio(field(done, 'response', 'id'))).length / 24;

    const beyond = recorder.events.length;
    await recorder.send({ type: 'conversation.item.truncate', itemId, contentIndex: 0, audioEndInMs: Math.ceil(durationMs) + 500 });
    const error = await recorder.waitFor('error', { from: beyond });
    console.log(`truncate beyond ${durationMs.toFixed(0)} ms: ${field<string>(error, 'error', 'code')}: ${field<string>(error, 'error', 'message')}`);
    assert.equal(field(error, 'error', 'code'), 'invalid_audio_end_ms');
    assert.equal(await retrieveTranscript(recorder, itemId), full, 'a refused truncate changes nothing');

    const half = Math.round(durationMs / 2);
    const from = recorder.events.length;
    await recorder.send({ type: 'conversation.item.truncate', itemId, contentIndex: 0, audioEndInMs: half });
    const truncated = await recorder.waitFor('conversation.item.truncated', { from });
    assert.equal(field(truncated, 'itemId'), itemId);
    assert.equal(field(truncated, 'audioEndInMs'), half);
    const heard = await retrieveTranscript(recorder, itemId);
    console.log(`truncate at ${half} of ${durationMs.toFixed(0)} ms: "${heard}" of "${full}"`);
    assert.ok(heard.length > 0 && full.startsWith(heard) && heard.length < full.length, `"${heard}" is a proper prefix of "${full}"`);
    const share = heard.length / full.length;
    assert.ok(share > 0.25 && share < 0.75, `about half the text is kept for half the audio (${(share * 100).toFixed(0)} %)`);

    // A later truncate re-cuts from the audio as generated (a client correcting an earlier cut),
    // still bounded by the real audio length.
    const again = recorder.events.length;
    const later = Math.min(Math.floor(durationMs), half + 1000);
    await recorder.send({ type: 'conversation.item.truncate', itemId, contentIndex: 0, audioEndInMs: later });
    assert.equal(field(await recorder.waitFor('conversation.item.truncated', { from: again }), 'audioEndInMs'), later);
    const heardLater = await retrieveTranscript(recorder, itemId);
    assert.ok(heardLater.startsWith(heard) && heardLater.length > heard.length && full.startsWith(heardLater), `"${heardLater}" extends "${heard}"`);
  } finally {
    await recorder.close();
  }
});
