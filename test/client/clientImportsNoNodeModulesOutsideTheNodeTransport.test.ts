/**
 * `voicelive/client` must load in browsers: following the runtime imports from
 * src/client/index.ts (type-only imports are erased and do not count), no module imports a Node
 * built-in or a package; only the Node transport imports `ws`, and it is loaded with a dynamic
 * import that runs only in Node.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');

/** Static runtime import/export specifiers of a TypeScript module (not `import type` / `export type`). */
function runtimeImports(source: string): { static: string[]; dynamic: string[] } {
  const staticImports = [...source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)].map((m) => m[1]!);
  const dynamicImports = [...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
  return { static: staticImports, dynamic: dynamicImports };
}

test('the client module graph has no runtime Node or package imports outside the lazily loaded Node transport', () => {
  const seen = new Set<string>();
  const external: string[] = [];
  const dynamic: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const imports = runtimeImports(readFileSync(file, 'utf8'));
    for (const spec of imports.dynamic) dynamic.push(`${relative(root, file)} -> ${spec}`);
    for (const spec of imports.static) {
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else external.push(`${relative(root, file)} -> ${spec}`);
    }
  };
  visit(join(root, 'src/client/index.ts'));
  const files = [...seen].map((f) => relative(root, f)).sort();
  assert.deepEqual(external, [], 'no runtime imports of node: built-ins or packages');
  assert.deepEqual(dynamic, ['src/client/connect.ts -> ./nodeTransport.js'], 'only the Node transport is loaded lazily');
  assert.ok(files.includes('src/client/connection.ts') && files.includes('src/audio/pcm.ts'));
  assert.ok(!files.includes('src/client/nodeTransport.ts'), 'the Node transport is not in the static graph');
  // The Node transport itself is where `ws` lives.
  const nodeTransport = runtimeImports(readFileSync(join(root, 'src/client/nodeTransport.ts'), 'utf8'));
  assert.ok(nodeTransport.static.includes('ws'));
  // The shared PCM helpers the client uses touch Buffer only inside functions the client does not call.
  const pcm = readFileSync(join(root, 'src/audio/pcm.ts'), 'utf8');
  assert.ok(!/^(?:const|let|var)[^\n]*Buffer/m.test(pcm), 'no top-level Buffer use in src/audio/pcm.ts');
});
