// Port of mlx/nn/layers/convolution.py: Conv1d, Conv2d, Conv3d.
//
// Python stores an int kernel_size/stride/padding of Conv2d/Conv3d as a tuple;
// here tuples are JS arrays kept as non-enumerable properties, so that (as
// Python's tuples) they are neither parameters nor children.
import { core as mx } from '../../core';
import type { array } from '../../core';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { Module } from './base';
import { pyBool } from './helpers';

// Python's str() of an int or a tuple of ints.
const pyStr = (v: number | number[]): string =>
  Array.isArray(v) ? (v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`) : String(v);

// An attribute holding a Python tuple: not a parameter, not a child.
function setTuple(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: !Array.isArray(value) });
}

const ntuple = (x: number | number[], n: number): number[] => (typeof x === 'number' ? Array(n).fill(x) : x);

export type Conv1dOptions = { stride?: number; padding?: number; dilation?: number; groups?: number; bias?: boolean };
export type ConvNdArg = number | number[];
export type Conv2dOptions = {
  stride?: ConvNdArg;
  padding?: ConvNdArg;
  dilation?: ConvNdArg;
  groups?: number;
  bias?: boolean;
};
export type Conv3dOptions = { stride?: ConvNdArg; padding?: ConvNdArg; dilation?: ConvNdArg; bias?: boolean };

/** A 1-dimensional convolution over a multi-channel sequence (input NLC). */
export class Conv1d extends Module {
  weight: array;
  declare bias?: array;
  padding: number;
  dilation: number;
  stride: number;
  groups: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    ...rest: PyRest<
      [stride?: number, padding?: number, dilation?: number, groups?: number, bias?: boolean],
      Conv1dOptions
    >
  ) {
    super();
    const { stride, padding, dilation, groups, bias } = pyArgs(
      'Conv1d',
      rest,
      ['stride', 'padding', 'dilation', 'groups', 'bias'],
      {
        stride: 1,
        padding: 0,
        dilation: 1,
        groups: 1,
        bias: true,
      },
    );
    if (inChannels % groups !== 0) {
      throw new Error(
        `The number of input channels (${inChannels}) must be divisible by the number of groups (${groups})`,
      );
    }

    const scale = Math.sqrt(1 / (Math.floor(inChannels / groups) * kernelSize));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, kernelSize, Math.floor(inChannels / groups)]);
    if (bias) this.bias = mx.zeros([outChannels]);

    this.padding = padding;
    this.dilation = dilation;
    this.stride = stride;
    this.groups = groups;
  }

  protected override extraRepr(): string {
    const s = this.weight.shape;
    return (
      `${s[s.length - 1] * this.groups}, ${s[0]}, ` +
      `kernel_size=${s[1]}, stride=${pyStr(this.stride)}, ` +
      `padding=${pyStr(this.padding)}, dilation=${pyStr(this.dilation)}, ` +
      `groups=${this.groups}, ` +
      `bias=${pyBool(this.bias !== undefined)}`
    );
  }

  forward(x: array): array {
    let y = mx.conv1d(x, this.weight, this.stride, this.padding, this.dilation, this.groups);
    if (this.bias !== undefined) y = mx.add(y, this.bias);
    return y;
  }
}

/** A 2-dimensional convolution over a multi-channel image (input NHWC). */
export class Conv2d extends Module {
  weight: array;
  declare bias?: array;
  declare padding: ConvNdArg;
  declare stride: ConvNdArg;
  declare dilation: ConvNdArg;
  groups: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: ConvNdArg,
    ...rest: PyRest<
      [stride?: ConvNdArg, padding?: ConvNdArg, dilation?: ConvNdArg, groups?: number, bias?: boolean],
      Conv2dOptions
    >
  ) {
    super();
    const args = pyArgs('Conv2d', rest, ['stride', 'padding', 'dilation', 'groups', 'bias'], {
      stride: 1 as ConvNdArg,
      padding: 0 as ConvNdArg,
      dilation: 1 as ConvNdArg,
      groups: 1,
      bias: true,
    });
    const { dilation, groups, bias } = args;
    if (inChannels % groups !== 0) {
      throw new Error(
        `The number of input channels (${inChannels}) must be divisible by the number of groups (${groups})`,
      );
    }

    const [ks, stride, padding] = [kernelSize, args.stride, args.padding].map((x) => ntuple(x, 2));
    const scale = Math.sqrt(1 / (Math.floor(inChannels / groups) * ks[0] * ks[1]));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, ...ks, Math.floor(inChannels / groups)]);
    if (bias) this.bias = mx.zeros([outChannels]);

    setTuple(this, 'padding', padding);
    setTuple(this, 'stride', stride);
    setTuple(this, 'dilation', dilation);
    this.groups = groups;
  }

  protected override extraRepr(): string {
    const s = this.weight.shape;
    return (
      `${s[s.length - 1] * this.groups}, ${s[0]}, ` +
      `kernel_size=${pyStr(s.slice(1, 3))}, stride=${pyStr(this.stride)}, ` +
      `padding=${pyStr(this.padding)}, dilation=${pyStr(this.dilation)}, ` +
      `groups=${this.groups}, ` +
      `bias=${pyBool(this.bias !== undefined)}`
    );
  }

  forward(x: array): array {
    let y = mx.conv2d(x, this.weight, this.stride, this.padding, this.dilation, this.groups);
    if (this.bias !== undefined) y = mx.add(y, this.bias);
    return y;
  }
}

/** A 3-dimensional convolution over a multi-channel volume (input NDHWC). */
export class Conv3d extends Module {
  weight: array;
  declare bias?: array;
  declare padding: ConvNdArg;
  declare stride: ConvNdArg;
  declare dilation: ConvNdArg;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: ConvNdArg,
    ...rest: PyRest<[stride?: ConvNdArg, padding?: ConvNdArg, dilation?: ConvNdArg, bias?: boolean], Conv3dOptions>
  ) {
    super();
    const args = pyArgs('Conv3d', rest, ['stride', 'padding', 'dilation', 'bias'], {
      stride: 1 as ConvNdArg,
      padding: 0 as ConvNdArg,
      dilation: 1 as ConvNdArg,
      bias: true,
    });
    const { dilation, bias } = args;

    const [ks, stride, padding] = [kernelSize, args.stride, args.padding].map((x) => ntuple(x, 3));
    const scale = Math.sqrt(1 / (inChannels * ks[0] * ks[1] * ks[2]));
    this.weight = mx.random.uniform(-scale, scale, [outChannels, ...ks, inChannels]);
    if (bias) this.bias = mx.zeros([outChannels]);

    setTuple(this, 'padding', padding);
    setTuple(this, 'stride', stride);
    setTuple(this, 'dilation', dilation);
  }

  protected override extraRepr(): string {
    const s = this.weight.shape;
    return (
      `${s[s.length - 1]}, ${s[0]}, ` +
      `kernel_size=${pyStr(s.slice(1, 4))}, stride=${pyStr(this.stride)}, ` +
      `padding=${pyStr(this.padding)}, dilation=${pyStr(this.dilation)}, ` +
      `bias=${pyBool(this.bias !== undefined)}`
    );
  }

  forward(x: array): array {
    let y = mx.conv3d(x, this.weight, this.stride, this.padding, this.dilation);
    if (this.bias !== undefined) y = mx.add(y, this.bias);
    return y;
  }
}
