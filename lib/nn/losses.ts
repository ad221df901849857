// Port of mlx/nn/losses.py: crossEntropy, binaryCrossEntropy, l1Loss, mseLoss,
// nllLoss, gaussianNllLoss, klDivLoss, smoothL1Loss, tripletLoss, hingeLoss,
// huberLoss, logCoshLoss, cosineSimilarityLoss, marginRankingLoss.
//
// Each takes Python's arguments in Python's order, the optional ones
// positionally and/or in one trailing options object:
//   nn.losses.crossEntropy(logits, targets, { labelSmoothing: 0.1, reduction: 'mean' })
// Python's ValueErrors are Errors with Python's messages.
import { core as mx } from '../core';
import type { array } from '../core';
import { pyArgs } from '../args';

type Prefixes<P extends unknown[]> = P extends [...infer H, unknown] ? P | Prefixes<H> : [];
/**
 * Python-style optional arguments: positionally, in one trailing options
 * object, or the first ones positionally and the others in the options object.
 */
type PyRest<P extends unknown[], O> = P | [...Prefixes<Required<P>>, O];

/** How a loss reduces its per-element values: Python's Reduction literal. */
export type Reduction = 'none' | 'mean' | 'sum';

const REDUCTIONS: Reduction[] = ['none', 'mean', 'sum'];

/** Python's repr of a shape tuple: (2, 3), (3,), (). */
function shapeRepr(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Python's repr of a float. */
function floatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mant, e] = v.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const s = String(v);
  return Number.isInteger(v) ? `${s}.0` : s;
}

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * A Python float constant beside `x`. A JS number acts as a Python int when it
 * is integral; beside an integer or bool array a Python float promotes to
 * float32, so there it becomes a float32 array (same dtype and values as
 * Python). Beside a float or complex array the weak number is kept.
 */
function pyFloat(v: number, x: array): number | array {
  if (!Number.isInteger(v) || mx.issubdtype(x.dtype, mx.inexact)) return v;
  return mx.array(v, mx.float32);
}

function reduce(loss: array, reduction: Reduction = 'none'): array {
  if (!REDUCTIONS.includes(reduction)) {
    throw new Error(`Invalid reduction. Must be one of ('none', 'mean', 'sum').`);
  }
  if (reduction === 'mean') return mx.mean(loss);
  if (reduction === 'sum') return mx.sum(loss);
  return loss;
}

function applyWeights(loss: array, weights: array | null | undefined): array {
  if (weights == null) return loss;
  if (!sameShape(weights.shape, loss.shape)) {
    throw new Error(
      `Weights with shape ${shapeRepr(weights.shape)} is not the same as output loss with shape ${shapeRepr(loss.shape)}.`,
    );
  }
  return mx.multiply(loss, weights);
}

function checkSameShape(a: array, b: array, what: [string, string]): void {
  if (!sameShape(a.shape, b.shape)) {
    throw new Error(`${what[0]} shape ${shapeRepr(a.shape)} does not match ${what[1]} shape ${shapeRepr(b.shape)}.`);
  }
}

/**
 * The cross entropy loss. `targets` are class indices (the shape of `logits`
 * without `axis`) or probabilities (the shape of `logits`). Defaults:
 * weights null, axis -1, labelSmoothing 0, reduction 'none'.
 */
