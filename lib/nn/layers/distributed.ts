// Port of mlx/nn/layers/distributed.py: sumGradients, shardInplace,
// shardLinear, AllToShardedLinear, ShardedToAllLinear,
// QuantizedAllToShardedLinear, QuantizedShardedToAllLinear,
// FullyShardedModule, fullyShard.
//
// A group is any object with size() and rank() (mx.distributed.init() by
// default); the layers keep it as configuration (Python's plain attribute
// `group`). The sharding itself only asks the group for its size and rank,
// so a stand-in group can shard weights for any rank in one process.
import { core as mx } from '../../core';
import type { array } from '../../core';
import type { Dtype, Group } from '../../types';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { isPlainObject } from '../../trees';
import { treeFlatten, treeMapWithPath, treeUnflatten } from '../../utils';
import { Module } from './base';
import { Linear } from './linear';
import { pyBool, quantizedLinearMatmul, setQuantizedWeight, shapeRepr } from './helpers';

/** The segments of a weight: a count, split indices, or fractions of the axis. */
export type Segments = number | number[];

/**
 * (path, weight) → the sharding axis, [axis, segments], or null to leave the
 * weight whole (Python's sharding predicate).
 */
export type ShardingPredicate = (path: string, weight: array) => number | [number, Segments] | null | undefined;

/** The keyword arguments of shardLinear, shardInplace, fromLinear and fromQuantizedLinear. */
export interface ShardOptions {
  /** The number of segments (e.g. 3 for a fused QKV weight), or where they start. Default: 1. */
  segments?: Segments;
  /** The group to shard across. Default: the global group. */
  group?: Group | null;
}

/**
 * Keyword-only arguments (Python's `*, name=...`): at most one options object
 * after the `positional` arguments the caller already took.
 */
function keywordArgs<T extends Record<string, unknown>>(
  what: string,
  positional: number,
  given: unknown[],
  defaults: T,
): T {
  const last = given[given.length - 1];
  const extra = given.length > 0 && (isPlainObject(last) || last === undefined) ? given.length - 1 : given.length;
  if (extra > 0) {
    const n = positional;
    throw new TypeError(`${what}() takes ${n} positional argument${n === 1 ? '' : 's'} but ${n + extra} were given`);
  }
  return pyArgs(what, last === undefined ? [] : [last], Object.keys(defaults), defaults);
}

const sumGradientsCache = new WeakMap<object, (x: array) => array>();

/**
 * The identity whose vjp sums the cotangent across the group (the identity
 * itself for a group of one). One function per group, as Python's lru_cache.
 */
export function sumGradients(group: Group): (x: array) => array {
  let f = sumGradientsCache.get(group);
  if (f === undefined) {
    if (group.size() === 1) {
      f = (x: array) => x;
    } else {
      f = mx.customFunction((x: array) => x).vjp((_x: array, dx: array) => mx.distributed.allSum(dx, { group }));
    }
    sumGradientsCache.set(group, f);
  }
  return f;
}

/** mx.split that also takes fractional segments ([0.25, 0.5] of the axis). */
function split(weight: array, segments: Segments, axis: number): array[] {
  // Python tells integer indices from fractions by the type of the first one;
  // a JS number has no int/float kind, so a list is indices when all its
  // entries are integers.
  if (typeof segments === 'number' || segments.every((s) => Number.isInteger(s))) {
    return mx.split(weight, segments, axis);
  }
  const N = weight.shape[axis < 0 ? axis + weight.ndim : axis];
  return mx.split(
    weight,
    segments.map((s) => Math.trunc(s * N)),
    axis,
  );
}

/**
 * A new parameter tree with the weights sharded as the predicate says: each
 * segment of a weight is split into group.size() parts along the axis and
 * this rank keeps its part of every segment.
 */
function shard(parameters: unknown, shardingPredicate: ShardingPredicate, group: Group | null = null): any {
  const g = group ?? mx.distributed.init();
  const N = g.size();
  const r = g.rank();

  const shardFn = (path: string, weight: unknown) => {
    if (!(weight instanceof mx.array)) return weight;
    const w = weight as array;

    const s = shardingPredicate(path, w);
    if (s === null || s === undefined) return w;

    let axis: number;
    let segments: Segments = 1;
    if (typeof s === 'number') {
      axis = s;
    } else if (Array.isArray(s)) {
      [axis, segments] = s;
    } else {
      throw new Error('The sharding function should return int or tuple[int, list]');
    }

    return mx.contiguous(
      mx.concatenate(
        split(w, segments, axis).map((part) => split(part, N, axis)[r]),
        { axis },
      ),
    );
  };

  return treeMapWithPath(shardFn, parameters);
}

