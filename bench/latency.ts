/**
 * Turn-latency benchmark for the speech pipeline: N concurrent callers stream real utterances in
 * real time over raw WebSockets to a real voicelive server (Silero VAD, pocketsphinx ASR, flite
 * TTS, scripted LLM) and the time from the end of each utterance to the server's reactions is
 * measured.
 *
 * The server runs in a child process (bench/lib/serverChild.ts), so the load generator's own work
 * does not delay the server's event loop; the child reports its event-loop delay, event-loop
 * utilization, CPU and ASR pool occupancy per scenario over IPC.
 *
 * Per turn (wall times in this process):
 *   end of speech (send time of the chunk holding the last speech sample)
 *     → input_audio_buffer.speech_stopped                       ("EoS→stopped": ≥ silence_duration_ms by design)
 *     → conversation.item.input_audio_transcription.completed    ("ASR final")
 *     → response.created                                         ("final→created")
 *     → first response.audio.delta                               ("TTS first audio")
 *   voice-to-voice = end of speech → first audio delta.
 *
 * Run: node --import tsx bench/latency.ts [--sessions 1,4,8] [--utterances 6] [--json out.json]
 *   [--chunk-ms 40] [--seed 1] [--no-human] [--no-warmup]
 *   what-if engine settings (the child builds the engines itself instead of createEngines):
 *   [--asr-pool N] [--asr-max-pool N] [--asr-args -pl_window=10,-topn=2] [--tts-workers N] [--no-word-timings] [--vad-workers N]
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { BenchSession } from './lib/benchSession.js';
import type { SessionResult, TurnRecord } from './lib/benchSession.js';
import { ServerChild } from './lib/serverIpc.js';
import type { EngineOverrides, PhaseStats } from './lib/serverIpc.js';
import { formatTable, ms, pair, seededRandom, summarize } from './lib/stats.js';
import type { Summary } from './lib/stats.js';
import { prepareUtterances } from './lib/utterances.js';
import type { Utterance } from './lib/utterances.js';

interface Options {
  sessions: number[];
  utterances: number;
  json: string | null;
  chunkMs: number;
  seed: number;
  human: boolean;
  warmup: boolean;
  turnTimeoutMs: number;
  engines: EngineOverrides;
}

const USAGE = `usage: node --import tsx bench/latency.ts [--sessions 1,4,8] [--utterances 6] [--json out.json]
       [--chunk-ms 40] [--seed 1] [--no-human] [--no-warmup] [--turn-timeout-ms 20000]
       [--asr-pool N] [--asr-max-pool N] [--asr-args -name=value,...] [--asr-nice N] [--tts-workers N] [--no-word-timings] [--vad-workers N]`;

function parseOptions(argv: string[]): Options {
  const options: Options = {
    sessions: [1, 4, 8],
    utterances: 6,
    json: null,
    chunkMs: 40,
    seed: 1,
    human: true,
    warmup: true,
    turnTimeoutMs: 20_000,
    engines: {},
  };
  const positiveInt = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--sessions':
        options.sessions = value()
          .split(',')
          .map((s) => positiveInt('--sessions', s.trim()));
        break;
      case '--utterances':
        options.utterances = positiveInt(flag, value());
        break;
      case '--json':
        options.json = value();
        break;
      case '--chunk-ms': {
        const n = positiveInt(flag, value());
        if (n < 20 || n > 100) throw new Error('--chunk-ms must be between 20 and 100');
        options.chunkMs = n;
        break;
      }
      case '--seed':
        options.seed = positiveInt(flag, value());
        break;
      case '--turn-timeout-ms':
        options.turnTimeoutMs = positiveInt(flag, value());
        break;
      case '--no-human':
        options.human = false;
        break;
      case '--no-warmup':
        options.warmup = false;
        break;
      case '--asr-pool':
        options.engines.asrPoolSize = positiveInt(flag, value());
        break;
      case '--asr-max-pool':
        options.engines.asrMaxPoolSize = positiveInt(flag, value());
        break;
      case '--asr-args':
        options.engines.asrDecoderArgs = Object.fromEntries(
          value()
            .split(',')
            .map((pair) => {
              const [key, setting] = pair.split('=');
              if (!key || setting === undefined) throw new Error('--asr-args takes -name=value pairs separated by commas, e.g. -pl_window=10,-topn=2');
              return [key.trim(), setting.trim()];
            }),
        );
        break;
      case '--asr-nice':
        options.engines.asrThreadNiceness = Number(value());
        break;
      case '--tts-workers':
        options.engines.ttsWorkers = positiveInt(flag, value());
        break;
      case '--no-word-timings':
        options.engines.ttsWordTimings = false;
        break;
      case '--vad-workers':
        options.engines.vadWorkers = positiveInt(flag, value());
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (options.engines.asrMaxPoolSize !== undefined && options.engines.asrPoolSize === undefined) options.engines.asrPoolSize = 2;
  return options;
}

interface ScenarioResult {
  sessions: number;
  wallMs: number;
  turns: TurnRecord[];
  server: PhaseStats;
  /** turn_detection.silence_duration_ms the server reported. */
  silenceMs: number;
  client: { cpuPercentOfOneCore: number; eventLoopDelayMaxMs: number; eventLoopDelayP99Ms: number; sendLatenessP99Ms: number; sendLatenessMaxMs: number };
  errors: string[];
  strayStops: number;
}