export function crossEntropy(
  logits: array,
  targets: array,
  ...rest: PyRest<
    [weights?: array | null, axis?: number, labelSmoothing?: number, reduction?: Reduction],
    { weights?: array | null; axis?: number; labelSmoothing?: number; reduction?: Reduction }
  >
): array {
  const { weights, axis, labelSmoothing, reduction } = pyArgs(
    'crossEntropy',
    rest,
    ['weights', 'axis', 'labelSmoothing', 'reduction'],
    {
      weights: null as array | null,
      axis: -1,
      labelSmoothing: 0.0,
      reduction: 'none' as Reduction,
    },
  );
  if (labelSmoothing < 0 || labelSmoothing >= 1) {
    throw new Error(`Label smoothing must be in [0, 1), got ${floatRepr(labelSmoothing)}.`);
  }

  // Whether targets are class indices or probabilities
  const targetsAsProbs = targets.ndim === logits.ndim;

  const dropDim = (shape: number[], ax: number): number[] => {
    // Python's list.pop(axis)
    const n = shape.length;
    if (n === 0 || ax < -n || ax >= n) throw new RangeError(n === 0 ? 'pop from empty list' : 'pop index out of range');
    const out = shape.slice();
    out.splice(ax < 0 ? ax + n : ax, 1);
    return out;
  };

  if (
    (targetsAsProbs && !sameShape(targets.shape, logits.shape)) ||
    (!targetsAsProbs && !sameShape(targets.shape, dropDim(logits.shape, axis)))
  ) {
    throw new Error(
      `Targets shape ${shapeRepr(targets.shape)} does not match logits shape ${shapeRepr(logits.shape)}.`,
    );
  }

  const useFast =
    mx.defaultDevice().equals(mx.gpu) &&
    !targetsAsProbs &&
    labelSmoothing === 0 &&
    (axis === -1 || axis === logits.ndim - 1) &&
    mx.issubdtype(logits.dtype, mx.floating) &&
    mx.issubdtype(targets.dtype, mx.integer);

  let loss: array;
  if (useFast) {
    loss = mx.fast.crossEntropy(logits, targets).astype(logits.dtype);
  } else {
    const shifted = mx.subtract(logits, mx.stopGradient(mx.max(logits, { axis, keepdims: true })));

    let score: array;
    if (targetsAsProbs) {
      score = mx.sum(mx.multiply(shifted, targets), { axis });
    } else {
      score = mx.takeAlongAxis(shifted, mx.expandDims(targets, axis), axis).squeeze(axis);
    }

    const logsumexpLogits = mx.logsumexp(shifted, { axis });
    if (labelSmoothing > 0) {
      const adjustedScore = mx.multiply(pyFloat(1 - labelSmoothing, score), score);

      const meanLogits = shifted.mean(axis);
      const smoothedLoss = mx.multiply(mx.negative(meanLogits), pyFloat(labelSmoothing, meanLogits));

      loss = mx.add(mx.subtract(logsumexpLogits, adjustedScore), smoothedLoss);
    } else {
      loss = mx.subtract(logsumexpLogits, score);
    }
  }

  // Apply weights if provided
  loss = applyWeights(loss, weights);

  // Apply reduction
  return reduce(loss, reduction);
}

/**
 * The binary cross entropy loss, from logits (withLogits true, the default)
 * or from probabilities (log-probabilities clipped at -100). Defaults:
 * weights null, withLogits true, reduction 'mean'.
 */
export function binaryCrossEntropy(
  inputs: array,
  targets: array,
  ...rest: PyRest<
    [weights?: array | null, withLogits?: boolean, reduction?: Reduction],
    { weights?: array | null; withLogits?: boolean; reduction?: Reduction }
  >
): array {
  const { weights, withLogits, reduction } = pyArgs(
    'binaryCrossEntropy',
    rest,
    ['weights', 'withLogits', 'reduction'],
    {
      weights: null as array | null,
      withLogits: true,
      reduction: 'mean' as Reduction,
    },
  );
  checkSameShape(inputs, targets, ['Inputs', 'targets']);

  let loss: array;
  if (withLogits) {
    loss = mx.subtract(mx.logaddexp(pyFloat(0.0, inputs), inputs), mx.multiply(inputs, targets));
  } else {
    const logInputsClip = mx.clip(mx.log(inputs), -100, null);
    const logInputsInvClip = mx.clip(mx.log(mx.subtract(1, inputs)), -100, null);
    loss = mx.negative(
      mx.add(mx.multiply(targets, logInputsClip), mx.multiply(mx.subtract(1, targets), logInputsInvClip)),
    );
  }

  // Apply weights if provided
  loss = applyWeights(loss, weights);

  return reduce(loss, reduction);
}

/** The L1 loss |predictions - targets|. Default reduction 'mean'. */
export function l1Loss(
  predictions: array,
  targets: array,
  ...rest: PyRest<[reduction?: Reduction], { reduction?: Reduction }>
): array {
  const { reduction } = pyArgs('l1Loss', rest, ['reduction'], { reduction: 'mean' as Reduction });
  checkSameShape(predictions, targets, ['Predictions', 'targets']);
  const loss = mx.abs(mx.subtract(predictions, targets));
  return reduce(loss, reduction);
}

/** The mean squared error loss (predictions - targets)^2. Default reduction 'mean'. */
export function mseLoss(
  predictions: array,
  targets: array,
  ...rest: PyRest<[reduction?: Reduction], { reduction?: Reduction }>
): array {
  const { reduction } = pyArgs('mseLoss', rest, ['reduction'], { reduction: 'mean' as Reduction });
  checkSameShape(predictions, targets, ['Predictions', 'targets']);
  const loss = mx.square(mx.subtract(predictions, targets));
  return reduce(loss, reduction);
}

/**
 * The negative log likelihood loss of log-probabilities `inputs` at class
 * indices `targets` along `axis`. Defaults: axis -1, reduction 'none'.
 */
