// Port of ml-explore/mlx python/tests/test_ops.py (TestOps), SECOND HALF.
//
// BOUNDARY: test/ops.test.ts ports the TestOps methods from test_full_ones_zeros up to
// and including test_trig_ops; this file ports every method after it, in file order,
// from test_binary_ops to the end of the class (test_broadcast_arrays).
//
// Every expectation the Python test gets from numpy comes from ONE oracle run at load
// time (ORACLE below: Python mlx 0.32.4 + numpy). The random inputs the Python test
// draws (np.random / mx.random) are drawn there too, seeded, and sent back, so both
// sides use the same arrays. Literal expectations of the Python test stay literal;
// where the Python test compares mlx with mlx (e.g. a scan against its reversed scan)
// both sides are mlx-node, as in Python.
//
// mlx_tests.assertCmpNumpy / assertEqualArray (Python) are cmpNumpy() below: same
// shape, same dtype, allclose with atol = rtol = 1e-2.
//
// Adapted:
// - test_irregular_binary_ops, "strided" part: numpy's 600 results for d = 5 (30 M
//   elements) are too big to ship, so the oracle sends each result's shape and an
//   exact integer fingerprint sum(c.ravel() * w) with fixed weights w[i] =
//   (i * 7919) % 1009 + 1 (the values are small ints, so the sum is exact in float64);
//   the test computes the same fingerprint of mlx-node's result.
// - test_hadamard: numpy's expectation einsum("ij,bj->bi", H, x) is computed by the
//   oracle with a fast Walsh-Hadamard transform in float64 (the same matrix product,
//   O(n log n)), because building H for n = 2**14 takes 2 GiB (int64) in numpy.
// - test_hadamard_grad_vmap: the (n, n, n) batches `xb` (up to 2 M floats each) are
//   drawn in JS with a seeded PRNG instead of np.random (they are only compared
//   mlx against mlx, so no oracle value depends on them).
// - test_clip: `mx.clip(a, a_min=0.0, a_max=5)` on an int16 array (a float scalar
//   giving float32) is written mx.clip(a, 0.5, 5), because a JS 0.0 is an int; beside
//   the float16 array, 0.0 and 0 promote alike, so it is written 0. (a_min/a_max are
//   given positionally: the generated typings accept required parameters only by
//   position, although the binding also takes {aMin, aMax}.)
// - test_linspace: the stored test calls mx.linspace(0, 10, 5, mx.int64), which in
//   0.32.4 (where `endpoint` comes before `dtype`) raises TypeError; written
//   mx.linspace(0, 10, 5, {dtype: mx.int64}), the call the test means.
// - numpy used on mlx results inside the Python test is done with the mlx-node op of
//   the same meaning: test_partition's np.take(np.array(b_mx), (kth,), axis) is
//   mx.take(b_mx, [kth], {axis}); test_softmax's np.any(np.isnan(a)) is
//   mx.any(mx.isnan(a)).
// - test_sort: the "very large array" case runs only on a GPU default device, as in
//   Python (the oracle draws it only when its own default device is the GPU).
//
// Left out: nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';
import type { array, Dtype } from '../lib/index';
import { assertEqualArray, py } from './helpers/mlx_tests';

// np.array_equal.
const EXACT = { atol: 0, rtol: 0, dtype: false };
// mlx_tests.assertEqualArray / assertCmpNumpy: dtype, shape, allclose(1e-2, 1e-2).
const CMP = { atol: 1e-2, rtol: 1e-2 };

function cmpNumpy(actual: array, expected: array, msg?: string): void {
  assertEqualArray(actual, expected, { ...CMP, msg });
}
function allclose(actual: array, expected: array, atol = 1e-8, rtol = 1e-5, msg?: string): void {
  assertEqualArray(actual, expected, { atol, rtol, dtype: false, msg });
}
function arrayEqual(actual: array, expected: array, msg?: string): void {
  assertEqualArray(actual, expected, { ...EXACT, msg });
}
/** assertTrue(<bool mx.array>). */
function assertTrueArray(a: array, msg?: string): void {
  assert.equal(a.item(), true, msg);
}
function assertFalseArray(a: array, msg?: string): void {
  assert.equal(a.item(), false, msg);
}
/** assertEqual(a.dtype, b): dtypes are singletons. */
function assertDtype(actual: Dtype, expected: Dtype, msg?: string): void {
  assert.equal(String(actual), String(expected), msg);
}
const dtypeOf = (name: string): Dtype => (mx as unknown as Record<string, Dtype>)[name];
const AX4: Array<number | null> = [null, 0, 1, 2];

// Fingerprint of an integer array (see the header): sum(c.ravel() * w).
function fingerprint(c: array): number {
  const v = c.toTypedArray();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Number(v[i]) * (((i * 7919) % 1009) + 1);
  return s;
}

// mulberry32 + Box-Muller: standard normal float32 data for test_hadamard_grad_vmap.
function randn(shape: number[], seed: number): array {
  let state = seed >>> 0;
  const uniform = () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return mx.array(out).reshape(shape);
}

// ---------------------------------------------------------------------------
// The oracle: all inputs and numpy expectations, one Python process.

