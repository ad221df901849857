// Differential tests of the ports of mlx/nn/layers/{convolution,
// convolution_transpose, pooling, upsample, normalization}.py against Python
// mlx 0.32.4 (the oracle).
//
// Each case builds the same layer in Python (nn.X(args, kwargs)) and here
// (new nn.X(args, {camelCase kwargs})), randomizes the parameters in Python
// (normal; running_var uniform in [0.5, 1.5)) and loads them here with
// loadWeights (strict: same names and shapes), then compares bit for bit:
//   - String(layer) with repr(layer), the trainable parameter names, children();
//   - forward on a few inputs in training mode (BatchNorm updates its running
//     statistics there) and the parameters (running statistics) afterwards;
//   - nn.valueAndGrad(layer, x => sum(layer(x))) with nn.value_and_grad: the
//     loss and the gradient of every trainable parameter, and mx.grad of the
//     same loss with respect to the input;
//   - after layer.eval(): forward and gradients again, and the parameters.
// Then the errors Python raises (class and message), the positional and
// keyword spellings of the constructors, and the upsample functions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx, nn, utils } from '../lib/index';
import type { array } from '../lib/index';
import { assertSameArray, isPyError, py } from './helpers/mlx_tests';
import { assertSamePairs } from './helpers/layer_cases';
import type { PyError } from './helpers/mlx_tests';
import { pyArgs, pyLiteral } from './helpers/seeded';

type Ctor = new (...args: any[]) => nn.Module;

interface LayerCase {
  /** Class name (the same in Python's nn and here). */
  cls: string;
  /** Positional arguments (JS arrays are Python tuples). */
  args: unknown[];
  /** Keyword arguments, camelCase (snake_case in Python). */
  kwargs?: Record<string, unknown>;
  /** Input shape. */
  shape: number[];
  /** Input dtype (float32). */
  dtype?: 'float32' | 'float16' | 'int32';
  /** Forward passes in training mode before the gradients (1). */
  steps?: number;
  /** Compare gradients (true unless the input is an integer array). */
  grad?: boolean;
}

const C = (
  cls: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
  shape: number[],
  more: Partial<LayerCase> = {},
): LayerCase => ({
  cls,
  args,
  kwargs,
  shape,
  ...more,
});

