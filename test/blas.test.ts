// Port of python/tests/test_blas.py (ml-explore/mlx v0.32.4).
//
// The numpy expectations come from the oracle (Python mlx 0.32.4 + numpy) in
// ONE py() call for the whole file (helpers/oracle_batch.ts), made the first
// time a test reads a result. The random operands of the Python test
// (np.random.normal / mx.random.*) are seeded inputs that JS and the oracle
// build bit-identically from a small spec, so only the specs travel to Python
// and only the products come back. As in Python, where a helper
// re-seeds (__gemm_test, __gemv_test) a shape's operand is a prefix of one
// fixed stream.
//
// Differences from the Python file:
// - test_matmul_unaligned, test_matmul_shapes and test_gemv_gemm_same_precision
//   return at once in Python without a GPU; the port runs their bodies on the
//   default device (they pass there in Python mlx too), so they assert
//   something. The GPU-only extra shapes of test_matmul_shapes stay GPU-only.
// - test_segmented_mm: the (1000, 1000, 1000) case is (200, 200, 1000) here
//   (same K, so the same segments). On this 2-core CPU its 24 products of
//   1000^3 take ~9 s alone (the Python test itself runs 12.5 s here), which
//   would put the file over its time budget.
// - test_complex_gemm re-checks `out` against `out_np` in its last step (as in
//   Python) and also checks the complex-with-real product `c` it computes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { mx } from '../lib/index';
import type { array, Device, Dtype } from '../lib/index';
import { assertEqualArray } from './helpers/mlx_tests';
import {
  OracleBatch,
  Seeded,
  assertAllClose,
  broadcastShapes,
  lazy,
  normal,
  randint,
  uniform,
} from './helpers/oracle_batch';

const dt = (name: string): Dtype => (mx as unknown as Record<string, Dtype>)[name];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

// TestBlas.dtypes
const DTYPES = ['float32', 'float16'];

/** self.assertListEqual(shapes) and np.allclose(actual, expected, atol=atol) (numpy's default rtol). */
function assertClose(actual: array, expected: array, atol: number, msg?: string): void {
  assertAllClose(actual, expected, { atol, rtol: 1e-5, msg });
}

/** self.assertTrue(mx.allclose(a, b, atol=...)) */
function assertMxClose(a: array, b: array, opts: { atol?: number; rtol?: number } = {}, msg?: string): void {
  assert.equal(mx.allclose(a, b, opts).item(), true, msg);
}

const T3 = (x: array) => mx.transpose(x, [0, 2, 1]);

const O = new OracleBatch(`
def gemm_ref(a, b, ta, tb):
    dtype = a.dtype
    a = a.astype(np.float32)
    b = b.astype(np.float32)
    if ta:
        a = np.transpose(a, (0, 2, 1))
    if tb:
        b = np.transpose(b, (0, 2, 1))
    return (a @ b).astype(dtype)

def gemv_ref(mat, vec, mat_first, vec_t, bmat, bvec):
    if vec_t:
        vec = np.transpose(vec, (1, 0))
    if bmat is not None:
        mat = np.broadcast_to(mat, bmat)
    if bvec is not None:
        vec = np.broadcast_to(vec, bvec)
    return mat @ vec if mat_first else vec @ mat

def np_gather_mm(a, b, lhs_indices=None, rhs_indices=None):
    a = a.reshape((-1, a.shape[-2], a.shape[-1]))
    b = b.reshape((-1, b.shape[-2], b.shape[-1]))
    lhs_indices = lhs_indices or np.arange(a.shape[0])
    rhs_indices = rhs_indices or np.arange(b.shape[0])
    a = a[lhs_indices, :, :]
    b = b[rhs_indices, :, :]
    out = a @ b
    return out
`);

// ---------------------------------------------------------------------------
// __gemm_test: np.random.seed(42); a, b ~ normal(0, 1 / max(sum(shape_a), 128)) in np_dtype;
// numpy multiplies in float32 and casts back.

interface GemmCase {
  shapeA: number[];
  shapeB: number[];
  dtype: string;
  ta: boolean;
  tb: boolean;
  a: Seeded;
  b: Seeded;
  e: number;
}
function gemmCase(shapeA: number[], shapeB: number[], dtype: string, ta = false, tb = false): GemmCase {
  const std = 1.0 / Math.max(sum(shapeA), 128);
  const a = normal(42, shapeA, std, dtype);
  const b = normal(43, shapeB, std, dtype);
  const e = O.expr('gemm_ref(a, b, ta, tb)', { a, b, ta, tb });
  return { shapeA, shapeB, dtype, ta, tb, a, b, e };
}
function gemmTest(c: GemmCase): void {
  const a_mx = c.ta ? T3(c.a.mx) : c.a.mx;
  const b_mx = c.tb ? T3(c.b.mx) : c.b.mx;
  const out_mlx = mx.matmul(a_mx, b_mx);
  const out_npy = O.get(c.e);
  assertClose(out_mlx, out_npy, 1e-5, `dtype=${c.dtype} shape_a=${c.shapeA} shape_b=${c.shapeB} ta=${c.ta} tb=${c.tb}`);
}

// __gemv_test: np.random.seed(42); mat, vec ~ normal(0, 1 / max(sum(shape_mat), 32)) in np_dtype.
interface GemvOpts {
  matFirst?: boolean;
  vecT?: boolean; // np_vec_f / mlx_vec_f = transpose(x, (1, 0))
  bmat?: number[]; // np_mat_f / mlx_mat_f = broadcast_to(x, bmat)
  bvec?: number[]; // np_vec_f / mlx_vec_f = broadcast_to(x, bvec)
}
interface GemvCase extends GemvOpts {
  shapeMat: number[];
  shapeVec: number[];
  dtype: string;
  mat: Seeded;
  vec: Seeded;
  e: number;
}
function gemvCase(shapeMat: number[], shapeVec: number[], dtype: string, opts: GemvOpts = {}): GemvCase {
  const { matFirst = true, vecT = false, bmat, bvec } = opts;
  const std = 1.0 / Math.max(sum(shapeMat), 32);
  const mat = normal(44, shapeMat, std, dtype);
  const vec = normal(45, shapeVec, std, dtype);
  const e = O.expr('gemv_ref(mat, vec, mat_first, vec_t, bmat, bvec)', {
    mat,
    vec,
    mat_first: matFirst,
    vec_t: vecT,
    bmat: bmat ?? null,
    bvec: bvec ?? null,
  });
  return { shapeMat, shapeVec, dtype, matFirst, vecT, bmat, bvec, mat, vec, e };
}
function gemvTest(c: GemvCase): void {
  let mat_mlx = c.mat.mx;
  let vec_mlx = c.vec.mx;
  if (c.vecT) vec_mlx = mx.transpose(vec_mlx, [1, 0]);
  if (c.bmat) mat_mlx = mx.broadcastTo(mat_mlx, c.bmat);
  if (c.bvec) vec_mlx = mx.broadcastTo(vec_mlx, c.bvec);
  const out_mlx = c.matFirst ? mx.matmul(mat_mlx, vec_mlx) : mx.matmul(vec_mlx, mat_mlx);
  mx.eval(out_mlx);
  c.mat.free();
  c.vec.free();
  const out_npy = O.get(c.e);
  assertClose(
    out_mlx,
    out_npy,
    1e-5,
    `dtype=${c.dtype} shape_mat=${c.shapeMat} shape_vec=${c.shapeVec} mat_first=${c.matFirst}`,
  );
}

