// Port of mlx/nn/layers/upsample.py: Upsample and the functions behind it
// (upsampleNearest, upsampleLinear, upsampleCubic, and the private index and
// kernel helpers).
//
// A tuple scale_factor (a JS array here) is kept as a non-enumerable property,
// so that (as Python's tuple) it is neither a parameter nor a child.
import { core as mx } from '../../core';
import type { array } from '../../core';
import type { ArrayLike } from '../../types';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { Module } from './base';
import { pyBool, pyFloatRepr } from './helpers';

// Python's str() of a float or a tuple of floats.
const pyFloats = (v: number | number[]): string =>
  Array.isArray(v)
    ? v.length === 1
      ? `(${pyFloatRepr(v[0])},)`
      : `(${v.map(pyFloatRepr).join(', ')})`
    : pyFloatRepr(v);

// Python's sum(): 0 + a0 + a1 + ...
const pySum = (xs: array[]): array => xs.reduce<ArrayLike>((acc, x) => mx.add(acc, x), 0) as array;

type IndexWeight = [array, array];
type IndicesFn = (N: number, scale: number, alignCorners: boolean, dim: number, ndims: number) => IndexWeight[];

function scaledIndices(N: number, scale: number, alignCorners: boolean, dim: number, ndims: number): array {
  const M = Math.trunc(scale * N);
  let indices: array;
  if (alignCorners) {
    indices = mx.multiply(mx.arange(M, { dtype: mx.float32 }), (N - 1) / Math.max(M - 1, 1));
  } else {
    const step = 1 / scale;
    const start = ((M - 1) * step - N + 1) / 2;
    indices = mx.subtract(mx.multiply(mx.arange(M, { dtype: mx.float32 }), step), start);
  }

  const shape: number[] = Array(ndims).fill(1);
  shape[dim] = -1;

  return indices.reshape(shape);
}

function nearestIndices(N: number, scale: number, dim: number, ndims: number): array {
  const M = Math.trunc(scale * N);
  let indices = mx.arange(M, { dtype: mx.float32 });
  if (M > N) {
    indices = mx.subtract(mx.multiply(mx.add(indices, 0.5), N / M), 0.5);
    indices = indices.round();
  } else {
    indices = mx.multiply(indices, N / M);
  }
  const shape: number[] = Array(ndims).fill(1);
  shape[dim] = -1;
  return indices.astype(mx.uint32).reshape(shape);
}

function linearIndices(N: number, scale: number, alignCorners: boolean, dim: number, ndims: number): IndexWeight[] {
  let indices = scaledIndices(N, scale, alignCorners, dim, ndims);
  indices = mx.clip(indices, 0, N - 1);
  const indicesL = mx.floor(indices);
  const indicesR = mx.ceil(indices);
  let weight = mx.subtract(indices, indicesL);
  weight = mx.expandDims(weight, -1);

  return [
    [indicesL.astype(mx.uint32), mx.subtract(1, weight)],
    [indicesR.astype(mx.uint32), weight],
  ];
}

// Antialiased interpolation indices for a kernel: when downscaling the
// kernel's support widens by 1/scale (a low-pass filter); out-of-bounds taps
// get weight 0 and each output's weights are renormalized.
function aaIndices(
  N: number,
  scale: number,
  alignCorners: boolean,
  dim: number,
  ndims: number,
  kernelFn: (x: array) => array,
  kernelRadius: number,
): IndexWeight[] {
  const indices = scaledIndices(N, scale, alignCorners, dim, ndims);

  // For downscale, widen the filter by 1/scale
  const invScale = scale < 1 ? 1.0 / scale : 1.0;

  const support = kernelRadius * invScale;
  const numTaps = Math.ceil(support) + 1;

  // Compute per-tap weights, zero out-of-bounds, then normalize
  const allIdx: array[] = [];
  const allW: array[] = [];
  for (let k = -numTaps + 1; k < numTaps; k++) {
    const idx = mx.add(mx.floor(indices), k);
    // Map distance to normalized filter coordinates
    const dist = mx.divide(mx.abs(mx.subtract(indices, idx)), invScale);
    let w = kernelFn(dist);
    // Zero out-of-bounds taps
    w = mx.where(mx.logicalAnd(mx.greaterEqual(idx, 0), mx.less(idx, N)), w, 0.0);
    allIdx.push(idx);
    allW.push(w);
  }

  // Normalize so weights sum to 1 per output pixel
  let wSum = pySum(allW);
  wSum = mx.where(mx.greater(wSum, 0), wSum, 1.0);

  const result: IndexWeight[] = [];
  allIdx.forEach((idx, i) => {
    const w = mx.expandDims(mx.divide(allW[i], wSum), -1);
    result.push([mx.clip(idx, 0, N - 1).astype(mx.uint32), w]);
  });

  return result;
}

