// Evaluation: eval/asyncEval over trees, evalAsync off the main thread.
// Case names follow python/tests/test_eval.py where one matches.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';
import { oracle } from './helpers/oracle';

describe('TestEval', () => {
  test('test_eval', () => {
    const arrs = [1, 2, 3].map((i) => mx.multiply(mx.ones([2, 2]), i));
    mx.eval(arrs);
    assert.deepEqual(
      arrs.map((a) => a.tolist()),
      [1, 2, 3].map((i) => [
        [i, i],
        [i, i],
      ]),
    );
  });

  test('test_eval_trees: nested arrays, plain objects and Maps are walked; other leaves ignored', () => {
    const x = mx.add(mx.ones([2]), 1);
    const y = mx.multiply(mx.ones([3]), 4);
    const z = mx.arange(3);
    const tree = { a: [x, { b: y }], m: new Map([['z', z]]), n: 3, s: 'str', nil: null };
    mx.eval(tree);
    // Evaluated arrays report their buffer sizes; unevaluated ones report 0.
    assert.equal(mx.getArrayBufferSize(x, y, z), x.nbytes + y.nbytes + z.nbytes);
    assert.deepEqual(y.tolist(), [4, 4, 4]);
  });

  test('test_async_eval', () => {
    const x = mx.add(mx.add(mx.array(1), mx.array(1)), mx.array(1));
    mx.asyncEval(x);
    assert.equal(x.item(), 3);

    const y = [mx.multiply(mx.arange(4), 2), { k: mx.exp(mx.zeros([2])) }];
    mx.asyncEval(y);
    assert.deepEqual((y[0] as ReturnType<typeof mx.arange>).tolist(), [0, 2, 4, 6]);
  });

  test('eval results match the oracle', () => {
    const expected = oracle<number[][]>('out = (mx.matmul(mx.arange(6, dtype=mx.float32).reshape(2, 3), mx.arange(6, dtype=mx.float32).reshape(3, 2)) + 0.5).tolist()');
    const a = mx.add(mx.matmul(mx.arange(6, { dtype: mx.float32 }).reshape(2, 3), mx.arange(6, { dtype: mx.float32 }).reshape(3, 2)), 0.5);
    mx.eval(a);
    assert.deepEqual(a.tolist(), expected);
  });
});

describe('evalAsync', () => {
  test('a timer keeps firing while a large evaluation runs', async () => {
    const a = mx.ones([1536, 1536]);
    let big = a;
    for (let i = 0; i < 4; i++) big = mx.matmul(big, a);
    const started = Date.now();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await mx.evalAsync(big);
    const elapsed = Date.now() - started;
    clearInterval(timer);
    assert.ok(elapsed > 50, `the evaluation should take a while (took ${elapsed} ms)`);
    // A blocked event loop would give ~0 ticks; allow generous scheduling slack.
    assert.ok(ticks >= Math.floor(elapsed / 5 / 4), `only ${ticks} ticks in ${elapsed} ms`);
    assert.equal(mx.max(big).item(), 1536 ** 4);
  });

  test('many concurrent evalAsync calls all finish correctly', async () => {
    const jobs = Array.from({ length: 64 }, (_, i) => {
      const x = mx.add(mx.multiply(mx.arange(100), i), i);
      return mx.evalAsync({ x }).then(() => x.tolist() as number[]);
    });
    const results = await Promise.all(jobs);
    results.forEach((r, i) => assert.deepEqual(r, Array.from({ length: 100 }, (_, k) => k * i + i)));
  });

  test('a bad argument to the native evalAsync is a TypeError, not a crash; non-array leaves are ignored', async () => {
    assert.throws(() => (mx as any)._evalAsync(['not an array']), TypeError);
    await mx.evalAsync('not an array', 3, null); // leaves that are not arrays, as in Python's eval
  });
});
