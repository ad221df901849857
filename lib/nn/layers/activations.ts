// Port of mlx/nn/layers/activations.py: the activation functions and their
// Module classes. As in Python, the element-wise functions are compiled with
// mx.compile({shapeless: true}) (glu and tanh are not).
//
// Parameters Python documents as floats (negativeSlope, alpha, lambd,
// threshold, minVal, maxVal) act as Python floats even when the JS number is
// integral: hardTanh(intArray) is float32, as in Python with the defaults.
import { core as mx } from '../../core';
import type { array } from '../../core';
import type { Dtype } from '../../types';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { Module } from './base';

type AnyFn = (...args: any[]) => any;
const compiled = <F extends AnyFn>(fun: F): F => mx.compile(fun, { shapeless: true });

// Python's weak float scalar beside `like`: a JS number is a weak int when
// integral, so an integral value becomes an array of the float type the
// Python float would take (like's inexact dtype, else float32).
function pyFloat(v: number, like: array): array | number {
  if (!Number.isInteger(v)) return v;
  const dt: Dtype = mx.issubdtype(like.dtype, mx.inexact) ? like.dtype : mx.float32;
  return mx.array(v, dt);
}

// The uncompiled bodies (a compiled function calling another one in Python
// inlines it into the same trace).
const softplusImpl = (x: array): array => mx.logaddexp(x, 0);
const eluImpl = (x: array, alpha: number): array =>
  mx.where(mx.greater(x, 0), x, mx.multiply(pyFloat(alpha, x), mx.subtract(mx.exp(x), 1)));

const sigmoidC = compiled((x: array) => mx.sigmoid(x));
const reluC = compiled((x: array) => mx.maximum(x, 0));
const relu2C = compiled((x: array) => mx.square(mx.maximum(x, 0)));
const relu6C = compiled((x: array) => {
  const y = mx.maximum(x, 0);
  return mx.minimum(y, pyFloat(6, y));
});
const leakyReluC = compiled((x: array, negativeSlope: number) =>
  mx.maximum(mx.multiply(pyFloat(negativeSlope, x), x), x),
);
const logSoftmaxC = compiled((x: array, axis: number) => {
  x = mx.subtract(x, mx.stopGradient(mx.max(x, { axis, keepdims: true })));
  return mx.subtract(x, mx.logsumexp(x, { axis, keepdims: true }));
});
const eluC = compiled(eluImpl);
const softmaxC = compiled((x: array, axis: number) => mx.softmax(x, { axis }));
const softplusC = compiled(softplusImpl);
const softsignC = compiled((x: array) => mx.divide(x, mx.add(1, mx.abs(x))));
const softshrinkC = compiled((x: array, lambd: number) => {
  const l = pyFloat(lambd, x);
  return mx.where(mx.greater(mx.abs(x), l), mx.subtract(x, mx.multiply(mx.sign(x), l)), 0);
});
const celuC = compiled((x: array, alpha: number) => {
  const zero = pyFloat(0, x);
  return mx.add(
    mx.maximum(x, zero),
    mx.multiply(pyFloat(alpha, x), mx.subtract(mx.exp(mx.divide(mx.minimum(x, zero), pyFloat(alpha, x))), 1)),
  );
});
const siluC = compiled((x: array) => mx.multiply(x, mx.sigmoid(x)));
const logSigmoidC = compiled((x: array) => mx.negative(softplusImpl(mx.negative(x))));
const geluC = compiled((x: array) => mx.divide(mx.multiply(x, mx.add(1, mx.erf(mx.divide(x, Math.sqrt(2))))), 2));
const geluApproxC = compiled((x: array) =>
  mx.multiply(
    mx.multiply(0.5, x),
    mx.add(1, mx.tanh(mx.multiply(Math.sqrt(2 / Math.PI), mx.add(x, mx.multiply(0.044715, mx.power(x, 3)))))),
  ),
);
const geluFastApproxC = compiled((x: array) => mx.multiply(x, mx.sigmoid(mx.multiply(1.702, x))));
const stepC = compiled((x: array, threshold: number) => mx.where(mx.greaterEqual(x, pyFloat(threshold, x)), 1, 0));
const seluC = compiled((x: array) => mx.multiply(eluImpl(x, 1.67326), 1.0507));
const preluC = compiled((x: array, alpha: array) => mx.add(mx.maximum(0, x), mx.multiply(alpha, mx.minimum(0, x))));
const mishC = compiled((x: array) => mx.multiply(x, mx.tanh(softplusImpl(x))));
const hardswishC = compiled((x: array) => {
  const maxX3 = mx.maximum(mx.add(x, 3), 0);
  return mx.divide(mx.multiply(x, mx.minimum(maxX3, 6)), 6);
});
const hardTanhC = compiled((x: array, minVal: number, maxVal: number) => {
  const y = mx.maximum(x, pyFloat(minVal, x));
  return mx.minimum(y, pyFloat(maxVal, y));
});
const hardShrinkC = compiled((x: array, lambd: number) => mx.where(mx.greater(mx.abs(x), pyFloat(lambd, x)), x, 0));
const softminC = compiled((x: array, axis: number) => mx.softmax(mx.negative(x), { axis }));

