#!/usr/bin/env node
// Peak memory of getting 1 GiB of data into MLX, mlx-node vs Python mlx:
//   1. loading a 1 GiB .safetensors file (written here first) and evaluating it;
//   2. building a 1 GiB array from JS data: mx.array(Float32Array) (one copy),
//      and mx.arrayFrom(shape, dtype, fill) (written in place, no copy).
// Each measurement runs in a fresh process; the number reported is the peak
// RSS growth (getrusage's max RSS minus the RSS before the work), in MiB, and
// its ratio to the data size. Run: node bench/io-memory.mjs [--json FILE]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = path.join(root, '.venv', 'bin', 'python');
const GiB = 1 << 30;
const MiB = 1 << 20;

const dir = mkdtempSync(path.join(tmpdir(), 'mlx-io-memory-'));
const file = path.join(dir, 'one-gib.safetensors');

// A node program: prints {"peak": bytes} for the work it does.
function node(body) {
  const src = `
const { mx } = require(${JSON.stringify(path.join(root, 'dist', 'lib', 'index.js'))});
const before = process.memoryUsage.rss();
${body}
const peak = process.resourceUsage().maxRSS * 1024 - before;
console.log(JSON.stringify({ peak }));
`;
  return JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', '-e', src], { encoding: 'utf8' }).trim().split('\n').pop(),
  );
}

function py(body) {
  const src = `
import json, resource, os
import mlx.core as mx
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
before = rss()
${body}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
print(json.dumps({"peak": peak}))
`;
  return JSON.parse(execFileSync(python, ['-c', src], { encoding: 'utf8' }).trim().split('\n').pop());
}

try {
  // 4 tensors of 256 MiB of float32: 1 GiB of data.
  node(`
const arrays = {};
for (let i = 0; i < 4; i++) arrays['t' + i] = mx.multiply(mx.ones([64, 1024, 1024]), i);
mx.saveSafetensors(${JSON.stringify(file)}, arrays);
`);
  const rows = [];
  const add = (what, peak) => rows.push({ what, peakMiB: Math.round(peak / MiB), ratio: +(peak / GiB).toFixed(3) });

  add('load 1 GiB .safetensors, mlx-node', node(`const w = mx.load(${JSON.stringify(file)}); mx.eval(w);`).peak);
  add('load 1 GiB .safetensors, Python mlx', py(`w = mx.load(${JSON.stringify(file)}); mx.eval(w)`).peak);
  add(
    '1 GiB array from a Float32Array, mlx-node (JS data + one copy)',
    node(`const data = new Float32Array(${GiB / 4}); data.fill(1.5); const a = mx.array(data); mx.eval(a);`).peak,
  );
  add(
    '1 GiB array with mx.arrayFrom (written in place), mlx-node',
    node(`const a = mx.arrayFrom([${GiB / 4}], mx.float32, (v) => v.fill(1.5)); mx.eval(a);`).peak,
  );
  add(
    '1 GiB array from numpy, Python mlx (numpy data + one copy)',
    py(`import numpy as np
data = np.full(${GiB / 4}, 1.5, np.float32)
a = mx.array(data)
mx.eval(a)`).peak,
  );

  const width = Math.max(...rows.map((r) => r.what.length));
  console.log(`${'case'.padEnd(width)}  peak RSS growth  / data`);
  for (const r of rows)
    console.log(`${r.what.padEnd(width)}  ${String(r.peakMiB).padStart(9)} MiB  ${r.ratio.toFixed(2)}x`);
  const json = process.argv.indexOf('--json');
  if (json > 0) writeFileSync(process.argv[json + 1], JSON.stringify(rows, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
