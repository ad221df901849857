// Port of python/tests/test_double.py (ml-explore/mlx v0.32.4).
//
// Each Python case checks that an op gives (nearly) the same values in
// float64 as in float32 (on the CPU; on a GPU, float64 must raise). The port
// keeps those self-checks and adds the oracle: Python mlx 0.32.4 runs the same
// ops on the same inputs, and mlx-node's float32 and float64 results must
// match it (a float64 op that silently computed in float32 would pass the
// self-check but not this). Inputs come from a seeded JS generator
// (helpers/seeded.ts) in place of mx.random; all oracle expressions run in one
// Python process.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { mx } from '../lib/index';
import type { array, Device } from '../lib/index';
import { assertEqualArray } from './helpers/mlx_tests';
import { OracleBatch, rand, randn } from './helpers/seeded';

// (defaultDevice() is typed Device | DeviceType; it returns a Device.)
const onGpu = (mx.defaultDevice() as Device).equals(mx.gpu);

const O = new OracleBatch(`
def set_item(a, i, j, b):
    a = mx.array(a)
    a[i, j] = b
    return a
`);

// float64 results must agree with Python to (nearly) the last bit.
const F64 = { atol: 1e-300, rtol: 1e-12 };
const F32 = { atol: 0, rtol: 1e-6 };

const DBL = (name: string) => `${name}.astype(mx.float64, stream=mx.cpu)`;

// ---------------------------------------------------------------------------
// Inputs and oracle expressions

const UNARY_OPS = [
  'abs',
  'arccos',
  'arccosh',
  'arcsin',
  'arcsinh',
  'arctan',
  'arctanh',
  'ceil',
  'erf',
  'erfinv',
  'exp',
  'expm1',
  'floor',
  'log',
  'logical_not',
  'negative',
  'round',
  'sin',
  'sinh',
  'sqrt',
  'rsqrt',
  'tan',
  'tanh',
] as const;
O.input('ux', () => randn([3, 3], { seed: 'double_unary_x' }));
const UNARY_REF = Object.fromEntries(
  UNARY_OPS.map((op) => [op, { y: O.want(`mx.${op}(ux)`), yDouble: O.want(`mx.${op}(${DBL('ux')})`) }]),
);

const BINARY_OPS = [
  'add',
  'arctan2',
  'divide',
  'multiply',
  'subtract',
  'logical_and',
  'logical_or',
  'remainder',
  'maximum',
  'minimum',
  'power',
  'equal',
  'greater',
  'greater_equal',
  'less',
  'less_equal',
  'not_equal',
  'logaddexp',
] as const;
O.input('ba', () => randn([3, 3], { seed: 'double_binary_a' }));
O.input('bb', () => randn([3, 3], { seed: 'double_binary_b' }));
const BINARY_REF = Object.fromEntries(
  BINARY_OPS.map((op) => [
    op,
    { y: O.want(`mx.${op}(ba, bb)`), yDouble: O.want(`mx.${op}(${DBL('ba')}, ${DBL('bb')})`) },
  ]),
);

O.input('wu', () => rand([3, 3], { seed: 'double_where_u' }));
O.input('wa', () => randn([3, 3], { seed: 'double_where_a' }));
O.input('wb', () => randn([3, 3], { seed: 'double_where_b' }));
const WHERE_REF = {
  y: O.want('mx.where(wu > 0.5, wa, wb)'),
  yDouble: O.want(`mx.where(wu > 0.5, ${DBL('wa')}, ${DBL('wb')})`),
};

const REDUCE_OPS = ['sum', 'prod', 'min', 'max', 'any', 'all'] as const;
O.input('ra', () => randn([32, 32], { seed: 'double_reduce_a' }));
const REDUCE_REF = Object.fromEntries(
  REDUCE_OPS.map((op) => [op, { y: O.want(`mx.${op}(ra)`), yDouble: O.want(`mx.${op}(${DBL('ra')})`) }]),
);

