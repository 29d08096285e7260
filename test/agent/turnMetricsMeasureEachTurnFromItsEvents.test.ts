/**
 * Per-turn metrics from a scripted timeline on a fake clock: end-of-utterance delay against the time
 * the audio reaching `audio_end_ms` was pushed, transcription delay, time to first text/audio from
 * the turn's start (speech_stopped, or the app's response request), response duration, audio and
 * speech durations, interruptions, tokens.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnMetricsTracker } from '../../src/agent/turnMetrics.js';

/** Audio pushed in real time from clock 1000 ms: 10 ms chunks, each sent when its audio has been "recorded". */
function pushRealTime(tracker: TurnMetricsTracker, untilAudioMs: number): void {
  for (let endMs = 10; endMs <= untilAudioMs; endMs += 10) tracker.audioSent(endMs, 1000 + endMs);
}

test('a voice turn: EoU delay from the push that reached audio_end_ms, transcription and first-output delays from speech_stopped', () => {
  const tracker = new TurnMetricsTracker();
  pushRealTime(tracker, 3000);
  tracker.userSpeechStarted('item_u1', 700);
  tracker.userSpeechStopped('item_u1', 2003, 3553);
  tracker.userCommitted('item_u1', 3560);
  tracker.userTranscribed('item_u1', 3603);
  tracker.responseCreated('resp_1', 3610);
  tracker.textDelta('resp_1', 3650);
  tracker.audioDelta('resp_1', 40, 3700);
  tracker.textDelta('resp_1', 3710);
  tracker.audioDelta('resp_1', 60, 3800);
  const metrics = tracker.responseDone('resp_1', 'completed', { input_tokens: 12, output_tokens: 30 }, 4500);
  assert.deepEqual(metrics, {
    responseId: 'resp_1',
    trigger: 'user_speech',
    userItemId: 'item_u1',
    status: 'completed',
    interrupted: false,
    interruptionCount: 0,
    userSpeechDurationMs: 1303,
    // 2003 ms of audio was first covered by the chunk ending at 2010 ms, pushed at clock 3010.
    endOfUtteranceDelayMs: 543,
    transcriptionDelayMs: 50,
    timeToFirstTextMs: 97,
    timeToFirstAudioMs: 147,
    responseDurationMs: 890,
    agentAudioDurationMs: 100,
    inputTokens: 12,
    outputTokens: 30,
  });
});

test('app-requested, interrupted and server-started responses', () => {
  const tracker = new TurnMetricsTracker();
  tracker.responseRequested(5000);
  tracker.responseCreated('resp_2', 5010);
  tracker.audioDelta('resp_2', 500, 5100);
  assert.equal(tracker.responseInterrupted('resp_2'), true);
  assert.equal(tracker.responseInterrupted('resp_2'), false, 'counted once');
  const second = tracker.responseDone('resp_2', 'cancelled', null, 5200);
  assert.equal(second?.trigger, 'app_request');
  assert.equal(second?.userItemId, null);
  assert.equal(second?.endOfUtteranceDelayMs, null);
  assert.equal(second?.transcriptionDelayMs, null);
  assert.equal(second?.timeToFirstAudioMs, 100);
  assert.equal(second?.timeToFirstTextMs, null);
  assert.equal(second?.interrupted, true);
  assert.equal(second?.interruptionCount, 1);
  assert.equal(second?.inputTokens, null);

  tracker.playbackInterrupted();
  tracker.responseCreated('resp_3', 6000);
  tracker.audioDelta('resp_3', 20, 6080);
  const third = tracker.responseDone('resp_3', 'completed', undefined, 6300);
  assert.equal(third?.trigger, 'server');
  assert.equal(third?.timeToFirstAudioMs, 80, 'measured from response.created when nothing started the turn');
  assert.equal(third?.interrupted, false);
  assert.equal(third?.interruptionCount, 2);
  assert.equal(tracker.responseDone('resp_unknown', 'completed', null, 7000), null);
});

test('a manual turn: transcription delay from the commit; a late transcription counts only if it arrived before response.done', () => {
  const tracker = new TurnMetricsTracker();
  tracker.userCommitted('item_m', 100);
  tracker.responseRequested(110);
  tracker.responseCreated('resp_m', 120);
  tracker.userTranscribed('item_m', 180);
  const manual = tracker.responseDone('resp_m', 'completed', null, 400);
  assert.equal(manual?.trigger, 'app_request');
  assert.equal(manual?.userItemId, 'item_m');
  assert.equal(manual?.transcriptionDelayMs, 80);
  assert.equal(manual?.userSpeechDurationMs, null);

  tracker.userCommitted('item_late', 1000);
  tracker.responseRequested(1001);
  tracker.responseCreated('resp_late', 1002);
  const late = tracker.responseDone('resp_late', 'completed', null, 1500);
  assert.equal(late?.transcriptionDelayMs, null);
});

test('end-of-utterance lookup: audio never sent by the agent gives null', () => {
  const tracker = new TurnMetricsTracker();
  pushRealTime(tracker, 500);
  assert.equal(tracker.sentAtForAudio(250), 1250);
  assert.equal(tracker.sentAtForAudio(500.4), 1500, 'a rounded audio_end_ms half a ms past the last chunk still matches it');
  assert.equal(tracker.sentAtForAudio(900), null);
});