const emptyPhaseStats: PhaseStats = {
  wallMs: 0,
  cpuMs: 0,
  cpuPercentOfOneCore: 0,
  machineBusyPercent: null,
  runQueueWaitMsPerS: null,
  eventLoopUtilization: 0,
  eventLoopDelayMs: { p50: 0, p99: 0, max: 0, mean: 0, samples: 0 },
  asrPool: null,
};

interface ScenarioSummary {
  sessions: number;
  turns: number;
  answered: number;
  timedOut: number;
  splits: number;
  eosToStopped: Summary;
  stoppedToAudio: Summary;
  voiceToVoice: Summary;
  asrFinal: Summary;
  finalToCreated: Summary;
  createdToAudio: Summary;
  vadLag: Summary;
  vadEndError: Summary;
  speechStartedLag: Summary;
}

const diff = (later: number | undefined, earlier: number | undefined) =>
  later === undefined || earlier === undefined || !Number.isFinite(later) || !Number.isFinite(earlier) ? Number.NaN : later - earlier;

function summarizeScenario(result: ScenarioResult): ScenarioSummary {
  const turns = result.turns;
  const of = (f: (t: TurnRecord) => number) => summarize(turns.map(f));
  return {
    sessions: result.sessions,
    turns: turns.length,
    answered: turns.filter((t) => t.firstAudioAt !== undefined).length,
    timedOut: turns.filter((t) => t.timedOut).length,
    splits: turns.reduce((n, t) => n + t.splits, 0),
    eosToStopped: of((t) => diff(t.speechStoppedAt, t.speechEndSentAt)),
    stoppedToAudio: of((t) => diff(t.firstAudioAt, t.speechStoppedAt)),
    voiceToVoice: of((t) => diff(t.firstAudioAt, t.speechEndSentAt)),
    asrFinal: of((t) => diff(t.transcriptionAt, t.speechStoppedAt)),
    finalToCreated: of((t) => diff(t.responseCreatedAt, t.transcriptionAt)),
    createdToAudio: of((t) => diff(t.firstAudioAt, t.responseCreatedAt)),
    vadLag: of((t) => diff(t.speechStoppedAt, t.vadDecisionSentAt)),
    vadEndError: of((t) => (t.audioEndMs === undefined ? Number.NaN : t.audioEndMs - t.speechEndPos)),
    speechStartedLag: of((t) => diff(t.speechStartedAt, t.speechStartSentAt)),
  };
}

/** Utterances for one session: the pool rotated so concurrent sessions say different things. */
function scriptFor(pool: Utterance[], session: number, count: number): Utterance[] {
  return Array.from({ length: count }, (_, k) => pool[(session * 5 + k) % pool.length]!);
}