/** Shards fully connected layers so that a common representation becomes a sharded one. */
function allToSharded(segments: Segments): ShardingPredicate {
  return (path, weight) => {
    if (path.endsWith('bias')) return [-1, segments];
    return [Math.max(weight.ndim - 2, 0), segments];
  };
}

/** Shards fully connected layers so that a sharded representation becomes a common one. */
function shardedToAll(segments: Segments): ShardingPredicate {
  return (path) => {
    if (path.endsWith('bias')) return null;
    return [-1, segments];
  };
}

function checkSharding(sharding: unknown): void {
  if (sharding !== 'all-to-sharded' && sharding !== 'sharded-to-all') {
    throw new Error(
      `Sharding type sharding=${typeof sharding === 'string' ? `'${sharding}'` : String(sharding)} not supported, ` +
        "choose one of 'all-to-sharded' or 'sharded-to-all'",
    );
  }
}

/**
 * Shard a module in place: its parameters are replaced by this rank's shards.
 * `sharding` is "all-to-sharded", "sharded-to-all" or a predicate (path,
 * weight) → axis, [axis, segments] or null; segments (used with a string
 * sharding) and group are options. The module's computation is unchanged, so
 * it must do the communication itself.
 */
export function shardInplace(
  module: Module,
  sharding: 'all-to-sharded' | 'sharded-to-all' | ShardingPredicate,
  ...rest: [options?: ShardOptions]
): void {
  const { segments, group } = keywordArgs('shardInplace', 2, rest, {
    segments: 1 as Segments,
    group: null as Group | null,
  });
  let predicate: ShardingPredicate;
  if (typeof sharding === 'string') {
    checkSharding(sharding);
    predicate = sharding === 'all-to-sharded' ? allToSharded(segments) : shardedToAll(segments);
  } else if (typeof sharding === 'function') {
    predicate = sharding;
  } else {
    throw new TypeError(`'${sharding === null ? 'NoneType' : typeof sharding}' object is not callable`);
  }
  module.update(shard(module.parameters(), predicate, group));
}

/**
 * A new sharded layer from a Linear or QuantizedLinear ("all-to-sharded":
 * AllToShardedLinear / QuantizedAllToShardedLinear, "sharded-to-all":
 * ShardedToAllLinear / QuantizedShardedToAllLinear); the layer given is left
 * unchanged. segments and group are options.
 */
export function shardLinear(
  module: Module,
  sharding: 'all-to-sharded' | 'sharded-to-all',
  ...rest: [options?: ShardOptions]
): AllToShardedLinear | ShardedToAllLinear | QuantizedAllToShardedLinear | QuantizedShardedToAllLinear {
  const options = keywordArgs('shardLinear', 2, rest, { segments: 1 as Segments, group: null as Group | null });
  checkSharding(sharding);
  const isLinear = module instanceof Linear;
  if (sharding === 'all-to-sharded') {
    return isLinear
      ? AllToShardedLinear.fromLinear(module, options)
      : QuantizedAllToShardedLinear.fromQuantizedLinear(module, options);
  }
  return isLinear
    ? ShardedToAllLinear.fromLinear(module, options)
    : QuantizedShardedToAllLinear.fromQuantizedLinear(module, options);
}

interface LinearLike {
  weight: array;
  bias?: array;
}

interface QuantizedLinearLike extends LinearLike {
  groupSize: number;
  bits: number;
  mode?: string;
}

/**
 * Each member of the group applies its part of the affine transformation, so
 * the output is sharded across the group (its features split into
 * group.size() parts). The gradients of the input are summed across the
 * group. fromLinear shards a Linear.
 */
export class AllToShardedLinear extends Module {
  group: Group;
  weight: array;
  declare bias?: array;

