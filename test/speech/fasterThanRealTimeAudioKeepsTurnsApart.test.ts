/**
 * A client that sends audio faster than real time (a file, or a backlog after a network stall) gets
 * the same turns as a live microphone: each turn is transcribed from its own audio (not from
 * whatever arrived meanwhile), the user items keep commit order even when a later transcription
 * finishes first, and the newer turn's answer replaces the one still pending, without errors.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { wordErrorRate } from '../../src/util/wer.js';
import { composeScene, encodeScene, librivoxClip } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { connect, field, speechSkipReason, startSpeechServer } from './speechSession.js';

let server: TestServer;
before(async () => {
  if (!speechSkipReason) server = await startSpeechServer();
});
after(async () => {
  await server?.close();
});

test('two utterances sent at once: each turn has its own transcript, items in commit order, one answer, no errors', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const recorder = await connect(server);
  try {
    await recorder.update({ turnDetection: { type: 'server_vad', prefixPaddingInMs: 300, silenceDurationInMs: 500 } } as never);
    const clips = [librivoxClip('sense_and_sensibility_01_austen_64kb-0880'), librivoxClip('sense_and_sensibility_01_austen_64kb-0930')];
    const scene = composeScene(clips, [800, 1500, 1500]);
    await recorder.streamAudio(encodeScene(scene, 'pcm16', 24_000), 48_000, { realTime: false });
    const user2 = await recorder.waitFor((e) => e.type === 'conversation.item.created' && field(e, 'item', 'role') === 'user', { count: 2, timeoutMs: 30_000 });
    await recorder.waitFor('response.done', { from: recorder.events.indexOf(user2), timeoutMs: 15_000 });

    // The turns are the same as at real-time pace: the audio clock does not depend on arrival times.
    const started = recorder.all('input_audio_buffer.speech_started');
    const stopped = recorder.all('input_audio_buffer.speech_stopped');
    assert.equal(started.length, 2);
    assert.equal(stopped.length, 2);
    scene.speech.forEach((truth, index) => {
      assert.ok(Math.abs(field<number>(started[index], 'audioStartInMs') - (truth.startMs - 300)) <= 200, `turn ${index + 1} start`);
      assert.ok(Math.abs(field<number>(stopped[index], 'audioEndInMs') - truth.endMs) <= 200, `turn ${index + 1} end`);
    });

    // Each transcript is of its own turn's audio.
    const itemIds = started.map((e) => field<string>(e, 'itemId'));
    const transcriptions = recorder.all('conversation.item.input_audio_transcription.completed');
    assert.equal(transcriptions.length, 2);
    itemIds.forEach((itemId, index) => {
      const transcript = field<string>(transcriptions.find((e) => field(e, 'itemId') === itemId), 'transcript');
      const wer = wordErrorRate(clips[index]!.text, transcript);
      console.log(`turn ${index + 1}: "${transcript}" vs "${clips[index]!.text}": WER ${(wer.wer * 100).toFixed(1)} %`);
      assert.ok(wer.wer <= 0.6, `turn ${index + 1} transcript matches its own utterance (WER ${(wer.wer * 100).toFixed(1)} %)`);
    });

    // Items appear in commit order, where the committed events said they would.
    const committed = recorder.all('input_audio_buffer.committed');
    assert.deepEqual(committed.map((e) => field(e, 'itemId')), itemIds);
    const userCreated = recorder.all((e) => e.type === 'conversation.item.created' && field(e, 'item', 'role') === 'user');
    assert.deepEqual(userCreated.map((e) => field(e, 'item', 'id')), itemIds, 'user items in commit order');
    userCreated.forEach((created, index) => {
      assert.equal(field(created, 'previousItemId') ?? null, field(committed[index], 'previousItemId') ?? null, `item ${index + 1} follows what committed announced`);
    });

    // Every answer echoes the user item just before it; the last one answers turn 2.
    const created = recorder.all('conversation.item.created');
    for (const done of recorder.all('response.done')) {
      const item = field<Record<string, unknown>>(done, 'response', 'output', 0);
      const position = created.findIndex((e) => field(e, 'item', 'id') === item.id);
      const userBefore = created[position - 1];
      assert.equal(field(userBefore, 'item', 'role'), 'user');
      if (field(done, 'response', 'status') === 'completed') {
        assert.equal(field(item, 'content', 0, 'transcript'), `You said: ${field<string>(userBefore, 'item', 'content', 0, 'transcript')}.`);
      }
    }
    const last = recorder.all('response.done').at(-1);
    assert.equal(field(last, 'response', 'status'), 'completed');
    assert.equal(field(created.at(-2), 'item', 'id'), itemIds[1]);
    assert.deepEqual(recorder.all('error').map((e) => field(e, 'error', 'code')), [], 'no errors (e.g. conversation_already_has_active_response)');
  } finally {
    await recorder.close();
  }
});
