// mlx.nn activations, dropout, embedding and Sequential (lib/nn/layers/
// activations.ts, dropout.ts, embedding.ts, containers.ts) against Python
// mlx.nn 0.32.4 run on the same inputs: every activation function and class
// on float32, float16, bfloat16, float64 and int32 inputs (bit-identical
// results, or the same failure), every class's String() against Python's
// repr, gradients through the compiled functions, Dropout masks under the
// same seed (mx.random's global key sequence is Python's), Embedding and
// Sequential initialization under the same seed, lookups, reprs and
// parameter paths.
//
// Also Embedding.toQuantized and Linear.toQuantized (lib/nn/layers/quantized.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { mx, nn, utils } from '../lib/index';
import type { array } from '../lib/index';
import { assertSameArray, isPyError, pyEach } from './helpers/mlx_tests';
import type { PyError } from './helpers/mlx_tests';

const SETUP = `
import mlx.nn as nn
from mlx.utils import tree_flatten

def seeded(s, f):
    mx.random.seed(s)
    return f()

def paths(m):
    return [k for k, _ in tree_flatten(m.parameters())]
`;

function errorClass(pyName: string): new (...args: any[]) => Error {
  switch (pyName) {
    case 'IndexError':
    case 'KeyError':
      return RangeError;
    case 'TypeError':
      return TypeError;
    default:
      return Error;
  }
}

/** The JS result against the oracle's: bit-identical arrays, or the same kind of failure. */
function checkAgainst(expected: unknown, run: () => array, label: string): void {
  if (isPyError(expected)) {
    const cls = errorClass(expected.$error);
    assert.throws(
      () => mx.eval(run()),
      (e: unknown) => e instanceof cls,
      `${label}: Python raises ${expected.$error}: ${expected.message}`,
    );
    return;
  }
  let actual: array;
  try {
    actual = run();
    mx.eval(actual);
  } catch (e) {
    assert.fail(`${label}: mlx-node throws ${String(e)}, Python gives ${String(expected)}`);
  }
  assertSameArray(actual, expected as array, label);
}

/** Collect the failures of all the cases of one test (Python's subTest). */
function subTests<T>(cases: Iterable<T>, label: (c: T) => string, fn: (c: T) => void): void {
  const failures: string[] = [];
  let n = 0;
  for (const c of cases) {
    n++;
    try {
      fn(c);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      failures.push(`[${label(c)}] ${msg.length > 600 ? msg.slice(0, 600) + '...' : msg}`);
    }
  }
  if (failures.length) throw new Error(`${failures.length} of ${n} cases failed:\n${failures.join('\n')}`);
}

// ---------------------------------------------------------------------------
// Inputs: the same values in every dtype (4 rows so that glu can split axis 0).

const VALUES = [
  [-3, -1.5, -0.5, 0, 0.5, 1.5],
  [3, 6.5, -6.5, 0.25, -0.25, 2],
  [0.7071, -0.1234, 5.5, -5.75, 0.015625, -1e-3],
  [1e4, -1e4, Infinity, -Infinity, 20, -20],
];
const INTS = [
  [-3, -2, -1, 0, 1, 2],
  [3, 6, 7, -7, 10, -10],
  [100, -100, 5, -5, 16777217, -16777217],
  [0, 1, 0, -1, 2, -2],
];
const DTYPES = ['float32', 'float16', 'bfloat16', 'float64', 'int32'] as const;
type DtypeName = (typeof DTYPES)[number];

const X: Record<DtypeName, array> = {
  float32: mx.array(VALUES, mx.float32),
  float16: mx.array(VALUES, mx.float32).astype(mx.float16),
  bfloat16: mx.array(VALUES, mx.float32).astype(mx.bfloat16),
  float64: mx.array(VALUES, mx.float64),
  int32: mx.array(INTS, mx.int32),
};
const ALPHA: Record<DtypeName, array> = {
  float32: mx.array([0.25, 0.1, -0.5, 2, 0, 1], mx.float32),
  float16: mx.array([0.25, 0.1, -0.5, 2, 0, 1], mx.float32).astype(mx.float16),
  bfloat16: mx.array([0.25, 0.1, -0.5, 2, 0, 1], mx.float32).astype(mx.bfloat16),
  float64: mx.array([0.25, 0.1, -0.5, 2, 0, 1], mx.float64),
  int32: mx.array([1, 0, -1, 2, 3, 1], mx.int32),
};

