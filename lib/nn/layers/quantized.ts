// Port of mlx/nn/layers/quantized.py: quantize, QuantizedEmbedding,
// QuantizedLinear, QQLinear.
import { core as mx } from '../../core';
import type { array } from '../../core';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { isPlainObject } from '../../trees';
import { treeMapWithPath } from '../../utils';
import { Module } from './base';
import { pyBool, quantizedLinearMatmul, setQuantizedWeight } from './helpers';

const MODE_DEFAULTS: Record<string, [number, number]> = {
  affine: [64, 4],
  mxfp4: [32, 4],
  nvfp4: [16, 4],
  mxfp8: [32, 8],
};

function defaultsForMode(mode: string, groupSize: number | null, bits: number | null): [number, number] {
  if (!Object.prototype.hasOwnProperty.call(MODE_DEFAULTS, mode)) {
    throw new Error(`Invalid quantization mode '${mode}'. Valid modes are: ${Object.keys(MODE_DEFAULTS).join(', ')}.`);
  }
  const [defaultGroupSize, defaultBits] = MODE_DEFAULTS[mode];
  return [groupSize || defaultGroupSize, bits || defaultBits];
}

// Python's truthiness of a class_predicate result.
function pyTruthy(v: unknown): boolean {
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

/** The quantization settings of a quantized layer (see mx.quantize). */
export interface QuantizationOptions {
  groupSize?: number | null;
  bits?: number | null;
  mode?: string;
}

/** Options of a toQuantized() call (Python's to_quantized keyword arguments). */
export interface ToQuantizedOptions extends QuantizationOptions {
  quantizeInput?: boolean;
}

/** Options of nn.quantize. */
export interface QuantizeOptions extends ToQuantizedOptions {
  /**
   * (path, module) → true (quantize with quantize()'s settings), an options
   * object for the module's toQuantized, or false (leave it).
   */
  classPredicate?: ((path: string, module: Module) => boolean | ToQuantizedOptions) | null;
}

/**
 * Quantize the leaf modules of a model in place: by default every one that
 * has a toQuantized() method (Linear → QuantizedLinear, Embedding →
 * QuantizedEmbedding). groupSize and bits are positional or options; mode,
 * quantizeInput and classPredicate are options (keyword-only in Python).
 */
export function quantize(
  model: Module,
  ...rest: PyRest<[groupSize?: number | null, bits?: number | null], QuantizeOptions>
): void {
  const last = rest[rest.length - 1];
  const positional = rest.length > 0 && isPlainObject(last) ? rest.length - 1 : rest.length;
  if (positional > 2)
    throw new TypeError(`quantize() takes from 1 to 3 positional arguments but ${positional + 1} were given`);
  const o = pyArgs('quantize', rest, ['groupSize', 'bits', 'mode', 'quantizeInput', 'classPredicate'], {
    groupSize: null as number | null,
    bits: null as number | null,
    mode: 'affine',
    quantizeInput: false,
    classPredicate: null as QuantizeOptions['classPredicate'],
  });
  const classPredicate =
    o.classPredicate ||
    ((_: string, m: Module) => typeof (m as unknown as { toQuantized?: unknown }).toQuantized === 'function');

  const maybeQuantize = (path: string, m: Module): Module => {
    const boolOrParams = classPredicate(path, m);
    if (pyTruthy(boolOrParams)) {
      const toQuantized = (m as unknown as { toQuantized?: (options: ToQuantizedOptions) => Module }).toQuantized;
      if (typeof toQuantized === 'function') {
        if (typeof boolOrParams === 'boolean') {
          const kwargs: ToQuantizedOptions = { groupSize: o.groupSize, bits: o.bits, mode: o.mode };
          if (o.quantizeInput) kwargs.quantizeInput = o.quantizeInput;
          return toQuantized.call(m, kwargs);
        } else if (isPlainObject(boolOrParams)) {
          const params = boolOrParams as ToQuantizedOptions;
          if ('quantizeInput' in params && !params.quantizeInput) delete params.quantizeInput;
          return toQuantized.call(m, params);
        } else {
          throw new Error('``class_predicate`` must return a bool or a dict of parameters to pass to ``to_quantized``');
        }
      } else {
        throw new Error(`Unable to quantize model of type ${m.constructor.name}`);
      }
    }
    return m;
  };

  let leaves = model.leafModules();
  leaves = treeMapWithPath(maybeQuantize, leaves, { isLeaf: Module.isModule });
  model.updateModules(leaves);
}

/**
 * An Embedding with a quantized weight matrix (frozen). fromEmbedding
 * converts an Embedding.
 */
export class QuantizedEmbedding extends Module {
  groupSize: number;
  bits: number;
  mode: string;
  weight!: array;
  scales!: array;
  declare biases?: array;
  numEmbeddings: number;
  dims: number;

  constructor(
    numEmbeddings: number,
    dims: number,
    ...rest: PyRest<[groupSize?: number | null, bits?: number | null, mode?: string], QuantizationOptions>
  ) {
    super();
    const o = pyArgs('QuantizedEmbedding', rest, ['groupSize', 'bits', 'mode'], {
      groupSize: null as number | null,
      bits: null as number | null,
      mode: 'affine',
    });

    // Quantization config
    [this.groupSize, this.bits] = defaultsForMode(o.mode, o.groupSize, o.bits);
    this.mode = o.mode;

    // Initialize the quantized weight
    const scale = Math.sqrt(1 / dims);
    const weight = mx.random.normal([numEmbeddings, dims], { scale });
    setQuantizedWeight(this, weight, o.groupSize, o.bits, o.mode);
    this.numEmbeddings = numEmbeddings;
    this.dims = dims;

    // Freeze this model's parameters
    this.freeze();
  }

  forward(x: array): array {
    const biases = this.biases;
    return mx.dequantize(this.weight.index(x), {
      scales: this.scales.index(x),
      biases: biases !== undefined ? biases.index(x) : null,
      groupSize: this.groupSize,
      bits: this.bits,
      mode: this.mode,
    });
  }

  /**
   * Call the quantized embedding layer as a quantized linear layer (for
   * example when the input embedding and output projection weights are tied).
   */
  asLinear(x: array): array {
    return quantizedLinearMatmul(this, x);
  }

  protected override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.dims}, group_size=${this.groupSize}, bits=${this.bits}, mode=${this.mode}`;
  }

  /** A QuantizedEmbedding from an Embedding layer. */
  static fromEmbedding(
    embeddingLayer: Module,
    ...rest: PyRest<[groupSize?: number | null, bits?: number | null, mode?: string], QuantizationOptions>
  ): QuantizedEmbedding {
    const o = pyArgs('QuantizedEmbedding.fromEmbedding', rest, ['groupSize', 'bits', 'mode'], {
      groupSize: null as number | null,
      bits: null as number | null,
      mode: 'affine',
    });
    const weight = (embeddingLayer as unknown as { weight: array }).weight;
    const [embeddingDims, dims] = weight.shape;
    const ql = new this(embeddingDims, dims, o.groupSize, o.bits, o.mode);
    setQuantizedWeight(ql, weight, o.groupSize, o.bits, o.mode);
    return ql;
  }
}

/**
 * Linear with a quantized weight matrix: y = x dequant(W)^T + b. Its
 * parameters are frozen. fromLinear converts a Linear.
 */
export class QuantizedLinear extends Module {
  groupSize: number;
  bits: number;
  mode: string;
  weight!: array;
  scales!: array;
  declare biases?: array;
  declare bias?: array;

  constructor(
    inputDims: number,
    outputDims: number,
    ...rest: PyRest<
      [bias?: boolean, groupSize?: number | null, bits?: number | null, mode?: string],
      QuantizationOptions & { bias?: boolean }
    >
  ) {
    super();
    const o = pyArgs('QuantizedLinear', rest, ['bias', 'groupSize', 'bits', 'mode'], {
      bias: true,
      groupSize: null as number | null,
      bits: null as number | null,
      mode: 'affine',
    });

    // Quantization config
    [this.groupSize, this.bits] = defaultsForMode(o.mode, o.groupSize, o.bits);
    this.mode = o.mode;

    // Initialize the quantized weight
    const scale = Math.sqrt(1 / inputDims);
    const weight = mx.random.uniform(-scale, scale, [outputDims, inputDims]);
    setQuantizedWeight(this, weight, o.groupSize, o.bits, o.mode);

    // And bias if needed
    if (o.bias) this.bias = mx.zeros([outputDims]);

    // Freeze this model's parameters
    this.freeze();
  }

  protected override extraRepr(): string {
    const [outDims, packed] = this.weight.shape;
    const inDims = Math.floor((packed * 32) / this.bits);
    return (
      `input_dims=${inDims}, output_dims=${outDims}, bias=${pyBool(this.bias !== undefined)}, ` +
      `group_size=${this.groupSize}, bits=${this.bits}, mode=${this.mode}`
    );
  }

  forward(x: array): array {
    x = quantizedLinearMatmul(this, x);
    if (this.bias !== undefined) x = mx.add(x, this.bias);
    return x;
  }

  /** A QuantizedLinear from a Linear layer (its bias, if any, kept as is). */
  static fromLinear(
    linearLayer: Module,
    ...rest: PyRest<[groupSize?: number | null, bits?: number | null, mode?: string], QuantizationOptions>
  ): QuantizedLinear {
    const o = pyArgs('QuantizedLinear.fromLinear', rest, ['groupSize', 'bits', 'mode'], {
      groupSize: null as number | null,
      bits: null as number | null,
      mode: 'affine',
    });
    const layer = linearLayer as unknown as { weight: array; bias?: array };
    const [outputDims, inputDims] = layer.weight.shape;
    const ql = new this(inputDims, outputDims, false, o.groupSize, o.bits, o.mode);
    setQuantizedWeight(ql, layer.weight, o.groupSize, o.bits, o.mode);

    if (layer.bias !== undefined) ql.bias = layer.bias;

    return ql;
  }
}

/**
 * Quantizes the input and multiplies it with quantized weights (mx.qqmm).
 * In training mode the weight is kept in full precision (quantized on the
 * fly, so it has gradients); eval() quantizes it, train() dequantizes it.
 * Modes "nvfp4" (default) and "mxfp8"; no bias yet.
 */
export class QQLinear extends Module {
  groupSize: number;
  bits: number;
  mode: string;
  weight: array;
  declare scales?: array;
  _quantized: boolean;

  constructor(
    inputDims: number,
    outputDims: number,
    ...rest: PyRest<[groupSize?: number | null, bits?: number | null, mode?: string], QuantizationOptions>
  ) {
    super();
    const o = pyArgs('QQLinear', rest, ['groupSize', 'bits', 'mode'], {
      groupSize: null as number | null,
      bits: null as number | null,
      mode: 'nvfp4',
    });

    // Quantization config
    [this.groupSize, this.bits] = defaultsForMode(o.mode, o.groupSize, o.bits);
    this.mode = o.mode;

    const scale = Math.sqrt(1 / inputDims);
    this.weight = mx.random.uniform(-scale, scale, [outputDims, inputDims]);
    this._quantized = false;
  }

  protected override extraRepr(): string {
    const [outDims, cols] = this.weight.shape;
    let inDims = cols;
    if (this.weight.dtype === mx.uint32) inDims = Math.floor((inDims * 32) / this.bits);
    return `input_dims=${inDims}, output_dims=${outDims}, group_size=${this.groupSize}, bits=${this.bits}, mode=${this.mode}`;
  }

  /** Quantize the weight (what eval() does). */
  quantize(): void {
    if (!this._quantized) {
      const [w, scales] = mx.quantize(this.weight, this.groupSize, this.bits, { mode: this.mode });
      this.weight = w;
      this.scales = scales;
      this._quantized = true;
    }
  }

  /** Dequantize the weight back to full precision (what train() does). */
  dequantize(): void {
    if (this._quantized) {
      this.weight = mx.dequantize(this.weight, {
        scales: this.scales!,
        groupSize: this.groupSize,
        bits: this.bits,
        mode: this.mode,
      });
      delete this.scales;
      this._quantized = false;
    }
  }

  protected override setTrainingMode(mode: boolean): void {
    super.setTrainingMode(mode);

    if (this.training) this.dequantize();
    else this.quantize();
  }

  forward(x: array): array {
    return mx.qqmm(x, this.weight, {
      scales: this.scales ?? null,
      groupSize: this.groupSize,
      bits: this.bits,
      mode: this.mode,
    });
  }

  /** A QQLinear from a Linear layer without bias (same weight, same training mode). */
  static fromLinear(
    linearLayer: Module,
    ...rest: PyRest<[groupSize?: number | null, bits?: number | null, mode?: string], QuantizationOptions>
  ): QQLinear {
    const o = pyArgs('QQLinear.fromLinear', rest, ['groupSize', 'bits', 'mode'], {
      groupSize: null as number | null,
      bits: null as number | null,
      mode: 'nvfp4',
    });
    const layer = linearLayer as unknown as { weight: array; bias?: array };
    const [outputDims, inputDims] = layer.weight.shape; // (N,K)
    if (layer.bias != null) throw new Error('QQLinear does not support bias yet.');
    const ql = new this(inputDims, outputDims, o.groupSize, o.bits, o.mode);
    ql.weight = layer.weight;
    ql.train(linearLayer.training);

    return ql;
  }
}
