// Port of mlx/nn/utils.py: valueAndGrad over a model's trainable parameters,
// checkpoint, averageGradients.
import { core as mx } from '../core';
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
