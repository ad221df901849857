#!/usr/bin/env node
// One command that sets up everything on a fresh machine:
//   1. a project-local Python environment (.venv) with MLX 0.32.4 from PyPI
//      (`mlx[cpu]` on Linux: libmlx.so, headers, CMake config; the `mlx`
//      frontend and numpy are the test oracle), clang-format for the lint,
//      plus cmake/ninja from PyPI if the machine has none;
//   2. npm dependencies;
//   3. the native addon (scripts/build-native.mjs);
//   4. the TypeScript.
// Every step is skipped when its result is already there, so re-running is cheap.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MLX_VERSION = '0.32.4';
const NUMPY_VERSION = '2.3.5';
const venv = path.join(root, '.venv');
const venvBin = path.join(venv, process.platform === 'win32' ? 'Scripts' : 'bin');
const venvPython = path.join(venvBin, 'python');

function fail(msg) {
  console.error(`\nmlx-node setup: ${msg}\n`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

function has(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

// --- Node ---
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 20) fail(`Node.js >= 20 is required (this is ${process.versions.node}).`);

// --- Python environment with MLX ---
const python = ['python3', 'python'].find((p) => {
  const v = output(p, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
  if (!v) return false;
  const [maj, min] = v.split('.').map(Number);
  return maj === 3 && min >= 10;
});
if (!python) fail('Python >= 3.10 is required (Debian/Ubuntu: apt-get install python3 python3-venv).');

if (!existsSync(venvPython)) {
  const r = spawnSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  if (r.status !== 0) fail('could not create .venv (Debian/Ubuntu: apt-get install python3-venv).');
}

// numpy is for the test oracle only (Python's own tests use it as their
// reference, and it carries arrays between the oracle and the tests).
const installed = output(venvPython, [
  '-c',
  'import mlx.core as mx, numpy as np; print(mx.__version__, np.__version__)',
]);
if (installed !== `${MLX_VERSION} ${NUMPY_VERSION}`) {
  // On Linux the `cpu` extra brings the mlx-cpu wheel (libmlx.so and friends);
  // on macOS the mlx wheel itself carries libmlx with Metal.
  const spec = process.platform === 'linux' ? `mlx[cpu]==${MLX_VERSION}` : `mlx==${MLX_VERSION}`;
  run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', spec, `numpy==${NUMPY_VERSION}`]);
}

// clang-format, pinned so every machine formats C++ alike (`npm run lint`).
const CLANG_FORMAT_VERSION = '19.1.7';
const clangFormat = path.join(venvBin, 'clang-format');
if (!(output(clangFormat, ['--version']) ?? '').includes(`version ${CLANG_FORMAT_VERSION}`)) {
  run(venvPython, [
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '-q',
    `clang-format==${CLANG_FORMAT_VERSION}`,
  ]);
}

// --- Build tools: the machine's if it has them, else from PyPI into .venv ---
const missing = ['cmake', 'ninja'].filter((t) => !has(t));
if (missing.length) run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', ...missing]);
if (!has(process.env.CXX || 'c++') && !has('g++') && !has('clang++')) {
  fail('a C++20 compiler is required (Debian/Ubuntu: apt-get install g++).');
}

// --- npm dependencies ---
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
run(npm, [existsSync(path.join(root, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund']);

// --- addon and TypeScript ---
const env = { ...process.env, PATH: `${process.env.PATH}${path.delimiter}${venvBin}` };
run(process.execPath, [path.join(root, 'scripts', 'build-native.mjs')], { env });
run(npm, ['run', 'build:ts']);

console.log('\nmlx-node is set up. Run the tests with: npm test');
