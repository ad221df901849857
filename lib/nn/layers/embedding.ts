// Port of mlx/nn/layers/embedding.py: Embedding.
import { core as mx } from '../../core';
import type { array } from '../../core';
import { Module } from './base';
import { QuantizedEmbedding } from './quantized';
import { toQuantizedArgs } from './helpers';
import type { ToQuantizedRest } from './helpers';

/**
 * A lookup table mapping each integer in [0, numEmbeddings) to a vector of
 * dims values, initialized from N(0, 1 / dims).
 */
export class Embedding extends Module {
  weight: array;

  constructor(numEmbeddings: number, dims: number) {
    super();
    const scale = Math.sqrt(1 / dims);
    this.weight = mx.random.normal([numEmbeddings, dims], { scale });
  }

  protected override extraRepr(): string {
    return `${this.weight.shape[0]}, ${this.weight.shape[1]}`;
  }

  forward(x: array): array {
    return this.weight.index(x);
  }

  /** The embedding used as a linear layer, x @ weight.T (tied input embedding and output projection). */
  asLinear(x: array): array {
    return mx.matmul(x, this.weight.T);
  }

  /** A QuantizedEmbedding approximating this layer (quantizeInput is not supported). */
  toQuantized(...rest: ToQuantizedRest): QuantizedEmbedding {
    const { groupSize, bits, mode, quantizeInput } = toQuantizedArgs('Embedding.toQuantized', rest);
    if (quantizeInput) throw new Error('Quantized input is not supported.');
    return QuantizedEmbedding.fromEmbedding(this, groupSize, bits, mode);
  }
}
