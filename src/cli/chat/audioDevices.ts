/**
 * Finding a microphone recorder and a speaker player among the command-line audio tools the
 * machine has: PulseAudio/PipeWire (`parec` / `pacat`), ALSA (`arecord` / `aplay`) and SoX
 * (`rec` / `play`, also on macOS). Each is run with raw signed 16-bit little-endian mono PCM at
 * the session rate on stdout (recorder) or stdin (player), so no audio library is needed.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The audio tool families, in the order they are tried. */
export const AUDIO_BACKENDS = ['pulse', 'alsa', 'sox'] as const;
export type AudioBackendId = (typeof AUDIO_BACKENDS)[number];

/** A command that records to stdout or plays from stdin. */
export interface AudioCommand {
  backend: AudioBackendId;
  /** Full path of the executable found in PATH. */
  program: string;
  args: string[];
}

/** What {@link detectAudioDevices} found; null where no tool is available. */
export interface AudioDevices {
  recorder: AudioCommand | null;
  player: AudioCommand | null;
}

interface BackendTools {
  recorder: string;
  player: string;
  recorderArgs(sampleRateHz: number): string[];
  playerArgs(sampleRateHz: number): string[];
}

// Low device latencies keep microphone chunks small and let a barge-in stop playback quickly.
const TOOLS: Record<AudioBackendId, BackendTools> = {
  pulse: {
    recorder: 'parec',
    player: 'pacat',
    recorderArgs: (rateHz) => ['--raw', '--format=s16le', '--channels=1', `--rate=${rateHz}`, '--latency-msec=40'],
    playerArgs: (rateHz) => ['--playback', '--raw', '--format=s16le', '--channels=1', `--rate=${rateHz}`, '--latency-msec=100'],
  },
  alsa: {
    recorder: 'arecord',
    player: 'aplay',
    recorderArgs: (rateHz) => ['-q', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', String(rateHz)],
    playerArgs: (rateHz) => ['-q', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', String(rateHz), '--buffer-time=200000'],
  },
  sox: {
    recorder: 'rec',
    player: 'play',
    recorderArgs: (rateHz) => ['-q', '-t', 'raw', '-r', String(rateHz), '-e', 'signed-integer', '-b', '16', '-c', '1', '-L', '-'],
    playerArgs: (rateHz) => ['-q', '-t', 'raw', '-r', String(rateHz), '-e', 'signed-integer', '-b', '16', '-c', '1', '-L', '-'],
  },
};

/** How to get each backend's tools. */
export const INSTALL_HINT =
  'install one of: `sudo apt-get install alsa-utils` (arecord/aplay), `sudo apt-get install sox` (rec/play; `brew install sox` on macOS), `sudo apt-get install pulseaudio-utils` (parec/pacat)';

/** The full path of an executable named `name` in `pathEnv` (PATH syntax), or null. */
export function findExecutable(name: string, pathEnv: string | undefined): string | null {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here, or not executable
    }
  }
  return null;
}

export interface DetectOptions {
  /** PATH to search; default `process.env.PATH`. */
  pathEnv?: string;
  /** Only this backend (the `--audio` option). */
  backend?: AudioBackendId;
  sampleRateHz: number;
}

/**
 * Looks for a recorder and a player, each in backend order (or only in `backend`). They may come
 * from different backends when a machine has, say, `arecord` but only SoX's `play`.
 */
export function detectAudioDevices(options: DetectOptions): AudioDevices {
  const pathEnv = options.pathEnv ?? process.env.PATH;
  const backends = options.backend ? [options.backend] : AUDIO_BACKENDS;
  const find = (role: 'recorder' | 'player'): AudioCommand | null => {
    for (const backend of backends) {
      const tools = TOOLS[backend];
      const program = findExecutable(tools[role], pathEnv);
      if (program) {
        const args = role === 'recorder' ? tools.recorderArgs(options.sampleRateHz) : tools.playerArgs(options.sampleRateHz);
        return { backend, program, args };
      }
    }
    return null;
  };
  return { recorder: find('recorder'), player: find('player') };
}

/** The names looked for, e.g. "parec, arecord or rec". */
export function toolNames(role: 'recorder' | 'player', backend?: AudioBackendId): string {
  const names = (backend ? [backend] : AUDIO_BACKENDS).map((b) => TOOLS[b][role]);
  return names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** The one-line explanation when a microphone or speaker tool is missing. */
export function missingDeviceMessage(missing: { recorder: boolean; player: boolean }, backend?: AudioBackendId): string {
  const names: string[] = [];
  if (missing.recorder) names.push(`microphone recorder (${toolNames('recorder', backend)})`);
  if (missing.player) names.push(`speaker player (${toolNames('player', backend)})`);
  return `no ${names.join(' and no ')} found in PATH; ${INSTALL_HINT}; or use --input/--text for file and typed turns`;
}

/** `program args…` as a shell would show it, for messages. */
export function formatCommand(command: AudioCommand): string {
  return [command.program, ...command.args].join(' ');
}

export function isAudioBackendId(value: string): value is AudioBackendId {
  return (AUDIO_BACKENDS as readonly string[]).includes(value);
}
