// Port of ml-explore/mlx python/tests/test_init.py (TestInit), the stored
// version at commit 0bd618e67eac22849b80ae3ad0c1856546307a23, followed by a
// differential test against Python mlx 0.32.4 (ONE pyEach run):
//
// - 'init differential (after mx.random.seed)': every initializer of nn.init x
//   its factory options (dtype, mean/std, low/high, gain, sparsity) x its call
//   options (gain, mode) x shapes, each after mx.random.seed(s) in both, gives
//   the same array bit for bit as Python, and leaves the same key in
//   mx.random.state; a sequence of initializer calls after one seed gives the
//   same arrays and final state; Python's ValueErrors come with the same message.
//   (Python's initializers take no `key` argument: they always draw from the
//   global key sequence, so the seeded sequence is what is compared.)
//
// Differences from the Python source:
// - `initializer(mx.array(np.empty(shape)))` is `initializer(mx.zeros(shape))`
//   (only the shape of the argument is used).
// - test_sparse: the stored test's second half counts zeros per COLUMN
//   (`mx.sum(result == 0, axis=0) == ceil(sparsity * rows)`), but mlx 0.32.4's
//   init.sparse zeroes ceil(sparsity * cols) entries of every ROW (its
//   docstring: "Sparsity is applied along each row"); Python mlx 0.32.4 fails
//   those assertions too (e.g. shape (3, 2), sparsity 0.5). They are kept
//   verbatim in 'test_sparse (stored column-wise assertions)', marked `todo`
//   (reported, not counted as failures); test_sparse checks the row-wise count
//   that 0.32.4 implements instead, and the differential test checks the values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx, nn } from '../lib/index';
import type { array, Dtype } from '../lib/index';
import { isPyError, pyEach } from './helpers/mlx_tests';
import type { PyError } from './helpers/mlx_tests';
import { assertSameOutcome, assertSameValue, jsLit, outcome, pyLit } from './helpers/py_calls';

const init = nn.init;
const truthy = (a: array) => Boolean(a.item());

// ---------------------------------------------------------------------------
// Port of TestInit

