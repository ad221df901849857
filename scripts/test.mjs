#!/usr/bin/env node
// Runs the whole test suite with node:test over the compiled tests in
// dist/test (compiling first, so `npm test` never runs stale code), after the
// format and lint checks of scripts/lint.mjs. `npm test -- nn` runs only the
// test files whose names start with "nn" (and skips the lint).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const dir = path.join(root, 'dist', 'test');
const only = process.argv.slice(2);
// The lint's verdict is reported after the tests, so one run shows both.
const lint = only.length
  ? { status: 0 }
  : spawnSync(process.execPath, [path.join(root, 'scripts', 'lint.mjs'), '--no-tsc'], { stdio: 'inherit' });
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .map((f) => path.join(dir, f));
const r = spawnSync(process.execPath, ['--expose-gc', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  cwd: root,
});
if (lint.status !== 0) console.error('\nnpm test: the format/lint checks failed (see the top of the output).');
process.exit(r.status || lint.status || 0);