// Triangle (linear) filter kernel. Support radius = 1.
function triangleKernel(x: array): array {
  return mx.maximum(mx.subtract(1.0, x), 0.0);
}

// Keys cubic kernel with a=-0.5 (PIL/Pillow convention, PyTorch's with
// antialias=True). Support radius = 2.
function cubicKernel(x: array): array {
  const a = -0.5;
  const wInner = mx.add(mx.multiply(mx.multiply(mx.subtract(mx.multiply(a + 2.0, x), a + 3.0), x), x), 1);
  const wOuter = mx.multiply(mx.subtract(mx.multiply(mx.add(mx.multiply(mx.subtract(x, 5), x), 8), x), 4), a);
  return mx.where(mx.lessEqual(x, 1.0), wInner, mx.where(mx.lessEqual(x, 2.0), wOuter, 0.0));
}

// Linear interpolation with antialiasing (triangle kernel).
function linearAaIndices(N: number, scale: number, alignCorners: boolean, dim: number, ndims: number): IndexWeight[] {
  return aaIndices(N, scale, alignCorners, dim, ndims, triangleKernel, 1.0);
}

// Cubic interpolation with antialiasing (Keys cubic, a=-0.5).
function cubicAaIndices(N: number, scale: number, alignCorners: boolean, dim: number, ndims: number): IndexWeight[] {
  return aaIndices(N, scale, alignCorners, dim, ndims, cubicKernel, 2.0);
}

// The cubic weights (a=-0.75, OpenCV's convention), compiled shapeless as in
// Python (dist is a compile-time constant).
const getWeight = mx.compile(
  (ind: array, grid: array, dist: number): array => {
    const a = -0.75;
    const x = mx.abs(mx.subtract(ind, grid));
    let weight: array;
    if (dist === 1) {
      weight = mx.add(mx.multiply(mx.multiply(mx.subtract(mx.multiply(a + 2.0, x), a + 3.0), x), x), 1);
    } else {
      weight = mx.multiply(mx.subtract(mx.multiply(mx.add(mx.multiply(mx.subtract(x, 5), x), 8), x), 4), a);
    }
    return weight;
  },
  { shapeless: true },
);

function cubicIndices(N: number, scale: number, alignCorners: boolean, dim: number, ndims: number): IndexWeight[] {
  const indices = scaledIndices(N, scale, alignCorners, dim, ndims);
  let indicesL1 = mx.floor(indices);
  let indicesR1 = mx.floor(mx.add(indices, 1));
  let indicesL2 = mx.subtract(indicesL1, 1);
  let indicesR2 = mx.add(indicesR1, 1);

  const weightL1 = mx.expandDims(getWeight(indices, indicesL1, 1), -1);
  const weightR1 = mx.expandDims(getWeight(indices, indicesR1, 1), -1);
  const weightL2 = mx.expandDims(getWeight(indices, indicesL2, 2), -1);
  const weightR2 = mx.expandDims(getWeight(indices, indicesR2, 2), -1);

  // padding with border value
  indicesL1 = mx.clip(indicesL1, 0, N - 1);
  indicesR1 = mx.clip(indicesR1, 0, N - 1);
  indicesL2 = mx.clip(indicesL2, 0, N - 1);
  indicesR2 = mx.clip(indicesR2, 0, N - 1);

  return [
    [indicesL1.astype(mx.uint32), weightL1],
    [indicesR1.astype(mx.uint32), weightR1],
    [indicesL2.astype(mx.uint32), weightL2],
    [indicesR2.astype(mx.uint32), weightR2],
  ];
}