O.input('ga', () => randn([3, 3], { seed: 'double_getset_a' }));
O.input('gb', () => randn([2], { seed: 'double_getset_b' }));
O.input('gi', () => mx.array([0, 2], mx.int32));
const GETSET_REF = {
  y: O.want('ga[gi, gi]'),
  yDouble: O.want(`${DBL('ga')}[gi, gi]`),
  a: O.want('set_item(ga, gi, gi, gb)'),
  aDouble: O.want(`set_item(${DBL('ga')}, gi, gi, ${DBL('gb')})`),
};

O.input('ma', () => randn([8, 8], { seed: 'double_gemm_a' }));
O.input('mb', () => randn([8, 8], { seed: 'double_gemm_b' }));
const GEMM_REF = { y: O.want('ma @ mb'), yDouble: O.want(`${DBL('ma')} @ ${DBL('mb')}`) };

// The Python test's own check, then the oracle's values for y and y_double.
function checkPair(
  y: array,
  yDouble: array,
  ref: { y: number; yDouble: number },
  opts: { equalNan?: boolean; msg?: string } = {},
) {
  assert.ok(
    mx.allclose(y, yDouble.astype(mx.float32, mx.cpu), { equalNan: opts.equalNan ?? false }).item(),
    `${opts.msg ?? ''} float32 vs float64`,
  );
  assertEqualArray(y, O.array(ref.y), { ...F32, msg: `${opts.msg ?? ''} float32 vs Python` });
  assertEqualArray(yDouble, O.array(ref.yDouble), { ...F64, msg: `${opts.msg ?? ''} float64 vs Python` });
}

