#!/usr/bin/env node
// `npm run bench`: the same workloads, in one run, through mlx-node, Python
// mlx (.venv) and node-mlx (@frost-beta/mlx, when it can be installed and
// loaded), plus a C++ baseline of the small-op chains built against the same
// libmlx (bench/cpp). Each framework runs in its own process, one after the
// other. Prints a table, writes bench/results.json and regenerates
// docs/BENCHMARKS.md. Needs the compiled TypeScript (dist/) and the addon.
//
//   node bench/run.mjs [--quick] [--no-io] [--no-docs] [--json FILE]
//
//   --quick    1 warm-up and 2 repetitions everywhere (a smoke test; not for the docs)
//   --no-io    skip bench/io-memory.mjs (peak RSS of loading 1 GiB)
//   --no-docs  do not rewrite docs/BENCHMARKS.md
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const quick = flag('--quick');
const jsonOut = args.includes('--json')
  ? path.resolve(args[args.indexOf('--json') + 1])
  : path.join(here, 'results.json');
const docsOut = path.join(root, 'docs', 'BENCHMARKS.md');
const python = path.join(root, '.venv', 'bin', 'python');
const started = Date.now();

const log = (msg) =>
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);

// ---------------------------------------------------------------------------
// The workloads. Every worker (worker-js.mjs for mlx-node and node-mlx,
// worker.py for Python, cpp/chain.cc for the chains) implements each id with
// the same shapes, dtypes and repetitions.

// Each framework's worker runs ROUNDS times, the frameworks taking turns
// (mlx-node, Python, node-mlx, C++, then again), so that a change in the
// machine's load does not fall on one side only; the samples are pooled.
const ROUNDS = quick ? 1 : 5;
const OPS = 20000;
const M = 1 << 20;
const reps = (warmup, n) =>
  quick ? { warmup: Math.min(warmup, 1), reps: 2 } : { warmup, reps: Math.ceil(n / ROUNDS) };
const spec = [
  ...['add', 'multiply', 'reshape', 'slice', 'sliceobj'].map((kind) => ({
    id: `chain.${kind}`,
    kind,
    ops: OPS,
    ...reps(2, 12),
  })),
  { id: 'create.list4', calls: 2000, ...reps(2, 9) },
  { id: 'create.list1m', size: M, ...reps(1, 6) },
  { id: 'create.typed1m', size: M, ...reps(2, 9) },
  { id: 'tolist.4', calls: 2000, ...reps(2, 9) },
  { id: 'tolist.1m', size: M, ...reps(1, 6) },
  { id: 'totyped.1m', size: M, ...reps(2, 9) },
  { id: 'call.kwargs', calls: 2000, ...reps(2, 9) },
  { id: 'call.varargs', calls: 2000, ...reps(2, 9) },
  { id: 'call.dtype', calls: 2000, ...reps(2, 9) },
  { id: 'large.matmul', ...reps(1, 6) },
  { id: 'large.exp', ...reps(2, 9) },
  { id: 'large.add', ...reps(2, 9) },
  { id: 'large.add.sync', ...reps(0, 66) },
  { id: 'large.softmax', ...reps(2, 9) },
  { id: 'large.conv2d', ...reps(1, 6) },
  { id: 'large.sum', ...reps(2, 9) },
  { id: 'large.sum0', ...reps(2, 9) },
  { id: 'grad.mlp', ...reps(2, 9) },
  { id: 'vmap.matvec', ...reps(2, 9) },
  { id: 'compile.gelu', shape: [1024, 1024], ...reps(2, 9) },
  { id: 'compile.gelusmall', shape: [64, 64], calls: 200, ...reps(2, 9) },
  { id: 'mnist.compiled', batch: 128, ...reps(3, 12) },
  { id: 'mnist.uncompiled', batch: 128, ...reps(3, 12) },
  { id: 'transformer.forward', layers: 2, dims: 128, heads: 4, mlpDims: 512, batch: 8, seq: 64, ...reps(2, 9) },
];

