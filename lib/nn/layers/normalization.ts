// Port of mlx/nn/layers/normalization.py: InstanceNorm, LayerNorm, RMSNorm,
// GroupNorm, BatchNorm.
//
// Parameter names are Python's (weight, bias, running_mean, running_var), so
// weights saved by Python mlx load unchanged; the configuration attributes are
// camelCase (numFeatures, trackRunningStats, numGroups, pytorchCompatible).
import { core as mx } from '../../core';
import type { array } from '../../core';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { Module } from './base';
import { pyBool, pyFloatRepr } from './helpers';

// A JS number as Python prints it: integral → int, otherwise float.
const pyNum = (x: number): string => (Number.isInteger(x) ? String(x) : pyFloatRepr(x));
const range = (start: number, stop: number): number[] =>
  Array.from({ length: Math.max(stop - start, 0) }, (_, i) => start + i);

/** Instance normalization: each channel of each sample normalized over the spatial axes (input N, ..., C). */
export class InstanceNorm extends Module {
  declare weight?: array;
  declare bias?: array;
  dims: number;
  eps: number;

  constructor(dims: number, ...rest: PyRest<[eps?: number, affine?: boolean], { eps?: number; affine?: boolean }>) {
    super();
    const { eps, affine } = pyArgs('InstanceNorm', rest, ['eps', 'affine'], { eps: 1e-5, affine: false });
    if (eps <= 0.0) throw new Error(`[InstanceNorm] 'eps' must be positive but got ${pyNum(eps)}.`);
    if (affine) {
      this.weight = mx.ones([dims]);
      this.bias = mx.zeros([dims]);
    }
    this.dims = dims;
    this.eps = eps;
  }

  protected override extraRepr(): string {
    return `${this.dims}, eps=${pyNum(this.eps)}, affine=${pyBool(this.weight !== undefined)}`;
  }

  forward(x: array): array {
    if (x.ndim < 3) {
      throw new Error(
        `InstanceNorm expects inputs with at least 3 dimensions (N, ..., C) but the input has ${x.ndim} dimensions.`,
      );
    }
    const batchSize = x.shape[0];
    const features = x.shape[x.ndim - 1];
    const spatialShape = x.shape.slice(1, -1);
    const channelsFirst = mx.transpose(x, [0, x.ndim - 1, ...range(1, x.ndim - 1)]);
    let y = mx.fast.layerNorm(channelsFirst.reshape(batchSize, features, -1), null, null, this.eps);
    y = mx.transpose(y.reshape(batchSize, features, ...spatialShape), [0, ...range(2, spatialShape.length + 2), 1]);
    // Scale and shift if necessary
    return this.weight !== undefined ? mx.add(mx.multiply(this.weight, y), this.bias!) : y;
  }
}

/** Layer normalization over the last axis, with an optional learned scale (and shift). */
export class LayerNorm extends Module {
  declare weight?: array;
  declare bias?: array;
  eps: number;
  dims: number;

  constructor(
    dims: number,
    ...rest: PyRest<
      [eps?: number, affine?: boolean, bias?: boolean],
      { eps?: number; affine?: boolean; bias?: boolean }
    >
  ) {
    super();
    const { eps, affine, bias } = pyArgs('LayerNorm', rest, ['eps', 'affine', 'bias'], {
      eps: 1e-5,
      affine: true,
      bias: true,
    });
    if (eps <= 0.0) throw new Error(`[LayerNorm] 'eps' must be positive but got ${pyNum(eps)}.`);
    if (affine) {
      this.weight = mx.ones([dims]);
      if (bias) this.bias = mx.zeros([dims]);
    }
    this.eps = eps;
    this.dims = dims;
  }

  protected override extraRepr(): string {
    return `${this.dims}, eps=${pyNum(this.eps)}, affine=${pyBool(this.weight !== undefined)}`;
  }

  forward(x: array): array {
    const weight = this.weight !== undefined ? this.weight : null;
    const bias = this.bias !== undefined ? this.bias : null;
    return mx.fast.layerNorm(x, weight, bias, this.eps);
  }
}