describe('TestDouble', () => {
  test('test_unary_ops', () => {
    const x = O.arg('ux');

    if (onGpu) assert.throws(() => mx.eval(x.astype(mx.float64)), Error);

    const xDouble = x.astype(mx.float64, { stream: mx.cpu });

    const ops: Array<[string, (a: array) => array]> = [
      ['abs', mx.abs],
      ['arccos', mx.arccos],
      ['arccosh', mx.arccosh],
      ['arcsin', mx.arcsin],
      ['arcsinh', mx.arcsinh],
      ['arctan', mx.arctan],
      ['arctanh', mx.arctanh],
      ['ceil', mx.ceil],
      ['erf', mx.erf],
      ['erfinv', mx.erfinv],
      ['exp', mx.exp],
      ['expm1', mx.expm1],
      ['floor', mx.floor],
      ['log', mx.log],
      ['logical_not', mx.logicalNot],
      ['negative', mx.negative],
      ['round', mx.round],
      ['sin', mx.sin],
      ['sinh', mx.sinh],
      ['sqrt', mx.sqrt],
      ['rsqrt', mx.rsqrt],
      ['tan', mx.tan],
      ['tanh', mx.tanh],
    ];
    for (const [name, op] of ops) {
      if (onGpu) {
        assert.throws(() => mx.eval(op(xDouble)), Error);
        continue;
      }
      const y = op(x);
      const yDouble = op(xDouble);
      checkPair(y, yDouble, UNARY_REF[name], { equalNan: true, msg: name });
    }
  });

  test('test_binary_ops', () => {
    const a = O.arg('ba');
    const b = O.arg('bb');

    const aDouble = a.astype(mx.float64, { stream: mx.cpu });
    const bDouble = b.astype(mx.float64, { stream: mx.cpu });

    const ops: Array<[string, (a: array, b: array) => array]> = [
      ['add', mx.add],
      ['arctan2', mx.arctan2],
      ['divide', mx.divide],
      ['multiply', mx.multiply],
      ['subtract', mx.subtract],
      ['logical_and', mx.logicalAnd],
      ['logical_or', mx.logicalOr],
      ['remainder', mx.remainder],
      ['maximum', mx.maximum],
      ['minimum', mx.minimum],
      ['power', mx.power],
      ['equal', mx.equal],
      ['greater', mx.greater],
      ['greater_equal', mx.greaterEqual],
      ['less', mx.less],
      ['less_equal', mx.lessEqual],
      ['not_equal', mx.notEqual],
      ['logaddexp', mx.logaddexp],
    ];
    for (const [name, op] of ops) {
      if (onGpu) {
        assert.throws(() => mx.eval(op(aDouble, bDouble)), Error);
        continue;
      }
      const y = op(a, b);
      const yDouble = op(aDouble, bDouble);
      checkPair(y, yDouble, BINARY_REF[name], { equalNan: true, msg: name });
    }
  });

  test('test_where', () => {
    const cond = mx.greater(O.arg('wu'), 0.5);
    const a = O.arg('wa');
    const b = O.arg('wb');

    const aDouble = a.astype(mx.float64, { stream: mx.cpu });
    const bDouble = b.astype(mx.float64, { stream: mx.cpu });

    if (onGpu) {
      assert.throws(() => mx.eval(mx.where(cond, aDouble, bDouble)), Error);
      return;
    }
    const y = mx.where(cond, a, b);
    const yDouble = mx.where(cond, aDouble, bDouble);
    checkPair(y, yDouble, WHERE_REF);
  });

  test('test_reductions', () => {
    const a = O.arg('ra');
    const aDouble = a.astype(mx.float64, { stream: mx.cpu });

    const axes: Array<number | number[]> = [0, 1, [0, 1]];
    const ops: Array<[string, (a: array, opts?: { axis?: number | number[] }) => array]> = [
      ['sum', mx.sum],
      ['prod', mx.prod],
      ['min', mx.min],
      ['max', mx.max],
      ['any', mx.any],
      ['all', mx.all],
    ];

    for (const [name, op] of ops) {
      for (const ax of axes) {
        if (onGpu) {
          assert.throws(() => mx.eval(op(aDouble, { axis: ax })), Error);
          continue;
        }
        // As in Python, the reductions run over all axes (`ax` only matters on a GPU).
        const y = op(a);
        const yDouble = op(aDouble);
        checkPair(y, yDouble, REDUCE_REF[name], { msg: `${name} axis=${ax}` });
      }
    }
  });

  test('test_get_and_set_item', () => {
    const a = mx.array(O.arg('ga')); // a copy: a.set() below must not change the oracle's input
    const b = O.arg('gb');
    const aDouble = a.astype(mx.float64, { stream: mx.cpu });
    const bDouble = b.astype(mx.float64, { stream: mx.cpu });
    const idxI = mx.array([0, 2], mx.int32);
    const idxJ = mx.array([0, 2], mx.int32);

    if (onGpu) {
      assert.throws(() => mx.eval(aDouble.index(idxI, idxJ)), Error);
    } else {
      const y = a.index(idxI, idxJ);
      const yDouble = aDouble.index(idxI, idxJ);
      checkPair(y, yDouble, { y: GETSET_REF.y, yDouble: GETSET_REF.yDouble });
    }

    if (onGpu) {
      assert.throws(() => {
        aDouble.set(idxI, idxJ, bDouble);
        mx.eval(aDouble);
      }, Error);
    } else {
      // a and a_double are updated in place, as Python's a[idx_i, idx_j] = b
      a.set(idxI, idxJ, b);
      aDouble.set(idxI, idxJ, bDouble);
      checkPair(a, aDouble, { y: GETSET_REF.a, yDouble: GETSET_REF.aDouble });
    }
  });

  test('test_gemm', () => {
    const a = O.arg('ma');
    const b = O.arg('mb');

    const aDouble = a.astype(mx.float64, { stream: mx.cpu });
    const bDouble = b.astype(mx.float64, { stream: mx.cpu });

    if (onGpu) {
      assert.throws(() => mx.eval(mx.matmul(aDouble, bDouble)), Error);
      return;
    }
    const y = mx.matmul(a, b);
    const yDouble = mx.matmul(aDouble, bDouble);
    checkPair(y, yDouble, GEMM_REF, { equalNan: true });
  });
});