// ---------------------------------------------------------------------------
// Functions

/** The sigmoid function: 1 / (1 + exp(-x)). */
export function sigmoid(x: array): array {
  return sigmoidC(x);
}

/** The Rectified Linear Unit: mx.maximum(x, 0). */
export function relu(x: array): array {
  return reluC(x);
}

/** The ReLU² activation: max(0, x)^2. */
export function relu2(x: array): array {
  return relu2C(x);
}

/** The Rectified Linear Unit 6: min(max(x, 0), 6). */
export function relu6(x: array): array {
  return relu6C(x);
}

/** The Leaky Rectified Linear Unit: mx.maximum(negativeSlope * x, x). */
export function leakyRelu(x: array, ...rest: PyRest<[negativeSlope?: number], { negativeSlope?: number }>): array {
  const { negativeSlope } = pyArgs('leakyRelu', rest, ['negativeSlope'], { negativeSlope: 0.01 });
  return leakyReluC(x, negativeSlope);
}

/** The Log Softmax function: x - log(sum_i exp(x_i)) along axis. */
export function logSoftmax(x: array, ...rest: PyRest<[axis?: number], { axis?: number }>): array {
  const { axis } = pyArgs('logSoftmax', rest, ['axis'], { axis: -1 });
  return logSoftmaxC(x, axis);
}

/** The Exponential Linear Unit: mx.where(x > 0, x, alpha * (mx.exp(x) - 1)). */
export function elu(x: array, ...rest: PyRest<[alpha?: number], { alpha?: number }>): array {
  const { alpha } = pyArgs('elu', rest, ['alpha'], { alpha: 1.0 });
  return eluC(x, alpha);
}

/** The Softmax function along axis. */
export function softmax(x: array, ...rest: PyRest<[axis?: number], { axis?: number }>): array {
  const { axis } = pyArgs('softmax', rest, ['axis'], { axis: -1 });
  return softmaxC(x, axis);
}

/** The Softplus function: log(1 + exp(x)). */
export function softplus(x: array): array {
  return softplusC(x);
}

/** The Softsign function: x / (1 + |x|). */
export function softsign(x: array): array {
  return softsignC(x);
}

/** The Softshrink function: x - lambd if x > lambd, x + lambd if x < -lambd, else 0. */
export function softshrink(x: array, ...rest: PyRest<[lambd?: number], { lambd?: number }>): array {
  const { lambd } = pyArgs('softshrink', rest, ['lambd'], { lambd: 0.5 });
  return softshrinkC(x, lambd);
}

/** The Continuously Differentiable Exponential Linear Unit: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)). */
export function celu(x: array, ...rest: PyRest<[alpha?: number], { alpha?: number }>): array {
  const { alpha } = pyArgs('celu', rest, ['alpha'], { alpha: 1.0 });
  return celuC(x, alpha);
}

/** The Sigmoid Linear Unit (Swish): x * sigmoid(x). */
export function silu(x: array): array {
  return siluC(x);
}

/** The Log Sigmoid function: log(sigmoid(x)) = -log(1 + exp(-x)). */
export function logSigmoid(x: array): array {
  return logSigmoidC(x);
}

/** The Gaussian Error Linear Unit: x * Phi(x), Phi the Gaussian CDF. */
export function gelu(x: array): array {
  return geluC(x);
}

/** The tanh approximation of gelu: 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))). */
export function geluApprox(x: array): array {
  return geluApproxC(x);
}

/** The fast approximation of gelu: x * sigmoid(1.702 * x). */
export function geluFastApprox(x: array): array {
  return geluFastApproxC(x);
}

/** The gated linear unit: splits axis into halves a and b and gives a * sigmoid(b). */
export function glu(x: array, ...rest: PyRest<[axis?: number], { axis?: number }>): array {
  const { axis } = pyArgs('glu', rest, ['axis'], { axis: -1 });
  const [a, b] = mx.split(x, 2, axis) as array[];
  return mx.multiply(a, mx.sigmoid(b));
}

