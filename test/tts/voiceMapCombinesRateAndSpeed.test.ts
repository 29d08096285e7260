import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProsodyRate, resolveVoice } from '../../src/engines/tts/voiceMap.js';

test('SSML prosody rates parse into multipliers', () => {
  const cases: [string | number, number][] = [
    ['x-slow', 0.5],
    ['slow', 0.64],
    ['medium', 1],
    ['default', 1],
    ['fast', 1.55],
    ['x-fast', 2],
    ['X-Fast', 2],
    ['', 1],
    ['+10%', 1.1],
    ['-20%', 0.8],
    ['+0%', 1],
    ['150%', 1.5],
    ['80%', 0.8],
    ['1.2', 1.2],
    ['0.75', 0.75],
    ['.9', 0.9],
    ['+0.25', 1.25],
    ['-0.3', 0.7],
    [1.3, 1.3],
  ];
  for (const [input, expected] of cases) {
    const parsed = parseProsodyRate(input);
    assert.ok(parsed !== undefined, `${input} did not parse`);
    assert.ok(Math.abs(parsed - expected) < 1e-9, `${input} → ${parsed}, expected ${expected}`);
  }
});

test('prosody rates are clamped to 0.5..2', () => {
  assert.equal(parseProsodyRate('+300%'), 2);
  assert.equal(parseProsodyRate('-90%'), 0.5);
  assert.equal(parseProsodyRate('-150%'), 0.5);
  assert.equal(parseProsodyRate('5'), 2);
  assert.equal(parseProsodyRate('0.1'), 0.5);
});

test('malformed rates are rejected', () => {
  for (const input of ['quick', '10 %', '+-5%', '1.2.3', '20Hz', 'NaN', Number.NaN, -1]) {
    assert.equal(parseProsodyRate(input), undefined, String(input));
  }
  const result = resolveVoice({ type: 'azure-standard', name: 'en-US-AvaNeural', rate: 'quick' });
  assert.ok(!result.ok);
  assert.equal(result.param, 'session.voice.rate');
  assert.match(result.message, /x-slow/);
});

test('Azure rate and OpenAI speed multiply, then clamp to 0.5..2', () => {
  const rateOf = (voice: Parameters<typeof resolveVoice>[0], speed?: number): number => {
    const result = resolveVoice(voice, speed);
    assert.ok(result.ok, result.ok ? '' : result.message);
    return result.rate;
  };
  assert.equal(rateOf('alloy'), 1);
  assert.equal(rateOf('alloy', 1.5), 1.5);
  assert.equal(rateOf('alloy', 0.25), 0.5);
  assert.equal(rateOf({ type: 'azure-standard', name: 'en-US-AvaNeural', rate: '+20%' }), 1.2);
  assert.ok(Math.abs(rateOf({ type: 'azure-standard', name: 'en-US-AvaNeural', rate: '+20%' }, 1.25) - 1.5) < 1e-9);
  assert.equal(rateOf({ type: 'azure-standard', name: 'en-US-AvaNeural', rate: 'x-fast' }, 1.5), 2);
  assert.equal(rateOf({ type: 'azure-realtime-native', name: 'ava', rate: 'x-slow' }, 0.5), 0.5);
});

test('OpenAI speed outside 0.25..1.5 is an error on session.speed', () => {
  for (const speed of [0.2, 1.6, Number.NaN, Number.POSITIVE_INFINITY]) {
    const result = resolveVoice('alloy', speed);
    assert.ok(!result.ok, String(speed));
    assert.equal(result.param, 'session.speed');
  }
});