// [label, JS call, Python call]: `x` and `alpha` are the inputs of the dtype.
type FnCase = [string, (x: array, alpha: array) => array, string];
const FUNCTIONS: Record<string, FnCase[]> = {
  relu: [['relu(x)', (x) => nn.relu(x), 'nn.relu(x)']],
  relu6: [['relu6(x)', (x) => nn.relu6(x), 'nn.relu6(x)']],
  relu2: [['relu2(x)', (x) => nn.relu2(x), 'nn.relu2(x)']],
  leakyRelu: [
    ['leakyRelu(x)', (x) => nn.leakyRelu(x), 'nn.leaky_relu(x)'],
    ['leakyRelu(x, 0.2)', (x) => nn.leakyRelu(x, 0.2), 'nn.leaky_relu(x, 0.2)'],
    [
      'leakyRelu(x, {negativeSlope: 2})',
      (x) => nn.leakyRelu(x, { negativeSlope: 2 }),
      'nn.leaky_relu(x, negative_slope=2.0)',
    ],
  ],
  logSoftmax: [
    ['logSoftmax(x)', (x) => nn.logSoftmax(x), 'nn.log_softmax(x)'],
    ['logSoftmax(x, 0)', (x) => nn.logSoftmax(x, 0), 'nn.log_softmax(x, 0)'],
    ['logSoftmax(x, {axis: 0})', (x) => nn.logSoftmax(x, { axis: 0 }), 'nn.log_softmax(x, axis=0)'],
  ],
  elu: [
    ['elu(x)', (x) => nn.elu(x), 'nn.elu(x)'],
    ['elu(x, 0.5)', (x) => nn.elu(x, 0.5), 'nn.elu(x, 0.5)'],
    ['elu(x, {alpha: 2})', (x) => nn.elu(x, { alpha: 2 }), 'nn.elu(x, alpha=2.0)'],
  ],
  celu: [
    ['celu(x)', (x) => nn.celu(x), 'nn.celu(x)'],
    ['celu(x, 0.5)', (x) => nn.celu(x, 0.5), 'nn.celu(x, 0.5)'],
    ['celu(x, {alpha: 2})', (x) => nn.celu(x, { alpha: 2 }), 'nn.celu(x, alpha=2.0)'],
  ],
  selu: [['selu(x)', (x) => nn.selu(x), 'nn.selu(x)']],
  prelu: [
    ['prelu(x, alpha)', (x, a) => nn.prelu(x, a), 'nn.prelu(x, alpha)'],
    ['prelu(x, float32 alpha)', (x) => nn.prelu(x, mx.array([0.25], mx.float32)), 'nn.prelu(x, mx.array([0.25]))'],
  ],
  gelu: [['gelu(x)', (x) => nn.gelu(x), 'nn.gelu(x)']],
  geluApprox: [['geluApprox(x)', (x) => nn.geluApprox(x), 'nn.gelu_approx(x)']],
  geluFastApprox: [['geluFastApprox(x)', (x) => nn.geluFastApprox(x), 'nn.gelu_fast_approx(x)']],
  glu: [
    ['glu(x)', (x) => nn.glu(x), 'nn.glu(x)'],
    ['glu(x, 0)', (x) => nn.glu(x, 0), 'nn.glu(x, 0)'],
    ['glu(x, {axis: -2})', (x) => nn.glu(x, { axis: -2 }), 'nn.glu(x, axis=-2)'],
    ['glu(x.T) (odd axis)', (x) => nn.glu(x.T), 'nn.glu(x.T)'],
  ],
  step: [
    ['step(x)', (x) => nn.step(x), 'nn.step(x)'],
    ['step(x, 0.5)', (x) => nn.step(x, 0.5), 'nn.step(x, 0.5)'],
    ['step(x, {threshold: 16777216})', (x) => nn.step(x, { threshold: 16777216 }), 'nn.step(x, threshold=16777216.0)'],
  ],
  softmax: [
    ['softmax(x)', (x) => nn.softmax(x), 'nn.softmax(x)'],
    ['softmax(x, 0)', (x) => nn.softmax(x, 0), 'nn.softmax(x, 0)'],
  ],
  softmin: [
    ['softmin(x)', (x) => nn.softmin(x), 'nn.softmin(x)'],
    ['softmin(x, {axis: 0})', (x) => nn.softmin(x, { axis: 0 }), 'nn.softmin(x, axis=0)'],
  ],
  softplus: [['softplus(x)', (x) => nn.softplus(x), 'nn.softplus(x)']],
  softsign: [['softsign(x)', (x) => nn.softsign(x), 'nn.softsign(x)']],
  softshrink: [
    ['softshrink(x)', (x) => nn.softshrink(x), 'nn.softshrink(x)'],
    ['softshrink(x, 1)', (x) => nn.softshrink(x, 1), 'nn.softshrink(x, 1.0)'],
    ['softshrink(x, {lambd: 0.25})', (x) => nn.softshrink(x, { lambd: 0.25 }), 'nn.softshrink(x, lambd=0.25)'],
  ],
  sigmoid: [['sigmoid(x)', (x) => nn.sigmoid(x), 'nn.sigmoid(x)']],
  tanh: [['tanh(x)', (x) => nn.tanh(x), 'nn.tanh(x)']],
  silu: [['silu(x)', (x) => nn.silu(x), 'nn.silu(x)']],
  logSigmoid: [['logSigmoid(x)', (x) => nn.logSigmoid(x), 'nn.log_sigmoid(x)']],
  mish: [['mish(x)', (x) => nn.mish(x), 'nn.mish(x)']],
  hardswish: [['hardswish(x)', (x) => nn.hardswish(x), 'nn.hardswish(x)']],
  hardTanh: [
    ['hardTanh(x)', (x) => nn.hardTanh(x), 'nn.hard_tanh(x)'],
    ['hardTanh(x, -2, 2)', (x) => nn.hardTanh(x, -2, 2), 'nn.hard_tanh(x, -2.0, 2.0)'],
    ['hardTanh(x, {maxVal: 0.5})', (x) => nn.hardTanh(x, { maxVal: 0.5 }), 'nn.hard_tanh(x, max_val=0.5)'],
    [
      'hardTanh(x, -0.5, {maxVal: 3})',
      (x) => nn.hardTanh(x, -0.5, { maxVal: 3 }),
      'nn.hard_tanh(x, -0.5, max_val=3.0)',
    ],
  ],
  hardShrink: [
    ['hardShrink(x)', (x) => nn.hardShrink(x), 'nn.hard_shrink(x)'],
    ['hardShrink(x, 1)', (x) => nn.hardShrink(x, 1), 'nn.hard_shrink(x, 1.0)'],
    ['hardShrink(x, {lambd: 2.5})', (x) => nn.hardShrink(x, { lambd: 2.5 }), 'nn.hard_shrink(x, lambd=2.5)'],
  ],
};

