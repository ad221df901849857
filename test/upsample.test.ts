// Port of python/tests/test_upsample.py (ml-explore/mlx).
//
// test_torch_upsample compares nn.Upsample with PyTorch's F.interpolate
// (np.allclose, atol=1e-5; skipped in Python when torch is missing). PyTorch is
// not in the oracle's environment, so the reference here is Python mlx 0.32.4
// running the same nn.Upsample on the same input — made by the oracle exactly
// as the Python test makes it (np.random.seed(0); np.random.normal(-1.0, 1.0,
// (N, iH, iW, C)).astype(float32)) — and the comparison is bit for bit (the
// shape, as Python's assertEqual(out_pt.shape, out_mx.shape), and the bytes).
// Every case runs in one Python process. (The stored upstream file has this one
// case; antialiasing, which 0.32.4's nn.Upsample has, is covered against the
// oracle in nn-layers-conv-norm.test.ts.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { mx, nn } from '../lib/index';
import type { array } from '../lib/index';
import { assertSameArray, py } from './helpers/mlx_tests';
import { subTests } from './helpers/seeded';

type Mode = 'cubic' | 'linear';
interface Case {
  N: number;
  C: number;
  idim: [number, number];
  scaleFactor: [number, number];
  mode: Mode;
  alignCorner: boolean;
  dtype: 'float32';
}

const CASES: Case[] = [];
for (const dtype of ['float32'] as const) {
  for (const [N, C] of [
    [1, 1],
    [2, 3],
  ]) {
    // only test cases in which target sizes are intergers
    // if not, there will be numerical difference between mlx
    // and torch due to different indices selection.
    for (const [idim, scaleFactor] of [
      [
        [2, 2],
        [1.0, 1.0],
      ],
      [
        [2, 2],
        [1.5, 1.5],
      ],
      [
        [2, 2],
        [2.0, 2.0],
      ],
      [
        [4, 4],
        [0.5, 0.5],
      ],
      [
        [7, 7],
        [2.0, 2.0],
      ],
      [
        [10, 10],
        [0.2, 0.2],
      ],
      [
        [11, 21],
        [3.0, 3.0],
      ],
      [
        [11, 21],
        [3.0, 2.0],
      ],
    ] as Array<[[number, number], [number, number]]>) {
      // only test linear and cubic interpolation
      // there will be numerical difference in nearest
      // due to different indices selection.
      for (const mode of ['cubic', 'linear'] as const) {
        for (const alignCorner of [false, true]) CASES.push({ N, C, idim, scaleFactor, mode, alignCorner, dtype });
      }
    }
  }
}

// Python's scale factors are floats: 1.0 stays 1.0 in the Python source.
const pyFloat = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));

const ORACLE = py<Array<{ x: array; y: array }>>(
  `
import mlx.nn as nn
out = []
for (N, C, iH, iW, sf, mode, align, dtype) in cases:
    np_dtype = getattr(np, dtype)
    np.random.seed(0)
    in_np = np.random.normal(-1.0, 1.0, (N, iH, iW, C)).astype(np_dtype)
    in_mx = mx.array(in_np)
    out_mx = nn.Upsample(scale_factor=eval(sf), mode=mode, align_corners=align)(in_mx)
    out.append({"x": in_mx, "y": out_mx})
`,
  {
    cases: CASES.map((c) => [
      c.N,
      c.C,
      c.idim[0],
      c.idim[1],
      `(${pyFloat(c.scaleFactor[0])}, ${pyFloat(c.scaleFactor[1])})`,
      c.mode,
      c.alignCorner,
      c.dtype,
    ]),
  },
);

describe('TestUpsample', () => {
  test('test_torch_upsample', () => {
    let i = 0;
    subTests(
      CASES,
      (c) =>
        `N=${c.N}, C=${c.C}, idim=(${c.idim.join(', ')}), scale_factor=(${c.scaleFactor.join(', ')}), mode=${c.mode}, align_corner=${c.alignCorner}`,
      (c) => {
        const { x, y } = ORACLE[i++];
        assert.deepEqual(x.shape, [c.N, c.idim[0], c.idim[1], c.C]);
        assert.equal(x.dtype, mx[c.dtype]);
        const outMx = new nn.Upsample(c.scaleFactor, { mode: c.mode, alignCorners: c.alignCorner }).forward(x);
        assert.deepEqual(outMx.shape, y.shape);
        assertSameArray(outMx, y);
      },
    );
  });
});
