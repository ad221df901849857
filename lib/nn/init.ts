// Port of mlx/nn/init.py: constant, normal, uniform, identity, glorotNormal,
// glorotUniform, heNormal, heUniform, sparse, orthogonal.
//
// Each returns an initializer: a function of an array returning a new array of
// the same shape (the input's values are not used), as in Python:
//   const initFn = nn.init.heUniform();
//   const w = initFn(mx.zeros([4, 8]), { mode: 'fan_out', gain: 2 });
// The random ones draw from the global key sequence (mx.random.seed), in
// Python's order, so they give Python's numbers.
import { core as mx } from '../core';
import type { array } from '../core';
import type { Dtype } from '../types';
import { pyArgs } from '../args';

type Prefixes<P extends unknown[]> = P extends [...infer H, unknown] ? P | Prefixes<H> : [];
/**
 * Python-style optional arguments: positionally, in one trailing options
 * object, or the first ones positionally and the others in the options object.
 */
type PyRest<P extends unknown[], O> = P | [...Prefixes<Required<P>>, O];

/** An initializer: a new array with the shape of `a`. */
export type Initializer = (a: array) => array;

/** A Glorot initializer: a new array with the shape of `a`, scaled by `gain` (default 1.0). */
export type GainInitializer = (a: array, ...rest: PyRest<[gain?: number], { gain?: number }>) => array;

/** Which fan a He initializer scales by. */
export type FanMode = 'fan_in' | 'fan_out';

/** A He initializer: a new array with the shape of `a`; mode 'fan_in' (default) or 'fan_out', gain 1.0. */
export type FanInitializer = (
  a: array,
  ...rest: PyRest<[mode?: FanMode, gain?: number], { mode?: FanMode; gain?: number }>
) => array;

