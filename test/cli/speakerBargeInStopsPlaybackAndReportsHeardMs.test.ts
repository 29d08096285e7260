/**
 * Barge-in on the speaker side (spec §8.5), with a fake clock and a fake player: answer audio
 * plays in real time after what was already queued; when the user starts speaking the player is
 * killed at once, the items not heard to the end are reported with the ms that were heard (for
 * `conversation.item.truncate`), later audio of the interrupted response is dropped, and the next
 * response plays on a fresh player. Nothing is cut when the answer had already finished playing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlayerSink } from '../../src/cli/chat/speaker.js';
import { Speaker } from '../../src/cli/chat/speaker.js';

class FakePlayer implements PlayerSink {
  bytes = 0;
  stopped = false;
  finished = false;
  write(pcmBytes: Uint8Array): void {
    assert.equal(this.stopped, false, 'no writes after stop');
    this.bytes += pcmBytes.byteLength;
  }
  stop(): void {
    this.stopped = true;
  }
  async finish(): Promise<void> {
    this.finished = true;
  }
}

const RATE_HZ = 24_000;
/** `ms` of PCM16 mono at 24 kHz. */
const audio = (ms: number) => new Uint8Array((RATE_HZ * ms * 2) / 1000);

function setup() {
  let nowMs = 1000;
  const players: FakePlayer[] = [];
  const speaker = new Speaker(
    () => {
      const player = new FakePlayer();
      players.push(player);
      return player;
    },
    { sampleRateHz: RATE_HZ, nowMs: () => nowMs },
  );
  return { speaker, players, advance: (ms: number) => (nowMs += ms) };
}

test('speech during playback kills the player and reports how much of the item was heard', () => {
  const { speaker, players, advance } = setup();
  speaker.responseStarted('resp_1');
  // The server sends 3 s of answer faster than real time: 1 s now, 2 s 200 ms later.
  assert.equal(speaker.play('resp_1', 'item_A', 0, audio(1000)), true);
  advance(200);
  assert.equal(speaker.play('resp_1', 'item_A', 0, audio(2000)), true);
  assert.equal(players.length, 1);
  assert.equal(players[0]!.bytes, 144_000);
  advance(1050); // 1250 ms after the first audio started playing
  assert.equal(speaker.playing, true);
  assert.deepEqual(speaker.interrupt(), [{ itemId: 'item_A', contentIndex: 0, audioEndMs: 1250 }]);
  assert.equal(players[0]!.stopped, true, 'the player is killed at once');
  assert.equal(speaker.playing, false);
  // The rest of the interrupted response is dropped; the player is not restarted for it.
  assert.equal(speaker.play('resp_1', 'item_A', 0, audio(500)), false);
  assert.equal(players.length, 1);
  speaker.responseEnded('resp_1');
  // The next answer plays on a new player.
  speaker.responseStarted('resp_2');
  assert.equal(speaker.play('resp_2', 'item_B', 0, audio(400)), true);
  assert.equal(players.length, 2);
  assert.equal(players[1]!.bytes, 19_200);
});

test('pauses when the player ran dry are not counted as heard audio', () => {
  const { speaker, advance } = setup();
  speaker.responseStarted('resp_1');
  speaker.play('resp_1', 'item_A', 0, audio(300));
  advance(500); // 200 ms of silence: the next chunk arrives late
  speaker.play('resp_1', 'item_A', 0, audio(300));
  advance(100);
  assert.deepEqual(speaker.interrupt(), [{ itemId: 'item_A', contentIndex: 0, audioEndMs: 400 }]);
});

test('speech after the answer finished playing cuts nothing and keeps the player', () => {
  const { speaker, players, advance } = setup();
  speaker.responseStarted('resp_1');
  speaker.play('resp_1', 'item_A', 0, audio(800));
  speaker.responseEnded('resp_1');
  advance(900);
  assert.equal(speaker.playing, false);
  assert.deepEqual(speaker.interrupt(), []);
  assert.equal(players[0]!.stopped, false);
  speaker.responseStarted('resp_2');
  assert.equal(speaker.play('resp_2', 'item_B', 0, audio(100)), true, 'a later response plays');
  assert.equal(players.length, 1, 'on the same player');
});

test('a response still being generated when the user speaks is muted even before its audio arrives', () => {
  const { speaker, players, advance } = setup();
  speaker.responseStarted('resp_1');
  advance(300);
  assert.deepEqual(speaker.interrupt(), []);
  assert.equal(speaker.tracker.isInterrupted('resp_1'), true);
  assert.equal(speaker.play('resp_1', 'item_A', 0, audio(500)), false);
  assert.equal(players.length, 0, 'no player was started for it');
});

test('an answer queued behind another is reported as heard for 0 ms', () => {
  const { speaker, advance } = setup();
  speaker.responseStarted('resp_1');
  speaker.play('resp_1', 'item_A', 0, audio(1000));
  speaker.responseEnded('resp_1');
  speaker.responseStarted('resp_2');
  speaker.play('resp_2', 'item_B', 0, audio(1000));
  advance(600);
  assert.deepEqual(speaker.interrupt(), [
    { itemId: 'item_A', contentIndex: 0, audioEndMs: 600 },
    { itemId: 'item_B', contentIndex: 0, audioEndMs: 0 },
  ]);
});

test('finish() lets the player drain; close() kills the current one', async () => {
  const { speaker, players } = setup();
  speaker.responseStarted('resp_1');
  speaker.play('resp_1', 'item_A', 0, audio(100));
  await speaker.finish();
  assert.equal(players[0]!.finished, true);
  assert.equal(players[0]!.stopped, false);
  // A drained player has exited: more audio starts a new one, which close() kills.
  speaker.play('resp_1', 'item_A', 0, audio(100));
  assert.equal(players.length, 2);
  speaker.close();
  assert.equal(players[1]!.stopped, true);
});
