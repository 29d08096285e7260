import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TtsEngineError } from '../../src/engines/tts/types.js';
import { WorkerPool } from '../../src/engines/tts/workerPool.js';
import type { CrashOnDemandJob } from './fixtures/crashOnDemandWorker.js';

const url = new URL('./fixtures/crashOnDemandWorker.ts', import.meta.url);
type Result = { value: number; threadId: number };

test('a worker that exits fails its job with tts_worker_crashed and is replaced', async () => {
  const pool = new WorkerPool<CrashOnDemandJob, Result>({ url, size: 2, name: 'test' });
  try {
    await pool.ready();
    const before = await pool.run({ action: 'echo', value: 1 });
    assert.equal(before.value, 2);

    await assert.rejects(
      pool.run({ action: 'exit' }),
      (error: unknown) =>
        error instanceof TtsEngineError && error.code === 'tts_worker_crashed' && /exit code 3/.test(error.message),
    );
    await assert.rejects(
      pool.run({ action: 'throw' }),
      (error: unknown) => error instanceof TtsEngineError && /boom inside the worker/.test(error.message),
    );
    // Both dead workers were replaced and the pool is back to full strength.
    await pool.ready();
    assert.equal(pool.stats().restarts, 2);
    assert.equal(pool.stats().workers, 2);
    const results = await Promise.all([1, 2, 3, 4].map((value) => pool.run({ action: 'echo', value, delayMs: 20 })));
    assert.deepEqual(
      results.map((result) => result.value),
      [2, 4, 6, 8],
    );
    assert.equal(new Set(results.map((result) => result.threadId)).size, 2, 'both new workers took jobs');
  } finally {
    await pool.close();
  }
});

test('jobs queue while every worker is busy and an abort removes a queued job', async () => {
  const pool = new WorkerPool<CrashOnDemandJob, Result>({ url, size: 1, name: 'test' });
  try {
    await pool.ready();
    const running = pool.run({ action: 'echo', value: 1, delayMs: 100 });
    const controller = new AbortController();
    const queued = pool.run({ action: 'echo', value: 2 }, { signal: controller.signal });
    const waiting = pool.run({ action: 'echo', value: 3 });
    assert.equal(pool.stats().queued, 2);
    controller.abort(new Error('not needed any more'));
    await assert.rejects(queued, /not needed any more/);
    assert.equal(pool.stats().queued, 1);
    assert.equal((await running).value, 2);
    assert.equal((await waiting).value, 6);
  } finally {
    await pool.close();
  }
});

test('workers that cannot start make the pool unavailable instead of respawning forever', async () => {
  const pool = new WorkerPool<CrashOnDemandJob, Result>({
    url,
    size: 1,
    name: 'test',
    workerData: { failStartup: true },
    maxStartFailures: 2,
  });
  try {
    await assert.rejects(
      pool.ready(),
      (error: unknown) =>
        error instanceof TtsEngineError && error.code === 'engine_unavailable' && /missing model file/.test(error.message),
    );
    await assert.rejects(pool.run({ action: 'echo', value: 1 }), { code: 'engine_unavailable' });
    assert.equal(pool.stats().workers, 0);
  } finally {
    await pool.close();
  }
});

test('close rejects queued jobs with engine_closed', async () => {
  const pool = new WorkerPool<CrashOnDemandJob, Result>({ url, size: 1, name: 'test' });
  await pool.ready();
  const running = pool.run({ action: 'echo', value: 1, delayMs: 200 });
  const queued = pool.run({ action: 'echo', value: 2 });
  const outcomes = Promise.all([
    assert.rejects(running, { code: 'engine_closed' }),
    assert.rejects(queued, { code: 'engine_closed' }),
  ]);
  await pool.close();
  await outcomes;
  await assert.rejects(pool.run({ action: 'echo', value: 3 }), { code: 'engine_closed' });
});
