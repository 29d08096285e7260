import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on `entry`. A compiled `.js` entry starts directly. A `.ts` entry (tests
 * and development under tsx) goes through a tiny bootstrap that registers tsx inside the thread
 * first: on Node 20 a worker inherits neither the parent's `--import tsx` hooks nor honours them
 * in `execArgv`.
 */
export function startWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsxApiUrl = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApiUrl)})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
