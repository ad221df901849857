// Port of python/tests/test_bf16.py (ml-explore/mlx v0.32.4).
//
// __default_test compares an mlx bfloat16 op with numpy in float32 on the same
// bfloat16-rounded inputs, the result rounded to bfloat16 (its "numpy"
// subtest); the numpy side runs in the oracle (Python mlx 0.32.4 + numpy),
// exactly as in the Python test. Inputs come from a seeded JS generator
// (helpers/seeded.ts) in place of np.random; all oracle expressions run in one
// Python process.
//
// Left out: the "torch" subtests of __default_test (Python runs them only when
// torch is installed; it is not here).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { mx } from '../lib/index';
import type { array, Device } from '../lib/index';
import { assertEqualArray } from './helpers/mlx_tests';
import { OracleBatch, pyArgs, rand, randn, subTests } from './helpers/seeded';

// (defaultDevice() is typed Device | DeviceType; it returns a Device.)
const onGpu = (mx.defaultDevice() as Device).equals(mx.gpu);

const O = new OracleBatch(`
def np_transform(x):
    x_mx_bf16 = mx.array(x).astype(mx.bfloat16)
    x_mx_fp32 = x_mx_bf16.astype(mx.float32)
    return np.asarray(x_mx_fp32)

def np_ref(op, np_args, simple_transform, np_kwargs):
    # __default_test's numpy reference: ref_op(*map(ref_transform, np_args))
    ref_args = [simple_transform(np_transform(np.array(x))) for x in np_args]
    return np_transform(getattr(np, op)(*ref_args, **np_kwargs))
`);

// simple_transform: the Python lambda and its JS twin.
type SimpleTransform = { py: string; js: (x: array) => array };
const IDENTITY: SimpleTransform = { py: 'lambda x: x', js: (x) => x };
const FIRST_ROW: SimpleTransform = { py: 'lambda x: x[:1]', js: (x) => x.index(':1') };
const FIRST_COL: SimpleTransform = { py: 'lambda x: x[:, :1]', js: (x) => x.index(':', ':1') };

type DefaultCase = {
  label: string;
  op: string;
  npArgs: string[];
  simpleTransform: SimpleTransform;
  atolNp: number;
  mlxKwargs: Record<string, unknown>;
  ref: number;
};

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

// __default_test: registers the numpy reference; check() runs the mlx side.
function defaultTest(
  label: string,
  op: string,
  npArgs: string[],
  opts: {
    simpleTransform?: SimpleTransform;
    atolNp?: number;
    npKwargs?: Record<string, unknown>;
    mlxKwargs?: Record<string, unknown>;
  } = {},
): DefaultCase {
  const { simpleTransform = IDENTITY, atolNp = 1e-3, npKwargs = {}, mlxKwargs = {} } = opts;
  const ref = O.want(
    `np_ref(${JSON.stringify(op)}, [${npArgs.join(', ')}], ${simpleTransform.py}, dict(${pyArgs(npKwargs)}))`,
  );
  return { label, op, npArgs, simpleTransform, atolNp, mlxKwargs, ref };
}

function check(c: DefaultCase) {
  // mlx_fn(*map(mlx_transform, np_args))
  const mlxArgs = c.npArgs.map((name) => c.simpleTransform.js(O.arg(name).astype(mx.bfloat16)));
  const fn = (mx as unknown as Record<string, (...args: unknown[]) => array>)[camel(c.op)];
  assert.equal(typeof fn, 'function', `mx.${camel(c.op)} is not a function`);
  const outBf16 = Object.keys(c.mlxKwargs).length ? fn(...mlxArgs, c.mlxKwargs) : fn(...mlxArgs);
  const rMlx = outBf16.astype(mx.float32);
  const rRef = O.array(c.ref);
  assertEqualArray(rMlx, rRef, { atol: c.atolNp, rtol: 1e-5 });
}

// ---------------------------------------------------------------------------
// Case tables

const UNARY: DefaultCase[] = [];
{
  const x = O.input('ux', () => rand([18, 28, 38], { seed: 'bf16_unary_x' }));
  for (const op of ['abs', 'exp', 'log', 'square', 'sqrt']) UNARY.push(defaultTest(op, op, [x]));
}

