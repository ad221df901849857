// Port of python/tests/test_reduce.py (ml-explore/mlx v0.32.4).
//
// The numpy expectations come from the oracle (Python mlx 0.32.4 + numpy) in
// ONE py() call for the whole file (helpers/oracle_batch.ts), made the first
// time a test reads a result. The random inputs of the Python test
// (np.random / mx.random) are seeded inputs that JS and the oracle build
// bit-identically (helpers/oracle_batch.ts: normal() is a zero-mean uniform of
// the same standard deviation). test_axis_permutation_sums compares exact
// integer sums by digest (sha1 of the int32 bytes) because the 4080 results
// (7M values) are too large to send back.
//
// Differences from the Python file:
// - test_init_reduce_large_output is skipped without Metal, as in Python.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { mx } from '../lib/index';
import type { array, Dtype } from '../lib/index';
import { assertEqualArray } from './helpers/mlx_tests';
import {
  OracleBatch,
  assertArrayEqualNan,
  combinations,
  digest,
  lazy,
  normal,
  permutations,
  randint,
  uniform,
} from './helpers/oracle_batch';

const dt = (name: string): Dtype => (mx as unknown as Record<string, Dtype>)[name];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

type Reducer = (a: array, opts: { axis?: number | number[] | null; keepdims?: boolean }) => array;
const REDUCE: Record<string, Reducer> = {
  sum: (a, o) => mx.sum(a, o),
  prod: (a, o) => mx.prod(a, o),
  max: (a, o) => mx.max(a, o),
  min: (a, o) => mx.min(a, o),
  mean: (a, o) => mx.mean(a, o),
  var: (a, o) => mx.var(a, o),
  all: (a, o) => mx.all(a, o),
  any: (a, o) => mx.any(a, o),
};
type ArgReducer = (a: array, axis?: number | null, keepdims?: boolean) => array;
const ARG_REDUCE: Record<string, ArgReducer> = {
  argmin: (a, axis, kd) => (axis === undefined ? mx.argmin(a, { keepdims: kd ?? false }) : mx.argmin(a, axis, kd)),
  argmax: (a, axis, kd) => (axis === undefined ? mx.argmax(a, { keepdims: kd ?? false }) : mx.argmax(a, axis, kd)),
};

// ---------------------------------------------------------------------------
// Oracle entries (one Python process for the file)

const O = new OracleBatch();

// test_axis_permutation_sums
const PERM_CASES = [
  [5, 5, 1, 5, 5],
  [65, 65, 1, 65],
].map((shape, k) => {
  const x = normal(100 + k, shape, 128, 'int32'); // (np.random.randn(*shape) * 128).astype(np.int32)
  const ts = permutations(range(shape.length));
  const axes: number[][] = [];
  for (let n = 1; n <= shape.length; n++) axes.push(...combinations(range(shape.length), n));
  const e = O.expr(`[digest(np.sum(np.transpose(x, t), axis=tuple(a)), "int32") for t in ts for a in axes]`, {
    x,
    ts,
    axes,
  });
  return { shape, x, ts, axes, e };
});

// test_expand_sums
const EXPAND_X = normal(110, [5, 1, 5, 1, 5, 1], 1, 'float32');
const EXPAND_SHAPES: number[][] = [];
for (let m = 1; m < 4; m++) {
  for (const ax of combinations([1, 3, 5], m)) {
    const shape = [5, 1, 5, 1, 5, 1];
    for (const i of ax) shape[i] = 5;
    EXPAND_SHAPES.push(shape);
  }
}
const EXPAND_AXES: number[][] = [];
for (let n = 1; n < 7; n++) EXPAND_AXES.push(...combinations(range(6), n));
const E_EXPAND = O.expr(`[np.sum(np.broadcast_to(x, s), axis=tuple(a)) / 1000 for s in shapes for a in axes]`, {
  x: EXPAND_X,
  shapes: EXPAND_SHAPES,
  axes: EXPAND_AXES,
});