// test_matmul_unaligned
const UNALIGNED: GemmCase[] = [];
for (const dtype of DTYPES) {
  for (const dim of [4, 8, 16, 32, 64, 128]) {
    for (const p of [-2, -1, 0, 1, 2]) {
      UNALIGNED.push(gemmCase([dim + p, dim + p], [dim + p, dim + p], dtype));
    }
  }
}

// test_matvec_unaligned: a = mx.random.normal(shape=(4, 128)); b = mx.random.normal(shape=(129,))[1:]
const MATVEC_A = normal(50, [4, 128]);
const MATVEC_B = normal(51, [129]);
const E_MATVEC = O.expr('a @ b[1:]', { a: MATVEC_A, b: MATVEC_B });

// test_matmul_shapes
const MM_SHAPES: number[][] = [
  [1, 2, 1, 1],
  [1, 1, 2, 1],
  [3, 23, 457, 3],
];
if ((mx.defaultDevice() as Device).equals(mx.gpu)) {
  MM_SHAPES.push([16, 768, 768, 128], [1, 64, 64, 4096]);
}
const SHAPES_CASES: GemmCase[] = [];
for (const dtype of DTYPES) {
  for (const [B, M, N, K] of MM_SHAPES) {
    SHAPES_CASES.push(gemmCase([B, M, K], [B, K, N], dtype)); // nn
    SHAPES_CASES.push(gemmCase([B, M, K], [B, N, K], dtype, false, true)); // nt
    SHAPES_CASES.push(gemmCase([B, K, M], [B, K, N], dtype, true, false)); // tn
    SHAPES_CASES.push(gemmCase([B, K, M], [B, N, K], dtype, true, true)); // tt
  }
}

// test_matmul: np.random.seed(0); a, b ~ normal(0, 1 / 128, (128, 16))
const MATMUL_A = normal(60, [128, 16], 1 / 128, 'float32');
const MATMUL_B = normal(61, [128, 16], 1 / 128, 'float32');
const E_MATMUL = O.expr('[a @ np.transpose(b, (1, 0)), np.transpose(a, (1, 0)) @ b]', { a: MATMUL_A, b: MATMUL_B });

// test_matmul_dtypes
const MM_DTYPES_CASES = DTYPES.map((d, k) => {
  const a = normal(62 + 2 * k, [16, 16, 16], 1 / 256, d);
  const b = normal(63 + 2 * k, [16, 16, 16], 1 / 256, d);
  return { d, a, b, e: O.expr('np.matmul(a, b, dtype=a.dtype)', { a, b }) };
});

// test_matmul_batched: np.random.seed(0), all ~ normal(0, 1 / 128)
const BATCHED = {
  a1: normal(70, [32, 128, 16], 1 / 128, 'float32'),
  b1: normal(71, [32, 16, 16], 1 / 128, 'float32'),
  b2: normal(72, [32, 128, 16], 1 / 128, 'float32'),
  a3: normal(73, [32, 128, 16], 1 / 128, 'float32'),
  b3: normal(74, [16, 16], 1 / 128, 'float32'),
  a4: normal(75, [32, 128, 16], 1 / 128, 'float32'),
  b4: normal(76, [128, 16], 1 / 128, 'float32'),
  a5: normal(77, [32, 128, 16], 1 / 128, 'float32'),
  b5: normal(78, [16], 1 / 128, 'float32'),
  a6: normal(79, [64, 16, 4, 32], 1 / 128, 'float32'),
  b6: normal(80, [64, 16, 4, 32], 1 / 128, 'float32'),
};
const E_BATCHED = O.exec(
  `
d = np.broadcast_to(b3, (5, 16, 16))
a6t = np.transpose(a6, (0, 2, 1, 3))
b6t = np.transpose(b6, (0, 2, 1, 3))
r = [
    a1 @ b1,
    a1 @ np.transpose(b2, (0, 2, 1)),
    a3 @ b3,
    d @ d,
    a4 @ np.transpose(b4, (1, 0)),
    a5 @ b5,
    a6t @ np.transpose(b6t, (0, 1, 3, 2)),
]
`,
  BATCHED,
);

// test_matrix_vector
const MATRIX_VECTOR: GemvCase[] = [];
for (const dtype of DTYPES) {
  // Basic square matrix test
  MATRIX_VECTOR.push(gemvCase([64, 64], [64, 1], dtype));
  MATRIX_VECTOR.push(gemvCase([64, 64], [64, 1], dtype, { matFirst: false, vecT: true }));
  // Vector matrix product with aligned and unaligned shapes
  for (const [inLenBase, outLenBase] of [
    [2, 2],
    [32, 32],
    [64, 64],
    [2048, 2048],
  ]) {
    for (const mi of [-1, 0, 1]) {
      for (const mj of [-1, 0, 1]) {
        // Vec mat
        MATRIX_VECTOR.push(
          gemvCase([inLenBase + mi, outLenBase + mj], [1, inLenBase + mi], dtype, { matFirst: false }),
        );
        // Mat vec
        MATRIX_VECTOR.push(gemvCase([outLenBase + mj, inLenBase + mi], [inLenBase + mi, 1], dtype, { matFirst: true }));
      }
    }
  }
}

// test_matrix_vector_batched
const MV_BATCHED: GemvCase[] = [];
for (const dtype of DTYPES) {
  // Batched mat vec
  for (const [shapeMat, shapeVec] of [
    [
      [32, 128, 64],
      [32, 64, 1],
    ],
    [
      [128, 64],
      [32, 64, 1],
    ],
    [
      [32, 128, 64],
      [64, 1],
    ],
    [
      [2, 1, 8, 1, 6, 128],
      [2, 1, 8, 4, 128, 1],
    ],
  ]) {
    MV_BATCHED.push(gemvCase(shapeMat, shapeVec, dtype, { matFirst: true }));
  }
  // Batched vec mat
  for (const [shapeVec, shapeMat] of [
    [
      [32, 1, 128],
      [32, 128, 64],
    ],
    [
      [32, 1, 128],
      [128, 64],
    ],
    [
      [1, 128],
      [32, 128, 64],
    ],
    [
      [1, 8, 4, 1, 128],
      [1, 8, 1, 128, 6],
    ],
  ]) {
    MV_BATCHED.push(gemvCase(shapeMat, shapeVec, dtype, { matFirst: false }));
  }
}

// test_matrix_vector_broadcast
const MV_BROADCAST: GemvCase[] = [];
for (const dtype of DTYPES) {
  // Different broadcasts mat vec
  for (const [bmat, bvec] of [
    [
      [32, 64, 64],
      [32, 64, 1],
    ],
    [
      [64, 64],
      [32, 64, 1],
    ],
    [
      [32, 64, 64],
      [64, 1],
    ],
  ]) {
    MV_BROADCAST.push(gemvCase([64, 64], [64, 1], dtype, { bmat, bvec }));
  }
  // Different broadcasts vec mat
  for (const [bvec, bmat] of [
    [
      [32, 1, 64],
      [32, 64, 64],
    ],
    [
      [32, 1, 64],
      [64, 64],
    ],
    [
      [1, 64],
      [32, 64, 64],
    ],
  ]) {
    MV_BROADCAST.push(gemvCase([64, 64], [1, 64], dtype, { matFirst: false, bmat, bvec }));
  }
}

