// Port of ml-explore/mlx python/tests/test_ops.py (TestOps), FIRST HALF (the stored
// version, commit fc96f021d7fd3ac34ce25d74e8da07593ea72d3d).
//
// BOUNDARY: this file ports the TestOps methods in file order from test_full_ones_zeros
// up to and including test_trig_ops (the method nearest the middle line of test_ops.py).
// test/ops-2.test.ts continues with the next method, test_binary_ops.
//
// Every expectation the Python test gets from numpy (or from mx.random / np.random
// data) comes from ONE oracle run at load time (ORACLE below: Python mlx 0.32.4 +
// numpy); the random inputs are generated there, seeded, and sent back so both sides
// use the same arrays. Literal expectations of the Python test stay literal. The
// error class of every assertRaises case is the class Python 0.32.4 raises for the
// same call (the oracle records it), mapped as in CONTRIBUTING.md: ValueError/
// RuntimeError -> Error, IndexError -> RangeError, TypeError -> TypeError. (The
// stored test_ops.py is older than 0.32.4 in two places: mx.split(a, 3, axis=2)
// raises IndexError, not ValueError, and mx.arange(0, INT_MAX + 1, 1) raises
// ValueError ("Maximum size exceeded"), not TypeError.)
//
// Adapted, because a JS number has no int/float kind (an integral number is a
// Python int, any other a Python float):
// - A Python float scalar with an integral value beside an int/bool array or another
//   scalar (mx.add(1.0, 2.0), uint32_array + 3.0, ...) is written with a non-integral
//   value (0.5, 2.5, 3.5, ...) and its expectation computed by the oracle from the same
//   Python expression (FLOAT_SCALAR_CASES). Beside a float array a Python int and a
//   Python float promote alike, so `x - 3.0` there is simply mx.subtract(x, 3).
// - test_scalar_inputs: the scalar grid uses -0.5/0.5 where Python uses -1.0/1.0.
// - test_full_ones_zeros: mx.full((2, 3), 2.0) is written mx.full([2, 3], mx.array(2))
//   (a float32 array gives the float dtype the test checks).
// - test_arange_inferred_dtype: the float arguments 5.0, 3.0, 1.0 become 5.5, 3.5, 1.5
//   (the checked dtype, float32, is the same).
//
// Left out:
// - test_unary_ops_from_non_array, the "Test from NumPy" half (an op applied to a
//   numpy array: numpy interop). The scalar half is ported.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';

import { mx } from '../lib/index';
import type { array } from '../lib/index';
import { assertEqualArray, py } from './helpers/mlx_tests';

const anyMx = mx as any;
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** mx.<python name>, e.g. op('floor_divide') is mx.floorDivide. */
const op = (name: string): ((...args: any[]) => any) => {
  const f = anyMx[camel(name)];
  assert.equal(typeof f, 'function', `mx.${camel(name)} is missing`);
  return f;
};

// np.allclose's default tolerances.
const NP = { atol: 1e-8, rtol: 1e-5, dtype: false };
const EXACT = { atol: 0, rtol: 0 };

/** Python's == on nested lists of tolist() values (0 == -0; bool and number kept apart). */
function pyEq(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  }
  if (a !== null && typeof a === 'object' && b !== null && typeof b === 'object') {
    const x = a as { re: number; im: number };
    const y = b as { re: number; im: number };
    return x.re === y.re && x.im === y.im;
  }
  if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a as number) === BigInt(b as number);
  return typeof a === typeof b && a === b;
}
function assertListEqual(actual: unknown, expected: unknown, msg?: string): void {
  assert.ok(pyEq(actual, expected), `${msg ? msg + ': ' : ''}${inspect(actual)} != ${inspect(expected)}`);
}
/** assertTrue(mx_array): the array is a true scalar. */
function assertTrueArray(a: array, msg?: string): void {
  assert.equal(a.item(), true, msg);
}
function assertFalseArray(a: array, msg?: string): void {
  assert.equal(a.item(), false, msg);
}

/** The JS error class for the Python exception the oracle saw (Python 0.32.4). */
function assertRaisesLike(fn: () => unknown, pyError: string | null, what: string): void {
  assert.ok(pyError, `${what}: Python raises nothing here`);
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error, `${what}: not an Error: ${String(e)}`);
    assert.doesNotMatch(e.message, /is not a function/, `${what}: ${e.message}`);
    const cls = e.constructor.name;
    const want = pyError === 'IndexError' ? 'RangeError' : pyError === 'TypeError' ? 'TypeError' : 'Error';
    assert.equal(cls, want, `${what}: Python raises ${pyError}, mlx-node threw ${cls}: ${e.message}`);
    return true;
  });
}

// ---------------------------------------------------------------------------
// Literal inputs (the same arrays go to the oracle).

const PI = Math.PI;
const ANGLES = [0, PI / 4, PI / 2, PI, (3 * PI) / 4, 2 * PI];
const L = {
  lse_x: mx.array([
    [1.0, 2.0],
    [3.0, 4.0],
  ]),
  abs_a: mx.array([-1.0, 1.0, -2.0, 3.0]),
  sign_a: mx.array([-1.0, 1.0, 0.0, -2.0, 3.0]),
  sign_b: mx.array([-4.0, -3.0, 1.0, 0.0, 3.0]),
  lnot_a: mx.array([-1.0, 1.0, 0.0, 1.0, -2.0, 3.0]),
  land_a: mx.array([true, false, true, false]),
  land_b: mx.array([true, true, false, false]),
  square_a: mx.array([0.1, 0.5, 1.0, 10.0]),
  recip_a: mx.array([0.1, 0.5, 1.0, 2.0]),
  lae_a: mx.array([0, 1, 2, 9.0]),
  lae_b: mx.array([1, 0, 4, 2.5]),
  log_a: mx.array([1, 0.5, 10, 100]),
  log2_a: mx.array([0.5, 1, 2, 10, 16]),
  log10_a: mx.array([0.1, 1, 10, 20, 100]),
  exp_a: mx.array([0, 0.5, -0.5, 5]),
  expm1_a: mx.array([-88, -87, 0, 0.5, -0.5, 5, 87, 88, 89, 90]),
  angles: mx.array(ANGLES),
  rad_a: mx.array([0.0, 45.0, 90.0, 180.0, 270.0, 360.0]),
  sigmoid_a: mx.array([0.0, 1.0, -1.0, 5.0, -5.0]),
  take_a: mx.array(
    [
      [
        [1, 3],
        [-2, -2],
        [-3, -2],
      ],
      [
        [2, 4],
        [-3, 2],
        [-4, -2],
      ],
      [
        [2, 3],
        [2, 4],
        [2, 1],
      ],
      [
        [1, -5],
        [3, -1],
        [2, 3],
      ],
    ],
    mx.int32,
  ),
};
const ERF_INPUTS = [-5, 0.0, 0.5, 1.0, 2.0, 10.0];

// test_scalar_inputs: the scalar grid (Python: x in [-1, 0, 1, -1.0, 1.0], y in [True, -1, 1, -1.0, 1.0]).
const SCALAR_OPS = [
  'add',
  'subtract',
  'multiply',
  'divide',
  'floor_divide',
  'remainder',
  'equal',
  'not_equal',
  'less',
  'greater',
  'less_equal',
  'greater_equal',
  'maximum',
  'minimum',
];
const SX = [-1, 0, 1, -0.5, 0.5];
const SY = [true, -1, 1, -0.5, 0.5];

// Cases whose Python float scalar is written with a non-integral value: [Python expression, JS].
const FLOAT_SCALAR_CASES: Array<[string, () => array]> = [
  // test_scalar_inputs (Python: 1.0 + 2.0, True + 2.0, 1 + 2.0, 2.0 + True, 2.0 + 1)
  ['mx.add(0.5, 2.5)', () => mx.add(0.5, 2.5)],
  ['mx.add(True, 2.5)', () => mx.add(true, 2.5)],
  ['mx.add(1, 2.5)', () => mx.add(1, 2.5)],
  ['mx.add(2.5, True)', () => mx.add(2.5, true)],
  ['mx.add(2.5, 1)', () => mx.add(2.5, 1)],
  // test_add (Python: uint32/int64 array + 3.0 and 3.0 + array)
  ['mx.array(1, mx.uint32) + 3.5', () => mx.add(mx.array(1, mx.uint32), 3.5)],
  ['3.5 + mx.array(1, mx.uint32)', () => mx.add(3.5, mx.array(1, mx.uint32))],
  ['mx.array(1, mx.int64) + 3.5', () => mx.add(mx.array(1, mx.int64), 3.5)],
  ['3.5 + mx.array(1, mx.int64)', () => mx.add(3.5, mx.array(1, mx.int64))],
];