// test_row_reduce_negative_stride
const NEG_OPS = ['sum', 'max', 'min', 'mean', 'var'];
const E_ROW_NEG = O.expr(`[getattr(np, op)(np.arange(1, 131).reshape(2, 65)[::-1], axis=-1) for op in ops]`, {
  ops: NEG_OPS,
});

// test_col_reduce_negative_stride
const COL_CASES: Array<[number[], number | number[]]> = [
  [[2, 1024, 16], 1],
  [[2, 2, 1024, 16], 2],
  [
    [2, 512, 2, 2, 16],
    [1, 3],
  ],
  [[2, 512, 64], 1],
  [[2, 64, 512], 1],
  [[2, 16, 16], 1],
];
const E_COL_NEG = COL_CASES.map(([shape, axis]) =>
  O.exec(
    `
axis = tuple(axis) if isinstance(axis, list) else axis
x_npy = np.arange(1, math.prod(shape) + 1).reshape(shape)[::-1]
r = [getattr(np, op)(x_npy, axis=axis) for op in ops]
`,
    { shape, axis, ops: NEG_OPS },
  ),
);

// test_dtypes
const DTYPES_INT = ['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32', 'int64', 'uint64', 'complex64'];
const DTYPES_FLOAT = ['float32'];
const DTYPES_OPS = ['sum', 'prod', 'min', 'max'];
const DTYPES_AXES: Array<number | number[] | null> = [null, 0, 1, 2, [0, 1], [0, 2], [1, 2], [0, 1, 2]];
const DTYPES_CASES = [...DTYPES_INT, ...DTYPES_FLOAT].map((dtype, k) => {
  const x = uniform(120 + k, [3, 3, 3], 0, 2, dtype); // np.random.uniform(0, 2, size=(3, 3, 3)).astype(dtype)
  const e = O.exec(
    `
r = []
for op in ops:
    for ax in axes:
        ax = tuple(ax) if isinstance(ax, list) else ax
        if op in ("sum", "prod"):
            r.append(getattr(np, op)(x, axis=ax, dtype=x.dtype))
        else:
            r.append(getattr(np, op)(x, axis=ax))
`,
    { x, ops: DTYPES_OPS, axes: DTYPES_AXES },
  );
  return { dtype, x, e };
});

// test_arg_reduce
const ARG_DTYPES = ['uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32'];
const ARG_CASES = ARG_DTYPES.map((dtype, k) => {
  const x = uniform(140 + k, [10, 12, 13], 0, 1, dtype); // np.random.rand(10, 12, 13).astype(dtype)
  const e = O.exec(
    `
r = []
for op in ["argmin", "argmax"]:
    for axis in range(3):
        for kd in [True, False]:
            r.append(getattr(np, op)(x, axis, keepdims=kd).tolist())
for op in ["argmin", "argmax"]:
    r.append(getattr(np, op)(x, keepdims=True).tolist())
    r.append(getattr(np, op)(x).item())
`,
    { x },
  );
  return { dtype, x, e };
});

// test_edge_case: (mx.random.normal((100, 1, 100, 100)) * 128).astype(mx.int32)
const EDGE_X = normal(150, [100, 1, 100, 100], 128, 'int32');
const E_EDGE = O.expr(`np.transpose(x, (0, 3, 1, 2)).sum((0, 2, 3))`, { x: EDGE_X });

// test_zero_size
const ZERO_SHAPE_CASES: Array<[number[], number | number[]]> = [
  [[0, 2], -1],
  [[2, 0], 0],
  [[3, 0, 2], -1],
  [
    [0, 3, 2],
    [1, 2],
  ],
];
const E_ZERO = O.expr(
  `[[list(getattr(np, op)(np.zeros(s, dtype=np.float32), axis=tuple(a) if isinstance(a, list) else a).shape) for op in ["max", "min"]] for s, a in cases]`,
  { cases: ZERO_SHAPE_CASES },
);

