/**
 * A recorder or player child process. It keeps the last lines of the tool's stderr so that a
 * device failure ("no default audio device", "device busy") can be reported in one line, and
 * tells unexpected exits apart from the stops this program asks for.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { AudioCommand } from './audioDevices.js';
import { formatCommand } from './audioDevices.js';
import { ChatFailure } from './chatFailure.js';

export type AudioRole = 'microphone' | 'speaker';

const STDERR_KEEP_CHARS = 2000;

/** Why a device tool failed, as one line with a hint. */
export function deviceFailureMessage(role: AudioRole, command: AudioCommand, what: string, stderr: string): string {
  const lastLine = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .at(-1);
  const said = lastLine ? `: ${lastLine}` : '';
  return `${role} failed: \`${formatCommand(command)}\` ${what}${said} (check that a sound device is present and works, or pick another tool with --audio-tool pulse|alsa|sox)`;
}

export class AudioProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited (or could not start). */
  readonly exited: Promise<void>;
  private stderrTail = '';
  private stopping = false;

  /**
   * Starts `command`. `onFailure` is called once if the process cannot start or exits without
   * {@link stop} having been called; `stdin` is piped for players, `stdout` for recorders.
   */
  constructor(
    readonly role: AudioRole,
    readonly command: AudioCommand,
    onFailure: (failure: ChatFailure) => void,
  ) {
    const stdio: ['pipe' | 'ignore', 'pipe' | 'ignore', 'pipe'] = role === 'speaker' ? ['pipe', 'ignore', 'pipe'] : ['ignore', 'pipe', 'pipe'];
    // Its own process group: Ctrl-C in the terminal reaches only this program, which then stops the tool itself.
    this.child = spawn(command.program, command.args, { stdio, detached: process.platform !== 'win32' });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEEP_CHARS);
    });
    // A player that died makes writes fail with EPIPE; the exit below reports it.
    this.child.stdin?.on('error', () => undefined);
    let reported = false;
    const report = (what: string) => {
      if (reported || this.stopping) return;
      reported = true;
      onFailure(new ChatFailure(deviceFailureMessage(role, command, what, this.stderrTail)));
    };
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        report(`could not start (${error.message})`);
        resolve();
      });
      this.child.once('close', (code, signal) => {
        report(signal ? `was killed by ${signal}` : `exited with code ${code}`);
        resolve();
      });
    });
  }

  /** True once {@link stop} was called. */
  get stopped(): boolean {
    return this.stopping;
  }

  /** Ends the process at once (SIGKILL: a player drops what it still had buffered). */
  stop(): void {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** For players: closes stdin so the tool plays what it has and exits; resolves when it has. */
  async finish(): Promise<void> {
    this.stopping = true;
    this.child.stdin?.end();
    await this.exited;
  }
}