export function nllLoss(
  inputs: array,
  targets: array,
  ...rest: PyRest<[axis?: number, reduction?: Reduction], { axis?: number; reduction?: Reduction }>
): array {
  const { axis, reduction } = pyArgs('nllLoss', rest, ['axis', 'reduction'], {
    axis: -1,
    reduction: 'none' as Reduction,
  });
  const loss = mx.negative(mx.takeAlongAxis(inputs, mx.expandDims(targets, axis), axis).squeeze(axis));
  return reduce(loss, reduction);
}

/**
 * The negative log likelihood loss of a Gaussian with means `inputs` and
 * variances `vars` (clamped below at eps). Defaults: full false (no constant
 * term), eps 1e-6, reduction 'mean'.
 */
export function gaussianNllLoss(
  inputs: array,
  targets: array,
  vars: array,
  ...rest: PyRest<
    [full?: boolean, eps?: number, reduction?: Reduction],
    { full?: boolean; eps?: number; reduction?: Reduction }
  >
): array {
  const { full, eps, reduction } = pyArgs('gaussianNllLoss', rest, ['full', 'eps', 'reduction'], {
    full: false,
    eps: 1e-6,
    reduction: 'mean' as Reduction,
  });
  checkSameShape(inputs, targets, ['Inputs', 'targets']);
  checkSameShape(inputs, vars, ['Inputs', 'vars']);

  // For stability
  const v = mx.maximum(vars, pyFloat(eps, vars));
  let loss = mx.multiply(0.5, mx.add(mx.log(v), mx.divide(mx.square(mx.subtract(targets, inputs)), v)));

  if (full) loss = mx.add(loss, 0.5 * Math.log(2 * Math.PI));

  return reduce(loss, reduction);
}

/**
 * The Kullback-Leibler divergence loss sum(exp(targets) * (targets - inputs))
 * over `axis`, both in log space. Defaults: axis -1, reduction 'none'.
 */
export function klDivLoss(
  inputs: array,
  targets: array,
  ...rest: PyRest<[axis?: number, reduction?: Reduction], { axis?: number; reduction?: Reduction }>
): array {
  const { axis, reduction } = pyArgs('klDivLoss', rest, ['axis', 'reduction'], {
    axis: -1,
    reduction: 'none' as Reduction,
  });
  const loss = mx.sum(mx.multiply(mx.exp(targets), mx.subtract(targets, inputs)), axis);
  return reduce(loss, reduction);
}

/**
 * The smooth L1 loss: 0.5 d^2 / beta where d = |predictions - targets| < beta,
 * d - 0.5 beta elsewhere. Defaults: beta 1.0, reduction 'mean'.
 */
export function smoothL1Loss(
  predictions: array,
  targets: array,
  ...rest: PyRest<[beta?: number, reduction?: Reduction], { beta?: number; reduction?: Reduction }>
): array {
  const { beta, reduction } = pyArgs('smoothL1Loss', rest, ['beta', 'reduction'], {
    beta: 1.0,
    reduction: 'mean' as Reduction,
  });
  checkSameShape(predictions, targets, ['Predictions', 'targets']);

  const diff = mx.abs(mx.subtract(predictions, targets));
  const loss = mx.where(
    mx.less(diff, pyFloat(beta, diff)),
    mx.divide(mx.multiply(0.5, mx.square(diff)), pyFloat(beta, diff)),
    mx.subtract(mx.abs(diff), pyFloat(0.5 * beta, diff)),
  );

  return reduce(loss, reduction);
}

/**
 * The triplet loss max(||A - P||_p - ||A - N||_p + margin, 0), with eps added
 * to the p-norm sums. Defaults: axis -1, p 2, margin 1.0, eps 1e-6, reduction 'none'.
 */
export function tripletLoss(
  anchors: array,
  positives: array,
  negatives: array,
  ...rest: PyRest<
    [axis?: number, p?: number, margin?: number, eps?: number, reduction?: Reduction],
    { axis?: number; p?: number; margin?: number; eps?: number; reduction?: Reduction }
  >
): array {
  const { axis, p, margin, eps, reduction } = pyArgs('tripletLoss', rest, ['axis', 'p', 'margin', 'eps', 'reduction'], {
    axis: -1,
    p: 2,
    margin: 1.0,
    eps: 1e-6,
    reduction: 'none' as Reduction,
  });
  const dist = (other: array) => {
    const s = mx.power(mx.abs(mx.subtract(anchors, other)), p).sum(axis);
    const t = mx.add(s, pyFloat(eps, s));
    return mx.power(t, pyFloat(1.0 / p, t));
  };
  const posDist = dist(positives);
  const negDist = dist(negatives);
  const d = mx.subtract(posDist, negDist);
  const loss = mx.maximum(mx.add(d, pyFloat(margin, d)), 0);
  return reduce(loss, reduction);
}

