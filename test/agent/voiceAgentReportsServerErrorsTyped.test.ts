/**
 * Errors reach the app as typed `error` events carrying the server's code: an `error` event, a
 * failed response, a failed transcription, and an abnormal close (then a `closed` event, and the
 * agent refuses further use). A `response_cancel_not_active` answering the agent's own cancel (the
 * response finished first) is an expected race and is not reported.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { VoiceAgentError, createVoiceAgent } from '../../src/agent/index.js';
import { EventLog } from './agentSpeechKit.js';

type Frame = { type: string; event_id?: string; [key: string]: unknown };

const closers: (() => Promise<void>)[] = [];
after(async () => {
  await Promise.all(closers.map((close) => close()));
});

const session = { id: 'sess_1', object: 'realtime.session', model: 'm', modalities: ['text', 'audio'], turn_detection: null, tools: [] };
let eventCounter = 0;
function send(socket: WebSocket, event: Record<string, unknown>): void {
  socket.send(JSON.stringify({ event_id: `event_${++eventCounter}`, ...event }));
}
function response(id: string, status: string, statusDetails: unknown = null): Record<string, unknown> {
  return { id, object: 'realtime.response', status, status_details: statusDetails, output: [], usage: null };
}

/** A server that starts and acknowledges the session, then hands every client frame to `onFrame`. */
async function scriptedServer(onFrame: (socket: WebSocket, frame: Frame) => void): Promise<string> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket) => {
    send(socket, { type: 'session.created', session });
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.type === 'session.update') send(socket, { type: 'session.updated', session });
      else onFrame(socket, frame);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

test('server error, failed response, failed transcription, abnormal close: typed errors with the server codes, then closed', { timeout: 10_000 }, async () => {
  const endpoint = await scriptedServer((socket, frame) => {
    if (frame.type !== 'response.create') return;
    send(socket, { type: 'error', error: { type: 'server_error', code: 'engine_unavailable', message: 'TTS is down', param: null, event_id: null } });
    send(socket, { type: 'response.created', response: response('resp_1', 'in_progress') });
    send(socket, { type: 'response.done', response: response('resp_1', 'failed', { type: 'failed', error: { type: 'server_error', code: 'llm_failed', message: 'LLM exploded' } }) });
    send(socket, { type: 'conversation.item.input_audio_transcription.failed', item_id: 'item_u', content_index: 0, error: { type: 'server_error', code: 'asr_error', message: 'ASR crashed', param: null } });
    setTimeout(() => socket.close(1011, 'boom'), 50);
  });
  const agent = createVoiceAgent({ endpoint, credential: 'key', model: 'm', turnDetection: null });
  const log = new EventLog(agent);
  await agent.connect();
  const closed = agent.waitFor('closed', { timeoutMs: 5000 });
  agent.sendText('Hello');
  const closedEvent = await closed;

  const errors = log.all('error').map((e) => e.error);
  assert.deepEqual(
    errors.map((e) => [e.kind, e.serverCode ?? e.closeCode]),
    [
      ['server_error', 'engine_unavailable'],
      ['response_failed', 'llm_failed'],
      ['transcription_failed', 'asr_error'],
      ['connection_closed', 1011],
    ],
  );
  assert.ok(errors.every((e) => e instanceof VoiceAgentError));
  assert.equal(errors[0]!.serverType, 'server_error');
  assert.equal(errors[1]!.responseId, 'resp_1');
  assert.equal(errors[2]!.itemId, 'item_u');
  const done = log.all('response_done')[0]!;
  assert.equal(done.status, 'failed');
  assert.equal(log.all('metrics')[0]!.metrics.status, 'failed');
  assert.equal(closedEvent.code, 1011);
  assert.equal(closedEvent.reason, 'boom');
  assert.equal(closedEvent.initiatedBy, 'server');
  assert.equal(closedEvent.error, errors[3]);
  assert.equal(agent.isReady, false);
  assert.throws(() => agent.sendText('again'), (e: unknown) => e instanceof VoiceAgentError && e.kind === 'not_connected');
  await agent.close();
});

test('a cancel that loses the race with the end of the response is not reported as an error', { timeout: 10_000 }, async () => {
  const endpoint = await scriptedServer((socket, frame) => {
    if (frame.type === 'response.create') send(socket, { type: 'response.created', response: response('resp_2', 'in_progress') });
    if (frame.type === 'response.cancel') {
      // The response had already finished when the cancel arrived.
      send(socket, { type: 'response.done', response: response('resp_2', 'completed') });
      send(socket, { type: 'error', error: { type: 'invalid_request_error', code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found', param: null, event_id: frame.event_id } });
      send(socket, { type: 'error', error: { type: 'invalid_request_error', code: 'other_problem', message: 'reported', param: null, event_id: null } });
    }
  });
  const agent = createVoiceAgent({ endpoint, credential: 'key', model: 'm', turnDetection: null });
  const log = new EventLog(agent);
  try {
    await agent.connect();
    const created = agent.connection!.waitFor('response.created', { timeoutMs: 5000 });
    agent.createResponse();
    await created;
    // The connection's listeners run on arrival; the agent reads its event stream a few microtasks later.
    await new Promise((resolve) => setImmediate(resolve));
    const reported = agent.waitFor('error', { timeoutMs: 5000 });
    assert.equal(agent.interrupt().cancelledResponseId, 'resp_2');
    assert.equal((await reported).error.serverCode, 'other_problem');
    assert.deepEqual(log.all('error').map((e) => e.error.serverCode), ['other_problem']);
    assert.equal(log.all('metrics')[0]!.metrics.interrupted, true);
  } finally {
    await agent.close();
  }
});
