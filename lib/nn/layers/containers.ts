// Port of mlx/nn/layers/containers.py: Sequential.
import { Module } from './base';

/** A layer or a plain function of one argument, as Sequential takes them. */
export type SequentialLayer = Module | ((x: any) => any);

/**
 * Calls the given modules or plain functions in order. Functions with
 * learnable parameters should be Modules (a plain function holds no
 * parameters); the parameter paths are Python's: "layers.1.weight".
 */
export class Sequential extends Module {
  layers: SequentialLayer[];

  constructor(...modules: SequentialLayer[]) {
    super();
    this.layers = [...modules];
  }

  forward(x: any): any {
    for (const m of this.layers) x = m instanceof Module ? m.forward(x) : m(x);
    return x;
  }
}