// test_matrix_vector_attn
const ATTN_CONFIGS = [
  // B, D, n_kv_heads, factor, qsl, ksl
  [1, 16, 8, 4, 1, 256],
  [1, 16, 8, 4, 32, 256],
  [1, 16, 8, 4, 256, 1],
  [4, 16, 8, 4, 1, 256],
  [4, 16, 8, 4, 256, 1],
];
let attnSeed = 90;
const ATTN_CASES = DTYPES.flatMap((dtype) =>
  ATTN_CONFIGS.map(([B, D, nKvHeads, factor, qsl, ksl]) => {
    // Fix shapes for kqv
    const nQHeads = nKvHeads * factor;
    const Dk = D * nKvHeads;
    const Dq = D * nQHeads;
    const scale = 1 / Math.sqrt(Dk);
    // np.random.uniform(-scale, scale, size=...).astype(np_dtype)
    const q = uniform(attnSeed++, [B, qsl, Dq], -scale, scale, dtype);
    const k = uniform(attnSeed++, [B, ksl, Dk], -scale, scale, dtype);
    const v = uniform(attnSeed++, [B, ksl, Dk], -scale, scale, dtype);
    const e = O.exec(
      `
q_np_reshape = q.reshape(B, qsl, n_kv_heads, factor, -1).transpose(0, 2, 3, 1, 4)
k_np_reshape = k.reshape(B, ksl, n_kv_heads, 1, -1).transpose(0, 2, 3, 4, 1)
v_np_reshape = v.reshape(B, ksl, n_kv_heads, 1, -1).transpose(0, 2, 3, 1, 4)
s_np = q_np_reshape @ k_np_reshape
o_np = s_np @ v_np_reshape
o_np = o_np.transpose(0, 3, 1, 2, 4).reshape(B, qsl, -1)
r = [s_np, o_np]
`,
      { q, k, v, B, qsl, ksl, n_kv_heads: nKvHeads, factor },
    );
    return { dtype, B, D, nKvHeads, factor, qsl, ksl, q, k, v, e };
  }),
);

// test_matrix_vector_edgecases: a = ones, b = ones with b[i] *= i + 1
const E_EDGECASES = DTYPES.map((dtype) =>
  O.exec(
    `
r = []
np_dtype = getattr(np, dtype)
for in_vec_len in np.arange(1, 5):
    for out_vec_len in np.arange(1, 5):
        for batch_size in np.arange(1, 5):
            a_npy = np.ones((batch_size, out_vec_len, in_vec_len), dtype=np_dtype)
            b_npy = np.ones((batch_size, in_vec_len, 1), dtype=np_dtype)
            for i in range(batch_size):
                b_npy[i] *= i + 1.0
            r.append(a_npy @ b_npy)
            a_npy = np.ones((batch_size, out_vec_len, in_vec_len), dtype=np_dtype)
            b_npy = np.ones((batch_size, 1, out_vec_len), dtype=np_dtype)
            for i in range(batch_size):
                b_npy[i] *= i + 1.0
            r.append(b_npy @ a_npy)
`,
    { dtype },
  ),
);

// test_mismatch_stride_mm: np.random.seed(0); a, b ~ normal(0, 1 / 128, (4, 16, 16))
const MISMATCH_A = normal(110, [4, 16, 16], 1 / 128, 'float32');
const MISMATCH_B = normal(111, [4, 16, 16], 1 / 128, 'float32');
const E_MISMATCH = O.expr(
  `[
    a[::2, :, :] @ b[1::2, :, :],
    a[::2, :, :] @ b[1::2, :, 2:3],
    a[:, :8, :] @ b[:, :, :8],
    a[:, :, :8] @ b[:, :8, :],
    a[:, :8, :] @ b[:, :8, :].swapaxes(-1, -2),
    a[:, :, :8] @ b[:, :, :8].swapaxes(-1, -2),
    a[:, :8, :] @ b[:, :, 6:7],
    a[:, :, :8] @ b[:, 3:11, 2:3],
]`,
  { a: MISMATCH_A, b: MISMATCH_B },
);

// test_addmm: np.random.seed(0); for beta in (1.0, 2.0)
const ADDMM_ALPHA = 0.5;
const ADDMM_C_SHAPES = {
  batched: [[1], [1, 16], [32, 1, 16], [1, 128, 16]],
  transposed: [[1], [32, 1, 128], [1, 128]],
  broadcast: [[1], [1, 16], [32, 1, 16], [1, 128, 16]],
  vecLeft: [[1], [128], [32, 128]],
  vecRight: [[1], [32, 128]],
  splitK: [[1], [1, 32], [64, 1], [64, 32]],
};
const ADDMM_CASES = [1.0, 2.0].map((beta, k) => {
  const s = 120 + 20 * k;
  const inputs = {
    a1: normal(s, [32, 128, 16], 1 / 128, 'float32'),
    b1: normal(s + 1, [32, 16, 16], 1 / 128, 'float32'),
    b2: normal(s + 2, [32, 128, 16], 1 / 128, 'float32'),
    a3: normal(s + 3, [32, 128, 16], 1 / 128, 'float32'),
    b3: normal(s + 4, [16, 16], 1 / 128, 'float32'),
    a4: normal(s + 5, [16], 1 / 128, 'float32'),
    b4: normal(s + 6, [32, 16, 128], 1 / 128, 'float32'),
    a5: normal(s + 7, [32, 128, 16], 1 / 128, 'float32'),
    b5: normal(s + 8, [16], 1 / 128, 'float32'),
    a6: normal(s + 9, [64, 4096], 1 / 128, 'float32'),
    b6: normal(s + 10, [4096, 32], 1 / 128, 'float32'),
  };
  const e = O.exec(
    `
def d(a, b, c_shape):
    c_npy = np.ones(c_shape).astype(np.float32)
    return alpha * (a @ b) + beta * c_npy
r = {
    "batched": [d(a1, b1, s) for s in cs["batched"]],
    "transposed": [d(a1, np.transpose(b2, (0, 2, 1)), s) for s in cs["transposed"]],
    "broadcast": [d(a3, b3, s) for s in cs["broadcast"]],
    "vecLeft": [d(a4, b4, s) for s in cs["vecLeft"]],
    "vecRight": [d(a5, b5, s) for s in cs["vecRight"]],
    "splitK": [d(a6, b6, s) for s in cs["splitK"]],
}
`,
    { ...inputs, alpha: ADDMM_ALPHA, beta, cs: ADDMM_C_SHAPES },
  );
  return { beta, inputs, e };
});

// test_block_masked_matmul (final numpy part): masks ~ normal(size=...), negatives zeroed
const BMM_A_MASK = normal(170, [4, 8], 1, 'float32');
const BMM_C_MASK = normal(171, [8, 1], 1, 'float32');
const BMM_E_MASK = normal(172, [1, 4], 1, 'float32');
const E_BMM = O.exec(
  `
a_np = np.ones((128, 256)).astype(np.float32)
b_np = np.ones((128, 1)).astype(np.float32)
d_np = np.ones((1, 256)).astype(np.float32)
a_mask_np = am
c_mask_np = cm
e_mask_np = em
a_mask_np[a_mask_np < 0.0] = 0.0
e_mask_np[e_mask_np < 0.0] = 0.0
c_mask_np[c_mask_np < 0.0] = 0.0
a_mask_np = np.broadcast_to(np.expand_dims(a_mask_np, (-3, -1)), (4, 32, 8, 32))
a_mask_np = a_mask_np.reshape((128, 256))
a_np *= a_mask_np
c_np = a_np.T @ b_np
e_np = d_np @ a_np.T
c_mask_np = np.broadcast_to(np.expand_dims(c_mask_np, (-2)), (8, 32, 1))
c_mask_np = c_mask_np.reshape((256, 1))
c_np *= c_mask_np
e_mask_np = np.broadcast_to(np.expand_dims(e_mask_np, (-1)), (1, 4, 32))
e_mask_np = e_mask_np.reshape((1, 128))
e_np *= e_mask_np
r = [c_np, e_np]
`,
  { am: BMM_A_MASK, cm: BMM_C_MASK, em: BMM_E_MASK },
);

