// Port of mlx/nn/layers/dropout.py: Dropout, Dropout2d, Dropout3d. The masks
// are drawn from mx.random's global key sequence, as in Python.
import { core as mx } from '../../core';
import type { array } from '../../core';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { Module } from './base';
import { pyFloatRepr } from './helpers';

function checkP(p: number): void {
  if (p < 0 || p >= 1) throw new Error(`The dropout probability ${pyFloatRepr(p)} is not in [0, 1)`);
}

// (mask * x) * (1 / p1), 1 / p1 a Python float (an integral JS number would be a weak int).
function scale(masked: array, p1: number): array {
  const s = 1 / p1;
  if (!Number.isInteger(s)) return mx.multiply(masked, s);
  return mx.multiply(masked, mx.array(s, mx.issubdtype(masked.dtype, mx.inexact) ? masked.dtype : mx.float32));
}

/**
 * Randomly zero a portion p of the elements during training and scale the
 * rest by 1 / (1 - p), so the expected value of each element stays the same.
 */
export class Dropout extends Module {
  _p_1: number;

  constructor(...rest: PyRest<[p?: number], { p?: number }>) {
    super();
    const { p } = pyArgs('Dropout', rest, ['p'], { p: 0.5 });
    checkP(p);
    this._p_1 = 1 - p;
  }

  protected override extraRepr(): string {
    return `p=${pyFloatRepr(1 - this._p_1)}`;
  }

  forward(x: array): array {
    if (this._p_1 === 1 || !this.training) return x;
    const mask = mx.random.bernoulli(this._p_1, x.shape);
    return scale(mx.multiply(mask, x), this._p_1);
  }
}

/**
 * Channel-wise dropout for channels-last NHWC or HWC input: whole channels
 * are zeroed with probability p during training, the rest scaled by 1 / (1 - p).
 */
export class Dropout2d extends Module {
  _p_1: number;

  constructor(...rest: PyRest<[p?: number], { p?: number }>) {
    super();
    const { p } = pyArgs('Dropout2d', rest, ['p'], { p: 0.5 });
    checkP(p);
    this._p_1 = 1 - p;
  }

  protected override extraRepr(): string {
    return `p=${pyFloatRepr(1 - this._p_1)}`;
  }

  forward(x: array): array {
    if (x.ndim !== 3 && x.ndim !== 4)
      throw new Error(`Received input with ${x.ndim} dimensions. Expected 3 or 4 dimensions.`);
    if (this._p_1 === 1 || !this.training) return x;
    // Dropout is applied on the whole channel: 3D input (1, 1, C), 4D input (B, 1, 1, C).
    const maskShape = [...x.shape];
    maskShape[maskShape.length - 2] = maskShape[maskShape.length - 3] = 1;
    const mask = mx.random.bernoulli(this._p_1, maskShape);
    return scale(mx.multiply(mask, x), this._p_1);
  }
}

/**
 * Channel-wise dropout for channels-last NDHWC or DHWC input: whole channels
 * are zeroed with probability p during training, the rest scaled by 1 / (1 - p).
 */
export class Dropout3d extends Module {
  _p_1: number;

  constructor(...rest: PyRest<[p?: number], { p?: number }>) {
    super();
    const { p } = pyArgs('Dropout3d', rest, ['p'], { p: 0.5 });
    checkP(p);
    this._p_1 = 1 - p;
  }

  protected override extraRepr(): string {
    return `p=${pyFloatRepr(1 - this._p_1)}`;
  }

  forward(x: array): array {
    if (x.ndim !== 4 && x.ndim !== 5)
      throw new Error(`Received input with ${x.ndim} dimensions. Expected 4 or 5 dimensions.`);
    if (this._p_1 === 1 || !this.training) return x;
    // Dropout is applied on the whole channel: 4D input (1, 1, 1, C), 5D input (B, 1, 1, 1, C).
    const maskShape = [...x.shape];
    const n = maskShape.length;
    maskShape[n - 2] = maskShape[n - 3] = maskShape[n - 4] = 1;
    const mask = mx.random.bernoulli(this._p_1, maskShape);
    return scale(mx.multiply(mask, x), this._p_1);
  }
}
