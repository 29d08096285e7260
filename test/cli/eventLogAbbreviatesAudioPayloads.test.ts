/**
 * `--log` lines: one JSON object per event with an ISO timestamp, the direction and the event,
 * where base64 audio (`audio` fields anywhere, `delta` of audio delta events) becomes
 * `<base64 N bytes>` and everything else is kept as sent or received.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { abbreviateAudio, base64ByteLength, EventLog, formatLogLine } from '../../src/cli/chat/eventLog.js';

const b64 = (byteLength: number) => Buffer.alloc(byteLength, 7).toString('base64');

test('base64 sizes count the decoded bytes, padding included', () => {
  for (const n of [0, 1, 2, 3, 4, 4800, 4801, 4802]) assert.equal(base64ByteLength(b64(n)), n);
});

test('appended audio, input_audio content and audio deltas are abbreviated; transcripts and text deltas are not', () => {
  assert.deepEqual(abbreviateAudio({ type: 'input_audio_buffer.append', event_id: 'e1', audio: b64(4800) }), {
    type: 'input_audio_buffer.append',
    event_id: 'e1',
    audio: '<base64 4800 bytes>',
  });
  const item = { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_audio', audio: b64(10), transcript: 'hi' }] } };
  assert.deepEqual(abbreviateAudio(item), { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_audio', audio: '<base64 10 bytes>', transcript: 'hi' }] } });
  assert.equal(item.item.content[0]!.audio, b64(10), 'the event itself is not changed');
  assert.equal(abbreviateAudio({ type: 'response.audio.delta', delta: b64(960), item_id: 'i' }).delta, '<base64 960 bytes>');
  assert.equal(abbreviateAudio({ type: 'response.output_audio.delta', delta: b64(3) }).delta, '<base64 3 bytes>');
  assert.equal(abbreviateAudio({ type: 'response.audio_transcript.delta', delta: 'Hello' }).delta, 'Hello');
  assert.equal(abbreviateAudio({ type: 'response.text.delta', delta: 'AAAA' }).delta, 'AAAA');
});

test('a log line holds the ISO timestamp, the direction and the abbreviated event', () => {
  const line = formatLogLine('received', { type: 'response.audio.delta', delta: b64(48) } as { type: string }, new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)));
  assert.equal(line, '{"timestamp":"2025-01-02T03:04:05.006Z","direction":"received","event":{"type":"response.audio.delta","delta":"<base64 48 bytes>"}}');
});

test('the log file gets one line per recorded event, in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'voicelive-log-'));
  try {
    const path = join(dir, 'voicelive.log');
    const log = await EventLog.open(path);
    log.record('sent', { type: 'session.update' });
    log.record('received', { type: 'session.updated' });
    await log.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.deepEqual(lines.slice(0, 2).map((l) => JSON.parse(l).direction), ['sent', 'received']);
    await assert.rejects(EventLog.open(join(dir, 'missing-dir', 'x.log')), /cannot write --log .*ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
