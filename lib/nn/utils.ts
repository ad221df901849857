// Port of mlx/nn/utils.py: valueAndGrad over a model's trainable parameters,
// checkpoint, averageGradients.
import { core as mx } from '../core';
import type { array } from '../core';
import type { StreamOrDevice } from '../types';
import { treeFlatten, treeMap, treeUnflatten } from '../utils';
import type { Module } from './layers/base';

type AnyFn = (...args: any[]) => any;

/**
 * A function returning [fn(...args), gradients of the loss with respect to the
 * model's trainable parameters] (shaped like model.trainableParameters()).
 * fn returns a scalar loss or [loss, ...aux], as for mx.valueAndGrad.
 */
export function valueAndGrad(model: Module, fn: AnyFn): (...args: any[]) => [any, any] {
  const inner = (params: unknown, ...args: unknown[]) => {
    model.update(params);
    return fn(...args);
  };
  const vg = mx.valueAndGrad(inner);
  return (...args: unknown[]) => vg(model.trainableParameters(), ...args);
}

/**
 * Gradient checkpointing of a module's forward: the intermediates are
 * recomputed for the gradient instead of kept. With a module, its forward is
 * checkpointed with respect to its trainable parameters too.
 */
export function checkpoint<M extends Module>(module: M, fn?: AnyFn): AnyFn {
  const f = fn ?? ((...args: unknown[]) => module.forward(...args));
  const inner = (params: unknown, ...args: unknown[]) => {
    module.update(params);
    return f(...args);
  };
  const ckpt = mx.checkpoint(inner);
  return (...args: unknown[]) => ckpt(module.trainableParameters(), ...args);
}

/**
 * Average the gradients (a tree) across the processes of a distributed group
 * (the global group by default). Arrays are concatenated into messages of up
 * to allReduceSize bytes (0 or less: one message per array).
 */
export function averageGradients(
  gradients: any,
  group: any = null,
  allReduceSize = 32 * 1024 ** 2,
  communicationStream: StreamOrDevice | null = null,
): any {
  const g = group ?? mx.distributed.init();
  const N = g.size() as number;
  if (N === 1) return gradients;
  const allSum = (x: array) => mx.divide(mx.distributed.allSum(x, { group: g, stream: communicationStream }), N);
  if (allReduceSize <= 0) return treeMap(allSum, gradients);
  const flat = treeFlatten(gradients) as Array<[string, array]>;
  if (flat.length === 0) return gradients;
  const dtypes = flat.map(([, x]) => x.dtype);
  // Mixed dtypes cannot be concatenated: one message per array.
  if (!dtypes.every((d) => d === dtypes[0])) return averageGradients(gradients, g, 0, communicationStream);
  const itemsize = dtypes[0].size;
  const groups: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  flat.forEach(([, x], i) => {
    current.push(i);
    bytes += x.size * itemsize;
    if (bytes >= allReduceSize) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
  });
  if (current.length) groups.push(current);
  const out: Array<[string, array]> = [];
  for (const idx of groups) {
    const sizes = idx.map((i) => flat[i][1].size);
    const offsets = sizes
      .slice(0, -1)
      .reduce((acc: number[], s) => [...acc, acc[acc.length - 1] + s], [0])
      .slice(1);
    const big = allSum(mx.concatenate(idx.map((i) => flat[i][1].reshape(-1))));
    const parts = mx.split(big, offsets);
    idx.forEach((i, j) => out.push([flat[i][0], parts[j].reshape(flat[i][1].shape)]));
  }
  return treeUnflatten(out);
}
