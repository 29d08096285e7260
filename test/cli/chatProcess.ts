/**
 * Runs `voicelive chat` as a child process from the TypeScript sources (`node --import tsx
 * src/cli/main.ts chat …`, so no build is needed), as a user or a script would.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';

export interface ChatRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChatProcess {
  child: ChildProcessWithoutNullStreams;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when stdout matches `pattern` (rejects after `timeoutMs` or when the process exits first). */
  waitForStdout(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The same for stderr. */
  waitForStderr(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited: Promise<ChatRun>;
}

/** Starts `voicelive chat <args>`; `env` is added to the test's environment. */
export function startChat(args: string[], env: Record<string, string | undefined> = {}): ChatProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'chat', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, VOICELIVE_API_KEY: '', AZURE_VOICELIVE_API_KEY: '', VOICELIVE_ENDPOINT: '', AZURE_VOICELIVE_ENDPOINT: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (text: string) => (stdout += text));
  child.stderr.on('data', (text: string) => (stderr += text));
  const waitForOutput = (name: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const stream = name === 'stdout' ? child.stdout : child.stderr;
      const text = () => (name === 'stdout' ? stdout : stderr);
      const check = () => {
        const match = pattern.exec(text());
        if (!match) return false;
        cleanup();
        resolve(match);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${name} did not match ${pattern} within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, timeoutMs);
      const onExit = () => {
        if (check()) return;
        cleanup();
        reject(new Error(`the CLI exited before ${name} matched ${pattern}.\nstdout: ${stdout}\nstderr: ${stderr}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        stream.off('data', check);
        child.off('close', onExit);
      };
      if (check()) return;
      stream.on('data', check);
      child.once('close', onExit);
    });
  const exited = new Promise<ChatRun>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForStdout: (pattern, timeoutMs) => waitForOutput('stdout', pattern, timeoutMs),
    waitForStderr: (pattern, timeoutMs) => waitForOutput('stderr', pattern, timeoutMs),
    exited,
  };
}

/** Runs `voicelive chat <args>` to completion (killed after `timeoutMs`). */
export async function runChat(args: string[], options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<ChatRun> {
  const run = startChat(args, options.env);
  run.child.stdin.end();
  const timer = setTimeout(() => run.child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  try {
    return await run.exited;
  } finally {
    clearTimeout(timer);
  }
}
