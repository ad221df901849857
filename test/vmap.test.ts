// Port of ml-explore/mlx python/tests/test_vmap.py (TestVmap), the stored version at
// commit 08dfb6e126e40812727436b176aea40ee86bc077 (the newest one in the index).
//
// Expectations: the Python test's literals stay literal; everything the Python test
// computes with mlx (op(x), my_fun(tree), mx.stack([...]) over slices, the expected
// arrays it builds with item assignment) comes from ONE oracle run at load time
// (ORACLE below, Python mlx 0.32.4), which also draws the random inputs with
// mx.random, so mlx-node transforms exactly the arrays Python transformed. Where
// the Python test compares with mx.array_equal/mx.allclose, so does the port
// (assertArrayEqual/assertAllclose); where the expectation comes from the oracle
// the dtype is checked too. assertRaises(ValueError) is assert.throws(..., Error),
// except where Python 0.32.4 raises IndexError (RangeError; see test_basics).
//
// JS forms:
// - in_axes/out_axes are vmap's 2nd and 3rd positional arguments; Python's tuple of
//   per-argument axes is a JS array: in_axes=(0, None) -> [0, null], in_axes=(1,) -> [1].
//   A bare object for a single tree argument is kept as in Python: in_axes={"a": 0, "b": 0}
//   -> {a: 0, b: 0}; out_axes=(1,) for a single output -> [1].
// - x[y] -> x.index(y); a[idx] = v -> a.set(idx, v); a.at[idx].add(v) -> a.at(idx).add(v).
// - test_vmap_types: the tuple is a JS array, the NamedTuple State a plain object
//   {a, b} and the tuple subclass Vector a subclass of Array; the checks are that the
//   result has the same kind (Array / plain object / Vector).
// - test_leaks: the reference cycle is a closure holding the object that holds the
//   vmapped closure; collected with global.gc() (run with --expose-gc). Python checks
//   memory only with Metal; mlx-node counts CPU memory too, so the check always runs.
// - test_vmap_inverse: mx.random.seed(42) is run in the oracle, which draws the inputs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';
import type { array } from '../lib/index';
import {
  assertAllclose,
  assertArrayEqual,
  assertLikeOracle,
  collectGarbage,
  oracleSections,
} from './helpers/transforms_oracle';

const I32 = mx.int32;
const anyMx = mx as unknown as Record<string, (...args: any[]) => array>;
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const UNARY = [
  'abs',
  'cos',
  'erf',
  'erfinv',
  'exp',
  'log',
  'log1p',
  'log2',
  'log10',
  'logical_not',
  'negative',
  'reciprocal',
  'rsqrt',
  'sigmoid',
  'sign',
  'sin',
  'sqrt',
  'square',
  'degrees',
  'radians',
];
const BINARY = [
  'add',
  'divide',
  'equal',
  'greater',
  'greater_equal',
  'less',
  'less_equal',
  'logaddexp',
  'maximum',
  'minimum',
  'multiply',
  'power',
  'subtract',
  'logical_or',
  'logical_and',
];