/** Root-mean-square normalization over the last axis with a learned scale. */
export class RMSNorm extends Module {
  weight: array;
  eps: number;

  constructor(dims: number, ...rest: PyRest<[eps?: number], { eps?: number }>) {
    super();
    const { eps } = pyArgs('RMSNorm', rest, ['eps'], { eps: 1e-5 });
    if (eps <= 0.0) throw new Error(`[RMSNorm] 'eps' must be positive but got ${pyNum(eps)}.`);
    this.weight = mx.ones([dims]);
    this.eps = eps;
  }

  protected override extraRepr(): string {
    return `${this.weight.shape[0]}, eps=${pyNum(this.eps)}`;
  }

  forward(x: array): array {
    return mx.fast.rmsNorm(x, this.weight, this.eps);
  }
}

/** Group normalization: the features split into numGroups groups, each normalized over the spatial axes. */
export class GroupNorm extends Module {
  declare weight?: array;
  declare bias?: array;
  numGroups: number;
  dims: number;
  eps: number;
  pytorchCompatible: boolean;

  constructor(
    numGroups: number,
    dims: number,
    ...rest: PyRest<
      [eps?: number, affine?: boolean, pytorchCompatible?: boolean],
      { eps?: number; affine?: boolean; pytorchCompatible?: boolean }
    >
  ) {
    super();
    const { eps, affine, pytorchCompatible } = pyArgs('GroupNorm', rest, ['eps', 'affine', 'pytorchCompatible'], {
      eps: 1e-5,
      affine: true,
      pytorchCompatible: false,
    });
    if (eps <= 0.0) throw new Error(`[GroupNorm] 'eps' must be positive but got ${pyNum(eps)}.`);
    if (numGroups <= 0) throw new Error(`The number of groups (${numGroups}) must be a positive integer.`);
    if (dims <= 0) throw new Error(`The number of features (${dims}) must be a positive integer.`);
    if (dims % numGroups !== 0) {
      throw new Error(
        `The number of features (${dims}) must be evenly divisible by the number of groups (${numGroups}).`,
      );
    }
    if (affine) {
      this.bias = mx.zeros([dims]);
      this.weight = mx.ones([dims]);
    }
    this.numGroups = numGroups;
    this.dims = dims;
    this.eps = eps;
    this.pytorchCompatible = pytorchCompatible;
  }

  protected override extraRepr(): string {
    return (
      `${this.numGroups}, ${this.dims}, eps=${pyNum(this.eps)}, ` +
      `affine=${pyBool(this.weight !== undefined)}, pytorch_compatible=${pyBool(this.pytorchCompatible)}`
    );
  }

  protected _pytorchCompatibleGroupNorm(x: array): array {
    const numGroups = this.numGroups;
    const [batch, ...more] = x.shape;
    const dims = more.pop()!;
    const rest = more;
    const groupSize = Math.floor(dims / numGroups);

    // Split into groups
    x = x.reshape(batch, -1, numGroups, groupSize);
    x = x.transpose(0, 2, 1, 3).reshape(batch, numGroups, -1);

    // Normalize
    x = mx.fast.layerNorm(x, { eps: this.eps, weight: null, bias: null });

    x = x.reshape(batch, numGroups, -1, groupSize);
    x = x.transpose(0, 2, 1, 3).reshape(batch, ...rest, dims);
    return x;
  }

  protected _groupNorm(x: array): array {
    const numGroups = this.numGroups;
    const [batch, ...more] = x.shape;
    const dims = more.pop()!;
    const rest = more;

    // Split into groups
    x = x.reshape(batch, -1, numGroups);

    // Normalize
    const means = mx.mean(x, { axis: 1, keepdims: true });
    const variance = mx.var(x, { axis: 1, keepdims: true });
    x = mx.multiply(mx.subtract(x, means), mx.rsqrt(mx.add(variance, this.eps)));
    x = x.reshape(batch, ...rest, dims);

    return x;
  }