const ORACLE = String.raw`
from itertools import permutations, product

M = mx.array  # Python's mx.array(np_result), as assertCmpNumpy/assertEqualArray do
C = np.ascontiguousarray
np.random.seed(0)
mx.random.seed(0)
out = {}

# test_binary_ops
INT_DT = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOAT_DT = ["float16", "float32"]
x1 = np.maximum(np.random.rand(18, 28, 38), 0.1)
x2 = np.maximum(np.random.rand(18, 28, 38), 0.1)
inputs = {}
for dt in INT_DT + FLOAT_DT:
    m = 10 if dt in INT_DT else 1
    inputs[dt] = [(x1 * m).astype(getattr(np, dt)), (x2 * m).astype(getattr(np, dt))]
cases = []
with np.errstate(all="ignore"):
    for op in ["add", "subtract", "multiply", "divide", "floor_divide", "maximum", "minimum", "power"]:
        dts = {"divide": FLOAT_DT, "power": FLOAT_DT, "floor_divide": ["float32"] + INT_DT}.get(op, INT_DT + FLOAT_DT)
        for dt in dts:
            a, b = inputs[dt]
            f = getattr(np, op)
            cases.append({"op": op, "dtype": dt,
                          "expected": [f(a, b), f(a[:1], b), f(a[:, :1], b), f(a[:, :, :1], b)]})
out["binary_ops"] = {"inputs": inputs, "cases": cases}

# test_irregular_binary_ops
def fingerprint(c):
    flat = c.ravel().astype(np.int64)
    w = (np.arange(flat.size, dtype=np.int64) * 7919) % 1009 + 1
    return int((flat * w).sum())

dims = [2, 3, 4, 5]
size = 3
trial_mul = 2
np.random.seed(0)
tr = []
for d in dims:
    anp = np.random.randint(-20, 20, (size**d,)).reshape([size] * d)
    bnp = np.random.randint(-20, 20, (size**d,)).reshape([size] * d)
    for _ in range(trial_mul * d):
        a_t = np.random.permutation(d).tolist()
        b_t = np.random.permutation(d).tolist()
        tr.append({"a": anp, "b": bnp, "a_t": a_t, "b_t": b_t,
                   "expected": np.add(anp.transpose(a_t), bnp.transpose(b_t))})
bc = []
for d in dims:
    anp = np.random.randint(-20, 20, (size**d,)).reshape([size] * d)
    for n_bsx in range(d):
        bnp = np.random.randint(-20, 20, (size**n_bsx,)).reshape([size] * n_bsx)
        for _ in range(trial_mul * d):
            b_shape = [1] * (d - n_bsx) + [size] * n_bsx
            np.random.shuffle(b_shape)
            bc.append({"a": anp, "b": bnp, "b_shape": b_shape, "expected": np.add(anp, bnp.reshape(b_shape))})
st = []
for d in dims:
    a = np.random.randint(-20, 20, (10,) * d)
    b = np.random.randint(-20, 20, (10,) * d)
    cs = []
    for t in permutations(range(d)):
        for s in range(d):
            idx = tuple([slice(None)] * s + [slice(None, None, 2)] + [slice(None)] * (d - s - 1))
            c = a.transpose(t)[idx] + b[idx]
            cs.append({"t": list(t), "s": s, "shape": list(c.shape), "fp": fingerprint(c)})
    st.append({"a": a, "b": b, "cases": cs})
out["irregular_binary_ops"] = {"transposed": tr, "broadcast": bc, "strided": st}

# test_softmax
def np_softmax(x, axis):
    ex = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return ex / np.sum(ex, axis=axis, keepdims=True)

SM_AXES = [None, 0, 1, 2, (0, 1), (1, 2), (0, 2), (0, 1, 2)]
smc = []
for dtype, atol in [(np.float32, 1e-6), (np.float16, 1e-3)]:
    a = np.random.randn(16, 8, 32).astype(dtype)
    smc.append({"a": a, "atol": atol, "expected": [np_softmax(a, ax) for ax in SM_AXES]})
out["softmax"] = {
    "axes": SM_AXES,
    "cases": smc,
    "y": mx.random.uniform(shape=(8, 4)),
    "precise": [(10 * mx.random.normal(shape=(1024,))).astype(t) for t in [mx.float16, mx.bfloat16]],
}

# test_concatenate
a = np.random.randn(32, 32, 32)
b = np.random.randn(32, 32, 32)
ce = []
for axis in (None, 0, 1, 2):
    for p in permutations([0, 1, 2]):
        ce.append({"axis": axis, "p": list(p), "expected": np.concatenate([a, np.transpose(b, p)], axis=axis)})
out["concatenate"] = {"a": a, "b": b, "cases": ce}

# test_meshgrid
y = np.array([1, 2, 3], dtype=np.int32)
z = np.array([1, 2], dtype=np.int32)
w = np.array([1, 2, 3], dtype=np.int32)
yf = np.array([1.1, 2.2, 3.3], dtype=np.float32)
yf5 = np.array([1.1, 2.2, 3.3, 4.4, 5.5], dtype=np.float32)
x64 = np.array([1, 2], dtype=np.int64)
y64 = np.array([1, 2, 3], dtype=np.int64)
z64 = np.array([1, 2, 3, 4], dtype=np.int64)
out["meshgrid"] = {
    "single": M(C(np.meshgrid(y)[0])),
    "sparse": [M(C(e)) for e in np.meshgrid(y, y, y, sparse=True)],
    "lengths": [M(C(e)) for e in np.meshgrid(z, w)],
    "empty": M(C(np.meshgrid(np.array([], dtype=np.int32))[0])),
    "f32": [M(C(e)) for e in np.meshgrid(yf, yf, yf)],
    "ij": [M(C(e)) for e in np.meshgrid(yf5, yf5, indexing="ij")],
    "sparse_ij": [M(C(e)) for e in np.meshgrid(x64, y64, z64, sparse=True, indexing="ij")],
}

# test_pad
PW = [
    ([(1, 1), (1, 1), (1, 1)], 0),
    ([(1, 1), (1, 1), (1, 1)], 5),
    ([(3, 0), (0, 2), (5, 7)], 0),
    ([(3, 0), (0, 2), (5, 7)], -7),
    ([(0, 0), (0, 0), (0, 0)], 0),
]
pc = []
for pw, v in PW:
    a = np.random.randn(16, 16, 16).astype(np.float32)
    pc.append({"pw": pw, "v": v, "a": a, "constant": np.pad(a, pw, constant_values=v), "edge": np.pad(a, pw, mode="edge")})
out["pad"] = {"cases": pc, "a_fwd": np.random.rand(16, 16).astype(np.float32)}

# test_where (assertCmpNumpy)
wa = mx.array([[1, 2], [3, 4]])
out["where"] = [
    M(np.where(True, np.array(wa), 1)),
    M(np.where(True, 1, np.array(wa))),
    M(np.where(np.array(mx.array([[True, False], [False, True]])), np.array(wa), np.array(mx.array([5, 6])))),
]

# test_nan_to_num
nn = {"first": np.nan_to_num(mx.array([6, float("inf"), 2, 0])), "per_type": []}
for t in [mx.float32, mx.float16]:
    a = mx.array([float("inf"), 6.9, float("nan"), float("-inf")])
    e1 = np.nan_to_num(a)
    a = a.astype(t)
    e2 = np.nan_to_num(a, nan=0.0, posinf=1000, neginf=-1000)
    nn["per_type"].append([e1, e2])
out["nan_to_num"] = nn

# test_as_strided
x = np.random.randn(128).astype(np.float32)
asc = []
for shape, stride in zip([(10, 10), (5, 5), (2, 20), (10,)], [(3, 3), (7, 1), (1, 5), (4,)]):
    for offset in [0, 1, 3]:
        e = np.lib.stride_tricks.as_strided(x[offset:], shape, np.multiply(stride, 4))
        asc.append({"shape": list(shape), "stride": list(stride), "offset": offset, "expected": C(e)})
out["as_strided"] = {"x": x, "cases": asc, "u": mx.random.uniform(shape=(32,))}

# test_scans
a = np.random.randn(32, 32, 32).astype(np.float32)
sc = {"a": a, "float": {op: [getattr(np, op)(a, axis=ax) for ax in (None, 0, 1, 2)] for op in ["cumsum", "cumprod"]}}
ai = mx.random.randint(shape=(32, 32, 32), low=-100, high=100)
sc["ai"] = ai
sc["int"] = []
for dt in [mx.int32, mx.int64]:
    npx = np.array(ai.astype(dt))
    sc["int"].append({op: [getattr(np, op)(npx, axis=ax, dtype=npx.dtype) for ax in (None, 0, 1, 2)]
                      for op in ["cumsum", "cumprod"]})
sc["ai2"] = mx.random.randint(shape=(32, 32, 32), low=-100, high=100)
sc["u"] = mx.random.uniform(shape=(8, 32))
out["scans"] = sc

# test_sort
srt = {"a": {}, "cases": []}
for dtype in ("int32", "float32"):
    np.random.seed(0)
    srt["a"][dtype] = np.random.uniform(0, 100, size=(6, 4, 10)).astype(getattr(np, dtype))
for dtype, axis, strided in product(("int32", "float32"), (None, 0, 1, 2), (True, False)):
    a_np = srt["a"][dtype]
    if strided:
        a_np = a_np[::2, :, ::2]
    c_np = np.argsort(a_np, axis=axis)
    srt["cases"].append({"dtype": dtype, "axis": axis, "strided": strided,
                         "b": np.sort(a_np, axis=axis), "d": np.take_along_axis(a_np, c_np, axis=axis)})
np.random.seed(0)
mb = []
for strided in (False, True):
    a1 = np.random.normal(size=(32769,)).astype(np.float32)
    e1 = np.sort(a1[::3] if strided else a1)
    a2 = np.random.normal(size=(2, 4, 32769)).astype(np.float32)
    e2 = np.sort(a2[..., ::3] if strided else a2, axis=-1)
    a3 = np.random.normal(size=(2, 32769, 4)).astype(np.float32)
    e3 = np.sort(a3[:, ::3] if strided else a3, axis=1)
    mb.append({"strided": strided, "a1": a1, "b1": e1, "a2": a2, "b2": e2, "a3": a3, "b3": e3})
srt["multi_block"] = mb
a0 = np.array([1, 0, 2, 1, 3, 0, 4, 0])
srt["zero_strides"] = {"a": a0, "expected": [np.sort(np.broadcast_to(a0, (16, 8)), axis=ax) for ax in (0, 1)]}
srt["large"] = None
if mx.default_device() == mx.gpu:
    big = np.random.normal(20, 20, size=(2**22)).astype(np.float32)
    srt["large"] = {"a": big, "b": np.sort(big)}
out["sort"] = srt

# test_partition
pa = {}
for dtype in ("int32", "float32"):
    np.random.seed(0)
    pa[dtype] = np.random.uniform(0, 100, size=(3, 4, 5)).astype(getattr(np, dtype))
pcs = []
for dtype in ("int32", "float32"):
    for axis in (None, 0, 1, 2):
        for kth in (-2, 0, 2):
            a_np = pa[dtype]
            c_np = np.take(np.partition(a_np, kth, axis=axis), (kth,), axis=axis)
            top = np.take(np.partition(a_np, -kth, axis=axis), (-kth,), axis=axis) if kth >= 0 else None
            pcs.append({"dtype": dtype, "axis": axis, "kth": kth, "c": c_np, "top": top})
out["partition"] = {"a": pa, "cases": pcs}

# test_eye (assertCmpNumpy)
out["eye"] = [M(np.eye(3)), M(np.eye(3, 4)), M(np.eye(3, 4, k=1)), M(np.eye(5, 6, k=-2))]

# test_stack
out["stack"] = [
    np.stack([np.ones((2,)), np.ones((2,))]),
    np.stack([np.ones((2,)), np.ones((2,))], axis=1),
    np.stack([np.ones((1, 2)), np.ones((1, 2))]),
    np.stack([np.ones((1, 2)), np.ones((1, 2))], axis=1),
]

# test_clip
mins = np.array([3, 1, 5, 5])
maxs = np.array([5, -1, 2, 9])
out["clip"] = [
    np.clip(np.array([1, 4, 3, 8, 5], np.int32), 2, 6),
    np.clip(np.array([-1, 1, 0, 5], np.int32), 0, None),
    np.clip(np.array([2, 3, 4, 5], np.int32), None, 4),
    np.clip(np.array([2, 3, 4, 5], np.int32), mins, 4),
    np.clip(np.array([2, 3, 4, 5], np.int32), mins, maxs),
]

# test_linspace (assertEqualArray with mx.array(np...))
out["linspace"] = [
    M(np.linspace(0, 1)),
    M(np.linspace(0, 10, 5, dtype=int)),
    M(np.linspace(-2.7, -0.7, 7)),
    M(np.linspace(0, 1, 10)),
    M(np.linspace(1, 10, 1)),
]

# test_repeat (assertCmpNumpy)
data = mx.array([[[13, 3], [16, 6]], [[14, 4], [15, 5]], [[11, 1], [12, 2]]])
out["repeat"] = [
    M(np.repeat(np.array(data), 0)),
    M(np.repeat(np.array(data), 2, axis=0)),
    M(np.repeat(np.array(data), 2, axis=1)),
    M(np.repeat(np.array(data), 2)),
    M(np.repeat(np.array(mx.array([1, 3, 2])), 3, axis=0)),
    M(np.repeat(np.array(mx.array([[1, 2, 3], [4, 5, 4], [0, 1, 2]])), 2, axis=0)),
]

# test_tensordot (assertCmpNumpy: tuple arguments are mx.random.normal(s, dtype=dtype))
td = {}
for dt in [mx.float16, mx.float32]:
    cs = []
    for s1, s2, axes in [((3, 4, 5), (4, 3, 2), ([1, 0], [0, 1])), ((3, 4, 5), (4, 5, 6), 2),
                         ((3, 5, 4, 6), (6, 4, 5, 3), ([2, 1, 3], [1, 2, 0]))]:
        a = mx.random.normal(s1, dtype=dt)
        b = mx.random.normal(s2, dtype=dt)
        cs.append({"a": a, "b": b, "axes": axes, "expected": M(np.tensordot(np.array(a), np.array(b), axes=axes))})
    td[str(dt).split(".")[-1]] = cs
out["tensordot"] = td

# test_inner
ic = []
for s1, s2 in [((3,), (3,)), ((1, 1, 2), (3, 2)), ((2, 3, 4), (4,))]:
    a = mx.random.normal(s1)
    b = mx.random.normal(s2)
    ic.append({"a": a, "b": b, "expected": M(np.inner(np.array(a), np.array(b)))})
out["inner"] = ic

# test_outer
a = mx.random.normal((3,))
b = mx.random.normal((3,))
out["outer"] = [
    {"a": a, "b": b, "expected": M(np.outer(np.array(a), np.array(b)))},
    {"expected": M(np.outer(np.array(mx.ones(5)), np.array(mx.linspace(-2, 2, 5))))},
    {"expected": M(np.outer(np.array(1j * mx.linspace(2, -2, 5)), np.array(mx.ones(5))))},
]

# test_divmod
dm = []
for s1, s2 in [((1,), (1,)), ((1,), (10,)), ((10,), (1,)), ((3,), (3,)), ((2, 2, 2), (1, 2, 1)),
               ((2, 1, 2), (1, 2, 1)), ((2, 2, 2, 2), (2, 2, 2, 2))]:
    for t in [np.uint16, np.uint32, np.int32, np.float16, np.float32]:
        a_np = np.random.uniform(1, 100, size=s1).astype(t)
        b_np = np.random.uniform(1, 100, size=s2).astype(t)
        dm.append({"a": a_np, "b": b_np, "q": np.divmod(a_np, b_np)[0], "what": f"Shapes {s1} {s2}, Type {t.__name__}"})
out["divmod"] = dm

# test_tile (assertCmpNumpy)
tc = []
for s, reps in [((2,), [2]), ((2, 3, 4), [2]), ((2, 3, 4), [2, 1]), ((2, 3, 4), [2, 2]), ((3,), [2, 2, 2])]:
    a = mx.random.normal(s)
    tc.append({"a": a, "reps": reps, "expected": M(np.tile(np.array(a), reps))})
out["tile"] = tc

# test_diag
xd = np.array(mx.array([2, 6]))
xn = np.array(mx.array([[1, 2, 3], [4, 5, 6]]))
out["diag"] = [M(np.diag(xd, k=5)), M(np.diag(xn)), M(np.diag(xn, k=10)), M(np.diag(xn, k=-10)), M(np.diag(xn, k=-1))]

# test_trace
a_np = np.arange(9, dtype=np.int64).reshape((3, 3))
b_np = np.arange(27, dtype=np.int64).reshape(3, 3, 3)
out["trace"] = [
    M(np.trace(a_np)),
    M(np.trace(a_np, dtype=np.float16)),
    M(np.trace(a_np, offset=1)),
    M(np.trace(b_np, axis1=1, axis2=2)),
    M(np.trace(b_np, offset=1, axis1=1, axis2=2, dtype=np.float32)),
]

# test_atleast_1d / 2d / 3d
ATL = [[1], [1, 2, 3], [1, 2, 3, 4], [[1], [2], [3]], [[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]], [[[[1]], [[2]], [[3]]]]]
out["atleast"] = {
    str(n): [{"list": r.tolist(), "shape": list(r.shape), "ndim": r.ndim}
             for r in [getattr(np, "atleast_%dd" % n)(np.array(e)) for e in ATL]]
    for n in (1, 2, 3)
}

# test_issubdtype
CATS = ["complexfloating", "floating", "inexact", "signedinteger", "unsignedinteger", "integer", "number",
        "generic", "bool_", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
        "float16", "float32", "complex64"]
out["issubdtype"] = {"cats": CATS, "table": [[bool(np.issubdtype(getattr(np, a), getattr(np, b))) for b in CATS] for a in CATS]}

# test_bitwise_ops
BT = ["uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64"]
a = mx.random.randint(0, 4096, (1000,))
b = mx.random.randint(0, 4096, (1000,))
bw = {"a": a, "b": b, "logic": [], "shift": []}
for op in ["bitwise_and", "bitwise_or", "bitwise_xor"]:
    for t in BT:
        a_np = np.array(a.astype(getattr(mx, t)))
        b_np = np.array(b.astype(getattr(mx, t)))
        bw["logic"].append({"op": op, "t": t, "expected": getattr(np, op)(a_np, b_np)})
for op in ["left_shift", "right_shift"]:
    for t in BT:
        mt = getattr(mx, t)
        b_mlx = mx.random.randint(0, mt.size, (1000,)).astype(mt)
        a_np = np.array(a.astype(mt))
        bw["shift"].append({"op": op, "t": t, "b": b_mlx, "expected": getattr(np, op)(a_np, np.array(b_mlx))})
out["bitwise_ops"] = bw

# test_bitwise_grad
out["bitwise_grad"] = [np.random.randint(0, 10, size=(4, 3)) for _ in range(3)]

# test_conjugate
shape = (3, 5, 7)
cz = (np.random.normal(size=shape) + 1j * np.random.normal(size=shape)).astype(np.complex64)
out["conjugate"] = {"a": cz, "conjugate": np.conjugate(cz), "conj": np.conj(cz), "method": cz.conj()}

# test_view
va = mx.random.randint(shape=(4, 2, 4), low=-100, high=100)
out["view"] = {
    "a": va,
    "expected": {t: np.array(va).view(getattr(np, t)) for t in ["bool_", "int16", "float32", "int64"]},
    "a2": mx.random.randint(shape=(2, 4), low=-100, high=100),
    "a3": mx.random.randint(shape=(4, 4), low=-100, high=100),
}

# test_hadamard
h28_str = """
+------++----++-+--+-+--++--
-+-----+++-----+-+--+-+--++-
--+-----+++---+-+-+----+--++
---+-----+++---+-+-+-+--+--+
----+-----+++---+-+-+++--+--
-----+-----++++--+-+--++--+-
------++----++-+--+-+--++--+
--++++-+-------++--+++-+--+-
---++++-+-----+-++--+-+-+--+
+---+++--+----++-++--+-+-+--
++---++---+----++-++--+-+-+-
+++---+----+----++-++--+-+-+
++++--------+-+--++-++--+-+-
-++++--------+++--++--+--+-+
-+-++-++--++--+--------++++-
+-+-++--+--++--+--------++++
-+-+-++--+--++--+----+---+++
+-+-+-++--+--+---+---++---++
++-+-+-++--+------+--+++---+
-++-+-+-++--+------+-++++---
+-++-+---++--+------+-++++--
-++--++-+-++-+++----++------
+-++--++-+-++-+++-----+-----
++-++---+-+-++-+++-----+----
-++-++-+-+-+-+--+++-----+---
--++-++++-+-+----+++-----+--
+--++-+-++-+-+----+++-----+-
++--++-+-++-+-+----++------+
"""
h28 = np.array([[1 if s == "+" else -1 for s in row] for row in h28_str.split()])

def fwht(x):
    # x @ H.T for the Sylvester Hadamard matrix H (symmetric), in float64.
    yv = np.asarray(x, dtype=np.float64)
    lead, n, h = yv.shape[:-1], yv.shape[-1], 1
    while h < n:
        yv = yv.reshape(lead + (n // (2 * h), 2, h))
        yv = np.stack([yv[..., 0, :] + yv[..., 1, :], yv[..., 0, :] - yv[..., 1, :]], axis=-2)
        h *= 2
    return yv.reshape(lead + (n,))

def hadamard_np(x, m):
    # einsum("ij,bj->bi", h, x) with h = hadamard(2**k) (m == 1) or kron(h28, hadamard(2**k)).
    if m == 1:
        return fwht(x)
    b, n = x.shape
    zz = fwht(np.asarray(x, dtype=np.float64).reshape(b, m, n // m))
    return np.einsum("ij,bjq->biq", h28, zz).reshape(b, n)

np.random.seed(7)
hd = []
for dtype, m, k in product([np.float32, np.float16, np.int32], [1, 28], range(1, 15)):
    if (m > 1 and k > 8) or (dtype != np.float16 and k == 14):
        continue
    n = m * 2**k
    xh = np.random.normal(size=(4, n)).astype(dtype)
    scale = 0.34
    y_np = hadamard_np(xh[::2], m) * scale
    hd.append({"dtype": dtype.__name__, "m": m, "k": k, "x": xh, "y": y_np})
out["hadamard"] = hd

# test_hadamard_grad_vmap
def _hadamard(N):
    H = np.array([[1]], dtype=np.int64)
    for i in range(0, np.log2(N).astype(np.int64)):
        H = np.vstack((np.hstack((H, H)), np.hstack((H, -H))))
    return H

np.random.seed(4)
hg = []
for k in range(2, 8):
    n = 2**k
    xg = np.random.normal(size=(n,))
    hh = _hadamard(n)
    cg = np.random.normal(size=(n,))
    hg.append({"x": mx.array(xg).astype(mx.float32), "h": mx.array(hh).astype(mx.float32), "c": mx.array(cg).astype(mx.float32)})
out["hadamard_grad_vmap"] = hg

# test_roll
xr = np.array(mx.arange(10).reshape(2, 5))
SHIFTS = [1, 2, -1, -2, (1, 1), (-1, 2), (33, 33)]
RAXES = [0, 1, (1, 0), (0, 1), (0, 0), (1, 1)]
out["roll"] = {
    "simple": [[M(np.roll(xr, s)), M(np.roll(xr, (s, s, s)))] for s in [-2, -1, 0, 1, 2]],
    "shifts": SHIFTS,
    "axes": RAXES,
    "product": [M(np.roll(xr, s, a)) for s, a in product(SHIFTS, RAXES)],
}

# test_real_imag
out["real_imag"] = {"x": mx.random.uniform(shape=(4, 4)), "y": mx.random.uniform(shape=(4, 4))}
`;