const O = oracleSections({
  test_unary: `
ops = ${JSON.stringify(UNARY)}
x5 = mx.arange(5)
x8 = mx.arange(8).reshape(2, 4)
res = {"x5": x5, "x8": x8, "exp": {op: [getattr(mx, op)(x5), getattr(mx, op)(x8)] for op in ops}}
`,
  test_binary: `
mx.random.seed(1)
res = {}
for opname in ${JSON.stringify(BINARY)}:
    op = getattr(mx, opname)
    x5 = mx.random.uniform(shape=(5,))
    y5 = mx.random.uniform(shape=(5,))
    x = mx.random.uniform(shape=(2, 4))
    y = mx.random.uniform(shape=(2, 4))
    y42 = mx.random.uniform(shape=(4, 2))
    res[opname] = {"x5": x5, "y5": y5, "x": x, "y": y, "y42": y42,
                   "e5": op(x5, y5), "e": op(x, y), "eT": op(x, y42.T), "eTT": op(x, y42.T).T}
`,
  test_tree: `
mx.random.seed(2)
def my_fun(tree):
    return (tree["a"] + tree["b"][0]) * tree["b"][1]
tree = {"a": mx.random.uniform(shape=(2, 4)),
        "b": (mx.random.uniform(shape=(2, 4)), mx.random.uniform(shape=(2, 4)))}
tree2 = {"a": mx.random.uniform(shape=(2, 4)),
         "b": (mx.random.uniform(shape=(4, 2)), mx.random.uniform(shape=(4, 2)))}
def my_fun2(x, y):
    return {"a": x + y, "b": x * y}
x = mx.random.uniform(shape=(2, 4))
y = mx.random.uniform(shape=(2, 4))
res = {"tree": tree, "e1": my_fun(tree), "tree2": tree2,
       "e2": (tree2["a"] + tree2["b"][0].T) * tree2["b"][1].T,
       "x": x, "y": y, "e3": my_fun2(x, y)}
`,
  test_vmap_mean: `
res = {"e1": mx.mean(mx.arange(8).reshape(2, 4), axis=1),
       "e2": mx.mean(mx.arange(16).reshape(2, 2, 4), axis=2)}
`,
  test_vmap_matmul: `
mx.random.seed(3)
a = mx.random.uniform(shape=(2, 3, 4))
b = mx.random.uniform(shape=(4, 3))
c = mx.random.uniform(shape=(3,))
b2 = mx.random.uniform(shape=(4, 2))
c2 = mx.random.uniform(shape=(2,))
a3 = mx.random.uniform(shape=(2, 3, 4))
b3 = mx.random.uniform(shape=(4, 2, 3))
c3 = mx.random.uniform(shape=(3, 3, 2))
res = {"a": a, "b": b, "c": c, "b2": b2, "c2": c2, "a3": a3, "b3": b3, "c3": c3,
       "e1": a @ b, "e2": mx.addmm(c, a, b),
       "e3": mx.moveaxis(mx.moveaxis(a, 1, 0) @ b2, 0, 1),
       "e4": mx.addmm(c2, mx.moveaxis(a, 1, 0), b2),
       "e5": a3 @ mx.moveaxis(b3, 1, 0),
       "e6": mx.addmm(mx.moveaxis(c3, 2, 0), a3, mx.moveaxis(b3, 1, 0))}
`,
  test_vmap_svd: `
mx.random.seed(4)
res = {"a": mx.random.uniform(shape=(3, 4, 2))}
`,
  test_vmap_inverse: `
mx.random.seed(42)
a = mx.random.uniform(shape=(3, 4, 4))
a2 = mx.random.uniform(shape=(4, 3, 4))
res = {"a": a, "a2": a2}
`,
  test_vmap_scatter: `
def scatter(a):
    a[mx.array([0, 1]), mx.array([0, 1])] = mx.array((1.0, 1.0))
    return a
m0 = mx.repeat(scatter(mx.zeros((3, 3)))[None], 3, axis=0)
m1 = mx.zeros((3, 3, 3))
m1[0, :, 0] = 1
m1[1, :, 1] = 1
m2 = mx.zeros((3, 3, 3))
m2[0, 0, :] = 1
m2[1, 1, :] = 1
oi = mx.zeros((3, 3, 4))
oi[0, 0] = 1
oi[1, 1] = 1
oi[2, 2] = 1
ou = mx.zeros((3, 3, 4))
ou[:, 0] = mx.array([1, 2, 3])[:, None]
res = {"m0": m0, "m1": m1, "m2": m2, "eye": mx.eye(n=3, m=4), "oi": oi,
       "diag": mx.diag(mx.array([1, 2, 3]), k=-1)[1:], "ou": ou}
`,
  test_vmap_concatenate: `
mx.random.seed(5)
x = mx.random.uniform(shape=(2, 2, 2))
res = {"x": x,
       "t1": mx.stack([mx.concatenate([x[i], x[:, :, i]], axis=1) for i in range(2)]),
       "t2": mx.concatenate([x, mx.ones((2, 2, 1))], axis=2)}
`,
  test_vmap_conv: `
mx.random.seed(6)
x1 = mx.random.uniform(shape=(2, 2, 5, 4))
w1 = mx.random.uniform(shape=(8, 3, 4))
x2 = mx.random.uniform(shape=(2, 5, 4))
w2 = mx.random.uniform(shape=(3, 8, 3, 4))
x3 = mx.random.uniform(shape=(3, 2, 5, 4))
w3 = mx.random.uniform(shape=(3, 8, 3, 4))
x4 = mx.random.uniform(shape=(2, 3, 5, 4))
w4 = mx.random.uniform(shape=(8, 3, 4, 3))
x5 = mx.random.uniform(shape=(3, 2, 5, 8))
w5 = mx.random.uniform(shape=(3, 2, 3, 4))
res = {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "x3": x3, "w3": w3, "x4": x4, "w4": w4, "x5": x5, "w5": w5,
       "e1": mx.stack([mx.conv1d(xi, w1) for xi in x1]),
       "e2": mx.stack([mx.conv1d(x2, wi) for wi in w2]),
       "e3": mx.stack([mx.conv1d(xi, wi) for xi, wi in zip(x3, w3)]),
       "e4": mx.stack([mx.conv1d(x4[:, i], w4[..., i]) for i in range(3)]),
       "e5": mx.stack([mx.conv1d(xi, wi, groups=2) for xi, wi in zip(x5, w5)])}
`,
  test_vmap_pad: `
def pad2d(x, value=0.0):
    return mx.pad(x, ((1, 2), (0, 1)), constant_values=value)
x = mx.arange(24, dtype=mx.float32).reshape(2, 3, 4)
res = {"e1": mx.stack([pad2d(xi) for xi in x]),
       "e2": mx.stack([pad2d(x[:, i, :]) for i in range(x.shape[1])]),
       "e3": mx.stack([pad2d(x[:, :, i]) for i in range(x.shape[2])], axis=2),
       "e4": mx.pad(x, ((0, 0), (0, 0), (1, 1))),
       "e5": mx.stack([mx.pad(xi, ((1, 1), (1, 1)), constant_values=mx.array(5.0)) for xi in x])}
`,
  test_vmap_masked_scatter: `
mx.random.seed(7)
def scatter_fn(x, m, src):
    x[m] = src
    return x
a = mx.zeros((8, 8, 8))
mask = mx.random.normal((8, 8, 8)) > 0
src = mx.random.normal((8, 8))
expected = mx.stack([mx.stack([scatter_fn(a[i, j] + 0, mask[i, j], src[i]) for j in range(8)])
                     for i in range(8)])
res = {"mask": mask, "src": src, "expected": expected}
`,
  test_broadcast_axes_vmap: `
mx.random.seed(8)
def fn(x, y):
    return mx.matmul(x, y)
x = mx.random.normal((2, 3, 1, 4, 5))
y = mx.random.normal((1, 2, 5, 6))
z = mx.random.normal((3, 2, 1, 4, 5))
w = mx.random.normal((2, 3, 5, 6))
x2 = mx.random.normal((2, 3, 1, 4, 5))
y2 = mx.random.normal((1, 2, 5, 6))
z2 = mx.random.normal((2, 3, 1, 7, 2))
w2 = mx.random.normal((1, 2, 2, 3))
res = {"x": x, "y": y, "z": z, "w": w, "x2": x2, "y2": y2, "z2": z2, "w2": w2,
       "e1": mx.vmap(fn, in_axes=(0, 1))(x, y), "e2": mx.vmap(fn, in_axes=(0, 1))(z, w),
       "e3": mx.vmap(fn, in_axes=(0, None))(x2, y2), "e4": mx.vmap(fn, in_axes=(0, None))(z2, w2)}
`,
});

