// Port of mlx/nn/layers/transformer.py: MultiHeadAttention,
// TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer,
// TransformerDecoder, Transformer.
import { core as mx } from '../../core';
import type { array } from '../../core';
import type { Dtype } from '../../types';
import { pyArgs } from '../../args';
import type { PyRest } from '../../args';
import { relu } from './activations';
import { Module } from './base';
import { Dropout } from './dropout';
import { Linear } from './linear';
import { LayerNorm } from './normalization';
import { checkpoint } from '../utils';

export type Activation = (x: array) => array;
/** An additive attention mask (array), "causal", or none. */
export type Mask = array | string | null;

/** Options of MultiHeadAttention (Python's keyword arguments). */
export interface MultiHeadAttentionOptions {
  queryInputDims?: number | null;
  keyInputDims?: number | null;
  valueInputDims?: number | null;
  valueDims?: number | null;
  valueOutputDims?: number | null;
  bias?: boolean;
}

/**
 * Scaled dot-product attention with multiple heads: queries, keys and values
 * are projected (without biases by default), attended per head with an
 * optional additive mask broadcastable to [batch, numHeads, #queries, #keys],
 * and the result projected again.
 */
export class MultiHeadAttention extends Module {
  numHeads: number;
  query_proj: Linear;
  key_proj: Linear;
  value_proj: Linear;
  out_proj: Linear;

  constructor(
    dims: number,
    numHeads: number,
    ...rest: PyRest<
      [
        queryInputDims?: number | null,
        keyInputDims?: number | null,
        valueInputDims?: number | null,
        valueDims?: number | null,
        valueOutputDims?: number | null,
        bias?: boolean,
      ],
      MultiHeadAttentionOptions
    >
  ) {
    super();
    const o = pyArgs(
      'MultiHeadAttention',
      rest,
      ['queryInputDims', 'keyInputDims', 'valueInputDims', 'valueDims', 'valueOutputDims', 'bias'],
      {
        queryInputDims: null as number | null,
        keyInputDims: null as number | null,
        valueInputDims: null as number | null,
        valueDims: null as number | null,
        valueOutputDims: null as number | null,
        bias: false,
      },
    );

    if (dims % numHeads !== 0) {
      throw new Error(
        `The input feature dimensions should be divisible by the number of heads (${dims} % ${numHeads}) != 0`,
      );
    }

    const queryInputDims = o.queryInputDims || dims;
    const keyInputDims = o.keyInputDims || dims;
    const valueInputDims = o.valueInputDims || keyInputDims;
    const valueDims = o.valueDims || dims;
    const valueOutputDims = o.valueOutputDims || dims;

    this.numHeads = numHeads;
    this.query_proj = new Linear(queryInputDims, dims, { bias: o.bias });
    this.key_proj = new Linear(keyInputDims, dims, { bias: o.bias });
    this.value_proj = new Linear(valueInputDims, valueDims, { bias: o.bias });
    this.out_proj = new Linear(valueDims, valueOutputDims, { bias: o.bias });
  }

  forward(queries: array, keys: array, values: array, ...rest: PyRest<[mask?: Mask], { mask?: Mask }>): array {
    const { mask } = pyArgs('MultiHeadAttention.forward', rest, ['mask'], { mask: null as Mask });
    queries = this.query_proj.forward(queries);
    keys = this.key_proj.forward(keys);
    values = this.value_proj.forward(values);

    const numHeads = this.numHeads;
    queries = mx.unflatten(queries, -1, [numHeads, -1]).transpose(0, 2, 1, 3);
    keys = mx.unflatten(keys, -1, [numHeads, -1]).transpose(0, 2, 1, 3);
    values = mx.unflatten(values, -1, [numHeads, -1]).transpose(0, 2, 1, 3);
    const scale = Math.sqrt(1 / queries.shape[queries.ndim - 1]);
    let output = mx.fast.scaledDotProductAttention(queries, keys, values, { scale, mask });
    output = output.transpose(0, 2, 1, 3).flatten(-2, -1);
    return this.out_proj.forward(output);
  }

  /** The [N, N] additive causal mask: 0 on and below the diagonal, finfo(dtype).min above. */
  static createAdditiveCausalMask(N: number, ...rest: PyRest<[dtype?: Dtype], { dtype?: Dtype }>): array {
    const { dtype } = pyArgs('MultiHeadAttention.createAdditiveCausalMask', rest, ['dtype'], {
      dtype: mx.float32 as Dtype,
    });
    const indices = mx.arange(N);
    let mask = mx.less(indices.index(':', null), indices.index(null));
    mask = mx.multiply(mask.astype(dtype), mx.finfo(dtype).min);
    return mask;
  }
}

/** Options of TransformerEncoderLayer / TransformerDecoderLayer. */
export interface LayerOptions {
  mlpDims?: number | null;
  dropout?: number;
  activation?: Activation;
  normFirst?: boolean;
}

export type LayerRest = PyRest<
  [mlpDims?: number | null, dropout?: number, activation?: Activation, normFirst?: boolean],
  LayerOptions
