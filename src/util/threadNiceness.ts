/**
 * Sets the scheduling niceness of the calling thread only. On Linux, setpriority(PRIO_PROCESS, tid)
 * applies to one thread, and a thread learns its id from /proc/thread-self. Elsewhere, or when the
 * value cannot be set (an unprivileged process may only raise its niceness), nothing changes.
 * Returns whether it was applied.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export function setOwnThreadNiceness(niceness: number): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}