// test_sum_bool: np.random.uniform(0, 1, size=(10, 10, 10)) > 0.5
const SUM_BOOL_U = uniform(160, [10, 10, 10], 0, 1);
const E_SUM_BOOL = O.expr(`(u > 0.5).sum().item()`, { u: SUM_BOOL_U });

// test_nan_propagation
const NAN_DTYPES = ['uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float16', 'float32'];
const NAN_CASES = NAN_DTYPES.map((dtype, k) => {
  const x = lazy(() => {
    // (mx.random.normal((4, 4)) * 10).astype(dtype), then x[idx[0], idx[1]] = mx.nan
    const x = normal(170 + k, [4, 4], 10).mx.astype(dt(dtype));
    const indices = randint(180 + k, [6], 0, 4).mx.reshape(3, 2);
    for (const idx of indices) x.set(idx.index(0), idx.index(1), mx.nan);
    return x;
  });
  const e = O.expr(`[getattr(np, op)(x, axis=axis) for op in ["max", "min"] for axis in [0, 1]]`, () => ({ x: x() }));
  return { dtype, x, e };
});

// test_nan_propagation_complex64: the arrays are Python's literals, built by the oracle.
const E_NAN_COMPLEX = O.exec(`
arrs = [
    mx.array([1 + 1j, 2 + 2j, 3 + 3j, mx.nan + 4j], dtype=mx.complex64).reshape(2, 2),
    mx.array([1 + 1j, 2 + 2j, 3 + mx.nan * 1j, 4 + 4j], dtype=mx.complex64).reshape(2, 2),
    mx.array([1 + 1j, 2 + mx.nan * 1j, 3 + 3j, 4 + 4j], dtype=mx.complex64).reshape(2, 2),
    mx.array([mx.nan + 1j, 2 + 2j, 3 + 3j, 4 + 4j], dtype=mx.complex64).reshape(2, 2),
]
r = {"arrays": arrs, "refs": [[getattr(np, op)(np.array(a), axis=axis) for axis in [0, 1] for op in ["max", "min"]] for a in arrs]}
`);

// test_long_column: (np.random.randn(8192, 64) * 32).astype(np.int32)
const LONG_A = normal(190, [8192, 64], 32, 'int32');
const E_LONG = O.expr(`a.sum(0)`, { a: LONG_A });

// test_and_or_negative_zero (the values are written in Python too: JSON drops the sign of -0.0)
const NZ_DTYPES = ['float32', 'float16', 'float64', 'complex64'];
const NZ_VALUES = [[0, -0], [-0, -0], new Array(70).fill(-0), [-0, 0, 1], [0.5, 0]];
const E_NZ = O.exec(
  `
values = [[0.0, -0.0], [-0.0, -0.0], [-0.0] * 70, [-0.0, 0.0, 1.0], [0.5, 0.0]]
r = [[[bool(getattr(np, op)(np.array(v, dtype=getattr(np, d)))) for op in ["any", "all"]] for v in values] for d in dtypes]
x_np = np.array([[0.0, -0.0], [1.0, 0.0], [-0.0, -0.0]], dtype=np.float32)
r = {"flat": r, "axis1": [getattr(np, op)(x_np, axis=1).tolist() for op in ["any", "all"]]}
`,
  { dtypes: NZ_DTYPES },
);

// ---------------------------------------------------------------------------