>;

const LAYER_NAMES: Array<keyof Required<LayerOptions> & string> = ['mlpDims', 'dropout', 'activation', 'normFirst'];
const layerDefaults = () => ({
  mlpDims: null as number | null,
  dropout: 0.0,
  activation: relu as Activation,
  normFirst: true,
});

/** A Transformer encoder layer: self-attention and an MLP, each with a residual connection and LayerNorm (pre-norm by default). */
export class TransformerEncoderLayer extends Module {
  attention: MultiHeadAttention;
  ln1: LayerNorm;
  ln2: LayerNorm;
  linear1: Linear;
  linear2: Linear;
  dropout1: Dropout;
  dropout2: Dropout;
  activation: Activation;
  normFirst: boolean;

  constructor(dims: number, numHeads: number, ...rest: LayerRest) {
    super();
    const o = pyArgs('TransformerEncoderLayer', rest, LAYER_NAMES, layerDefaults());
    const mlpDims = o.mlpDims || dims * 4;
    this.attention = new MultiHeadAttention(dims, numHeads);
    this.ln1 = new LayerNorm(dims);
    this.ln2 = new LayerNorm(dims);
    this.linear1 = new Linear(dims, mlpDims);
    this.linear2 = new Linear(mlpDims, dims);
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.activation = o.activation;
    this.normFirst = o.normFirst;
  }

  forward(x: array, mask: Mask): array {
    let y: array;
    if (this.normFirst) {
      y = this.ln1.forward(x);
      y = this.attention.forward(y, y, y, mask);
      y = this.dropout1.forward(y);
      x = mx.add(x, y);

      y = this.ln2.forward(x);
      y = this.linear1.forward(y);
      y = this.activation(y);
      y = this.dropout2.forward(y);
      y = this.linear2.forward(y);
      y = mx.add(x, y);
    } else {
      y = this.attention.forward(x, x, x, mask);
      y = this.dropout1.forward(y);
      x = this.ln1.forward(mx.add(x, y));

      y = this.linear1.forward(x);
      y = this.activation(y);
      y = this.dropout2.forward(y);
      y = this.linear2.forward(y);
      y = this.ln2.forward(mx.add(x, y));
    }

    return y;
  }
}

/** Options of TransformerEncoder / TransformerDecoder. */
export interface StackOptions extends LayerOptions {
  checkpoint?: boolean;
}

export type StackRest = PyRest<
  [mlpDims?: number | null, dropout?: number, activation?: Activation, normFirst?: boolean, checkpoint?: boolean],
  StackOptions
>;

const STACK_NAMES: Array<keyof Required<StackOptions> & string> = [...LAYER_NAMES, 'checkpoint'];
const stackDefaults = () => ({ ...layerDefaults(), checkpoint: false });

/** A stack of numLayers TransformerEncoderLayers followed by a LayerNorm; checkpoint recomputes each layer in the backward pass. */
export class TransformerEncoder extends Module {
  layers: TransformerEncoderLayer[];
  ln: LayerNorm;
  checkpoint: boolean;

  constructor(numLayers: number, dims: number, numHeads: number, ...rest: StackRest) {
    super();
    const o = pyArgs('TransformerEncoder', rest, STACK_NAMES, stackDefaults());
    this.layers = Array.from(
      { length: numLayers },
      () => new TransformerEncoderLayer(dims, numHeads, o.mlpDims, o.dropout, o.activation, o.normFirst),
    );
    this.ln = new LayerNorm(dims);
    this.checkpoint = o.checkpoint;
  }

  forward(x: array, mask: Mask): array {
    for (const l of this.layers) {
      const layer = this.checkpoint ? checkpoint(l) : (...a: [array, Mask]) => l.forward(...a);
      x = layer(x, mask);
    }
    return this.ln.forward(x);
  }
}

/**
 * A Transformer decoder layer: self-attention, cross-attention over the
 * memory and an MLP, each with a residual connection and LayerNorm (pre-norm
 * by default).
 */
export class TransformerDecoderLayer extends Module {
  self_attention: MultiHeadAttention;
  cross_attention: MultiHeadAttention;
  ln1: LayerNorm;
  ln2: LayerNorm;
  ln3: LayerNorm;
  linear1: Linear;
  linear2: Linear;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  activation: Activation;
  normFirst: boolean;

  constructor(dims: number, numHeads: number, ...rest: LayerRest) {
    super();
    const o = pyArgs('TransformerDecoderLayer', rest, LAYER_NAMES, layerDefaults());
    const mlpDims = o.mlpDims || dims * 4;
    this.self_attention = new MultiHeadAttention(dims, numHeads);
    this.cross_attention = new MultiHeadAttention(dims, numHeads);
    this.ln1 = new LayerNorm(dims);
    this.ln2 = new LayerNorm(dims);
    this.ln3 = new LayerNorm(dims);
    this.linear1 = new Linear(dims, mlpDims);
    this.linear2 = new Linear(mlpDims, dims);
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.dropout3 = new Dropout(o.dropout);
    this.activation = o.activation;
    this.normFirst = o.normFirst;
  }