  constructor(
    inputDims: number,
    outputDims: number,
    ...rest: PyRest<[bias?: boolean, group?: Group | null], { bias?: boolean; group?: Group | null }>
  ) {
    super();
    const o = pyArgs('AllToShardedLinear', rest, ['bias', 'group'], { bias: true, group: null as Group | null });

    // Initialize the parameters
    const scale = Math.sqrt(1.0 / inputDims);
    this.group = o.group ?? mx.distributed.init();
    const N = this.group.size();

    if (outputDims % N !== 0) {
      throw new Error(`Cannot shard the output of size ${outputDims} across ${N} devices.`);
    }

    this.weight = mx.random.uniform(-scale, scale, [Math.floor(outputDims / N), inputDims]);
    if (o.bias) this.bias = mx.random.uniform(-scale, scale, [Math.floor(outputDims / N)]);
  }

  protected override extraRepr(): string {
    const [outDims, inDims] = this.weight.shape;
    const N = this.group.size();
    return `input_dims=${inDims}, output_dims=${outDims * N}, bias=${pyBool(this.has('bias'))}`;
  }

  forward(x: array): array {
    // Aggregate the gradients coming from each shard
    x = sumGradients(this.group)(x);

    // Compute the affine projection
    if (this.bias !== undefined) return mx.addmm(this.bias, x, this.weight.T);
    return mx.matmul(x, this.weight.T);
  }

  /** This rank's AllToShardedLinear of a Linear layer (options: segments, group). */
  static fromLinear(linearLayer: Module, ...rest: [options?: ShardOptions]): AllToShardedLinear {
    const o = keywordArgs('AllToShardedLinear.fromLinear', 1, rest, {
      segments: 1 as Segments,
      group: null as Group | null,
    });
    const group = o.group ?? mx.distributed.init();
    const layer = linearLayer as unknown as LinearLike;
    const [outputDims, inputDims] = layer.weight.shape;

    const sl = new this(inputDims, outputDims, layer.bias !== undefined, group);
    sl.update(shard(linearLayer.parameters(), allToSharded(o.segments), group));
    return sl;
  }
}

/**
 * Each member of the group applies its part of the affine transformation (to
 * its shard of the input features) and the results are summed across the
 * group, so every member has the whole output. fromLinear shards a Linear.
 */
export class ShardedToAllLinear extends Module {
  group: Group;
  weight: array;
  declare bias?: array;

  constructor(
    inputDims: number,
    outputDims: number,
    ...rest: PyRest<[bias?: boolean, group?: Group | null], { bias?: boolean; group?: Group | null }>
  ) {
    super();
    const o = pyArgs('ShardedToAllLinear', rest, ['bias', 'group'], { bias: true, group: null as Group | null });

    // Initialize the parameters
    const scale = Math.sqrt(1.0 / inputDims);
    this.group = o.group ?? mx.distributed.init();
    const N = this.group.size();

    if (inputDims % N !== 0) {
      throw new Error(`The input of size ${inputDims} cannot be sharded across ${N} devices.`);
    }

    this.weight = mx.random.uniform(-scale, scale, [outputDims, Math.floor(inputDims / N)]);
    if (o.bias) this.bias = mx.random.uniform(-scale, scale, [outputDims]);
  }

  protected override extraRepr(): string {
    const N = this.group.size();
    const [outDims, inDims] = this.weight.shape;
    return `input_dims=${inDims * N}, output_dims=${outDims}, bias=${pyBool(this.has('bias'))}`;
  }

  forward(x: array): array {
    x = mx.matmul(x, this.weight.T);

    x = mx.distributed.allSum(x, { group: this.group });

    if (this.bias !== undefined) x = mx.add(x, this.bias);

    return x;
  }

  /** This rank's ShardedToAllLinear of a Linear layer (options: segments, group). */
  static fromLinear(linearLayer: Module, ...rest: [options?: ShardOptions]): ShardedToAllLinear {
    const o = keywordArgs('ShardedToAllLinear.fromLinear', 1, rest, {
      segments: 1 as Segments,
      group: null as Group | null,
    });
    const group = o.group ?? mx.distributed.init();
    const layer = linearLayer as unknown as LinearLike;
    const [outputDims, inputDims] = layer.weight.shape;

    const sl = new this(inputDims, outputDims, layer.bias !== undefined, group);
    sl.update(shard(linearLayer.parameters(), shardedToAll(o.segments), group));
    return sl;
  }
}

/** The keyword arguments of the quantized sharded layers (Python's defaults: true, 64, 4, "affine", null). */
export interface QuantizedShardedOptions {
  bias?: boolean;
  groupSize?: number;
  bits?: number;
  mode?: string;
  group?: Group | null;
}

