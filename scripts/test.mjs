#!/usr/bin/env node
// Runs the whole test suite with node:test over the compiled tests in
// dist/test (compiling first, so `npm test` never runs stale code), after the
// format and lint checks of scripts/lint.mjs. `npm test -- nn` runs only the
// test files whose names start with "nn" (and skips the lint).
//
// The TAP stream goes to stdout as node:test writes it, except that its
// closing summary (`# tests`, `# pass`, `# fail`, ...) is held back and
// printed after a recap of the failed tests (full name and error), so the end
// of a long log always says what failed.
import { spawn, spawnSync } from 'node:child_process';
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
const child = spawn(
  process.execPath,
  ['--expose-gc', '--test', '--test-concurrency=2', '--test-reporter=tap', ...files],
  { stdio: ['inherit', 'pipe', 'inherit'], cwd: root },
);
const recap = new TapRecap();
const summary = [];
let pending = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop();
  let out = '';
  for (const line of lines) {
    recap.read(line);
    if (/^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(line)) summary.push(line);
    else out += line + '\n';
  }
  if (out) process.stdout.write(out);
});
const status = await new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
if (pending) process.stdout.write(pending + '\n');
const failed = recap.failures();
if (failed.length) {
  console.log(`# ${failed.length} failed test${failed.length === 1 ? '' : 's'}:`);
  for (const f of failed) console.log(['# FAILED: ' + f.name, ...f.detail.map((l) => '#   ' + l)].join('\n'));
}
if (summary.length) console.log(summary.join('\n'));
if (lint.status !== 0) console.error('\nnpm test: the format/lint checks failed (see the top of the output).');
process.exit(status || lint.status || 0);

/** Collects failed leaf tests from a TAP stream: the names of their enclosing
 * suites and the first lines of their YAML diagnostic. */
function TapRecap() {
  const names = []; // by nesting level: the current `# Subtest:` names
  const found = [];
  let block = null; // the diagnostic block being read: {indent, lines, entry}
  this.read = (line) => {
    if (block) {
      if (line.trim() === '...' && line.indexOf('...') === block.indent) {
        const failureType = block.lines.find((l) => l.trim().startsWith('failureType:'));
        if (!failureType?.includes('subtestsFailed')) found.push(block.entry);
        block = null;
      } else if (block.lines.length < 12) block.lines.push(line.slice(block.indent));
      return;
    }
    const sub = /^( *)# Subtest: (.*)$/.exec(line);
    if (sub) {
      names.length = sub[1].length / 4;
      names.push(sub[2]);
      return;
    }
    const notOk = /^( *)not ok \d+ - (.*)$/.exec(line);
    if (notOk && !/ # (TODO|SKIP)\b/.test(notOk[2])) {
      const level = notOk[1].length / 4;
      const lines = [];
      block = {
        indent: notOk[1].length + 2,
        lines,
        entry: { name: [...names.slice(0, level), notOk[2]].join(' > '), detail: lines },
      };
    }
  };
  this.failures = () => found;
}