// [JS constructor, Python constructor]
type ClassCase = [() => nn.Module, string];
const CLASSES: Record<string, ClassCase[]> = {
  GLU: [
    [() => new nn.GLU(), 'nn.GLU()'],
    [() => new nn.GLU(0), 'nn.GLU(0)'],
    [() => new nn.GLU({ axis: -2 }), 'nn.GLU(axis=-2)'],
  ],
  Sigmoid: [[() => new nn.Sigmoid(), 'nn.Sigmoid()']],
  Mish: [[() => new nn.Mish(), 'nn.Mish()']],
  ReLU: [[() => new nn.ReLU(), 'nn.ReLU()']],
  ReLU2: [[() => new nn.ReLU2(), 'nn.ReLU2()']],
  ReLU6: [[() => new nn.ReLU6(), 'nn.ReLU6()']],
  LeakyReLU: [
    [() => new nn.LeakyReLU(), 'nn.LeakyReLU()'],
    [() => new nn.LeakyReLU(0.2), 'nn.LeakyReLU(0.2)'],
    [() => new nn.LeakyReLU({ negativeSlope: 3 }), 'nn.LeakyReLU(negative_slope=3.0)'],
  ],
  ELU: [
    [() => new nn.ELU(), 'nn.ELU()'],
    [() => new nn.ELU(0.5), 'nn.ELU(0.5)'],
    [() => new nn.ELU({ alpha: 2 }), 'nn.ELU(alpha=2.0)'],
  ],
  Softmax: [[() => new nn.Softmax(), 'nn.Softmax()']],
  Softplus: [[() => new nn.Softplus(), 'nn.Softplus()']],
  Softsign: [[() => new nn.Softsign(), 'nn.Softsign()']],
  Softshrink: [
    [() => new nn.Softshrink(), 'nn.Softshrink()'],
    [() => new nn.Softshrink(1), 'nn.Softshrink(1.0)'],
    [() => new nn.Softshrink({ lambd: 0.25 }), 'nn.Softshrink(lambd=0.25)'],
  ],
  CELU: [
    [() => new nn.CELU(), 'nn.CELU()'],
    [() => new nn.CELU(0.5), 'nn.CELU(0.5)'],
    [() => new nn.CELU({ alpha: 2 }), 'nn.CELU(alpha=2.0)'],
  ],
  SiLU: [[() => new nn.SiLU(), 'nn.SiLU()']],
  LogSoftmax: [[() => new nn.LogSoftmax(), 'nn.LogSoftmax()']],
  LogSigmoid: [[() => new nn.LogSigmoid(), 'nn.LogSigmoid()']],
  PReLU: [
    [() => new nn.PReLU(), 'nn.PReLU()'],
    [() => new nn.PReLU(6, 0.1), 'nn.PReLU(6, 0.1)'],
    [() => new nn.PReLU({ numParameters: 6, init: 2 }), 'nn.PReLU(num_parameters=6, init=2.0)'],
    [() => new nn.PReLU(1, { init: -0.5 }), 'nn.PReLU(1, init=-0.5)'],
  ],
  GELU: [
    [() => new nn.GELU(), 'nn.GELU()'],
    [() => new nn.GELU('none'), "nn.GELU('none')"],
    [() => new nn.GELU('precise'), "nn.GELU('precise')"],
    [() => new nn.GELU('tanh'), "nn.GELU('tanh')"],
    [() => new nn.GELU({ approx: 'fast' }), "nn.GELU(approx='fast')"],
  ],
  Tanh: [[() => new nn.Tanh(), 'nn.Tanh()']],
  Hardswish: [[() => new nn.Hardswish(), 'nn.Hardswish()']],
  Step: [
    [() => new nn.Step(), 'nn.Step()'],
    [() => new nn.Step(0.5), 'nn.Step(0.5)'],
    [() => new nn.Step({ threshold: -1 }), 'nn.Step(threshold=-1.0)'],
  ],
  SELU: [[() => new nn.SELU(), 'nn.SELU()']],
  HardTanh: [[() => new nn.HardTanh(), 'nn.HardTanh()']],
  HardShrink: [
    [() => new nn.HardShrink(), 'nn.HardShrink()'],
    [() => new nn.HardShrink(1), 'nn.HardShrink(1.0)'],
    [() => new nn.HardShrink({ lambd: 2.5 }), 'nn.HardShrink(lambd=2.5)'],
  ],
  Softmin: [[() => new nn.Softmin(), 'nn.Softmin()']],
};

const CLASS_DTYPES: DtypeName[] = ['float32', 'float16', 'bfloat16'];

// Gradients through the compiled functions: [label, JS, Python], of sum(f(x)).
type GradCase = [string, (x: array) => array, string];
const GRADS: GradCase[] = [
  ['logSoftmax', (x) => nn.logSoftmax(x), 'nn.log_softmax'],
  ['softmax', (x) => nn.softmax(x), 'nn.softmax'],
  ['gelu', (x) => nn.gelu(x), 'nn.gelu'],
  ['geluApprox', (x) => nn.geluApprox(x), 'nn.gelu_approx'],
  ['elu', (x) => nn.elu(x), 'nn.elu'],
  ['celu', (x) => nn.celu(x, 0.5), 'lambda x: nn.celu(x, 0.5)'],
  ['selu', (x) => nn.selu(x), 'nn.selu'],
  ['mish', (x) => nn.mish(x), 'nn.mish'],
  ['logSigmoid', (x) => nn.logSigmoid(x), 'nn.log_sigmoid'],
  ['hardswish', (x) => nn.hardswish(x), 'nn.hardswish'],
  ['hardTanh', (x) => nn.hardTanh(x), 'nn.hard_tanh'],
  ['softshrink', (x) => nn.softshrink(x), 'nn.softshrink'],
  ['glu', (x) => nn.glu(x), 'nn.glu'],
  ['leakyRelu', (x) => nn.leakyRelu(x), 'nn.leaky_relu'],
];
// The weighted sum keeps softmax's gradient away from zero (W's first columns for glu's half-width output).
const GRAD_W = mx.array(
  [
    [1, 2, 3, 4, 5, 6],
    [6, 5, 4, 3, 2, 1],
    [1, -1, 1, -1, 1, -1],
    [0.5, 0.25, 2, 3, -2, 1],
  ],
  mx.float32,
);
const GRAD_X = mx.array(VALUES.slice(0, 3).concat([[0.1, -0.2, 0.3, -0.4, 2.5, -2.5]]), mx.float32);

// ---------------------------------------------------------------------------
// One oracle run for the activations.