// The rows of the report. goal: 'overhead' (mlx-node / Python ≤ 0.90),
// 'mlx' (MLX-bound work: mlx-node / Python ≤ 1.05), or null (informational).
const GOALS = {
  overhead: { limit: 0.9, text: '≤ 0.90' },
  mlx: { limit: 1.05, text: '≤ 1.05' },
};
const chainRows = (kind, what, cpp) => [
  { id: `chain.${kind}.build`, label: `${what}: build, per op`, unit: 'µs/op', goal: 'overhead', cpp },
  { id: `chain.${kind}.eval`, label: `${what}: eval of the chain`, unit: 'ms', goal: 'mlx', cpp },
];
const groups = [
  {
    title: `Per-op overhead: chains of ${OPS.toLocaleString('en-US')} small ops (float32 [16]; slices of [${OPS + 1}])`,
    rows: [
      ...chainRows('add', 'x = add(x, y)', 'add'),
      ...chainRows('multiply', 'x = multiply(x, 1.0001)', 'multiply'),
      ...chainRows('reshape', 'x = reshape(x, [4, 4] / [16])', 'reshape'),
      ...chainRows('slice', "x = x[1:] (mlx-node: x.index('1:'))", 'slice'),
      ...chainRows('sliceobj', 'x = x[slice(1, None)] (mx.Slice(1, null))', 'slice'),
    ],
  },
  {
    title: 'Array creation from JS data and back (float32)',
    rows: [
      { id: 'create.list4', label: 'array([1.5, 2.5, 3.5, 4.5])', unit: 'µs/call', goal: 'overhead' },
      { id: 'create.list1m', label: 'array(2^20 numbers) (Python: a list)', unit: 'ms', goal: null },
      { id: 'create.typed1m', label: 'array(Float32Array(2^20)) (Python: numpy)', unit: 'ms', goal: null },
      { id: 'tolist.4', label: 'tolist(), 4 elements', unit: 'µs/call', goal: 'overhead' },
      { id: 'tolist.1m', label: 'tolist(), 2^20 elements', unit: 'ms', goal: null },
      { id: 'totyped.1m', label: 'toTypedArray(), 2^20 (Python: np.array(a, copy=False))', unit: 'ms', goal: null },
    ],
  },
  {
    title: 'Other argument forms: one call on a [4, 4] array, result dropped',
    rows: [
      { id: 'call.kwargs', label: 'sum(x, {axis: 0}) (Python: sum(x, axis=0))', unit: 'µs/call', goal: 'overhead' },
      { id: 'call.varargs', label: 'x.reshape(2, 8)', unit: 'µs/call', goal: 'overhead' },
      { id: 'call.dtype', label: 'x.astype(mx.float16)', unit: 'µs/call', goal: 'overhead' },
    ],
  },
  {
    title: 'Large ops (float32, evaluated)',
    rows: [
      { id: 'large.matmul', label: 'matmul 1024x1024 @ 1024x1024', unit: 'ms', goal: 'mlx' },
      { id: 'large.exp', label: 'exp, 4M elements', unit: 'ms', goal: 'mlx' },
      { id: 'large.add', label: 'add, 4M + 4M elements', unit: 'ms', goal: 'mlx' },
      {
        id: 'large.add.sync',
        label: 'the same add in a synchronous loop, results left to the GC',
        unit: 'ms',
        goal: 'mlx',
      },
      { id: 'large.softmax', label: 'softmax [2048, 2048], axis -1', unit: 'ms', goal: 'mlx' },
      { id: 'large.conv2d', label: 'conv2d [8,64,64,32] * [64,3,3,32], padding 1', unit: 'ms', goal: 'mlx' },
      { id: 'large.sum', label: 'sum, 4M elements', unit: 'ms', goal: 'mlx' },
      { id: 'large.sum0', label: 'sum [2048, 2048], axis 0', unit: 'ms', goal: 'mlx' },
    ],
  },
  {
    title: 'Transforms',
    rows: [
      { id: 'grad.mlp', label: 'grad of an MLP loss (64x128 -> 256 -> 10, 4 params)', unit: 'ms', goal: null },
      { id: 'vmap.matvec', label: 'vmap of sum(tanh(W x + b)) over 512 rows', unit: 'ms', goal: null },
      { id: 'compile.gelu.uncompiled', label: 'gelu (tanh form), 1M elements, uncompiled', unit: 'ms', goal: 'mlx' },
      { id: 'compile.gelu.compiled', label: 'gelu, 1M elements, compiled', unit: 'ms', goal: 'mlx' },
      {
        id: 'compile.gelu.speedup',
        label: 'speed-up from compile, 1M (higher is better)',
        unit: '×',
        goal: null,
        higher: true,
      },
      { id: 'compile.gelusmall.uncompiled', label: 'gelu, 64x64 elements, uncompiled', unit: 'ms/call', goal: null },
      { id: 'compile.gelusmall.compiled', label: 'gelu, 64x64 elements, compiled', unit: 'ms/call', goal: null },
      {
        id: 'compile.gelusmall.speedup',
        label: 'speed-up from compile, 64x64 (higher is better)',
        unit: '×',
        goal: null,
        higher: true,
      },
    ],
  },
  {
    title: 'Models',
    rows: [
      {
        id: 'mnist.compiled',
        label: 'MLP 784-256-256-10 train step, batch 128, AdamW, compiled with state',
        unit: 'ms/step',
        goal: 'mlx',
      },
      { id: 'mnist.uncompiled', label: 'the same step, uncompiled', unit: 'ms/step', goal: null },
      {
        id: 'transformer.forward',
        label: 'TransformerEncoder forward (2 layers, 128 dims, 4 heads, [8, 64, 128])',
        unit: 'ms',
        goal: 'mlx',
      },
    ],
  },
];

