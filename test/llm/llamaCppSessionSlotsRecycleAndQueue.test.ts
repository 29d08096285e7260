import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionSlots } from '../../src/engines/llm/sessionSlots.js';

function makeSlots(capacity: number) {
  let made = 0;
  const resets: number[] = [];
  const slots = new SessionSlots<{ id: number }>(capacity, {
    create: () => ({ id: ++made }),
    reset: async (state) => {
      resets.push(state.id);
    },
  });
  return { slots, resets, made: () => made };
}

const live = () => new AbortController().signal;

test('a session keeps its slot across turns; new sessions get new slots up to the capacity', async () => {
  const { slots, made } = makeSlots(2);
  const a1 = (await slots.acquire('a', live()))!;
  slots.done(a1);
  const a2 = (await slots.acquire('a', live()))!;
  assert.equal(a2.state, a1.state);
  slots.done(a2);
  const b = (await slots.acquire('b', live()))!;
  assert.notEqual(b.state, a1.state);
  slots.done(b);
  assert.equal(made(), 2);
  assert.deepEqual(slots.stats(), { capacity: 2, slots: 2, sessions: 2, busy: 0, waiting: 0 });
});

test('beyond the capacity the least recently used idle slot is reset and handed over', async () => {
  const { slots, resets, made } = makeSlots(2);
  for (const id of ['a', 'b', 'a']) slots.done((await slots.acquire(id, live()))!);
  const c = (await slots.acquire('c', live()))!; // b was used least recently
  assert.equal(made(), 2);
  assert.deepEqual(resets, [c.state.id]);
  slots.done(c);
  assert.equal(slots.stats().sessions, 2);
});

test('when every slot is busy requests wait in order; an aborted wait resolves null', async () => {
  const { slots } = makeSlots(1);
  const a = (await slots.acquire('a', live()))!;
  const order: string[] = [];
  const b = slots.acquire('b', live()).then((s) => (order.push('b'), s));
  const controller = new AbortController();
  const c = slots.acquire('c', controller.signal);
  const a2 = slots.acquire('a', live()).then((s) => (order.push('a'), s));
  await new Promise((r) => setImmediate(r));
  assert.equal(slots.stats().waiting, 3);
  controller.abort();
  assert.equal(await c, null);
  assert.equal(slots.stats().waiting, 2);
  slots.done(a);
  const bSlot = (await b)!;
  slots.done(bSlot);
  slots.done((await a2)!);
  assert.deepEqual(order, ['b', 'a']);
});

test('release frees an idle slot at once and a busy one when its response ends', async () => {
  const { slots, resets } = makeSlots(2);
  slots.done((await slots.acquire('a', live()))!);
  slots.release('a');
  assert.equal(slots.stats().sessions, 0);
  await new Promise((r) => setImmediate(r)); // resets run asynchronously
  assert.equal(resets.length, 1);
  const b = (await slots.acquire('b', live()))!;
  slots.release('b');
  assert.equal(slots.stats().sessions, 1, 'still generating');
  slots.done(b);
  assert.equal(slots.stats().sessions, 0);
  await new Promise((r) => setImmediate(r));
  assert.equal(resets.length, 2);
  slots.release('unknown');
  assert.throws(() => new SessionSlots(0, { create: () => 1, reset: async () => undefined }));
});
