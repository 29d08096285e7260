/**
 * The benchmark's server runs in a child process (bench/lib/serverChild.ts) so the load generator's
 * own work (pacing, base64, JSON parsing) cannot delay the server's event loop. This module holds
 * the IPC message types and the parent-side handle.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What-if engine settings; when any is set the child builds the engines itself instead of `createEngines`. */
export interface EngineOverrides {
  asrPoolSize?: number;
  asrMaxPoolSize?: number;
  /** Extra pocketsphinx decoder options, e.g. { '-pl_window': '10' }. */
  asrDecoderArgs?: Record<string, string>;
  /** Scheduling niceness of the ASR decoder threads. */
  asrThreadNiceness?: number;
  ttsWorkers?: number;
  ttsWordTimings?: boolean;
  vadWorkers?: number;
}

export interface ServerChildOptions {
  engines: EngineOverrides;
  /** Event-loop delay sampling interval (monitorEventLoopDelay resolution), ms. */
  eldResolutionMs: number;
}

export interface PhaseStats {
  wallMs: number;
  /** User + system CPU of the whole server process (main thread and all worker threads). */
  cpuMs: number;
  /** cpuMs / wallMs × 100: percent of one core. */
  cpuPercentOfOneCore: number;
  /** Whole machine (all processes, all cores) busy % over the phase, from /proc/stat; null off Linux. */
  machineBusyPercent: number | null;
  /**
   * Time the server's threads spent runnable but waiting for a CPU, ms per wall second, summed over
   * threads (from /proc/self/task/N/schedstat): CPU contention from the server's own threads and
   * from other processes on the machine. Null off Linux.
   */
  runQueueWaitMsPerS: number | null;
  /** Main-thread event-loop utilization (0..1). */
  eventLoopUtilization: number;
  /** Event-loop delay beyond the sampling interval, ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number; samples: number };
  /** Pocketsphinx decoder pool, sampled every 50 ms (null when the ASR engine has no pool stats). */
  asrPool: { decoders: number; maxBusy: number; meanBusy: number; maxWaiting: number; meanWaiting: number } | null;
}

export type ParentMessage = { type: 'phase-start' } | { type: 'phase-end' } | { type: 'shutdown' };

export type ChildMessage =
  | { type: 'ready'; port: number; engines: string[]; unavailable: Record<string, string>; loadMs: number }
  | { type: 'phase-started' }
  | { type: 'phase-stats'; stats: PhaseStats }
  | { type: 'fatal'; message: string };

export class ServerChild {
  private exited = false;
  private readonly exitPromise: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Extract<ChildMessage, { type: 'ready' }>,
    exitPromise: Promise<number | null>,
  ) {
    this.exitPromise = exitPromise.then((code) => {
      this.exited = true;
      return code;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Forks `node --import tsx bench/lib/serverChild.ts` and waits until it listens with its engines loaded. */
  static async start(options: ServerChildOptions, timeoutMs = 120_000): Promise<ServerChild> {
    const entry = fileURLToPath(new URL('./serverChild.ts', import.meta.url));
    const child = fork(entry, [JSON.stringify(options)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exitPromise = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server child did not start within ${timeoutMs} ms`)), timeoutMs);
        child.on('message', (message: ChildMessage) => {
          if (message.type === 'ready') {
            clearTimeout(timer);
            resolve(message);
          } else if (message.type === 'fatal') {
            clearTimeout(timer);
            reject(new Error(`server child failed: ${message.message}`));
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`server child exited during start-up (code ${code})`));
        });
      });
      return new ServerChild(child, ready, exitPromise);
    } catch (error) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      throw error;
    }
  }

  private request<T extends ChildMessage['type']>(message: ParentMessage, replyType: T, timeoutMs = 10_000): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.exited || !this.child.connected) {
        reject(new Error('server child is gone'));
        return;
      }
      const onMessage = (reply: ChildMessage) => {
        if (reply.type !== replyType) return;
        cleanup();
        resolve(reply as Extract<ChildMessage, { type: T }>);
      };
      const onExit = () => {
        cleanup();
        reject(new Error('server child exited'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`server child did not answer ${message.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(message);
    });
  }

  async startPhase(): Promise<void> {
    await this.request({ type: 'phase-start' }, 'phase-started');
  }

  async endPhase(): Promise<PhaseStats> {
    return (await this.request({ type: 'phase-end' }, 'phase-stats')).stats;
  }

  /** Asks the child to drain and exit; kills it if it has not exited after `graceMs`. */
  async stop(graceMs = 8_000): Promise<void> {
    if (this.exited) return;
    if (this.child.connected) this.child.send({ type: 'shutdown' } satisfies ParentMessage);
    const timer = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }
}
