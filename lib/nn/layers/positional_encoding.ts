// Port of mlx/nn/layers/positional_encoding.py: RoPE, SinusoidalPositionalEncoding, ALiBi.
import { core as mx } from '../../core';
import type { array } from '../../core';
import type { Dtype } from '../../types';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { Module } from './base';
import { pyBool } from './helpers';

/**
 * The rotary positional encoding (RoFormer): rotates pairs of feature
 * dimensions by position-dependent angles (mx.fast.rope).
 */
export class RoPE extends Module {
  dims: number;
  traditional: boolean;
  base: number;
  scale: number;

  constructor(
    dims: number,
    ...rest: PyRest<
      [traditional?: boolean, base?: number, scale?: number],
      { traditional?: boolean; base?: number; scale?: number }
    >
  ) {
    super();
    const o = pyArgs('RoPE', rest, ['traditional', 'base', 'scale'], { traditional: false, base: 10000, scale: 1.0 });
    this.dims = dims;
    this.traditional = o.traditional;
    this.base = o.base;
    this.scale = o.scale;
  }

  protected override extraRepr(): string {
    return `${this.dims}, traditional=${pyBool(this.traditional)}`;
  }

  forward(x: array, ...rest: PyRest<[offset?: number | array], { offset?: number | array }>): array {
    const { offset } = pyArgs('RoPE.forward', rest, ['offset'], { offset: 0 as number | array });
    return mx.fast.rope(x, this.dims, { traditional: this.traditional, base: this.base, scale: this.scale, offset });
  }
}

/**
 * Sinusoidal positional encoding ("Attention Is All You Need"): the
 * [sin(x σ); cos(x σ)] embedding of positions x, with geometrically spaced
 * frequencies σ from maxFreq down to minFreq.
 */
export class SinusoidalPositionalEncoding extends Module {
  _sigmas: array;
  scale: number;
  cosFirst: boolean;

  constructor(
    dims: number,
    ...rest: PyRest<
      [minFreq?: number, maxFreq?: number, scale?: number | null, cosFirst?: boolean, fullTurns?: boolean],
      { minFreq?: number; maxFreq?: number; scale?: number | null; cosFirst?: boolean; fullTurns?: boolean }
    >
  ) {
    super();
    const o = pyArgs('SinusoidalPositionalEncoding', rest, ['minFreq', 'maxFreq', 'scale', 'cosFirst', 'fullTurns'], {
      minFreq: 0.0001,
      maxFreq: 1,
      scale: null as number | null,
      cosFirst: false,
      fullTurns: false,
    });

    // Sinusoidal embeddings are constructed from sin/cos pairs, so the
    // embedding dimension must be positive and even.
    if (dims <= 0 || dims % 2 !== 0) {
      throw new Error(`[SinusoidalPositionalEncoding] dims must be positive and even but got ${dims}.`);
    }

    // Avoid division by zero when dims == 2 (one frequency pair).
    const half = Math.floor(dims / 2);
    const oneZero = dims === 2 ? mx.array([1.0]) : mx.subtract(1, mx.divide(mx.arange(0, half), half - 1));

    const minFreq = Math.log(o.minFreq);
    const maxFreq = Math.log(o.maxFreq);

    // Start with underscore so it is not included in the parameters
    this._sigmas = mx.exp(mx.add(mx.multiply(oneZero, maxFreq - minFreq), minFreq));
    if (o.fullTurns) this._sigmas = mx.multiply(this._sigmas, 2 * Math.PI);

    // Save some constants that define the implementation
    this.scale = o.scale !== null ? o.scale : (2 / dims) ** 0.5;
    this.cosFirst = o.cosFirst;
  }

  forward(x: array): array {
    let y = mx.multiply(x.index('...', null), this._sigmas);
    const cosy = mx.cos(y);
    const siny = mx.sin(y);

    if (this.cosFirst) y = mx.concatenate([cosy, siny], -1);
    else y = mx.concatenate([siny, cosy], -1);

    if (this.scale !== 1) y = mx.multiply(y, this.scale);

    return y;
  }
}

function getSlopes(n: number): number[] {
  if (Number.isInteger(Math.log2(n))) {
    const start = 2 ** -(2 ** -(Math.log2(n) - 3));
    return Array.from({ length: n }, (_, i) => start * start ** i);
  }
  const closestPowerOf2 = 2 ** Math.floor(Math.log2(n));
  return getSlopes(closestPowerOf2).concat(
    getSlopes(2 * closestPowerOf2)
      .filter((_, i) => i % 2 === 0)
      .slice(0, n - closestPowerOf2),
  );
}

/**
 * Attention with Linear Biases (ALiBi): adds to the attention scores a static
 * bias proportional to the query-key distance, with one slope per head.
 */
export class ALiBi extends Module {
  /** The ALiBi bias matrix, of shape [1, numHeads, qSequenceLength - offset, kSequenceLength]. */
  static createAlibiMatrix(
    qSequenceLength: number,
    kSequenceLength: number,
    numHeads: number,
    ...rest: PyRest<[offset?: number, dtype?: Dtype], { offset?: number; dtype?: Dtype }>
  ): array {
    const { offset, dtype } = pyArgs('ALiBi.createAlibiMatrix', rest, ['offset', 'dtype'], {
      offset: 0,
      dtype: mx.float32 as Dtype,
    });
    const x1 = mx.arange(offset, qSequenceLength);
    const x2 = mx.arange(0, kSequenceLength);
    const distanceMatrix = mx.negative(
      mx.abs(mx.expandDims(mx.subtract(x1.index(':', null), x2.index(null, ':')), [0, 1])),
    );
    const alibiSlope = ALiBi.createAlibiSlope(numHeads, { dtype });
    return mx.multiply(distanceMatrix, alibiSlope).astype(dtype);
  }

  /** The geometric slopes of the heads, of shape [numHeads, 1, 1]. */
  static createAlibiSlope(numHeads: number, ...rest: PyRest<[dtype?: Dtype], { dtype?: Dtype }>): array {
    const { dtype } = pyArgs('ALiBi.createAlibiSlope', rest, ['dtype'], { dtype: mx.float32 as Dtype });
    const slopes = getSlopes(numHeads);
    const out = mx.array(slopes, dtype);
    return mx.expandDims(out, [-1, -2]);
  }

  constructor() {
    super();
  }

  /** The attention scores plus the ALiBi bias (and the additive mask, if given). */
  forward(
    attentionScores: array,
    ...rest: PyRest<[offset?: number, mask?: array | null], { offset?: number; mask?: array | null }>
  ): array {
    const { offset, mask } = pyArgs('ALiBi.forward', rest, ['offset', 'mask'], {
      offset: 0,
      mask: null as array | null,
    });
    const shape = attentionScores.shape;
    let alibiMask = ALiBi.createAlibiMatrix(shape[shape.length - 2] + offset, shape[shape.length - 1], shape[1], {
      offset,
      dtype: attentionScores.dtype,
    });
    if (mask !== null) alibiMask = mx.add(alibiMask, mask);
    return mx.add(attentionScores, alibiMask);
  }
}