// ---------------------------------------------------------------------------
// Helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000, ...opts });
  if (r.error) return { ok: false, error: r.error.message };
  if (r.status !== 0) {
    const err =
      (r.stderr || '')
        .trim()
        .split('\n')
        .filter((l) => /error|Error|cannot|not found/.test(l))[0] ?? (r.stderr || '').trim().split('\n').pop();
    return { ok: false, error: `exit ${r.status ?? r.signal}: ${err ?? ''}` };
  }
  return { ok: true, stdout: r.stdout, stderr: r.stderr };
}

function lastJson(stdout) {
  return JSON.parse(stdout.trim().split('\n').pop());
}

function venvSitePackages() {
  const lib = path.join(root, '.venv', 'lib');
  if (!existsSync(lib)) return null;
  for (const py of readdirSync(lib)) {
    const dir = path.join(lib, py, 'site-packages');
    if (existsSync(path.join(dir, 'mlx'))) return dir;
  }
  return null;
}

// The MLX that the addon is built against: $MLX_DIR, else the .venv wheel
// (as scripts/build-native.mjs finds it).
function mlxCmakeArgs() {
  const mlxDir = process.env.MLX_DIR;
  if (mlxDir)
    return existsSync(path.join(mlxDir, 'MLXConfig.cmake'))
      ? [`-DMLX_DIR=${mlxDir}`]
      : [`-DCMAKE_PREFIX_PATH=${mlxDir}`];
  const site = venvSitePackages();
  const dir = site && path.join(site, 'mlx', 'share', 'cmake', 'MLX');
  return dir && existsSync(path.join(dir, 'MLXConfig.cmake')) ? [`-DMLX_DIR=${dir}`] : [];
}

// ---------------------------------------------------------------------------
// The machine