  forward(x: array): array {
    x = this.pytorchCompatible ? this._pytorchCompatibleGroupNorm(x) : this._groupNorm(x);
    return this.weight !== undefined ? mx.add(mx.multiply(this.weight, x), this.bias!) : x;
  }
}

/**
 * Batch normalization over the batch (and spatial) axes of an NC, NLC or NHWC
 * input; in training mode it updates the running mean and variance, in eval
 * mode it normalizes with them.
 */
export class BatchNorm extends Module {
  declare weight?: array;
  declare bias?: array;
  declare running_mean?: array;
  declare running_var?: array;
  numFeatures: number;
  eps: number;
  momentum: number;
  trackRunningStats: boolean;

  constructor(
    numFeatures: number,
    ...rest: PyRest<
      [eps?: number, momentum?: number, affine?: boolean, trackRunningStats?: boolean],
      { eps?: number; momentum?: number; affine?: boolean; trackRunningStats?: boolean }
    >
  ) {
    super();
    const { eps, momentum, affine, trackRunningStats } = pyArgs(
      'BatchNorm',
      rest,
      ['eps', 'momentum', 'affine', 'trackRunningStats'],
      {
        eps: 1e-5,
        momentum: 0.1,
        affine: true,
        trackRunningStats: true,
      },
    );
    if (eps <= 0.0) throw new Error(`[BatchNorm] 'eps' must be positive but got ${pyNum(eps)}.`);

    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.trackRunningStats = trackRunningStats;

    if (affine) {
      this.weight = mx.ones([numFeatures]);
      this.bias = mx.zeros([numFeatures]);
    }

    if (this.trackRunningStats) {
      this.running_mean = mx.zeros([numFeatures]);
      this.running_var = mx.ones([numFeatures]);
      this.freeze({ keys: ['running_mean', 'running_var'], recurse: false });
    }
  }

  /** Unfreeze, keeping running_mean and running_var frozen. */
  override unfreeze(options: { recurse?: boolean; keys?: string | string[] | null; strict?: boolean } = {}): this {
    super.unfreeze(options);
    this.freeze({ keys: ['running_mean', 'running_var'], recurse: false });
    return this;
  }

  protected override extraRepr(): string {
    return (
      `${this.numFeatures}, eps=${pyNum(this.eps)}, ` +
      `momentum=${pyNum(this.momentum)}, affine=${pyBool(this.weight !== undefined)}, ` +
      `track_running_stats=${pyBool(this.trackRunningStats)}`
    );
  }

  /** The mean and variance (with ddof) of x over every axis but the last. */
  protected _calcStats(x: array, ddof = 0): [array, array] {
    const reductionAxes = range(0, x.ndim - 1);
    const mean = mx.mean(x, { axis: reductionAxes });
    const variance = mx.var(x, { axis: reductionAxes, ddof });
    return [mean, variance];
  }

  forward(x: array): array {
    if (x.ndim < 2 || x.ndim > 4) {
      throw new Error(`Expected input tensor to have 2, 3 or 4 dimensions, but got ${x.ndim}`);
    }

    if (this.training) {
      let statsSize = 1;
      for (const size of x.shape.slice(0, -1)) statsSize *= size;
      if (statsSize === 1) throw new Error('BatchNorm training requires more than one value per channel.');
    }

    // Calculate the mean and variance used to normalize the input x. If we
    // are in training mode update the running stats if needed.
    let [mean, variance] = this._calcStats(x);
    if (this.training && this.trackRunningStats) {
      const mu = this.momentum;
      const [, runningVar] = this._calcStats(x, 1);
      this.running_mean = mx.add(mx.multiply(1 - mu, this.running_mean!), mx.multiply(mu, mean));
      this.running_var = mx.add(mx.multiply(1 - mu, this.running_var!), mx.multiply(mu, runningVar));
    } else if (this.trackRunningStats) {
      mean = this.running_mean!;
      variance = this.running_var!;
    }

    x = mx.multiply(mx.subtract(x, mean), mx.rsqrt(mx.add(variance, this.eps)));
    return this.weight !== undefined ? mx.add(mx.multiply(this.weight, x), this.bias!) : x;
  }
}