describe('TestInit', () => {
  test('test_constant', () => {
    const value = 5.0;

    for (const dtype of [mx.float32, mx.float16]) {
      const initializer = init.constant(value, dtype);
      for (const shape of [[3], [3, 3], [3, 3, 3]]) {
        const result = initializer(mx.array(mx.zeros(shape)));
        assert.deepEqual(result.shape, shape);
        assert.equal(result.dtype, dtype);
      }
    }
  });

  test('test_normal', () => {
    const mean = 0.0;
    const std = 1.0;
    for (const dtype of [mx.float32, mx.float16]) {
      const initializer = init.normal(mean, std, { dtype });
      for (const shape of [[3], [3, 3], [3, 3, 3]]) {
        const result = initializer(mx.zeros(shape));
        assert.deepEqual(result.shape, shape);
        assert.equal(result.dtype, dtype);
      }
    }
  });

  test('test_uniform', () => {
    const low = -1.0;
    const high = 1.0;

    for (const dtype of [mx.float32, mx.float16]) {
      const initializer = init.uniform(low, high, dtype);
      for (const shape of [[3], [3, 3], [3, 3, 3]]) {
        const result = initializer(mx.zeros(shape));
        assert.deepEqual(result.shape, shape);
        assert.equal(result.dtype, dtype);
        assert.ok(truthy(mx.all(mx.greaterEqual(result, low))) && truthy(mx.all(mx.lessEqual(result, high))));
      }
    }
  });

  test('test_identity', () => {
    for (const dtype of [mx.float32, mx.float16]) {
      const initializer = init.identity(dtype);
      for (const _shape of [[3], [3, 3], [3, 3, 3]]) {
        const result = initializer(mx.zeros([3, 3]));
        assert.ok(truthy(mx.arrayEqual(result, mx.eye(3))));
        assert.equal(result.dtype, dtype);
        assert.throws(() => initializer(mx.zeros([3, 2])), Error);
      }
    }
  });

  test('test_glorot_normal', () => {
    for (const dtype of [mx.float32, mx.float16]) {
      const initializer = init.glorotNormal(dtype);
      for (const shape of [
        [3, 3],
        [3, 3, 3],
      ]) {
        const result = initializer(mx.zeros(shape));
        assert.deepEqual(result.shape, shape);
        assert.equal(result.dtype, dtype);
      }
    }
  });

  test('test_glorot_uniform', () => {
    for (const dtype of [mx.float32, mx.float16]) {
      const initializer = init.glorotUniform(dtype);
      for (const shape of [
        [3, 3],
        [3, 3, 3],
      ]) {
        const result = initializer(mx.zeros(shape));
        assert.deepEqual(result.shape, shape);
        assert.equal(result.dtype, dtype);
      }
    }
  });

  test('test_he_normal', () => {
    for (const dtype of [mx.float32, mx.float16]) {
      const initializer = init.heNormal(dtype);
      for (const shape of [
        [3, 3],
        [3, 3, 3],
      ]) {
        const result = initializer(mx.zeros(shape));
        assert.deepEqual(result.shape, shape);
        assert.equal(result.dtype, dtype);
      }
    }
  });

  test('test_he_uniform', () => {
    for (const dtype of [mx.float32, mx.float16]) {
      const initializer = init.heUniform(dtype);
      for (const shape of [
        [3, 3],
        [3, 3, 3],
      ]) {
        const result = initializer(mx.zeros(shape));
        assert.deepEqual(result.shape, shape);
        assert.equal(result.dtype, dtype);
      }
    }
  });

  test('test_sparse', () => {
    const mean = 0.0;
    const std = 1.0;
    const sparsity = 0.5;
    for (const dtype of [mx.float32, mx.float16]) {
      let initializer = init.sparse(sparsity, mean, std, { dtype });
      for (const shape of [
        [3, 2],
        [2, 2],
        [4, 3],
      ]) {
        const result = initializer(mx.zeros(shape));
        assert.deepEqual(result.shape, shape);
        assert.equal(result.dtype, dtype);
      }
      assert.throws(() => initializer(mx.zeros([1])), Error);

      // mlx 0.32.4: ceil(sparsity * cols) zeros in every row (see the header)
      initializer = init.sparse(sparsity, { mean: 1.0, std: 0.0, dtype });
      for (const shape of [
        [3, 2],
        [2, 2],
        [4, 3],
      ]) {
        const result = initializer(mx.zeros(shape));
        const expectedZeros = Math.ceil(sparsity * result.shape[1]);
        assert.ok(truthy(mx.all(mx.equal(mx.sum(mx.equal(result, 0), 1), expectedZeros))), `shape ${shape}, ${dtype}`);
      }
    }

    for (const sparsity of [0.0, 0.25, 0.5, 0.75, 1.0]) {
      const result = init.sparse(sparsity, { mean: 1.0, std: 0.0 })(mx.zeros([5, 7]));
      const expectedZeros = Math.ceil(sparsity * result.shape[1]);
      assert.ok(truthy(mx.all(mx.equal(mx.sum(mx.equal(result, 0), 1), expectedZeros))), `sparsity ${sparsity}`);
    }
  });

  test(
    'test_sparse (stored column-wise assertions)',
    {
      todo: 'the stored test counts zeros per column; mlx 0.32.4 sparse() zeroes per row and Python mlx 0.32.4 fails these assertions too',
    },
    () => {
      const sparsity = 0.5;
      for (const dtype of [mx.float32, mx.float16]) {
        const initializer = init.sparse(sparsity, { mean: 1.0, std: 0.0, dtype });
        for (const shape of [
          [3, 2],
          [2, 2],
          [4, 3],
        ]) {
          const result = initializer(mx.zeros(shape));
          const expectedZeros = Math.ceil(sparsity * result.shape[0]);
          assert.ok(
            truthy(mx.all(mx.equal(mx.sum(mx.equal(result, 0), 0), expectedZeros))),
            `shape ${shape}, ${dtype}`,
          );
        }
      }

      for (const sparsity of [0.0, 0.25, 0.5, 0.75, 1.0]) {
        const result = init.sparse(sparsity, { mean: 1.0, std: 0.0 })(mx.zeros([5, 7]));
        const expectedZeros = Math.ceil(sparsity * result.shape[0]);
        assert.ok(truthy(mx.all(mx.equal(mx.sum(mx.equal(result, 0), 0), expectedZeros))), `sparsity ${sparsity}`);
      }
    },
  );

  test('test_orthogonal', () => {
    const initializer = init.orthogonal({ gain: 1.0, dtype: mx.float32 });

    // Test with a square matrix
    let shape = [4, 4];
    let result = initializer(mx.zeros(shape, mx.float32));
    assert.deepEqual(result.shape, shape);
    assert.equal(result.dtype, mx.float32);

    let I = mx.matmul(result, result.T);
    let eye = mx.eye(shape[0], { dtype: mx.float32 });
    assert.ok(truthy(mx.allclose(I, eye, { atol: 1e-5 })), 'Orthogonal init failed on a square matrix.');

    // Test with a rectangular matrix: more rows than cols
    shape = [6, 4];
    result = initializer(mx.zeros(shape, mx.float32));
    assert.deepEqual(result.shape, shape);
    assert.equal(result.dtype, mx.float32);

    I = mx.matmul(result.T, result);
    eye = mx.eye(shape[1], { dtype: mx.float32 });
    assert.ok(truthy(mx.allclose(I, eye, { atol: 1e-5 })), 'Orthogonal init failed on a rectangular matrix.');

    // A non-2D input reports its actual number of dimensions
    assert.throws(
      () => initializer(mx.zeros([2, 3, 4], mx.float32)),
      (e: Error) => e instanceof Error && e.message.includes('3D array'),
    );
  });
});

