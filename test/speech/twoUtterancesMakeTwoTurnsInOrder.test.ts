/**
 * Two human utterances 1.5 s apart in one session (streamed at real-time pace through the Azure
 * SDK) make two VAD turns, two automatic responses, and a conversation that reads
 * user → assistant → user → assistant.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { composeScene, encodeScene, librivoxClip } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { assertSpeechAudio, connect, field, speechSkipReason, startSpeechServer } from './speechSession.js';

let server: TestServer;
before(async () => {
  if (!speechSkipReason) server = await startSpeechServer();
});
after(async () => {
  await server?.close();
});

test('two utterances 1.5 s apart: two turns, their answers, items in conversation order', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const recorder = await connect(server);
  try {
    await recorder.update({ turnDetection: { type: 'server_vad', prefixPaddingInMs: 300, silenceDurationInMs: 500 } } as never);
    const scene = composeScene([librivoxClip('sense_and_sensibility_01_austen_64kb-0880'), librivoxClip('sense_and_sensibility_01_austen_64kb-0930')], [800, 1500, 1500]);
    await recorder.streamAudio(encodeScene(scene, 'pcm16', 24_000), 48_000);
    // The answer to turn 2 comes after its user item.
    const user2 = await recorder.waitFor((e) => e.type === 'conversation.item.created' && field(e, 'item', 'role') === 'user', { count: 2, timeoutMs: 30_000 });
    await recorder.waitFor('response.done', { from: recorder.events.indexOf(user2), timeoutMs: 15_000 });

    const started = recorder.all('input_audio_buffer.speech_started');
    const stopped = recorder.all('input_audio_buffer.speech_stopped');
    assert.equal(started.length, 2, 'two speech_started');
    assert.equal(stopped.length, 2, 'two speech_stopped');
    started.forEach((event, index) => {
      const truth = scene.speech[index]!;
      const startMs = field<number>(event, 'audioStartInMs');
      const endMs = field<number>(stopped[index], 'audioEndInMs');
      console.log(`turn ${index + 1}: audio ${startMs}–${endMs} ms, speech ${truth.startMs.toFixed(0)}–${truth.endMs.toFixed(0)} ms`);
      assert.ok(Math.abs(startMs - (truth.startMs - 300)) <= 200, `turn ${index + 1} starts at its onset − padding`);
      assert.ok(Math.abs(endMs - truth.endMs) <= 200, `turn ${index + 1} ends with its speech`);
      assert.equal(field(stopped[index], 'itemId'), field(event, 'itemId'));
    });
    assert.ok(field<number>(started[1], 'audioStartInMs') > field<number>(stopped[0], 'audioEndInMs'), 'the turns do not overlap');

    // Turn 1 is answered when its transcription (and so its response) came before the user spoke
    // again. When the ASR was slower than the pause (a heavily loaded machine), the new turn
    // supersedes that answer and one response follows both turns.
    const at = (e: unknown) => recorder.events.indexOf(e as never);
    const firstAnswered = recorder.all('response.created').some((e) => at(e) < at(user2));
    const transcriptions = recorder.all('conversation.item.input_audio_transcription.completed');
    const transcripts = transcriptions.map((e) => field<string>(e, 'transcript'));
    assert.equal(transcripts.length, 2);
    console.log(firstAnswered ? 'turn 1 was answered before turn 2 began' : 'turn 1 was still being transcribed when turn 2 began: its answer was superseded');
    if (!firstAnswered) assert.ok(at(transcriptions[0]) > at(started[1]), 'an answer is superseded only when the next turn began first');

    // The conversation, as announced by conversation.item.created (each links to the one before).
    const created = recorder.all('conversation.item.created');
    assert.deepEqual(
      created.map((e) => field(e, 'item', 'role')),
      firstAnswered ? ['user', 'assistant', 'user', 'assistant'] : ['user', 'user', 'assistant'],
    );
    created.forEach((event, index) => {
      assert.equal(field(event, 'previousItemId') ?? null, index === 0 ? null : field(created[index - 1], 'item', 'id'), `item ${index} follows item ${index - 1}`);
    });
    const userItems = created.filter((e) => field(e, 'item', 'role') === 'user');
    assert.deepEqual(
      userItems.map((e) => field(e, 'item', 'id')),
      started.map((e) => field(e, 'itemId')),
      'the user items are the two VAD turns, in order',
    );
    userItems.forEach((e, index) => assert.equal(field(e, 'item', 'content', 0, 'transcript'), transcripts[index]));

    const responses = recorder.all('response.done');
    const assistantItems = created.filter((e) => field(e, 'item', 'role') === 'assistant');
    assert.equal(responses.length, assistantItems.length);
    responses.forEach((done, index) => {
      const status = field<string>(done, 'response', 'status');
      const spoken = field<string>(done, 'response', 'output', 0, 'content', 0, 'transcript');
      const turn = firstAnswered ? index : 1;
      console.log(`response ${index + 1}: ${status}, "${spoken}"`);
      assert.equal(field(done, 'response', 'output', 0, 'id'), field(assistantItems[index], 'item', 'id'));
      if (status === 'completed') {
        assert.equal(spoken, `You said: ${transcripts[turn]}.`, `response ${index + 1} answers turn ${turn + 1}`);
        assertSpeechAudio(recorder, field(done, 'response', 'id'), 'pcm16', spoken);
      } else {
        // Only the first one may have been interrupted, when it was still running as turn 2 began.
        assert.equal(index, 0);
        assert.equal(status, 'cancelled');
        assert.equal(field(done, 'response', 'statusDetails', 'reason'), 'turn_detected');
      }
    });
    assert.equal(field(responses.at(-1), 'response', 'status'), 'completed');
    assert.equal(recorder.all('error').length, 0, JSON.stringify(recorder.all('error')));
  } finally {
    await recorder.close();
  }
});
