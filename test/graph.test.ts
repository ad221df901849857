// Port of ml-explore/mlx python/tests/test_graph.py (TestGraph), the stored version
// (ml-explore/mlx commit 247fd9331d89812f72e4b57b11a0fdf766685b19). Python writes
// to an io.StringIO; here a byte sink collects the text (and one case writes a file).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { mx } from '../lib/index';
import { py } from './helpers/mlx_tests';

function dotOf(...arrays: unknown[]): string {
  const chunks: Uint8Array[] = [];
  mx.exportToDot({ write: (b) => chunks.push(b) }, ...arrays);
  return Buffer.concat(chunks).toString('utf8');
}

describe('TestGraph', () => {
  test('test_to_dot', () => {
    // Simply test that a few cases run.
    const a = mx.array(1.0);
    assert.ok(dotOf(a).length > 0);

    const b = mx.array(2.0);
    const c = mx.add(a, b);
    assert.ok(dotOf(c).length > 0);

    // Multi-output case
    const [d, e] = mx.divmod(mx.abs(a), b);
    assert.ok(dotOf(d, e).length > 0);
  });

  test('the dot text equals Python mlx for the same graphs', () => {
    const x = mx.array([1, 2], mx.float32);
    const y = mx.array([3, 4], mx.float32);
    const ours = [dotOf(mx.add(x, y)), dotOf(mx.divmod(mx.abs(x), y)), dotOf({ s: mx.sum(mx.multiply(x, y)) })];
    const theirs = py<string[]>(`
import io
def dot(*arrays):
    f = io.StringIO()
    mx.export_to_dot(f, *arrays)
    return f.getvalue()
x = mx.array([1, 2], mx.float32)
y = mx.array([3, 4], mx.float32)
out = [dot(x + y), dot(*mx.divmod(mx.abs(x), y)), dot({"s": mx.sum(x * y)})]
`);
    // Primitive nodes are named by their addresses: compare with those masked.
    const mask = (t: string) => t.replace(/\b\d{6,}\b/g, 'N');
    assert.deepEqual(ours.map(mask), theirs.map(mask));
  });

  test('exportToDot writes a file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlx-graph-'));
    try {
      const file = path.join(dir, 'g.dot');
      mx.exportToDot(file, mx.add(mx.array(1), mx.array(2)));
      assert.match(readFileSync(file, 'utf8'), /^digraph \{/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
