// Port of ml-explore/mlx python/tests/test_zero_copy.py (TestZeroCopy) in JS terms.
//
// Python's subject is importing a host buffer without a copy:
// mx.asarray(numpy_array, copy=False) adopts a page-aligned buffer on Metal and
// raises elsewhere. In mlx-node the JS side of memory works the other way round:
//   - into MLX: mx.array(typedArray) / mx.asarray(typedArray) copy the data
//     once into MLX-owned memory (JS memory is never adopted, so copy: false
//     must raise, as Python does wherever it cannot adopt); mx.arrayFrom(shape,
//     dtype, fill) lets JS write MLX-owned memory in place (no staging copy),
//     through a TypedArray view that is detached once fill returns;
//   - out of MLX: a.toTypedArray() is a zero-copy view of the evaluated array's
//     memory that keeps that memory alive (Python: np.array(x, copy=False) /
//     memoryview(x)).
// Copies are checked with the allocator's counters: mx.getActiveMemory()
// deltas, and mx.getPeakMemory() after mx.resetPeakMemory() (the peak is the
// highest active memory at an allocation since the reset, 0 if none).
//
// Case map:
//   test_default_shares_or_copies        mx.asarray(Int32Array) / mx.array(Int32Array): the values at import time
//   test_copy_true_copies                asarray(typedArray, null, {copy: true}); mutating the source afterwards
//   test_copy_false                      asarray(typedArray, null, {copy: false}) raises (the oracle: Python on a
//                                        backend that cannot adopt); mlx-node can never adopt JS memory
//   test_copy_false_dtype_conversion_raises   the same with a dtype conversion
//   test_source_lifetime                 the other direction: a toTypedArray view outlives its array
//   test_adopt_in_loop_not_recycled      a view of a freed array is not recycled into new arrays; arrayFrom in a loop
//   test_bfloat16_buffer_protocol        toTypedArray of bfloat16: Uint16Array (itemsize 2, format 'H') of the bits.
//                                        This case (and the file) is newer than 0.32.4: the oracle's 0.32.4 gives
//                                        memoryview format 'bfloat16' and np.asarray raises; the expectations are
//                                        the test's literals, the bits come from the oracle (x.view(mx.uint16)).
// Not expressible in JS: Python's page-alignment condition (`a.ctypes.data % 16384`) and the adoption of a
// caller-owned buffer itself (mlx-node has no API that adopts JS memory), and memoryview's format string
// (the TypedArray class stands for it).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';
import type { array } from '../lib/index';
import { isPyError, pyEach } from './helpers/mlx_tests';
import type { PyError } from './helpers/mlx_tests';

