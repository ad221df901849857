// Port of mlx/nn/layers/pooling.py: MaxPool1d/2d/3d, AvgPool1d/2d/3d and the
// sliding-window helpers.
//
// Python's private base class _Pool is _Pool here (marked internal; the
// _Pool1d/_Pool2d/_Pool3d argument handling is folded into it). The private state keeps Python's names
// (_kernel_size, _stride, _padding are lists, so Python's children() lists
// them; _axes is a tuple and is kept out of the module's entries, as Python).
import { core as mx } from '../../core';
import type { array } from '../../core';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { Module } from './base';
import { shapeRepr } from './helpers';

export type PoolingFunction = (x: array, axes: number[]) => array;

// A Python tuple (p, p) inside the _padding list: an object that is not a JS
// array, so that the module's children() shows it as Python does (a leaf).
class PaddingPair {
  readonly 0: number;
  readonly 1: number;
  constructor(a: number, b: number) {
    this[0] = a;
    this[1] = b;
    Object.freeze(this);
  }
}
export type PoolArg = number | number[];

function valueOrList(x: unknown, n: number, msg: string): number[] {
  if (Array.isArray(x)) {
    if (x.length !== n) throw new Error(msg);
    return [...x];
  }
  if (!Number.isInteger(x)) throw new Error(msg);
  return Array(n).fill(x);
}

function nonOverlappingSlidingWindows(x: array, shape: number[], windowShape: number[]): array {
  // Compute the intermediate shape
  const newShape = [shape[0]];
  windowShape.forEach((w, i) => {
    const s = shape[i + 1];
    newShape.push(Math.floor(s / w));
    newShape.push(w);
  });
  newShape.push(shape[shape.length - 1]);

  const lastAxis = newShape.length - 1;
  const axisOrder = [0];
  for (let i = 1; i < lastAxis; i += 2) axisOrder.push(i);
  for (let i = 2; i < lastAxis; i += 2) axisOrder.push(i);
  axisOrder.push(lastAxis);

  x = x.reshape(newShape);
  x = x.transpose(axisOrder);
  return x;
}

function slidingWindows(x: array, windowShape: number[], windowStrides: number[]): array {
  if (x.ndim < 3) {
    throw new Error(
      `To extract sliding windows at least 1 spatial dimension (3 total) is needed but the input only has ${x.ndim} dimensions.`,
    );
  }

  const spatialDims = x.shape.slice(1, -1);
  if (!(spatialDims.length === windowShape.length && windowShape.length === windowStrides.length)) {
    throw new Error(
      `To extract sliding windows the window shapes and strides must have ` +
        `the same number of spatial dimensions as the signal but the signal ` +
        `has ${spatialDims.length} dims and the window shape has ` +
        `${windowShape.length} ` +
        `and strides have ${windowStrides.length}.`,
    );
  }

  const shape = x.shape;
  if (spatialDims.every((size, i) => windowShape[i] === windowStrides[i] && size % windowShape[i] === 0)) {
    return nonOverlappingSlidingWindows(x, shape, windowShape);
  }

  // Row-contiguous strides of shape (the element strides of each axis).
  const strides: number[] = Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];

  // Compute the output shape
  const finalShape = [shape[0]];
  spatialDims.forEach((size, i) => finalShape.push(Math.floor((size - windowShape[i]) / windowStrides[i]) + 1));
  finalShape.push(...windowShape);
  finalShape.push(shape[shape.length - 1]);

  // Compute the output strides
  const finalStrides = strides.slice(0, 1);
  strides.slice(1, -1).forEach((ogStride, i) => finalStrides.push(ogStride * windowStrides[i]));
  finalStrides.push(...strides.slice(1, -1));
  finalStrides.push(...strides.slice(-1)); // should always be [1]

  return mx.asStrided(x, finalShape, finalStrides);
}

/**
 * Python's _Pool (with the _Pool1d/_Pool2d/_Pool3d argument handling): the
 * shared implementation of MaxPool1d ... AvgPool3d. @internal
 */
export abstract class _Pool extends Module {
  declare _pooling_function: PoolingFunction;
  declare _kernel_size: number[];
  declare _stride: number[];
  declare _padding: PaddingPair[];
  declare _padding_value: number;
  declare _axes: number[];