/** The hinge loss max(0, 1 - inputs * targets), targets in {-1, 1}. Default reduction 'none'. */
export function hingeLoss(
  inputs: array,
  targets: array,
  ...rest: PyRest<[reduction?: Reduction], { reduction?: Reduction }>
): array {
  const { reduction } = pyArgs('hingeLoss', rest, ['reduction'], { reduction: 'none' as Reduction });
  const loss = mx.maximum(mx.subtract(1, mx.multiply(inputs, targets)), 0);
  return reduce(loss, reduction);
}

/**
 * The Huber loss: 0.5 a^2 for |a| <= delta, delta (|a| - 0.5 delta) elsewhere,
 * a = inputs - targets. Defaults: delta 1.0, reduction 'none'.
 */
export function huberLoss(
  inputs: array,
  targets: array,
  ...rest: PyRest<[delta?: number, reduction?: Reduction], { delta?: number; reduction?: Reduction }>
): array {
  const { delta, reduction } = pyArgs('huberLoss', rest, ['delta', 'reduction'], {
    delta: 1.0,
    reduction: 'none' as Reduction,
  });
  const errors = mx.subtract(inputs, targets);
  const absErrors = mx.abs(errors);
  const quadratic = mx.minimum(absErrors, pyFloat(delta, absErrors));
  const linear = mx.subtract(absErrors, quadratic);
  const loss = mx.add(mx.multiply(0.5, mx.power(quadratic, 2)), mx.multiply(pyFloat(delta, linear), linear));
  return reduce(loss, reduction);
}

/** The log cosh loss log(cosh(inputs - targets)). Default reduction 'none'. */
export function logCoshLoss(
  inputs: array,
  targets: array,
  ...rest: PyRest<[reduction?: Reduction], { reduction?: Reduction }>
): array {
  const { reduction } = pyArgs('logCoshLoss', rest, ['reduction'], { reduction: 'none' as Reduction });
  const errors = mx.subtract(inputs, targets);
  const loss = mx.subtract(mx.logaddexp(errors, mx.negative(errors)), Math.log(2));
  return reduce(loss, reduction);
}

/**
 * The cosine similarity x1 . x2 / max(||x1|| ||x2||, eps) along `axis`.
 * Defaults: axis 1, eps 1e-8, reduction 'none'.
 */
export function cosineSimilarityLoss(
  x1: array,
  x2: array,
  ...rest: PyRest<
    [axis?: number, eps?: number, reduction?: Reduction],
    { axis?: number; eps?: number; reduction?: Reduction }
  >
): array {
  const { axis, eps, reduction } = pyArgs('cosineSimilarityLoss', rest, ['axis', 'eps', 'reduction'], {
    axis: 1,
    eps: 1e-8,
    reduction: 'none' as Reduction,
  });
  const x1Norm = mx.linalg.norm(x1, { axis });
  const x2Norm = mx.linalg.norm(x2, { axis });
  const denom = mx.multiply(x1Norm, x2Norm);
  const loss = mx.divide(mx.sum(mx.multiply(x1, x2), { axis }), mx.maximum(denom, pyFloat(eps, denom)));
  return reduce(loss, reduction);
}

/**
 * The margin ranking loss max(0, -targets * (inputs1 - inputs2) + margin),
 * targets in {-1, 1}. Defaults: margin 0.0, reduction 'none'.
 */
export function marginRankingLoss(
  inputs1: array,
  inputs2: array,
  targets: array,
  ...rest: PyRest<[margin?: number, reduction?: Reduction], { margin?: number; reduction?: Reduction }>
): array {
  const { margin, reduction } = pyArgs('marginRankingLoss', rest, ['margin', 'reduction'], {
    margin: 0.0,
    reduction: 'none' as Reduction,
  });
  if (!(sameShape(inputs1.shape, inputs2.shape) && sameShape(inputs2.shape, targets.shape))) {
    throw new Error(
      `The shapes of the arguments do not match. The provided shapes are inputs1.shape=${shapeRepr(inputs1.shape)}, ` +
        `inputs2.shape=${shapeRepr(inputs2.shape)}, and targets.shape=${shapeRepr(targets.shape)}.`,
    );
  }
  const differences = mx.subtract(inputs1, inputs2);
  const t = mx.multiply(mx.negative(targets), differences);
  const loss = mx.maximum(0, mx.add(t, pyFloat(margin, t)));
  return reduce(loss, reduction);
}
