/**
 * Turns a local model's function-call progress (name known, arguments text arriving in chunks) into
 * `tool_call_start` / `tool_call_arguments` deltas. Trailing whitespace is held back until more
 * non-space text follows, because grammar-constrained generation may end the arguments with a few
 * newlines before its stop trigger; the arguments then stream as exactly the JSON text.
 */
import { newId } from '../../protocol/ids.js';
import type { LlmDelta } from './types.js';

interface OpenCall {
  heldWhitespace: string;
  emittedArguments: boolean;
}

export class ToolCallDeltas {
  private readonly calls = new Map<number, OpenCall>();

  get count(): number {
    return this.calls.size;
  }

  has(index: number): boolean {
    return this.calls.has(index);
  }

  start(index: number, name: string): LlmDelta[] {
    if (this.calls.has(index)) return [];
    this.calls.set(index, { heldWhitespace: '', emittedArguments: false });
    return [{ type: 'tool_call_start', index, callId: newId('call'), name }];
  }

  arguments(index: number, chunk: string): LlmDelta[] {
    const call = this.calls.get(index);
    if (!call || chunk.length === 0) return [];
    const text = call.heldWhitespace + chunk;
    const end = text.search(/\s*$/);
    call.heldWhitespace = text.slice(end);
    const visible = text.slice(0, end);
    if (visible.length === 0) return [];
    call.emittedArguments = true;
    return [{ type: 'tool_call_arguments', index, delta: visible }];
  }

  /** A call whose arguments never streamed (a function without parameters) gets `fallbackJson`. */
  finish(index: number, fallbackJson: string): LlmDelta[] {
    const call = this.calls.get(index);
    if (!call || call.emittedArguments) return [];
    call.emittedArguments = true;
    return [{ type: 'tool_call_arguments', index, delta: fallbackJson }];
  }
}