// test_gather_matmul
interface GatherKwargs {
  batch_A: number[];
  lhs_indices: number[] | number[][] | null;
  batch_B: number[];
  rhs_indices: number[] | number[][] | null;
}
const GATHER_INPUTS: GatherKwargs[] = [
  { batch_A: [1], lhs_indices: [0], batch_B: [3], rhs_indices: [2, 1] },
  { batch_A: [1], lhs_indices: null, batch_B: [3], rhs_indices: [2, 1] },
  { batch_A: [2], lhs_indices: null, batch_B: [3], rhs_indices: [2, 1] },
  { batch_A: [3], lhs_indices: [0, 2], batch_B: [1], rhs_indices: [0] },
  { batch_A: [5], lhs_indices: [0, 2], batch_B: [3], rhs_indices: [2, 1] },
  {
    batch_A: [4, 2],
    lhs_indices: [
      [7, 6],
      [5, 4],
      [1, 2],
    ],
    batch_B: [4, 1],
    rhs_indices: [[2], [0], [1]],
  },
];
let gatherSeed = 180;
function gatherCase(M: number, N: number, K: number, kw: GatherKwargs) {
  // a_np = np.random.normal(size=batch_A + (M, K)), b_np = np.random.normal(size=batch_B + (K, N))
  const a = normal(gatherSeed++, [...kw.batch_A, M, K], 1, 'float32');
  const b = normal(gatherSeed++, [...kw.batch_B, K, N], 1, 'float32');
  const e = O.expr('np_gather_mm(a, b, lhs, rhs)', { a, b, lhs: kw.lhs_indices, rhs: kw.rhs_indices });
  return { M, N, K, kw, a, b, e };
}
const GATHER_CASES = GATHER_INPUTS.flatMap((kw) => [gatherCase(32, 32, 32, kw), gatherCase(16, 1, 16, kw)]);
const GATHER_BCAST_A = normal(200, [5, 32, 32], 1, 'float32');
const GATHER_BCAST_B = normal(201, [3, 32, 32], 1, 'float32');
const E_GATHER_BCAST = O.exec(
  `
a_np = a.reshape((5, 1, 32, 32))
b_np = b.reshape((1, 3, 32, 32))
a_np = np.broadcast_to(a_np, (5, 4, 32, 32))
b_np = np.broadcast_to(b_np, (2, 3, 32, 32)).swapaxes(1, 0)
r = np_gather_mm(a_np, b_np, [0, 13, 12], [0, 3, 5])
`,
  { a: GATHER_BCAST_A, b: GATHER_BCAST_B },
);
const GATHER_GEMV_A = normal(202, [5, 1, 32], 1, 'float32');
const GATHER_GEMV_B = normal(203, [3, 16, 32], 1, 'float32');
const E_GATHER_GEMV = O.expr('np_gather_mm(a, np.swapaxes(b, -1, -2), [3, 1], [0, 2])', {
  a: GATHER_GEMV_A,
  b: GATHER_GEMV_B,
});

// test_complex_gemv / test_complex_gemm: rand(shape) = mx.random.uniform(shape) + 1j * mx.random.uniform(shape)
let complexSeed = 210;
function rand(shape: number[]): array {
  return mx.add(uniform(complexSeed++, shape).mx, mx.multiply({ re: 0, im: 1 }, uniform(complexSeed++, shape).mx));
}
const CGEMV = {
  M: 16,
  N: 50,
  ab: lazy(() => [rand([16, 50]), rand([50, 1])]),
  abT: lazy(() => [rand([50, 16]), rand([50, 1])]),
};
const E_CGEMV = O.expr('[np.matmul(a, b), np.matmul(np.array(at).T, bt)]', () => {
  const [a, b] = CGEMV.ab();
  const [at, bt] = CGEMV.abT();
  return { a, b, at, bt };
});
const CGEMM = {
  mm: lazy(() => [rand([16, 50]), rand([50, 32])]),
  addmm: lazy(() => [rand([16, 50]), rand([50, 32]), rand([16, 32])]),
  real: lazy(() => [mx.real(rand([16, 50])), rand([50, 32])]),
};
const E_CGEMM = O.expr('[np.matmul(a, b), 2.0 * np.matmul(a2, b2) + 2.0 * c2, np.matmul(a3, b3)]', () => {
  const [a, b] = CGEMM.mm();
  const [a2, b2, c2] = CGEMM.addmm();
  const [a3, b3] = CGEMM.real();
  return { a, b, a2, b2, c2, a3, b3 };
});

// ---------------------------------------------------------------------------

