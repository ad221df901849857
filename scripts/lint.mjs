#!/usr/bin/env node
// The tree's format and lint checks, as CI runs them (`npm test` runs this
// first; `npm run lint` alone). `--fix` rewrites instead of checking.
//   - Prettier over TypeScript/JavaScript/JSON (.prettierrc.json, .prettierignore)
//   - ESLint over TypeScript/JavaScript (eslint.config.mjs)
//   - clang-format over the C++ (.clang-format; the pinned one in .venv)
//   - tsc --noEmit with `strict` over lib, tests and examples (tsconfig.json)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fix = process.argv.includes('--fix');
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const venvBin = path.join(root, '.venv', process.platform === 'win32' ? 'Scripts' : 'bin');

function cxxFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'build') out.push(...cxxFiles(p));
    else if (/\.(cc|cpp|h|hpp)$/.test(e.name)) out.push(path.relative(root, p));
  }
  return out;
}

const clangFormat = [path.join(venvBin, 'clang-format'), 'clang-format'].find(
  (c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0,
);
const cxx = [...cxxFiles(path.join(root, 'native')), ...cxxFiles(path.join(root, 'bench', 'cpp'))];

const checks = [
  [
    'prettier',
    process.execPath,
    [bin('prettier', 'bin/prettier.cjs'), fix ? '--write' : '--check', '--log-level', 'warn', '.'],
  ],
  ['eslint', process.execPath, [bin('eslint', 'bin/eslint.js'), ...(fix ? ['--fix'] : []), '.']],
  ['clang-format', clangFormat, fix ? ['-i', ...cxx] : ['--dry-run', '--Werror', ...cxx]],
  ['tsc --noEmit', process.execPath, [bin('typescript', 'bin/tsc'), '-p', root, '--noEmit']],
];
// npm test has just compiled the same project with the same strict tsconfig.
if (process.argv.includes('--no-tsc')) checks.pop();

const failed = [];
for (const [name, cmd, args] of checks) {
  if (!cmd) {
    console.error(`lint: ${name} not found (npm run setup installs it into .venv)`);
    failed.push(name);
    continue;
  }
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(
    `\nlint: ${failed.join(', ')} failed${fix ? '' : ' (npm run lint -- --fix rewrites what the formatters can)'}`,
  );
  process.exit(1);
}
console.log(`lint: ${checks.map((c) => c[0]).join(', ')} clean (${cxx.length} C++ files)`);
