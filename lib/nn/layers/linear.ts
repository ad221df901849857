// Port of mlx/nn/layers/linear.py: Identity, Linear, Bilinear.
import { core as mx } from '../../core';
import type { array } from '../../core';
import { pyArgs } from '../../args';
import { Module } from './base';
import { QQLinear, QuantizedLinear } from './quantized';
import { pyBool, toQuantizedArgs } from './helpers';
import type { ToQuantizedRest } from './helpers';

/** A placeholder identity operator that ignores its arguments. */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  forward(x: array): array {
    return x;
  }
}

/**
 * y = x W^T + b, with W of shape [outputDims, inputDims] and b of shape
 * [outputDims], initialized from U(-k, k) with k = 1 / sqrt(inputDims).
 */
export class Linear extends Module {
  weight: array;
  declare bias?: array;

  constructor(inputDims: number, outputDims: number, ...rest: [bias?: boolean] | [options: { bias?: boolean }]) {
    super();
    const { bias } = pyArgs('Linear', rest, ['bias'], { bias: true });
    const scale = Math.sqrt(1.0 / inputDims);
    this.weight = mx.random.uniform(-scale, scale, [outputDims, inputDims]);
    if (bias) this.bias = mx.random.uniform(-scale, scale, [outputDims]);
  }

  protected override extraRepr(): string {
    return `input_dims=${this.weight.shape[1]}, output_dims=${this.weight.shape[0]}, bias=${pyBool(this.bias !== undefined)}`;
  }

  forward(x: array): array {
    if (this.bias !== undefined) return mx.addmm(this.bias, x, this.weight.T);
    return mx.matmul(x, this.weight.T);
  }

  /**
   * A quantized approximation of this layer: a QuantizedLinear, or with
   * quantizeInput (modes "nvfp4" and "mxfp8" only) a QQLinear.
   */
  toQuantized(...rest: ToQuantizedRest): QuantizedLinear | QQLinear {
    const { groupSize, bits, mode, quantizeInput } = toQuantizedArgs('Linear.toQuantized', rest);
    if (quantizeInput) {
      if (mode !== 'nvfp4' && mode !== 'mxfp8') {
        throw new Error(`Quantized activations are only supported for 'nvfp4' and 'mxfp8' modes, got ${mode}.`);
      }
      return QQLinear.fromLinear(this, groupSize, bits, mode);
    }
    return QuantizedLinear.fromLinear(this, groupSize, bits, mode);
  }
}

/**
 * y_i = x2^T W_i x1 + b_i, with W of shape [outputDims, input2Dims,
 * input1Dims], initialized from U(-k, k) with k = 1 / sqrt(input1Dims).
 */
export class Bilinear extends Module {
  weight: array;
  declare bias?: array;

  constructor(
    input1Dims: number,
    input2Dims: number,
    outputDims: number,
    ...rest: [bias?: boolean] | [options: { bias?: boolean }]
  ) {
    super();
    const { bias } = pyArgs('Bilinear', rest, ['bias'], { bias: true });
    const scale = Math.sqrt(1.0 / input1Dims);
    this.weight = mx.random.uniform(-scale, scale, [outputDims, input2Dims, input1Dims]);
    if (bias) this.bias = mx.random.uniform(-scale, scale, [outputDims]);
  }

  protected override extraRepr(): string {
    const [out, in2, in1] = this.weight.shape;
    return `input1_dims=${in1}, input2_dims=${in2}, output_dims=${out}, bias=${pyBool(this.bias !== undefined)}`;
  }

  forward(x1: array, x2: array): array {
    const [out, in2, in1] = this.weight.shape;
    const xshape = x1.shape.slice(0, -1);
    const a = x1.reshape(-1, in1);
    const b = x2.reshape(-1, 1, in2);
    const w = this.weight.reshape(out * in2, in1);
    let y = mx.matmul(a, w.T);
    y = y.reshape(-1, out, in2).swapaxes(-2, -1);
    y = mx.matmul(b, y).squeeze(1);
    y = y.reshape(...xshape, out);
    if (this.bias !== undefined) y = mx.add(y, this.bias);
    return y;
  }
}