// assertRaises cases: [Python expression, JS].
const RAISES: Record<string, [string, () => unknown]> = {
  floor_complex: [
    'mx.floor(mx.array([22 + 3j, 19 + 98j]))',
    () =>
      mx.floor(
        mx.array([
          { re: 22, im: 3 },
          { re: 19, im: 98 },
        ]),
      ),
  ],
  ceil_complex: [
    'mx.ceil(mx.array([22 + 3j, 19 + 98j]))',
    () =>
      mx.ceil(
        mx.array([
          { re: 22, im: 3 },
          { re: 19, im: 98 },
        ]),
      ),
  ],
  tril_1d: ['mx.tril(mx.zeros((1)))', () => mx.tril(mx.zeros(1))],
  triu_1d: ['mx.triu(mx.zeros((1)))', () => mx.triu(mx.zeros(1))],
  split_axis: [
    'mx.split(mx.array([[1, 2], [3, 4], [5, 6]]), 3, axis=2)',
    () =>
      mx.split(
        mx.array(
          [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
          mx.int32,
        ),
        3,
        { axis: 2 },
      ),
  ],
  arange_nan_start: ['mx.arange(float("nan"), 1, 5)', () => mx.arange(NaN, 1, 5)],
  arange_nan_stop: ['mx.arange(0, float("nan"), 5)', () => mx.arange(0, NaN, 5)],
  arange_nan_step: ['mx.arange(0, 2, float("nan"))', () => mx.arange(0, 2, NaN)],
  arange_inf_inf: ['mx.arange(0, float("inf"), float("inf"))', () => mx.arange(0, Infinity, Infinity)],
  arange_inf_1_inf: ['mx.arange(float("inf"), 1, float("inf"))', () => mx.arange(Infinity, 1, Infinity)],
  arange_inf_1_5: ['mx.arange(float("inf"), 1, 5)', () => mx.arange(Infinity, 1, 5)],
  arange_int_max: ['mx.arange(0, 2147483647 + 1, 1)', () => mx.arange(0, 2147483647 + 1, 1)],
  arange_start_step: ['mx.arange(start=1, step=2)', () => anyMx.arange({ start: 1, step: 2 })],
};

const UNARY_NON_ARRAY = [
  'abs',
  'exp',
  'log',
  'square',
  'sqrt',
  'sin',
  'cos',
  'tan',
  'sinh',
  'cosh',
  'tanh',
  'sign',
  'negative',
  'expm1',
  'arcsin',
  'arccos',
  'arctan',
  'arcsinh',
  'arctanh',
  'degrees',
  'radians',
  'log2',
  'log10',
  'log1p',
  'floor',
  'ceil',
  'conjugate',
];
const TRIG_OPS = ['sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh'];
const UNARY_OPS = ['abs', 'exp', 'log', 'square', 'sqrt'];
const DIAGS = [-1, 0, 1, -2];
const SUM_AXES: Array<number | number[] | null> = [null, 0, 1, 2, 3, [0, 1], [2, 3], [1, 2, 3]];
const SUM_B_AXES: Array<number | number[] | null> = [null, 0, 1, [0, 1]];

// ---------------------------------------------------------------------------
// The oracle: one Python run for the whole file.

const ORACLE = `
import math
def tup(a):
    return tuple(a) if isinstance(a, list) else a
R = {}

# test_scalar_inputs / test_add: numpy's answers on the scalar grid, float-scalar cases
R["scalar_np"] = {op: [[getattr(np, op)(x, y).item() for y in SY] for x in SX] for op in SCALAR_OPS}
R["float_scalar"] = [eval(e) for e in FLOAT_SCALAR_EXPRS]

# assertRaises: the exception Python 0.32.4 raises
R["raises"] = {}
for k, e in RAISES.items():
    try:
        eval(e)
        R["raises"][k] = None
    except Exception as err:
        R["raises"][k] = type(err).__name__

# test_tri / test_tril / test_triu (assertCmpNumpy: random normal inputs)
R["tri"] = [[mx.array(np.tri(*shape, k=d)) for d in DIAGS] for shape in [[4], [4, 4], [2, 10]]]
mx.random.seed(0)
t = mx.random.normal((10, 10))
R["tril_x"] = t
R["tril"] = [mx.array(np.tril(np.array(t), k=d)) for d in DIAGS]
t = mx.random.normal((10, 10))
R["triu_x"] = t
R["triu"] = [mx.array(np.triu(np.array(t), k=d)) for d in DIAGS]

# test_sum
x_npy = np.reshape(np.arange(3 * 5 * 4 * 7).astype(np.float32), (3, 5, 4, 7))
R["sum_x"] = x_npy
R["sum"] = [np.asarray(np.sum(x_npy, axis=tup(a))) for a in SUM_AXES]
y_npy = np.broadcast_to(np.array([1.0, 2.0, 3.0, 4.0]).astype(np.float32)[0:4:2], (2, 2))
R["sum_b"] = [np.asarray(np.sum(y_npy, axis=tup(a))) for a in SUM_B_AXES]
x6 = np.arange(3 * 2 * 3 * 3 * 3 * 3).reshape(3, 2, 3, 3, 3, 3).astype(np.float32)
R["sum6_x"] = x6
R["sum6"] = x6.sum(axis=(0, 1, 3, 4, 5))

# test_argmin_argmax
np.random.seed(0)
data = np.random.rand(10, 12, 13)
R["arg_x"] = mx.array(data)
R["arg"] = {o: [[np.asarray(getattr(np, o)(data, ax, keepdims=kd)) for kd in [True, False]] for ax in range(3)] for o in ["argmin", "argmax"]}
R["arg_all_kd"] = {o: np.asarray(getattr(np, o)(data, keepdims=True)) for o in ["argmin", "argmax"]}
R["arg_all"] = {o: int(getattr(np, o)(data)) for o in ["argmin", "argmax"]}

# test_broadcast
a_npy = np.reshape(np.arange(200), (10, 20))
R["bc_a"] = a_npy
R["bc"] = [np.broadcast_to(a_npy, (30, 10, 20)), np.broadcast_to(a_npy, (1, 10, 20)), np.broadcast_to(1, (10, 20))]

# test_logsumexp
xnp = np.array(lse_x.tolist(), dtype=np.float32)
R["lse"] = np.log(np.sum(np.exp(xnp))).item()

# test_std
mx.random.seed(0)
sx = mx.random.uniform(shape=(5, 5))
R["std_x"] = sx
R["std"] = np.array(sx).std().item()

# element-wise ops against numpy
R["abs"] = np.abs(abs_a, dtype=np.float32)
R["negative"] = np.negative(abs_a, dtype=np.float32)
R["sign"] = np.sign(sign_a, dtype=np.float32)
c = sign_a + sign_b * 1j
R["sign_c"] = c / np.abs(c)
R["logical_not"] = np.logical_not(lnot_a)
land_a = land_a.astype(mx.bool_)
land_b = land_b.astype(mx.bool_)
R["logical_and"] = np.logical_and(land_a, land_b)
R["logical_or"] = np.logical_or(land_a, land_b)
R["square"] = np.square(square_a, dtype=np.float32)
R["sqrt"] = np.sqrt(square_a, dtype=np.float32)
R["rsqrt"] = 1.0 / np.sqrt(square_a, dtype=np.float32)
R["reciprocal"] = np.reciprocal(recip_a, dtype=np.float32)
R["logaddexp"] = np.logaddexp(lae_a, lae_b, dtype=np.float32)
R["log"] = np.log(log_a, dtype=np.float32)
R["log2"] = np.log2(log2_a, dtype=np.float32)
R["log10"] = np.log10(log10_a, dtype=np.float32)
R["exp"] = np.exp(exp_a, dtype=np.float32)
errs = np.seterr(over="ignore")
R["expm1"] = np.expm1(expm1_a)
np.seterr(over=errs["over"])
R["erf"] = np.array([math.erf(i) for i in ERF_INPUTS])
R["sin"] = np.sin(angles, dtype=np.float32)
R["cos"] = np.cos(angles, dtype=np.float32)
R["degrees"] = np.degrees(angles, dtype=np.float32)
R["radians"] = np.radians(rad_a, dtype=np.float32)
R["log1p"] = np.log1p(log_a, dtype=np.float32)
R["sigmoid"] = 1 / (1 + np.exp(-sigmoid_a, dtype=np.float32))

# test_take
a_npy = np.array(take_a)
R["take"] = [
    np.take(a_npy, np.array([0, -1])),
    np.take(a_npy, np.array([-1, 2, 0]), axis=0),
    np.take(a_npy, np.array([0, 0, -2]), axis=1),
    np.take(a_npy, np.array([0, -1, -1]), axis=-1),
]
a8 = np.arange(8 * 8 * 8, dtype=np.int32).reshape((8, 8, 8))
i8 = np.arange(6, dtype=np.uint32).reshape((2, 3))
R["take_a8"] = a8
R["take_i8"] = i8
R["take8"] = [np.take(a8, i8)] + [np.take(a8, i8, axis=ax) for ax in range(3)]

# test_take_along_axis
a_np = np.arange(8).reshape(2, 2, 2)
idx_np = np.array([1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0])
R["tal_a"] = a_np
R["tal_idx"] = idx_np
R["tal"] = []
for ax in [None, 0, 1, 2]:
    if ax == None:
        shape = [-1]
    else:
        shape = [2] * 3
        shape[ax] = 3
    R["tal"].append(np.take_along_axis(a_np, idx_np.reshape(shape), axis=ax))

# test_put_along_axis
np.random.seed(0)
R["pal"] = []
for ax in [None, 0, 1, 2]:
    a_np = np.arange(16).reshape(2, 2, 4).astype(np.int32)
    if ax == None:
        idx_np = np.random.permutation(a_np.size)
        values_np = np.random.randint(low=0, high=100, size=(16,))
    else:
        shape = list(a_np.shape)
        shape[ax] = 2
        idx_np = np.random.choice(a_np.shape[ax], replace=False, size=(2,))
        idx_np = np.expand_dims(idx_np, list(range(1, 2 - ax + 1)))
        idx_np = np.broadcast_to(idx_np, shape)
        values_np = np.random.randint(low=0, high=100, size=shape)
    case = {"a": a_np.copy(), "idx": np.ascontiguousarray(idx_np), "values": values_np}
    np.put_along_axis(a_np, idx_np, values_np, axis=ax)
    case["expected"] = a_np
    R["pal"].append(case)

# test_unary_ops
np.random.seed(0)
x = np.random.rand(18, 28, 38)
R["unary"] = {}
for dtype in ["float16", "float32"]:
    x_ = x.astype(getattr(np, dtype))
    R["unary"][dtype] = {"x": x_, "r": {o: getattr(np, o)(x_) for o in UNARY_OPS}}

# test_unary_ops_from_non_array (the scalar half)
R["non_array"] = {o: getattr(np, o)(0.5) for o in UNARY_NON_ARRAY}

# test_trig_ops
np.random.seed(0)
x = np.random.rand(9, 12, 18)
xi = np.random.rand(9, 12, 18)
T = {"in": {}, "fwd": {}, "cfwd": {}, "arc": {}, "grad": {}, "arcgrad": {}}
for dtype in ["float16", "float32"]:
    T["in"][dtype] = x.astype(getattr(np, dtype))
T["xc"] = (x + 1.0j * xi).astype(np.complex64)
for o in TRIG_OPS:
    T["fwd"][o] = {dt: getattr(np, o)(T["in"][dt]) for dt in ["float16", "float32"]}
    T["cfwd"][o] = getattr(np, o)(T["xc"])
    T["arc"][o] = {}
    for dt in ["float16", "float32"]:
        x_ = getattr(np, o)(x).astype(getattr(np, dt))
        T["arc"][o][dt] = {"x": x_, "r": getattr(np, "arc" + o)(x_)}
np_vjp_funcs = {
    "sin": lambda primal, cotan: cotan * np.cos(primal),
    "cos": lambda primal, cotan: -cotan * np.sin(primal),
    "tan": lambda primal, cotan: cotan / (np.cos(primal) ** 2),
    "sinh": lambda primal, cotan: cotan * np.cosh(primal),
    "cosh": lambda primal, cotan: cotan * np.sinh(primal),
    "tanh": lambda primal, cotan: cotan / (np.cosh(primal) ** 2),
    "arcsin": lambda primal, cotan: cotan / np.sqrt(1.0 - primal**2),
    "arccos": lambda primal, cotan: -cotan / np.sqrt(1.0 - primal**2),
    "arctan": lambda primal, cotan: cotan / (1.0 + primal**2),
    "arcsinh": lambda primal, cotan: cotan / np.sqrt(primal**2 + 1),
    "arccosh": lambda primal, cotan: cotan / np.sqrt(primal**2 - 1),
    "arctanh": lambda primal, cotan: cotan / (1.0 - primal**2),
}
T["primal"] = xi.astype(np.float32)
T["cot"] = x.astype(np.float32)
for o in TRIG_OPS:
    T["grad"][o] = np_vjp_funcs[o](T["primal"], T["cot"])
    primal_np = getattr(np, o)(xi).astype(np.float32)
    if o == "cosh":
        primal_np[np.isclose(primal_np, 1.0)] += 1e-3
    elif o == "cos":
        primal_np[np.isclose(primal_np, 1.0)] -= 1e-3
    T["arcgrad"][o] = {"primal": primal_np, "r": np_vjp_funcs["arc" + o](primal_np, T["cot"])}
R["trig"] = T
out = R
`;

const R = py<any>(ORACLE, {
  ...L,
  // (bool arrays travel as uint8: mlx_tests.ts's encoder names bool 'bool', which Python lacks)
  land_a: L.land_a.astype(mx.uint8),
  land_b: L.land_b.astype(mx.uint8),
  SX,
  SY,
  SCALAR_OPS,
  FLOAT_SCALAR_EXPRS: FLOAT_SCALAR_CASES.map(([e]) => e),
  RAISES: Object.fromEntries(Object.entries(RAISES).map(([k, [e]]) => [k, e])),
  DIAGS,
  SUM_AXES,
  SUM_B_AXES,
  ERF_INPUTS,
  UNARY_OPS,
  UNARY_NON_ARRAY,
  TRIG_OPS,
});

function raises(key: keyof typeof RAISES): void {
  assertRaisesLike(RAISES[key][1], R.raises[key], RAISES[key][0]);
}

// ---------------------------------------------------------------------------

describe('TestOps', () => {
  test('test_full_ones_zeros', () => {
    let x = mx.full(2, 3.0);
    assert.deepEqual(x.shape, [2]);
    assertListEqual(x.tolist(), [3.0, 3.0]);

    // Python: mx.full((2, 3), 2.0) (a float scalar: here a float32 array)
    x = mx.full([2, 3], mx.array(2.0));
    assert.equal(x.dtype, mx.float32);
    assert.deepEqual(x.shape, [2, 3]);
    assertListEqual(x.tolist(), [
      [2, 2, 2],
      [2, 2, 2],
    ]);

    x = mx.full([3, 2], mx.array([false, true]));
    assert.equal(x.dtype, mx.bool_);
    assertListEqual(x.tolist(), [
      [false, true],
      [false, true],
      [false, true],
    ]);

    x = mx.full([3, 2], mx.array([2.0, 3.0]));
    assertListEqual(x.tolist(), [
      [2, 3],
      [2, 3],
      [2, 3],
    ]);

    x = mx.zeros(2);
    assert.deepEqual(x.shape, [2]);
    assertListEqual(x.tolist(), [0.0, 0.0]);

    x = mx.ones(2);
    assert.deepEqual(x.shape, [2]);
    assertListEqual(x.tolist(), [1.0, 1.0]);

    for (const t of [mx.bool_, mx.int32, mx.float32]) {
      x = mx.zeros([2, 2], t);
      assert.equal(x.dtype, t);
      assertTrueArray(
        mx.arrayEqual(
          x,
          mx.array(
            [
              [0, 0],
              [0, 0],
            ],
            mx.int32,
          ),
        ),
      );
      let y = mx.zerosLike(x);
      assert.equal(y.dtype, t);
      assertTrueArray(mx.arrayEqual(y, x));

      x = mx.ones([2, 2], t);
      assert.equal(x.dtype, t);
      assertTrueArray(
        mx.arrayEqual(
          x,
          mx.array(
            [
              [1, 1],
              [1, 1],
            ],
            mx.int32,
          ),
        ),
      );
      y = mx.onesLike(x);
      assert.equal(y.dtype, t);
      assertTrueArray(mx.arrayEqual(y, x));
    }
  });

  test('test_scalar_inputs', () => {
    // Check combinations of python types
    let a = mx.add(false, true);
    assert.equal(a.dtype, mx.bool_);
    assert.equal(a.item(), true);

    a = mx.add(1, 2);
    assert.equal(a.dtype, mx.int32);
    assert.equal(a.item(), 3);

    a = mx.add(true, 2);
    assert.equal(a.dtype, mx.int32);
    assert.equal(a.item(), 3);

    a = mx.add(2, true);
    assert.equal(a.dtype, mx.int32);
    assert.equal(a.item(), 3);

    // Python: mx.add(1.0, 2.0), mx.add(True, 2.0), mx.add(1, 2.0), mx.add(2.0, True),
    // mx.add(2.0, 1): float32 results (written with non-integral floats, see the header)
    FLOAT_SCALAR_CASES.slice(0, 5).forEach(([expr, js], i) => {
      const got = js();
      assert.equal(got.dtype, mx.float32, expr);
      assertEqualArray(got, R.float_scalar[i], { ...EXACT, msg: expr });
    });

    // Check combinations with mlx arrays
    a = mx.add(mx.array(true), false);
    assert.equal(a.dtype, mx.bool_);
    assert.equal(a.item(), true);

    a = mx.add(mx.array(1, mx.int32), false);
    assert.equal(a.dtype, mx.int32);
    assert.equal(a.item(), 1.0);

    // Edge case: take the type of the scalar
    a = mx.add(mx.array(true), 1);
    assert.equal(a.dtype, mx.int32);
    assert.equal(a.item(), 2);

    a = mx.add(mx.array(1.0), 1);
    assert.equal(a.dtype, mx.float32);
    assert.equal(a.item(), 2.0);

    a = mx.add(1, mx.array(1.0));
    assert.equal(a.dtype, mx.float32);
    assert.equal(a.item(), 2.0);

    for (const name of SCALAR_OPS) {
      const mlxop = op(name);
      // Avoid subtract from bool and divide by 0
      SX.forEach((x, i) =>
        SY.forEach((y, j) => {
          const got = mlxop(x, y).item();
          const want = R.scalar_np[name][i][j];
          assert.ok(pyEq(got, want), `${name}(${x}, ${y}): numpy ${want}, mlx-node ${got}`);
        }),
      );
    }
  });

  test('test_add', () => {
    let x = mx.array(1, mx.int32);
    const y = mx.array(1, mx.int32);
    let z = mx.add(x, y);
    assert.equal(z.item(), 2);

    x = mx.array(false, mx.bool_);
    z = mx.add(x, 1);
    assert.equal(z.dtype, mx.int32);
    assert.equal(z.item(), 1);
    z = mx.add(2, x);
    assert.equal(z.dtype, mx.int32);
    assert.equal(z.item(), 2);

    x = mx.array(1, mx.uint32);
    z = mx.add(x, 3);
    assert.equal(z.dtype, mx.uint32);
    assert.equal(z.item(), 4);

    z = mx.add(3, x);
    assert.equal(z.dtype, mx.uint32);
    assert.equal(z.item(), 4);

    // Python: x + 3.0 and 3.0 + x for uint32 and int64 x (float32 4.0): 3.5 here
    FLOAT_SCALAR_CASES.slice(5).forEach(([expr, js], i) => {
      const got = js();
      assert.equal(got.dtype, mx.float32, expr);
      assertEqualArray(got, R.float_scalar[5 + i], { ...EXACT, msg: expr });
    });

    x = mx.array(1, mx.int64);
    z = mx.add(x, 3);
    assert.equal(z.dtype, mx.int64);
    assert.equal(z.item(), 4);
    z = mx.add(3, x);
    assert.equal(z.dtype, mx.int64);
    assert.equal(z.item(), 4);

    x = mx.array(1, mx.float32);
    z = mx.add(x, 3);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 4);
    z = mx.add(3, x);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 4);
  });

  test('test_subtract', () => {
    const x = mx.array(4.0);
    const y = mx.array(3.0);

    let z = mx.subtract(x, y);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 1.0);

    z = mx.subtract(x, 3.0);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 1.0);

    z = mx.subtract(5.0, x);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 1.0);
  });

  test('test_multiply', () => {
    const x = mx.array(2.0);
    const y = mx.array(3.0);

    let z = mx.multiply(x, y);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 6.0);

    z = mx.multiply(x, 3.0);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 6.0);

    z = mx.multiply(3.0, x);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 6.0);
  });

  test('test_divide', () => {
    let x = mx.array(2.0);
    let y = mx.array(4.0);

    let z = mx.divide(x, y);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 0.5);

    z = mx.divide(x, 4.0);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 0.5);

    z = mx.divide(1.0, x);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 0.5);

    x = x.astype(mx.float16);
    z = mx.divide(x, 4.0);
    assert.equal(z.dtype, mx.float16);

    x = x.astype(mx.float16);
    z = mx.divide(4.0, x);
    assert.equal(z.dtype, mx.float16);

    x = mx.array(5, mx.int32);
    y = mx.array(2, mx.int32);
    z = mx.divide(x, y);
    assert.equal(z.dtype, mx.float32);
    assert.equal(z.item(), 2.5);

    z = mx.floorDivide(x, y);
    assert.equal(z.dtype, mx.int32);
    assert.equal(z.item(), 2);
  });

  test('test_remainder', () => {
    for (const dt of [mx.int32, mx.float32]) {
      let x = mx.array(2, dt);
      const y = mx.array(4, dt);

      const z1 = mx.remainder(x, y);
      const z2 = mx.remainder(y, x);
      assert.equal(z1.dtype, dt);
      assert.equal(z1.item(), 2);
      assert.equal(z2.item(), 0);

      let z = mx.remainder(x, 4);
      assert.equal(z.dtype, dt);
      assert.equal(z.item(), 2);

      z = mx.remainder(1, x);
      assert.equal(z.dtype, dt);
      assert.equal(z.item(), 1);

      z = mx.remainder(-1, x);
      assert.equal(z.dtype, dt);
      assert.equal(z.item(), 1);

      z = mx.remainder(-1, mx.negative(x));
      assert.equal(z.dtype, dt);
      assert.equal(z.item(), -1);

      x = mx.subtract(mx.arange(10).astype(dt), 5);
      const yy = mx.remainder(x, 5);
      const zz = mx.remainder(x, -5);
      assertListEqual(yy.tolist(), [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
      assertListEqual(zz.tolist(), [0, -4, -3, -2, -1, 0, -4, -3, -2, -1]);
    }
  });

  test('test_comparisons', () => {
    let a = mx.array([0.0, 1.0, 5.0]);
    let b = mx.array([-1.0, 2.0, 5.0]);

    assertListEqual(mx.less(a, b).tolist(), [false, true, false]);
    assertListEqual(mx.lessEqual(a, b).tolist(), [false, true, true]);
    assertListEqual(mx.greater(a, b).tolist(), [true, false, false]);
    assertListEqual(mx.greaterEqual(a, b).tolist(), [true, false, true]);

    assertListEqual(mx.less(a, 5).tolist(), [true, true, false]);
    assertListEqual(mx.less(5, a).tolist(), [false, false, false]);
    assertListEqual(mx.lessEqual(5, a).tolist(), [false, false, true]);
    assertListEqual(mx.greater(a, 1).tolist(), [false, false, true]);
    assertListEqual(mx.greaterEqual(a, 1).tolist(), [false, true, true]);

    a = mx.array([0.0, 1.0, 5.0, -1.0]);
    b = mx.array([0.0, 2.0, 5.0, 3.0]);
    assertListEqual(mx.equal(a, b).tolist(), [true, false, true, false]);
    assertListEqual(mx.notEqual(a, b).tolist(), [false, true, false, true]);
  });

  test('test_array_equal', () => {
    let x = mx.array([1, 2, 3, 4], mx.int32);
    let y = mx.array([1, 2, 3, 4], mx.int32);
    assertTrueArray(mx.arrayEqual(x, y));

    y = mx.array([1, 2, 4, 5], mx.int32);
    assertFalseArray(mx.arrayEqual(x, y));

    y = mx.array([1, 2, 3], mx.int32);
    assertFalseArray(mx.arrayEqual(x, y));

    // Can still be equal with different types
    y = mx.array([1.0, 2.0, 3.0, 4.0]);
    assertTrueArray(mx.arrayEqual(x, y));

    x = mx.array([0.0, NaN]);
    y = mx.array([0.0, NaN]);
    assertFalseArray(mx.arrayEqual(x, y));
    assertTrueArray(mx.arrayEqual(x, y, { equalNan: true }));

    for (const t of [mx.float32, mx.float16, mx.bfloat16, mx.complex64]) {
      x = mx.array([0.0, NaN]).astype(t);
      y = mx.array([0.0, NaN]).astype(t);
      assertFalseArray(mx.arrayEqual(x, y), String(t));
      assertTrueArray(mx.arrayEqual(x, y, { equalNan: true }), String(t));
    }
  });

  test('test_isnan', () => {
    let x = mx.array([0.0, NaN]);
    assertListEqual(mx.isnan(x).tolist(), [false, true]);

    x = mx.array([0.0, NaN]).astype(mx.float16);
    assertListEqual(mx.isnan(x).tolist(), [false, true]);

    x = mx.array([0.0, NaN]).astype(mx.bfloat16);
    assertListEqual(mx.isnan(x).tolist(), [false, true]);

    x = mx.array([0.0, NaN]).astype(mx.complex64);
    assertListEqual(mx.isnan(x).tolist(), [false, true]);

    assertListEqual(mx.isnan(mx.multiply(0, mx.array(Infinity))).tolist(), true);
  });

  test('test_isinf', () => {
    let x = mx.array([0.0, Infinity]);
    assertListEqual(mx.isinf(x).tolist(), [false, true]);

    x = mx.array([0.0, Infinity]).astype(mx.float16);
    assertListEqual(mx.isinf(x).tolist(), [false, true]);

    x = mx.array([0.0, Infinity]).astype(mx.bfloat16);
    assertListEqual(mx.isinf(x).tolist(), [false, true]);

    x = mx.array([0.0, Infinity]).astype(mx.complex64);
    assertListEqual(mx.isinf(x).tolist(), [false, true]);

    assertListEqual(mx.isinf(mx.multiply(0, mx.array(Infinity))).tolist(), false);

    x = mx.array([-2147483648, 0, 2147483647], mx.int32);
    let result = mx.isinf(x);
    assertListEqual(result.tolist(), [false, false, false]);

    x = mx.array([-32768, 0, 32767], mx.int16);
    result = mx.isinf(x);
    assertListEqual(result.tolist(), [false, false, false]);
  });

  test('test_isfinite', () => {
    let x = mx.array([0.0, Infinity, NaN]);
    assertListEqual(mx.isfinite(x).tolist(), [true, false, false]);

    x = x.astype(mx.float16);
    assertListEqual(mx.isfinite(x).tolist(), [true, false, false]);

    x = x.astype(mx.bfloat16);
    assertListEqual(mx.isfinite(x).tolist(), [true, false, false]);
  });

  test('test_tri', () => {
    [[4], [4, 4], [2, 10]].forEach((shape, i) => {
      DIAGS.forEach((diag, j) => {
        // assertCmpNumpy(shape, mx.tri, np.tri, k=diag)
        assertEqualArray(anyMx.tri(...shape, { k: diag }), R.tri[i][j], {
          atol: 1e-2,
          rtol: 1e-2,
          msg: `tri(${shape}, k=${diag})`,
        });
      });
    });
    assert.equal(mx.tri(1, 1).dtype, mx.float32);
    assert.equal(mx.tri(1, 1, { dtype: mx.bfloat16 }).dtype, mx.bfloat16);
  });

  test('test_tril', () => {
    DIAGS.forEach((diag, j) => {
      assertEqualArray(mx.tril(R.tril_x, { k: diag }), R.tril[j], { atol: 1e-2, rtol: 1e-2, msg: `k=${diag}` });
    });

    raises('tril_1d');
  });

  test('test_triu', () => {
    DIAGS.forEach((diag, j) => {
      assertEqualArray(mx.triu(R.triu_x, { k: diag }), R.triu[j], { atol: 1e-2, rtol: 1e-2, msg: `k=${diag}` });
    });
    raises('triu_1d');
  });

  test('test_minimum', () => {
    const x = mx.array([0.0, -5, 10.0]);
    const y = mx.array([1.0, -7.0, 3.0]);

    const expected = [0, -7, 3];
    assertListEqual(mx.minimum(x, y).tolist(), expected);

    const a = mx.array([NaN]);
    const b = mx.array([0.0]);
    assert.ok(Number.isNaN(mx.minimum(a, b).item()));
    assert.ok(Number.isNaN(mx.minimum(b, a).item()));
  });

  test('test_maximum', () => {
    const x = mx.array([0.0, -5, 10.0]);
    const y = mx.array([1.0, -7.0, 3.0]);

    const expected = [1, -5, 10];
    assertListEqual(mx.maximum(x, y).tolist(), expected);

    const a = mx.array([NaN]);
    const b = mx.array([0.0]);
    assert.ok(Number.isNaN(mx.maximum(a, b).item()));
    assert.ok(Number.isNaN(mx.maximum(b, a).item()));
  });

  test('test_floor', () => {
    const x = mx.array([-22.03, 19.98, -27, 9, 0.0, -Infinity, Infinity]);
    const expected = [-23, 19, -27, 9, 0, -Infinity, Infinity];
    assertListEqual(mx.floor(x).tolist(), expected);

    raises('floor_complex');
  });

  test('test_ceil', () => {
    const x = mx.array([-22.03, 19.98, -27, 9, 0.0, -Infinity, Infinity]);
    const expected = [-22, 20, -27, 9, 0, -Infinity, Infinity];
    assertListEqual(mx.ceil(x).tolist(), expected);

    raises('ceil_complex');
  });

  test('test_isposinf', () => {
    let x = mx.array([0.0, -Infinity]);
    assertListEqual(mx.isposinf(x).tolist(), [false, false]);

    x = mx.array([0.0, -Infinity]).astype(mx.float16);
    assertListEqual(mx.isposinf(x).tolist(), [false, false]);

    x = mx.array([0.0, -Infinity]).astype(mx.bfloat16);
    assertListEqual(mx.isposinf(x).tolist(), [false, false]);

    x = mx.array([0.0, -Infinity]).astype(mx.complex64);
    assertListEqual(mx.isposinf(x).tolist(), [false, false]);

    assertListEqual(mx.isposinf(mx.multiply(0, mx.array(Infinity))).tolist(), false);

    x = mx.array([-2147483648, 0, 2147483647], mx.int32);
    let result = mx.isposinf(x);
    assertListEqual(result.tolist(), [false, false, false]);

    x = mx.array([-32768, 0, 32767], mx.int16);
    result = mx.isposinf(x);
    assertListEqual(result.tolist(), [false, false, false]);
  });

  test('test_isneginf', () => {
    let x = mx.array([0.0, -Infinity]);
    assertListEqual(mx.isneginf(x).tolist(), [false, true]);

    x = mx.array([0.0, -Infinity]).astype(mx.float16);
    assertListEqual(mx.isneginf(x).tolist(), [false, true]);

    x = mx.array([0.0, -Infinity]).astype(mx.bfloat16);
    assertListEqual(mx.isneginf(x).tolist(), [false, true]);

    x = mx.array([0.0, -Infinity]).astype(mx.complex64);
    assertListEqual(mx.isneginf(x).tolist(), [false, true]);

    assertListEqual(mx.isneginf(mx.multiply(0, mx.array(Infinity))).tolist(), false);

    x = mx.array([-2147483648, 0, 2147483647], mx.int32);
    let result = mx.isneginf(x);
    assertListEqual(result.tolist(), [false, false, false]);

    x = mx.array([-32768, 0, 32767], mx.int16);
    result = mx.isneginf(x);
    assertListEqual(result.tolist(), [false, false, false]);
  });

  test('test_round', () => {
    // float
    const x = mx.array([0.5, -0.5, 1.5, -1.5, -21.03, 19.98, -27, 9, 0.0, -Infinity, Infinity]);
    const expected = [0, -0, 2, -2, -21, 20, -27, 9, 0, -Infinity, Infinity];
    assertListEqual(mx.round(x).tolist(), expected);

    // complex
    const y = mx.round(
      mx.array([
        { re: 22.2, im: 3.6 },
        { re: 18.5, im: 98.2 },
      ]),
    );
    assertListEqual(y.tolist(), [
      { re: 22, im: 4 },
      { re: 18, im: 98 },
    ]);

    // decimals
    const y0 = mx.round(mx.array([15, 122], mx.int32), { decimals: 0 });
    let y1 = mx.round(mx.array([15, 122], mx.int32), { decimals: -1 });
    let y2 = mx.round(mx.array([15, 122], mx.int32), { decimals: -2 });
    assert.equal(y0.dtype, mx.int32);
    assert.equal(y1.dtype, mx.int32);
    assert.equal(y2.dtype, mx.int32);
    assertListEqual(y0.tolist(), [15, 122]);
    assertListEqual(y1.tolist(), [20, 120]);
    assertListEqual(y2.tolist(), [0, 100]);

    y1 = mx.round(mx.array([1.537, 1.471], mx.float32), { decimals: 1 });
    y2 = mx.round(mx.array([1.537, 1.471], mx.float32), { decimals: 2 });
    assertTrueArray(mx.allclose(y1, mx.array([1.5, 1.5])));
    assertTrueArray(mx.allclose(y2, mx.array([1.54, 1.47])));

    // check round to nearest for different types
    for (const dtype of [mx.bfloat16, mx.float16, mx.float32]) {
      let v = mx.subtract(mx.arange(10, { dtype }), 4.5);
      v = mx.round(v);
      assertListEqual(
        v.astype(mx.float32).tolist(),
        [-4.0, -4.0, -2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 4.0, 4.0],
        String(dtype),
      );
    }
  });

  test('test_transpose_noargs', () => {
    const x = mx.array(
      [
        [0, 1, 1],
        [1, 0, 0],
      ],
      mx.int32,
    );

    const expected = [
      [0, 1],
      [1, 0],
      [1, 0],
    ];

    assertListEqual(mx.transpose(x).tolist(), expected);
  });

  test('test_transpose_axis', () => {
    const x = mx.array(
      [
        [
          [0, 1, 2, 3],
          [4, 5, 6, 7],
          [8, 9, 10, 11],
        ],
        [
          [12, 13, 14, 15],
          [16, 17, 18, 19],
          [20, 21, 22, 23],
        ],
      ],
      mx.int32,
    );
    const expected = [
      [
        [0, 4, 8],
        [1, 5, 9],
        [2, 6, 10],
        [3, 7, 11],
      ],
      [
        [12, 16, 20],
        [13, 17, 21],
        [14, 18, 22],
        [15, 19, 23],
      ],
    ];

    assertListEqual(mx.transpose(x, { axes: [0, 2, 1] }).tolist(), expected);
  });

  test('test_move_swap_axes', () => {
    const x = mx.zeros([2, 3, 4]);
    assert.deepEqual(mx.moveaxis(x, 0, 2).shape, [3, 4, 2]);
    assert.deepEqual(x.moveaxis(0, 2).shape, [3, 4, 2]);
    assert.deepEqual(mx.swapaxes(x, 0, 2).shape, [4, 3, 2]);
    assert.deepEqual(x.swapaxes(0, 2).shape, [4, 3, 2]);
  });

  test('test_sum', () => {
    const x = mx.array(
      [
        [1, 2],
        [3, 3],
      ],
      mx.int32,
    );
    assert.equal(mx.sum(x).item(), 9);
    const y = mx.sum(x, { keepdims: true });
    assert.equal(y.item(), 9); // assertEqual(y, mx.array(9))
    assert.deepEqual(y.shape, [1, 1]);

    assertListEqual(mx.sum(x, { axis: 0 }).tolist(), [4, 5]);
    assertListEqual(mx.sum(x, { axis: 1 }).tolist(), [3, 6]);

    const xMlx: array = R.sum_x;
    SUM_AXES.forEach((axis, i) => {
      // np.all(np.sum(x_npy, axis) == mx.sum(x_mlx, axis)), shapes equal
      assertEqualArray(mx.sum(xMlx, { axis }), R.sum[i], { ...EXACT, msg: `axis=${JSON.stringify(axis)}` });
    });

    const x4 = mx.array([1.0, 2.0, 3.0, 4.0]);
    let yMlx = x4.index('0:4:2');
    yMlx = mx.broadcastTo(yMlx, [2, 2]);

    SUM_B_AXES.forEach((axis, i) => {
      assertEqualArray(mx.sum(yMlx, { axis }), R.sum_b[i], { ...EXACT, msg: `axis=${JSON.stringify(axis)}` });
    });

    const x6: array = R.sum6_x;
    const y6 = x6.sum({ axis: [0, 1, 3, 4, 5] });
    assertEqualArray(y6, R.sum6, EXACT);
  });

  test('test_prod', () => {
    const x = mx.array(
      [
        [1, 2],
        [3, 3],
      ],
      mx.int32,
    );
    assert.equal(mx.prod(x).item(), 18);
    const y = mx.prod(x, { keepdims: true });
    assert.equal(y.item(), 18);
    assert.deepEqual(y.shape, [1, 1]);

    assertListEqual(mx.prod(x, { axis: 0 }).tolist(), [3, 6]);
    assertListEqual(mx.prod(x, { axis: 1 }).tolist(), [2, 9]);
  });

  test('test_min_and_max', () => {
    const x = mx.array(
      [
        [1, 2],
        [3, 4],
      ],
      mx.int32,
    );
    assert.equal(mx.min(x).item(), 1);
    assert.equal(mx.max(x).item(), 4);
    let y = mx.min(x, { keepdims: true });
    assert.deepEqual(y.shape, [1, 1]);
    assert.equal(y.item(), 1);

    y = mx.max(x, { keepdims: true });
    assert.deepEqual(y.shape, [1, 1]);
    assert.equal(y.item(), 4);

    assertListEqual(mx.min(x, { axis: 0 }).tolist(), [1, 2]);
    assertListEqual(mx.min(x, { axis: 1 }).tolist(), [1, 3]);
    assertListEqual(mx.max(x, { axis: 0 }).tolist(), [3, 4]);
    assertListEqual(mx.max(x, { axis: 1 }).tolist(), [2, 4]);
  });

  test('test_argmin_argmax', () => {
    const x: array = R.arg_x;
    for (const name of ['argmin', 'argmax']) {
      for (let axis = 0; axis < 3; axis++) {
        [true, false].forEach((kd, k) => {
          const a = op(name)(x, axis, kd);
          assertEqualArray(a, R.arg[name][axis][k], { ...EXACT, dtype: false, msg: `${name} axis=${axis} kd=${kd}` });
        });
      }
    }

    for (const name of ['argmin', 'argmax']) {
      let a = op(name)(x, { keepdims: true });
      assertEqualArray(a, R.arg_all_kd[name], { ...EXACT, dtype: false, msg: name });
      a = op(name)(x);
      assert.equal(a.item(), R.arg_all[name]);
    }
  });

  test('test_broadcast', () => {
    const aMlx: array = R.bc_a;

    let bMlx = mx.broadcastTo(aMlx, [30, 10, 20]);
    assertEqualArray(bMlx, R.bc[0], { ...EXACT, dtype: false });

    bMlx = mx.broadcastTo(aMlx, [1, 10, 20]);
    assertEqualArray(bMlx, R.bc[1], { ...EXACT, dtype: false });

    bMlx = mx.broadcastTo(1, [10, 20]);
    assertEqualArray(bMlx, R.bc[2], { ...EXACT, dtype: false });
  });

  test('test_logsumexp', () => {
    const x = L.lse_x;
    const expected: number = R.lse;
    // math.isclose (rel_tol=1e-09)
    const got = mx.logsumexp(x).item() as number;
    assert.ok(Math.abs(got - expected) <= 1e-9 * Math.max(Math.abs(got), Math.abs(expected)), `${got} vs ${expected}`);
  });

  test('test_mean', () => {
    const x = mx.array(
      [
        [1, 2],
        [3, 4],
      ],
      mx.int32,
    );
    assert.equal(mx.mean(x).item(), 2.5);
    const y = mx.mean(x, { keepdims: true });
    assert.equal(y.item(), 2.5);
    assert.deepEqual(y.shape, [1, 1]);

    assertListEqual(mx.mean(x, { axis: 0 }).tolist(), [2, 3]);
    assertListEqual(mx.mean(x, { axis: 1 }).tolist(), [1.5, 3.5]);
  });

  test('test_var', () => {
    let x = mx.array(
      [
        [1, 2],
        [3, 4],
      ],
      mx.int32,
    );
    assert.equal(mx.var(x).item(), 1.25);
    const y = mx.var(x, { keepdims: true });
    assert.equal(y.item(), 1.25);
    assert.deepEqual(y.shape, [1, 1]);

    assertListEqual(mx.var(x, { axis: 0 }).tolist(), [1.0, 1.0]);
    assertListEqual(mx.var(x, { axis: 1 }).tolist(), [0.25, 0.25]);

    x = mx.array([1.0, 2.0]);
    let out = mx.var(x, { ddof: 2 });
    assert.equal(out.item(), Infinity);

    x = mx.array([1.0, 2.0]);
    out = mx.var(x, { ddof: 3 });
    assert.equal(out.item(), Infinity);
  });

  test('test_std', () => {
    const x: array = R.std_x;
    // assertAlmostEqual(..., places=6)
    const got = mx.std(x).item() as number;
    assert.ok(Math.abs(got - R.std) < 5e-7, `${got} vs ${R.std}`);
  });

  test('test_abs', () => {
    const a = L.abs_a;
    const result = mx.abs(a);
    assertEqualArray(result, R.abs, NP);

    assertEqualArray(a.abs(), mx.abs(a), NP);
  });

  test('test_negative', () => {
    const result = mx.negative(L.abs_a);
    assertEqualArray(result, R.negative, NP);
  });

  test('test_sign', () => {
    let a = L.sign_a;
    let result = mx.sign(a);
    assertEqualArray(result, R.sign, NP);

    a = L.sign_a;
    const b = L.sign_b;
    const c = mx.add(a, mx.multiply(b, { re: 0, im: 1 }));
    result = mx.sign(c);
    // np.sign differs in NumPy 1 and 2, so the Python test uses c / np.abs(c).
    assertEqualArray(result, R.sign_c, NP);
  });

  test('test_logical_not', () => {
    const result = mx.logicalNot(L.lnot_a);
    assertEqualArray(result, R.logical_not, EXACT);
  });

  test('test_logical_and', () => {
    const a = L.land_a;
    const b = L.land_b;
    let result = mx.logicalAnd(a, b);
    assertEqualArray(result, R.logical_and, EXACT);

    // test overloaded operator (a & b)
    result = mx.bitwiseAnd(a, b);
    assertEqualArray(result, R.logical_and, EXACT);
  });

  test('test_logical_or', () => {
    const a = L.land_a;
    const b = L.land_b;
    let result = mx.logicalOr(a, b);
    assertEqualArray(result, R.logical_or, EXACT);

    // test overloaded operator (a | b)
    result = mx.bitwiseOr(a, b);
    assertEqualArray(result, R.logical_or, EXACT);
  });

  test('test_square', () => {
    assertEqualArray(mx.square(L.square_a), R.square, NP);
  });

  test('test_sqrt', () => {
    assertEqualArray(mx.sqrt(L.square_a), R.sqrt, NP);
  });

  test('test_rsqrt', () => {
    assertEqualArray(mx.rsqrt(L.square_a), R.rsqrt, NP);
  });

  test('test_reciprocal', () => {
    assertEqualArray(mx.reciprocal(L.recip_a), R.reciprocal, NP);
  });

  test('test_logaddexp', () => {
    const result = mx.logaddexp(L.lae_a, L.lae_b);
    assertEqualArray(result, R.logaddexp, NP);

    const a = mx.array([NaN]);
    const b = mx.array([0.0]);
    assert.ok(Number.isNaN(mx.logaddexp(a, b).item()));
  });

  test('test_log', () => {
    assertEqualArray(mx.log(L.log_a), R.log, NP);
  });

  test('test_log2', () => {
    assertEqualArray(mx.log2(L.log2_a), R.log2, NP);
  });

  test('test_log10', () => {
    assertEqualArray(mx.log10(L.log10_a), R.log10, NP);
  });

  test('test_exp', () => {
    assertEqualArray(mx.exp(L.exp_a), R.exp, NP);
  });

  test('test_expm1', () => {
    const result = mx.expm1(L.expm1_a);
    assertEqualArray(result, R.expm1, { rtol: 1e-3, atol: 1e-4, dtype: false });
  });

  test('test_erf', () => {
    const x = mx.array(ERF_INPUTS);
    assertEqualArray(mx.erf(x), R.erf, NP);
  });

  test('test_erfinv', () => {
    const inputs = [-5.0, -1.0, 0.5, 0.0, 0.5, 1.0, 5.0];
    const x = mx.array(inputs);
    // Output of:
    // scipy.special.erfinv([-5.0, -1.0, 0.5, 0.0, 0.5, 1.0, 5.0])
    const expected = mx.array([NaN, -Infinity, 0.47693628, 0.0, 0.47693628, Infinity, NaN]).astype(mx.float32);
    // np.allclose(..., equal_nan=True)
    assertEqualArray(mx.erfinv(x), expected, NP);
  });

  test('test_sin', () => {
    assertEqualArray(mx.sin(L.angles), R.sin, NP);
  });

  test('test_cos', () => {
    assertEqualArray(mx.cos(L.angles), R.cos, NP);
  });

  test('test_degrees', () => {
    assertEqualArray(mx.degrees(L.angles), R.degrees, NP);
  });

  test('test_radians', () => {
    assertEqualArray(mx.radians(L.rad_a), R.radians, NP);
  });

  test('test_log1p', () => {
    assertEqualArray(mx.log1p(L.log_a), R.log1p, NP);
  });

  test('test_sigmoid', () => {
    assertEqualArray(mx.sigmoid(L.sigmoid_a), R.sigmoid, NP);
  });

  test('test_allclose', () => {
    const a = mx.array(1.0);
    let b = mx.array(1.0);

    assertTrueArray(mx.allclose(a, b));

    b = mx.array(1.1);
    assertFalseArray(mx.allclose(a, b));
    assertTrueArray(mx.allclose(a, b, 0.1));
    assertFalseArray(mx.allclose(a, b, 0.01));
    assertTrueArray(mx.allclose(a, b, 0.01, 0.1));

    const c = mx.array(Infinity);
    assertTrueArray(mx.allclose(c, c));
  });

  test('test_isclose', () => {
    let a = mx.array([Infinity, Infinity, -Infinity]);
    const b = mx.array([Infinity, -Infinity, -Infinity]);

    assertListEqual(mx.isclose(a, b).tolist(), [true, false, true]);

    a = mx.array([NaN]);
    assertListEqual(mx.isclose(a, a).tolist(), [false]);

    a = mx.array([NaN]);
    assertListEqual(mx.isclose(a, a, { equalNan: true }).tolist(), [true]);
  });

  test('test_all', () => {
    const a = mx.array([
      [true, false],
      [true, true],
    ]);

    assertFalseArray(mx.all(a));
    assert.deepEqual(mx.all(a, { keepdims: true }).shape, [1, 1]);
    assertFalseArray(mx.all(a, { axis: [0, 1] }));
    assertListEqual(mx.all(a, { axis: [0] }).tolist(), [true, false]);
    assertListEqual(mx.all(a, { axis: [1] }).tolist(), [false, true]);
    assertListEqual(mx.all(a, { axis: 0 }).tolist(), [true, false]);
    assertListEqual(mx.all(a, { axis: 1 }).tolist(), [false, true]);
  });

  test('test_any', () => {
    const a = mx.array([
      [true, false],
      [false, false],
    ]);

    assertTrueArray(mx.any(a));
    assert.deepEqual(mx.any(a, { keepdims: true }).shape, [1, 1]);
    assertTrueArray(mx.any(a, { axis: [0, 1] }));
    assertListEqual(mx.any(a, { axis: [0] }).tolist(), [true, false]);
    assertListEqual(mx.any(a, { axis: [1] }).tolist(), [true, false]);
    assertListEqual(mx.any(a, { axis: 0 }).tolist(), [true, false]);
    assertListEqual(mx.any(a, { axis: 1 }).tolist(), [true, false]);
  });

  test('test_stop_gradient', () => {
    const func = (x: array) => mx.sum(mx.add(mx.multiply(2, x), mx.stopGradient(mx.multiply(3, x))));

    const x = mx.array([0.0, 0.1, -3]);
    const expected = [2, 2, 2];

    assertListEqual(mx.grad(func)(x).tolist(), expected);
  });

  test('test_take', () => {
    const a = L.take_a;

    let indices = [0, -1];
    let got = mx.take(a, mx.array(indices, mx.int32));
    assertEqualArray(got, R.take[0], { ...EXACT, dtype: false, msg: 'flatten take' });

    indices = [-1, 2, 0];
    got = mx.take(a, mx.array(indices, mx.int32), { axis: 0 });
    assertEqualArray(got, R.take[1], { ...EXACT, dtype: false, msg: 'axis 0' });

    indices = [0, 0, -2];
    got = mx.take(a, mx.array(indices, mx.int32), { axis: 1 });
    assertEqualArray(got, R.take[2], { ...EXACT, dtype: false, msg: 'axis 1' });

    indices = [0, -1, -1];
    got = mx.take(a, mx.array(indices, mx.int32), { axis: -1 });
    assertEqualArray(got, R.take[3], { ...EXACT, dtype: false, msg: 'axis -1' });

    const aMlx: array = R.take_a8;
    const idxMlx: array = R.take_i8;
    assertEqualArray(mx.take(aMlx, idxMlx), R.take8[0], { ...EXACT, dtype: false, msg: 'flatten' });
    for (let axis = 0; axis < 3; axis++) {
      assertEqualArray(mx.take(aMlx, idxMlx, { axis }), R.take8[axis + 1], {
        ...EXACT,
        dtype: false,
        msg: `axis ${axis}`,
      });
    }

    // Take with integer index
    const a2 = mx.arange(8).reshape(2, 4);
    let out = mx.take(a2, 1, { axis: 0 });
    assertTrueArray(mx.arrayEqual(out, mx.array([4, 5, 6, 7], mx.int32)));
    out = mx.take(a2, 1, { axis: 1 });
    assertTrueArray(mx.arrayEqual(out, mx.array([1, 5], mx.int32)));

    // Take with multi-dim scalar preserves dims
    out = mx.take(a2, mx.array(1, mx.int32), { axis: 0 });
    assert.deepEqual(out.shape, [4]);

    out = mx.take(a2, mx.array([1], mx.int32), { axis: 0 });
    assert.deepEqual(out.shape, [1, 4]);

    out = mx.take(a2, mx.array([[1]], mx.int32), { axis: 0 });
    assert.deepEqual(out.shape, [1, 1, 4]);
  });

  test('test_take_along_axis', () => {
    const aMlx: array = R.tal_a;
    const idxMlx: array = R.tal_idx;

    [null, 0, 1, 2].forEach((ax, i) => {
      let shape: number[];
      if (ax === null) {
        shape = [-1];
      } else {
        shape = [2, 2, 2];
        shape[ax] = 3;
      }
      const outMlx = mx.takeAlongAxis(aMlx, mx.reshape(idxMlx, shape), { axis: ax });
      assertEqualArray(outMlx, R.tal[i], { ...EXACT, dtype: false, msg: `axis=${ax}` });
    });
  });

  test('test_put_along_axis', () => {
    [null, 0, 1, 2].forEach((ax, i) => {
      const c = R.pal[i];
      const outMlx = mx.putAlongAxis(c.a as array, c.idx as array, c.values as array, { axis: ax });
      assertEqualArray(outMlx, c.expected, { ...EXACT, dtype: false, msg: `axis=${ax}` });
    });
  });

  test('test_split', () => {
    let a = mx.array([1, 2, 3], mx.int32);
    const splits = mx.split(a, 3);
    splits.forEach((x: array, e: number) => {
      assert.equal(x.item(), e + 1);
    });

    a = mx.array(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      mx.int32,
    );
    let [x, y, z] = mx.split(a, 3, { axis: 0 });
    assertListEqual(x.tolist(), [[1, 2]]);
    assertListEqual(y.tolist(), [[3, 4]]);
    assertListEqual(z.tolist(), [[5, 6]]);

    raises('split_axis');

    a = mx.arange(8);
    [x, y, z] = mx.split(a, [1, 5]);
    assertListEqual(x.tolist(), [0]);
    assertListEqual(y.tolist(), [1, 2, 3, 4]);
    assertListEqual(z.tolist(), [5, 6, 7]);
  });

  test('test_arange_overload_dispatch', () => {
    raises('arange_nan_start');
    raises('arange_nan_stop');
    raises('arange_nan_step');
    raises('arange_inf_inf');
    raises('arange_inf_1_inf');
    raises('arange_inf_1_5');
    raises('arange_int_max');

    let a = mx.arange(5);
    let expected = [0, 1, 2, 3, 4];
    assertListEqual(a.tolist(), expected);

    a = mx.arange(1, 5);
    expected = [1, 2, 3, 4];
    assertListEqual(a.tolist(), expected);

    a = mx.arange(-3, { step: -1 });
    expected = [0, -1, -2];
    assertListEqual(a.tolist(), expected);

    // Python: mx.arange(stop=2, step=0.5) (keywords only)
    a = anyMx.arange({ stop: 2, step: 0.5 });
    expected = [0, 0.5, 1.0, 1.5];
    assertListEqual(a.tolist(), expected);

    // Python: mx.arange(start=1, step=2) raises TypeError (no stop). In JS,
    // arange({start: 1, step: 2}) cannot be told apart from arange(1, {step: 2}),
    // which is Python's arange(1, step=2) = arange(stop=1, step=2): mlx-node
    // follows the latter (docs/python-to-node.md).
    assertListEqual(anyMx.arange({ start: 1, step: 2 }).tolist(), [0]);

    a = anyMx.arange({ stop: 3 });
    expected = [0, 1, 2];
    assertListEqual(a.tolist(), expected);
  });

  test('test_arange_inferred_dtype', () => {
    let a = mx.arange(5);
    assert.equal(a.dtype, mx.int32);

    a = mx.arange(5.5); // Python: mx.arange(5.0)
    assert.equal(a.dtype, mx.float32);

    a = mx.arange(1, 3.5); // Python: mx.arange(1, 3.0)
    assert.equal(a.dtype, mx.float32);

    a = mx.arange(1, 3, { dtype: mx.float32 });
    assert.equal(a.dtype, mx.float32);

    a = mx.arange(1, 5, 1);
    assert.equal(a.dtype, mx.int32);

    a = mx.arange(1.5, 5, 1); // Python: mx.arange(1.0, 5, 1)
    assert.equal(a.dtype, mx.float32);

    a = mx.arange(1, 5.5, 1); // Python: mx.arange(1, 5.0, 1)
    assert.equal(a.dtype, mx.float32);

    a = mx.arange(1, 5, 1.5); // Python: mx.arange(1, 5, 1.0)
    assert.equal(a.dtype, mx.float32);

    a = mx.arange(1.0, 3.0, 0.2, { dtype: mx.int32 });
    assert.equal(a.dtype, mx.int32);
  });

  test('test_arange_corner_cases_cast', () => {
    let a = mx.arange(0, 3, 0.2, { dtype: mx.int32 });
    let expected: number[] = new Array(15).fill(0);
    assertListEqual(a.tolist(), expected);
    assert.equal(a.dtype, mx.int32);

    a = mx.arange(-1, -4, -0.9, { dtype: mx.int32 });
    expected = new Array(4).fill(-1);
    assertListEqual(a.tolist(), expected);
    assert.equal(a.dtype, mx.int32);

    a = mx.arange(-1, -20, -1.2, { dtype: mx.int32 });
    expected = [-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16];
    assertListEqual(a.tolist(), expected);
    assert.equal(a.dtype, mx.int32);

    a = mx.arange(0, 10, 100);
    expected = [0];
    assertListEqual(a.tolist(), expected);
    assert.equal(a.dtype, mx.int32);

    a = mx.arange(10, 0, 1);
    expected = [];
    assertListEqual(a.tolist(), expected);

    a = mx.arange(10, 0, Infinity);
    expected = [];
    assertListEqual(a.tolist(), expected);

    a = mx.arange(0, 10, Infinity);
    expected = [0];
    assertListEqual(a.tolist(), expected);

    a = mx.arange(0, -10, -Infinity);
    expected = [0];
    assertListEqual(a.tolist(), expected);
  });

  test('test_unary_ops', () => {
    for (const name of UNARY_OPS) {
      for (const [dtype, atol] of [
        ['float16', 1e-3],
        ['float32', 1e-6],
      ] as const) {
        const y = R.unary[dtype].x as array;
        const rMlx = op(name)(y);
        mx.eval(rMlx);
        // np.allclose(r_np, r_mlx, atol=atol)
        assertEqualArray(rMlx, R.unary[dtype].r[name], { atol, rtol: 1e-5, dtype: false, msg: `${name} ${dtype}` });
      }
    }
  });

  test('test_unary_ops_from_non_array', () => {
    const x = 0.5;
    for (const name of UNARY_NON_ARRAY) {
      // Test from scalar
      const expected = R.non_array[name];
      const out = op(name)(x);
      // Check close (np.allclose, equal_nan=True)
      assertEqualArray(out, expected, { ...NP, msg: name });
      // ("Test from NumPy": numpy interop, not ported)
    }
  });

  test('test_trig_ops', () => {
    const T = R.trig;
    // np.allclose(r_np, r_mlx, atol=atol)
    const check = (rMlx: array, rNp: array, atol: number, msg: string) => {
      mx.eval(rMlx);
      assertEqualArray(rMlx, rNp, { atol, rtol: 1e-5, dtype: false, msg });
    };

    for (const name of TRIG_OPS) {
      for (const [dtype, atol] of [
        ['float16', 1e-3],
        ['float32', 1e-6],
      ] as const) {
        check(op(name)(T.in[dtype]), T.fwd[name][dtype], atol, `${name} ${dtype}`);
      }

      check(op(name)(T.xc), T.cfwd[name], 1e-5, `${name} complex64`);

      const opInv = 'arc' + name;
      for (const [dtype, atol] of [
        ['float16', 1e-3],
        ['float32', 1e-6],
      ] as const) {
        const c = T.arc[name][dtype];
        check(op(opInv)(c.x), c.r, atol, `${opInv} ${dtype}`);
      }
    }

    // Test grads
    const primalMx: array = T.primal;
    const cot: array = T.cot;
    for (const name of TRIG_OPS) {
      let [, vjps] = mx.vjp(op(name), [primalMx], [cot]);
      check(vjps[0], T.grad[name], 1e-5, `grad ${name}`);

      const opInv = 'arc' + name;
      [, vjps] = mx.vjp(op(opInv), [T.arcgrad[name].primal], [cot]);
      check(vjps[0], T.arcgrad[name].r, 1e-5, `grad ${opInv}`);
    }
  });
});