const CASES: LayerCase[] = [
  // convolution.py
  C('Conv1d', [2, 4, 3], {}, [2, 9, 2]),
  C('Conv1d', [4, 6, 3], { stride: 2, padding: 1, dilation: 2, groups: 2 }, [2, 11, 4]),
  C('Conv1d', [3, 2, 1], { bias: false }, [1, 5, 3]),
  C('Conv1d', [2, 3, 2], { padding: 2 }, [2, 6, 2], { dtype: 'float16' }),
  C('Conv2d', [2, 4, 3], {}, [2, 8, 7, 2]),
  C('Conv2d', [4, 4, [3, 2]], { stride: [2, 1], padding: [1, 0], dilation: 2, groups: 2 }, [2, 9, 8, 4]),
  C('Conv2d', [3, 2, 3], { bias: false, padding: 1 }, [1, 5, 5, 3]),
  C('Conv2d', [2, 2, 2], { stride: 2, dilation: [1, 2] }, [1, 6, 7, 2]),
  C('Conv3d', [2, 3, 2], {}, [1, 5, 4, 3, 2]),
  C('Conv3d', [2, 2, [2, 3, 1]], { stride: 2, padding: 1, dilation: [1, 2, 1] }, [2, 5, 6, 4, 2]),
  C('Conv3d', [1, 2, 2], { bias: false, stride: [1, 2, 1] }, [1, 4, 4, 4, 1]),
  // convolution_transpose.py
  C('ConvTranspose1d', [2, 4, 3], {}, [2, 6, 2]),
  C('ConvTranspose1d', [3, 2, 4], { stride: 2, padding: 1, outputPadding: 1 }, [1, 5, 3]),
  C('ConvTranspose1d', [2, 2, 3], { dilation: 2, bias: false }, [2, 4, 2]),
  C('ConvTranspose2d', [2, 3, 3], {}, [2, 5, 4, 2]),
  C('ConvTranspose2d', [2, 2, [3, 2]], { stride: 2, padding: [1, 0], outputPadding: 1 }, [1, 4, 5, 2]),
  C('ConvTranspose2d', [3, 2, 2], { dilation: [2, 1], bias: false, stride: [1, 2] }, [1, 3, 3, 3]),
  C('ConvTranspose3d', [2, 2, 2], {}, [1, 3, 4, 3, 2]),
  C('ConvTranspose3d', [2, 3, 2], { stride: 2, padding: 1, outputPadding: 1, bias: false }, [1, 3, 3, 2, 2]),
  // pooling.py
  C('MaxPool1d', [2], {}, [2, 8, 3]),
  C('MaxPool1d', [3], { stride: 1, padding: 1 }, [2, 7, 3]),
  C('MaxPool1d', [[3]], { stride: [2] }, [1, 9, 2]),
  C('AvgPool1d', [3], { stride: 2, padding: 1 }, [2, 8, 3]),
  C('AvgPool1d', [2], {}, [1, 7, 2]),
  C('MaxPool2d', [2], {}, [2, 6, 8, 3]),
  C('MaxPool2d', [[2, 3]], { stride: [1, 2], padding: [1, 1] }, [1, 5, 7, 2]),
  C('AvgPool2d', [3], { stride: 2, padding: 1 }, [2, 7, 6, 2]),
  C('AvgPool2d', [2], {}, [1, 4, 6, 3]),
  C('AvgPool2d', [[2, 2]], { stride: 1 }, [1, 4, 4, 1], { dtype: 'float16' }),
  C('MaxPool3d', [2], {}, [1, 4, 4, 6, 2]),
  C('MaxPool3d', [[2, 1, 2]], { stride: 1, padding: [1, 0, 1] }, [1, 3, 4, 3, 2]),
  C('AvgPool3d', [2], { stride: 1 }, [1, 3, 4, 3, 2]),
  C('AvgPool3d', [3], { padding: 1, stride: 2 }, [2, 5, 4, 5, 1]),
  // upsample.py
  C('Upsample', [2], {}, [1, 3, 4, 2]),
  C('Upsample', [[2, 3]], { mode: 'nearest' }, [2, 2, 3, 1]),
  C('Upsample', [1.5], {}, [1, 4, 3, 2]),
  C('Upsample', [0.5], {}, [1, 6, 4, 2]),
  C('Upsample', [2], { mode: 'nearest' }, [1, 5, 2], { dtype: 'int32', grad: false }),
  C('Upsample', [3], {}, [1, 2, 2, 2, 1]),
  C('Upsample', [2], { mode: 'linear' }, [2, 3, 4, 2]),
  C('Upsample', [2], { mode: 'linear', alignCorners: true }, [2, 3, 4, 2]),
  C('Upsample', [[1.5, 2.5]], { mode: 'linear' }, [1, 4, 3, 2]),
  C('Upsample', [[1.5, 2.5]], { mode: 'linear', alignCorners: true }, [1, 4, 3, 2]),
  C('Upsample', [2], { mode: 'linear' }, [2, 5, 3]),
  C('Upsample', [2], { mode: 'linear', alignCorners: true }, [1, 3, 2, 3, 2]),
  C('Upsample', [2], { mode: 'linear' }, [1, 3, 4, 2], { dtype: 'float16' }),
  C('Upsample', [2], { mode: 'linear' }, [1, 3, 4, 1], { dtype: 'int32', grad: false }),
  C('Upsample', [2], { mode: 'cubic' }, [2, 3, 4, 2]),
  C('Upsample', [2], { mode: 'cubic', alignCorners: true }, [2, 3, 4, 2]),
  C('Upsample', [[3, 2]], { mode: 'cubic' }, [1, 4, 5, 1]),
  C('Upsample', [0.5], { mode: 'cubic' }, [1, 8, 8, 2]),
  C('Upsample', [0.5], { mode: 'linear', antialias: true }, [1, 8, 8, 2]),
  C('Upsample', [[0.25, 0.5]], { mode: 'linear', antialias: true }, [1, 8, 8, 1]),
  C('Upsample', [2], { mode: 'linear', antialias: true }, [1, 3, 4, 2]),
  C('Upsample', [0.5], { mode: 'cubic', antialias: true }, [1, 8, 8, 2]),
  C('Upsample', [[0.6, 1.5]], { mode: 'cubic', antialias: true }, [1, 5, 4, 1]),
  // normalization.py
  C('LayerNorm', [8], {}, [2, 3, 8]),
  C('LayerNorm', [8], { eps: 1e-3, affine: false }, [4, 8]),
  C('LayerNorm', [8], { bias: false }, [2, 3, 8]),
  C('LayerNorm', [8], {}, [2, 3, 8], { dtype: 'float16' }),
  C('RMSNorm', [8], {}, [2, 3, 8]),
  C('RMSNorm', [8], { eps: 1e-6 }, [3, 8]),
  C('GroupNorm', [2, 8], {}, [2, 3, 4, 8]),
  C('GroupNorm', [4, 8], { affine: false }, [2, 5, 8]),
  C('GroupNorm', [2, 8], { pytorchCompatible: true }, [2, 3, 4, 8]),
  C('GroupNorm', [4, 8], { eps: 1e-4, pytorchCompatible: true, affine: false }, [2, 6, 8]),
  C('InstanceNorm', [8], {}, [2, 3, 4, 8]),
  C('InstanceNorm', [8], { affine: true }, [2, 5, 8]),
  C('InstanceNorm', [8], { eps: 1e-3, affine: true }, [2, 2, 3, 2, 8]),
  C('BatchNorm', [8], {}, [6, 8], { steps: 3 }),
  C('BatchNorm', [8], {}, [4, 5, 8], { steps: 3 }),
  C('BatchNorm', [8], {}, [2, 3, 4, 8], { steps: 3 }),
  C('BatchNorm', [8], { affine: false }, [5, 8], { steps: 2 }),
  C('BatchNorm', [8], { momentum: 0.3, eps: 1e-3 }, [4, 3, 8], { steps: 3 }),
  C('BatchNorm', [8], { trackRunningStats: false }, [4, 3, 8], { steps: 2 }),
  C('BatchNorm', [8], { trackRunningStats: false, affine: false }, [6, 8]),
];