// ---------------------------------------------------------------------------
// Differential: nn.init in mlx-node and in Python mlx 0.32.4, after mx.random.seed

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** An integral JS number written to Python as a float literal (1 -> 1.0): a Python float argument. */
class Flt {
  constructor(readonly v: number) {}
}
const flt = (v: number) => new Flt(v);
const lit = (v: unknown) => (v instanceof Flt ? `${v.v}.0` : pyLit(v));
const jlit = (v: unknown) => (v instanceof Flt ? String(v.v) : jsLit(v));
const jval = (v: unknown) => (v instanceof Flt ? v.v : v);

interface InitCase {
  seed: number;
  /** the factory, camelCase (nn.init.heUniform) */
  f: keyof typeof nn.init;
  fargs?: unknown[];
  fkw?: Record<string, unknown>;
  shape: number[];
  /** the initializer's own extra arguments (gain, mode) */
  iargs?: unknown[];
  ikw?: Record<string, unknown>;
}

const kwPy = (kw: Record<string, unknown> | undefined) =>
  `{${Object.entries(kw ?? {})
    .map(([k, v]) => `${JSON.stringify(snake(k))}: ${lit(v)}`)
    .join(', ')}}`;
const argsPy = (a: unknown[] | undefined) => `[${(a ?? []).map(lit).join(', ')}]`;
const callPy = (c: InitCase) =>
  `(${JSON.stringify(snake(c.f))}, ${argsPy(c.fargs)}, ${kwPy(c.fkw)}, ${pyLit(c.shape)}, ${argsPy(c.iargs)}, ${kwPy(c.ikw)})`;
const jsArgs = (a: unknown[] | undefined, kw: Record<string, unknown> | undefined) => [
  ...(a ?? []).map(jval),
  ...(kw && Object.keys(kw).length ? [Object.fromEntries(Object.entries(kw).map(([k, v]) => [k, jval(v)]))] : []),
];
const jsLabelArgs = (a: unknown[] | undefined, kw: Record<string, unknown> | undefined) =>
  [
    ...(a ?? []).map(jlit),
    ...(kw && Object.keys(kw).length
      ? [
          `{${Object.entries(kw)
            .map(([k, v]) => `${k}: ${jlit(v)}`)
            .join(', ')}}`,
        ]
      : []),
  ].join(', ');
const label = (c: InitCase) =>
  `seed(${c.seed}); nn.init.${c.f}(${jsLabelArgs(c.fargs, c.fkw)})(mx.zeros(${jsLit(c.shape)})${c.iargs?.length || (c.ikw && Object.keys(c.ikw).length) ? ', ' + jsLabelArgs(c.iargs, c.ikw) : ''})`;
const jsInit = (c: InitCase): array => {
  const factory = nn.init[c.f] as (...a: unknown[]) => (...a: unknown[]) => array;
  return factory(...jsArgs(c.fargs, c.fkw))(mx.zeros(c.shape), ...jsArgs(c.iargs, c.ikw));
};

const SETUP = `
import mlx.nn as nn
def _call(c):
    name, fargs, fkw, shape, iargs, ikw = c
    return getattr(nn.init, name)(*fargs, **fkw)(mx.zeros(shape), *iargs, **ikw)
def _one(seed, c):
    mx.random.seed(seed)
    out = _call(c)
    return [out, mx.random.state[0]]
def _seq(seed, cs):
    mx.random.seed(seed)
    outs = [_call(c) for c in cs]
    return [outs, mx.random.state[0]]
`;

