#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('voicelive: the compiled CLI is missing (dist/cli/main.js). Run `npm run build` (or `npm ci`) first.');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