const actExprs: string[] = [];
const fnIndex = new Map<string, number>(); // `${label}|${dtype}` -> expression
for (const cases of Object.values(FUNCTIONS)) {
  for (const [label, , pyCall] of cases) {
    for (const dt of DTYPES) {
      fnIndex.set(`${label}|${dt}`, actExprs.length);
      actExprs.push(`(lambda x, alpha: ${pyCall})(X['${dt}'], ALPHA['${dt}'])`);
    }
  }
}
const classIndex = new Map<string, { repr: number; out: Record<string, number>; params: number }>();
for (const cases of Object.values(CLASSES)) {
  for (const [, pyCtor] of cases) {
    const out: Record<string, number> = {};
    const repr = actExprs.push(`repr(${pyCtor})`) - 1;
    for (const dt of CLASS_DTYPES) out[dt] = actExprs.push(`${pyCtor}(X['${dt}'])`) - 1;
    const params = actExprs.push(`tree_flatten(${pyCtor}.parameters())`) - 1;
    classIndex.set(pyCtor, { repr, out, params });
  }
}
const gradIndex = new Map<string, number>();
for (const [label, , pyFn] of GRADS) {
  gradIndex.set(label, actExprs.length);
  actExprs.push(`mx.grad(lambda x: (lambda y: mx.sum(y * W[:, :y.shape[1]]))((${pyFn})(x)))(GX)`);
}
const preluGrad = actExprs.push(`mx.grad(lambda a: mx.sum(nn.prelu(GX, a) * W))(ALPHA['float32'])`) - 1;
const geluBadApprox = actExprs.push(`nn.GELU('exact')`) - 1;
const compiledGelu = actExprs.push(`mx.compile(nn.gelu)(X['float16'])`) - 1;
// The public names of mlx.nn.layers.activations: its functions and its Module classes.
const pyFunctionNames =
  actExprs.push(
    `sorted(n for n, v in vars(nn.layers.activations).items() if n[0].islower() and not n.startswith('_') and callable(v) and n not in ('partial',))`,
  ) - 1;
const pyClassNames =
  actExprs.push(
    `sorted(n for n, v in vars(nn.layers.activations).items() if isinstance(v, type) and issubclass(v, nn.Module) and v is not nn.Module)`,
  ) - 1;
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const ACT = pyEach(actExprs, { X, ALPHA, W: GRAD_W, GX: GRAD_X }, SETUP);

describe('activation functions', () => {
  for (const [name, cases] of Object.entries(FUNCTIONS)) {
    test(name, () => {
      subTests(
        cases.flatMap((c) => DTYPES.map((dt) => [c, dt] as const)),
        ([[label], dt]) => `${label} ${dt}`,
        ([[label, js], dt]) => {
          checkAgainst(ACT[fnIndex.get(`${label}|${dt}`)!], () => js(X[dt], ALPHA[dt]), `${label} on ${dt}`);
        },
      );
    });
  }

  test('every function of Python mlx.nn.layers.activations is exported', () => {
    const expected = (ACT[pyFunctionNames] as string[]).map(camel).sort();
    assert.deepEqual(Object.keys(FUNCTIONS).sort(), expected, 'the functions tested here');
    for (const n of expected) assert.equal(typeof (nn as unknown as Record<string, unknown>)[n], 'function', n);
  });

  test('the functions accept positional and keyword arguments only as Python does', () => {
    assert.throws(() => (nn.leakyRelu as (...a: unknown[]) => array)(X.float32, 0.1, 0.2), TypeError);
    assert.throws(() => nn.softmax(X.float32, { dim: 0 } as never), TypeError);
    assert.throws(() => nn.hardTanh(X.float32, -1, { minVal: -2 } as never), TypeError);
  });

  test('gradients through the compiled functions', () => {
    subTests(
      GRADS,
      ([label]) => label,
      ([label, js]) => {
        const g = mx.grad((x: array) => {
          const y = js(x);
          return mx.sum(mx.multiply(y, GRAD_W.index(':', `0:${y.shape[1]}`)));
        })(GRAD_X) as array;
        assertSameArray(g, ACT[gradIndex.get(label)!] as array, `grad ${label}`);
      },
    );
    const ga = mx.grad((a: array) => mx.sum(mx.multiply(nn.prelu(GRAD_X, a), GRAD_W)))(ALPHA.float32) as array;
    assertSameArray(ga, ACT[preluGrad] as array, 'grad prelu wrt alpha');
  });

  test('inside mx.compile and on the same input twice (the compiled cache)', () => {
    assertSameArray(mx.compile((x: array) => nn.gelu(x))(X.float16), ACT[compiledGelu] as array);
    assertSameArray(nn.gelu(X.float16), ACT[compiledGelu] as array);
    // shapeless: another shape reuses the trace and is still right
    const y = nn.gelu(X.float16.index('1:3', '0:4'));
    assertSameArray(y, (ACT[compiledGelu] as array).index('1:3', '0:4'));
  });
});

describe('activation modules', () => {
  for (const [name, cases] of Object.entries(CLASSES)) {
    test(name, () => {
      subTests(
        cases,
        ([, pyCtor]) => pyCtor,
        ([make, pyCtor]) => {
          const idx = classIndex.get(pyCtor)!;
          const m = make();
          assert.ok(m instanceof nn.Module);
          assert.equal(String(m), ACT[idx.repr], 'repr');
          for (const dt of CLASS_DTYPES) checkAgainst(ACT[idx.out[dt]], () => m.forward(X[dt]), `${pyCtor} on ${dt}`);
          const expected = ACT[idx.params] as Array<[string, array]>;
          const actual = utils.treeFlatten(m.parameters()) as Array<[string, array]>;
          assert.deepEqual(
            actual.map(([k]) => k),
            expected.map(([k]) => k),
            'parameter paths',
          );
          actual.forEach(([k, v], i) => assertSameArray(v, expected[i][1], k));
        },
      );
    });
  }

  test('every class of Python mlx.nn.layers.activations is exported', () => {
    const expected = [...(ACT[pyClassNames] as string[])].sort();
    assert.deepEqual(Object.keys(CLASSES).sort(), expected, 'the classes tested here');
    for (const n of expected) {
      const cls = (nn as unknown as Record<string, unknown>)[n] as { prototype: unknown; name: string };
      assert.equal(typeof cls, 'function', n);
      assert.ok(cls.prototype instanceof nn.Module, n);
      assert.equal(cls.name, n);
    }
  });

  test('GELU with an unknown approximation', () => {
    const e = ACT[geluBadApprox] as PyError;
    assert.equal(e.$error, 'ValueError');
    assert.throws(
      () => new nn.GELU('exact' as never),
      (err: unknown) => err instanceof Error && err.message === e.message,
    );
  });

  test('PReLU weight is trainable, the configuration of the others is not a parameter', () => {
    const p = new nn.PReLU(3);
    assert.deepEqual(Object.keys(p.trainableParameters()), ['weight']);
    for (const m of [
      new nn.LeakyReLU(0.3),
      new nn.ELU(),
      new nn.Step(0.5),
      new nn.GLU(1),
      new nn.Softshrink(),
      new nn.GELU('fast'),
    ]) {
      assert.deepEqual(m.parameters(), {}, String(m));
    }
  });
});

