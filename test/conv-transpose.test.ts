// Port of python/tests/test_conv_transpose.py (ml-explore/mlx v0.32.4).
//
// The test_torch_* cases compare against PyTorch in Python (skipped there when
// torch is missing). Here the reference is the oracle: Python mlx 0.32.4 runs
// the same op with the same keyword arguments on the same inputs. Inputs come
// from a seeded JS generator (helpers/seeded.ts) in place of np.random; every
// oracle expression of the file runs in one Python process (OracleBatch).
//
// Left out, pending transforms (issue 4): mx.vjp is not built yet.
//   test_torch_conv_transpose_1D_grad, test_torch_conv_transpose_2D_grad,
//   test_torch_conv_transpose_3D_grad
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { mx } from '../lib/index';
import type { array } from '../lib/index';
import { assertClose, OracleBatch, pyArgs, pyLiteral, randn, subTests } from './helpers/seeded';

const O = new OracleBatch();

// An input registered with the oracle batch: equal keys give the same data
// (as np.random.seed(0) before each run gives equal arrays for equal shapes).
function normal(key: string, shape: number[], scale: number): string {
  const name = `${key}_${shape.join('x')}_${String(scale)}`.replace(/[^A-Za-z0-9_]/g, '_');
  return O.input(name, () => randn(shape, { seed: name, scale }));
}

type Case = {
  N: number;
  C: number;
  O: number;
  idim: number[];
  kdim: number[];
  stride: number | number[];
  padding: number | number[];
  dilation: number | number[];
  groups: number;
  inp: string;
  wt: string;
  ref: number;
};
const label = (c: Case) =>
  `N=${c.N} C=${c.C} O=${c.O} idim=${c.idim} kdim=${c.kdim} stride=${c.stride} padding=${c.padding} dilation=${c.dilation} groups=${c.groups}`;

// ---------------------------------------------------------------------------
// test_torch_conv_transpose_1D

const CT1D: Case[] = [];
function runConvTranspose1D(
  N: number,
  C: number,
  Oc: number,
  iH: number,
  kH: number,
  stride: number,
  padding: number,
  dilation = 1,
  groups = 1,
) {
  const inp = normal('ct1_in', [N, iH, C], 1.0 / C);
  const wt = normal('ct1_wt', [Oc, kH, Math.trunc(C / groups)], 1.0 / C);
  const ref = O.want(`mx.conv_transpose1d(${inp}, ${wt}, ${pyArgs({ stride, padding, dilation, groups })})`);
  CT1D.push({ N, C, O: Oc, idim: [iH], kdim: [kH], stride, padding, dilation, groups, inp, wt, ref });
}
for (const [N, C, Oc] of [
  [1, 1, 1],
  [1, 6, 1],
  [1, 1, 6],
  [4, 32, 64],
]) {
  for (const [iH, kH, stride, padding] of [
    [1, 1, 1, 0],
    [3, 3, 1, 0],
    [31, 5, 5, 2],
  ]) {
    runConvTranspose1D(N, C, Oc, iH, kH, stride, padding);
  }
}
// Groups tests
for (const [iH, kH, stride, padding] of [
  [1, 1, 1, 0],
  [3, 3, 1, 0],
  [31, 5, 5, 2],
]) {
  for (const group of [1]) runConvTranspose1D(4, 32, 64, iH, kH, stride, padding, 1, group);
}
// Strided inputs tests
const CT1D_STRIDED: Array<{ tposeIn: number[]; tposeWt: number[]; inp: string; wt: string; ref: number }> = [];
for (const [tposeIn, tposeWt] of [
  [
    [0, 2, 1],
    [0, 1, 2],
  ],
  [
    [0, 2, 1],
    [0, 2, 1],
  ],
]) {
  const inp = normal('ct1s_in', [16, 16, 16], 1.0 / 16);
  const wt = normal('ct1s_wt', [16, 16, 16], 1.0 / 16);
  const ref = O.want(
    `mx.conv_transpose1d(mx.transpose(${inp}, ${pyLiteral(tposeIn)}), mx.transpose(${wt}, ${pyLiteral(tposeWt)}))`,
  );
  CT1D_STRIDED.push({ tposeIn, tposeWt, inp, wt, ref });
}

// ---------------------------------------------------------------------------
// test_torch_conv_transpose_2D