describe('TestVmap', () => {
  test('test_basics', () => {
    // The stored test expects ValueError everywhere; Python 0.32.4 raises IndexError
    // ("Invalid vectorization axis ...") for the out-of-range axes, hence RangeError.
    // Can't vmap over scalars
    assert.throws(() => mx.vmap(mx.exp)(mx.array(1.0)), RangeError);
    // Invalid input
    assert.throws(() => mx.vmap(mx.exp)('hello'), Error);
    // Invalid axes
    assert.throws(() => mx.vmap(mx.exp, 'hello' as never)(mx.array([0, 1], I32)), Error);
    assert.throws(() => mx.vmap(mx.exp, 2)(mx.array([0, 1], I32)), RangeError);
    assert.throws(() => mx.vmap(mx.exp, 0, 'hello' as never)(mx.array([0, 1], I32)), Error);
    assert.throws(() => mx.vmap(mx.exp, 0, 2)(mx.array([0, 1], I32)), RangeError);
  });

  test('test_unary', () => {
    const r = O('test_unary');
    for (const opname of UNARY) {
      const op = anyMx[camel(opname)];
      assert.equal(typeof op, 'function', `mx.${camel(opname)} is missing`);
      const [e5, e8] = r.exp[opname] as array[];
      let x = r.x5 as array;
      let y = mx.vmap(op)(x);
      assertLikeOracle(y, e5, { msg: `${opname} arange(5)` });

      x = r.x8 as array;
      y = mx.vmap(op)(x);
      assertLikeOracle(y, e8, { msg: `${opname} (2, 4)` });

      y = mx.vmap(op, 1, 1)(x);
      assertLikeOracle(y, e8, { msg: `${opname} in_axes=1, out_axes=1` });
    }
  });

  test('test_binary', () => {
    const r = O('test_binary');
    for (const opname of BINARY) {
      const op = anyMx[camel(opname)];
      assert.equal(typeof op, 'function', `mx.${camel(opname)} is missing`);
      const c = r[opname];
      let out = mx.vmap(op)(c.x5, c.y5);
      assertLikeOracle(out, c.e5, { msg: `${opname} (5,)` });

      out = mx.vmap(op)(c.x, c.y);
      assertLikeOracle(out, c.e, { msg: `${opname} (2, 4)` });

      out = mx.vmap(op, [0, 0], 0)(c.x, c.y);
      assertLikeOracle(out, c.e, { msg: `${opname} in_axes=(0, 0)` });

      out = mx.vmap(op, [0, 1], 0)(c.x, c.y42);
      assertLikeOracle(out, c.eT, { msg: `${opname} in_axes=(0, 1)` });

      out = mx.vmap(op, [0, 1], 1)(c.x, c.y42);
      assertLikeOracle(out, c.eTT, { msg: `${opname} in_axes=(0, 1), out_axes=1` });
    }
  });

  test('test_tree', () => {
    const r = O('test_tree');
    const myFun = (tree: { a: array; b: array[] }) => mx.multiply(mx.add(tree.a, tree.b[0]), tree.b[1]);

    let tree = r.tree;
    let out = mx.vmap(myFun)(tree);
    assertLikeOracle(out, r.e1);

    assert.throws(() => mx.vmap(myFun, { a: 0, b: [[0, 0], 0] }, 0)(tree), Error);

    out = mx.vmap(myFun, { a: 0, b: 0 }, 0)(tree);
    assertLikeOracle(out, r.e1, { msg: 'in_axes={"a": 0, "b": 0}' });

    out = mx.vmap(myFun, { a: 0, b: [0, 0] }, 0)(tree);
    assertLikeOracle(out, r.e1, { msg: 'in_axes={"a": 0, "b": (0, 0)}' });

    tree = r.tree2;
    out = mx.vmap(myFun, { a: 0, b: [1, 1] }, 0)(tree);
    assertLikeOracle(out, r.e2, { msg: 'in_axes={"a": 0, "b": (1, 1)}' });

    const myFun2 = (x: array, y: array) => ({ a: mx.add(x, y), b: mx.multiply(x, y) });
    const { x, y } = r;
    let out2 = mx.vmap(myFun2, 0, 0)(x, y);
    assertLikeOracle(out2.a, r.e3.a);
    assertLikeOracle(out2.b, r.e3.b);

    assert.throws(() => mx.vmap(myFun2, 0, [0, 1])(x, y), Error);
    assert.throws(() => mx.vmap(myFun2, 0, { a: 0, c: 1 })(x, y), Error);

    out2 = mx.vmap(myFun2, 0, { a: 1, b: 0 })(x, y);
    assertLikeOracle(out2.a.T, r.e3.a);
    assertLikeOracle(out2.b, r.e3.b);
  });

  test('test_vmap_indexing', () => {
    const x = mx.arange(16).reshape(2, 2, 2, 2);
    const inds = mx.array(
      [
        [0, 1, 0],
        [1, 1, 0],
      ],
      I32,
    );

    let out = mx.vmap((x: array, y: array) => x.index(y), [0, 0])(x, inds);
    let expected = mx.array(
      [
        [
          [
            [0, 1],
            [2, 3],
          ],
          [
            [4, 5],
            [6, 7],
          ],
          [
            [0, 1],
            [2, 3],
          ],
        ],
        [
          [
            [12, 13],
            [14, 15],
          ],
          [
            [12, 13],
            [14, 15],
          ],
          [
            [8, 9],
            [10, 11],
          ],
        ],
      ],
      I32,
    );
    assertArrayEqual(out, expected);

    out = mx.vmap((x: array, y: array) => x.index(y), [0, null])(x, inds);
    expected = mx.array(
      [
        [
          [
            [
              [0, 1],
              [2, 3],
            ],
            [
              [4, 5],
              [6, 7],
            ],
            [
              [0, 1],
              [2, 3],
            ],
          ],
          [
            [
              [4, 5],
              [6, 7],
            ],
            [
              [4, 5],
              [6, 7],
            ],
            [
              [0, 1],
              [2, 3],
            ],
          ],
        ],
        [
          [
            [
              [8, 9],
              [10, 11],
            ],
            [
              [12, 13],
              [14, 15],
            ],
            [
              [8, 9],
              [10, 11],
            ],
          ],
          [
            [
              [12, 13],
              [14, 15],
            ],
            [
              [12, 13],
              [14, 15],
            ],
            [
              [8, 9],
              [10, 11],
            ],
          ],
        ],
      ],
      I32,
    );
    assertArrayEqual(out, expected);

    out = mx.vmap((x: array, y: array) => x.index(y), [null, 0])(x, inds);
    expected = mx.array(
      [
        [
          [
            [
              [0, 1],
              [2, 3],
            ],
            [
              [4, 5],
              [6, 7],
            ],
          ],
          [
            [
              [8, 9],
              [10, 11],
            ],
            [
              [12, 13],
              [14, 15],
            ],
          ],
          [
            [
              [0, 1],
              [2, 3],
            ],
            [
              [4, 5],
              [6, 7],
            ],
          ],
        ],
        [
          [
            [
              [8, 9],
              [10, 11],
            ],
            [
              [12, 13],
              [14, 15],
            ],
          ],
          [
            [
              [8, 9],
              [10, 11],
            ],
            [
              [12, 13],
              [14, 15],
            ],
          ],
          [
            [
              [0, 1],
              [2, 3],
            ],
            [
              [4, 5],
              [6, 7],
            ],
          ],
        ],
      ],
      I32,
    );
    assertArrayEqual(out, expected);

    const inds2 = mx.array(
      [
        [0, 1, 0],
        [0, 1, 0],
      ],
      I32,
    );
    out = mx.vmap((x: array, y: array, z: array) => x.index(y, z), [null, 0, 0])(x, inds, inds2);
    expected = mx.array(
      [
        [
          [
            [0, 1],
            [2, 3],
          ],
          [
            [12, 13],
            [14, 15],
          ],
          [
            [0, 1],
            [2, 3],
          ],
        ],
        [
          [
            [8, 9],
            [10, 11],
          ],
          [
            [12, 13],
            [14, 15],
          ],
          [
            [0, 1],
            [2, 3],
          ],
        ],
      ],
      I32,
    );
    assertArrayEqual(out, expected);
  });

  test('test_vmap_reduce', () => {
    let a = mx.ones([5, 5], I32);
    let out = mx.vmap((x: array) => x.sum())(a);
    assertArrayEqual(out, mx.full([5], 5));

    out = mx.vmap((x: array) => x.sum({ keepdims: true }))(a);
    assertArrayEqual(out, mx.full([5, 1], 5));

    out = mx.vmap((x: array) => x.sum({ axis: 0 }))(a);
    assertArrayEqual(out, mx.full([5], 5));

    a = mx.ones([5, 3, 2], I32);
    out = mx.vmap((x: array) => x.sum({ axis: [0, 1] }))(a);
    assertArrayEqual(out, mx.full([5], 6));

    a = mx.ones([5, 3, 2], I32);
    out = mx.vmap((x: array) => x.sum({ axis: [0, 1] }), [1])(a);
    assertArrayEqual(out, mx.full([3], 10));

    a = mx.ones([5, 3, 2], I32);
    out = mx.vmap((x: array) => x.sum({ axis: [0, 1] }), [2])(a);
    assertArrayEqual(out, mx.full([2], 15));
  });

  test('test_vmap_argreduce', () => {
    const a = mx.array(
      [
        [1, 2, 3],
        [2, 3, 1],
      ],
      I32,
    );
    let out = mx.vmap((x: array) => mx.argmin(x))(a);
    let expected = mx.array([0, 2], I32);
    assertArrayEqual(out, expected);

    out = mx.vmap((x: array) => mx.argmax(x))(a);
    expected = mx.array([2, 1], I32);
    assertArrayEqual(out, expected);
  });

  test('test_vmap_mean', () => {
    const r = O('test_vmap_mean');
    let a = mx.arange(8).reshape(2, 4);
    let out = mx.vmap(mx.mean)(a);
    assertAllclose(out, r.e1);
    assertLikeOracle(out, r.e1, { rtol: 1e-6 });

    a = mx.arange(16).reshape(2, 2, 4);
    out = mx.vmap(mx.vmap(mx.mean))(a);
    assertAllclose(out, r.e2);
    assertLikeOracle(out, r.e2, { rtol: 1e-6 });
  });

  test('test_mismatch_input_sizes', () => {
    const a = mx.ones([10, 1]);
    let b = mx.ones([1, 1, 1, 5]);
    assert.throws(() => mx.vmap((x: array, y: array) => mx.add(x, y))(a, b), Error);

    b = mx.ones([10, 5]);
    assert.throws(() => mx.vmap((x: array, y: array) => mx.add(x, y), [0, 1])(a, b), Error);
  });

  test('test_vmap_matmul', () => {
    const r = O('test_vmap_matmul');
    const { a, b, c, b2, c2, a3, b3, c3 } = r;

    // matmul
    let out = mx.vmap(mx.matmul, [0, null])(a, b);
    assertAllclose(out, r.e1);

    // addmm
    out = mx.vmap(mx.addmm, [null, 0, null])(c, a, b);
    assertAllclose(out, r.e2);

    // matmul
    out = mx.vmap(mx.matmul, [1, null], [1])(a, b2);
    assertAllclose(out, r.e3);

    // addmm
    out = mx.vmap(mx.addmm, [null, 1, null])(c2, a, b2);
    assertAllclose(out, r.e4);

    // matmul
    out = mx.vmap(mx.matmul, [0, 1])(a3, b3);
    assertAllclose(out, r.e5);

    // addmm
    out = mx.vmap(mx.addmm, [2, 0, 1])(c3, a3, b3);
    assertAllclose(out, r.e6);
  });

  test('test_vmap_svd', () => {
    const a = O('test_vmap_svd').a as array;

    const cpuSvdFull = (x: array) => mx.linalg.svd(x, { computeUv: true, stream: mx.cpu });
    const cpuSvdSingular = (x: array) => mx.linalg.svd(x, { computeUv: false, stream: mx.cpu });

    // Vmap over the first axis (this is already supported natively by the primitive).
    let [Us, Ss, Vts] = mx.vmap(cpuSvdFull, [0])(a) as array[];
    assert.deepEqual(Us.shape, [a.shape[0], a.shape[1], a.shape[1]]);
    assert.deepEqual(Ss.shape, [a.shape[0], a.shape[2]]);
    assert.deepEqual(Vts.shape, [a.shape[0], a.shape[2], a.shape[2]]);

    let Sv = mx.vmap(cpuSvdSingular, [0])(a) as array;
    assert.deepEqual(Sv.shape, [a.shape[0], a.shape[2]]);

    for (let i = 0; i < a.shape[0]; i++) {
      const M = a.index(i);
      const [U, S, Vt] = [Us.index(i), Ss.index(i), Vts.index(i)];
      assertAllclose(mx.matmul(mx.matmul(U.index(':', `:${S.length}`), mx.diag(S)), Vt), M, { rtol: 1e-5, atol: 1e-7 });
      assertAllclose(mx.linalg.norm(Sv.index(i)), mx.linalg.norm(M, { ord: 'fro' }), { rtol: 1e-5, atol: 1e-7 });
    }

    // Vmap over the second axis.
    [Us, Ss, Vts] = mx.vmap(cpuSvdFull, [1])(a) as array[];
    assert.deepEqual(Us.shape, [a.shape[1], a.shape[0], a.shape[0]]);
    assert.deepEqual(Ss.shape, [a.shape[1], a.shape[2]]);
    assert.deepEqual(Vts.shape, [a.shape[1], a.shape[2], a.shape[2]]);

    Sv = mx.vmap(cpuSvdSingular, [1])(a) as array;
    assert.deepEqual(Sv.shape, [a.shape[1], a.shape[2]]);

    for (let i = 0; i < a.shape[1]; i++) {
      const M = a.index(':', i, ':');
      const [U, S, Vt] = [Us.index(i), Ss.index(i), Vts.index(i)];
      assertAllclose(mx.matmul(mx.matmul(U.index(':', `:${S.length}`), mx.diag(S)), Vt), M, { rtol: 1e-5, atol: 1e-7 });
      assertAllclose(mx.linalg.norm(Sv.index(i)), mx.linalg.norm(M, { ord: 'fro' }), { rtol: 1e-5, atol: 1e-7 });
    }
  });

  test('test_vmap_inverse', () => {
    const r = O('test_vmap_inverse');
    let a = r.a as array;

    const cpuInv = (x: array) => mx.linalg.inv(x, { stream: mx.cpu });

    // Vmap over the first axis (this is already supported natively by the primitive).
    let invs = mx.vmap(cpuInv, [0])(a) as array;
    for (let i = 0; i < a.shape[0]; i++) {
      assertAllclose(mx.matmul(a.index(i), invs.index(i)), mx.eye(a.shape[1]), { rtol: 1e-4, atol: 1e-5 });
    }

    a = r.a2 as array;

    // Without vmapping, each input matrix is not square.
    assert.throws(() => mx.eval(cpuInv(a)), Error);

    // Vmap over the second axis.
    invs = mx.vmap(cpuInv, [1])(a) as array;
    for (let i = 0; i < a.shape[1]; i++) {
      assertAllclose(mx.matmul(a.index(':', i, ':'), invs.index(i)), mx.eye(a.shape[0]), { rtol: 1e-4, atol: 1e-5 });
    }
  });

  test('test_vmap_gather', () => {
    const gather = (a: array, idx: array) => a.index(idx);

    let a = mx.array(
      [
        [1, 2],
        [3, 4],
      ],
      I32,
    );
    let idx = mx.array(0, I32);
    let out = mx.vmap(gather, [0, null])(a, idx);
    assertArrayEqual(out, mx.array([1, 3], I32));

    out = mx.vmap(gather, [1, null])(a, idx);
    assertArrayEqual(out, mx.array([1, 2], I32));

    idx = mx.array([0, 1], I32);
    out = mx.vmap(gather, [0, 0])(a, idx);
    assertArrayEqual(out, mx.array([1, 4], I32));

    a = mx.ones([2, 3, 4]);
    idx = mx.zeros(4, I32);
    out = mx.vmap(gather, [2, 0])(a, idx);
    assert.deepEqual(out.shape, [4, 3]);

    let f = mx.vmap(gather, [0, null]);
    f = mx.vmap(gather, [0, 0]);
    out = f(mx.ones([2, 3, 4]), mx.zeros(2, I32));
    assert.deepEqual(out.shape, [2, 4]);

    const gather2 = (a: array, idxa: array, idxb: array) => a.index(idxa, idxb);

    a = mx.ones([2, 3, 4]);
    let idxa = mx.zeros([2, 3], I32);
    let idxb = mx.zeros(3, I32);
    out = mx.vmap(gather2, [0, 0, null])(a, idxa, idxb);
    assert.deepEqual(out.shape, [2, 3]);

    idxa = mx.zeros([3, 1, 2], I32);
    idxb = mx.zeros([2, 3, 1, 2], I32);
    out = mx.vmap(gather2, [0, null, 0])(a, idxa, idxb);
    assert.deepEqual(out.shape, [2, 3, 1, 2]);

    idxa = mx.zeros([3, 1, 2], I32);
    idxb = mx.zeros([3, 1, 2, 2], I32);
    out = mx.vmap(gather2, [0, null, 3])(a, idxa, idxb);
    assert.deepEqual(out.shape, [2, 3, 1, 2]);
  });

  test('test_vmap_scatter', () => {
    const r = O('test_vmap_scatter');
    let scatter = (a: array) => {
      a.set(mx.array(0, I32), mx.array(0.0));
      return a;
    };

    let a = mx.array([
      [1.0, 2.0, 3.0],
      [2.0, 3.0, 4.0],
    ]);
    let out = mx.vmap(scatter)(a);
    let expected: array = mx.array([
      [0.0, 2.0, 3.0],
      [0.0, 3.0, 4.0],
    ]);
    assertAllclose(out, expected);

    out = mx.vmap(scatter, [1], 1)(a);
    expected = mx.array([
      [0.0, 0.0, 0.0],
      [2.0, 3.0, 4.0],
    ]);
    assertAllclose(out, expected);

    const scatterAdd = (a: array) => a.at(mx.array(0, I32)).add(mx.array(1.0));

    a = mx.array([
      [1.0, 2.0, 3.0],
      [2.0, 3.0, 4.0],
    ]);
    out = mx.vmap(scatterAdd)(a);
    expected = mx.array([
      [2.0, 2.0, 3.0],
      [3.0, 3.0, 4.0],
    ]);
    assertAllclose(out, expected);

    out = mx.vmap(scatterAdd, [1], 1)(a);
    expected = mx.array([
      [2.0, 3.0, 4.0],
      [2.0, 3.0, 4.0],
    ]);
    assertAllclose(out, expected);

    // Multiple indices
    scatter = (a: array) => {
      a.set(mx.array([0, 1], I32), mx.array([0, 1], I32), mx.array([1.0, 1.0]));
      return a;
    };

    a = mx.zeros([3, 3, 3]);

    out = mx.vmap(scatter, [0], 0)(a);
    assertAllclose(out, r.m0);

    out = mx.vmap(scatter, [1], 1)(a);
    assertAllclose(out, r.m1);

    out = mx.vmap(scatter, [2], 2)(a);
    assertAllclose(out, r.m2);

    // vmap over src and indices
    const scatter2 = (a: array, idx: array) => {
      a.set(idx, mx.array(1.0));
      return a;
    };

    a = mx.zeros([3, 4]);
    let idx = mx.array([0, 1, 2], I32);
    out = mx.vmap(scatter2, [0, 0], 0)(a, idx);
    assertAllclose(out, r.eye);

    // vmap over only indices
    out = mx.vmap(scatter2, [null, 0], 0)(a, idx);
    assertAllclose(out, r.oi);

    // vmap over src, indices, updates
    const scatter3 = (a: array, idx: array, updates: array) => {
      a.set(idx, updates);
      return a;
    };

    a = mx.zeros([3, 4]);
    idx = mx.array([0, 1, 2], I32);
    let updates = mx.array([1, 2, 3], I32);
    out = mx.vmap(scatter3, [0, 0, 0], 0)(a, idx, updates);
    assertAllclose(out, r.diag);

    // vmap over only updates
    a = mx.zeros([3, 4]);
    idx = mx.array([0], I32);
    updates = mx.array([1, 2, 3], I32);
    out = mx.vmap(scatter3, [null, null, 0], 0)(a, idx, updates);
    assertAllclose(out, r.ou);
  });

  test('test_vmap_const_func', () => {
    // The function ignores its arguments: only their shapes matter (Python: random arrays).
    const a = mx.zeros([2, 3, 4]);
    const b = mx.zeros([4, 3]);

    const constFunc = (_a: array, _b: array) => mx.array(2, I32);

    let out = mx.vmap(constFunc, [0, null])(a, b);
    assertArrayEqual(mx.full([2], 2), out);
    out = mx.vmap(constFunc, [null, 0])(a, b);
    assertArrayEqual(mx.full([4], 2), out);
    out = mx.vmap(constFunc, [1, 1])(a, b);
    assertArrayEqual(mx.full([3], 2), out);

    assert.throws(() => mx.vmap(constFunc, [null, null])(a, b), Error);
    assert.throws(() => mx.vmap(constFunc, [0, 0])(a, b), Error);
  });

  test('test_vmap_concatenate', () => {
    const r = O('test_vmap_concatenate');
    const x = r.x as array;

    const catFun = (x: array, y: array) => mx.concatenate([x, y], { axis: 1 });
    const catConstant = (x: array) => {
      const y = mx.ones([2, 1]);
      return mx.concatenate([x, y], 1);
    };

    let out = mx.vmap(catFun, [0, 2])(x, x);
    assertArrayEqual(out, r.t1);

    out = mx.vmap(catConstant)(x);
    assertArrayEqual(out, r.t2);
  });

  test('test_vmap_take_along_axis', () => {
    let a = mx.zeros([4, 5, 1]);
    let idx = mx.zeros([2, 4, 1], I32);

    const fun = (a: array, idx: array) => mx.takeAlongAxis(a, idx, { axis: 0 });

    let out = mx.vmap(fun, [0, 1])(a, idx);
    assert.deepEqual(out.shape, [4, 2, 1]);

    idx = mx.zeros([2, 1], I32);
    out = mx.vmap(fun, [0, null])(a, idx);
    assert.deepEqual(out.shape, [4, 2, 1]);

    a = mx.zeros([5, 1]);
    idx = mx.zeros([4, 2, 1], I32);
    out = mx.vmap(fun, [null, 0])(a, idx);
    assert.deepEqual(out.shape, [4, 2, 1]);

    a = mx.zeros([4, 5, 3]);
    idx = mx.zeros([2, 2, 1, 3], I32);
    out = mx.vmap(fun, [null, 0])(a, idx);
    assert.deepEqual(out.shape, [2, 2, 5, 3]);
  });

  test('test_vmap_put_along_axis', () => {
    let a = mx.zeros([4, 5, 1]);
    let idx = mx.ones([2, 4, 1], I32);
    let upd = mx.ones([2, 4, 1]);

    const fun = (a: array, idx: array, upd: array) => mx.putAlongAxis(a, idx, upd, { axis: 0 });

    let out = mx.vmap(fun, [0, 1, 1])(a, idx, upd);
    assert.deepEqual(out.shape, [4, 5, 1]);

    upd = mx.ones([2, 1]);
    out = mx.vmap(fun, [0, 1, null])(a, idx, upd);
    assert.deepEqual(out.shape, [4, 5, 1]);

    idx = mx.ones([2, 1], I32);
    upd = mx.ones([2, 1]);
    out = mx.vmap(fun, [0, null, null])(a, idx, upd);
    assert.deepEqual(out.shape, [4, 5, 1]);

    a = mx.zeros([5, 1]);
    idx = mx.ones([2, 4, 1], I32);
    upd = mx.ones([2, 4, 1]);
    out = mx.vmap(fun, [null, 1, 1])(a, idx, upd);
    assert.deepEqual(out.shape, [4, 5, 1]);
  });

  test('test_vmap_split_vmap', () => {
    const fun = (x: array) => {
      const [a, b] = mx.split(x, 2, 1);
      return mx.concatenate([b, a], 1);
    };

    const x = mx.ones([5, 6, 7]);
    const y = mx.ones([5, 4, 6, 7]);
    const fx = fun(x);
    const fy = mx.vmap(fun, 1)(y);
    assert.deepEqual(fx.shape, [5, 6, 7]);
    assert.deepEqual(fy.shape, [4, 5, 6, 7]);
  });

  test('test_leaks', async () => {
    await collectGarbage();
    mx.synchronize();
    const memPre = mx.getActiveMemory();

    const outer = () => {
      const d: { f?: unknown; x?: array } = {};
      const f = (_x: array) => d.x;
      d.f = mx.vmap(f);
      d.x = mx.array(new Array(1000).fill(0), I32);
    };

    for (let i = 0; i < 5; i++) {
      outer();
      await collectGarbage(1);
    }
    await collectGarbage();

    mx.synchronize();
    const memPost = mx.getActiveMemory();
    assert.equal(memPost, memPre);
  });

  test('test_vmap_flatten', () => {
    const fun = (x: array) => mx.flatten(x, 0, 1);

    const x = mx.zeros([2, 3, 4]);

    assert.deepEqual(mx.vmap(fun)(x).shape, [2, 12]);
    assert.deepEqual(mx.vmap(fun, [1])(x).shape, [3, 8]);
    assert.deepEqual(mx.vmap(fun, [2])(x).shape, [4, 6]);
  });

  test('test_vmap_conv', () => {
    const r = O('test_vmap_conv');
    // vmap input only
    let x = r.x1 as array;
    let w = r.w1 as array;
    let out = mx.vmap(mx.conv1d, [0, null])(x, w);
    assertAllclose(r.e1, out);

    x = mx.moveaxis(x, 0, 2);
    out = mx.vmap(mx.conv1d, [2, null])(x, w);
    assertAllclose(r.e1, out);

    // vmap weights only
    x = r.x2;
    w = r.w2;
    out = mx.vmap(mx.conv1d, [null, 0])(x, w);
    assertAllclose(r.e2, out);

    w = mx.moveaxis(w, 0, 1);
    out = mx.vmap(mx.conv1d, [null, 1])(x, w);
    assertAllclose(r.e2, out);

    // vmap weights and input
    out = mx.vmap(mx.conv1d, [0, 0])(r.x3, r.w3);
    assertAllclose(r.e3, out);

    out = mx.vmap(mx.conv1d, [1, 3])(r.x4, r.w4);
    assertAllclose(r.e4, out);

    // Test with groups
    const gconv = (x: array, w: array) => mx.conv1d(x, w, { groups: 2 });
    out = mx.vmap(gconv, [0, 0])(r.x5, r.w5);
    assertAllclose(r.e5, out);
  });

  test('test_vmap_pad', () => {
    const r = O('test_vmap_pad');
    const pad2d = (x: array, value: number | array = 0.0) =>
      mx.pad(
        x,
        [
          [1, 2],
          [0, 1],
        ],
        { constantValues: value },
      );

    const x = mx.arange(24, { dtype: mx.float32 }).reshape(2, 3, 4);

    let out = mx.vmap(pad2d, 0)(x);
    assertArrayEqual(out, r.e1);

    out = mx.vmap(pad2d, 1)(x);
    assertArrayEqual(out, r.e2);

    out = mx.vmap(pad2d, -1, -1)(x);
    assertArrayEqual(out, r.e3);

    const nested = mx.vmap(mx.vmap((y: array) => mx.pad(y, [1, 1])));
    out = nested(x);
    assertArrayEqual(out, r.e4);

    out = mx.vmap(
      (a: array, v: array) =>
        mx.pad(
          a,
          [
            [1, 1],
            [1, 1],
          ],
          { constantValues: v },
        ),
      [0, null],
    )(x, mx.array(5.0));
    assertArrayEqual(out, r.e5);

    const padValues = mx.array([3.0, 4.0]);
    assert.throws(
      () =>
        mx.vmap((a: array, v: array) =>
          mx.pad(
            a,
            [
              [1, 1],
              [1, 1],
            ],
            { constantValues: v },
          ),
        )(x, padValues),
      Error,
    );
  });

  test('test_vmap_types', () => {
    // Python's tuple subclass Vector: a subclass of Array.
    class Vector extends Array<array> {}
    // Python's NamedTuple State(a, b): a plain object {a, b}.
    type State = { a: array; b: array };

    const transform = (x: State): State => ({ a: mx.add(x.a, 10), b: mx.multiply(x.b, 10) });
    const transformTuple = (t: array[]) => [mx.add(t[0], 10), mx.multiply(t[1], 10)];
    const transformVector = (t: Vector) => Vector.from([mx.add(t[0], 10), mx.multiply(t[1], 10)]);

    const vmapTransform = mx.vmap(transform);
    const vmapTransformTuple = mx.vmap(transformTuple);
    const vmapTransformVector = mx.vmap(transformVector);

    const xBatchTuple = [mx.array([1, 2, 3], I32), mx.array([4, 5, 6], I32)];
    const out1 = vmapTransformTuple(xBatchTuple);

    assert.ok(Array.isArray(out1));
    assertArrayEqual(out1[0], mx.array([11, 12, 13], I32));
    assertArrayEqual(out1[1], mx.array([40, 50, 60], I32));

    const xBatch: State = { a: mx.array([1, 2, 3], I32), b: mx.array([4, 5, 6], I32) };
    const out2 = vmapTransform(xBatch);
    assert.equal(Object.getPrototypeOf(out2), Object.prototype);
    assert.deepEqual(Object.keys(out2), ['a', 'b']);
    assertArrayEqual(out2.a, mx.array([11, 12, 13], I32));
    assertArrayEqual(out2.b, mx.array([40, 50, 60], I32));

    const xBatchVector = Vector.from([mx.array([1, 2, 3], I32), mx.array([4, 5, 6], I32)]);
    const out3 = vmapTransformVector(xBatchVector);
    assert.ok(out3 instanceof Vector);
    assertArrayEqual(out3[0], mx.array([11, 12, 13], I32));
    assertArrayEqual(out3[1], mx.array([40, 50, 60], I32));
  });

  test('test_vmap_masked_scatter', () => {
    const scatterFn = (x: array, m: array, src: array) => {
      x.set(m, src);
      return x;
    };

    // Batched sources
    let a = mx.array(
      [
        [10, 20, 30, 40],
        [50, 60, 70, 80],
      ],
      I32,
    );
    let mask = mx.array([
      [false, true, true, true],
      [true, false, true, true],
    ]);
    let src = mx.array(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      I32,
    );

    let expected = mx.array(
      [
        [10, 1, 2, 3],
        [4, 60, 5, 6],
      ],
      I32,
    );
    let vmapScatter = mx.vmap(scatterFn, [0, 0, 0]);
    let out = vmapScatter(a, mask, src);
    assertArrayEqual(expected, out);

    // Shared source across batch (matching mask populations)
    a = mx.array(
      [
        [0, 0, 0],
        [5, 5, 5],
      ],
      I32,
    );
    mask = mx.array([
      [true, false, true],
      [false, true, true],
    ]);
    src = mx.array([9, 8], I32);

    expected = mx.array(
      [
        [9, 0, 8],
        [5, 9, 8],
      ],
      I32,
    );
    vmapScatter = mx.vmap(scatterFn, [0, 0, null]);
    out = vmapScatter(a, mask, src);
    assertArrayEqual(expected, out);

    // Shared destination with batched mask and sources
    a = mx.array([10, 20, 30, 40], I32);
    mask = mx.array([
      [true, false, false, true],
      [false, true, true, false],
    ]);
    src = mx.array(
      [
        [1, 2],
        [3, 4],
      ],
      I32,
    );

    expected = mx.array(
      [
        [1, 20, 30, 2],
        [10, 3, 4, 40],
      ],
      I32,
    );
    vmapScatter = mx.vmap(scatterFn, [null, 0, 0]);
    out = vmapScatter(a, mask, src);
    assertArrayEqual(expected, out);

    // Shared mask across batch with batched sources
    a = mx.array(
      [
        [0, 0, 0, 0],
        [10, 20, 30, 40],
      ],
      I32,
    );
    mask = mx.array([true, false, true, false]);
    src = mx.array(
      [
        [7, 8],
        [9, 10],
      ],
      I32,
    );

    expected = mx.array(
      [
        [7, 0, 8, 0],
        [9, 20, 10, 40],
      ],
      I32,
    );
    vmapScatter = mx.vmap(scatterFn, [0, null, 0]);
    out = vmapScatter(a, mask, src);
    assertArrayEqual(expected, out);

    // Uneven mask populations with scalar broadcast
    a = mx.array([
      [0.0, 0.0, 0.0, 0.0],
      [10.0, 20.0, 30.0, 40.0],
    ]);
    mask = mx.array([
      [true, false, true, true],
      [false, true, false, false],
    ]);
    const sharedSrc = mx.array(1.5);

    expected = mx.array(
      [
        [1.5, 0.0, 1.5, 1.5],
        [10.0, 1.5, 30.0, 40.0],
      ],
      a.dtype,
    );
    vmapScatter = mx.vmap(scatterFn, [0, 0, null]);
    out = vmapScatter(a, mask, sharedSrc);
    assertArrayEqual(expected, out);

    // Shared src with identical masks must restart for each batch
    a = mx.array(
      [
        [0, 0, 0, 0, 0],
        [10, 20, 30, 40, 50],
      ],
      I32,
    );
    mask = mx.array([
      [true, true, true, false, false],
      [true, true, true, false, false],
    ]);
    src = mx.array([1, 2, 3, 4, 5], I32);

    expected = mx.array(
      [
        [1, 2, 3, 0, 0],
        [1, 2, 3, 40, 50],
      ],
      I32,
    );
    vmapScatter = mx.vmap(scatterFn, [0, 0, null]);
    out = vmapScatter(a, mask, src);
    assertArrayEqual(expected, out);

    // Double vmap
    const r = O('test_vmap_masked_scatter');
    a = mx.zeros([8, 8, 8]);
    const doubleScatter = mx.vmap(mx.vmap(scatterFn, [0, 0, null]), [0, 0, 0]);
    out = doubleScatter(mx.add(a, 0), r.mask, r.src);
    assertArrayEqual(r.expected, out);
  });

  test('test_broadcast_axes_vmap', () => {
    // Broadcast axes requires shapeless compile to properly test
    const r = O('test_broadcast_axes_vmap');
    let counter = 0;

    const fn = (x: array, y: array) => {
      counter += 1;
      return mx.matmul(x, y);
    };

    let vmapFn = mx.vmap(fn, [0, 1]);
    let cvmapFn = mx.compile(vmapFn, { shapeless: true });

    let expected = vmapFn(r.x, r.y);
    assertLikeOracle(expected, r.e1, { rtol: 1e-5, atol: 1e-6 });
    let out = cvmapFn(r.x, r.y);
    assertArrayEqual(expected, out);
    assert.equal(counter, 2);

    expected = vmapFn(r.z, r.w);
    assertLikeOracle(expected, r.e2, { rtol: 1e-5, atol: 1e-6 });
    out = cvmapFn(r.z, r.w);
    assertArrayEqual(expected, out);
    assert.equal(counter, 3);

    vmapFn = mx.vmap(fn, [0, null]);
    cvmapFn = mx.compile(vmapFn, { shapeless: true });

    expected = vmapFn(r.x2, r.y2);
    assertLikeOracle(expected, r.e3, { rtol: 1e-5, atol: 1e-6 });
    out = cvmapFn(r.x2, r.y2);
    assertArrayEqual(expected, out);
    assert.equal(counter, 5);

    expected = vmapFn(r.z2, r.w2);
    assertLikeOracle(expected, r.e4, { rtol: 1e-5, atol: 1e-6 });
    out = cvmapFn(r.z2, r.w2);
    assertArrayEqual(expected, out);
    assert.equal(counter, 6);
  });
});