// ---------------------------------------------------------------------------
// Dropout

const DX = mx.array(VALUES.slice(0, 3).flat().concat([1, 2, 3, 4, 5, 6]), mx.float32).reshape(2, 3, 4);
const DX4 = mx
  .arange(2 * 3 * 4 * 5)
  .astype(mx.float32)
  .reshape(2, 3, 4, 5);
const DX5 = mx
  .arange(2 * 2 * 3 * 2 * 5)
  .astype(mx.float32)
  .reshape(2, 2, 3, 2, 5);
const DI = mx.array(
  [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ],
  mx.int32,
);

// [label, JS, Python]: each run after seeding both sides with the same seed.
type DropCase = [string, () => array, string];
const DROPS: DropCase[] = [
  ['Dropout()(x)', () => new nn.Dropout().forward(DX), 'nn.Dropout()(DX)'],
  ['Dropout(0.3)(x)', () => new nn.Dropout(0.3).forward(DX), 'nn.Dropout(0.3)(DX)'],
  ['Dropout({p: 0.9})(x)', () => new nn.Dropout({ p: 0.9 }).forward(DX), 'nn.Dropout(p=0.9)(DX)'],
  [
    'Dropout(0.5)(bfloat16)',
    () => new nn.Dropout(0.5).forward(DX.astype(mx.bfloat16)),
    'nn.Dropout(0.5)(DX.astype(mx.bfloat16))',
  ],
  [
    'Dropout(0.2)(float16)',
    () => new nn.Dropout(0.2).forward(DX.astype(mx.float16)),
    'nn.Dropout(0.2)(DX.astype(mx.float16))',
  ],
  ['Dropout(0.5)(int32)', () => new nn.Dropout(0.5).forward(DI), 'nn.Dropout(0.5)(DI)'],
  ['Dropout(0.75)(int32)', () => new nn.Dropout(0.75).forward(DI), 'nn.Dropout(0.75)(DI)'],
  ['Dropout2d()(3D)', () => new nn.Dropout2d().forward(DX), 'nn.Dropout2d()(DX)'],
  ['Dropout2d(0.25)(4D)', () => new nn.Dropout2d(0.25).forward(DX4), 'nn.Dropout2d(0.25)(DX4)'],
  [
    'Dropout2d(0.5)(bfloat16 4D)',
    () => new nn.Dropout2d(0.5).forward(DX4.astype(mx.bfloat16)),
    'nn.Dropout2d(0.5)(DX4.astype(mx.bfloat16))',
  ],
  ['Dropout3d()(4D)', () => new nn.Dropout3d().forward(DX4), 'nn.Dropout3d()(DX4)'],
  ['Dropout3d({p: 0.4})(5D)', () => new nn.Dropout3d({ p: 0.4 }).forward(DX5), 'nn.Dropout3d(p=0.4)(DX5)'],
  [
    'two Dropout calls',
    () => {
      const d = new nn.Dropout(0.5);
      return mx.stack([d.forward(DX), d.forward(DX)]);
    },
    '(lambda d: mx.stack([d(DX), d(DX)]))(nn.Dropout(0.5))',
  ],
];
type ErrCase = [string, () => unknown, string];
const DROP_ERRORS: ErrCase[] = [
  ['Dropout(1)', () => new nn.Dropout(1), 'nn.Dropout(1.0)'],
  ['Dropout(-0.5)', () => new nn.Dropout(-0.5), 'nn.Dropout(-0.5)'],
  ['Dropout2d(1.5)', () => new nn.Dropout2d(1.5), 'nn.Dropout2d(1.5)'],
  ['Dropout3d(2.5)', () => new nn.Dropout3d(2.5), 'nn.Dropout3d(2.5)'],
  ['Dropout2d on 2D', () => new nn.Dropout2d().forward(mx.zeros([3, 4])), 'nn.Dropout2d()(mx.zeros((3, 4)))'],
  ['Dropout2d on 5D', () => new nn.Dropout2d().forward(DX5), 'nn.Dropout2d()(DX5)'],
  [
    'Dropout2d on 2D in eval mode',
    () => new nn.Dropout2d().eval().forward(mx.zeros([3, 4])),
    'nn.Dropout2d().eval()(mx.zeros((3, 4)))',
  ],
  ['Dropout3d on 3D', () => new nn.Dropout3d().forward(DX), 'nn.Dropout3d()(DX)'],
];
const DROP_REPRS: Array<[() => nn.Module, string]> = [
  [() => new nn.Dropout(), 'nn.Dropout()'],
  [() => new nn.Dropout(0.1), 'nn.Dropout(0.1)'],
  [() => new nn.Dropout(0.3), 'nn.Dropout(0.3)'],
  [() => new nn.Dropout(1e-5), 'nn.Dropout(1e-5)'],
  [() => new nn.Dropout(0), 'nn.Dropout(0.0)'],
  [() => new nn.Dropout(0.999), 'nn.Dropout(0.999)'],
  [() => new nn.Dropout2d(0.25), 'nn.Dropout2d(0.25)'],
  [() => new nn.Dropout2d({ p: 0.7 }), 'nn.Dropout2d(p=0.7)'],
  [() => new nn.Dropout3d(), 'nn.Dropout3d()'],
  [() => new nn.Dropout3d(0.05), 'nn.Dropout3d(0.05)'],
];