  forward(x: array, memory: array, xMask: Mask, memoryMask: Mask): array {
    let y: array;
    if (this.normFirst) {
      y = this.ln1.forward(x);
      y = this.self_attention.forward(y, y, y, xMask);
      y = this.dropout1.forward(y);
      x = mx.add(x, y);

      y = this.ln2.forward(x);
      y = this.cross_attention.forward(y, memory, memory, memoryMask);
      y = this.dropout2.forward(y);
      x = mx.add(x, y);

      y = this.ln3.forward(x);
      y = this.linear1.forward(y);
      y = this.activation(y);
      y = this.dropout3.forward(y);
      y = this.linear2.forward(y);
      y = mx.add(x, y);
    } else {
      y = this.self_attention.forward(x, x, x, xMask);
      y = this.dropout1.forward(y);
      x = this.ln1.forward(mx.add(x, y));

      y = this.cross_attention.forward(x, memory, memory, memoryMask);
      y = this.dropout2.forward(y);
      x = this.ln2.forward(mx.add(x, y));

      y = this.linear1.forward(x);
      y = this.activation(y);
      y = this.dropout3.forward(y);
      y = this.linear2.forward(y);
      y = this.ln3.forward(mx.add(x, y));
    }

    return y;
  }
}

/** A stack of numLayers TransformerDecoderLayers followed by a LayerNorm; checkpoint recomputes each layer in the backward pass. */
export class TransformerDecoder extends Module {
  layers: TransformerDecoderLayer[];
  ln: LayerNorm;
  checkpoint: boolean;

  constructor(numLayers: number, dims: number, numHeads: number, ...rest: StackRest) {
    super();
    const o = pyArgs('TransformerDecoder', rest, STACK_NAMES, stackDefaults());
    this.layers = Array.from(
      { length: numLayers },
      () => new TransformerDecoderLayer(dims, numHeads, o.mlpDims, o.dropout, o.activation, o.normFirst),
    );
    this.ln = new LayerNorm(dims);
    this.checkpoint = o.checkpoint;
  }

  forward(x: array, memory: array, xMask: Mask, memoryMask: Mask): array {
    for (const l of this.layers) {
      const layer = this.checkpoint ? checkpoint(l) : (...a: [array, array, Mask, Mask]) => l.forward(...a);
      x = layer(x, memory, xMask, memoryMask);
    }
    return this.ln.forward(x);
  }
}

/** Options of Transformer. */
export interface TransformerOptions extends StackOptions {
  dims?: number;
  numHeads?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  customEncoder?: Module | null;
  customDecoder?: Module | null;
}

/**
 * The standard Transformer ("Attention Is All You Need"): an encoder over the
 * source and a decoder over the target that attends to the encoder's output.
 */
export class Transformer extends Module {
  encoder: Module;
  decoder: Module;

  constructor(
    ...rest: PyRest<
      [
        dims?: number,
        numHeads?: number,
        numEncoderLayers?: number,
        numDecoderLayers?: number,
        mlpDims?: number | null,
        dropout?: number,
        activation?: Activation,
        customEncoder?: Module | null,
        customDecoder?: Module | null,
        normFirst?: boolean,
        checkpoint?: boolean,
      ],
      TransformerOptions
    >
  ) {
    super();
    const o = pyArgs(
      'Transformer',
      rest,
      [
        'dims',
        'numHeads',
        'numEncoderLayers',
        'numDecoderLayers',
        'mlpDims',
        'dropout',
        'activation',
        'customEncoder',
        'customDecoder',
        'normFirst',
        'checkpoint',
      ],
      {
        dims: 512,
        numHeads: 8,
        numEncoderLayers: 6,
        numDecoderLayers: 6,
        mlpDims: null as number | null,
        dropout: 0.0,
        activation: relu as Activation,
        customEncoder: null as Module | null,
        customDecoder: null as Module | null,
        normFirst: true,
        checkpoint: false,
      },
    );

    if (o.customEncoder !== null) {
      this.encoder = o.customEncoder;
    } else {
      this.encoder = new TransformerEncoder(
        o.numEncoderLayers,
        o.dims,
        o.numHeads,
        o.mlpDims,
        o.dropout,
        o.activation,
        o.normFirst,
        o.checkpoint,
      );
    }

    if (o.customDecoder !== null) {
      this.decoder = o.customDecoder;
    } else {
      this.decoder = new TransformerDecoder(
        o.numDecoderLayers,
        o.dims,
        o.numHeads,
        o.mlpDims,
        o.dropout,
        o.activation,
        o.normFirst,
        o.checkpoint,
      );
    }
  }

  forward(src: array, tgt: array, srcMask: Mask, tgtMask: Mask, memoryMask: Mask): array {
    const memory = this.encoder.forward(src, srcMask);
    return this.decoder.forward(tgt, memory, tgtMask, memoryMask);
  }
}
