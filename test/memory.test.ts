// Memory and lifetime: GC with external-memory reporting, dispose, tidy,
// the allocator's counters. describe('TestMemory') is the port of
// python/tests/test_memory.py (same case names).
// Python's `del a` frees at once (reference counting); here `a.dispose()` does.
// Python's get_array_buffer_size(*args) takes trees (dicts, tuples, None): a
// trailing plain object here is the tree {a: ..., nested: [...]}.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';
import type { Slice, array } from '../lib/index';
import { native } from '../lib/native';
import { gc } from './helpers/mlx_tests';
import { oracle } from './helpers/oracle';

describe('TestMemory', () => {
  test('test_array_buffer_size', () => {
    // Python: get_array_buffer_size(*args) over trees; the typings say (...args: array[]).
    const getArrayBufferSize = mx.getArrayBufferSize as unknown as (...trees: unknown[]) => number;
    const a = mx.array([1.0, 2.0, 3.0, 4.0]);
    const view = a.index(':1');
    const lazy = mx.add(a, 1);

    // Python: ValueError (an unevaluated array has no buffer yet).
    assert.throws(
      () => getArrayBufferSize({ lazy }),
      (e: unknown) => (e as Error).constructor === Error,
      'getArrayBufferSize({lazy}) must throw a plain Error (Python: ValueError)',
    );

    mx.eval(view);
    const aSize = getArrayBufferSize(a);
    assert.ok(aSize >= a.nbytes);
    assert.ok(view.nbytes < a.nbytes);
    assert.equal(getArrayBufferSize(), 0);
    assert.equal(getArrayBufferSize(view), aSize);
    assert.equal(getArrayBufferSize({ a: a, nested: [a, null] }), aSize);
    assert.equal(getArrayBufferSize(mx.array([])), 0);

    const b = mx.array([5.0, 6.0]);
    assert.equal(getArrayBufferSize(a, b), aSize + getArrayBufferSize(b));
  });

  test('test_memory_info', () => {
    const oldLimit = mx.setCacheLimit(0);

    let a = mx.zeros([4096]);
    mx.eval(a);
    a.dispose();
    assert.equal(mx.getCacheMemory(), 0);
    assert.equal(mx.setCacheLimit(oldLimit), 0);
    assert.equal(mx.setCacheLimit(oldLimit), oldLimit);

    const oldMem = mx.setMemoryLimit(10);
    assert.equal(mx.getMemoryLimit(), 10);
    assert.equal(mx.setMemoryLimit(oldMem), 10);
    assert.equal(mx.setMemoryLimit(oldMem), oldMem);
    assert.equal(mx.getMemoryLimit(), oldMem);

    // Query active and peak memory
    a = mx.zeros([4096]);
    mx.eval(a);
    mx.synchronize();
    const activeMem = mx.getActiveMemory();
    assert.ok(activeMem >= 4096 * 4);

    const b = mx.zeros([4096]);
    mx.eval(b);
    b.dispose();
    mx.synchronize();

    const newActiveMem = mx.getActiveMemory();
    assert.equal(newActiveMem, activeMem);
    const peakMem = mx.getPeakMemory();
    assert.ok(peakMem >= 4096 * 8);

    if (mx.metal.isAvailable()) {
      const cacheMem = mx.getCacheMemory();
      assert.ok(cacheMem >= 4096 * 4);
    }

    mx.clearCache();
    assert.equal(mx.getCacheMemory(), 0);

    mx.resetPeakMemory();
    assert.equal(mx.getPeakMemory(), 0);
    a.dispose();

    // JS additions: active/peak after a reset, and the wired limit against the oracle.
    mx.resetPeakMemory();
    const before = mx.getActiveMemory();
    a = mx.zeros([4096]);
    mx.eval(a);
    assert.ok(mx.getActiveMemory() >= before + 4096 * 4);
    assert.ok(mx.getPeakMemory() >= 4096 * 4);
    a.dispose();
    // Without Metal the wired limit is a no-op; both return what Python returns.
    assert.deepEqual(
      [mx.setWiredLimit(0), mx.setWiredLimit(0)],
      oracle('out = [mx.set_wired_limit(0), mx.set_wired_limit(0)]'),
    );
    mx.resetPeakMemory();
    assert.equal(mx.getPeakMemory(), 0);
  });

  test('test_wired_memory', { skip: !mx.metal.isAvailable() && 'Metal is not available' }, () => {
    let oldLimit = mx.setWiredLimit(1000);
    oldLimit = mx.setWiredLimit(0);
    assert.equal(oldLimit, 1000);

    const maxSize = mx.deviceInfo(mx.gpu).max_recommended_working_set_size as number;
    assert.throws(
      () => mx.setWiredLimit(maxSize + 10),
      (e: unknown) => (e as Error).constructor === Error,
      'Python: ValueError',
    );
  });

  test('test_active_memory_count', () => {
    mx.synchronize();
    mx.clearCache();
    const initMem = mx.getActiveMemory();
    let a = mx.zeros([128, 128]);
    mx.eval(a);
    mx.synchronize();
    a.dispose();
    a = mx.zeros([90, 128]);
    mx.eval(a);
    mx.synchronize();
    a.dispose();
    assert.equal(initMem, mx.getActiveMemory());
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

  test('an index whose accessor disposes the array mid-call is an Error, never a crash', () => {
    // Reading a list index or an mx.Slice runs JS (accessors), which may dispose the array being indexed.
    const disposingList = (a: array) => {
      const idx = [0, 1];
      Object.defineProperty(idx, 0, {
        get() {
          a.dispose();
          return 0;
        },
      });
      return idx;
    };
    const disposingSlice = (a: array) =>
      ({
        __mlxSlice__: true,
        get start() {
          a.dispose();
          return 0;
        },
        stop: null,
        step: null,
      }) as unknown as Slice;
    for (const make of [disposingList, disposingSlice]) {
      const a = mx.arange(5);
      assert.throws(() => a.index(make(a)), /disposed/);
      const b = mx.arange(5);
      assert.throws(() => b.set(make(b), 7), /disposed/);
      const c = mx.arange(5);
      assert.throws(() => c.at(make(c)).add(1), /disposed/);
    }
    const m = mx.arange(3);
    const mask = [true, false, true];
    Object.defineProperty(mask, 2, {
      get() {
        m.dispose();
        return true;
      },
    });
    assert.throws(() => m.set(mask, 0), /disposed/);
    // The same accessors without disposal index normally.
    const d = mx.arange(5);
    const idx = [3, 1];
    Object.defineProperty(idx, 0, { get: () => 3 });
    assert.deepEqual(d.index(idx).tolist(), [3, 1]);
  });

  test('graphs holding JS callbacks (customFunction, checkpoint) freed by the GC in a loop: no crash, bounded', () => {
    // Their outputs' graphs hold references to JS functions; the GC frees those graphs inside a collection,
    // where the references cannot be released: they are queued and released on the next transform call.
    const f = mx.customFunction((x: array) => mx.sin(x));
    f.vjp((_primals: array, cotangent: array) => mx.multiply(cotangent, 2));
    const c = mx.checkpoint((x: array) => mx.cos(x));
    const rssStart = process.memoryUsage.rss();
    let peak = rssStart;
    for (let i = 0; i < 60_000; i++) {
      f(mx.ones([4]));
      c(mx.ones([4]));
      if (i % 8192 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    }
    const grown = (peak - rssStart) / 2 ** 20;
    assert.ok(grown < 300, `RSS grew by ${grown.toFixed(0)} MB`);
    // Still usable afterwards: the gradient goes through the custom vjp.
    assert.deepEqual(
      mx
        .grad((x: array) => mx.sum(f(x)))(mx.ones([2]))
        .tolist(),
      [2, 2],
    );
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

  test('views are not reported to V8 as new memory; ops that allocate are', () => {
    // V8's count of external memory (not process.memoryUsage().external,
    // which on Node 20 leaves it out): the addon raises it by what each new
    // array will hold, which makes V8 collect when native memory grows.
    // Arrays the GC frees lower that count (at the next array made), so the
    // garbage of earlier tests is collected and accounted for first: a
    // collection during a measurement then finds next to nothing to free.
    gc();
    const a = mx.zeros([1024, 1024]); // 4 MiB
    mx.eval(a);
    const external = () => native._v8ExternalMemory();
    const keep: array[] = [];
    const grownBy = (make: () => array) => {
      const before = external();
      for (let i = 0; i < 8; i++) keep.push(make());
      return (external() - before) / 2 ** 20;
    };
    const views: Record<string, () => array> = {
      slice: () => a.index('1:'),
      reshape: () => mx.reshape(a, [-1]),
      broadcastTo: () => mx.broadcastTo(a, [1, 1024, 1024]),
      transpose: () => mx.transpose(a),
      squeeze: () => mx.squeeze(mx.reshape(a, [1, 1024, 1024])),
      expandDims: () => mx.expandDims(a, 0),
      asStrided: () => mx.asStrided(a, [1024, 1024], [1024, 1]),
      flatten: () => mx.flatten(a),
      unflatten: () => mx.unflatten(a, 0, [32, 32]),
      view: () => a.view(mx.int32),
      stopGradient: () => mx.stopGradient(a),
    };
    for (const [name, make] of Object.entries(views)) {
      const grown = grownBy(make);
      assert.ok(grown < 1, `${name}: V8 was told of ${grown.toFixed(1)} MiB for 8 views`);
    }
    const grown = grownBy(() => mx.add(a, 1));
    assert.ok(grown >= 31, `add: V8 was told of ${grown.toFixed(1)} MiB for 8 new 4 MiB arrays`);
    mx.dispose(keep);
  });

  test('a synchronous loop of 1M small ops stays bounded (arrays are freed inside the minor GCs)', () => {
    const x = mx.ones([16]);
    const rssStart = process.memoryUsage.rss();
    let peak = rssStart;
    for (let i = 0; i < 1_000_000; i++) {
      mx.add(x, x);
      if (i % 65536 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    }
    const grown = (peak - rssStart) / 2 ** 20;
    // Each unevaluated add holds a graph node (~0.5 KiB): ~0.5 GB if nothing were freed until the loop ends.
    assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MB`);
  });
});