const dropExprs = [
  ...DROPS.map(([, , p], i) => `seeded(${100 + i}, lambda: ${p})`),
  ...DROP_ERRORS.map(([, , p]) => p),
  ...DROP_REPRS.map(([, p]) => `repr(${p})`),
];
const DROP = pyEach(dropExprs, { DX, DX4, DX5, DI }, SETUP);

describe('Dropout', () => {
  test('masks equal Python under the same seed', () => {
    subTests(
      DROPS.map((c, i) => [c, i] as const),
      ([[label]]) => label,
      ([[label, js], i]) => {
        mx.random.seed(100 + i);
        checkAgainst(DROP[i], js, label);
      },
    );
  });

  test('errors', () => {
    subTests(
      DROP_ERRORS.map((c, i) => [c, DROP[DROPS.length + i] as PyError] as const),
      ([[label]]) => label,
      ([[label, js], expected]) => {
        if (!isPyError(expected)) {
          // Python accepts it: so must mlx-node (identity in eval mode).
          assert.doesNotThrow(js, label);
          return;
        }
        assert.throws(
          js,
          (e: unknown) => e instanceof errorClass(expected.$error) && (e as Error).message === expected.message,
          label,
        );
      },
    );
  });

  test('repr', () => {
    const base = DROPS.length + DROP_ERRORS.length;
    subTests(
      DROP_REPRS.map((c, i) => [c, DROP[base + i] as string] as const),
      ([[, p]]) => p,
      ([[make], expected]) => assert.equal(String(make()), expected),
    );
  });

  test('eval mode and p = 0 give the input itself', () => {
    for (const d of [new nn.Dropout(0.5), new nn.Dropout2d(0.5), new nn.Dropout3d(0.5)]) {
      const x = d instanceof nn.Dropout3d ? DX5 : DX4;
      d.eval();
      assert.equal(d.training, false);
      assert.equal(d.forward(x), x, String(d));
      d.train();
      assert.notEqual(d.forward(x), x, String(d));
    }
    for (const d of [new nn.Dropout(0), new nn.Dropout2d(0), new nn.Dropout3d({ p: 0 })]) {
      assert.equal(d.forward(DX4), DX4, String(d));
    }
  });

  test('statistics', () => {
    mx.random.seed(7);
    const n = 200000;
    for (const p of [0.1, 0.5, 0.8]) {
      const y = new nn.Dropout(p).forward(mx.ones([n]));
      const zeros = mx.sum(mx.equal(y, 0)).item() as number;
      assert.ok(Math.abs(zeros / n - p) < 0.01, `p=${p}: zero fraction ${zeros / n}`);
      // the survivors are scaled by 1 / (1 - p) (in float32), the mean stays ~1
      const kept = mx.sum(mx.equal(y, mx.array(1 / (1 - p), mx.float32))).item() as number;
      assert.equal(kept + zeros, n, `p=${p}`);
      assert.ok(Math.abs((mx.mean(y).item() as number) - 1) < 0.02, `p=${p}: mean`);
    }
    // Dropout2d/3d zero whole channels: each (batch, channel) is all 0 or all 2
    const y2 = new nn.Dropout2d(0.5).forward(mx.ones([4, 5, 6, 64]));
    const per2 = mx.sum(mx.equal(y2, 0), [1, 2]);
    assert.ok(mx.all(mx.logicalOr(mx.equal(per2, 0), mx.equal(per2, 30))).item());
    const frac2 = (mx.sum(mx.equal(per2, 30)).item() as number) / (4 * 64);
    assert.ok(Math.abs(frac2 - 0.5) < 0.1, `Dropout2d zero fraction ${frac2}`);
    const y3 = new nn.Dropout3d(0.25).forward(mx.ones([2, 3, 4, 5, 128]));
    const per3 = mx.sum(mx.equal(y3, 0), [1, 2, 3]);
    assert.ok(mx.all(mx.logicalOr(mx.equal(per3, 0), mx.equal(per3, 60))).item());
    const frac3 = (mx.sum(mx.equal(per3, 60)).item() as number) / (2 * 128);
    assert.ok(Math.abs(frac3 - 0.25) < 0.1, `Dropout3d zero fraction ${frac3}`);
  });

  test('dropout has no parameters', () => {
    assert.deepEqual(new nn.Dropout(0.2).parameters(), {});
    assert.deepEqual(new nn.Dropout3d(0.2).parameters(), {});
  });
});

// ---------------------------------------------------------------------------
// Embedding

const IDX1 = mx.array([0, 3, 9, 3, 1], mx.int32);
const IDX2 = mx.array(
  [
    [1, 2],
    [9, 0],
    [5, 5],
  ],
  mx.uint32,
);
const QV = mx.array(
  [
    [0.5, -1, 2, 0.25],
    [1, 1, 1, 1],
  ],
  mx.float32,
);
const embExprs = [
  'seeded(7, lambda: nn.Embedding(10, 4).weight)',
  'seeded(8, lambda: nn.Embedding(3, 1).weight)',
  'seeded(9, lambda: nn.Embedding(100, 16).weight)',
  'repr(nn.Embedding(10, 4))',
  'repr(nn.Embedding(1, 16))',
  'tree_flatten(seeded(7, lambda: nn.Embedding(10, 4)).parameters())',
  'E(IDX1)',
  'E(IDX2)',
  'E(mx.array(4))',
  'E.as_linear(QV)',
  'E16(IDX2)',
  'E16.as_linear(QV.astype(mx.float16))',
  // toQuantized
  'repr(Q())',
  'tree_flatten(Q().parameters())',
  'Q()(IDX2)',
  'repr(Q(32, 8))',
  'tree_flatten(Q(32, 8).parameters())',
  'Q(32, 8)(IDX1)',
  'repr(Q(mode="mxfp4"))',
  'Q(mode="mxfp4")(IDX1)',
  'Q(bits=2)(IDX1)',
  'Q(quantize_input=True)',
  'Q(mode="foo")',
  'repr(L())',
  'L()(LX)',
  'repr(L(32, 8))',
  'L(32, 8)(LX)',
  'L(quantize_input=True)',
  'repr(LQ(32, 4, "nvfp4", True))',
  'repr(QS())',
  'QS()(IDX1)',
];
const EMB_SETUP = `${SETUP}
E = seeded(7, lambda: nn.Embedding(10, 4))
E16 = seeded(7, lambda: nn.Embedding(10, 4))
E16.set_dtype(mx.float16)
Q = lambda *a, **k: seeded(13, lambda: nn.Embedding(10, 128)).to_quantized(*a, **k)
L = lambda *a, **k: seeded(14, lambda: nn.Linear(128, 3)).to_quantized(*a, **k)
LQ = lambda *a, **k: seeded(14, lambda: nn.Linear(128, 3, bias=False)).to_quantized(*a, **k)
def QS():
    m = seeded(15, lambda: nn.Sequential(nn.Embedding(10, 64), nn.Linear(64, 64)))
    nn.quantize(m, 32, 8)
    return m
`;
const LX = mx
  .array(
    Array.from({ length: 2 * 128 }, (_, i) => Math.sin(i)),
    mx.float32,
  )
  .reshape(2, 128);
