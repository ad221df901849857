// Helpers shared by the layer files (repr formatting as Python prints it, the
// quantized weight of the quantized layers). Not part of mlx.nn: lib/nn/index.ts
// does not re-export this file.
import { core as mx } from '../../core';
import type { array } from '../../core';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';

// Python's str() of a float (repr: shortest round trip, exponent form below
// 1e-4 and from 1e16, "2.0" for integral values).
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const e = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else if (e < 0) {
    out = `0.${'0'.repeat(-e - 1)}${digits}`;
  } else if (digits.length <= e + 1) {
    out = `${digits}${'0'.repeat(e + 1 - digits.length)}.0`;
  } else {
    out = `${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
  }
  return neg ? `-${out}` : out;
}

/** Python's repr of a bool, for extraRepr: True/False. */
export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** Python's repr of a shape tuple: (4,), (2, 3), (). */
export const shapeRepr = (shape: readonly number[]) =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;

/** The quantized weight of QuantizedLinear, QuantizedEmbedding and the sharded quantized layers. */
export interface QuantizedWeight {
  weight: array;
  scales: array;
  biases?: array;
  groupSize: number;
  bits: number;
  mode: string;
}

/** Quantize `weight` into the layer's weight, scales and (affine mode) biases. */
export function setQuantizedWeight(
  layer: QuantizedWeight,
  weight: array,
  groupSize: number | null,
  bits: number | null,
  mode: string,
): void {
  const [w, scales, ...biases] = mx.quantize(weight, groupSize, bits, { mode });
  layer.weight = w;
  layer.scales = scales;
  if (biases.length) layer.biases = biases[0];
  else delete layer.biases;
}

/** x @ W.T with the layer's quantized W (QuantizedLinear's product, also QuantizedEmbedding.asLinear). */
export function quantizedLinearMatmul(layer: QuantizedWeight, x: array): array {
  return mx.quantizedMatmul(x, layer.weight, {
    scales: layer.scales,
    biases: layer.biases ?? null,
    transpose: true,
    groupSize: layer.groupSize,
    bits: layer.bits,
    mode: layer.mode,
  });
}

/** The arguments of Linear/Embedding.toQuantized (Python's to_quantized). */
export type ToQuantizedRest = PyRest<
  [groupSize?: number | null, bits?: number | null, mode?: string, quantizeInput?: boolean],
  { groupSize?: number | null; bits?: number | null; mode?: string; quantizeInput?: boolean }
>;
export function toQuantizedArgs(fn: string, rest: ToQuantizedRest) {
  return pyArgs(fn, rest, ['groupSize', 'bits', 'mode', 'quantizeInput'], {
    groupSize: null as number | null,
    bits: null as number | null,
    mode: 'affine',
    quantizeInput: false,
  });
}