  constructor(
    n: number,
    poolingFunction: PoolingFunction,
    paddingValue: number,
    kernelSizeArg: PoolArg,
    rest: unknown[],
  ) {
    super();
    const className = this.constructor.name;
    const { stride: strideArg, padding: paddingArg } = pyArgs(className, rest, ['stride', 'padding'], {
      stride: null as PoolArg | null,
      padding: 0 as PoolArg,
    });
    const msg = (name: string) =>
      n === 1
        ? `[${className}] '${name}' must be an integer or a tuple containing 1 integer`
        : `[${className}] '${name}' must be an integer or a tuple containing ${n} integers`;
    const kernelSize = valueOrList(kernelSizeArg, n, msg('kernel_size'));
    const stride = strideArg !== null ? valueOrList(strideArg, n, msg('stride')) : kernelSize;
    const padding = valueOrList(paddingArg, n, msg('padding')).map((p) => new PaddingPair(p, p));

    for (const [name, values] of [
      ['kernel_size', kernelSize],
      ['stride', stride],
    ] as const) {
      if (values.some((v) => v <= 0))
        throw new Error(`[${className}] '${name}' must be positive but got ${shapeRepr(values)}.`);
    }
    if (padding.some((p) => p[0] < 0)) {
      throw new Error(`[${className}] 'padding' must be non-negative but got ${shapeRepr(padding.map((p) => p[0]))}.`);
    }

    this._pooling_function = poolingFunction;
    this._kernel_size = kernelSize;
    this._stride = stride;
    this._padding = padding;
    this._padding_value = paddingValue;
    const axes: number[] = [];
    for (let a = -kernelSize.length - 1; a < -1; a++) axes.push(a);
    Object.defineProperty(this, '_axes', { value: axes, writable: true, configurable: true, enumerable: false });
  }

  protected override extraRepr(): string {
    const ks = shapeRepr(this._kernel_size);
    const st = shapeRepr(this._stride);
    const pd = shapeRepr(this._padding.map((p) => p[0]));
    return `kernel_size=${ks}, stride=${st}, padding=${pd}`;
  }

  forward(x: array): array {
    if (this._padding.some((p) => p[0] > 0)) {
      const widths = [[0, 0], ...this._padding.map((p) => [p[0], p[1]]), [0, 0]];
      x = mx.pad(x, widths, { constantValues: this._padding_value });
    }
    x = slidingWindows(x, this._kernel_size, this._stride);
    return this._pooling_function(x, this._axes);
  }
}

export type PoolRest = PyRest<
  [stride?: PoolArg | null, padding?: PoolArg],
  { stride?: PoolArg | null; padding?: PoolArg }
>;

const maxFn: PoolingFunction = (x, axes) => mx.max(x, axes);
const meanFn: PoolingFunction = (x, axes) => mx.mean(x, axes);

/** 1-dimensional max pooling (input NLC); stride defaults to kernelSize, padding is -inf. */
export class MaxPool1d extends _Pool {
  constructor(kernelSize: PoolArg, ...rest: PoolRest) {
    super(1, maxFn, -Infinity, kernelSize, rest);
  }
}

/** 1-dimensional average pooling (input NLC); stride defaults to kernelSize, padding is 0. */
export class AvgPool1d extends _Pool {
  constructor(kernelSize: PoolArg, ...rest: PoolRest) {
    super(1, meanFn, 0, kernelSize, rest);
  }
}

/** 2-dimensional max pooling (input NHWC); stride defaults to kernelSize, padding is -inf. */
export class MaxPool2d extends _Pool {
  constructor(kernelSize: PoolArg, ...rest: PoolRest) {
    super(2, maxFn, -Infinity, kernelSize, rest);
  }
}

/** 2-dimensional average pooling (input NHWC); stride defaults to kernelSize, padding is 0. */
export class AvgPool2d extends _Pool {
  constructor(kernelSize: PoolArg, ...rest: PoolRest) {
    super(2, meanFn, 0, kernelSize, rest);
  }
}

/** 3-dimensional max pooling (input NDHWC); stride defaults to kernelSize, padding is -inf. */
export class MaxPool3d extends _Pool {
  constructor(kernelSize: PoolArg, ...rest: PoolRest) {
    super(3, maxFn, -Infinity, kernelSize, rest);
  }
}

/** 3-dimensional average pooling (input NDHWC); stride defaults to kernelSize, padding is 0. */
export class AvgPool3d extends _Pool {
  constructor(kernelSize: PoolArg, ...rest: PoolRest) {
    super(3, meanFn, 0, kernelSize, rest);
  }
}
