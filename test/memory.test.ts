// Memory and lifetime: GC with external-memory reporting, dispose, tidy,
// the allocator's counters. Case names follow python/tests/test_memory.py.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';
import type { array } from '../lib/index';
import { oracle } from './helpers/oracle';

describe('TestMemory', () => {
  test('test_memory_info', () => {
    const oldLimit = mx.setCacheLimit(0);

    let a = mx.zeros([4096]);
    mx.eval(a);
    a.dispose();
    assert.equal(mx.getCacheMemory(), 0);

    assert.equal(mx.setCacheLimit(oldLimit), 0);
    assert.equal(mx.setCacheLimit(oldLimit), oldLimit);

    const oldMem = mx.setMemoryLimit(10);
    assert.equal(mx.setMemoryLimit(oldMem), 10);
    assert.equal(mx.getMemoryLimit(), oldMem);

    mx.clearCache();
    assert.equal(mx.getCacheMemory(), 0);

    mx.resetPeakMemory();
    const before = mx.getActiveMemory();
    a = mx.zeros([4096]);
    mx.eval(a);
    assert.ok(mx.getActiveMemory() >= before + 4096 * 4);
    assert.ok(mx.getPeakMemory() >= 4096 * 4);
    a.dispose();
    // Without Metal the wired limit is a no-op; both return what Python returns.
    assert.deepEqual([mx.setWiredLimit(0), mx.setWiredLimit(0)], oracle('out = [mx.set_wired_limit(0), mx.set_wired_limit(0)]'));
    mx.resetPeakMemory();
    assert.equal(mx.getPeakMemory(), 0);
  });
});

describe('lifetime', () => {
  test('dispose(tree) frees now; a disposed array is a clear error, never a crash', () => {
    const a = mx.ones([1000]);
    const b = mx.ones([1000]);
    mx.eval(a, b);
    const active = mx.getActiveMemory();
    mx.dispose({ a, list: [b] });
    assert.ok(mx.getActiveMemory() <= active - 8000);
    assert.equal(a.disposed, true);
    assert.throws(() => a.shape, /disposed/);
    assert.throws(() => mx.add(a, 1), /disposed/);
    assert.throws(() => a.item(), /disposed/);
    assert.throws(() => a.tolist(), /disposed/);
    assert.equal(String(a), 'array(<disposed>)');
    a.dispose(); // twice is fine
  });

  test('Symbol.dispose frees at the end of a scope', () => {
    const a = mx.ones([10]);
    {
      const d = a as array & Disposable;
      d[Symbol.dispose]();
    }
    assert.equal(a.disposed, true);
  });

  test('tidy frees intermediates and keeps the result (a tree)', () => {
    const x = mx.ones([4]);
    let inner: array | undefined;
    const out = mx.tidy(() => {
      inner = mx.add(x, 1);
      const y = mx.multiply(inner, 2);
      return { y, n: 3 };
    });
    assert.equal(inner!.disposed, true);
    assert.equal(x.disposed, false, 'arrays made outside the scope are left alone');
    assert.deepEqual(out.y.tolist(), [4, 4, 4, 4]);
  });

  test('nested tidy hands kept arrays to the outer scope', () => {
    let kept: array | undefined;
    const out = mx.tidy(() => {
      kept = mx.tidy(() => mx.add(mx.ones([2]), 1));
      return mx.multiply(kept, 3);
    });
    assert.equal(kept!.disposed, true);
    assert.deepEqual(out.tolist(), [6, 6]);
  });

  test('tidy with async functions: concurrent scopes never sweep each other', async () => {
    const seen: Record<string, array> = {};
    const run = (name: string, delay: number) =>
      mx.tidy(async () => {
        const tmp = mx.ones([3]);
        seen[name] = tmp;
        await new Promise((r) => setTimeout(r, delay));
        const result = mx.add(tmp, name === 'a' ? 1 : 2);
        assert.equal(tmp.disposed, false, `${name}'s temporary must survive the other scope closing`);
        return result;
      });
    const [ra, rb] = await Promise.all([run('a', 30), run('b', 5)]);
    assert.deepEqual(ra.tolist(), [2, 2, 2]);
    assert.deepEqual(rb.tolist(), [3, 3, 3]);
    assert.equal(seen.a.disposed, true);
    assert.equal(seen.b.disposed, true);
  });

  test('tidy frees on throw and rethrows the same error', () => {
    let tmp: array | undefined;
    const err = new Error('boom');
    assert.throws(
      () =>
        mx.tidy(() => {
          tmp = mx.ones([2]);
          throw err;
        }),
      (e) => e === err,
    );
    assert.equal(tmp!.disposed, true);
  });

  test('garbage collection frees arrays: 2,000 iterations of 8 MB temporaries stay under an RSS bound', () => {
    const n = 2 * 1024 * 1024; // 8 MB of float32
    const base = mx.zeros([n]);
    mx.eval(base);
    const rssStart = process.memoryUsage.rss();
    let peak = rssStart;
    for (let i = 0; i < 2000; i++) {
      const t = mx.add(base, i);
      mx.eval(t);
      if (i % 100 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    }
    const grown = (peak - rssStart) / 2 ** 20;
    // Without GC pressure from the reported external memory this would grow by ~16 GB.
    assert.ok(grown < 1024, `RSS grew by ${grown.toFixed(0)} MB`);
  });
});