const label = (c: LayerCase) =>
  `${c.cls}(${[...c.args.map(pyLiteral), ...(c.kwargs && Object.keys(c.kwargs).length ? [pyArgs(c.kwargs)] : [])].join(', ')}) on ${c.dtype ?? 'float32'}[${c.shape.join(', ')}]`;

// Python: build, randomize, run. Every array a case produces comes back.
const SETUP = `
import mlx.nn as nn
from mlx.utils import tree_flatten, tree_unflatten

def _loss(layer):
    return lambda x: layer(x).sum()

def _state(layer):
    return [[k, v] for k, v in tree_flatten(layer.parameters())]

def _grads(layer, x):
    out = {"xgrad": mx.grad(_loss(layer))(x)}
    try:
        loss, g = nn.value_and_grad(layer, _loss(layer))(x)
        out.update(loss=loss, grads=[[k, v] for k, v in tree_flatten(g)])
    except Exception as e:
        # A layer without trainable parameters: mx.value_and_grad of an empty dict raises.
        out["error"] = _err(e)
    return out

def _input(shape, dtype):
    if dtype == "int32":
        return mx.random.randint(-5, 6, shape).astype(mx.int32)
    return mx.random.normal(shape).astype(getattr(mx, dtype))

def _run(case, seed):
    mx.random.seed(seed)
    layer = eval(case["ctor"])
    params = []
    for k, v in tree_flatten(layer.parameters()):
        if k.endswith("running_var"):
            params.append((k, mx.random.uniform(0.5, 1.5, v.shape)))
        else:
            params.append((k, mx.random.normal(v.shape)))
    layer.load_weights(params)
    out = {
        "repr": repr(layer),
        "params": [[k, v] for k, v in params],
        "trainable": [k for k, _ in tree_flatten(layer.trainable_parameters())],
        "children": layer.children(),
        "training": layer.training,
    }
    xs = [_input(case["shape"], case["dtype"]) for _ in range(case["steps"] + 1)]
    out["xs"] = xs
    out["ys"] = [layer(x) for x in xs[:-1]]
    out["state"] = _state(layer)
    if case["grad"]:
        out["train_grads"] = _grads(layer, xs[0])
        out["state_after_grads"] = _state(layer)
    layer.eval()
    out["y_eval"] = layer(xs[-1])
    if case["grad"]:
        out["eval_grads"] = _grads(layer, xs[-1])
    out["state_eval"] = _state(layer)
    return out

out = []
for i, case in enumerate(cases):
    try:
        out.append(_run(case, 1000 + i))
    except Exception as e:
        out.append(_err(e))
`;