function validateAntialiasAlignCorners(alignCorners: boolean, antialias: boolean): void {
  if (antialias && alignCorners) {
    throw new Error(
      '[Upsample] antialias=True with align_corners=True is not supported. Use align_corners=False for antialiased interpolation.',
    );
  }
}

/** Nearest-neighbour upsampling of x (N, ...spatial, C) by one scale per spatial axis. */
export function upsampleNearest(x: array, scaleFactor: number[]): array {
  const dims = x.ndim - 2;
  if (dims !== scaleFactor.length) throw new Error('A scale needs to be provided for each spatial dimension');

  // Integer scale_factors means we can simply expand-broadcast and reshape
  if (scaleFactor.every((s) => Math.trunc(s) === s)) {
    const shape = [...x.shape];
    for (let d = 0; d < dims; d++) shape.splice(2 + 2 * d, 0, 1);
    x = x.reshape(shape);
    for (let d = 0; d < dims; d++) shape[2 + 2 * d] = Math.trunc(scaleFactor[d]);
    x = mx.broadcastTo(x, shape);
    for (let d = 0; d < dims; d++) {
      shape[d + 1] *= shape[d + 2];
      shape.splice(d + 2, 1);
    }
    x = x.reshape(shape);
    return x;
  } else {
    const N = x.shape.slice(1, -1);
    const indices = N.map((n, i) => nearestIndices(n, scaleFactor[i], i, dims));
    return x.index(':', ...indices);
  }
}

// The cartesian product of the lists, the first varying slowest (itertools.product).
function product<T>(lists: T[][]): T[][] {
  let out: T[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((e) => [...prefix, e]));
  return out;
}

function interpolate(x: array, scaleFactor: number[], indicesFn: IndicesFn, alignCorners = false): array {
  const dims = x.ndim - 2;
  if (dims !== scaleFactor.length) throw new Error('A scale needs to be provided for each spatial dimension');

  const N = x.shape.slice(1, -1);

  // Compute the sampling grid
  const indices = N.map((n, i) => indicesFn(n, scaleFactor[i], alignCorners, i, dims));

  // Sample and compute the weights
  const samples: array[] = [];
  const weights: array[] = [];
  for (const idxWeight of product(indices)) {
    const idx = idxWeight.map(([i]) => i);
    const weight = idxWeight.map(([, w]) => w);
    samples.push(x.index(':', ...idx));
    weights.push(weight.reduce((a, b) => mx.multiply(a, b)));
  }

  // Interpolate
  return pySum(weights.map((wi, i) => mx.multiply(wi, samples[i])));
}

function interpolateSeparable(x: array, scaleFactor: number[], indicesFn: IndicesFn, alignCorners = false): array {
  const dims = x.ndim - 2;
  if (dims !== scaleFactor.length) throw new Error('A scale needs to be provided for each spatial dimension');

  const N = x.shape.slice(1, -1);
  let out = x;

  N.forEach((n, i) => {
    const axis = i + 1;
    const samples: array[] = [];
    for (const [idx, weight] of indicesFn(n, scaleFactor[i], alignCorners, i, dims)) {
      const sample = mx.take(out, idx.reshape(-1), { axis });
      samples.push(mx.multiply(sample, weight));
    }
    out = pySum(samples);
  });

  return out;
}

/** Linear (bilinear, trilinear, ...) interpolation of x (N, ...spatial, C) by one scale per spatial axis. */
export function upsampleLinear(
  x: array,
  scaleFactor: number[],
  ...rest: PyRest<[alignCorners?: boolean, antialias?: boolean], { alignCorners?: boolean; antialias?: boolean }>
): array {
  const { alignCorners, antialias } = pyArgs('upsampleLinear', rest, ['alignCorners', 'antialias'], {
    alignCorners: false,
    antialias: false,
  });
  validateAntialiasAlignCorners(alignCorners, antialias);
  if (antialias) return interpolateSeparable(x, scaleFactor, linearAaIndices, alignCorners);
  if (!antialias && !alignCorners) return interpolateSeparable(x, scaleFactor, linearIndices, alignCorners);
  return interpolate(x, scaleFactor, linearIndices, alignCorners);
}

