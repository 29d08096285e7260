/**
 * Truncating an assistant audio item to what the user heard: audio after `audioEndMs` is dropped
 * and the transcript keeps only the text spoken before that point (whole segments, plus the heard
 * share of the segment that was playing, cut at a word boundary). The LLM's next context then
 * matches what the user actually heard.
 */
import { ProtocolError } from '../protocol/errors.js';
import type { Item } from '../protocol/items.js';
import type { Conversation } from './conversation.js';

/** The text heard by `audioEndMs` given the transcript timeline. */
export function heardTranscript(timeline: { text: string; startMs: number; endMs: number }[], audioEndMs: number): string {
  let heard = '';
  for (const segment of timeline) {
    if (segment.endMs <= audioEndMs) {
      heard += segment.text;
      continue;
    }
    if (segment.startMs < audioEndMs && segment.endMs > segment.startMs) {
      const share = (audioEndMs - segment.startMs) / (segment.endMs - segment.startMs);
      const cut = Math.floor(segment.text.length * share);
      const prefix = segment.text.slice(0, cut);
      // Keep whole words only: a word cut in half was not fully heard.
      const lastSpace = segment.text[cut] === ' ' || cut === segment.text.length ? prefix.length : prefix.lastIndexOf(' ');
      heard += prefix.slice(0, Math.max(0, lastSpace));
    }
    break;
  }
  return heard.trimEnd();
}

/**
 * Applies a truncate; returns the audio_end_ms in force. The cut is always made from the audio as
 * generated, so a client truncate may lengthen a server barge-in estimate up to the real audio
 * length. Throws ProtocolError for invalid targets.
 */
export function truncateAssistantAudio(conversation: Conversation, item: Item, contentIndex: number, audioEndMs: number): number {
  const part = item.type === 'message' ? item.content[contentIndex] : undefined;
  if (item.type !== 'message' || item.role !== 'assistant' || !part || part.type !== 'audio') {
    throw new ProtocolError('unsupported_content_type', 'Only model output audio messages can be truncated.', 'item_id');
  }
  const audio = conversation.audio(item.id, contentIndex);
  const source = audio ? (audio.original ?? { pcm: audio.pcm, timeline: audio.timeline }) : null;
  const durationMs = audio && source ? (source.pcm.length * 1000) / audio.sampleRateHz : 0;
  if (audioEndMs > Math.ceil(durationMs)) {
    throw new ProtocolError('invalid_audio_end_ms', `Audio content of ${Math.round(durationMs)}ms is already shorter than ${audioEndMs}ms.`, 'audio_end_ms');
  }
  if (audio && source) {
    audio.original = source;
    const keepSamples = Math.min(source.pcm.length, Math.round((audioEndMs * audio.sampleRateHz) / 1000));
    audio.pcm = source.pcm.slice(0, keepSamples);
    part.transcript = heardTranscript(source.timeline, audioEndMs);
    const kept: typeof audio.timeline = [];
    let consumed = 0;
    for (const segment of source.timeline) {
      if (consumed >= part.transcript.length || segment.startMs >= audioEndMs) break;
      const text = part.transcript.slice(consumed, consumed + segment.text.length);
      kept.push({ text, startMs: segment.startMs, endMs: Math.min(segment.endMs, audioEndMs) });
      consumed += text.length;
    }
    audio.timeline = kept;
  }
  return audioEndMs;
}