type Any = any;
const R: Any = py(ORACLE);

const I32 = mx.int32;

describe('TestOps', () => {
  test('test_binary_ops', () => {
    const { inputs, cases } = R.binary_ops;
    for (const c of cases as Array<{ op: string; dtype: string; expected: array[] }>) {
      const [y1, y2] = inputs[c.dtype] as array[];
      const atol = c.dtype === 'float16' ? 1e-3 : 1e-6;
      const f = (mx as Any)[c.op === 'floor_divide' ? 'floorDivide' : c.op] as (a: array, b: array) => array;
      const what = `${c.op} ${c.dtype}`;
      let r = f(y1, y2);
      mx.eval(r);
      allclose(r, c.expected[0], atol, 1e-5, what);
      r = f(y1.index(':1'), y2);
      mx.eval(r);
      allclose(r, c.expected[1], atol, 1e-5, `${what} [:1]`);
      r = f(y1.index(':', ':1'), y2);
      mx.eval(r);
      allclose(r, c.expected[2], atol, 1e-5, `${what} [:, :1]`);
      r = f(y1.index(':', ':', ':1'), y2);
      mx.eval(r);
      allclose(r, c.expected[3], atol, 1e-5, `${what} [:, :, :1]`);
    }
  });

  test('test_irregular_binary_ops', () => {
    const { transposed, broadcast, strided } = R.irregular_binary_ops;
    // Check transposed binary ops
    for (const c of transposed as Array<{ a: array; b: array; a_t: number[]; b_t: number[]; expected: array }>) {
      const outmlx = mx.add(mx.transpose(c.a, c.a_t), mx.transpose(c.b, c.b_t));
      arrayEqual(outmlx, c.expected, `transposed ${c.a_t} ${c.b_t}`);
    }
    // Check broadcast binary ops
    for (const c of broadcast as Array<{ a: array; b: array; b_shape: number[]; expected: array }>) {
      const outmlx = mx.add(c.a, mx.reshape(c.b, c.b_shape));
      arrayEqual(outmlx, c.expected, `broadcast ${c.b_shape}`);
    }
    // Check strided binary ops
    for (const d of strided as Array<{
      a: array;
      b: array;
      cases: Array<{ t: number[]; s: number; shape: number[]; fp: number }>;
    }>) {
      const nd = d.a.ndim;
      for (const c of d.cases) {
        const idx: string[] = [];
        for (let i = 0; i < nd; i++) idx.push(i === c.s ? '::2' : ':');
        const cm = mx.add(mx.transpose(d.a, c.t).index(...idx), d.b.index(...idx));
        assert.deepEqual(cm.shape, c.shape, `strided t=${c.t} s=${c.s} shape`);
        assert.equal(fingerprint(cm), c.fp, `strided t=${c.t} s=${c.s}`);
      }
    }
  });

  test('test_softmax', () => {
    const S = R.softmax;
    for (const c of S.cases as Array<{ a: array; atol: number; expected: array[] }>) {
      (S.axes as Array<number | number[] | null>).forEach((axes, i) => {
        const b = mx.softmax(c.a, axes);
        allclose(b, c.expected[i], c.atol, 1e-5, `${c.a.dtype} axes=${JSON.stringify(axes)}`);
      });
    }

    for (const s of [100, 2049, 4097, 8193]) {
      const v = new Float32Array(s).fill(-Infinity);
      v[s - 1] = 0.0;
      const a = mx.softmax(mx.array(v));
      assertFalseArray(mx.any(mx.isnan(a)), `${s} nan`);
      assertTrueArray(mx.less(a.index(':-1'), 1e-9).all(), `${s} < 1e-9`);
      assert.equal(a.index(-1).item(), 1);
    }

    // Sliced inputs
    const y = S.y as array;
    const out = mx.softmax(y.index(':', '0:2'), { axis: -1 });
    assert.ok(Math.abs((out.sum().item() as number) - 8.0) < 0.5e-5, `sum ${out.sum().item()}`);

    // Precise
    for (const a of S.precise as array[]) {
      const t = a.dtype;
      const outExpect = mx.softmax(a.astype(mx.float32)).astype(t);
      const o = mx.softmax(a, { axis: -1, precise: true });
      assertTrueArray(mx.allclose(outExpect, o), `precise ${t}`);
    }

    // All Infs give NaNs
    for (const n of [127, 128, 129]) {
      const x = mx.full([n], -Infinity);
      assertTrueArray(mx.all(mx.isnan(mx.softmax(x))), `${n}`);
    }
  });

  test('test_concatenate', () => {
    const { a, b, cases } = R.concatenate;
    for (const c of cases as Array<{ axis: number | null; p: number[]; expected: array }>) {
      const cm = mx.concatenate([a, mx.transpose(b, c.p)], { axis: c.axis });
      assert.deepEqual(cm.shape, c.expected.shape);
      allclose(cm, c.expected, 1e-6, 1e-5, `axis=${c.axis} p=${c.p}`);
    }

    assert.throws(() => {
      const a2 = mx.array(
        [
          [1, 2],
          [1, 2],
          [1, 2],
        ],
        I32,
      );
      const b2 = mx.array([1, 2], I32);
      mx.concatenate([a2, b2], { axis: 0 });
    }, Error);

    // Cocnatenate with 0-sized array
    const z = mx.zeros([2, 0, 2]);
    const o = mx.zeros([2, 2, 2]);
    const out = mx.concatenate([z, o], { axis: 1 });
    assertTrueArray(mx.arrayEqual(out, o));
  });

  test('test_meshgrid', () => {
    const E = R.meshgrid;
    let x = mx.array([1, 2, 3], mx.int32);

    // Test single input
    let aMlx = mx.meshgrid(x);
    cmpNumpy(aMlx[0], E.single);

    // Test sparse
    aMlx = mx.meshgrid(x, x, x, { sparse: true });
    assert.equal(aMlx.length, 3);
    aMlx.forEach((r: array, i: number) => cmpNumpy(r, E.sparse[i], `sparse ${i}`));

    // Test different lengths
    x = mx.array([1, 2], mx.int32);
    const y = mx.array([1, 2, 3], mx.int32);
    aMlx = mx.meshgrid(x, y);
    assert.equal(aMlx.length, 2);
    aMlx.forEach((r: array, i: number) => cmpNumpy(r, E.lengths[i], `lengths ${i}`));

    // Test empty input
    x = mx.array([], mx.int32);
    aMlx = mx.meshgrid(x);
    cmpNumpy(aMlx[0], E.empty);

    // Test float32 input
    x = mx.array([1.1, 2.2, 3.3], mx.float32);
    aMlx = mx.meshgrid(x, x, x);
    [0, 1, 2].forEach((i) => cmpNumpy(aMlx[i], E.f32[i], `f32 ${i}`));

    // Test ij indexing
    x = mx.array([1.1, 2.2, 3.3, 4.4, 5.5], mx.float32);
    aMlx = mx.meshgrid(x, x, { indexing: 'ij' });
    [0, 1].forEach((i) => cmpNumpy(aMlx[i], E.ij[i], `ij ${i}`));

    // Test different lengths, sparse, and ij indexing
    const a = mx.array([1, 2], mx.int64);
    const b = mx.array([1, 2, 3], mx.int64);
    const c = mx.array([1, 2, 3, 4], mx.int64);
    aMlx = mx.meshgrid(a, b, c, { sparse: true, indexing: 'ij' });
    assert.equal(aMlx.length, 3);
    aMlx.forEach((r: array, i: number) => cmpNumpy(r, E.sparse_ij[i], `sparse ij ${i}`));
  });

  test('test_pad', () => {
    const P = R.pad;
    for (const c of P.cases as Array<{ pw: number[][]; v: number; a: array; constant: array; edge: array }>) {
      const what = `pad_width=${JSON.stringify(c.pw)} value=${c.v}`;
      let b = mx.pad(c.a, c.pw, { constantValues: c.v });
      assert.deepEqual(b.shape, c.constant.shape, what);
      allclose(b, c.constant, 1e-6, 1e-5, what);

      b = mx.pad(c.a, c.pw, { mode: 'edge' });
      assert.deepEqual(b.shape, c.edge.shape, `${what} edge`);
      allclose(b, c.edge, 1e-6, 1e-5, `${what} edge`);
    }

    const a = mx.zeros([1, 1, 1]);
    assert.deepEqual(mx.pad(a, 1).shape, [3, 3, 3]);
    assert.deepEqual(mx.pad(a, [1]).shape, [3, 3, 3]); // (1,)
    assert.deepEqual(mx.pad(a, [1]).shape, [3, 3, 3]); // [1]
    assert.deepEqual(mx.pad(a, [1, 2]).shape, [4, 4, 4]);
    assert.deepEqual(mx.pad(a, [[1, 2]]).shape, [4, 4, 4]); // [(1, 2)]
    assert.deepEqual(mx.pad(a, [[1, 2]]).shape, [4, 4, 4]); // ((1, 2),)
    assert.deepEqual(
      mx.pad(a, [
        [1, 2],
        [2, 1],
        [2, 2],
      ]).shape,
      [4, 4, 5],
    );

    // Test grads
    const aFwd = P.a_fwd as array;
    const aBwd = mx.ones([22, 22]);
    const f = (x: array) =>
      mx.pad(x, [
        [4, 2],
        [2, 4],
      ]);
    const [, df] = mx.vjp(f, [aFwd], [aBwd]);
    assertTrueArray(mx.allclose(aBwd.index('4:-2', '2:-4'), df[0]));
  });

  test('test_where', () => {
    const a = mx.array(
      [
        [1, 2],
        [3, 4],
      ],
      I32,
    );
    cmpNumpy(mx.where(true, a, 1), R.where[0]);
    cmpNumpy(mx.where(true, 1, a), R.where[1]);
    cmpNumpy(
      mx.where(
        mx.array([
          [true, false],
          [false, true],
        ]),
        a,
        mx.array([5, 6], I32),
      ),
      R.where[2],
    );
  });

  test('test_nan_to_num', () => {
    const N = R.nan_to_num;
    let a = mx.array([6, Infinity, 2, 0]);
    allclose(mx.nanToNum(a), N.first);

    [mx.float32, mx.float16].forEach((t, i) => {
      a = mx.array([Infinity, 6.9, NaN, -Infinity]);
      allclose(mx.nanToNum(a), N.per_type[i][0], 1e-8, 1e-5, `${t} default`);

      a = mx.array([Infinity, 6.9, NaN, -Infinity]).astype(t);
      const outMx = mx.nanToNum(a, { nan: 0.0, posinf: 1000, neginf: -1000 });
      allclose(outMx, N.per_type[i][1], 1e-8, 1e-5, `${t} nan/posinf/neginf`);
    });
  });

  test('test_as_strided', () => {
    const A = R.as_strided;
    for (const c of A.cases as Array<{ shape: number[]; stride: number[]; offset: number; expected: array }>) {
      const yMlx = mx.asStrided(A.x, c.shape, c.stride, c.offset);
      arrayEqual(yMlx, c.expected, `shape=${c.shape} stride=${c.stride} offset=${c.offset}`);
    }

    const x = A.u as array;
    const y = mx.asStrided(x, [x.size], [-1], x.size - 1);
    assertTrueArray(mx.arrayEqual(y, x.index('::-1')));
  });

  test('test_scans', () => {
    const S = R.scans;
    const aMlx0 = S.a as array;
    for (const op of ['cumsum', 'cumprod']) {
      const mxop = (mx as Any)[op];
      AX4.forEach((axis, i) => {
        const c = mxop(aMlx0, { axis });
        allclose(c, S.float[op][i], 1e-3, 1e-3, `${op} axis=${axis}`);
      });
    }

    [mx.int32, mx.int64].forEach((dt, j) => {
      const mxx = (S.ai as array).astype(dt);
      for (const op of ['cumsum', 'cumprod']) {
        const mxop = (mx as Any)[op];
        AX4.forEach((axis, i) => {
          const c = mxop(mxx, { axis });
          arrayEqual(c, S.int[j][op][i], `${op} ${dt} axis=${axis}`);
        });
      }
    });

    const aMlx = S.ai2 as array;
    for (const op of ['cumsum', 'cumprod', 'cummax', 'cummin']) {
      const mxop = (mx as Any)[op] as (a: array, o?: object) => array;
      let c1 = mxop(aMlx, { axis: 2 });
      let c2 = mxop(aMlx, { axis: 2, inclusive: false, reverse: false });
      assertTrueArray(mx.arrayEqual(c1.index(':', ':', ':-1'), c2.index(':', ':', '1:')), `${op} exclusive 2`);
      c1 = mxop(aMlx, { axis: 1 });
      c2 = mxop(aMlx, { axis: 1, inclusive: false, reverse: false });
      assertTrueArray(mx.arrayEqual(c1.index(':', ':-1', ':'), c2.index(':', '1:', ':')), `${op} exclusive 1`);
      c1 = mxop(aMlx, { axis: 0 });
      c2 = mxop(aMlx, { axis: 0, inclusive: false, reverse: false });
      assertTrueArray(mx.arrayEqual(c1.index(':-1', ':', ':'), c2.index('1:', ':', ':')), `${op} exclusive 0`);

      let revIdx = mx.arange(31, -1, -1);
      c1 = mxop(aMlx.index(':', ':', revIdx), { axis: 2 }).index(':', ':', revIdx);
      c2 = mxop(aMlx, { axis: 2, inclusive: true, reverse: true });
      assertTrueArray(mx.arrayEqual(c1, c2), `${op} reverse 2`);
      c1 = mxop(aMlx.index(':', revIdx, ':'), { axis: 1 }).index(':', revIdx, ':');
      c2 = mxop(aMlx, { axis: 1, inclusive: true, reverse: true });
      assertTrueArray(mx.arrayEqual(c1, c2), `${op} reverse 1`);
      c1 = mxop(aMlx.index(revIdx, ':', ':'), { axis: 0 }).index(revIdx, ':', ':');
      c2 = mxop(aMlx, { axis: 0, inclusive: true, reverse: true });
      assertTrueArray(mx.arrayEqual(c1, c2), `${op} reverse 0`);

      revIdx = mx.arange(31, -1, -1);
      c1 = mxop(aMlx.index(':', ':', revIdx), { axis: 2 })
        .index(':', ':', revIdx)
        .index(':', ':', '1:');
      c2 = mxop(aMlx, { axis: 2, inclusive: false, reverse: true }).index(':', ':', ':-1');
      assertTrueArray(mx.arrayEqual(c1, c2), `${op} reverse exclusive 2`);
      c1 = mxop(aMlx.index(':', revIdx, ':'), { axis: 1 })
        .index(':', revIdx, ':')
        .index(':', '1:', ':');
      c2 = mxop(aMlx, { axis: 1, inclusive: false, reverse: true }).index(':', ':-1', ':');
      assertTrueArray(mx.arrayEqual(c1, c2), `${op} reverse exclusive 1`);
      c1 = mxop(aMlx.index(revIdx, ':', ':'), { axis: 0 })
        .index(revIdx, ':', ':')
        .index('1:', ':', ':');
      c2 = mxop(aMlx, { axis: 0, inclusive: false, reverse: true }).index(':-1', ':', ':');
      assertTrueArray(mx.arrayEqual(c1, c2), `${op} reverse exclusive 0`);
    }

    let a = S.u as array;
    const mat = mx.tri(32);
    for (const t of [mx.float16, mx.bfloat16]) {
      const aT = a.astype(t);
      const matT = mat.astype(t);
      const out = mx.cumsum(aT, { axis: -1 });
      const expected = mx.multiply(matT, aT.index(':', null, ':')).sum({ axis: -1 });
      assertTrueArray(mx.allclose(out, expected, { rtol: 0.02, atol: 1e-3 }), `${t}`);
    }
    for (const s of [1023, 1024, 1025, 2047, 2048, 2049]) {
      a = mx.ones([s], mx.int32);
      let out = mx.cumsum(a);
      let expected = mx.arange(1, s + 1, { dtype: mx.int32 });
      assertTrueArray(mx.arrayEqual(expected, out), `${s}`);

      // non-contiguous scan
      a = mx.ones([s, 2], mx.int32);
      out = mx.cumsum(a, { axis: 0 });
      expected = mx.repeat(expected.index(':', null), 2, { axis: 1 });
      assertTrueArray(mx.arrayEqual(expected, out), `${s} non-contiguous`);
    }
  });

  test('test_squeeze_expand', () => {
    let a = mx.zeros([2, 1, 2, 1]);
    assert.deepEqual(mx.squeeze(a).shape, [2, 2]);
    assert.deepEqual(mx.squeeze(a, 1).shape, [2, 2, 1]);
    assert.deepEqual(mx.squeeze(a, [1, 3]).shape, [2, 2]);
    assert.deepEqual(a.squeeze().shape, [2, 2]);
    assert.deepEqual(a.squeeze(1).shape, [2, 2, 1]);
    assert.deepEqual(a.squeeze([1, 3]).shape, [2, 2]);

    a = mx.zeros([2, 2]);
    assert.deepEqual(mx.squeeze(a).shape, [2, 2]);

    assert.deepEqual(mx.expandDims(a, 0).shape, [1, 2, 2]);
    assert.deepEqual(mx.expandDims(a, [0, 1]).shape, [1, 1, 2, 2]);
    assert.deepEqual(mx.expandDims(a, [0, -1]).shape, [1, 2, 2, 1]);
  });

  test('test_sort', () => {
    const S = R.sort;
    for (const c of S.cases as Array<{ dtype: string; axis: number | null; strided: boolean; b: array; d: array }>) {
      const what = `dtype=${c.dtype} axis=${c.axis} strided=${c.strided}`;
      let aMx = S.a[c.dtype] as array;
      if (c.strided) aMx = aMx.index('::2', ':', '::2');

      const bMx = mx.sort(aMx, { axis: c.axis });
      arrayEqual(bMx, c.b, what);
      assertDtype(bMx.dtype, aMx.dtype, what);

      const cMx = mx.argsort(aMx, { axis: c.axis });
      const dMx = mx.takeAlongAxis(aMx, cMx, { axis: c.axis });
      arrayEqual(dMx, c.d, what);
      assertDtype(cMx.dtype, mx.uint32, what);
    }

    // Test multi-block sort
    for (const c of S.multi_block as Array<Record<string, Any>>) {
      const what = `strided=${c.strided}`;
      let aMx = c.a1 as array;
      if (c.strided) aMx = aMx.index('::3');
      let bMx = mx.sort(aMx);
      arrayEqual(bMx, c.b1, what);
      assertDtype(bMx.dtype, aMx.dtype);

      // Test multi-dum multi-block sort
      aMx = c.a2 as array;
      if (c.strided) aMx = aMx.index('...', '::3');
      bMx = mx.sort(aMx, { axis: -1 });
      arrayEqual(bMx, c.b2, `${what} (2, 4, 32769)`);
      assertDtype(bMx.dtype, aMx.dtype);

      aMx = c.a3 as array;
      if (c.strided) aMx = aMx.index(':', '::3');
      bMx = mx.sort(aMx, { axis: 1 });
      arrayEqual(bMx, c.b3, `${what} (2, 32769, 4)`);
      assertDtype(bMx.dtype, aMx.dtype);
    }

    // test 0 strides
    const aMx = S.zero_strides.a as array;
    const bMx = mx.broadcastTo(aMx, [16, 8]);
    mx.eval(bMx);
    for (const axis of [0, 1]) {
      const cMx = mx.sort(bMx, { axis });
      arrayEqual(cMx, S.zero_strides.expected[axis], `0 strides axis=${axis}`);
      assertDtype(bMx.dtype, cMx.dtype);
    }

    // Test very large array
    const dev = mx.defaultDevice() as Any;
    const devType = dev.type ?? dev;
    if (devType.name === 'gpu') {
      assert.ok(S.large, 'the oracle ran on a different device');
      const bBig = mx.sort(S.large.a as array);
      arrayEqual(bBig, S.large.b);
    }

    // 1D strided sort
    const a = mx.array(
      [
        [4, 3],
        [2, 1],
        [5, 4],
        [3, 2],
      ],
      I32,
    );
    const out = mx.argsort(a.index(':', 1));
    const expected = mx.array([1, 3, 0, 2], mx.uint32);
    assertTrueArray(mx.arrayEqual(out, expected));
  });

  test('test_partition', () => {
    const P = R.partition;
    for (const c of P.cases as Array<{
      dtype: string;
      axis: number | null;
      kth: number;
      c: array;
      top: array | null;
    }>) {
      const what = `dtype=${c.dtype} axis=${c.axis} kth=${c.kth}`;
      const aMx = P.a[c.dtype] as array;
      const bMx = mx.partition(aMx, c.kth, { axis: c.axis });
      // c_mx = np.take(np.array(b_mx), (kth,), axis=axis)
      const cMx = mx.take(bMx, mx.array([c.kth], I32), { axis: c.axis });
      arrayEqual(cMx, c.c, what);
      assertDtype(bMx.dtype, aMx.dtype, what);

      if (c.kth >= 0) {
        const topKMx = mx.topk(aMx, c.kth, { axis: c.axis });
        assertTrueArray(mx.all(mx.lessEqual(c.top as array, topKMx)), `${what} topk`);
        assertDtype(topKMx.dtype, aMx.dtype, what);
        const N = c.axis !== null ? aMx.shape[c.axis] : aMx.size;
        const M = topKMx.shape[c.axis ?? 0];
        assert.equal(M, (c.kth + N) % N, what);
      }
    }
  });

  test('test_argpartition', () => {
    let x = mx.broadcastTo(mx.array([1, 2, 3], I32), [2, 3]);
    let out = mx.argpartition(x, 1, { axis: 0 });
    let expected = mx.array(
      [
        [0, 0, 0],
        [1, 1, 1],
      ],
      I32,
    );
    assertTrueArray(mx.arrayEqual(out, expected));

    x = mx.array(
      [
        [1, 2],
        [3, 4],
      ],
      I32,
    ).T;
    out = mx.argpartition(x, 1, { axis: 0 });
    expected = mx.array(
      [
        [0, 0],
        [1, 1],
      ],
      I32,
    );
    assertTrueArray(mx.arrayEqual(out, expected));
  });

  test(
    'test_large_binary',
    { skip: process.env.LOW_MEMORY !== undefined ? 'This test requires a lot of memory' : false },
    () => {
      const a = mx.ones([1000, 2147484], mx.int8);
      const b = mx.ones([2147484], mx.int8);
      assert.equal(mx.add(a, b).index(0, 0).item(), 2);
    },
  );

  test('test_eye', () => {
    cmpNumpy(mx.eye(3), R.eye[0]);
    // Test for non-square matrix
    cmpNumpy(mx.eye(3, 4), R.eye[1]);
    // Test with positive k parameter
    cmpNumpy(mx.eye(3, 4, { k: 1 }), R.eye[2]);
    // Test with negative k parameter
    cmpNumpy(mx.eye(5, 6, { k: -2 }), R.eye[3]);
  });

  test('test_stack', () => {
    let a = mx.ones([2]);
    let b = mx.ones([2]);

    // One dimensional stack axis=0
    let c = mx.stack([a, b]);
    arrayEqual(c, R.stack[0]);

    // One dimensional stack axis=1
    c = mx.stack([a, b], { axis: 1 });
    arrayEqual(c, R.stack[1]);

    a = mx.ones([1, 2]);
    b = mx.ones([1, 2]);

    // Two dimensional stack axis=0
    c = mx.stack([a, b]);
    arrayEqual(c, R.stack[2]);

    // Two dimensional stack axis=1
    c = mx.stack([a, b], { axis: 1 });
    arrayEqual(c, R.stack[3]);
  });

  test('test_flatten', () => {
    const x = mx.zeros([2, 3, 4]);
    assert.deepEqual(mx.flatten(x).shape, [2 * 3 * 4]);
    assert.deepEqual(mx.flatten(x, { startAxis: 1 }).shape, [2, 3 * 4]);
    assert.deepEqual(mx.flatten(x, { endAxis: 1 }).shape, [2 * 3, 4]);
    assert.deepEqual(x.flatten().shape, [2 * 3 * 4]);
    assert.deepEqual(x.flatten({ startAxis: 1 }).shape, [2, 3 * 4]);
    assert.deepEqual(x.flatten({ endAxis: 1 }).shape, [2 * 3, 4]);
  });

  test('test_clip', () => {
    let clipped = mx.clip(mx.array([1, 4, 3, 8, 5], I32), 2, 6);
    arrayEqual(clipped, R.clip[0]);

    clipped = mx.clip(mx.array([-1, 1, 0, 5], I32), 0, null);
    arrayEqual(clipped, R.clip[1]);

    clipped = mx.clip(mx.array([2, 3, 4, 5], I32), null, 4);
    arrayEqual(clipped, R.clip[2]);

    const mins = mx.array([3, 1, 5, 5], mx.int64); // np.array([3, 1, 5, 5]): int64
    clipped = mx.clip(mx.array([2, 3, 4, 5], I32), mins, 4);
    arrayEqual(clipped, R.clip[3]);

    const maxs = mx.array([5, -1, 2, 9], mx.int64);
    clipped = mx.clip(mx.array([2, 3, 4, 5], I32), mins, maxs);
    arrayEqual(clipped, R.clip[4]);

    // Check clip output types
    let a = mx.array([1, 2, 3], mx.int16);
    // (the test passes a_min / a_max by keyword; see the header)
    let outT = mx.clip(a, 0, 5).dtype;
    assertDtype(outT, mx.int16);

    outT = mx.clip(a, 0.5, 5).dtype; // Python: a_min=0.0 (a float)
    assertDtype(outT, mx.float32);

    a = mx.array([1, 2, 3], mx.float16);
    outT = mx.clip(a, 0, 5).dtype; // Python: a_min=0.0
    assertDtype(outT, mx.float16);

    a = mx.array([1, 2, 3], mx.float16);
    outT = mx.clip(a, 0, mx.array(1.0)).dtype;
    assertDtype(outT, mx.float32);
  });

  test('test_linspace', () => {
    // Test default num = 50
    const a = mx.linspace(0, 1);
    cmpNumpy(a, R.linspace[0]);

    // Test int64 dtype
    const b = mx.linspace(0, 10, 5, { dtype: mx.int64 }); // see the header
    cmpNumpy(b, R.linspace[1]);

    // Test negative sequence with float start and stop
    const c = mx.linspace(-2.7, -0.7, 7);
    cmpNumpy(c, R.linspace[2]);

    // Test irrational step size of 1/9
    let d = mx.linspace(0, 1, 10);
    cmpNumpy(d, R.linspace[3]);

    // Test num equal to 1
    d = mx.linspace(1, 10, 1);
    cmpNumpy(d, R.linspace[4]);
  });

  test('test_repeat', () => {
    // Setup data for the tests
    const data = mx.array(
      [
        [
          [13, 3],
          [16, 6],
        ],
        [
          [14, 4],
          [15, 5],
        ],
        [
          [11, 1],
          [12, 2],
        ],
      ],
      I32,
    );
    // Test repeat 0 times
    cmpNumpy(mx.repeat(data, 0), R.repeat[0]);
    // Test repeat along axis 0
    cmpNumpy(mx.repeat(data, 2, { axis: 0 }), R.repeat[1]);
    // Test repeat along axis 1
    cmpNumpy(mx.repeat(data, 2, { axis: 1 }), R.repeat[2]);
    // Test repeat along the last axis (default)
    cmpNumpy(mx.repeat(data, 2), R.repeat[3]);
    // Test repeat with a 1D array along axis 0
    cmpNumpy(mx.repeat(mx.array([1, 3, 2], I32), 3, { axis: 0 }), R.repeat[4]);
    // Test repeat with a 2D array along axis 0
    cmpNumpy(
      mx.repeat(
        mx.array(
          [
            [1, 2, 3],
            [4, 5, 4],
            [0, 1, 2],
          ],
          I32,
        ),
        2,
        { axis: 0 },
      ),
      R.repeat[5],
    );
  });

  test('test_tensordot', () => {
    // No fp16 matmuls on common cpu backend
    const isAppleSilicon = mx.metal.isAvailable() && process.arch === 'arm64';
    const dtypes = isAppleSilicon ? ['float16', 'float32'] : ['float32'];
    for (const dtype of dtypes) {
      for (const c of R.tensordot[dtype] as Array<{ a: array; b: array; axes: number | number[][]; expected: array }>) {
        cmpNumpy(mx.tensordot(c.a, c.b, { axes: c.axes }), c.expected, `${dtype} axes=${JSON.stringify(c.axes)}`);
      }
    }
  });

  test('test_inner', () => {
    for (const c of R.inner as Array<{ a: array; b: array; expected: array }>) {
      cmpNumpy(mx.inner(c.a, c.b), c.expected, `${c.a.shape} ${c.b.shape}`);
    }
  });

  test('test_outer', () => {
    const [c0, c1, c2] = R.outer as Array<{ a: array; b: array; expected: array }>;
    cmpNumpy(mx.outer(c0.a, c0.b), c0.expected);
    cmpNumpy(mx.outer(mx.ones(5), mx.linspace(-2, 2, 5)), c1.expected);
    cmpNumpy(mx.outer(mx.multiply({ re: 0, im: 1 }, mx.linspace(2, -2, 5)), mx.ones(5)), c2.expected);
  });

  test('test_divmod', () => {
    for (const c of R.divmod as Array<{ a: array; b: array; q: array; what: string }>) {
      const mxOut = mx.divmod(c.a, c.b);
      allclose(mxOut[0], c.q, 1e-8, 1e-5, c.what);
    }
  });

  test('test_tile', () => {
    for (const c of R.tile as Array<{ a: array; reps: number[]; expected: array }>) {
      cmpNumpy(mx.tile(c.a, c.reps), c.expected, `${c.a.shape} ${c.reps}`);
    }
  });

  test('test_empty_matmuls', () => {
    let a = mx.array([]);
    let b = mx.array([]);
    assert.equal(mx.inner(a, b).item(), 0.0);

    a = mx.zeros([10, 0]);
    b = mx.zeros([0, 10]);
    const out = mx.matmul(a, b);
    assertTrueArray(mx.arrayEqual(out, mx.zeros([10, 10])));
  });

  test('test_diagonal', () => {
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
      I32,
    );
    let expected = [
      [0, 13],
      [4, 17],
      [8, 21],
    ];
    assert.deepEqual(mx.diagonal(x, 0, -1, 0).tolist(), expected);

    expected = [
      [1, 14],
      [5, 18],
      [9, 22],
    ];
    assert.deepEqual(mx.diagonal(x, -1, 2, 0).tolist(), expected);
  });

  test('test_diag', () => {
    // Test 1D input
    let x = mx.array([1, 2, 3, 4], I32);
    let expected = mx.array(
      [
        [1, 0, 0, 0],
        [0, 2, 0, 0],
        [0, 0, 3, 0],
        [0, 0, 0, 4],
      ],
      I32,
    );
    let result = mx.diag(x);
    assertTrueArray(mx.arrayEqual(result, expected));

    // Test 1D with offset
    x = mx.array([2, 6], I32);
    result = mx.diag(x, { k: 5 });
    assertTrueArray(mx.arrayEqual(result, R.diag[0]));

    // Test 2D input
    x = mx.array(
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
      I32,
    );
    expected = mx.array([1, 5, 9], I32);
    result = mx.diag(x);
    assertTrueArray(mx.arrayEqual(result, expected));

    // Test with offset
    expected = mx.array([2, 6], I32);
    result = mx.diag(x, 1);
    assertTrueArray(mx.arrayEqual(result, expected));

    // Test non-square
    x = mx.array(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      I32,
    );
    result = mx.diag(x);
    assertTrueArray(mx.arrayEqual(result, R.diag[1]));

    result = mx.diag(x, { k: 10 });
    assertTrueArray(mx.arrayEqual(result, R.diag[2]));

    result = mx.diag(x, { k: -10 });
    assertTrueArray(mx.arrayEqual(result, R.diag[3]));

    result = mx.diag(x, { k: -1 });
    assertTrueArray(mx.arrayEqual(result, R.diag[4]));
  });

  test('test_trace', () => {
    const aMx = mx.arange(9, { dtype: mx.int64 }).reshape([3, 3]);

    // Test 2D array
    cmpNumpy(mx.trace(aMx), R.trace[0]);

    // Test dtype
    cmpNumpy(mx.trace(aMx, { dtype: mx.float16 }), R.trace[1]);

    // Test offset
    cmpNumpy(mx.trace(aMx, { offset: 1 }), R.trace[2]);

    // Test axis1 and axis2
    const bMx = mx.arange(27, { dtype: mx.int64 }).reshape(3, 3, 3);
    cmpNumpy(mx.trace(bMx, { axis1: 1, axis2: 2 }), R.trace[3]);

    // Test offset, axis1, axis2, and dtype
    cmpNumpy(mx.trace(bMx, { offset: 1, axis1: 1, axis2: 2, dtype: mx.float32 }), R.trace[4]);
  });

  // test_atleast_1d / 2d / 3d: the same body for atleast1d/2d/3d.
  const ATLEAST_ARRAYS = [
    [1],
    [1, 2, 3],
    [1, 2, 3, 4],
    [[1], [2], [3]],
    [
      [1, 2],
      [3, 4],
    ],
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    [[[[1]], [[2]], [[3]]]],
  ];
  function atleastCase(n: 1 | 2 | 3) {
    const f = (mx as Any)[`atleast${n}d`] as (...a: array[]) => array | array[];
    const expected = R.atleast[String(n)] as Array<{ list: unknown; shape: number[]; ndim: number }>;
    const mxArrays = ATLEAST_ARRAYS.map((x) => f(mx.array(x, I32)) as array);
    const atleastArrays = f(...mxArrays) as array[];

    ATLEAST_ARRAYS.forEach((arr, i) => {
      const mxRes = f(mx.array(arr, I32)) as array;
      assert.deepEqual(mxRes.tolist(), expected[i].list, `${JSON.stringify(arr)}`);
      assert.deepEqual(mxRes.shape, expected[i].shape);
      assert.equal(mxRes.ndim, expected[i].ndim);
      assertTrueArray(mx.all(mx.equal(mxRes, atleastArrays[i])));
    });
  }
  test('test_atleast_1d', () => atleastCase(1));
  test('test_atleast_2d', () => atleastCase(2));
  test('test_atleast_3d', () => atleastCase(3));

  test('test_issubdtype', () => {
    assert.equal(mx.issubdtype(mx.bfloat16, mx.inexact), true);

    const { cats, table } = R.issubdtype as { cats: string[]; table: boolean[][] };
    const get = (name: string) => (mx as Any)[name];
    cats.forEach((a, i) => {
      cats.forEach((b, j) => {
        assert.equal(mx.issubdtype(get(a), get(b)), table[i][j], `mx and np don't aggree on ${a}, ${b}`);
      });
    });
  });

  test('test_bitwise_ops', () => {
    const B = R.bitwise_ops;
    const a = B.a as array;
    const b = B.b as array;
    const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    for (const c of B.logic as Array<{ op: string; t: string; expected: array }>) {
      const t = dtypeOf(c.t);
      const outMlx = (mx as Any)[camel(c.op)](a.astype(t), b.astype(t));
      arrayEqual(outMlx, c.expected, `${c.op} ${c.t}`);
    }
    for (const c of B.shift as Array<{ op: string; t: string; b: array; expected: array }>) {
      const t = dtypeOf(c.t);
      const outMlx = (mx as Any)[camel(c.op)](a.astype(t), c.b);
      arrayEqual(outMlx, c.expected, `${c.op} ${c.t}`);
    }

    // Check broadcasting
    const x = mx.ones([3, 1, 5], { dtype: mx.bool_ });
    const y = mx.zeros([1, 2, 5], { dtype: mx.bool_ });
    const z = mx.bitwiseOr(x, y);
    assert.deepEqual(z.shape, [3, 2, 5]);
    assertTrueArray(mx.arrayEqual(z, mx.ones([3, 2, 5], { dtype: mx.bool_ })));
  });

  test('test_bitwise_grad', () => {
    const [a, b, cotangent] = R.bitwise_grad as array[];
    const bitwise = (x: array, y: array) => mx.bitwiseAnd(x.astype(mx.int32), y.astype(mx.int32));
    const [, vjps] = mx.vjp(bitwise, [a, b], [cotangent]);
    for (const vjp of vjps as array[]) {
      assertFalseArray(mx.any(vjp));
    }
  });

  test('test_conjugate', () => {
    const C = R.conjugate;
    for (const op of ['conjugate', 'conj']) {
      const outMlx = (mx as Any)[op](C.a as array);
      arrayEqual(outMlx, C[op], op);
    }
    const outMlx = (C.a as array).conj();
    arrayEqual(outMlx, C.method, 'a.conj()');
  });

  test('test_view', () => {
    const V = R.view;
    // Check scalar
    const out = mx.array(1, mx.int8).view(mx.uint8).item();
    assert.equal(out, 1);

    let a = V.a as array;
    for (const t of ['bool_', 'int16', 'float32', 'int64']) {
      const o = a.view(dtypeOf(t));
      arrayEqual(o, V.expected[t], t); // equal_nan: NaN equals NaN here
    }

    // Irregular strides
    a = mx.broadcastTo(V.a2 as array, [4, 2, 4]);
    for (const t of ['bool_', 'int16', 'float32', 'int64']) {
      const o = a.view(dtypeOf(t));
      const aOut = o.view(mx.int32);
      assertTrueArray(mx.arrayEqual(aOut, a, { equalNan: true }), `broadcast ${t}`);
    }

    a = (V.a3 as array).T;
    for (const t of ['bool_', 'int16', 'float32', 'int64']) {
      const o = a.view(dtypeOf(t));
      const aOut = o.view(mx.int32);
      assertTrueArray(mx.arrayEqual(aOut, a, { equalNan: true }), `transposed ${t}`);
    }
  });

  test('test_hadamard', () => {
    for (const c of R.hadamard as Array<{ dtype: string; m: number; k: number; x: array; y: array }>) {
      const what = `dtype=${c.dtype} m=${c.m} k=${c.k}`;
      const scale = 0.34;
      // contiguity check
      const x = c.x.index('::2');
      const y = mx.hadamardTransform(x, { scale });
      mx.eval(y);
      const atol = c.dtype === 'float32' ? 2e-4 : 5e-2 * c.k;
      assertEqualArray(y, c.y, { atol, rtol: 1e-7, dtype: false, msg: what });

      // bfloat16 emulation on M1 means 2**14 doesn't fit in threadgroup memory
      if (c.dtype === 'float16' && c.k < 14) {
        const yBf16 = mx.hadamardTransform(x.astype(mx.bfloat16), { scale });
        assertEqualArray(yBf16.astype(mx.float16), y, {
          atol: atol * 2,
          rtol: 1e-7,
          dtype: false,
          msg: `${what} bf16`,
        });
      }
    }
  });

  test('test_hadamard_grad_vmap', () => {
    const cases = R.hadamard_grad_vmap as Array<{ x: array; h: array; c: array }>;
    cases.forEach(({ x, h, c }, i) => {
      const k = i + 2;
      const n = 2 ** k;
      const hadamardTransform = (v: array) => mx.divide(mx.matmul(h, v), mx.sqrt(v.shape[v.ndim - 1]));

      const out = mx.vjp(hadamardTransform, [x], [c]);
      const outT = mx.vjp(mx.hadamardTransform, [x], [c]);
      const close = (p: [array[], array[]], q: [array[], array[]], msg: string) => {
        assertEqualArray(p[0][0], q[0][0], { atol: 1e-4, rtol: 1e-7, dtype: false, msg: `${msg} outputs` });
        assertEqualArray(p[1][0], q[1][0], { atol: 1e-4, rtol: 1e-7, dtype: false, msg: `${msg} vjps` });
      };
      close(out, outT, `k=${k} vjp`);

      for (const axis of [0, 1, 2]) {
        const vht = mx.vmap(mx.vmap(hadamardTransform, 0, 0), axis, axis);
        const vhtT = mx.vmap(mx.vmap(mx.hadamardTransform, 0, 0), axis, axis);

        const xb = randn([n, n, n], 1000 * k + axis);
        const o = vht(xb) as array;
        const oT = vhtT(xb) as array;
        assertEqualArray(o, oT, { atol: 1e-4, rtol: 1e-7, dtype: false, msg: `k=${k} vmap axis=${axis}` });
      }
    });
  });

  test('test_roll', () => {
    const Rr = R.roll;
    const x = mx.arange(10).reshape(2, 5);

    [-2, -1, 0, 1, 2].forEach((s, i) => {
      let y2 = mx.roll(x, s);
      assertTrueArray(mx.arrayEqual(Rr.simple[i][0], y2), `shift ${s}`);

      y2 = mx.roll(x, [s, s, s]);
      assertTrueArray(mx.arrayEqual(Rr.simple[i][1], y2), `shift (${s}, ${s}, ${s})`);
    });

    let i = 0;
    for (const s of Rr.shifts as Array<number | number[]>) {
      for (const a of Rr.axes as Array<number | number[]>) {
        const y2 = mx.roll(x, s, a);
        assertTrueArray(mx.arrayEqual(Rr.product[i++], y2), `shift ${JSON.stringify(s)} axis ${JSON.stringify(a)}`);
      }
    }
  });

  test('test_real_imag', () => {
    const x = R.real_imag.x as array;
    let out = mx.real(x);
    assertTrueArray(mx.arrayEqual(x, out));

    out = mx.imag(x);
    assertTrueArray(mx.arrayEqual(mx.zerosLike(x), out));

    const y = R.real_imag.y as array;
    const z = mx.add(x, mx.multiply({ re: 0, im: 1 }, y));
    assertDtype(mx.real(z).dtype, mx.float32);
    assertTrueArray(mx.arrayEqual(mx.real(z), x));
    assertDtype(mx.imag(z).dtype, mx.float32);
    assertTrueArray(mx.arrayEqual(mx.imag(z), y));
  });

  test('test_broadcast_arrays', () => {
    let a = mx.array(1, I32);
    let b = mx.array(1.0);
    [a, b] = mx.broadcastArrays(a, b);
    assert.deepEqual(a.shape, []);
    assertDtype(a.dtype, mx.int32);
    assert.deepEqual(b.shape, []);
    assertDtype(b.dtype, mx.float32);

    [a, b] = mx.broadcastArrays(mx.zeros([3, 1, 2]), mx.zeros([4, 1]));
    assert.deepEqual(a.shape, [3, 4, 2]);
    assert.deepEqual(b.shape, [3, 4, 2]);
  });
});