const CT2D: Case[] = [];
function runConvTranspose2D(
  N: number,
  C: number,
  Oc: number,
  idim: number[],
  kdim: number[],
  stride: number[],
  padding: number[],
  dilation = [1, 1],
  groups = 1,
) {
  const [iH, iW] = idim;
  const [kH, kW] = kdim;
  const scale = 1.0 / Math.sqrt(kH * kW * C);
  const inp = normal('ct2_in', [N, iH, iW, C], scale);
  const wt = normal('ct2_wt', [Oc, kH, kW, Math.trunc(C / groups)], 1.0);
  const ref = O.want(`mx.conv_transpose2d(${inp}, ${wt}, ${pyArgs({ stride, padding, dilation, groups })})`);
  CT2D.push({ N, C, O: Oc, idim, kdim, stride, padding, dilation, groups, inp, wt, ref });
}
const CT2D_SHAPES = [
  [
    [1, 1],
    [1, 1],
    [1, 1],
    [0, 0],
  ],
  [
    [3, 3],
    [3, 1],
    [1, 1],
    [0, 0],
  ],
  [
    [31, 31],
    [5, 5],
    [5, 5],
    [2, 2],
  ],
];
for (const [N, C, Oc] of [
  [1, 1, 1],
  [1, 6, 1],
  [1, 1, 6],
  [4, 32, 64],
]) {
  for (const [idim, kdim, stride, padding] of CT2D_SHAPES) runConvTranspose2D(N, C, Oc, idim, kdim, stride, padding);
}
// Groups tests
for (const [idim, kdim, stride, padding] of CT2D_SHAPES) {
  for (const group of [1]) runConvTranspose2D(4, 32, 64, idim, kdim, stride, padding, [1, 1], group);
}

// ---------------------------------------------------------------------------
// test_torch_conv_transpose_3D

const CT3D: Case[] = [];
function runConvTranspose3D(
  N: number,
  C: number,
  Oc: number,
  idim: number[],
  kdim: number[],
  stride: number[],
  padding: number[],
  dilation = [1, 1, 1],
  groups = 1,
) {
  const [iD, iH, iW] = idim;
  const [kD, kH, kW] = kdim;
  const scale = 1.0 / Math.sqrt(kD * kH * kW * C * Oc);
  const inp = normal('ct3_in', [N, iD, iH, iW, C], scale);
  const wt = normal('ct3_wt', [Oc, kD, kH, kW, C], 1.0);
  const ref = O.want(`mx.conv_transpose3d(${inp}, ${wt}, ${pyArgs({ stride, padding, dilation, groups })})`);
  CT3D.push({ N, C, O: Oc, idim, kdim, stride, padding, dilation, groups, inp, wt, ref });
}
for (const [N, C, Oc] of [
  [1, 1, 1],
  [1, 6, 1],
  [1, 1, 6],
  [2, 8, 16],
]) {
  for (const [idim, kdim, stride, padding] of [
    [
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
      [0, 0, 0],
    ],
    [
      [3, 3, 3],
      [3, 1, 1],
      [1, 1, 1],
      [0, 0, 0],
    ],
    [
      [15, 15, 15],
      [3, 3, 3],
      [3, 3, 3],
      [2, 2, 2],
    ],
  ]) {
    runConvTranspose3D(N, C, Oc, idim, kdim, stride, padding);
  }
}

// ---------------------------------------------------------------------------

function check(out: array, ref: number, atol = 1e-5) {
  const outRef = O.array(ref);
  assert.deepEqual(outRef.shape, out.shape);
  assertClose(out, outRef, { atol, rtol: 1e-5 });
}

describe('TestConvTranspose', () => {
  test('test_torch_conv_transpose_1D', () => {
    subTests(CT1D, label, (c) => {
      const outMx = mx.convTranspose1d(O.arg(c.inp), O.arg(c.wt), {
        stride: c.stride as number,
        padding: c.padding as number,
        dilation: c.dilation as number,
        groups: c.groups,
      });
      check(outMx, c.ref);
    });
    // Strided inputs tests
    subTests(
      CT1D_STRIDED,
      (c) => `strided tpose_in=${c.tposeIn} tpose_wt=${c.tposeWt}`,
      (c) => {
        const inMxT = mx.transpose(O.arg(c.inp), c.tposeIn);
        const wtMxT = mx.transpose(O.arg(c.wt), c.tposeWt);
        check(mx.convTranspose1d(inMxT, wtMxT), c.ref);
      },
    );
  });

  test('test_torch_conv_transpose_2D', () => {
    subTests(CT2D, label, (c) => {
      const outMx = mx.convTranspose2d(O.arg(c.inp), O.arg(c.wt), {
        stride: c.stride,
        padding: c.padding,
        dilation: c.dilation,
        groups: c.groups,
      });
      check(outMx, c.ref);
    });
  });

  test('test_torch_conv_transpose_3D', () => {
    subTests(CT3D, label, (c) => {
      const outMx = mx.convTranspose3d(O.arg(c.inp), O.arg(c.wt), {
        stride: c.stride,
        padding: c.padding,
        dilation: c.dilation,
        groups: c.groups,
      });
      check(outMx, c.ref);
    });
  });
});