const CASES: InitCase[] = [];
let seed = 0;
const addCase = (c: Omit<InitCase, 'seed'>) => CASES.push({ seed: seed++, ...c });
const DTYPES: Array<Dtype | undefined> = [undefined, mx.float32, mx.float16, mx.bfloat16];

for (const dtype of DTYPES) {
  const dkw = dtype ? { dtype } : undefined;
  for (const shape of [[3], [2, 3], [2, 3, 4]]) {
    addCase({ f: 'constant', fargs: [2.5], fkw: dkw, shape });
    addCase({ f: 'normal', fkw: dkw, shape });
    addCase({ f: 'uniform', fkw: dkw, shape });
  }
  addCase({ f: 'constant', fargs: [flt(-3)], fkw: dkw, shape: [2, 2] });
  addCase({ f: 'normal', fargs: [0.5, 2.5], fkw: dkw, shape: [4, 5] });
  addCase({ f: 'normal', fkw: { mean: -1.5, std: 0.1, ...dkw }, shape: [4, 5] });
  addCase({ f: 'normal', fargs: [flt(1), flt(2)], fkw: dkw, shape: [3, 3] });
  addCase({ f: 'uniform', fargs: [-2.5, 0.5], fkw: dkw, shape: [4, 5] });
  addCase({ f: 'uniform', fkw: { low: flt(-3), high: flt(3), ...dkw }, shape: [4, 5] });
  addCase({ f: 'identity', fkw: dkw, shape: [4, 4] });
  for (const f of ['glorotNormal', 'glorotUniform'] as const) {
    for (const shape of [
      [3, 5],
      [4, 2, 3],
      [2, 3, 4, 5],
    ]) {
      addCase({ f, fkw: dkw, shape });
      addCase({ f, fkw: dkw, shape, iargs: [2.5] });
      addCase({ f, fkw: dkw, shape, ikw: { gain: flt(4) } });
    }
  }
  for (const f of ['heNormal', 'heUniform'] as const) {
    for (const shape of [
      [3, 5],
      [4, 2, 3],
      [2, 3, 4, 5],
    ]) {
      addCase({ f, fkw: dkw, shape });
      addCase({ f, fkw: dkw, shape, iargs: ['fan_out'] });
      addCase({ f, fkw: dkw, shape, iargs: ['fan_in', 0.5] });
      addCase({ f, fkw: dkw, shape, ikw: { mode: 'fan_out', gain: flt(5) } });
      addCase({ f, fkw: dkw, shape, iargs: ['fan_out'], ikw: { gain: 1.5 } });
    }
  }
  for (const sparsity of [0.0, 0.25, 0.5, 0.9, 1.0]) {
    addCase({ f: 'sparse', fargs: [sparsity], fkw: dkw, shape: [5, 7] });
  }
  addCase({ f: 'sparse', fargs: [0.3, 1.5, 0.5], fkw: dkw, shape: [4, 6] });
  addCase({ f: 'sparse', fargs: [0.5], fkw: { mean: flt(1), std: flt(0), ...dkw }, shape: [3, 2] });
  for (const shape of [
    [4, 4],
    [6, 4],
    [3, 7],
    [1, 5],
  ]) {
    addCase({ f: 'orthogonal', fkw: dkw, shape });
    addCase({ f: 'orthogonal', fargs: [2.5], fkw: dkw, shape });
  }
}

// Python's ValueErrors, same message
const ERROR_CASES: InitCase[] = [
  { seed: 1, f: 'identity', shape: [3, 2] },
  { seed: 1, f: 'identity', shape: [3] },
  { seed: 1, f: 'identity', shape: [2, 2, 2] },
  { seed: 1, f: 'glorotNormal', shape: [3] },
  { seed: 1, f: 'glorotUniform', shape: [] },
  { seed: 1, f: 'heNormal', shape: [4] },
  { seed: 1, f: 'heUniform', shape: [2, 2], iargs: ['fan_avg'] },
  { seed: 1, f: 'heNormal', shape: [2, 2], ikw: { mode: 'in' } },
  { seed: 1, f: 'heUniform', shape: [3], iargs: ['fan_avg'] },
  { seed: 1, f: 'sparse', fargs: [0.5], shape: [4] },
  { seed: 1, f: 'sparse', fargs: [0.5], shape: [2, 2, 2] },
  { seed: 1, f: 'orthogonal', shape: [2, 3, 4] },
  { seed: 1, f: 'orthogonal', shape: [5] },
];

