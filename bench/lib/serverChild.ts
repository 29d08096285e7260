/**
 * Child-process entry of the latency benchmark: the real voicelive server (speech engines loaded,
 * scripted LLM) on a free loopback port, plus the measurements only the server process can take:
 * event-loop delay (perf_hooks.monitorEventLoopDelay), event-loop utilization, process CPU
 * (process.cpuUsage: main thread and every worker thread) and the ASR decoder pool occupancy.
 * Talks to the parent over the fork IPC channel (see serverIpc.ts); exits when the parent goes.
 *
 * Run by bench/lib/serverIpc.ts as `node --import tsx bench/lib/serverChild.ts '<options json>'`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { EventLoopUtilization, IntervalHistogram } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadResampler } from '../../src/audio/resampler.js';
import { resolveServerConfig } from '../../src/config/serverConfig.js';
import type { ServerConfig } from '../../src/config/serverConfig.js';
import { closeEngines, describeEngines } from '../../src/engines/engineSet.js';
import type { EngineSet } from '../../src/engines/engineSet.js';
import { createEngines, createLlmEngine, singleProfileCatalog } from '../../src/engines/registry.js';
import { VoiceLiveServer } from '../../src/server/voiceLiveServer.js';
import type { ChildMessage, EngineOverrides, ParentMessage, PhaseStats, ServerChildOptions } from './serverIpc.js';

interface PoolStats {
  decoders: number;
  busyDecoders: number;
  waitingStreams: number;
}

/** Whole-machine CPU jiffies from /proc/stat (Linux), to see how busy the shared machine was. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Nanoseconds this process's threads spent runnable but waiting for a CPU (/proc/self/task/N/schedstat). */
function runQueueWaitNs(): number | null {
  try {
    let sum = 0;
    for (const task of readdirSync('/proc/self/task')) {
      try {
        sum += Number(readFileSync(`/proc/self/task/${task}/schedstat`, 'utf8').split(' ')[1] ?? 0);
      } catch {
        // The thread exited meanwhile.
      }
    }
    return sum;
  } catch {
    return null;
  }
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

function hasOverrides(overrides: EngineOverrides): boolean {
  return Object.values(overrides).some((value) => value !== undefined);
}

/** The engine set `createEngines` builds, with the benchmark's what-if pool sizes. */
async function createEnginesWith(config: ServerConfig, overrides: EngineOverrides): Promise<EngineSet> {
  await loadResampler();
  const [{ FliteTtsEngine }, { PocketsphinxAsrEngine }, { SileroVadEngine }] = await Promise.all([
    import('../../src/engines/tts/flite.js'),
    import('../../src/engines/asr/pocketsphinx.js'),
    import('../../src/engines/vad/silero.js'),
  ]);
  const [tts, asr, vad] = await Promise.all([
    FliteTtsEngine.create({ workerCount: overrides.ttsWorkers, wordTimings: overrides.ttsWordTimings }),
    PocketsphinxAsrEngine.create({ poolSize: overrides.asrPoolSize, maxPoolSize: overrides.asrMaxPoolSize, decoderArgs: overrides.asrDecoderArgs, threadNiceness: overrides.asrThreadNiceness }),
    SileroVadEngine.create({ workerCount: overrides.vadWorkers }),
  ]);
  return { llm: await createLlmEngine(config.llm, config), tts, asr, vad, unavailable: {} };
}

function poolStatsOf(engines: EngineSet): (() => PoolStats) | null {
  const asr = engines.asr as unknown as { poolStats?: () => PoolStats } | null;
  return asr && typeof asr.poolStats === 'function' ? () => asr.poolStats!() : null;
}

class Phase {
  private readonly eld: IntervalHistogram;
  private readonly cpu = process.cpuUsage();
  private readonly elu: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly startedMs = performance.now();
  private readonly machine = machineCpu();
  private readonly runQueueWait = runQueueWaitNs();
  private readonly sampler: NodeJS.Timeout | null = null;
  private samples = 0;
  private busySum = 0;
  private waitingSum = 0;
  private maxBusy = 0;
  private maxWaiting = 0;
  private decoders = 0;

  constructor(
    private readonly resolutionMs: number,
    private readonly poolStats: (() => PoolStats) | null,
  ) {
    this.eld = monitorEventLoopDelay({ resolution: resolutionMs });
    this.eld.enable();
    if (poolStats) {
      this.sampler = setInterval(() => {
        const stats = poolStats();
        this.samples++;
        this.busySum += stats.busyDecoders;
        this.waitingSum += stats.waitingStreams;
        this.maxBusy = Math.max(this.maxBusy, stats.busyDecoders);
        this.maxWaiting = Math.max(this.maxWaiting, stats.waitingStreams);
        this.decoders = Math.max(this.decoders, stats.decoders);
      }, 50);
    }
  }

  end(): PhaseStats {
    this.eld.disable();
    if (this.sampler) clearInterval(this.sampler);
    const wallMs = performance.now() - this.startedMs;
    const cpu = process.cpuUsage(this.cpu);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    // The histogram records whole timer intervals; the delay is what exceeds the resolution.
    const lag = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - this.resolutionMs);
    const machineNow = machineCpu();
    const waitNow = runQueueWaitNs();
    return {
      wallMs,
      cpuMs,
      machineBusyPercent:
        this.machine && machineNow && machineNow.total > this.machine.total
          ? ((machineNow.busy - this.machine.busy) / (machineNow.total - this.machine.total)) * 100
          : null,
      runQueueWaitMsPerS: this.runQueueWait !== null && waitNow !== null ? (waitNow - this.runQueueWait) / 1e6 / (wallMs / 1000) : null,
      cpuPercentOfOneCore: (cpuMs / wallMs) * 100,
      eventLoopUtilization: performance.eventLoopUtilization(this.elu).utilization,
      eventLoopDelayMs: {
        p50: lag(this.eld.percentile(50)),
        p99: lag(this.eld.percentile(99)),
        max: lag(this.eld.max),
        mean: lag(this.eld.mean),
        samples: this.eld.count,
      },
      asrPool: this.poolStats
        ? {
            decoders: this.decoders,
            maxBusy: this.maxBusy,
            meanBusy: this.samples > 0 ? this.busySum / this.samples : 0,
            maxWaiting: this.maxWaiting,
            meanWaiting: this.samples > 0 ? this.waitingSum / this.samples : 0,
          }
        : null,
    };
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServerChildOptions;
  const loadStartedMs = performance.now();
  const config = resolveServerConfig({ host: '127.0.0.1', port: 0, logLevel: 'warn' });
  const engines = hasOverrides(options.engines) ? await createEnginesWith(config, options.engines) : await createEngines(config, { speech: true });
  const loadMs = performance.now() - loadStartedMs;
  const server = new VoiceLiveServer(config, singleProfileCatalog(config, engines), pino({ level: 'warn' }, pino.destination(2)));
  const address = await server.listen();
  const poolStats = poolStatsOf(engines);
  let phase: Phase | null = null;
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    phase?.end();
    await server.close();
    await closeEngines(engines);
    process.exit(code);
  };

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'phase-start') {
      phase?.end();
      phase = new Phase(options.eldResolutionMs, poolStats);
      send({ type: 'phase-started' });
    } else if (message.type === 'phase-end') {
      const stats = phase?.end();
      phase = null;
      if (stats) send({ type: 'phase-stats', stats });
    } else if (message.type === 'shutdown') {
      void shutdown(0);
    }
  });
  // The parent went away (finished, crashed or was killed): never outlive it.
  process.on('disconnect', () => void shutdown(0));
  // Ctrl-C reaches the whole process group: let the parent finish the scenario and stop us.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void shutdown(0));
  send({ type: 'ready', port: address.port, engines: describeEngines(engines), unavailable: { ...engines.unavailable }, loadMs });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  send({ type: 'fatal', message });
  console.error(message);
  process.exit(1);
});