interface GradResult {
  loss?: array;
  grads?: Array<[string, array]>;
  xgrad: array;
  error?: PyError;
}
interface CaseResult {
  repr: string;
  params: Array<[string, array]>;
  trainable: string[];
  children: unknown;
  training: boolean;
  xs: array[];
  ys: array[];
  state: Array<[string, array]>;
  train_grads?: GradResult;
  state_after_grads?: Array<[string, array]>;
  y_eval: array;
  eval_grads?: GradResult;
  state_eval: Array<[string, array]>;
}

const grads = (c: LayerCase) => c.grad ?? (c.dtype ?? 'float32') !== 'int32';
const ctorSource = (c: LayerCase) =>
  `nn.${c.cls}(${[...c.args.map(pyLiteral), ...(c.kwargs && Object.keys(c.kwargs).length ? [pyArgs(c.kwargs)] : [])].join(', ')})`;

const RESULTS = py<Array<CaseResult | PyError>>(`${SETUP}`, {
  cases: CASES.map((c) => ({
    ctor: ctorSource(c),
    shape: c.shape,
    dtype: c.dtype ?? 'float32',
    steps: c.steps ?? 1,
    grad: grads(c),
  })),
});

function build(c: LayerCase): nn.Module {
  const Cls = (nn as unknown as Record<string, Ctor>)[c.cls];
  assert.equal(typeof Cls, 'function', `nn.${c.cls} exists`);
  return c.kwargs && Object.keys(c.kwargs).length ? new Cls(...c.args, c.kwargs) : new Cls(...c.args);
}

const flatState = (layer: nn.Module) => utils.treeFlatten(layer.parameters()) as Array<[string, array]>;

function checkGrads(layer: nn.Module, x: array, r: GradResult, what: string): void {
  const loss = (xx: array) => mx.sum(layer.forward(xx));
  if (r.error) {
    // No trainable parameters: Python's nn.value_and_grad raises.
    assert.throws(() => nn.valueAndGrad(layer, loss)(x), { message: r.error.message }, `${what}: ${r.error.$error}`);
  } else {
    const [value, g] = nn.valueAndGrad(layer, loss)(x);
    assertSameArray(value as array, r.loss!, `${what}: loss`);
    assertSamePairs(utils.treeFlatten(g) as Array<[string, array]>, r.grads!, `${what}: parameter gradients`);
  }
  assertSameArray(mx.grad(loss)(x) as array, r.xgrad, `${what}: input gradient`);
}

describe('nn layers against Python mlx: repr, forward, gradients, train/eval', () => {
  CASES.forEach((c, i) => {
    test(label(c), () => {
      const r = RESULTS[i];
      if (isPyError(r)) assert.fail(`the oracle raised ${r.$error}: ${r.message}`);
      const layer = build(c);
      assert.equal(String(layer), r.repr, 'repr');
      assert.equal(layer.training, r.training, 'training');
      layer.loadWeights(r.params);
      assert.deepEqual(
        (utils.treeFlatten(layer.trainableParameters()) as Array<[string, array]>).map(([k]) => k),
        r.trainable,
        'trainable parameters',
      );
      assert.deepEqual(layer.children(), r.children, 'children()');

      r.ys.forEach((y, s) => assertSameArray(layer.forward(r.xs[s]), y, `forward (training, step ${s})`));
      assertSamePairs(flatState(layer), r.state, 'parameters after the training steps');
      if (r.train_grads) {
        checkGrads(layer, r.xs[0], r.train_grads, 'training');
        assertSamePairs(flatState(layer), r.state_after_grads!, 'parameters after the gradients');
      }
      layer.eval();
      assert.equal(layer.training, false);
      assertSameArray(layer.forward(r.xs[r.xs.length - 1]), r.y_eval, 'forward (eval)');
      if (r.eval_grads) checkGrads(layer, r.xs[r.xs.length - 1], r.eval_grads, 'eval');
      assertSamePairs(flatState(layer), r.state_eval, 'parameters in eval mode');
    });
  });
});