/** The binary step function: 1 where x >= threshold, else 0. */
export function step(x: array, ...rest: PyRest<[threshold?: number], { threshold?: number }>): array {
  const { threshold } = pyArgs('step', rest, ['threshold'], { threshold: 0.0 });
  return stepC(x, threshold);
}

/** The Scaled Exponential Linear Unit: elu(x, 1.67326) * 1.0507. */
export function selu(x: array): array {
  return seluC(x);
}

/** The element-wise parametric ReLU: max(0, x) + alpha * min(0, x). */
export function prelu(x: array, alpha: array): array {
  return preluC(x, alpha);
}

/** The Mish function: x * tanh(softplus(x)). */
export function mish(x: array): array {
  return mishC(x);
}

/** The hardswish function: x * min(max(x + 3, 0), 6) / 6. */
export function hardswish(x: array): array {
  return hardswishC(x);
}

/** The HardTanh function: max(min(x, maxVal), minVal). */
export function hardTanh(
  x: array,
  ...rest: PyRest<[minVal?: number, maxVal?: number], { minVal?: number; maxVal?: number }>
): array {
  const { minVal, maxVal } = pyArgs('hardTanh', rest, ['minVal', 'maxVal'], { minVal: -1.0, maxVal: 1.0 });
  return hardTanhC(x, minVal, maxVal);
}

/** The HardShrink function: x where |x| > lambd, else 0. */
export function hardShrink(x: array, ...rest: PyRest<[lambd?: number], { lambd?: number }>): array {
  const { lambd } = pyArgs('hardShrink', rest, ['lambd'], { lambd: 0.5 });
  return hardShrinkC(x, lambd);
}

/** The Softmin function: softmax(-x) along axis. */
export function softmin(x: array, ...rest: PyRest<[axis?: number], { axis?: number }>): array {
  const { axis } = pyArgs('softmin', rest, ['axis'], { axis: -1 });
  return softminC(x, axis);
}

/** The hyperbolic tangent: mx.tanh(x). */
export function tanh(x: array): array {
  return mx.tanh(x);
}

// ---------------------------------------------------------------------------
// Modules

/** The gated linear unit: splits axis into halves a and b and gives a * sigmoid(b). */
export class GLU extends Module {
  axis: number;
  constructor(...rest: PyRest<[axis?: number], { axis?: number }>) {
    super();
    this.axis = pyArgs('GLU', rest, ['axis'], { axis: -1 }).axis;
  }
  forward(x: array): array {
    return glu(x, this.axis);
  }
}

/** The sigmoid function, element-wise. */
export class Sigmoid extends Module {
  forward(x: array): array {
    return sigmoid(x);
  }
}

/** The Mish function, element-wise. */
export class Mish extends Module {
  forward(x: array): array {
    return mish(x);
  }
}

/** The Rectified Linear Unit (see relu). */
export class ReLU extends Module {
  forward(x: array): array {
    return relu(x);
  }
}

/** The ReLU² activation (see relu2). */
export class ReLU2 extends Module {
  forward(x: array): array {
    return relu2(x);
  }
}

/** The Rectified Linear Unit 6 (see relu6). */
export class ReLU6 extends Module {
  forward(x: array): array {
    return relu6(x);
  }
}

/** The Leaky Rectified Linear Unit (see leakyRelu). */
export class LeakyReLU extends Module {
  _negativeSlope: number;
  constructor(...rest: PyRest<[negativeSlope?: number], { negativeSlope?: number }>) {
    super();
    this._negativeSlope = pyArgs('LeakyReLU', rest, ['negativeSlope'], { negativeSlope: 1e-2 }).negativeSlope;
  }
  forward(x: array): array {
    return leakyRelu(x, this._negativeSlope);
  }
}

/** The Exponential Linear Unit (see elu). */
export class ELU extends Module {
  _alpha: number;
  constructor(...rest: PyRest<[alpha?: number], { alpha?: number }>) {
    super();
    this._alpha = pyArgs('ELU', rest, ['alpha'], { alpha: 1.0 }).alpha;
  }
  forward(x: array): array {
    return elu(x, this._alpha);
  }
}

/** The Softmax function (see softmax). */
export class Softmax extends Module {
  forward(x: array): array {
    return softmax(x);
  }
}

/** The Softplus function (see softplus). */
export class Softplus extends Module {
  forward(x: array): array {
    return softplus(x);
  }
}