async function runScenario(
  server: ServerChild,
  pool: Utterance[],
  sessionCount: number,
  utterancesPerSession: number,
  options: Options,
  signal: AbortSignal,
  measured: boolean,
): Promise<ScenarioResult> {
  const random = seededRandom(options.seed * 1000 + sessionCount);
  const url = `ws://127.0.0.1:${server.ready.port}/voice-live/realtime?api-version=2025-10-01&model=gpt-4o`;
  const clientLag = monitorEventLoopDelay({ resolution: 5 });
  if (measured) await server.startPhase();
  clientLag.enable();
  const clientCpu = process.cpuUsage();
  const startedMs = performance.now();
  const sessions: BenchSession[] = [];
  let results: SessionResult[] = [];
  let wallMs = 0;
  let serverStats: PhaseStats | null = null;
  try {
    for (let s = 0; s < sessionCount; s++) sessions.push(await BenchSession.open(url, s, random));
    results = await Promise.all(
      sessions.map((session, s) =>
        session.run({
          utterances: scriptFor(pool, s, utterancesPerSession),
          // Callers start at random moments within ~2 s so their turns interleave rather than align.
          startDelayMs: 300 + (sessionCount > 1 ? Math.round(random() * 2000) : 0),
          gapMs: () => 400 + Math.round(random() * 600),
          chunkMs: options.chunkMs,
          turnTimeoutMs: options.turnTimeoutMs,
          signal,
        }),
      ),
    );
    wallMs = performance.now() - startedMs;
    if (measured) serverStats = await server.endPhase();
  } finally {
    clientLag.disable();
    await Promise.all(sessions.map((session) => session.close()));
  }
  const clientCpuUsed = process.cpuUsage(clientCpu);
  const lateness = results.flatMap((r) => r.sendLatenessMs);
  const latenessSummary = summarize(lateness);
  return {
    sessions: sessionCount,
    wallMs,
    turns: results.flatMap((r) => r.turns),
    server: serverStats ?? emptyPhaseStats,
    silenceMs: sessions[0]?.silenceDurationMs ?? 500,
    client: {
      cpuPercentOfOneCore: ((clientCpuUsed.user + clientCpuUsed.system) / 1000 / Math.max(1, performance.now() - startedMs)) * 100,
      eventLoopDelayMaxMs: Math.max(0, clientLag.max / 1e6 - 5),
      eventLoopDelayP99Ms: Math.max(0, clientLag.percentile(99) / 1e6 - 5),
      sendLatenessP99Ms: latenessSummary.p99,
      sendLatenessMaxMs: latenessSummary.max,
    },
    errors: results.flatMap((r) => r.errors),
    strayStops: results.reduce((n, r) => n + r.strayStops, 0),
  };
}