/** Cubic (bicubic, ...) interpolation of x (N, ...spatial, C) by one scale per spatial axis. */
export function upsampleCubic(
  x: array,
  scaleFactor: number[],
  ...rest: PyRest<[alignCorners?: boolean, antialias?: boolean], { alignCorners?: boolean; antialias?: boolean }>
): array {
  const { alignCorners, antialias } = pyArgs('upsampleCubic', rest, ['alignCorners', 'antialias'], {
    alignCorners: false,
    antialias: false,
  });
  validateAntialiasAlignCorners(alignCorners, antialias);
  if (antialias) return interpolateSeparable(x, scaleFactor, cubicAaIndices, alignCorners);
  return interpolate(x, scaleFactor, cubicIndices, alignCorners);
}

export type UpsampleMode = 'nearest' | 'linear' | 'cubic';

/**
 * Upsample the spatial axes (1 to ndim - 2) of the input by scaleFactor with
 * nearest-neighbour, linear or cubic interpolation.
 */
export class Upsample extends Module {
  declare scaleFactor: number | number[];
  mode: UpsampleMode;
  alignCorners: boolean;
  antialias: boolean;

  constructor(
    scaleFactor: number | number[],
    ...rest: PyRest<
      [mode?: UpsampleMode, alignCorners?: boolean, antialias?: boolean],
      { mode?: UpsampleMode; alignCorners?: boolean; antialias?: boolean }
    >
  ) {
    super();
    const { mode, alignCorners, antialias } = pyArgs('Upsample', rest, ['mode', 'alignCorners', 'antialias'], {
      mode: 'nearest' as UpsampleMode,
      alignCorners: false,
      antialias: false,
    });
    if (!['nearest', 'linear', 'cubic'].includes(mode))
      throw new Error(`[Upsample] Got unsupported upsampling algorithm: ${mode}`);
    if (antialias && mode === 'nearest')
      throw new Error('[Upsample] Antialiasing is not supported for nearest neighbor upsampling');
    const sf = Array.isArray(scaleFactor) ? scaleFactor.map(Number) : Number(scaleFactor);

    validateAntialiasAlignCorners(alignCorners, antialias);

    Object.defineProperty(this, 'scaleFactor', {
      value: sf,
      writable: true,
      configurable: true,
      enumerable: !Array.isArray(sf),
    });
    this.mode = mode;
    this.alignCorners = alignCorners;
    this.antialias = antialias;
  }

  protected override extraRepr(): string {
    let reprStr = `scale_factor=${pyFloats(this.scaleFactor)}, mode='${this.mode}', align_corners=${pyBool(this.alignCorners)}`;
    if (this.antialias) reprStr += ', antialias=True';
    return reprStr;
  }

  forward(x: array): array {
    const dims = x.ndim - 2;
    if (dims <= 0) {
      throw new Error(
        `[Upsample] The input should have at least 1 spatial dimension which means it should be at least 3D but ${x.ndim}D was provided`,
      );
    }

    let scaleFactor: number[];
    if (Array.isArray(this.scaleFactor)) {
      if (this.scaleFactor.length !== dims) {
        throw new Error(
          `[Upsample] One scale per spatial dimension is required but scale_factor=${pyFloats(this.scaleFactor)} and the number of spatial dimensions were ${dims}`,
        );
      }
      scaleFactor = this.scaleFactor;
    } else {
      scaleFactor = Array(dims).fill(this.scaleFactor);
    }

    if (this.mode === 'nearest') return upsampleNearest(x, scaleFactor);
    else if (this.mode === 'linear') return upsampleLinear(x, scaleFactor, this.alignCorners, this.antialias);
    else if (this.mode === 'cubic') return upsampleCubic(x, scaleFactor, this.alignCorners, this.antialias);
    else throw new Error(`Unknown interpolation mode: ${this.mode}`);
  }
}