export type QuantizedShardedArgs = PyRest<
  [bias?: boolean, groupSize?: number, bits?: number, mode?: string, group?: Group | null],
  QuantizedShardedOptions
>;

function quantizedShardedArgs(what: string, rest: unknown[]) {
  return pyArgs(what, rest, ['bias', 'groupSize', 'bits', 'mode', 'group'], {
    bias: true,
    groupSize: 64,
    bits: 4,
    mode: 'affine',
    group: null as Group | null,
  });
}

/** The constructor arguments of a quantized sharded layer with the settings of a QuantizedLinear. */
function fromQuantizedArgs(layer: QuantizedLinearLike, group: Group): [number, number, QuantizedShardedOptions] {
  const [outputDims, packed] = layer.weight.shape;
  const inputDims = Math.floor((packed * 32) / layer.bits);
  const options = {
    bias: layer.bias !== undefined,
    groupSize: layer.groupSize,
    bits: layer.bits,
    mode: layer.mode ?? 'affine',
    group,
  };
  return [inputDims, outputDims, options];
}

/**
 * AllToShardedLinear with a quantized weight matrix (see mx.quantize). As
 * QuantizedLinear, its parameters are frozen (unfreeze leaves them frozen).
 * fromQuantizedLinear shards a QuantizedLinear.
 */
export class QuantizedAllToShardedLinear extends Module {
  groupSize: number;
  bits: number;
  mode: string;
  group: Group;
  weight!: array;
  scales!: array;
  declare biases?: array;
  declare bias?: array;

  constructor(inputDims: number, outputDims: number, ...rest: QuantizedShardedArgs) {
    super();
    const o = quantizedShardedArgs('QuantizedAllToShardedLinear', rest);

    // Quantization config
    this.groupSize = o.groupSize;
    this.bits = o.bits;
    this.mode = o.mode;

    // Initialize the quantized weight
    const scale = Math.sqrt(1.0 / inputDims);
    this.group = o.group ?? mx.distributed.init();
    const N = this.group.size();

    if (outputDims % N !== 0) {
      throw new Error(`Cannot shard the output of size ${outputDims} across ${N} devices.`);
    }

    const weight = mx.random.uniform(-scale, scale, [Math.floor(outputDims / N), inputDims]);
    setQuantizedWeight(this, weight, o.groupSize, o.bits, o.mode);

    // And bias if needed
    if (o.bias) this.bias = mx.zeros([Math.floor(outputDims / N)]);

    // Freeze this model's parameters
    this.freeze();
  }

  /** Unfreeze the layers this one might contain; its own parameters stay frozen. */
  override unfreeze(options: { recurse?: boolean; keys?: string | string[] | null; strict?: boolean } = {}): this {
    super.unfreeze(options);
    this.freeze({ recurse: false });
    return this;
  }

  protected override extraRepr(): string {
    const [outDims, packed] = this.weight.shape;
    const inDims = Math.floor((packed * 32) / this.bits);
    return (
      `input_dims=${inDims}, output_dims=${outDims * this.group.size()}, bias=${pyBool(this.has('bias'))}, ` +
      `group_size=${this.groupSize}, bits=${this.bits}, mode=${this.mode}`
    );
  }

  forward(x: array): array {
    // Aggregate the gradients coming from each shard
    x = sumGradients(this.group)(x);

    x = quantizedLinearMatmul(this, x);
    if (this.bias !== undefined) x = mx.add(x, this.bias);
    return x;
  }

  /** This rank's QuantizedAllToShardedLinear of a QuantizedLinear (options: segments, group). */
  static fromQuantizedLinear(
    quantizedLinearLayer: Module,
    ...rest: [options?: ShardOptions]
  ): QuantizedAllToShardedLinear {
    const o = keywordArgs('QuantizedAllToShardedLinear.fromQuantizedLinear', 1, rest, {
      segments: 1 as Segments,
      group: null as Group | null,
    });
    const group = o.group ?? mx.distributed.init();
    const [inputDims, outputDims, args] = fromQuantizedArgs(
      quantizedLinearLayer as unknown as QuantizedLinearLike,
      group,
    );

    const sl = new this(inputDims, outputDims, args);
    sl.update(shard(quantizedLinearLayer.parameters(), allToSharded(o.segments), group));
    return sl;
  }
}

/**
 * ShardedToAllLinear with a quantized weight matrix (see mx.quantize). As
 * QuantizedLinear, its parameters are frozen (unfreeze leaves them frozen).
 * fromQuantizedLinear shards a QuantizedLinear.
 */