const EMB = pyEach(embExprs, { IDX1, IDX2, QV, LX }, EMB_SETUP);

describe('Embedding', () => {
  test('initialization equals Python under the same seed', () => {
    mx.random.seed(7);
    assertSameArray(new nn.Embedding(10, 4).weight, EMB[0] as array, 'Embedding(10, 4)');
    mx.random.seed(8);
    assertSameArray(new nn.Embedding(3, 1).weight, EMB[1] as array, 'Embedding(3, 1)');
    mx.random.seed(9);
    assertSameArray(new nn.Embedding(100, 16).weight, EMB[2] as array, 'Embedding(100, 16)');
  });

  test('repr and parameters', () => {
    assert.equal(String(new nn.Embedding(10, 4)), EMB[3]);
    assert.equal(String(new nn.Embedding(1, 16)), EMB[4]);
    const expected = EMB[5] as Array<[string, array]>;
    const e = new nn.Embedding(10, 4);
    assert.deepEqual(
      (utils.treeFlatten(e.parameters()) as Array<[string, array]>).map(([k]) => k),
      expected.map(([k]) => k),
    );
  });

  test('lookups and asLinear with the weights copied from Python', () => {
    const e = new nn.Embedding(10, 4);
    e.update({ weight: EMB[0] as array });
    assertSameArray(e.forward(IDX1), EMB[6] as array, 'E(IDX1)');
    assertSameArray(e.forward(IDX2), EMB[7] as array, 'E(IDX2)');
    assertSameArray(e.forward(mx.array(4, mx.int32)), EMB[8] as array, 'E(4)');
    assertSameArray(e.asLinear(QV), EMB[9] as array, 'E.as_linear(QV)');
    e.setDtype(mx.float16);
    assertSameArray(e.forward(IDX2), EMB[10] as array, 'E16(IDX2)');
    assertSameArray(e.asLinear(QV.astype(mx.float16)), EMB[11] as array, 'E16.as_linear');
  });

  test('toQuantized', () => {
    type Q = Parameters<nn.Embedding['toQuantized']>;
    const Q = (...a: Q) => {
      mx.random.seed(13);
      return new nn.Embedding(10, 128).toQuantized(...a);
    };
    const sameParams = (m: nn.Module, expected: Array<[string, array]>, label: string) => {
      const flat = utils.treeFlatten(m.parameters()) as Array<[string, array]>;
      assert.deepEqual(
        flat.map(([k]) => k),
        expected.map(([k]) => k),
        label,
      );
      flat.forEach(([k, v], i) => assertSameArray(v, expected[i][1], `${label} ${k}`));
    };
    const base = 12;
    assert.equal(String(Q()), EMB[base]);
    sameParams(Q(), EMB[base + 1] as Array<[string, array]>, 'Q()');
    checkAgainst(EMB[base + 2], () => Q().forward(IDX2), 'Q()(IDX2)');
    assert.equal(String(Q(32, 8)), EMB[base + 3]);
    sameParams(Q(32, 8), EMB[base + 4] as Array<[string, array]>, 'Q(32, 8)');
    checkAgainst(EMB[base + 5], () => Q(32, 8).forward(IDX1), 'Q(32, 8)(IDX1)');
    assert.equal(String(Q({ mode: 'mxfp4' })), EMB[base + 6]);
    checkAgainst(EMB[base + 7], () => Q({ mode: 'mxfp4' }).forward(IDX1), 'Q(mode=mxfp4)(IDX1)');
    checkAgainst(EMB[base + 8], () => Q({ bits: 2 }).forward(IDX1), 'Q(bits=2)(IDX1)');
    for (const [i, run] of [
      [9, () => Q({ quantizeInput: true })],
      [10, () => Q({ mode: 'foo' })],
    ] as const) {
      const e = EMB[base + i] as PyError;
      assert.ok(isPyError(e));
      assert.throws(
        run,
        (err: unknown) => err instanceof errorClass(e.$error) && (err as Error).message === e.message,
        e.message,
      );
    }
  });

  test('Linear.toQuantized', () => {
    type A = Parameters<nn.Linear['toQuantized']>;
    const L = (...a: A) => {
      mx.random.seed(14);
      return new nn.Linear(128, 3).toQuantized(...a);
    };
    const base = 12 + 11;
    assert.equal(String(L()), EMB[base]);
    checkAgainst(EMB[base + 1], () => L().forward(LX), 'L()(LX)');
    assert.equal(String(L(32, 8)), EMB[base + 2]);
    checkAgainst(EMB[base + 3], () => L(32, 8).forward(LX), 'L(32, 8)(LX)');
    const e = EMB[base + 4] as PyError;
    assert.ok(isPyError(e));
    assert.throws(
      () => L({ quantizeInput: true }),
      (err: unknown) => err instanceof Error && err.message === e.message,
    );
    mx.random.seed(14);
    assert.equal(String(new nn.Linear(128, 3, false).toQuantized(32, 4, 'nvfp4', true)), EMB[base + 5]);
  });

  test('nn.quantize turns an Embedding in a model into a QuantizedEmbedding', () => {
    mx.random.seed(15);
    const m = new nn.Sequential(new nn.Embedding(10, 64), new nn.Linear(64, 64));
    nn.quantize(m, 32, 8);
    assert.equal(String(m), EMB[12 + 17]);
    checkAgainst(EMB[12 + 18], () => m.forward(IDX1), 'QS()(IDX1)');
  });

  test('the lookup is differentiable with respect to the weight', () => {
    const e = new nn.Embedding(10, 4);
    const vg = nn.valueAndGrad(e, (idx: array) => mx.sum(e.forward(idx)));
    const [, g] = vg(IDX1);
    // row i of the gradient counts the occurrences of i (3 twice)
    const counts = [1, 1, 0, 2, 0, 0, 0, 0, 0, 1];
    assertSameArray(g.weight, mx.broadcastTo(mx.array(counts, mx.float32).reshape(10, 1), [10, 4]));
  });
});

