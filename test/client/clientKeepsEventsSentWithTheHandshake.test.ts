/**
 * No event is lost between connect() resolving and the first loop: a server that sends a burst of
 * events in the very same TCP write as its 101 answer (the frames come in the same read as the
 * handshake answer, long before anyone iterates) has every one of them delivered, in order, to a loop
 * that starts later. (The same raw server never answers a close frame, so it also shows close()
 * giving up after closeTimeoutMs.)
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { test } from 'node:test';
import { connect } from '../../src/client/index.js';

/** One unmasked server text frame (payloads < 64 KiB). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header = payload.length < 126 ? Buffer.from([0x81, payload.length]) : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

test('events written together with the 101 answer all reach a loop started later, in order', async () => {
  const burst = [
    { type: 'session.created', event_id: 'event_0', session: { id: 'sess_burst', object: 'realtime.session' } },
    ...Array.from({ length: 40 }, (_, i) => ({ type: 'response.text.delta', event_id: `event_${i + 1}`, response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: `w${i} ` })),
    { type: 'response.done', event_id: 'event_41', response: { id: 'r', status: 'completed', output: [] } },
  ];
  const http = createServer();
  const sockets: Duplex[] = [];
  http.on('upgrade', (request, socket) => {
    sockets.push(socket);
    const accept = createHash('sha1').update(`${String(request.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    const handshake = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
    socket.write(Buffer.concat([Buffer.from(handshake), ...burst.map((e) => textFrame(JSON.stringify(e)))]));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = http.address() as AddressInfo;
    const connection = await connect({ endpoint: `http://127.0.0.1:${port}`, credential: 'k', model: 'm', closeTimeoutMs: 200 });
    assert.equal(connection.sessionId, 'sess_burst');
    // Let every frame be parsed before anyone reads.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ids: string[] = [];
    for await (const event of connection) {
      ids.push(event.event_id);
      if (event.type === 'response.done') break;
    }
    assert.deepEqual(ids, burst.map((e) => e.event_id));
    // This server never answers the close frame: close() gives up after closeTimeoutMs and drops the socket.
    const closingAt = performance.now();
    assert.deepEqual(await connection.close(), { code: 1000, reason: 'Client disconnect', initiatedBy: 'client' });
    const closeMs = performance.now() - closingAt;
    assert.ok(closeMs >= 190 && closeMs < 1000, `close() resolved after ${closeMs.toFixed(0)} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
});
