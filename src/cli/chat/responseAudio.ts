/**
 * The assistant's audio for `--output`: `response.audio.delta` chunks kept per response and, once
 * a response is done, added to the answer if it completed (a response cancelled by a newer turn
 * is left out: its answer was never finished).
 */
import type { ServerEvent } from '../../client/index.js';
import { decodePcm16 } from '../../client/index.js';
import { concatPcm16 } from '../../audio/pcm.js';

export class ResponseAudio {
  private readonly pending = new Map<string, Int16Array[]>();
  private readonly kept: Int16Array[] = [];

  observe(event: ServerEvent): void {
    if (event.type === 'response.audio.delta') {
      let chunks = this.pending.get(event.response_id);
      if (!chunks) this.pending.set(event.response_id, (chunks = []));
      chunks.push(decodePcm16(event));
    } else if (event.type === 'response.done') {
      const chunks = this.pending.get(event.response.id) ?? [];
      this.pending.delete(event.response.id);
      if (event.response.status !== 'cancelled' && event.response.status !== 'failed') this.kept.push(...chunks);
    }
  }

  /** The audio of every finished response, in order. */
  get pcm(): Int16Array {
    return concatPcm16(this.kept);
  }
}