// ---------------------------------------------------------------------------
// Sequential

const SX = mx.array(
  [
    [0.5, -1],
    [2, 3],
    [-0.25, 0.75],
  ],
  mx.float32,
);
const SEQ_SETUP = `${SETUP}
def build():
    return nn.Sequential(nn.relu, nn.Linear(2, 3), lambda x: x * 2,
                         nn.Sequential(nn.GELU(), nn.Linear(3, 1, bias=False)), nn.Dropout(0.1))
S = seeded(11, build)
`;
const seqExprs = [
  'repr(S)',
  'paths(S)',
  'tree_flatten(S.parameters())',
  'S.parameters()["layers"][0]',
  'S.eval()(SX)',
  'seeded(12, lambda: S.train()(SX))',
  'repr(nn.Sequential())',
  'nn.Sequential()(SX)',
  'nn.Sequential(lambda x: x + 1, lambda x: x * 3, nn.softmax)(SX)',
  'repr(nn.Sequential(nn.ReLU(), nn.Sequential(nn.Sequential(nn.Tanh())), nn.relu))',
  '[k for k, _ in tree_flatten(S.children(), is_leaf=nn.Module.is_module)]',
  '[k for k, _ in tree_flatten(S.leaf_modules(), is_leaf=nn.Module.is_module)]',
  '[k for k, _ in S.named_modules()]',
  'tree_flatten(seeded(11, build).freeze().unfreeze(keys=["weight"], recurse=True).trainable_parameters())',
];
const SEQ = pyEach(seqExprs, { SX }, SEQ_SETUP);

describe('Sequential', () => {
  const build = () =>
    new nn.Sequential(
      nn.relu,
      new nn.Linear(2, 3),
      (x: array) => mx.multiply(x, 2),
      new nn.Sequential(new nn.GELU(), new nn.Linear(3, 1, { bias: false })),
      new nn.Dropout(0.1),
    );

  test('repr and parameter paths', () => {
    mx.random.seed(11);
    const s = build();
    assert.equal(String(s), SEQ[0]);
    const flat = utils.treeFlatten(s.parameters()) as Array<[string, array]>;
    assert.deepEqual(
      flat.map(([k]) => k),
      SEQ[1],
    );
    assert.deepEqual(s.parameters().layers[0], SEQ[3]);
    // initialized as Python under the same seed
    const expected = SEQ[2] as Array<[string, array]>;
    flat.forEach(([k, v], i) => assertSameArray(v, expected[i][1], k));
  });

  test('children, leaf modules and named modules', () => {
    const s = build();
    const names = (tree: unknown) =>
      (utils.treeFlatten(tree, '', nn.Module.isModule) as Array<[string, unknown]>).map(([k]) => k);
    assert.deepEqual(names(s.children()), SEQ[10]);
    assert.deepEqual(names(s.leafModules()), SEQ[11]);
    assert.deepEqual(
      s.namedModules().map(([k]) => k),
      SEQ[12],
    );
  });

  test('forward applies the modules and functions in order', () => {
    mx.random.seed(11);
    const s = build();
    s.eval();
    assertSameArray(s.forward(SX), SEQ[4] as array, 'eval mode');
    s.train();
    mx.random.seed(12);
    assertSameArray(s.forward(SX), SEQ[5] as array, 'training mode (Dropout draws from the seeded sequence)');
    const f = new nn.Sequential(
      (x: array) => mx.add(x, 1),
      (x: array) => mx.multiply(x, 3),
      nn.softmax,
    );
    assertSameArray(f.forward(SX), SEQ[8] as array, 'functions only');
  });

  test('empty', () => {
    const s = new nn.Sequential();
    assert.equal(String(s), SEQ[6]);
    assertSameArray(s.forward(SX), SEQ[7] as array);
    assert.deepEqual(s.parameters(), { layers: [] });
  });

  test('nested repr', () => {
    const s = new nn.Sequential(new nn.ReLU(), new nn.Sequential(new nn.Sequential(new nn.Tanh())), nn.relu);
    assert.equal(String(s), SEQ[9]);
  });

  test('train/eval reach the nested Dropout', () => {
    const s = build();
    s.eval();
    const d = s.layers[4] as nn.Dropout;
    assert.equal(d.training, false);
    s.train();
    assert.equal(d.training, true);
  });

  test('loadWeights with the weights from Python, freeze/unfreeze', () => {
    const s = build();
    s.loadWeights(SEQ[2] as Array<[string, array]>);
    s.eval();
    assertSameArray(s.forward(SX), SEQ[4] as array);
    const expected = SEQ[13] as Array<[string, array]>;
    const trainable = utils.treeFlatten(
      s
        .freeze()
        .unfreeze({ keys: ['weight'], recurse: true })
        .trainableParameters(),
    ) as Array<[string, array]>;
    assert.deepEqual(
      trainable.map(([k]) => k),
      expected.map(([k]) => k),
    );
  });
});
