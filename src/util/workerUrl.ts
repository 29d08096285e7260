/**
 * Resolves a worker-thread entry file next to the calling module. Under tsx (tests, dev) modules
 * are `.ts`; in the compiled package they are `.js`. Pass the caller's `import.meta.url` and the
 * worker's base name without extension.
 */
export function workerUrl(callerModuleUrl: string, baseName: string): URL {
  const extension = callerModuleUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${baseName}${extension}`, callerModuleUrl);
}
