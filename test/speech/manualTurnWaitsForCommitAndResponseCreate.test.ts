/**
 * Manual turn mode (`turnDetection: null` set through the Azure SDK): streamed speech causes no VAD
 * events and no response; `input_audio_buffer.commit` gives committed → transcription → item; only
 * `response.create` answers; a commit of under 100 ms is refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { wordErrorRate } from '../../src/util/wer.js';
import { composeScene, encodeScene, librivoxClip, silenceScene } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { assertSpeechAudio, connect, field, speechSkipReason, startSpeechServer } from './speechSession.js';

let server: TestServer;
before(async () => {
  if (!speechSkipReason) server = await startSpeechServer();
});
after(async () => {
  await server?.close();
});

test('turnDetection null: no VAD events or response until commit and response.create; short commit is refused', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const recorder = await connect(server);
  try {
    const updated = await recorder.update({ turnDetection: null } as never);
    assert.equal(field(updated, 'session', 'turnDetection') ?? null, null, 'session.updated shows turn detection off');

    // A full utterance with silence around it, like a push-to-talk client that keeps the mic open.
    const clip = librivoxClip('sense_and_sensibility_01_austen_64kb-0930');
    const scene = composeScene([clip], [500, 1200]);
    await recorder.streamAudio(encodeScene(scene, 'pcm16', 24_000), 48_000);
    const afterAppend = await recorder.quietFor(800);
    assert.deepEqual(afterAppend.map((e) => e.type), [], 'nothing happens while audio is only appended');
    const vadTypes = ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed'];
    assert.deepEqual(recorder.types().filter((t) => vadTypes.includes(t)), []);

    const beforeCommit = recorder.events.length;
    await recorder.send({ type: 'input_audio_buffer.commit' });
    const committed = await recorder.waitFor('input_audio_buffer.committed', { from: beforeCommit });
    const itemId = field<string>(committed, 'itemId');
    const transcription = await recorder.waitFor('conversation.item.input_audio_transcription.completed', { from: beforeCommit, timeoutMs: 15_000 });
    const created = await recorder.waitFor('conversation.item.created', { from: beforeCommit });
    assert.equal(field(transcription, 'itemId'), itemId);
    assert.equal(field(created, 'item', 'id'), itemId);
    assert.equal(field(created, 'item', 'role'), 'user');
    assert.equal(field(created, 'item', 'content', 0, 'type'), 'input_audio');
    const transcript = field<string>(transcription, 'transcript');
    assert.equal(field(created, 'item', 'content', 0, 'transcript'), transcript);
    const at = (e: unknown) => recorder.events.indexOf(e as never);
    assert.ok(at(committed) < at(transcription) && at(transcription) < at(created), 'committed → transcription completed → item created');
    const wer = wordErrorRate(clip.text, transcript);
    console.log(`manual commit transcript "${transcript}" vs "${clip.text}": WER ${(wer.wer * 100).toFixed(1)} %`);
    assert.ok(wer.wer <= 0.6, `WER ${(wer.wer * 100).toFixed(1)} % ≤ 60 %`);

    const afterCommit = await recorder.quietFor(1000);
    assert.deepEqual(afterCommit.map((e) => e.type), [], 'no response without response.create');
    assert.deepEqual(recorder.types().filter((t) => t.startsWith('response.') || vadTypes.slice(0, 2).includes(t)), []);

    const beforeResponse = recorder.events.length;
    await recorder.send({ type: 'response.create' });
    const done = await recorder.waitFor('response.done', { from: beforeResponse, timeoutMs: 10_000 });
    assert.equal(field(done, 'response', 'status'), 'completed');
    const spoken = field<string>(done, 'response', 'output', 0, 'content', 0, 'transcript');
    assert.equal(spoken, `You said: ${transcript}.`);
    assertSpeechAudio(recorder, field(done, 'response', 'id'), 'pcm16', spoken);

    // 50 ms is below the 100 ms minimum; the buffer is refused, not committed.
    const beforeShort = recorder.events.length;
    await recorder.streamAudio(encodeScene(silenceScene(50), 'pcm16', 24_000), 48_000, { realTime: false });
    await recorder.send({ type: 'input_audio_buffer.commit' });
    const error = await recorder.waitFor('error', { from: beforeShort });
    assert.equal(field(error, 'error', 'code'), 'input_audio_buffer_commit_empty');
    await recorder.quietFor(300);
    assert.deepEqual(recorder.types(beforeShort), ['error'], 'only the error: nothing committed, nothing answered');
    assert.equal(recorder.all('input_audio_buffer.committed').length, 1);
    assert.equal(recorder.all('error').length, 1);
  } finally {
    await recorder.close();
  }
});