const BINARY: DefaultCase[] = [];
{
  const x = O.input('bx', () => rand([18, 28, 38], { seed: 'bf16_binary_x' }));
  const y = O.input('by', () => rand([18, 28, 38], { seed: 'bf16_binary_y' }));
  for (const op of ['add', 'subtract', 'multiply', 'divide', 'maximum', 'minimum']) {
    BINARY.push(defaultTest(`${op} x`, op, [x, y], { simpleTransform: IDENTITY }));
    BINARY.push(defaultTest(`${op} x[:1]`, op, [x, y], { simpleTransform: FIRST_ROW }));
    BINARY.push(defaultTest(`${op} x[:, :1]`, op, [x, y], { simpleTransform: FIRST_COL }));
  }
}

const REDUCTION: DefaultCase[] = [];
{
  const x = O.input('rx', () => rand([18, 28, 38], { seed: 'bf16_reduction_x' }));
  for (const op of ['min', 'max']) {
    for (const axes of [0, 1, 2, [0, 1], [0, 2], [1, 2], [0, 1, 2]]) {
      REDUCTION.push(
        defaultTest(`${op} axes=${axes}`, op, [x], { npKwargs: { axis: axes }, mlxKwargs: { axis: axes } }),
      );
    }
  }
}

// test_arg_reduction_ops: numpy on the float32 values of the bfloat16 array
O.input('ad', () => rand([10, 12, 13], { seed: 'bf16_arg_data' }));
const ARG_SETUP = 'np.asarray(mx.array(ad).astype(mx.bfloat16).astype(mx.float32))';
const ARG_AXIS: Array<{ op: 'argmin' | 'argmax'; axis: number; kd: boolean; ref: number }> = [];
for (const op of ['argmin', 'argmax'] as const) {
  for (let axis = 0; axis < 3; axis++) {
    for (const kd of [true, false]) {
      ARG_AXIS.push({
        op,
        axis,
        kd,
        ref: O.want(`np.${op}(${ARG_SETUP}, ${axis}, keepdims=${kd ? 'True' : 'False'}).tolist()`),
      });
    }
  }
}
const ARG_ALL = (['argmin', 'argmax'] as const).map((op) => ({
  op,
  keepdims: O.want(`np.${op}(${ARG_SETUP}, keepdims=True).tolist()`),
  scalar: O.want(`int(np.${op}(${ARG_SETUP}))`),
}));

// test_blas_ops (GPU only, as in Python)
const BLAS: DefaultCase[] = [];
if (onGpu) {
  for (const [shapeX, shapeY] of [
    [
      [32, 32],
      [32, 32],
    ],
    [
      [23, 57],
      [57, 1],
    ],
    [
      [1, 3],
      [3, 128],
    ],
    [
      [8, 128, 768],
      [768, 16],
    ],
  ]) {
    const scale = 1.0 / shapeX[shapeX.length - 1];
    const x = O.input(`blas_x_${shapeX.join('x')}`, () => randn(shapeX, { seed: `bf16_blas_x_${shapeX}`, scale }));
    const y = O.input(`blas_y_${shapeY.join('x')}_${shapeX.join('x')}`, () =>
      randn(shapeY, { seed: `bf16_blas_y_${shapeX}_${shapeY}`, scale }),
    );
    BLAS.push(defaultTest(`matmul ${shapeX} @ ${shapeY}`, 'matmul', [x, y], { atolNp: 1e-3 }));
  }
}

describe('TestBF16', () => {
  test('test_unary_ops', () => {
    subTests(UNARY, (c) => c.label, check);
  });

  test('test_binary_ops', () => {
    subTests(BINARY, (c) => c.label, check);
  });

  test('test_reduction_ops', () => {
    subTests(REDUCTION, (c) => c.label, check);
  });

  test('test_arg_reduction_ops', () => {
    const x = O.arg('ad').astype(mx.bfloat16);
    const fns = { argmin: mx.argmin, argmax: mx.argmax };

    for (const c of ARG_AXIS) {
      const a = fns[c.op](x, c.axis, c.kd).astype(mx.float32);
      assert.deepEqual(a.tolist(), O.value(c.ref), `${c.op} axis=${c.axis} keepdims=${c.kd}`);
    }

    for (const c of ARG_ALL) {
      let a = fns[c.op](x, { keepdims: true }).astype(mx.float32);
      assert.deepEqual(a.tolist(), O.value(c.keepdims), `${c.op} keepdims=True`);
      a = fns[c.op](x).astype(mx.float32);
      assert.equal(a.item(), O.value(c.scalar), c.op);
    }
  });

  test('test_blas_ops', (t) => {
    if (!onGpu) {
      t.skip('returns early without a GPU, as in Python');
      return;
    }
    subTests(BLAS, (c) => c.label, check);
  });
});