const gc = (globalThis as { gc?: () => void }).gc;
/** Collect garbage and let N-API finalizers run (they run on a later event-loop turn). */
async function settle(): Promise<void> {
  assert.ok(gc, 'run with node --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

const N = 1_000_000;
const arange32 = () => Int32Array.from({ length: N }, (_, i) => i);
const bytesOf = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

// Python's answers (one oracle process).
const [COPY_FALSE, COPY_FALSE_CONVERT, BF16_BITS] = pyEach([
  'mx.asarray(np.arange(1_000_000, dtype=np.int32), copy=False)',
  'mx.asarray(np.arange(16, dtype=np.float64), dtype=mx.float32, copy=False)',
  'np.array(mx.ones((5,), dtype=mx.bfloat16).view(mx.uint16)).tolist()',
]) as [array | PyError, array | PyError, number[]];

const JS_ERROR: Record<string, Function> = {
  ValueError: Error,
  RuntimeError: Error,
  TypeError: TypeError,
  IndexError: RangeError,
};
function throwsLikePython(what: string, fn: () => unknown, expected: unknown): void {
  assert.ok(isPyError(expected), `${what}: Python did not raise on this machine`);
  const cls = JS_ERROR[expected.$error] ?? Error;
  assert.throws(
    fn,
    (e: unknown) => {
      assert.equal(
        (e as Error).constructor,
        cls,
        `${what}: Python raised ${expected.$error} (${expected.message}), mlx-node threw ${(e as Error)?.constructor?.name}`,
      );
      return true;
    },
    `${what}: Python raised ${expected.$error}: ${expected.message}`,
  );
}

describe('TestZeroCopy', () => {
  test('test_default_shares_or_copies', () => {
    // mx.asarray / mx.array copy (mlx-node never shares JS memory); the values match the source at import time.
    const a = arange32();
    const x = mx.asarray(a);
    mx.eval(x);
    assert.equal(String(x.dtype), String(mx.int32));
    assert.deepEqual(x.shape, [N]);
    assert.ok(bytesOf(x.toTypedArray()).equals(bytesOf(a)));
    const y = mx.array(a);
    mx.eval(y);
    assert.ok(bytesOf(y.toTypedArray()).equals(bytesOf(a)));
  });

  test('test_copy_true_copies', () => {
    const a = arange32();
    const x = mx.asarray(a, null, { copy: true });
    a[0] = 12345;
    mx.eval(x);
    assert.notEqual(x.index(0).item(), 12345);
    // mx.array(typedArray) is a copy as well, even before evaluation.
    const b = arange32();
    const y = mx.array(b);
    b[0] = 12345;
    assert.equal(y.index(0).item(), 0);
  });

  test('test_copy_false', () => {
    // Python on a backend that cannot adopt the buffer: copy=False raises. mlx-node never adopts JS memory.
    throwsLikePython(
      'mx.asarray(Int32Array, null, {copy: false})',
      () => mx.asarray(arange32(), null, { copy: false }),
      COPY_FALSE,
    );
  });

  test('test_copy_false_dtype_conversion_raises', () => {
    const a = Float64Array.from({ length: 16 }, (_, i) => i);
    throwsLikePython(
      'mx.asarray(Float64Array, mx.float32, {copy: false})',
      () => mx.asarray(a, mx.float32, { copy: false }),
      COPY_FALSE_CONVERT,
    );
  });

  test('test_source_lifetime: a toTypedArray view keeps the memory of its array alive', async () => {
    await settle();
    const active0 = mx.getActiveMemory();
    const make = () => {
      const x = mx.add(mx.arange(N, { dtype: mx.float32 }), 0.5);
      const v = x.toTypedArray() as Float32Array;
      x.dispose(); // the array is gone; the view still holds its buffer
      return v;
    };
    let v: Float32Array | null = make();
    await settle();
    assert.equal(mx.getActiveMemory() - active0, N * 4, 'the view holds exactly the array buffer');
    mx.eval(mx.add(mx.ones([16]), 1));
    assert.equal(v[10], 10.5);
    assert.equal(v[N - 1], N - 1 + 0.5);
    v = null;
    await settle();
    assert.equal(mx.getActiveMemory() - active0, 0, 'freed once the view is collected');
  });

  test('test_adopt_in_loop_not_recycled', () => {
    // A view of a freed array must not be handed to new arrays by the allocator's reuse pool.
    const held = mx.add(mx.zeros([256, 64]), 7);
    const view = held.toTypedArray() as Float32Array;
    held.dispose();
    const w = mx.random.normal([64, 64], { key: mx.random.key(0) });
    for (let i = 0; i < 200; i++) {
      const values = Float32Array.from({ length: 256 * 64 }, () => Math.random());
      const x = mx.arrayFrom([256, 64], mx.float32, (buf) => (buf as Float32Array).set(values));
      const r = mx.sum(mx.matmul(x, w));
      mx.eval(r);
      assert.ok(Number.isFinite(r.item() as number));
      assert.ok(bytesOf(x.toTypedArray()).equals(bytesOf(values)), `iteration ${i}: arrayFrom content`);
      x.dispose();
    }
    assert.ok(
      view.every((e) => e === 7),
      'the held view was overwritten by a recycled buffer',
    );
  });

  test('test_bfloat16_buffer_protocol', () => {
    const x = mx.ones([5], mx.bfloat16);
    mx.eval(x);
    const mv = x.toTypedArray();
    // The Python test's literals: memoryview itemsize 2, format 'H' (unsigned short) -> Uint16Array.
    assert.ok(mv instanceof Uint16Array);
    assert.equal(mv.BYTES_PER_ELEMENT, 2);
    assert.equal(mv.length, 5); // np.asarray(x).shape == (5,)
    assert.deepEqual(Array.from(mv), BF16_BITS);
  });
});

describe('zero-copy in JS terms', () => {
  test('toTypedArray of an evaluated contiguous array allocates nothing; writes are visible to the array', async () => {
    const x = mx.arange(N, { dtype: mx.int32 });
    mx.eval(x);
    await settle();
    const active0 = mx.getActiveMemory();
    mx.resetPeakMemory();
    const v1 = x.toTypedArray() as Int32Array;
    const v2 = x.toTypedArray() as Int32Array;
    assert.equal(mx.getActiveMemory(), active0, 'no new MLX memory');
    assert.ok(mx.getPeakMemory() <= active0, 'no MLX allocation since the reset');
    assert.ok(v1 instanceof Int32Array);
    assert.equal(v1.byteLength, x.nbytes);
    // Two views, one memory: a write through one is seen by the other and by the array.
    v2[3] = -42;
    assert.equal(v1[3], -42);
    assert.equal(x.index(3).item(), -42);
    assert.equal(x.index(4).item(), 4);
  });

  test('toTypedArray of a non-contiguous array copies once (to a contiguous array)', async () => {
    const rows = 500;
    const cols = 1000;
    const base = mx.reshape(mx.arange(rows * cols, { dtype: mx.int32 }), [rows, cols]);
    mx.eval(base);
    const t = mx.transpose(base);
    mx.eval(t);
    await settle();
    const active0 = mx.getActiveMemory();
    const v = t.toTypedArray() as Int32Array;
    assert.equal(mx.getActiveMemory() - active0, rows * cols * 4, 'one contiguous copy');
    assert.equal(v.length, rows * cols);
    // t[i, j] = base[j, i] = j * cols + i, row-major over t's shape [cols, rows].
    for (const [i, j] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [999, 499],
      [123, 456],
    ])
      assert.equal(v[i * rows + j], j * cols + i);
  });

  test('mx.array(typedArray) copies once into MLX memory', async () => {
    const src = Float32Array.from({ length: N }, (_, i) => i * 0.25);
    await settle();
    const active0 = mx.getActiveMemory();
    mx.resetPeakMemory();
    const x = mx.array(src);
    mx.eval(x);
    assert.equal(mx.getActiveMemory() - active0, N * 4, 'active grows by the array');
    assert.equal(mx.getPeakMemory() - active0, N * 4, 'one MLX allocation: no second copy');
    assert.ok(bytesOf(x.toTypedArray()).equals(bytesOf(src)));
  });

  test('mx.arrayFrom writes MLX memory in place: no second copy; the view is detached after fill', async () => {
    await settle();
    const active0 = mx.getActiveMemory();
    mx.resetPeakMemory();
    let kept: Float32Array | undefined;
    let activeInFill = -1;
    const x = mx.arrayFrom([N], mx.float32, (view) => {
      kept = view as Float32Array;
      assert.ok(view instanceof Float32Array);
      assert.equal(view.length, N);
      for (let i = 0; i < N; i++) view[i] = i * 0.5;
      activeInFill = mx.getActiveMemory() - active0;
    });
    assert.equal(activeInFill, N * 4, 'the view is the array memory itself, allocated before fill');
    assert.equal(mx.getActiveMemory() - active0, N * 4);
    mx.eval(x);
    assert.equal(mx.getActiveMemory() - active0, N * 4, 'evaluating copies nothing');
    assert.equal(mx.getPeakMemory() - active0, N * 4, 'one MLX allocation in all');
    // Detached: the kept view has no memory any more, so writes cannot reach the array.
    assert.equal(kept!.length, 0);
    assert.equal(kept!.byteLength, 0);
    assert.equal(kept!.buffer.byteLength, 0);
    kept![5] = 99;
    assert.equal(x.index(5).item(), 2.5);
    assert.equal(x.index(N - 1).item(), (N - 1) * 0.5);
    assert.deepEqual(x.shape, [N]);
    assert.equal(String(x.dtype), String(mx.float32));
  });

  test('arrayFrom gives the TypedArray toTypedArray gives, for every dtype', () => {
    const expected: Array<[string, string, number]> = [
      ['bool_', 'Uint8Array', 3],
      ['uint8', 'Uint8Array', 3],
      ['uint16', 'Uint16Array', 3],
      ['uint32', 'Uint32Array', 3],
      ['uint64', 'BigUint64Array', 3],
      ['int8', 'Int8Array', 3],
      ['int16', 'Int16Array', 3],
      ['int32', 'Int32Array', 3],
      ['int64', 'BigInt64Array', 3],
      ['float16', 'Uint16Array', 3],
      ['bfloat16', 'Uint16Array', 3],
      ['float32', 'Float32Array', 3],
      ['float64', 'Float64Array', 3],
      ['complex64', 'Float32Array', 6],
    ];
    for (const [name, cls, len] of expected) {
      const dtype = (mx as unknown as Record<string, typeof mx.float32>)[name];
      let seen = '';
      let n = -1;
      const x = mx.arrayFrom([3], dtype, (view) => {
        seen = view.constructor.name;
        n = view.length;
      });
      assert.equal(seen, cls, `${name}: fill view`);
      assert.equal(n, len, `${name}: fill view length`);
      assert.equal(x.toTypedArray().constructor.name, cls, `${name}: toTypedArray`);
      assert.equal(String(x.dtype), String(dtype));
    }
  });

  test('arrayFrom values are the bytes written (bit patterns, bigints, complex, 0-d, empty)', () => {
    const h = mx.arrayFrom([3], mx.float16, (v) => (v as Uint16Array).set([0x3c00, 0xc000, 0x7c00])); // 1, -2, inf
    assert.deepEqual(h.tolist(), [1, -2, Infinity]);
    const bf = mx.arrayFrom([2], mx.bfloat16, (v) => (v as Uint16Array).set([0x3f80, 0x4040])); // 1, 3
    assert.deepEqual(bf.tolist(), [1, 3]);
    const i = mx.arrayFrom([2], mx.int64, (v) => (v as BigInt64Array).set([2n ** 62n + 1n, -5n]));
    assert.deepEqual(i.tolist(), [2n ** 62n + 1n, -5]);
    const c = mx.arrayFrom([2], mx.complex64, (v) => (v as Float32Array).set([1, 2, -3, 0.5]));
    assert.deepEqual(c.tolist(), [
      { re: 1, im: 2 },
      { re: -3, im: 0.5 },
    ]);
    const b = mx.arrayFrom([3], mx.bool_, (v) => (v as Uint8Array).set([1, 0, 1]));
    assert.deepEqual(b.tolist(), [true, false, true]);
    const s = mx.arrayFrom([], mx.int32, (v) => {
      assert.equal(v.length, 1);
      v[0] = 7;
    });
    assert.deepEqual(s.shape, []);
    assert.equal(s.item(), 7);
    const e = mx.arrayFrom([0, 4], mx.float32, (v) => assert.equal(v.length, 0));
    assert.deepEqual(e.shape, [0, 4]);
    const m = mx.arrayFrom([2, 3], mx.int32, (v) => (v as Int32Array).set([1, 2, 3, 4, 5, 6]));
    assert.deepEqual(m.tolist(), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  test('arrayFrom: an exception in fill is rethrown as is and the memory is released', async () => {
    await settle();
    const active0 = mx.getActiveMemory();
    const err = new RangeError('boom');
    let kept: ArrayBufferView | undefined;
    assert.throws(
      () =>
        mx.arrayFrom([N], mx.float32, (view) => {
          kept = view;
          throw err;
        }),
      (e) => e === err,
    );
    assert.equal(kept!.byteLength, 0, 'detached after a throwing fill too');
    await settle();
    assert.ok(mx.getActiveMemory() - active0 <= 0, `${mx.getActiveMemory() - active0} bytes still active`);
  });

  test('arrayFrom: bad arguments are TypeError/RangeError', () => {
    assert.throws(() => mx.arrayFrom([2], mx.float32, 5 as never), TypeError);
    assert.throws(() => mx.arrayFrom([-1], mx.float32, () => {}), RangeError);
    assert.throws(() => mx.arrayFrom([2], 'float32' as never, () => {}), TypeError);
  });
});