// ---------------------------------------------------------------------------
// Errors: Python's class (ValueError ↔ Error) and message.

interface ErrorCase {
  name: string;
  py: string;
  js: () => unknown;
}
const x2 = mx.zeros([4, 8]);
const x3 = mx.zeros([2, 4, 8]);
const ERRORS: ErrorCase[] = [
  { name: 'Conv1d groups', py: 'nn.Conv1d(3, 4, 3, groups=2)', js: () => new nn.Conv1d(3, 4, 3, { groups: 2 }) },
  { name: 'Conv2d groups', py: 'nn.Conv2d(5, 4, 3, groups=2)', js: () => new nn.Conv2d(5, 4, 3, { groups: 2 }) },
  { name: 'MaxPool1d kernel 0', py: 'nn.MaxPool1d(0)', js: () => new nn.MaxPool1d(0) },
  {
    name: 'MaxPool2d stride',
    py: 'nn.MaxPool2d(2, stride=(1, -1))',
    js: () => new nn.MaxPool2d(2, { stride: [1, -1] }),
  },
  { name: 'AvgPool2d padding', py: 'nn.AvgPool2d(2, padding=-1)', js: () => new nn.AvgPool2d(2, { padding: -1 }) },
  { name: 'AvgPool3d kernel tuple length', py: 'nn.AvgPool3d((2, 2))', js: () => new nn.AvgPool3d([2, 2]) },
  { name: 'MaxPool1d kernel tuple length', py: 'nn.MaxPool1d((2, 2))', js: () => new nn.MaxPool1d([2, 2]) },
  { name: 'MaxPool2d stride float', py: 'nn.MaxPool2d(2, stride=1.5)', js: () => new nn.MaxPool2d(2, 1.5) },
  {
    name: 'MaxPool1d on 2-d input',
    py: 'nn.MaxPool1d(2)(mx.zeros((4, 8)))',
    js: () => new nn.MaxPool1d(2).forward(x2),
  },
  {
    name: 'MaxPool2d on 3-d input',
    py: 'nn.MaxPool2d(2)(mx.zeros((2, 4, 8)))',
    js: () => new nn.MaxPool2d(2).forward(x3),
  },
  {
    name: 'Upsample mode',
    py: "nn.Upsample(2, mode='bilinear')",
    js: () => new nn.Upsample(2, { mode: 'bilinear' as 'linear' }),
  },
  {
    name: 'Upsample nearest antialias',
    py: 'nn.Upsample(2, antialias=True)',
    js: () => new nn.Upsample(2, { antialias: true }),
  },
  {
    name: 'Upsample antialias align_corners',
    py: "nn.Upsample(2, mode='linear', align_corners=True, antialias=True)",
    js: () => new nn.Upsample(2, 'linear', true, true),
  },
  { name: 'Upsample 2-d input', py: 'nn.Upsample(2)(mx.zeros((4, 8)))', js: () => new nn.Upsample(2).forward(x2) },
  {
    name: 'Upsample scales per dimension',
    py: "nn.Upsample((2, 3), mode='linear')(mx.zeros((2, 4, 8)))",
    js: () => new nn.Upsample([2, 3], 'linear').forward(x3),
  },
  { name: 'LayerNorm eps', py: 'nn.LayerNorm(4, eps=0)', js: () => new nn.LayerNorm(4, 0) },
  { name: 'RMSNorm eps', py: 'nn.RMSNorm(4, eps=-1e-5)', js: () => new nn.RMSNorm(4, -1e-5) },
  { name: 'InstanceNorm eps', py: 'nn.InstanceNorm(4, eps=-1e-3)', js: () => new nn.InstanceNorm(4, { eps: -1e-3 }) },
  {
    name: 'InstanceNorm 2-d input',
    py: 'nn.InstanceNorm(8)(mx.zeros((4, 8)))',
    js: () => new nn.InstanceNorm(8).forward(x2),
  },
  { name: 'GroupNorm groups', py: 'nn.GroupNorm(0, 8)', js: () => new nn.GroupNorm(0, 8) },
  { name: 'GroupNorm dims', py: 'nn.GroupNorm(2, -4)', js: () => new nn.GroupNorm(2, -4) },
  { name: 'GroupNorm divisible', py: 'nn.GroupNorm(3, 8)', js: () => new nn.GroupNorm(3, 8) },
  { name: 'GroupNorm eps', py: 'nn.GroupNorm(2, 8, eps=-0.5)', js: () => new nn.GroupNorm(2, 8, -0.5) },
  { name: 'BatchNorm eps', py: 'nn.BatchNorm(8, eps=0)', js: () => new nn.BatchNorm(8, { eps: 0 }) },
  {
    name: 'BatchNorm 1-d input',
    py: 'nn.BatchNorm(8)(mx.zeros((8,)))',
    js: () => new nn.BatchNorm(8).forward(mx.zeros([8])),
  },
  {
    name: 'BatchNorm 5-d input',
    py: 'nn.BatchNorm(8)(mx.zeros((1, 1, 1, 2, 8)))',
    js: () => new nn.BatchNorm(8).forward(mx.zeros([1, 1, 1, 2, 8])),
  },
  {
    name: 'BatchNorm one value per channel',
    py: 'nn.BatchNorm(8)(mx.zeros((1, 8)))',
    js: () => new nn.BatchNorm(8).forward(mx.zeros([1, 8])),
  },
];
const ERROR_RESULTS = py<unknown[]>(
  `
import mlx.nn as nn
out = []
for e in exprs:
    try:
        eval(e)
        out.append(None)
    except Exception as ex:
        out.append(_err(ex))
`,
  { exprs: ERRORS.map((e) => e.py) },
);