export class QuantizedShardedToAllLinear extends Module {
  groupSize: number;
  bits: number;
  mode: string;
  group: Group;
  weight!: array;
  scales!: array;
  declare biases?: array;
  declare bias?: array;

  constructor(inputDims: number, outputDims: number, ...rest: QuantizedShardedArgs) {
    super();
    const o = quantizedShardedArgs('QuantizedShardedToAllLinear', rest);

    // Quantization config
    this.groupSize = o.groupSize;
    this.bits = o.bits;
    this.mode = o.mode;

    // Initialize the quantized weight
    const scale = Math.sqrt(1.0 / inputDims);
    this.group = o.group ?? mx.distributed.init();
    const N = this.group.size();

    if (inputDims % N !== 0) {
      throw new Error(`The input of size ${inputDims} cannot be sharded across ${N} devices.`);
    }

    const weight = mx.random.uniform(-scale, scale, [outputDims, Math.floor(inputDims / N)]);
    setQuantizedWeight(this, weight, o.groupSize, o.bits, o.mode);

    // And bias if needed
    if (o.bias) this.bias = mx.zeros([outputDims]);

    // Freeze this model's parameters
    this.freeze();
  }

  /** Unfreeze the layers this one might contain; its own parameters stay frozen. */
  override unfreeze(options: { recurse?: boolean; keys?: string | string[] | null; strict?: boolean } = {}): this {
    super.unfreeze(options);
    this.freeze({ recurse: false });
    return this;
  }

  protected override extraRepr(): string {
    const [outDims, packed] = this.weight.shape;
    const inDims = Math.floor((packed * 32) / this.bits) * this.group.size();
    return (
      `input_dims=${inDims}, output_dims=${outDims}, bias=${pyBool(this.has('bias'))}, ` +
      `group_size=${this.groupSize}, bits=${this.bits}, mode=${this.mode}`
    );
  }

  forward(x: array): array {
    x = quantizedLinearMatmul(this, x);
    x = mx.distributed.allSum(x, { group: this.group });
    if (this.bias !== undefined) x = mx.add(x, this.bias);
    return x;
  }

  /** This rank's QuantizedShardedToAllLinear of a QuantizedLinear (options: segments, group). */
  static fromQuantizedLinear(
    quantizedLinearLayer: Module,
    ...rest: [options?: ShardOptions]
  ): QuantizedShardedToAllLinear {
    const o = keywordArgs('QuantizedShardedToAllLinear.fromQuantizedLinear', 1, rest, {
      segments: 1 as Segments,
      group: null as Group | null,
    });
    const group = o.group ?? mx.distributed.init();
    const [inputDims, outputDims, args] = fromQuantizedArgs(
      quantizedLinearLayer as unknown as QuantizedLinearLike,
      group,
    );

    const sl = new this(inputDims, outputDims, args);
    sl.update(shard(quantizedLinearLayer.parameters(), shardedToAll(o.segments), group));
    return sl;
  }
}

/**
 * The all-gather of the parameter shards (flattened, concatenated, gathered
 * and split back into the full parameters), whose vjp reduce-scatters the
 * gradients (their mean over the group) back into shards.
 */
function makeGatherFn(
  group: Group,
  fullShapes: number[][],
  shardSizes: number[],
  computeDtype: Dtype | null,
): (shards: array[]) => array[] {
  const N = group.size();
  const indices = shardSizes.reduce((acc, w) => [...acc, acc[acc.length - 1] + w], [0]);
  const splitIndices = indices.slice(1, -1);
  const shardShapes = fullShapes.map((shape) => [Math.floor(shape[0] / N), ...shape.slice(1)]);

  const maybeCast = (x: array, dtype: Dtype | null) => (dtype === null || x.dtype === dtype ? x : x.astype(dtype));

  return mx
    .customFunction((shards: array[]) => {
      const shardAll = mx.concatenate(
        shards.map((s) => maybeCast(s.reshape(1, -1), computeDtype)),
        { axis: 1 },
      );
      const full = mx.distributed.allGather(shardAll, { group });
      const parts = mx.split(full, splitIndices, 1);
      return parts.map((p, i) => p.reshape(fullShapes[i]));
    })
    .vjp((shards: array[], cotangents: array[]) => {
      const localFull = mx.concatenate(
        cotangents.map((c) => c.reshape(N, -1)),
        { axis: 1 },
      );
      const localShard = mx.divide(mx.distributed.sumScatter(localFull, { group }), N);
      const parts = mx.split(localShard, splitIndices, 1);
      return parts.map((p, i) => maybeCast(p.reshape(shardShapes[i]), shards[i].dtype));
    });
}