/** The Softsign function (see softsign). */
export class Softsign extends Module {
  forward(x: array): array {
    return softsign(x);
  }
}

/** The Softshrink function (see softshrink). */
export class Softshrink extends Module {
  lambd: number;
  constructor(...rest: PyRest<[lambd?: number], { lambd?: number }>) {
    super();
    this.lambd = pyArgs('Softshrink', rest, ['lambd'], { lambd: 0.5 }).lambd;
  }
  forward(x: array): array {
    return softshrink(x, this.lambd);
  }
}

/** The Continuously Differentiable Exponential Linear Unit (see celu). */
export class CELU extends Module {
  _alpha: number;
  constructor(...rest: PyRest<[alpha?: number], { alpha?: number }>) {
    super();
    this._alpha = pyArgs('CELU', rest, ['alpha'], { alpha: 1.0 }).alpha;
  }
  forward(x: array): array {
    return celu(x, this._alpha);
  }
}

/** The Sigmoid Linear Unit, also known as Swish (see silu). */
export class SiLU extends Module {
  forward(x: array): array {
    return silu(x);
  }
}

/** The Log Softmax function (see logSoftmax). */
export class LogSoftmax extends Module {
  forward(x: array): array {
    return logSoftmax(x);
  }
}

/** The Log Sigmoid function (see logSigmoid). */
export class LogSigmoid extends Module {
  forward(x: array): array {
    return logSigmoid(x);
  }
}

/** The element-wise parametric ReLU with a learned weight of numParameters values, initialized to init. */
export class PReLU extends Module {
  weight: array;
  constructor(...rest: PyRest<[numParameters?: number, init?: number], { numParameters?: number; init?: number }>) {
    super();
    const { numParameters, init } = pyArgs('PReLU', rest, ['numParameters', 'init'], { numParameters: 1, init: 0.25 });
    this.weight =
      typeof init === 'number' ? mx.full([numParameters], init, mx.float32) : mx.full([numParameters], init);
  }
  forward(x: array): array {
    return prelu(x, this.weight);
  }
}

/** The Gaussian Error Linear Unit; approx 'none' (gelu), 'precise' or 'tanh' (geluApprox), or 'fast' (geluFastApprox). */
export class GELU extends Module {
  _approx: string;
  constructor(
    ...rest: PyRest<[approx?: 'none' | 'precise' | 'tanh' | 'fast'], { approx?: 'none' | 'precise' | 'tanh' | 'fast' }>
  ) {
    super();
    const { approx } = pyArgs('GELU', rest, ['approx'], { approx: 'none' as string });
    this._approx = approx;
    const allowed = ['none', 'precise', 'tanh', 'fast'];
    if (!allowed.includes(approx)) {
      throw new Error(
        `The approximation should be in [${allowed.map((a) => `'${a}'`).join(', ')}] but '${approx}' was given`,
      );
    }
  }
  forward(x: array): array {
    if (this._approx === 'none') return gelu(x);
    if (this._approx === 'precise' || this._approx === 'tanh') return geluApprox(x);
    return geluFastApprox(x);
  }
}

/** The hyperbolic tangent (see tanh). */
export class Tanh extends Module {
  forward(x: array): array {
    return tanh(x);
  }
}

/** The hardswish function, element-wise (see hardswish). */
export class Hardswish extends Module {
  forward(x: array): array {
    return hardswish(x);
  }
}

/** The binary step function: 1 where x >= threshold, else 0. */
export class Step extends Module {
  threshold: number;
  constructor(...rest: PyRest<[threshold?: number], { threshold?: number }>) {
    super();
    this.threshold = pyArgs('Step', rest, ['threshold'], { threshold: 0.0 }).threshold;
  }
  forward(x: array): array {
    return step(x, this.threshold);
  }
}

/** The Scaled Exponential Linear Unit (see selu). */
export class SELU extends Module {
  forward(x: array): array {
    return selu(x);
  }
}

/** The HardTanh function (see hardTanh). */
export class HardTanh extends Module {
  forward(x: array): array {
    return hardTanh(x);
  }
}

/** The HardShrink function (see hardShrink). */
export class HardShrink extends Module {
  lambd: number;
  constructor(...rest: PyRest<[lambd?: number], { lambd?: number }>) {
    super();
    this.lambd = pyArgs('HardShrink', rest, ['lambd'], { lambd: 0.5 }).lambd;
  }
  forward(x: array): array {
    return hardShrink(x, this.lambd);
  }
}

/** The Softmin function (see softmin). */
export class Softmin extends Module {
  forward(x: array): array {
    return softmin(x);
  }
}