// One seed, then every kind of initializer in turn
const SEQUENCE: InitCase[] = [
  { seed: 0, f: 'normal', shape: [2, 3] },
  { seed: 0, f: 'uniform', fargs: [-1, 1], shape: [3] },
  { seed: 0, f: 'glorotNormal', shape: [3, 4] },
  { seed: 0, f: 'glorotUniform', fkw: { dtype: mx.float16 }, shape: [4, 3], iargs: [2.0] },
  { seed: 0, f: 'heNormal', shape: [2, 3, 4], iargs: ['fan_out'] },
  { seed: 0, f: 'heUniform', shape: [5, 2] },
  { seed: 0, f: 'constant', fargs: [0.5], shape: [2] },
  { seed: 0, f: 'sparse', fargs: [0.5], shape: [4, 4] },
  { seed: 0, f: 'orthogonal', shape: [3, 5] },
  { seed: 0, f: 'identity', shape: [3, 3] },
  { seed: 0, f: 'normal', fargs: [1.0, 0.5], fkw: { dtype: mx.bfloat16 }, shape: [4] },
];
const SEQUENCE_SEED = 1234;

let oracle: unknown[] | undefined;
const results = () =>
  (oracle ??= pyEach(
    [
      ...CASES.map((c) => `_one(${c.seed}, ${callPy(c)})`),
      ...ERROR_CASES.map((c) => `_one(${c.seed}, ${callPy(c)})`),
      `_seq(${SEQUENCE_SEED}, [${SEQUENCE.map(callPy).join(', ')}])`,
    ],
    {},
    SETUP,
  ));

describe('init differential (after mx.random.seed)', () => {
  test(`every initializer x options x shapes x dtypes (${CASES.length} calls): same arrays and key state as Python`, () => {
    const r = results();
    const failures: string[] = [];
    CASES.forEach((c, i) => {
      try {
        assert.ok(!isPyError(r[i]), `Python raised ${(r[i] as PyError).$error}: ${(r[i] as PyError).message}`);
        mx.random.seed(c.seed);
        const got = outcome(() => [jsInit(c), mx.random.state[0]]);
        assertSameOutcome(got, r[i], label(c));
      } catch (e) {
        failures.push(`${label(c)}: ${(e as Error).message}`);
      }
    });
    assert.equal(failures.length, 0, `${failures.length} of ${CASES.length} differ:\n${failures.join('\n')}`);
  });

  test(`Python's ValueErrors (${ERROR_CASES.length} calls): same error class and message`, () => {
    const r = results().slice(CASES.length, CASES.length + ERROR_CASES.length);
    const failures: string[] = [];
    ERROR_CASES.forEach((c, i) => {
      try {
        const py = r[i];
        assert.ok(isPyError(py), `Python did not raise: ${String(py)}`);
        mx.random.seed(c.seed);
        const got = outcome(() => jsInit(c));
        assertSameOutcome(got, py, label(c));
        assert.equal((got as { error: Error }).error.message, py.message, 'message');
      } catch (e) {
        failures.push(`${label(c)}: ${(e as Error).message}`);
      }
    });
    assert.equal(failures.length, 0, `${failures.length} of ${ERROR_CASES.length} differ:\n${failures.join('\n')}`);
  });

  test(`a sequence of ${SEQUENCE.length} initializer calls after one seed: same arrays and final key`, () => {
    const expected = results()[CASES.length + ERROR_CASES.length];
    assert.ok(!isPyError(expected), `Python raised ${(expected as PyError).message}`);
    mx.random.seed(SEQUENCE_SEED);
    const outs = SEQUENCE.map(jsInit);
    assertSameValue([outs, mx.random.state[0]], expected, 'sequence');
  });

  test('initializers take Python positional order and one options object', () => {
    const a = mx.zeros([3, 4]);
    // the initializer's gain given twice
    assert.throws(() => init.glorotUniform()(a, 2, { gain: 2 } as never), TypeError);
    // the factory's dtype given twice
    assert.throws(() => init.normal(0, 1, mx.float16, { dtype: mx.float16 } as never), TypeError);
    // mixed: mode positionally, gain in the options object, as Python's he_uniform()(a, "fan_out", gain=2)
    mx.random.seed(7);
    const x = init.heUniform()(a, 'fan_out', { gain: 2 });
    mx.random.seed(7);
    const y = init.heUniform()(a, { mode: 'fan_out', gain: 2 });
    assertSameValue(x, y, 'mixed form');
  });
});