/** Python's repr of a shape tuple: (2, 3), (3,), (). */
function shapeRepr(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** An initializer returning an array filled with `value` (dtype default float32). */
export function constant(value: number, ...rest: PyRest<[dtype?: Dtype], { dtype?: Dtype }>): Initializer {
  const { dtype } = pyArgs('constant', rest, ['dtype'], { dtype: mx.float32 as Dtype });
  return (a: array) => mx.full(a.shape, value, dtype);
}

/** An initializer returning samples from N(mean, std^2). Defaults: mean 0.0, std 1.0, dtype float32. */
export function normal(
  ...rest: PyRest<[mean?: number, std?: number, dtype?: Dtype], { mean?: number; std?: number; dtype?: Dtype }>
): Initializer {
  const { mean, std, dtype } = pyArgs('normal', rest, ['mean', 'std', 'dtype'], {
    mean: 0.0,
    std: 1.0,
    dtype: mx.float32 as Dtype,
  });
  return (a: array) => mx.random.normal({ shape: a.shape, scale: std, loc: mean, dtype });
}

/** An initializer returning samples from U(low, high). Defaults: low 0.0, high 1.0, dtype float32. */
export function uniform(
  ...rest: PyRest<[low?: number, high?: number, dtype?: Dtype], { low?: number; high?: number; dtype?: Dtype }>
): Initializer {
  const { low, high, dtype } = pyArgs('uniform', rest, ['low', 'high', 'dtype'], {
    low: 0.0,
    high: 1.0,
    dtype: mx.float32 as Dtype,
  });
  return (a: array) => mx.random.uniform(low, high, a.shape, dtype);
}

/** An initializer returning an identity matrix of the (square) input's shape (dtype default float32). */
export function identity(...rest: PyRest<[dtype?: Dtype], { dtype?: Dtype }>): Initializer {
  const { dtype } = pyArgs('identity', rest, ['dtype'], { dtype: mx.float32 as Dtype });
  return (arr: array) => {
    if (arr.ndim !== 2 || arr.shape[0] !== arr.shape[1]) {
      throw new Error(`The input array must be a square matrix but got shape ${shapeRepr(arr.shape)}.`);
    }
    return mx.eye(arr.shape[0], { dtype });
  };
}

function calculateFanInFanOut(x: array): [number, number] {
  if (x.ndim < 2) {
    throw new Error(
      `Glorot / He initialization requires at least 2 dimensional input but input with ${x.ndim} dimensions.`,
    );
  }

  let fanIn = x.shape[x.ndim - 1];
  let fanOut = x.shape[0];

  if (x.ndim > 2) {
    let receptiveField = 1;
    for (const d of x.shape.slice(1, -1)) receptiveField *= d;

    fanIn = fanIn * receptiveField;
    fanOut = fanOut * receptiveField;
  }

  return [fanIn, fanOut];
}

/**
 * A Glorot normal initializer: N(0, sigma^2) with
 * sigma = gain * sqrt(2 / (fanIn + fanOut)) (dtype default float32).
 */
export function glorotNormal(...rest: PyRest<[dtype?: Dtype], { dtype?: Dtype }>): GainInitializer {
  const { dtype } = pyArgs('glorotNormal', rest, ['dtype'], { dtype: mx.float32 as Dtype });
  return (a: array, ...args: PyRest<[gain?: number], { gain?: number }>) => {
    const { gain } = pyArgs('initializer', args, ['gain'], { gain: 1.0 });
    const [fanIn, fanOut] = calculateFanInFanOut(a);
    const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
    return mx.random.normal({ shape: a.shape, scale: std, dtype });
  };
}

/**
 * A Glorot uniform initializer: U(-limit, limit) with
 * limit = gain * sqrt(6 / (fanIn + fanOut)) (dtype default float32).
 */
export function glorotUniform(...rest: PyRest<[dtype?: Dtype], { dtype?: Dtype }>): GainInitializer {
  const { dtype } = pyArgs('glorotUniform', rest, ['dtype'], { dtype: mx.float32 as Dtype });
  return (a: array, ...args: PyRest<[gain?: number], { gain?: number }>) => {
    const { gain } = pyArgs('initializer', args, ['gain'], { gain: 1.0 });
    const [fanIn, fanOut] = calculateFanInFanOut(a);
    const limit = gain * Math.sqrt(6.0 / (fanIn + fanOut));
    return mx.random.uniform(-limit, limit, a.shape, dtype);
  };
}

function pickFan(a: array, mode: FanMode): number {
  const [fanIn, fanOut] = calculateFanInFanOut(a);
  if (mode === 'fan_in') return fanIn;
  if (mode === 'fan_out') return fanOut;
  throw new Error(`Invalid mode: ${String(mode)}. Valid modes are: fan_in, fan_out`);
}

/**
 * A He normal initializer: N(0, sigma^2) with sigma = gain / sqrt(fan), fan
 * the input's fan-in (mode 'fan_in') or fan-out ('fan_out') (dtype default float32).
 */
export function heNormal(...rest: PyRest<[dtype?: Dtype], { dtype?: Dtype }>): FanInitializer {
  const { dtype } = pyArgs('heNormal', rest, ['dtype'], { dtype: mx.float32 as Dtype });
  return (a: array, ...args: PyRest<[mode?: FanMode, gain?: number], { mode?: FanMode; gain?: number }>) => {
    const { mode, gain } = pyArgs('initializer', args, ['mode', 'gain'], { mode: 'fan_in' as FanMode, gain: 1.0 });
    const fan = pickFan(a, mode);
    const std = gain / Math.sqrt(fan);
    return mx.random.normal({ shape: a.shape, scale: std, dtype });
  };
}

/**
 * A He uniform (Kaiming uniform) initializer: U(-limit, limit) with
 * limit = gain * sqrt(3 / fan), fan the fan-in (mode 'fan_in') or fan-out
 * ('fan_out') (dtype default float32).
 */
export function heUniform(...rest: PyRest<[dtype?: Dtype], { dtype?: Dtype }>): FanInitializer {
  const { dtype } = pyArgs('heUniform', rest, ['dtype'], { dtype: mx.float32 as Dtype });
  return (a: array, ...args: PyRest<[mode?: FanMode, gain?: number], { mode?: FanMode; gain?: number }>) => {
    const { mode, gain } = pyArgs('initializer', args, ['mode', 'gain'], { mode: 'fan_in' as FanMode, gain: 1.0 });
    const fan = pickFan(a, mode);
    const limit = gain * Math.sqrt(3.0 / fan);
    return mx.random.uniform(-limit, limit, a.shape, dtype);
  };
}

/**
 * An initializer returning a 2-D array of N(mean, std^2) samples with
 * ceil(sparsity * columns) random entries of every row set to zero.
 * Defaults: mean 0.0, std 1.0, dtype float32.
 */
export function sparse(
  sparsity: number,
  ...rest: PyRest<[mean?: number, std?: number, dtype?: Dtype], { mean?: number; std?: number; dtype?: Dtype }>
): Initializer {
  const { mean, std, dtype } = pyArgs('sparse', rest, ['mean', 'std', 'dtype'], {
    mean: 0.0,
    std: 1.0,
    dtype: mx.float32 as Dtype,
  });
  return (a: array) => {
    if (a.ndim !== 2) throw new Error('Only tensors with 2 dimensions are supported');

    const [rows, cols] = a.shape;
    const numZeros = Math.ceil(sparsity * cols);

    // Zero out `numZeros` random entries in each row: sorting a per-row random
    // key (axis 1) picks the zeroed columns independently for every row.
    const order = mx.argsort(mx.random.uniform({ shape: a.shape }), 1);
    const out = mx.random.normal({ shape: a.shape, scale: std, loc: mean, dtype });

    out.set(mx.arange(rows).reshape(rows, 1), order.index(':', mx.Slice(null, numZeros)), 0);

    return out;
  };
}

/** An initializer returning an orthogonal matrix (rows or columns) scaled by gain. Defaults: gain 1.0, dtype float32. */
export function orthogonal(
  ...rest: PyRest<[gain?: number, dtype?: Dtype], { gain?: number; dtype?: Dtype }>
): Initializer {
  const { gain, dtype } = pyArgs('orthogonal', rest, ['gain', 'dtype'], { gain: 1.0, dtype: mx.float32 as Dtype });
  return (a: array) => {
    if (a.ndim !== 2) {
      throw new Error(`Orthogonal initialization requires a 2D array but got a ${a.ndim}D array.`);
    }

    const [rows, cols] = a.shape;
    const n = Math.max(rows, cols);

    const rmat = mx.random.normal({ shape: [n, n] });

    // Perform QR decomposition on CPU
    const [q0, r] = mx.linalg.qr(rmat, { stream: mx.cpu });

    // Adjust the sign of Q using the diagonal of R
    const d = mx.diag(r);
    let q = mx.multiply(q0, mx.sign(d));

    // Slice Q to the desired shape
    q = q.index(mx.Slice(null, rows), mx.Slice(null, cols));

    // Scale Q by gain
    q = mx.multiply(q, gain);
    return q.astype(dtype);
  };
}
