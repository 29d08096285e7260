import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PocketsphinxAsrEngine } from '../../src/engines/asr/pocketsphinx.js';
import { pocketsphinxSkipReason } from './pocketsphinxAvailability.js';

/** Niceness of every thread of this process, from /proc (field 19 of each task's stat line). */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // The command name (field 2) may contain spaces; fields after its closing parenthesis are plain.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [Number(fields[16])];
    } catch {
      return [];
    }
  });
}

const skip = pocketsphinxSkipReason || (process.platform !== 'linux' ? 'thread niceness is read from Linux /proc' : false);

test('decoder threads run at niceness 10 (the event loop, VAD and TTS threads keep 0), or as configured', { skip }, async () => {
  const before = threadNiceness().filter((n) => n === 10).length;
  const engine = await PocketsphinxAsrEngine.create({ poolSize: 2 });
  try {
    assert.equal(threadNiceness().filter((n) => n === 10).length - before, 2, 'one niced thread per decoder');
    assert.ok(threadNiceness().includes(0), 'the rest of the process keeps niceness 0');
  } finally {
    await engine.close();
  }
  const plain = await PocketsphinxAsrEngine.create({ poolSize: 1, threadNiceness: 0 });
  try {
    assert.equal(threadNiceness().filter((n) => n === 10).length, before);
  } finally {
    await plain.close();
  }
});