function machine() {
  const read = (f) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  };
  const cpuinfo = read('/proc/cpuinfo');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const osName = /PRETTY_NAME="?([^"\n]*)/.exec(read('/etc/os-release'))?.[1] ?? `${os.type()}`;
  return {
    cpu: model.trim(),
    cores: os.cpus().length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${osName} (${os.type()} ${os.release()}, ${os.arch()})`,
    node: process.version,
    loadavgBefore: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

// ---------------------------------------------------------------------------
// node-mlx: a private copy in bench/.node-mlx (or one a user installed).
// It is not a dependency of the package: its install script downloads its
// addon from GitHub, which the set-up never does; the npm tarball itself
// carries a Linux x64 addon, so the bench installs it with --ignore-scripts.
const NODE_MLX_VERSION = '0.0.7';

function nodeMlx(notes) {
  const range = NODE_MLX_VERSION;
  const addon = (dir) => existsSync(path.join(dir, 'build', 'Release', 'mlx.node'));
  let dir = null;
  try {
    dir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('@frost-beta/mlx/package.json'));
    if (!addon(dir)) dir = null;
  } catch {
    dir = null;
  }
  if (!dir) {
    // Its install script downloads the addon from GitHub (never run here);
    // the tarball itself carries a Linux x64 addon: a copy without scripts.
    const prefix = path.join(here, '.node-mlx');
    const local = path.join(prefix, 'node_modules', '@frost-beta', 'mlx');
    if (!addon(local)) {
      log(`node-mlx: not in node_modules; installing @frost-beta/mlx@${range} into bench/.node-mlx (--ignore-scripts)`);
      mkdirSync(prefix, { recursive: true });
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const r = run(
        npm,
        [
          'install',
          '--prefix',
          prefix,
          '--no-save',
          '--no-package-lock',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
          `@frost-beta/mlx@${range}`,
        ],
        { timeout: 180_000 },
      );
      if (!r.ok) {
        notes.push(`node-mlx skipped: @frost-beta/mlx@${range} could not be installed (${r.error}).`);
        return null;
      }
    }
    if (!addon(local)) {
      notes.push(`node-mlx skipped: @frost-beta/mlx@${range} has no addon for ${process.platform}-${process.arch}.`);
      return null;
    }
    dir = local;
    notes.push(
      'node-mlx: the addon shipped in the @frost-beta/mlx tarball, installed by name from npm with --ignore-scripts into bench/.node-mlx (its install script would download from GitHub).',
    );
  }
  const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  // Its addon links libblas.so.3/liblapack.so.3: give it the BLAS/LAPACK of
  // the MLX wheel, the same ones mlx-node and Python mlx use.
  const env = { ...process.env };
  let libsDir = null;
  const site = venvSitePackages();
  const wheelLibs = site && path.join(site, 'mlx_cpu.libs');
  if (wheelLibs && existsSync(wheelLibs)) {
    libsDir = mkdtempSync(path.join(os.tmpdir(), 'mlx-bench-blas-'));
    for (const f of readdirSync(wheelLibs)) {
      const m = /^(libblas|liblapack)-[0-9a-f]+\.so\.(\d+)/.exec(f);
      if (m) symlinkSync(path.join(wheelLibs, f), path.join(libsDir, `${m[1]}.so.${m[2]}`));
    }
    env.LD_LIBRARY_PATH = [libsDir, wheelLibs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  return { dir, version, env, libsDir };
}

// ---------------------------------------------------------------------------
// The C++ baseline

function buildCpp(notes) {
  const build = path.join(here, 'cpp', 'build');
  const exe = path.join(build, 'chain');
  log('C++ baseline: cmake (bench/cpp -> bench/cpp/build)');
  let r = run(
    'cmake',
    ['-S', path.join(here, 'cpp'), '-B', build, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release', ...mlxCmakeArgs()],
    { timeout: 300_000 },
  );
  if (r.ok) r = run('cmake', ['--build', build], { timeout: 600_000 });
  if (!r.ok || !existsSync(exe)) {
    notes.push(`C++ baseline skipped: could not build bench/cpp (${r.error ?? 'no executable'}).`);
    return null;
  }
  return exe;
}

function runCpp(exe, notes) {
  // (C++ has one spelling of a slice: chain.sliceobj reuses chain.slice's run.)
  const results = {};
  const byKind = {};
  for (const w of spec.filter((s) => s.kind)) {
    const kind = w.kind === 'sliceobj' ? 'slice' : w.kind;
    if (!byKind[kind]) {
      const r = run(exe, [kind, String(w.ops), String(w.warmup), String(w.reps)]);
      if (!r.ok) {
        notes.push(`C++ ${w.id}: ${r.error}`);
        continue;
      }
      byKind[kind] = lastJson(r.stdout);
    }
    const out = byKind[kind];
    results[`${w.id}.build`] = { unit: 'us/op', samples: out.build_us_per_op };
    results[`${w.id}.eval`] = { unit: 'ms', samples: out.eval_ms };
  }
  return results;
}

// ---------------------------------------------------------------------------
// Run

const notes = [];
const info = { machine: machine(), frameworks: {} };
const raw = {}; // framework -> { results, skipped }
const specJson = JSON.stringify(spec);

if (!existsSync(path.join(root, 'dist', 'lib', 'index.js')) || !existsSync(path.join(root, 'build', 'mlx_node.node'))) {
  console.error('bench: build mlx-node first (npm run build: the addon in build/ and the TypeScript in dist/).');
  process.exit(1);
}

const cppExe = buildCpp(notes);

// Pool one worker's output into raw[fw].
function pool(fw, out) {
  const into = (raw[fw] ??= { results: {}, skipped: {}, info: out.info ?? {} });
  for (const [id, r] of Object.entries(out.results)) {
    if (into.results[id]) into.results[id].samples.push(...r.samples);
    else into.results[id] = { unit: r.unit, samples: [...r.samples] };
  }
  Object.assign(into.skipped, out.skipped ?? {});
}

const nm = nodeMlx(notes);
const workers = [
  {
    fw: 'mlx-node',
    cmd: process.execPath,
    argv: [
      '--expose-gc',
      path.join(here, 'worker-js.mjs'),
      'mlx-node',
      path.join(root, 'dist', 'lib', 'index.js'),
      specJson,
    ],
    required: true,
  },
  existsSync(python)
    ? { fw: 'python', cmd: python, argv: [path.join(here, 'worker.py'), specJson] }
    : (notes.push(`Python mlx skipped: no ${path.relative(root, python)} (npm run setup makes it).`), null),
  nm
    ? {
        fw: 'node-mlx',
        cmd: process.execPath,
        argv: ['--expose-gc', path.join(here, 'worker-js.mjs'), 'node-mlx', nm.dir, specJson],
        env: nm.env,
      }
    : null,
].filter(Boolean);
const failed = new Set();
for (let round = 1; round <= ROUNDS; round++) {
  for (const w of workers) {
    if (failed.has(w.fw)) continue;
    log(`round ${round}/${ROUNDS}: ${w.fw}`);
    const r = run(w.cmd, w.argv, w.env ? { env: w.env } : {});
    if (!r.ok) {
      if (w.required) {
        console.error(`bench: the ${w.fw} worker failed: ${r.error}`);
        process.exit(1);
      }
      failed.add(w.fw);
      notes.push(`${w.fw} skipped: it could not be loaded or run (${r.error}).`);
      delete raw[w.fw];
      continue;
    }
    pool(w.fw, lastJson(r.stdout));
  }
  if (cppExe) {
    log(`round ${round}/${ROUNDS}: C++ baseline`);
    pool('cpp', { results: runCpp(cppExe, notes) });
  }
}
if (nm?.libsDir) rmSync(nm.libsDir, { recursive: true, force: true });
if (raw['mlx-node']) {
  info.frameworks['mlx-node'] = {
    version: JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version,
    mlx: raw['mlx-node'].info.mlx,
  };
}
if (raw.python) info.frameworks.python = raw.python.info;
if (raw['node-mlx']) {
  info.frameworks['node-mlx'] = {
    version: nm.version,
    mlx: 'an older MLX bundled in its addon (no GatherMM kernel, for one; the package does not say which version)',
  };
}

let ioMemory = null;
if (!flag('--no-io')) {
  log('bench/io-memory.mjs');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mlx-bench-io-'));
  const file = path.join(tmp, 'io.json');
  const r = run(process.execPath, [path.join(here, 'io-memory.mjs'), '--json', file], { timeout: 600_000 });
  if (r.ok) ioMemory = JSON.parse(readFileSync(file, 'utf8'));
  else notes.push(`bench/io-memory.mjs failed: ${r.error}`);
  rmSync(tmp, { recursive: true, force: true });
}
info.machine.loadavgAfter = os.loadavg().map((x) => +x.toFixed(2));
info.machine.seconds = Math.round((Date.now() - started) / 1000);

// ---------------------------------------------------------------------------
// Rows: medians and ratios

const FW = ['mlx-node', 'python', 'node-mlx', 'cpp'];
const value = (fw, id) => {
  const r = raw[fw]?.results?.[id];
  return r ? median(r.samples) : null;
};
// The speed-up from compile is derived per framework.
for (const fw of FW) {
  for (const id of ['compile.gelu', 'compile.gelusmall']) {
    const a = raw[fw]?.results?.[`${id}.uncompiled`];
    const b = raw[fw]?.results?.[`${id}.compiled`];
    if (a && b) raw[fw].results[`${id}.speedup`] = { unit: 'x', samples: [median(a.samples) / median(b.samples)] };
  }
}
for (const fw of FW) {
  for (const [id, why] of Object.entries(raw[fw]?.skipped ?? {})) notes.push(`${fw}: ${id} skipped: ${why}`);
}

notes.splice(0, notes.length, ...new Set(notes));

const rows = [];
for (const g of groups) {
  for (const row of g.rows) {
    const v = Object.fromEntries(
      FW.map((fw) => [fw, row.id.startsWith('chain.') || fw !== 'cpp' ? value(fw, row.id) : null]),
    );
    const ratio = (a, b) => (v[a] != null && v[b] != null && v[b] > 0 ? v[a] / v[b] : null);
    const vsPython = ratio('mlx-node', 'python');
    const goal = row.goal ? GOALS[row.goal] : null;
    rows.push({
      group: g.title,
      id: row.id,
      label: row.label,
      unit: row.unit,
      medians: v,
      samples: Object.fromEntries(FW.map((fw) => [fw, raw[fw]?.results?.[row.id]?.samples ?? null])),
      ratios: { python: vsPython, nodeMlx: ratio('mlx-node', 'node-mlx'), cpp: ratio('mlx-node', 'cpp') },
      goal: goal ? goal.text : null,
      meetsGoal: goal && vsPython != null ? vsPython <= goal.limit : null,
    });
  }
}

// ---------------------------------------------------------------------------
// Output

const fmt = (x) => {
  if (x == null) return '—';
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
};
const fmtRatio = (x) => (x == null ? '—' : x.toFixed(2));
const goalCell = (r) => (r.goal == null ? '' : `${r.goal} ${r.meetsGoal == null ? '?' : r.meetsGoal ? 'yes' : 'NO'}`);
const headers = [
  'workload',
  'unit',
  'mlx-node',
  'Python',
  'node-mlx',
  'C++',
  '÷Python',
  '÷node-mlx',
  '÷C++',
  'goal vs Python',
];
const cells = (r) => [
  r.label,
  r.unit,
  fmt(r.medians['mlx-node']),
  fmt(r.medians.python),
  fmt(r.medians['node-mlx']),
  fmt(r.medians.cpp),
  fmtRatio(r.ratios.python),
  fmtRatio(r.ratios.nodeMlx),
  fmtRatio(r.ratios.cpp),
  goalCell(r),
];

// stdout: a plain table
{
  const table = rows.map(cells);
  const widths = headers.map((h, i) => Math.max(h.length, ...table.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  let group = null;
  console.log(line(headers));
  rows.forEach((r, i) => {
    if (r.group !== group) {
      group = r.group;
      console.log(`\n${group}`);
    }
    console.log(line(table[i]));
  });
  if (ioMemory) {
    console.log('\nPeak RSS growth while getting 1 GiB into MLX (bench/io-memory.mjs)');
    for (const r of ioMemory)
      console.log(`  ${r.what.padEnd(70)} ${String(r.peakMiB).padStart(6)} MiB  ${r.ratio.toFixed(2)}x`);
  }
  if (notes.length) console.log(`\nNotes:\n${notes.map((n) => `  - ${n}`).join('\n')}`);
  console.log(
    `\nratios are mlx-node / other (times: below 1 means mlx-node is faster); ${info.machine.seconds} s in all.`,
  );
}

// Formatted as the repository's Prettier would (when it is installed), so that
// the lint check passes on the generated file.
async function pretty(text, file) {
  try {
    const prettier = await import('prettier');
    return await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    return text;
  }
}
const resultsJson = JSON.stringify(
  {
    date: new Date().toISOString(),
    quick,
    machine: info.machine,
    frameworks: info.frameworks,
    spec,
    rows,
    ioMemory,
    notes,
  },
  null,
  2,
);
writeFileSync(jsonOut, await pretty(`${resultsJson}\n`, jsonOut));
log(`wrote ${path.relative(root, jsonOut)}`);

if (!flag('--no-docs')) {
  writeFileSync(docsOut, markdown());
  log(`wrote ${path.relative(root, docsOut)}`);
}

function markdown() {
  const m = info.machine;
  const fw = info.frameworks;
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  const out = [];
  out.push('# Benchmarks');
  out.push('');
  out.push('<!-- Generated by `npm run bench` (bench/run.mjs); edit the script, not this file. -->');
  out.push('');
  out.push(
    'The same workloads, in one run, through mlx-node, Python mlx and node-mlx (`@frost-beta/mlx`), each in its own ' +
      'process, plus a C++ program that drives the small-op chains directly against libmlx (bench/cpp/chain.cc, built ' +
      'by the script against the same MLX as the addon), so that the binding’s own per-op cost shows. Every number is ' +
      'the median of several repetitions after warm-up runs, with the work evaluated inside the timed region; shapes ' +
      'and dtypes are the same on every side. Ratios are mlx-node / other: below 1 means mlx-node is faster.',
  );
  out.push('');
  out.push(
    'Run it with `npm run bench` (after `npm run build`); it writes bench/results.json (every sample) and this file.',
  );
  out.push('');
  out.push('## Machine');
  out.push('');
  out.push('| | |');
  out.push('| --- | --- |');
  out.push(`| CPU | ${esc(m.cpu)}, ${m.cores} cores |`);
  out.push(`| Memory | ${m.memoryGiB} GiB |`);
  out.push(`| OS | ${esc(m.os)} |`);
  out.push(`| Node | ${m.node} |`);
  if (fw.python) out.push(`| Python | ${fw.python.python} (mlx ${fw.python.mlx}, numpy ${fw.python.numpy}) |`);
  out.push(`| mlx-node | ${fw['mlx-node']?.version} on MLX ${fw['mlx-node']?.mlx} |`);
  if (fw['node-mlx']) out.push(`| node-mlx | @frost-beta/mlx ${fw['node-mlx'].version}, ${esc(fw['node-mlx'].mlx)} |`);
  out.push('| BLAS/LAPACK | the MLX wheel’s (mlx_cpu.libs), for all three |');
  out.push(
    `| Load average | ${m.loadavgBefore.join(' / ')} before, ${m.loadavgAfter.join(' / ')} after (1/5/15 min) |`,
  );
  out.push(
    `| Date, duration | ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${m.seconds} s${quick ? ' (--quick)' : ''} |`,
  );
  out.push('');
  out.push('## Goals');
  out.push('');
  out.push('Each row says which goal it measures (the ratio mlx-node / Python):');
  out.push('');
  out.push(
    '- **≤ 0.90 — small-op overhead.** Building a graph op by op, and small conversions, should cost less in mlx-node than in Python (the build rows of the chains; 4-element array creation and tolist).',
  );
  out.push(
    '- **≤ 1.05 — MLX-bound work.** Large ops, evaluating the chains, compiled functions and the model workloads run in libmlx: mlx-node should be within 5% of Python.',
  );
  out.push(
    '- Rows without a goal are informational (conversions of 2^20 elements, uncompiled transforms, the compile speed-ups, small compiled functions).',
  );
  out.push('');
  const met = rows.filter((r) => r.meetsGoal === true).length;
  const missed = rows.filter((r) => r.meetsGoal === false);
  out.push(
    `This run: ${met} of ${met + missed.length} rows with a goal meet it${missed.length ? ' (the others say NO in the tables)' : ''}.`,
  );
  out.push('');
  let group = null;
  for (const r of rows) {
    if (r.group !== group) {
      group = r.group;
      out.push(`## ${group}`);
      out.push('');
      out.push(`| ${headers.join(' | ')} |`);
      out.push(
        `| --- | --- | ${headers
          .slice(2)
          .map(() => '---:')
          .join(' | ')} |`,
      );
    }
    out.push(`| ${cells(r).map(esc).join(' | ')} |`);
    const next = rows[rows.indexOf(r) + 1];
    if (!next || next.group !== group) out.push('');
  }
  out.push(
    'The build rows time the JS/Python loop that makes the chain (per op); the eval rows time `mx.eval` of the finished chain. ' +
      'The C++ column is the same loop in C++ against libmlx: mlx-node’s build time minus it is the binding’s own cost per op.',
  );
  out.push('');
  if (ioMemory) {
    out.push('## Peak memory of getting 1 GiB into MLX (bench/io-memory.mjs)');
    out.push('');
    out.push(
      'Each case in a fresh process; peak RSS growth (max RSS minus RSS before the work) and its ratio to the data size.',
    );
    out.push('');
    out.push('| case | peak RSS growth | / data |');
    out.push('| --- | ---: | ---: |');
    for (const r of ioMemory) out.push(`| ${esc(r.what)} | ${r.peakMiB} MiB | ${r.ratio.toFixed(2)}x |`);
    out.push('');
  }
  out.push('## Notes');
  out.push('');
  out.push(
    `- Each framework runs in its own process; the processes take turns (mlx-node, Python, node-mlx, C++, ${ROUNDS} rounds) and the samples of the rounds are pooled, so that a change in the machine's load does not fall on one side only.`,
  );
  out.push(
    '- Between repetitions, outside the timed region, the garbage is freed: `gc()` and one event-loop turn in Node (mlx-node frees arrays inside the collection; node-mlx’s N-API finalizers run on a later turn), `gc.collect()` in Python (which frees by reference counting anyway). The large ops instead free their result inside the timed region, `mx.dispose(result)` in Node as Python’s reference counting does, and run no collection between repetitions: a forced full collection flushes the CPU caches and made the Node side look up to ~35% slower on the shorter ops.',
  );
  out.push(
    '- Two rows show where a garbage-collected binding differs from Python: “the same add in a synchronous loop” leaves each result to the garbage collector, as a plain loop does (Python frees each result at once, so MLX reuses its buffer); and the eval rows of the chains run while the intermediate JS wrappers still hold their arrays (Python has dropped them; building 20,000 ops allocates too little JS memory for a minor collection to run), which keeps MLX from reusing buffers during the evaluation — with a collection just before the eval, the add chain evaluates within 10% of Python.',
  );
  out.push(
    '- node-mlx 0.0.7 predates several APIs: it has no TypedArray input or readback, and its `compile` has no `inputs`/`outputs` state capture, so those rows are empty for it. It bundles an older MLX, so its ratios compare both the binding and the MLX version.',
  );
  out.push(
    '- The machine may be shared; the load average above shows how busy it was. Ratios within a few percent are noise on a loaded 2-core machine.',
  );
  out.push(
    '- “exp, 4M elements” runs at either ~49 or ~76 ms per call for a whole Node process, flipping from run to run (sometimes mid-run) with the same build; Python stays at ~49. It is MLX’s kernel time, not the binding’s (one call per 49 ms): one MLX thread computes and no other thread of the process uses the CPU meanwhile, the page faults are the same, and neither pinning to one CPU nor a fixed glibc mmap threshold decides it. Cause not found.',
  );
  for (const n of notes) out.push(`- ${n}`);
  out.push('');
  return out.join('\n');
}