describe('errors as Python', () => {
  ERRORS.forEach((e, i) => {
    test(e.name, () => {
      const r = ERROR_RESULTS[i];
      assert.ok(isPyError(r), `Python raises for ${e.py}`);
      assert.equal(r.$error, 'ValueError', `Python's class for ${e.py}`);
      assert.throws(e.js, (err: unknown) => {
        assert.ok(
          err instanceof Error && !(err instanceof TypeError) && !(err instanceof RangeError),
          `an Error: ${String(err)}`,
        );
        assert.equal(err.message, r.message);
        return true;
      });
    });
  });
  test('BatchNorm one value per channel is fine in eval mode', () => {
    const bn = new nn.BatchNorm(8);
    bn.eval();
    assert.deepEqual(bn.forward(mx.ones([1, 8])).shape, [1, 8]);
  });
});

// ---------------------------------------------------------------------------
// Constructor spellings: Python's positional order, or one options object.

describe('constructor arguments', () => {
  const same: Array<[string, () => nn.Module, () => nn.Module]> = [
    [
      'Conv1d',
      () => new nn.Conv1d(4, 6, 3, 2, 1, 2, 2, false),
      () => new nn.Conv1d(4, 6, 3, { stride: 2, padding: 1, dilation: 2, groups: 2, bias: false }),
    ],
    [
      'Conv2d',
      () => new nn.Conv2d(4, 6, [3, 1], [2, 1], 1, 2, 2, false),
      () => new nn.Conv2d(4, 6, [3, 1], [2, 1], { padding: 1, dilation: 2, groups: 2, bias: false }),
    ],
    [
      'Conv3d',
      () => new nn.Conv3d(4, 6, 3, 2, 1, 2, false),
      () => new nn.Conv3d(4, 6, 3, { stride: 2, padding: 1, dilation: 2, bias: false }),
    ],
    [
      'ConvTranspose1d',
      () => new nn.ConvTranspose1d(4, 6, 3, 2, 1, 2, 1, false),
      () => new nn.ConvTranspose1d(4, 6, 3, { stride: 2, padding: 1, dilation: 2, outputPadding: 1, bias: false }),
    ],
    [
      'ConvTranspose2d',
      () => new nn.ConvTranspose2d(4, 6, 3, 2, 1, 2, 1, false),
      () => new nn.ConvTranspose2d(4, 6, 3, 2, { padding: 1, dilation: 2, outputPadding: 1, bias: false }),
    ],
    [
      'ConvTranspose3d',
      () => new nn.ConvTranspose3d(4, 6, 3, 2, 1, 2, 1, false),
      () => new nn.ConvTranspose3d(4, 6, 3, { stride: 2, padding: 1, dilation: 2, outputPadding: 1, bias: false }),
    ],
    ['MaxPool2d', () => new nn.MaxPool2d(3, 2, 1), () => new nn.MaxPool2d(3, { stride: 2, padding: 1 })],
    ['AvgPool1d', () => new nn.AvgPool1d(3, null, 1), () => new nn.AvgPool1d(3, { padding: 1 })],
    ['Upsample', () => new nn.Upsample(2, 'cubic', true), () => new nn.Upsample(2, 'cubic', { alignCorners: true })],
    ['LayerNorm', () => new nn.LayerNorm(4, 1e-3, true, false), () => new nn.LayerNorm(4, { eps: 1e-3, bias: false })],
    ['RMSNorm', () => new nn.RMSNorm(4, 1e-3), () => new nn.RMSNorm(4, { eps: 1e-3 })],
    [
      'GroupNorm',
      () => new nn.GroupNorm(2, 4, 1e-3, false, true),
      () => new nn.GroupNorm(2, 4, { eps: 1e-3, affine: false, pytorchCompatible: true }),
    ],
    [
      'InstanceNorm',
      () => new nn.InstanceNorm(4, 1e-3, true),
      () => new nn.InstanceNorm(4, { eps: 1e-3, affine: true }),
    ],
    [
      'BatchNorm',
      () => new nn.BatchNorm(4, 1e-3, 0.2, false, false),
      () => new nn.BatchNorm(4, { eps: 1e-3, momentum: 0.2, affine: false, trackRunningStats: false }),
    ],
  ];
  const pyReprs = py<string[]>(
    `
import mlx.nn as nn
out = [repr(eval(e)) for e in exprs]
`,
    {
      exprs: [
        'nn.Conv1d(4, 6, 3, 2, 1, 2, 2, False)',
        'nn.Conv2d(4, 6, (3, 1), (2, 1), 1, 2, 2, False)',
        'nn.Conv3d(4, 6, 3, 2, 1, 2, False)',
        'nn.ConvTranspose1d(4, 6, 3, 2, 1, 2, 1, False)',
        'nn.ConvTranspose2d(4, 6, 3, 2, 1, 2, 1, False)',
        'nn.ConvTranspose3d(4, 6, 3, 2, 1, 2, 1, False)',
        'nn.MaxPool2d(3, 2, 1)',
        'nn.AvgPool1d(3, None, 1)',
        "nn.Upsample(2, 'cubic', True)",
        'nn.LayerNorm(4, 1e-3, True, False)',
        'nn.RMSNorm(4, 1e-3)',
        'nn.GroupNorm(2, 4, 1e-3, False, True)',
        'nn.InstanceNorm(4, 1e-3, True)',
        'nn.BatchNorm(4, 1e-3, 0.2, False, False)',
      ],
    },
  );
  same.forEach(([name, positional, options], i) => {
    test(name, () => {
      assert.equal(String(positional()), pyReprs[i]);
      assert.equal(String(options()), pyReprs[i]);
    });
  });
  test('unknown option', () => {
    // Python: TypeError (unexpected keyword argument).
    assert.throws(() => new nn.Conv1d(2, 2, 3, { strides: 2 } as never), TypeError);
    assert.throws(() => new nn.BatchNorm(2, { track_running_stats: false } as never), TypeError);
  });
  test('an argument given twice', () => {
    // Python: TypeError (got multiple values for argument).
    assert.throws(() => new nn.MaxPool2d(2, 1, { stride: 2 } as never), TypeError);
  });
  test('tuples are neither parameters nor children (as Python tuples)', () => {
    const conv = new nn.Conv2d(2, 2, 3, { stride: [1, 2] });
    assert.deepEqual(Object.keys(conv.parameters()), ['weight', 'bias']);
    assert.deepEqual(conv.children(), {});
    assert.deepEqual(conv.stride, [1, 2]);
    const up = new nn.Upsample([2, 3]);
    assert.deepEqual(up.parameters(), {});
    assert.deepEqual(up.scaleFactor, [2, 3]);
  });
  test('BatchNorm keeps its running statistics frozen', () => {
    const bn = new nn.BatchNorm(4);
    bn.unfreeze();
    assert.deepEqual(Object.keys(bn.trainableParameters()), ['weight', 'bias']);
    bn.freeze();
    assert.deepEqual(Object.keys(bn.trainableParameters()), []);
    bn.unfreeze({ keys: ['weight'] });
    assert.deepEqual(Object.keys(bn.trainableParameters()), ['weight']);
  });
});