function printResults(results: ScenarioResult[], summaries: ScenarioSummary[], silenceMs: number): void {
  console.log('\nLatency per turn, ms as p50 / p95 (EoS = end of speech: send time of the last speech sample)\n');
  console.log(
    formatTable(
      ['sessions', 'turns', 'EoS→speech_stopped', 'speech_stopped→1st audio', 'voice-to-voice', 'ASR final delay', 'server loop lag p50/p99/max', 'server CPU %'],
      summaries.map((s, i) => {
        const r = results[i]!;
        const eld = r.server.eventLoopDelayMs;
        return [
          String(s.sessions),
          s.answered === s.turns ? String(s.turns) : `${s.answered}/${s.turns}`,
          pair(s.eosToStopped),
          pair(s.stoppedToAudio),
          pair(s.voiceToVoice),
          pair(s.asrFinal),
          `${eld.p50.toFixed(1)} / ${eld.p99.toFixed(1)} / ${eld.max.toFixed(1)}`,
          r.server.cpuPercentOfOneCore.toFixed(0),
        ];
      }),
    ),
  );
  console.log('\nWhere speech_stopped→first audio goes, ms as p50 / p95\n');
  console.log(
    formatTable(
      ['sessions', 'stopped→ASR final', 'final→response.created', 'created→1st audio (TTS)', 'VAD lag', 'VAD end − true end', 'SoS→speech_started'],
      summaries.map((s) => [
        String(s.sessions),
        pair(s.asrFinal),
        pair(s.finalToCreated),
        pair(s.createdToAudio),
        pair(s.vadLag),
        pair(s.vadEndError),
        pair(s.speechStartedLag),
      ]),
    ),
  );
  console.log('\nLoad\n');
  console.log(
    formatTable(
      ['sessions', 'server CPU %', 'server ELU', 'machine busy %', 'server waiting for CPU ms/s', 'ASR decoders busy avg/max (pool)', 'ASR streams queued avg/max', 'client CPU %', 'client loop lag p99/max', 'send late p99/max'],
      summaries.map((s, i) => {
        const r = results[i]!;
        const asr = r.server.asrPool;
        return [
          String(s.sessions),
          r.server.cpuPercentOfOneCore.toFixed(0),
          `${(r.server.eventLoopUtilization * 100).toFixed(0)} %`,
          r.server.machineBusyPercent === null ? '–' : r.server.machineBusyPercent.toFixed(0),
          r.server.runQueueWaitMsPerS === null ? '–' : r.server.runQueueWaitMsPerS.toFixed(0),
          asr ? `${asr.meanBusy.toFixed(1)} / ${asr.maxBusy} (${asr.decoders})` : '–',
          asr ? `${asr.meanWaiting.toFixed(1)} / ${asr.maxWaiting}` : '–',
          r.client.cpuPercentOfOneCore.toFixed(0),
          `${ms(r.client.eventLoopDelayP99Ms)} / ${ms(r.client.eventLoopDelayMaxMs)}`,
          `${ms(r.client.sendLatenessP99Ms)} / ${ms(r.client.sendLatenessMaxMs)}`,
        ];
      }),
    ),
  );
  console.log(
    [
      '',
      `EoS→speech_stopped includes silence_duration_ms = ${silenceMs} ms of required silence (server_vad default) by design.`,
      'VAD lag = speech_stopped arrival − send time of the audio at audio_end_ms + silence_duration_ms (chunking, 32 ms VAD frames, worker round trip, event loop).',
      'VAD end − true end = speech_stopped.audio_end_ms − the real end of speech on the session audio clock (negative: VAD cut the tail early).',
      'SoS→speech_started = start of speech (send time of the first speech chunk) → speech_started; speech_duration_ms of voiced audio is needed first.',
      `Server CPU = user+system time of the server process (main + worker threads) / wall time, % of one core (${cpus().length} cores here).`,
      'Machine busy % = all processes on the machine (/proc/stat); waiting for CPU = the server threads\' run-queue delay (schedstat).',
      'Loop lag = monitorEventLoopDelay samples minus its resolution. The machine is shared and noisy: quote medians.',
    ].join('\n'),
  );
  for (const [i, s] of summaries.entries()) {
    const r = results[i]!;
    const notes: string[] = [];
    if (s.timedOut > 0) notes.push(`${s.timedOut} turn(s) got no reply within the timeout`);
    if (s.splits > 0) notes.push(`${s.splits} mid-utterance speech_stopped (VAD split a turn)`);
    if (r.strayStops > 0) notes.push(`${r.strayStops} speech_stopped outside any utterance`);
    const errors = [...new Set(r.errors)];
    if (errors.length > 0) notes.push(`errors: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? ' …' : ''}`);
    const unrecognized = r.turns.filter((t) => t.transcriptionFailed || t.transcript === '').length;
    if (unrecognized > 0) notes.push(`${unrecognized} empty/failed transcription(s)`);
    if (notes.length > 0) console.log(`  ${s.sessions} session(s): ${notes.join('; ')}`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const abort = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`voicelive turn-latency benchmark — ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const prepareStartedMs = performance.now();
  const pool = prepareUtterances({ human: options.human });
  console.log(
    `${pool.length} utterances (${pool.filter((u) => u.source === 'human').length} human), 24 kHz PCM16, trimmed speech ` +
      `${Math.min(...pool.map((u) => u.speechMs)).toFixed(0)}–${Math.max(...pool.map((u) => u.speechMs)).toFixed(0)} ms, prepared in ${(performance.now() - prepareStartedMs).toFixed(0)} ms`,
  );

  const server = await ServerChild.start({ engines: options.engines, eldResolutionMs: 5 });
  const results: ScenarioResult[] = [];
  try {
    console.log(`server child pid ${server.pid} on port ${server.ready.port}, engines loaded in ${server.ready.loadMs.toFixed(0)} ms:`);
    for (const line of server.ready.engines) console.log(`  ${line}`);
    const missing = Object.entries(server.ready.unavailable);
    if (missing.length > 0) throw new Error(`speech engines unavailable: ${missing.map(([k, v]) => `${k}: ${v}`).join('; ')} (run npm run setup)`);
    if (Object.keys(options.engines).length > 0) console.log(`what-if engine settings: ${JSON.stringify(options.engines)}`);
    console.log(`pacing: ${options.chunkMs} ms chunks in real time; ${options.utterances} utterances per session; sessions ${options.sessions.join(', ')}`);

    if (options.warmup && !abort.signal.aborted) {
      await runScenario(server, pool, 1, 1, options, abort.signal, false);
    }
    for (const sessionCount of options.sessions) {
      if (abort.signal.aborted) break;
      const result = await runScenario(server, pool, sessionCount, options.utterances, options, abort.signal, true);
      results.push(result);
      const s = summarizeScenario(result);
      console.log(
        `  ${sessionCount} session(s): ${s.answered}/${s.turns} turns answered in ${(result.wallMs / 1000).toFixed(1)} s; ` +
          `speech_stopped→first audio p50 ${ms(s.stoppedToAudio.p50)} ms, p95 ${ms(s.stoppedToAudio.p95)} ms`,
      );
    }
  } finally {
    await server.stop();
  }

  const summaries = results.map(summarizeScenario);
  if (results.length > 0) printResults(results, summaries, results[0]?.silenceMs ?? 500);
  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  if (options.json) {
    writeFileSync(
      options.json,
      JSON.stringify(
        {
          machine: { cpu, cores: cpus().length, node: process.version, loadavgEnd: loadavg() },
          options,
          utterances: pool.map((u) => ({ id: u.id, source: u.source, text: u.text, speechMs: u.speechMs })),
          scenarios: results.map((r, i) => ({ summary: summaries[i], server: r.server, client: r.client, wallMs: r.wallMs, errors: r.errors, turns: r.turns })),
        },
        null,
        2,
      ),
    );
    console.log(`wrote ${options.json}`);
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (interrupted) process.exitCode = 130;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
