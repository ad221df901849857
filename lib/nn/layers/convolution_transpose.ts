// Port of mlx/nn/layers/convolution_transpose.py: ConvTranspose1d,
// ConvTranspose2d, ConvTranspose3d.
//
// Python stores an int kernel_size/stride/padding/output_padding of the 2-d
// and 3-d layers as a tuple; here tuples are JS arrays kept as non-enumerable
// properties, so that (as Python's tuples) they are neither parameters nor
// children.
import { core as mx } from '../../core';
import type { array } from '../../core';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { Module } from './base';
import type { ConvNdArg } from './convolution';
import { pyBool } from './helpers';

// Python's str() of an int or a tuple of ints.
const pyStr = (v: number | number[]): string =>
  Array.isArray(v) ? (v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`) : String(v);

// An attribute holding a Python tuple: not a parameter, not a child.
function setTuple(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: !Array.isArray(value) });
}

const ntuple = (x: number | number[], n: number): number[] => (typeof x === 'number' ? Array(n).fill(x) : x);

export type ConvTranspose1dOptions = {
  stride?: number;
  padding?: number;
  dilation?: number;
  outputPadding?: number;
  bias?: boolean;
};
export type ConvTransposeNdOptions = {
  stride?: ConvNdArg;
  padding?: ConvNdArg;
  dilation?: ConvNdArg;
  outputPadding?: ConvNdArg;
  bias?: boolean;
};
export type ConvTransposeNdRest = PyRest<
  [stride?: ConvNdArg, padding?: ConvNdArg, dilation?: ConvNdArg, outputPadding?: ConvNdArg, bias?: boolean],
  ConvTransposeNdOptions
>;

const NAMES = ['stride', 'padding', 'dilation', 'outputPadding', 'bias'] as const;

/** A 1-dimensional transposed convolution over a multi-channel sequence (input NLC). */
export class ConvTranspose1d extends Module {
  weight: array;
  declare bias?: array;
  padding: number;
  dilation: number;
  stride: number;
  outputPadding: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    ...rest: PyRest<
      [stride?: number, padding?: number, dilation?: number, outputPadding?: number, bias?: boolean],
      ConvTranspose1dOptions
    >
  ) {
    super();
    const { stride, padding, dilation, outputPadding, bias } = pyArgs('ConvTranspose1d', rest, [...NAMES], {
      stride: 1,
      padding: 0,
      dilation: 1,
      outputPadding: 0,
      bias: true,
    });

    const scale = Math.sqrt(1 / (inChannels * kernelSize));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, kernelSize, inChannels]);
    if (bias) this.bias = mx.zeros([outChannels]);

    this.padding = padding;
    this.dilation = dilation;
    this.stride = stride;
    this.outputPadding = outputPadding;
  }

  protected override extraRepr(): string {
    const s = this.weight.shape;
    return (
      `${s[s.length - 1]}, ${s[0]}, ` +
      `kernel_size=${s[1]}, stride=${pyStr(this.stride)}, ` +
      `padding=${pyStr(this.padding)}, dilation=${pyStr(this.dilation)}, ` +
      `output_padding=${pyStr(this.outputPadding)}, ` +
      `bias=${pyBool(this.bias !== undefined)}`
    );
  }

  forward(x: array): array {
    let y = mx.convTranspose1d(x, this.weight, this.stride, this.padding, this.dilation, this.outputPadding);
    if (this.bias !== undefined) y = mx.add(y, this.bias);
    return y;
  }
}

// The shared construction of ConvTranspose2d/3d (n spatial dimensions).
function initConvTransposeNd(
  self: ConvTranspose2d | ConvTranspose3d,
  name: string,
  n: number,
  inChannels: number,
  outChannels: number,
  kernelSize: ConvNdArg,
  rest: unknown[],
): void {
  const args = pyArgs(name, rest, [...NAMES], {
    stride: 1 as ConvNdArg,
    padding: 0 as ConvNdArg,
    dilation: 1 as ConvNdArg,
    outputPadding: 0 as ConvNdArg,
    bias: true,
  });
  const [ks, stride, padding, outputPadding] = [kernelSize, args.stride, args.padding, args.outputPadding].map((x) =>
    ntuple(x, n),
  );
  const scale = Math.sqrt(1 / ks.reduce((a, b) => a * b, inChannels));
  self.weight = mx.random.uniform(-scale, scale, [outChannels, ...ks, inChannels]);
  if (args.bias) self.bias = mx.zeros([outChannels]);

  setTuple(self, 'padding', padding);
  setTuple(self, 'stride', stride);
  setTuple(self, 'dilation', args.dilation);
  setTuple(self, 'outputPadding', outputPadding);
}

function reprConvTransposeNd(self: ConvTranspose2d | ConvTranspose3d, n: number): string {
  const s = self.weight.shape;
  return (
    `${s[s.length - 1]}, ${s[0]}, ` +
    `kernel_size=${pyStr(s.slice(1, 1 + n))}, stride=${pyStr(self.stride)}, ` +
    `padding=${pyStr(self.padding)}, dilation=${pyStr(self.dilation)}, ` +
    `output_padding=${pyStr(self.outputPadding)}, ` +
    `bias=${pyBool(self.bias !== undefined)}`
  );
}

/** A 2-dimensional transposed convolution over a multi-channel image (input NHWC). */
export class ConvTranspose2d extends Module {
  weight!: array;
  declare bias?: array;
  declare padding: ConvNdArg;
  declare stride: ConvNdArg;
  declare dilation: ConvNdArg;
  declare outputPadding: ConvNdArg;

  constructor(inChannels: number, outChannels: number, kernelSize: ConvNdArg, ...rest: ConvTransposeNdRest) {
    super();
    initConvTransposeNd(this, 'ConvTranspose2d', 2, inChannels, outChannels, kernelSize, rest);
  }

  protected override extraRepr(): string {
    return reprConvTransposeNd(this, 2);
  }

  forward(x: array): array {
    let y = mx.convTranspose2d(x, this.weight, this.stride, this.padding, this.dilation, this.outputPadding);
    if (this.bias !== undefined) y = mx.add(y, this.bias);
    return y;
  }
}

/** A 3-dimensional transposed convolution over a multi-channel volume (input NDHWC). */
export class ConvTranspose3d extends Module {
  weight!: array;
  declare bias?: array;
  declare padding: ConvNdArg;
  declare stride: ConvNdArg;
  declare dilation: ConvNdArg;
  declare outputPadding: ConvNdArg;

  constructor(inChannels: number, outChannels: number, kernelSize: ConvNdArg, ...rest: ConvTransposeNdRest) {
    super();
    initConvTransposeNd(this, 'ConvTranspose3d', 3, inChannels, outChannels, kernelSize, rest);
  }

  protected override extraRepr(): string {
    return reprConvTransposeNd(this, 3);
  }

  forward(x: array): array {
    let y = mx.convTranspose3d(x, this.weight, this.stride, this.padding, this.dilation, this.outputPadding);
    if (this.bias !== undefined) y = mx.add(y, this.bias);
    return y;
  }
}