/** The parameters a FullyShardedModule shards: all but those of nested FullyShardedModules. */
const maybeShard = (m: Module, k: string, v: unknown): boolean => {
  if (v instanceof FullyShardedModule) return false;
  return Module.validParameterFilter(m, k, v);
};

/**
 * Wraps a module so each member of the group holds only a shard (along axis
 * 0) of each of its parameters. The full parameters are gathered for the
 * forward pass and the gradients reduce-scattered in the backward pass, so
 * each member stores and updates only its shard. Every parameter's first
 * axis must divide by the group size. computeDtype casts the gathered
 * parameters for the forward pass. Use fullyShard to wrap a module.
 */
export class FullyShardedModule extends Module {
  module: Module;
  /** The paths of the sharded parameters (not a member, as Python's `_paths`). */
  declare readonly _paths: string[];
  #gatherFn: (shards: array[]) => array[];

  constructor(
    module: Module,
    ...rest: PyRest<
      [group?: Group | null, computeDtype?: Dtype | null],
      { group?: Group | null; computeDtype?: Dtype | null }
    >
  ) {
    super();
    const o = pyArgs('FullyShardedModule', rest, ['group', 'computeDtype'], {
      group: null as Group | null,
      computeDtype: null as Dtype | null,
    });
    const group = o.group ?? mx.distributed.init();
    const N = group.size();

    const shardParams = module.filterAndMap(maybeShard);
    const flat = treeFlatten(shardParams) as Array<[string, array]>;
    for (const [path, a] of flat) {
      if (a.ndim === 0) throw new Error(`Cannot shard parameter '${path}' because it is a scalar.`);
      if (a.shape[0] % N !== 0) {
        throw new Error(
          `Cannot shard parameter '${path}' with shape ${shapeRepr(a.shape)} ` +
            `across ${N} devices: axis 0 must be divisible by ${N}.`,
        );
      }
    }

    Object.defineProperty(this, '_paths', { value: flat.map(([k]) => k), enumerable: false });
    const fullShapes = flat.map(([, a]) => a.shape);
    const shardSizes = flat.map(([, a]) => Math.floor(a.size / N));

    module.update(shard(shardParams, () => 0, group));

    this.module = module;
    this.#gatherFn = makeGatherFn(group, fullShapes, shardSizes, o.computeDtype);
  }

  protected override extraRepr(): string {
    return `num_sharded_params=${this._paths.length}`;
  }

  #gatheredCall(fn: (...args: any[]) => any, args: unknown[]): any {
    const shardTree = this.module.filterAndMap(maybeShard);
    const shards = (treeFlatten(shardTree) as Array<[string, array]>).map(([, a]) => a);
    const fulls = this.#gatherFn(shards);
    this.module.update(treeUnflatten(this._paths.map((p, i) => [p, fulls[i]])));
    try {
      return fn(...args);
    } finally {
      this.module.update(shardTree);
    }
  }

  forward(...args: any[]): any {
    return this.#gatheredCall((...a) => this.module.forward(...a), args);
  }

  /** The wrapped module's asLinear (e.g. of a QuantizedEmbedding) with the gathered parameters. */
  asLinear(...args: any[]): any {
    const m = this.module as unknown as { asLinear: (...a: any[]) => any };
    return this.#gatheredCall((...a) => m.asLinear(...a), args);
  }
}

/**
 * Wraps `module` in a FullyShardedModule (options: group, computeDtype).
 * Returns `module` itself for a group of one, for a FullyShardedModule, or
 * when it has no parameters to shard.
 */
export function fullyShard(
  module: Module,
  ...rest: [options?: { group?: Group | null; computeDtype?: Dtype | null }]
): Module {
  const o = keywordArgs('fullyShard', 1, rest, { group: null as Group | null, computeDtype: null as Dtype | null });
  const group = o.group ?? mx.distributed.init();
  if (group.size() === 1) return module;
  if (module instanceof FullyShardedModule) return module;

  const wrapped = new FullyShardedModule(module, { group, computeDtype: o.computeDtype });
  return wrapped._paths.length ? wrapped : module;
}