describe('TestBlas', () => {
  test('test_matmul_unaligned', () => {
    // (Python returns here without a GPU; see the header.)
    for (const c of UNALIGNED) gemmTest(c);
  });

  test('test_matvec_unaligned', () => {
    const a = MATVEC_A.mx;
    const b = MATVEC_B.mx.index('1:');
    const out = mx.matmul(a, b);
    const np_out = O.get(E_MATVEC);
    assertClose(out, np_out, 1e-8);
  });

  test('test_matmul_shapes', () => {
    // (Python returns here without a GPU; see the header.)
    for (const c of SHAPES_CASES) gemmTest(c);
  });

  test('test_matmul', () => {
    // Note: so far, matmul only works with floating-point types
    const a = mx.array([
      [1.0, 2.0],
      [3.0, 4.0],
    ]);

    const b = mx.array([
      [0.0, -1.0],
      [-3.0, 3.0],
    ]);

    const expected = [
      [-6.0, 5.0],
      [-12.0, 9.0],
    ];

    assert.deepEqual(mx.matmul(a, b).tolist(), expected);
    assert.deepEqual(mx.matmul(a, b).tolist(), expected);

    // Transposed matmul
    const [c_npy, d_npy] = O.get<array[]>(E_MATMUL);
    const a_mlx = MATMUL_A.mx;
    const b_mlx = MATMUL_B.mx;
    const c_mlx = mx.matmul(a_mlx, mx.transpose(b_mlx, [1, 0]));
    const d_mlx = mx.matmul(mx.transpose(a_mlx, [1, 0]), b_mlx);

    assertClose(c_mlx, c_npy, 1e-6);
    assertClose(d_mlx, d_npy, 1e-6);
  });

  test('test_matmul_dtypes', () => {
    for (const { d, a, b, e } of MM_DTYPES_CASES) {
      const c_mlx = mx.matmul(a.mx, b.mx);
      assertAllClose(c_mlx, O.get(e), { atol: 1e-6, msg: d });
    }
  });

  test('test_matmul_batched', () => {
    const exp = O.get<array[]>(E_BATCHED);
    const m = Object.fromEntries(Object.entries(BATCHED).map(([k, v]) => [k, v.mx]));

    // Batched matmul
    assertClose(mx.matmul(m.a1, m.b1), exp[0], 1e-6, 'batched');

    // Batched and transposed matmul
    assertClose(mx.matmul(m.a1, mx.transpose(m.b2, [0, 2, 1])), exp[1], 1e-6, 'batched transposed');

    // Batched matmul with simple broadcast
    assertClose(mx.matmul(m.a3, m.b3), exp[2], 1e-6, 'simple broadcast');

    // Both operands broadcasted
    const d_mlx = mx.broadcastTo(m.b3, [5, 16, 16]);
    assertClose(mx.matmul(d_mlx, d_mlx), exp[3], 1e-6, 'both broadcast');

    // Batched and transposed matmul with simple broadcast
    assertClose(mx.matmul(m.a4, mx.transpose(m.b4, [1, 0])), exp[4], 1e-6, 'transposed broadcast');

    // Matmul with vector
    assertClose(mx.matmul(m.a5, m.b5), exp[5], 1e-6, 'vector');

    // Test Multiheaded attention style matmul
    const a_mlx = mx.transpose(m.a6, [0, 2, 1, 3]);
    const b_mlx = mx.transpose(m.b6, [0, 2, 1, 3]);
    assertClose(mx.matmul(a_mlx, mx.transpose(b_mlx, [0, 1, 3, 2])), exp[6], 1e-6, 'multihead');
  });

  test('test_matrix_vector', () => {
    for (const c of MATRIX_VECTOR) gemvTest(c);
  });

  test('test_matrix_vector_batched', () => {
    for (const c of MV_BATCHED) gemvTest(c);
  });

  test('test_matrix_vector_broadcast', () => {
    for (const c of MV_BROADCAST) gemvTest(c);
  });

  test('test_matrix_vector_attn', () => {
    // Multi-query style attention check
    for (const { dtype, B, D, nKvHeads, factor, qsl, ksl, q, k, v, e } of ATTN_CASES) {
      const msg = `B=${B} D=${D} n_kv_heads=${nKvHeads} factor=${factor} qsl=${qsl} ksl=${ksl} dtype=${dtype}`;
      const [s_np, o_np] = O.get<array[]>(e);

      // Test mlx
      const q_mx = q.mx;
      const k_mx = k.mx;
      const v_mx = v.mx;

      // Rearrange to move heads up
      const q_mx_reshape = q_mx.reshape(B, qsl, nKvHeads, factor, -1).transpose(0, 2, 3, 1, 4);
      const k_mx_reshape = k_mx.reshape(B, ksl, nKvHeads, 1, -1).transpose(0, 2, 3, 4, 1);
      const v_mx_reshape = v_mx.reshape(B, ksl, nKvHeads, 1, -1).transpose(0, 2, 3, 1, 4);

      // Do attn style matmul
      const s_mx = mx.matmul(q_mx_reshape, k_mx_reshape);
      let o_mx = mx.matmul(s_mx, v_mx_reshape);
      o_mx = o_mx.transpose(0, 3, 1, 2, 4).reshape(B, qsl, -1);

      // Check against np
      assertClose(s_mx, s_np, 1e-4, `${msg} s`);
      assertClose(o_mx, o_np, 1e-4, `${msg} o`);
    }
  });

  test('test_matrix_vector_edgecases', () => {
    DTYPES.forEach((dtype, d) => {
      const expected = O.get<array[]>(E_EDGECASES[d]);
      let i = 0;
      const ones = (shape: number[], scaleRows = false) => {
        const n = shape.reduce((x, y) => x * y, 1);
        const per = n / shape[0];
        const vals = new Float32Array(n);
        for (let j = 0; j < n; j++) vals[j] = scaleRows ? Math.floor(j / per) + 1 : 1; // b_npy[i] *= i + 1.0
        return mx.array(vals).reshape(shape).astype(dt(dtype));
      };
      for (let inVecLen = 1; inVecLen < 5; inVecLen++) {
        for (let outVecLen = 1; outVecLen < 5; outVecLen++) {
          for (let batchSize = 1; batchSize < 5; batchSize++) {
            const msg = `${dtype} problem_shape=${[batchSize, inVecLen, outVecLen]}`;
            // Matrix vector
            let a_mlx = ones([batchSize, outVecLen, inVecLen]);
            let b_mlx = ones([batchSize, inVecLen, 1], true);
            let c_mlx = mx.matmul(a_mlx, b_mlx);
            assertEqualArray(c_mlx, expected[i++], { atol: 0, rtol: 0, dtype: false, msg: `${msg} transpose=false` });

            // Vector matrix
            a_mlx = ones([batchSize, outVecLen, inVecLen]);
            b_mlx = ones([batchSize, 1, outVecLen], true);
            c_mlx = mx.matmul(b_mlx, a_mlx);
            assertEqualArray(c_mlx, expected[i++], { atol: 0, rtol: 0, dtype: false, msg: `${msg} transpose=true` });
          }
        }
      }
    });
  });

  test('test_mismatch_stride_mm', () => {
    const exp = O.get<array[]>(E_MISMATCH);
    const a_mlx = MISMATCH_A.mx;
    const b_mlx = MISMATCH_B.mx;

    // Matmul with batches
    assertClose(mx.matmul(a_mlx.index('::2', ':', ':'), b_mlx.index('1::2', ':', ':')), exp[0], 1e-5, 'batches');

    // Matvec with batches
    assertClose(
      mx.matmul(a_mlx.index('::2', ':', ':'), b_mlx.index('1::2', ':', '2:3')),
      exp[1],
      1e-5,
      'matvec batches',
    );

    // Matmul with slice
    assertClose(mx.matmul(a_mlx.index(':', ':8', ':'), b_mlx.index(':', ':', ':8')), exp[2], 1e-5, 'slice 1');

    // Matmul with slice
    assertClose(mx.matmul(a_mlx.index(':', ':', ':8'), b_mlx.index(':', ':8', ':')), exp[3], 1e-5, 'slice 2');

    // Matmul transpose with slice
    assertClose(
      mx.matmul(a_mlx.index(':', ':8', ':'), b_mlx.index(':', ':8', ':').swapaxes(-1, -2)),
      exp[4],
      1e-5,
      'transpose slice 1',
    );

    // Matmul transpose with slice
    assertClose(
      mx.matmul(a_mlx.index(':', ':', ':8'), b_mlx.index(':', ':', ':8').swapaxes(-1, -2)),
      exp[5],
      1e-5,
      'transpose slice 2',
    );

    // Matvec with slice
    assertClose(mx.matmul(a_mlx.index(':', ':8', ':'), b_mlx.index(':', ':', '6:7')), exp[6], 1e-5, 'matvec slice 1');

    // Matvec with slice
    assertClose(
      mx.matmul(a_mlx.index(':', ':', ':8'), b_mlx.index(':', '3:11', '2:3')),
      exp[7],
      1e-5,
      'matvec slice 2',
    );
  });

  test('test_addmm', () => {
    // Batched matmul
    const alpha = ADDMM_ALPHA;
    for (const { beta, inputs, e } of ADDMM_CASES) {
      // c must broadcast to the output shape
      assert.throws(() => mx.addmm(mx.zeros([2, 2, 2]), mx.zeros([2, 2]), mx.zeros([2, 2])), Error);

      const exp = O.get<Record<keyof typeof ADDMM_C_SHAPES, array[]>>(e);
      const m = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.mx]));
      const check = (group: keyof typeof ADDMM_C_SHAPES, a: array, b: array) => {
        ADDMM_C_SHAPES[group].forEach((cShape, i) => {
          const c_mlx = mx.ones(cShape, { dtype: mx.float32 });
          const d_mlx = mx.addmm(c_mlx, a, b, alpha, beta);
          assertClose(d_mlx, exp[group][i], 1e-5, `beta=${beta} ${group} c_shape=${cShape}`);
        });
      };

      // Regular batched case
      check('batched', m.a1, m.b1);

      // Batched and transposed matmul
      check('transposed', m.a1, mx.transpose(m.b2, [0, 2, 1]));

      // Batched matmul with simple broadcast
      check('broadcast', m.a3, m.b3);

      // Matmul with vector
      check('vecLeft', m.a4, m.b4);

      // Matmul with vector
      check('vecRight', m.a5, m.b5);

      // Split K specializtion
      check('splitK', m.a6, m.b6);

      // Transposed c
      let a = mx.ones([10, 5]).T;
      let b = mx.ones([5, 5]);
      let out = mx.addmm(a, b, a, { beta, alpha });
      let expected = mx.add(mx.multiply(beta, a), mx.multiply(alpha, mx.matmul(b, a)));
      assertMxClose(expected, out, {}, `beta=${beta} transposed c`);

      // Broadcast c
      a = mx.ones([5, 5]);
      b = mx.ones([5, 5]);
      const c = mx.ones([1, 5]);
      out = mx.addmm(c, a, b, { beta, alpha });
      expected = mx.add(mx.multiply(beta, c), mx.multiply(alpha, mx.matmul(a, b)));
      assertMxClose(expected, out, {}, `beta=${beta} broadcast c`);
    }
  });

  test('test_addmm_grad', () => {
    const makeRefAddmm = (alpha: number, beta: number) => (c: array, a: array, b: array) =>
      mx.add(mx.multiply(alpha, mx.matmul(a, b)), mx.multiply(beta, c));

    const makeAddmm = (alpha: number, beta: number) => (c: array, a: array, b: array) => mx.addmm(c, a, b, alpha, beta);

    // B, M, N, K
    const shapes = [
      [1, 64, 32, 128],
      [4, 28, 24, 47],
      [1, 1, 24, 47],
    ];

    const alpha = 2.0;
    let seed = 230;
    for (const beta of [1.0, 0.5]) {
      const f_test = makeAddmm(alpha, beta);
      const f_ref = makeRefAddmm(alpha, beta);

      for (const [B, M, N, K] of shapes) {
        const cotan = mx.ones([B, M, N]);
        const c = normal(seed++, [B, M, N]).mx;
        const a = normal(seed++, [B, M, K]).mx;
        const b = normal(seed++, [B, K, N]).mx;

        const [out_ref, dout_ref] = mx.vjp(f_ref, [c, a, b], [cotan]);
        const [out_test, dout_test] = mx.vjp(f_test, [c, a, b], [cotan]);

        assertMxClose(out_ref[0], out_test[0], { atol: 1e-4 });

        dout_ref.forEach((r, i) => {
          const t = dout_test[i];
          assert.deepEqual(r.shape, t.shape);
          assertMxClose(r, t, { atol: 1e-4 });
        });
      }
    }
  });

  test('test_empty_matmul', () => {
    let a = mx.array([[], []]).T;
    let b = mx.array([
      [1.0, 2.0],
      [2.0, 3.0],
    ]);
    let c = mx.matmul(a, b);
    mx.eval(c);
    assert.deepEqual(c.shape, [0, 2]);

    a = mx.array([
      [1.0, 2.0],
      [2.0, 3.0],
    ]);
    b = mx.array([[], []]);
    c = mx.matmul(a, b);
    mx.eval(c);
    assert.deepEqual(c.shape, [2, 0]);

    a = mx.array([[], []]).T;
    b = mx.array([[], []]);
    c = mx.matmul(a, b);
    mx.eval(c);
    assert.deepEqual(c.shape, [0, 0]);

    c = mx.array(1.0, mx.float32);
    a = mx.array([], mx.float32);
    b = mx.array([], mx.float32);
    let out = mx.addmm(c, a, b);
    assert.equal(out.item(), 1.0);
    assert.deepEqual(out.shape, []);

    a = mx.zeros([5, 0]);
    b = mx.zeros([0, 5]);
    c = uniform(240, [5, 5]).mx; // mx.random.uniform(shape=(5, 5))
    out = mx.addmm(c, a, b);
    assertMxClose(out, c);
  });

  test('test_block_masked_matmul', () => {
    function refBlockMaskedMm(
      a: array,
      b: array,
      blockSize: number,
      outMask: array | null = null,
      lhsMask: array | null = null,
      rhsMask: array | null = null,
    ): array {
      // Get mask adjusted shapes
      const M = a.shape[a.ndim - 2];
      const N = b.shape[b.ndim - 1];
      const K = a.shape[a.ndim - 1];

      const bsxShape = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));

      // Expand mask dims
      function expandMask(mask: array, blockSize: number, Y: number, X: number): array {
        mask = mx.expandDims(mask, [-3, -1]);
        const maskShape = [...bsxShape, ...mask.shape.slice(-4)];
        const n = maskShape.length;
        maskShape[n - 1] = blockSize;
        const x = maskShape[n - 2] * blockSize;
        maskShape[n - 3] = blockSize;
        const y = maskShape[n - 4] * blockSize;
        mask = mx.broadcastTo(mask, maskShape);
        const finalShape = [...maskShape.slice(0, -4), y, x];
        return mask.reshape(finalShape).index('...', `:${Y}`, `:${X}`);
      }

      let aMasked = a;
      let bMasked = b;

      if (lhsMask !== null) {
        const m = expandMask(lhsMask, blockSize, M, K).astype(mx.float32);
        aMasked = mx.multiply(m, aMasked);
      }

      if (rhsMask !== null) {
        const m = expandMask(rhsMask, blockSize, K, N).astype(mx.float32);
        bMasked = mx.multiply(m, bMasked);
      }

      let out = mx.matmul(aMasked, bMasked);

      if (outMask !== null) {
        const m = expandMask(outMask, blockSize, M, N).astype(mx.float32);
        out = mx.multiply(out, m);
      }
      return out;
    }

    const runTest = (
      a: array,
      b: array,
      blockSize: number,
      outMask: array | null,
      aMask: array | null,
      bMask: array | null,
      cotan: array,
    ) => {
      const f_ref = (a_: array, b_: array) => refBlockMaskedMm(a_, b_, blockSize, outMask, aMask, bMask);
      const f_test = (a_: array, b_: array) => mx.blockMaskedMm(a_, b_, blockSize, outMask, aMask, bMask);

      const [out_ref, dout_ref] = mx.vjp(f_ref, [a, b], [cotan]);
      const [out_test, dout_test] = mx.vjp(f_test, [a, b], [cotan]);

      assertMxClose(out_ref[0], out_test[0], { atol: 1e-5 });

      dout_ref.forEach((r, i) => {
        const t = dout_test[i];
        assert.deepEqual(r.shape, t.shape);
        assertMxClose(r, t, { atol: 1e-4 });
      });
    };

    const runTestMaskVjp = (
      a: array,
      b: array,
      blockSize: number,
      outMask: array | null,
      aMask: array,
      bMask: array,
      cotan: array,
    ) => {
      const f_ref = (a_: array, b_: array, aMask_: array, bMask_: array) =>
        refBlockMaskedMm(a_, b_, blockSize, outMask, aMask_, bMask_);
      const f_test = (a_: array, b_: array, aMask_: array, bMask_: array) =>
        mx.blockMaskedMm(a_, b_, blockSize, outMask, aMask_, bMask_);

      const [out_ref, dout_ref] = mx.vjp(f_ref, [a, b, aMask, bMask], [cotan]);
      const [out_test, dout_test] = mx.vjp(f_test, [a, b, aMask, bMask], [cotan]);

      mx.eval([out_ref, dout_ref, out_test, dout_test]);

      assertMxClose(out_ref[0], out_test[0], { atol: 1e-5 });

      dout_ref.forEach((r, i) => {
        const t = dout_test[i];
        assert.deepEqual(r.shape, t.shape);
        assertMxClose(r, t, { atol: 1e-4 });
      });
    };

    let seed = 250;
    const makeMask = (tm: number, tn: number, batch: number[]): [array, array] => {
      // arr_np_mask = np.random.normal(size=batch + (tm_, tn_)); bool mask = arr < 0; arr[bool mask] = 0
      const shape = [...batch, tm, tn];
      const vals = normal(seed++, shape, 1, 'float32').values() as Float32Array;
      const boolMask = Array.from(vals, (v) => v < 0.0);
      const masked = vals.map((v) => (v < 0.0 ? 0.0 : v));
      return [mx.array(boolMask).reshape(shape), mx.array(masked).reshape(shape)];
    };

    const testShape = (
      M: number,
      N: number,
      K: number,
      blockSize: number,
      batchA: number[] = [],
      batchB: number[] = [],
    ) => {
      const batchOut = broadcastShapes(batchA, batchB);
      const cotan = mx.ones([...batchOut, M, N]);

      const a_mx = normal(seed++, [...batchA, M, K], 1, 'float32').mx;
      const b_mx = normal(seed++, [...batchB, K, N], 1, 'float32').mx;

      const tm = Math.floor((M + blockSize - 1) / blockSize);
      const tn = Math.floor((N + blockSize - 1) / blockSize);
      const tk = Math.floor((K + blockSize - 1) / blockSize);

      const [a_mx_bool_mask, a_mx_mask] = makeMask(tm, tk, batchA);
      const [b_mx_bool_mask, b_mx_mask] = makeMask(tk, tn, batchB);
      const [out_mx_bool_mask, out_mx_mask] = makeMask(tm, tn, batchOut);

      // Boolean block masks
      runTest(a_mx, b_mx, blockSize, out_mx_bool_mask, a_mx_bool_mask, b_mx_bool_mask, cotan);
      runTest(a_mx, b_mx, blockSize, out_mx_bool_mask, null, null, cotan);
      runTest(a_mx, b_mx, blockSize, null, a_mx_bool_mask, b_mx_bool_mask, cotan);

      // Float block masks
      runTest(a_mx, b_mx, blockSize, out_mx_mask, a_mx_mask, b_mx_mask, cotan);
      runTest(a_mx, b_mx, blockSize, null, a_mx_mask, b_mx_mask, cotan);
      runTestMaskVjp(a_mx, b_mx, blockSize, out_mx_mask, a_mx_mask, b_mx_mask, cotan);
      runTestMaskVjp(a_mx, b_mx, blockSize, null, a_mx_mask, b_mx_mask, cotan);
    };

    const shapes = [
      [16, 16, 16, 32],
      [64, 64, 16, 32],
      [128, 128, 128, 32],
      [256, 256, 128, 64],
      [1, 128, 128, 32],
      [256, 1, 128, 64],
    ];

    for (const [M, N, K, blockSize] of shapes) testShape(M, N, K, blockSize);

    // Test broadcasting
    testShape(64, 64, 64, 32, [1, 2], [2, 2]);
    testShape(1, 128, 128, 32, [1, 2], [2, 2]);
    testShape(128, 1, 128, 32, [1, 2], [2, 2]);

    const zeroed = (s: Seeded) =>
      mx.array((s.values() as Float32Array).map((v) => (v < 0.0 ? 0.0 : v))).reshape(s.spec.shape);
    const a_mx = mx.ones([128, 256], { dtype: mx.float32 });
    const b_mx = mx.ones([128, 1], { dtype: mx.float32 });
    const d_mx = mx.ones([1, 256], { dtype: mx.float32 });
    const a_mask_mx = zeroed(BMM_A_MASK);
    const b_mask_mx = mx.ones([4, 1], { dtype: mx.bool_ });
    const d_mask_mx = mx.ones([1, 8], { dtype: mx.bool_ });
    const c_mask_mx = zeroed(BMM_C_MASK);
    const e_mask_mx = zeroed(BMM_E_MASK);

    const c_mx = mx.blockMaskedMm(a_mx.T, b_mx, 32, c_mask_mx, a_mask_mx.T, b_mask_mx);
    const e_mx = mx.blockMaskedMm(d_mx, a_mx.T, 32, e_mask_mx, d_mask_mx, a_mask_mx.T);

    const [c_np, e_np] = O.get<array[]>(E_BMM);
    assertClose(c_mx, c_np, 1e-5, 'c');
    assertClose(e_mx, e_np, 1e-5, 'e');
  });

  test('test_gather_matmul', () => {
    for (const { M, N, K, kw, a, b, e } of GATHER_CASES) {
      const msg = `M=${M} N=${N} K=${K} ${JSON.stringify(kw)}`;
      const out_np = O.get(e);
      const lhs_indices_mx = kw.lhs_indices === null ? null : mx.array(kw.lhs_indices, mx.int32);
      const rhs_indices_mx = kw.rhs_indices === null ? null : mx.array(kw.rhs_indices, mx.int32);
      const out_mx = mx.gatherMm(a.mx, b.mx, lhs_indices_mx, rhs_indices_mx);
      assertClose(out_mx, out_np, 1e-5, msg);
    }

    // Add tests for broadcasting
    let a_mx = GATHER_BCAST_A.mx;
    let b_mx = GATHER_BCAST_B.mx;

    // MLX
    a_mx = a_mx.reshape([5, 1, 32, 32]);
    b_mx = b_mx.reshape([1, 3, 32, 32]);

    a_mx = mx.broadcastTo(a_mx, [5, 4, 32, 32]);
    b_mx = mx.broadcastTo(b_mx, [2, 3, 32, 32]).swapaxes(1, 0);

    let lhs_indices_mx = mx.array([0, 13, 12], mx.int32);
    let rhs_indices_mx = mx.array([0, 3, 5], mx.int32);

    let out_mx = mx.gatherMm(a_mx, b_mx, lhs_indices_mx, rhs_indices_mx);
    assertClose(out_mx, O.get(E_GATHER_BCAST), 1e-5, 'broadcasting');

    // Gemv test
    a_mx = GATHER_GEMV_A.mx;
    b_mx = GATHER_GEMV_B.mx;

    lhs_indices_mx = mx.array([3, 1], mx.int32);
    rhs_indices_mx = mx.array([0, 2], mx.int32);

    const b_mx_t = mx.swapaxes(b_mx, -1, -2);
    out_mx = mx.gatherMm(a_mx, b_mx_t, lhs_indices_mx, rhs_indices_mx);
    assertClose(out_mx, O.get(E_GATHER_GEMV), 1e-5, 'gemv');
  });

  test('test_gather_matmul_grad', () => {
    const lhs_indices = mx.array(
      [
        [7, 6],
        [4, 1],
        [0, 2],
      ],
      mx.uint32,
    );
    const rhs_indices = mx.array([[2], [0], [1]], mx.uint32);

    const f_ref = (a: array, b: array) => {
      const lhs_indices_ = mx.broadcastTo(lhs_indices, [3, 2]);
      const rhs_indices_ = mx.broadcastTo(rhs_indices, [3, 2]);
      const M = a.shape[a.ndim - 2];
      const N = b.shape[b.ndim - 1];
      const K = a.shape[a.ndim - 1];

      a = a.reshape([-1, M, K]);
      b = b.reshape([-1, K, N]);

      a = mx.take(a, lhs_indices_, 0);
      b = mx.take(b, rhs_indices_, 0);

      return mx.matmul(a, b);
    };

    const f_test = (a: array, b: array) => mx.gatherMm(a, b, lhs_indices, rhs_indices);

    // mx.random.normal((4, 2, 32, 32)), mx.random.normal((4, 1, 32, 32))
    const a_mx = normal(260, [4, 2, 32, 32]).mx;
    const b_mx = normal(261, [4, 1, 32, 32]).mx;

    const out_test = f_test(a_mx, b_mx);
    const out_ref = f_ref(a_mx, b_mx);

    assertMxClose(out_test, out_ref, { atol: 1e-5 });

    const cotan = mx.onesLike(out_test);
    const [, dout_ref] = mx.vjp(f_ref, [a_mx, b_mx], [cotan]);
    const [, dout_test] = mx.vjp(f_test, [a_mx, b_mx], [cotan]);

    dout_ref.forEach((r, i) => {
      const t = dout_test[i];
      assert.deepEqual(r.shape, t.shape);
      assertMxClose(r, t, { atol: 1e-4 });
    });
  });

  test('test_gather_mm_sorted', () => {
    const gatherMmRef = (a: array, b: array, rhs: array) => {
      b = b.index(rhs);
      return mx.matmul(a, b);
    };

    const gatherMmTest = (a: array, b: array, rhs: array) =>
      mx.gatherMm(a, b, { rhsIndices: rhs, sortedIndices: true });

    // mx.random.normal((100, 1, 100)), mx.random.normal((8, 100, 100)), mx.random.randint(0, 8, shape=(100,))
    const a = normal(270, [100, 1, 100]).mx;
    const b = normal(271, [8, 100, 100]).mx;
    const rhs = mx.sort(randint(272, [100], 0, 8).mx);

    let c1 = gatherMmRef(a, b, rhs);
    let c2 = gatherMmTest(a, b, rhs);
    assertMxClose(c1, c2, { atol: 1e-4 });

    const cotan = normal(273, c1.shape).mx; // mx.random.normal(c1.shape)
    const [c1s, dc1] = mx.vjp((a: array, b: array) => gatherMmRef(a, b, rhs), [a, b], [cotan]);
    const [c2s, dc2] = mx.vjp((a: array, b: array) => gatherMmTest(a, b, rhs), [a, b], [cotan]);
    c1 = c1s[0];
    c2 = c2s[0];
    assertMxClose(c1, c2, { atol: 1e-4 });
    assertMxClose(dc1[0], dc2[0], { atol: 1e-4 });
    assertMxClose(dc1[1], dc2[1], { atol: 1e-4 });
  });

  test('test_segmented_mm', () => {
    const segmentedMmRef = (a: array, b: array, s: array) => {
      const segs = s.tolist() as number[][];
      const c: array[] = [];
      for (const [s1, s2] of segs) {
        c.push(mx.matmul(a.index(':', mx.Slice(s1, s2)), b.index(mx.Slice(s1, s2), ':')));
      }
      return mx.stack(c, { axis: 0 });
    };

    const shapes = [
      [10, 10, 10],
      [10, 10, 1000],
      [200, 200, 1000], // Python: (1000, 1000, 1000); see the header
    ];
    const allSegments = [[0, 0, 1.0], [0, 0.5, 1.0], Array.from({ length: 10 }, (_, r) => r / 9)];

    let seed = 280;
    const randn = (shape: number[]) => normal(seed++, shape).mx; // mx.random.normal(shape)
    for (const [M, N, K] of shapes) {
      for (const s of allSegments) {
        const segmentsList: number[][] = [];
        for (let i = 0; i < s.length - 1; i++) segmentsList.push([s[i], s[i + 1]]);
        let segments = mx.array(segmentsList);
        segments = mx.minimum(K - 1, mx.multiply(K, segments).astype(mx.uint32));
        const msg = `M=${M} N=${N} K=${K} segments=${s}`;

        let a = randn([M, K]);
        let b = randn([K, N]);
        assertMxClose(segmentedMmRef(a, b, segments), mx.segmentedMm(a, b, segments), { atol: 1e-4 }, `${msg} nn`);

        a = randn([K, M]);
        b = randn([K, N]);
        assertMxClose(segmentedMmRef(a.T, b, segments), mx.segmentedMm(a.T, b, segments), { atol: 1e-4 }, `${msg} tn`);

        a = randn([M, K]);
        b = randn([N, K]);
        assertMxClose(segmentedMmRef(a, b.T, segments), mx.segmentedMm(a, b.T, segments), { atol: 1e-4 }, `${msg} nt`);

        a = randn([K, M]);
        b = randn([N, K]);
        assertMxClose(
          segmentedMmRef(a.T, b.T, segments),
          mx.segmentedMm(a.T, b.T, segments),
          { atol: 1e-4 },
          `${msg} tt`,
        );
      }
    }

    assert.throws(() => {
      const a = mx.ones([2, 10, 10]);
      const s = mx
        .array([
          [0, 5],
          [5, 10],
        ])
        .astype(mx.uint32);
      mx.segmentedMm(a, a, s);
    }, Error);

    const a = mx.ones([10, 1000]);
    let s = randint(290, [1000], 0, 16).mx; // mx.random.randint(0, 16, shape=(1000,))
    s = mx.zeros(16, { dtype: s.dtype }).at(s).add(1);
    s = mx.sort(s);
    s = mx.cumsum(s);
    s = mx.concatenate([mx.array([0], mx.int32), s]);
    s = mx.asStrided(s, [16, 2], [1, 1]);
    s = mx.reshape(s, [2, 2, 4, 2]);
    const c = mx.segmentedMm(a, a.T, s);
    assert.deepEqual(c.shape, [2, 2, 4, 10, 10]);
  });

  test('test_gemv_gemm_same_precision', () => {
    // (Python runs this only with a GPU; see the header.)
    const N = 256;
    const t = mx.bfloat16;
    const a = normal(300, [1, N]).mx.astype(t); // mx.random.normal([1, N]).astype(t)
    const b = mx.concatenate([a, a], { axis: 0 }).astype(t);
    const c = normal(301, [N, 64]).mx.astype(t);
    const out_gemv = mx.matmul(a, c);
    const out_gemm = mx.matmul(b, c).index(0);
    assertMxClose(out_gemv, out_gemm);
  });

  test('test_complex_gemv', () => {
    const [c_np, cT_np] = O.get<array[]>(E_CGEMV);

    let [a, b] = CGEMV.ab();
    let c = mx.matmul(a, b);
    assertClose(c, c_np, 1e-8);

    // Transposed
    [a, b] = CGEMV.abT();
    c = mx.matmul(a.T, b);
    assertClose(c, cT_np, 1e-8, 'transposed');

    // Check shapes
    a = normal(320, [2, 3]).mx.astype(mx.complex64);
    b = normal(321, [3]).mx;
    assert.deepEqual(mx.matmul(a, b).shape, [2]);

    a = normal(322, [2, 3]).mx.astype(mx.complex64);
    b = normal(323, [3]).mx;
    c = normal(324, [2]).mx;
    assert.deepEqual(mx.addmm(c, a, b).shape, [2]);
  });

  test('test_complex_gemm', () => {
    const [c_np, out_np, cReal_np] = O.get<array[]>(E_CGEMM);

    let [a, b] = CGEMM.mm();
    let c = mx.matmul(a, b);
    assertClose(c, c_np, 1e-8);

    // Test addmm
    const [a2, b2, c2] = CGEMM.addmm();
    const out = mx.addmm(c2, a2, b2, 2.0, 2.0);
    assertClose(out, out_np, 1e-8, 'addmm');

    // complex with real
    [a, b] = CGEMM.real();
    c = mx.matmul(a, b);
    assertClose(out, out_np, 1e-8, 'addmm (as Python re-checks)');
    assertClose(c, cReal_np, 1e-8, 'complex with real');
  });
});
