/**
 * A live microphone picking up nothing — digital silence, or −50 dBFS pink noise — for 10 s never
 * makes the server VAD start a turn or answer; the same sessions then do detect speech, so the VAD
 * was listening all along.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { composeScene, encodeScene, espeakClip, rmsDbfs, silenceScene, withPinkNoise } from '../helpers/speechFixtures.js';
import type { SpeechScene } from '../helpers/speechFixtures.js';
import type { TestServer } from '../helpers/testServer.js';
import { connect, field, speechSkipReason, startSpeechServer } from './speechSession.js';

const QUIET_MS = 10_000;

let server: TestServer;
before(async () => {
  if (!speechSkipReason) server = await startSpeechServer();
});
after(async () => {
  await server?.close();
});

test('10 s of digital silence or −50 dBFS pink noise: no speech_started, no commit, no response; speech afterwards is detected', { skip: speechSkipReason, timeout: 60_000 }, async () => {
  const clip = espeakClip('Is anybody there?');
  const cases: { name: string; quiet: SpeechScene; speech: SpeechScene }[] = [
    { name: 'digital silence', quiet: silenceScene(QUIET_MS), speech: composeScene([clip], [300, 300]) },
    { name: 'pink noise at −50 dBFS', quiet: withPinkNoise(silenceScene(QUIET_MS), -50), speech: withPinkNoise(composeScene([clip], [300, 300]), -50) },
  ];
  const noiseLevel = rmsDbfs(cases[1]!.quiet.pcm);
  assert.ok(Math.abs(noiseLevel + 50) < 0.5, `the noise is at −50 dBFS (${noiseLevel.toFixed(2)})`);

  // Encoded up front: sox runs synchronously and would stall the other session's stream.
  const wire = cases.map(({ quiet, speech }) => ({ quiet: encodeScene(quiet, 'pcm16', 24_000), speech: encodeScene(speech, 'pcm16', 24_000) }));
  await Promise.all(
    cases.map(async ({ name, speech }, index) => {
      const recorder = await connect(server);
      try {
        await recorder.update({ turnDetection: { type: 'server_vad', threshold: 0.5, prefixPaddingInMs: 300, silenceDurationInMs: 500 } } as never);
        const from = recorder.events.length;
        await recorder.streamAudio(wire[index]!.quiet, 48_000);
        await recorder.quietFor(300);
        const types = recorder.types(from);
        console.log(`${name}: ${QUIET_MS} ms streamed, server events: [${types.join(', ')}]`);
        assert.deepEqual(types, [], `${name}: no events at all`);

        // The VAD was live: speech in the same conditions starts a turn at the right place.
        const speechFrom = recorder.audioSentMs;
        await recorder.streamAudio(wire[index]!.speech, 48_000);
        const started = await recorder.waitFor('input_audio_buffer.speech_started', { from });
        const startMs = field<number>(started, 'audioStartInMs');
        assert.ok(Math.abs(startMs - (speechFrom + speech.speech[0]!.startMs - 300)) <= 200, `${name}: speech then starts a turn (${startMs} ms)`);
      } finally {
        await recorder.close();
      }
    }),
  );
});
