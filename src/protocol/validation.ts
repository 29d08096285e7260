/**
 * Turns zod validation failures into the protocol's typed errors: one clear message naming the
 * offending field (`param` as a dotted path, e.g. `session.turn_detection.threshold`).
 */
import type { z } from 'zod';
import { ProtocolError } from './errors.js';

function pathToParam(path: PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment as string];
  }
  return node;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The most specific issue: descend into union branches whose discriminator matched. */
function deepestIssue(issues: z.core.$ZodIssue[]): z.core.$ZodIssue | undefined {
  let best: z.core.$ZodIssue | undefined;
  for (const issue of issues) {
    let candidate: z.core.$ZodIssue = issue;
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors
        .map((branch) => deepestIssue(branch.map((b) => ({ ...b, path: [...issue.path, ...b.path] }))))
        .filter((b): b is z.core.$ZodIssue => b !== undefined);
      const deepest = branches.sort((a, b) => b.path.length - a.path.length)[0];
      if (deepest && deepest.path.length > issue.path.length) candidate = deepest;
    }
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  return best;
}

export function zodErrorToProtocolError(error: z.ZodError, input: unknown): ProtocolError {
  const issue = deepestIssue(error.issues);
  if (!issue) return new ProtocolError('invalid_event', 'Invalid event.');
  const param = pathToParam(issue.path) || null;
  const actual = valueAt(input, issue.path);
  const where = param ? `'${param}'` : 'the event';
  if (issue.code === 'invalid_type') {
    if (actual === undefined) {
      return new ProtocolError('missing_required_parameter', `Missing required parameter: ${where}.`, param);
    }
    return new ProtocolError('invalid_type', `Invalid type for ${where}: expected ${issue.expected}, but got ${describe(actual)}.`, param);
  }
  if (issue.code === 'invalid_union' && actual !== null && typeof actual === 'object' && 'type' in (actual as object)) {
    const type = (actual as { type: unknown }).type;
    return new ProtocolError('invalid_value', `Invalid value for '${param ? `${param}.type` : 'type'}': ${JSON.stringify(type)} is not supported here.`, param ? `${param}.type` : 'type');
  }
  const shown = actual === undefined ? '' : ` (got ${JSON.stringify(actual)?.slice(0, 80)})`;
  return new ProtocolError('invalid_value', `Invalid value for ${where}: ${issue.message}${shown}.`, param);
}
