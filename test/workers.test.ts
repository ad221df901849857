// The addon loads and works in several worker_threads at once (per-environment state).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

const index = path.resolve(__dirname, '..', 'lib', 'index.js');

function runWorker(seed: number): Promise<unknown> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { mx } = require(${JSON.stringify(index)});
    const a = mx.add(mx.multiply(mx.arange(1000), workerData), 1);
    const s = mx.sum(a).item();
    const ok = mx.array([1]).dtype === mx.float32 && mx.issubdtype(mx.int8, mx.signedinteger);
    mx.evalAsync(a).then(() => parentPort.postMessage({ s, ok, repr: String(mx.array([true])) }));
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: seed });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

test('the addon works in several worker threads at once', async () => {
  const seeds = [1, 2, 3, 4];
  const results = (await Promise.all(seeds.map(runWorker))) as Array<{ s: number; ok: boolean; repr: string }>;
  results.forEach((r, i) => {
    const k = seeds[i];
    assert.equal(r.s, (k * 999 * 1000) / 2 + 1000);
    assert.equal(r.ok, true);
    assert.equal(r.repr, 'array([True], dtype=bool)');
  });
});

test('workers can be started again after others have exited', async () => {
  const r = (await runWorker(5)) as { s: number };
  assert.equal(r.s, (5 * 999 * 1000) / 2 + 1000);
});