// ---------------------------------------------------------------------------
// The functions of upsample.py.

describe('upsample functions', () => {
  const x = mx.random.normal([2, 3, 4, 2], { key: mx.random.key(3) });
  const fns: Array<[string, () => array]> = [
    ['upsample_nearest(x, (2.0, 3.0))', () => nn.upsampleNearest(x, [2.0, 3.0])],
    ['upsample_nearest(x, (1.5, 0.5))', () => nn.upsampleNearest(x, [1.5, 0.5])],
    ['upsample_linear(x, (2.0, 1.5))', () => nn.upsampleLinear(x, [2.0, 1.5])],
    ['upsample_linear(x, (2.0, 1.5), True)', () => nn.upsampleLinear(x, [2.0, 1.5], true)],
    ['upsample_linear(x, (0.5, 0.5), antialias=True)', () => nn.upsampleLinear(x, [0.5, 0.5], { antialias: true })],
    ['upsample_cubic(x, (2.0, 2.0))', () => nn.upsampleCubic(x, [2.0, 2.0])],
    [
      'upsample_cubic(x, (2.0, 2.0), align_corners=True)',
      () => nn.upsampleCubic(x, [2.0, 2.0], { alignCorners: true }),
    ],
    ['upsample_cubic(x, (0.5, 0.75), False, True)', () => nn.upsampleCubic(x, [0.5, 0.75], false, true)],
  ];
  const expected = py<array[]>(
    `
from mlx.nn.layers.upsample import upsample_nearest, upsample_linear, upsample_cubic
out = [eval(e) for e in exprs]
`,
    { x, exprs: fns.map(([e]) => e) },
  );
  fns.forEach(([name, fn], i) => test(name, () => assertSameArray(fn(), expected[i], name)));
  test('one scale per spatial dimension', () => {
    assert.throws(() => nn.upsampleLinear(x, [2.0]), {
      message: 'A scale needs to be provided for each spatial dimension',
    });
  });
  test('the docstring example', () => {
    // Python's docstring: x = mx.arange(1, 5).reshape((1, 2, 2, 1)); nearest keeps int32.
    const xi = mx.arange(1, 5).reshape([1, 2, 2, 1]);
    const n = new nn.Upsample(2, { mode: 'nearest' }).forward(xi).squeeze();
    assert.equal(n.dtype, mx.int32);
    assert.deepEqual(n.tolist(), [
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ]);
    const b = new nn.Upsample(2, { mode: 'linear' }).forward(xi).squeeze();
    assert.deepEqual(b.tolist(), [
      [1, 1.25, 1.75, 2],
      [1.5, 1.75, 2.25, 2.5],
      [2.5, 2.75, 3.25, 3.5],
      [3, 3.25, 3.75, 4],
    ]);
  });
});