describe('TestReduce', () => {
  test('test_axis_permutation_sums', () => {
    for (const { shape, x, ts, axes, e } of PERM_CASES) {
      const expected = O.get<Array<[number[], string]>>(e);
      const x_mlx = x.mx;
      let i = 0;
      for (const t of ts) {
        const y_mlx = mx.transpose(x_mlx, t);
        for (const a of axes) {
          const z_mlx = mx.sum(y_mlx, { axis: a });
          mx.eval(z_mlx);
          assert.deepEqual(digest(z_mlx, mx.int32), expected[i++], `shape=${shape} t=${t} a=${a}`);
        }
      }
    }
  });

  test('test_expand_sums', () => {
    const expected = O.get<array[]>(E_EXPAND);
    const x_mlx = EXPAND_X.mx;
    let i = 0;
    for (const shape of EXPAND_SHAPES) {
      const y_mlx = mx.broadcastTo(x_mlx, shape);
      for (const a of EXPAND_AXES) {
        const z_mlx = mx.divide(mx.sum(y_mlx, { axis: a }), 1000);
        mx.eval(z_mlx);
        assertEqualArray(z_mlx, expected[i++], { atol: 1e-4, rtol: 1e-5, dtype: false, msg: `shape=${shape} a=${a}` });
      }
    }
  });

  test('test_row_reduce_negative_stride', () => {
    const expected = O.get<array[]>(E_ROW_NEG);
    const x_mlx = mx.arange(1, 131).reshape(2, 65).index('::-1');
    NEG_OPS.forEach((op, i) => {
      const actual = REDUCE[op](x_mlx, { axis: -1 });
      assertEqualArray(actual, expected[i], { atol: 1e-8, rtol: 1e-5, dtype: false, msg: op });
    });
  });

  test('test_col_reduce_negative_stride', () => {
    // Exercises each Metal column reduction kernel on a negative-stride view.
    COL_CASES.forEach(([shape, axis], k) => {
      const expected = O.get<array[]>(E_COL_NEG[k]);
      const size = shape.reduce((a, b) => a * b, 1);
      const x_mlx = mx
        .arange(1, size + 1)
        .reshape(shape)
        .index('::-1');
      NEG_OPS.forEach((op, i) => {
        const actual = REDUCE[op](x_mlx, { axis });
        assertEqualArray(actual, expected[i], { atol: 1e-8, rtol: 1e-5, dtype: false, msg: `${shape} ${axis} ${op}` });
      });
      const x_ones = mx.ones(shape, { dtype: mx.float32 }).index('::-1');
      assert.equal(mx.all(mx.equal(mx.prod(x_ones, { axis }), 1)).item(), true, `${shape} ${axis} prod`);
      const x_bool = mx.ones(shape, { dtype: mx.bool_ }).index('::-1');
      for (const op of ['all', 'any']) {
        assert.equal(mx.all(REDUCE[op](x_bool, { axis })).item(), true, `${shape} ${axis} ${op}`);
      }
    });
  });

  test('test_dtypes', () => {
    for (const { dtype, x, e } of DTYPES_CASES) {
      const expected = O.get<array[]>(e);
      const y = x.mx;
      let i = 0;
      for (const op of DTYPES_OPS) {
        for (const axes of DTYPES_AXES) {
          const r_mlx = REDUCE[op](y, { axis: axes });
          mx.eval(r_mlx);
          assertEqualArray(r_mlx, expected[i++], {
            atol: 1e-4,
            rtol: 1e-5,
            dtype: false,
            msg: `${dtype} ${op} ${axes}`,
          });
        }
      }
    }
  });

  test('test_arg_reduce', () => {
    for (const { dtype, x: data, e } of ARG_CASES) {
      const expected = O.get<unknown[]>(e);
      const x = data.mx;
      let i = 0;
      for (const op of ['argmin', 'argmax']) {
        for (let axis = 0; axis < 3; axis++) {
          for (const kd of [true, false]) {
            const a = ARG_REDUCE[op](x, axis, kd);
            assert.deepEqual(a.tolist(), expected[i++], `${dtype} ${op} axis=${axis} keepdims=${kd}`);
          }
        }
      }
      for (const op of ['argmin', 'argmax']) {
        let a = ARG_REDUCE[op](x, undefined, true);
        assert.deepEqual(a.tolist(), expected[i++], `${dtype} ${op} keepdims=True`);
        a = ARG_REDUCE[op](x);
        assert.equal(a.item(), expected[i++], `${dtype} ${op}`);
      }
    }
  });

  test('test_edge_case', () => {
    let x = EDGE_X.mx;
    x = x.transpose(0, 3, 1, 2);

    const y = x.sum([0, 2, 3]);
    mx.eval(y);
    assertEqualArray(y, O.get(E_EDGE), { atol: 0, rtol: 0, dtype: false });
  });

  test('test_zero_size', () => {
    // max and min have no identity, so they are only undefined when an axis
    // being reduced is itself empty. An array that is empty because of some
    // other axis reduces into an empty result.
    const npShapes = O.get<number[][][]>(E_ZERO);
    ZERO_SHAPE_CASES.forEach(([shape, axis], k) => {
      const a_mx = mx.zeros(shape, { dtype: mx.float32 });
      ['max', 'min'].forEach((op, j) => {
        const out = REDUCE[op](a_mx, { axis });
        mx.eval(out);
        assert.deepEqual(out.shape, npShapes[k][j], `${op} ${shape} ${axis}`);
      });
    });

    // Reducing an empty axis still raises, like numpy
    const raising: Array<[number[], number]> = [
      [[2, 0], -1],
      [[0, 2], 0],
      [[0, 0], -1],
    ];
    for (const [shape, axis] of raising) {
      const a_mx = mx.zeros(shape);
      for (const op of ['max', 'min']) {
        assert.throws(() => REDUCE[op](a_mx, { axis }), Error, `${op} ${shape} ${axis}`);
      }
    }

    // sum and prod have identities, so an empty reduction returns them for
    // every dtype. The unsigned outputs (uint32, uint64) had no init kernel
    // on Metal and aborted the process instead.
    const dtypes = [
      mx.bool_,
      mx.uint8,
      mx.uint16,
      mx.uint32,
      mx.uint64,
      mx.int8,
      mx.int16,
      mx.int32,
      mx.int64,
      mx.float16,
      mx.float32,
    ];
    for (const dtype of dtypes) {
      const a = mx.zeros([0], { dtype });
      for (const [op, identity] of [
        ['sum', 0],
        ['prod', 1],
      ] as const) {
        const out = REDUCE[op](a, {});
        mx.eval(out);
        // Python's ==: True == 1
        assert.equal(Number(out.item()), identity, `${op} of empty ${dtype}`);
      }
      // empty because of another axis, reduced over a non-empty one
      const b = mx.zeros([0, 3], { dtype });
      for (const op of ['sum', 'prod']) {
        const out = REDUCE[op](b, { axis: -1 });
        mx.eval(out);
        assert.deepEqual(out.shape, [0]);
      }
    }
  });

  test('test_sum_bool', () => {
    const x = Array.from(SUM_BOOL_U.values(), (v) => v > 0.5);
    const y = mx.array(x).reshape(10, 10, 10);
    const npsum = O.get<number>(E_SUM_BOOL);
    const mxsum = y.sum().item();
    assert.equal(mxsum, npsum);
  });

  test('test_many_reduction_axes', () => {
    const check = (x: array, axes: number[]) => {
      let expected = x;
      for (const ax of axes) expected = mx.sum(expected, { axis: ax, keepdims: true });
      const out = mx.sum(x, { axis: axes, keepdims: true });
      assert.equal(mx.arrayEqual(out, expected).item(), true, `axes=${axes}`);
    };

    // mx.random.randint(0, 10, shape=...)
    let x = randint(200, [4, 4, 4, 4, 4], 0, 10).mx;
    check(x, [0, 2, 4]);

    x = randint(201, [4, 4, 4, 4, 4, 4, 4], 0, 10).mx;
    check(x, [0, 2, 4, 6]);

    x = randint(202, [4, 4, 4, 4, 4, 4, 4, 4, 4], 0, 10).mx;
    check(x, [0, 2, 4, 6, 8]);

    x = randint(203, [4, 4, 4, 4, 4, 4, 4, 4, 4, 128], 0, 10).mx;
    x = x.transpose(1, 0, 2, 3, 4, 5, 6, 7, 8, 9);
    check(x, [1, 3, 5, 7, 9]);
  });

  test('test_nan_propagation', () => {
    for (const { dtype, x: build, e } of NAN_CASES) {
      const expected = O.get<array[]>(e);
      const x = build();
      let i = 0;
      for (const op of ['max', 'min']) {
        for (const axis of [0, 1]) {
          const out = REDUCE[op](x, { axis });
          assertArrayEqualNan(out, expected[i++], `${dtype} ${op} axis=${axis}`);
        }
      }
    }
  });

  test('test_nan_propagation_complex64', () => {
    const { arrays, refs } = O.get<{ arrays: array[]; refs: array[][] }>(E_NAN_COMPLEX);
    arrays.forEach((mx_arr, k) => {
      let i = 0;
      for (const axis of [0, 1]) {
        for (const op of ['max', 'min']) {
          const out = REDUCE[op](mx_arr, { axis });
          assertArrayEqualNan(out, refs[k][i++], `array ${k + 1} ${op} axis=${axis}`);
        }
      }
    });
  });

  test('test_long_column', () => {
    const b = LONG_A.mx;
    const c1 = O.get(E_LONG);
    const c2 = b.sum(0);
    assertEqualArray(c2, c1, { atol: 0, rtol: 0, dtype: false });
  });

  test('test_and_or_negative_zero', () => {
    // -0.0 equals zero but has its sign bit set, so it must not be treated
    // as truthy just because its bit pattern is nonzero
    const expected = O.get<{ flat: boolean[][][]; axis1: boolean[][] }>(E_NZ);
    NZ_DTYPES.forEach((dtype, d) => {
      NZ_VALUES.forEach((values, v) => {
        const a_mx = mx.array(values, dt(dtype));
        ['any', 'all'].forEach((op, o) => {
          assert.equal(REDUCE[op](a_mx, {}).item(), expected.flat[d][v][o], `${op} ${dtype} ${values}`);
        });
      });
    });

    const x_mx = mx.array(
      [
        [0, -0],
        [1, 0],
        [-0, -0],
      ],
      mx.float32,
    );
    ['any', 'all'].forEach((op, o) => {
      assert.deepEqual(REDUCE[op](x_mx, { axis: 1 }).tolist(), expected.axis1[o]);
    });
  });

  test('test_large_offsets', () => {
    // Row r holds r % 251 and row 2**15 starts at offset 2**31, so any
    // reduction that narrows offsets or sizes to 32 bits reads the wrong
    // rows. The views below have fewer than 2**31 elements themselves.
    const [rows, cols] = [2 ** 15 + 1, 2 ** 16];
    const row_max = mx.remainder(mx.arange(rows), 251).astype(mx.uint8);
    const x = mx.contiguous(mx.broadcastTo(row_max.index(':', null), [rows, cols]));

    assert.ok(mx.arrayEqual(x.index(':', '7:').max({ axis: -1 }), row_max).item());
    assert.ok(mx.arrayEqual(x.index(':', '7:').min({ axis: -1 }), row_max).item());
    let y = x.reshape(rows, 256, 256).index(':', '1:', '1:');
    assert.ok(mx.arrayEqual(y.max({ axis: [1, 2] }), row_max).item());
    y = x.reshape(rows, 16, 16, 256).index(':', '1:', ':', '1:');
    const expected = mx.broadcastTo(row_max.index(':', null), [rows, 16]);
    assert.ok(mx.arrayEqual(y.max({ axis: [1, 3] }), expected).item());

    // Reducing all 2**31 + 2**16 elements at once
    assert.equal(x.max().item(), 250);
    assert.equal(x.any().item(), true);
    assert.equal(x.all().item(), false);
  });

  test('test_init_reduce_large_output', { skip: !mx.metal.isAvailable() && 'requires Metal' }, () => {
    const out = mx.all(mx.zeros([0, 4, 2 ** 30], { dtype: mx.bool_ }), { axis: 0 });
    mx.eval(out);
    assert.equal(mx.all(out).item(), true);
  });
});
