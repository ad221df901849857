// mlx.nn sequence layers (lib/nn/layers/positional_encoding.ts,
// transformer.ts, recurrent.ts, quantized.ts) against Python mlx.nn 0.32.4.
//
// Every case builds the layer in Python and in mlx-node under the same seed
// and checks, in order:
//   - init: the freshly built layer's parameters (paths and bytes) equal
//     Python's (same initialization, same RNG consumption);
//   - the JS layer then loads Python's parameters (loadWeights, strict: the
//     paths and shapes must be Python's), runs the case's `post` step (eval(),
//     nn.quantize, ...) on both sides, and compares the parameters after it and
//     the trainable parameter paths;
//   - String(layer) equals repr(layer);
//   - forward on the same inputs (masks for attention) is bit-identical;
//   - nn.valueAndGrad of the sum of the outputs (loss and every gradient) and
//     mx.grad with respect to the first float input are bit-identical.
// Then the static helpers (createAdditiveCausalMask, ALiBi matrices), the
// error cases, and nn.quantize on small models (default, groupSize/bits,
// modes, classPredicate returning options or false, quantizeInput).
//
// Not comparable: Python shows a function as `<function tanh at 0x7f...>` (an
// address); the RNN repr is compared with the ` at 0x...` part removed, and
// only where Python's nonlinearity is a plain Python function (nn.relu is a
// compiled `<mlx.core._gc_func object ...>` in Python).
// QQLinear's forward (mx.qqmm) is not implemented on the CPU in MLX 0.32.4:
// both sides must fail the same way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { mx, nn } from '../lib/index';
import type { array } from '../lib/index';
import { assertSameArray, isPyError, py, pyEach } from './helpers/mlx_tests';
import { assertSameOuts, assertSamePairs, flattenArrays, RUN_LAYER_CASE_PY, sumLoss } from './helpers/layer_cases';
import type { Out } from './helpers/layer_cases';
import type { PyError } from './helpers/mlx_tests';

type Inputs = Record<string, array | null>;

interface Case {
  name: string;
  /** Python expression building the layer (mlx.nn as nn, the SETUP helpers). */
  py: string;
  js: () => nn.Module;
  /** Python statement run after the parameters were copied (L is the layer). */
  pyPost?: string;
  jsPost?: (L: any) => void;
  inputs: Inputs;
  /** Python expression of the forward call (L and the input names in scope). */
  pyCall: string;
  jsCall: (L: any, x: Inputs) => Out;
  /** The float input to differentiate with mx.grad (default: none). */
  gradInput?: string;
  /** Compare String(layer) with repr (default true). */
  repr?: boolean;
  seed?: number;
}

const SETUP = `
import functools, re
import mlx.nn as nn
from mlx.utils import tree_flatten

def my_act(x):
    return mx.maximum(x, 0)

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 128)]
        self.head = nn.Linear(128, 8, bias=False)

    def __call__(self, x):
        for l in self.layers:
            x = l(x)
        return self.head(x)

class EmbedMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(16, 64)
        self.mlp = MLP()

    def __call__(self, x):
        return self.mlp(self.embed(x))

${RUN_LAYER_CASE_PY}

out = [run_case(c) for c in cases]
`;

// ---------------------------------------------------------------------------
// Inputs: fixed keys, so they do not touch the global random state.

let keyNo = 1000;
const randn = (shape: number[], dtype = mx.float32): array =>
  mx.random.normal(shape, dtype, { key: mx.random.key(keyNo++) });
const randint = (lo: number, hi: number, shape: number[]): array =>
  mx.random.randint(lo, hi, shape, { key: mx.random.key(keyNo++) });
const additiveCausal = (n: number): array => mx.multiply(mx.triu(mx.ones([n, n]), 1), -1e9);

function myAct(x: array): array {
  return mx.maximum(x, 0);
}
Object.defineProperty(myAct, 'name', { value: 'my_act' });

// A model to quantize: the same attribute names (parameter paths) as the Python MLP.
class MLP extends nn.Module {
  layers: nn.Module[] = [new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 128)];
  head = new nn.Linear(128, 8, false);
  forward(x: array): array {
    for (const l of this.layers) x = l.forward(x);
    return this.head.forward(x);
  }
}
class EmbedMLP extends nn.Module {
  embed = new nn.Embedding(16, 64);
  mlp = new MLP();
  forward(x: array): array {
    return this.mlp.forward(this.embed.forward(x));
  }
}

// ---------------------------------------------------------------------------
// The cases

const x3 = randn([2, 4, 16]);
const x4 = randn([2, 3, 5, 16]);
const q = randn([2, 5, 16]);
const kv = randn([2, 7, 16]);
const causal5 = additiveCausal(5);
const scores = randn([2, 4, 5, 5]);
const seqX = randn([2, 4, 5]);
const seqX1 = randn([4, 5]);
const h6 = randn([2, 6]);
const c6 = randn([2, 6]);
const h6u = randn([6]);
const x64 = randn([3, 64]);
const tokens = randint(0, 16, [2, 3]);

const cases: Case[] = [
  // positional_encoding.py
  {
    name: 'RoPE(8)',
    py: 'nn.RoPE(8)',
    js: () => new nn.RoPE(8),
    inputs: { x: x4 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'RoPE(16, traditional=True, base=500, scale=0.5) offset=3',
    py: 'nn.RoPE(16, traditional=True, base=500, scale=0.5)',
    js: () => new nn.RoPE(16, { traditional: true, base: 500, scale: 0.5 }),
    inputs: { x: x3 },
    pyCall: 'L(x, offset=3)',
    jsCall: (L, i) => L.forward(i.x, { offset: 3 }),
    gradInput: 'x',
  },
  {
    name: 'RoPE(6, True) positional, offset=2',
    py: 'nn.RoPE(6, True)',
    js: () => new nn.RoPE(6, true),
    inputs: { x: x4 },
    pyCall: 'L(x, 2)',
    jsCall: (L, i) => L.forward(i.x, 2),
  },
  {
    name: 'SinusoidalPositionalEncoding(8) on int positions',
    py: 'nn.SinusoidalPositionalEncoding(8)',
    js: () => new nn.SinusoidalPositionalEncoding(8),
    inputs: { x: mx.arange(10) },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'SinusoidalPositionalEncoding(16, min_freq=0.01, max_freq=2, scale=1, cos_first, full_turns)',
    py: 'nn.SinusoidalPositionalEncoding(16, min_freq=0.01, max_freq=2, scale=1, cos_first=True, full_turns=True)',
    js: () =>
      new nn.SinusoidalPositionalEncoding(16, { minFreq: 0.01, maxFreq: 2, scale: 1, cosFirst: true, fullTurns: true }),
    inputs: { x: randn([3, 4]) },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'SinusoidalPositionalEncoding(2, 0.5, 1, 3.0)',
    py: 'nn.SinusoidalPositionalEncoding(2, 0.5, 1, 3.0)',
    js: () => new nn.SinusoidalPositionalEncoding(2, 0.5, 1, 3.0),
    inputs: { x: randn([5]) },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'ALiBi 4 heads',
    py: 'nn.ALiBi()',
    js: () => new nn.ALiBi(),
    inputs: { s: scores },
    pyCall: 'L(s)',
    jsCall: (L, i) => L.forward(i.s),
    gradInput: 's',
  },
  {
    name: 'ALiBi 3 heads, offset=2, mask',
    py: 'nn.ALiBi()',
    js: () => new nn.ALiBi(),
    inputs: { s: randn([1, 3, 3, 5]), m: randn([3, 5]) },
    pyCall: 'L(s, offset=2, mask=m)',
    jsCall: (L, i) => L.forward(i.s, { offset: 2, mask: i.m }),
  },
  {
    name: 'ALiBi 6 heads float16',
    py: 'nn.ALiBi()',
    js: () => new nn.ALiBi(),
    inputs: { s: randn([2, 6, 4, 4], mx.float16) },
    pyCall: 'L(s, 0)',
    jsCall: (L, i) => L.forward(i.s, 0),
  },

  // transformer.py
  {
    name: 'MultiHeadAttention(16, 4) no mask',
    py: 'nn.MultiHeadAttention(16, 4)',
    js: () => new nn.MultiHeadAttention(16, 4),
    inputs: { q, kv },
    pyCall: 'L(q, kv, kv)',
    jsCall: (L, i) => L.forward(i.q, i.kv, i.kv),
    gradInput: 'q',
  },
  {
    name: 'MultiHeadAttention(16, 4) additive causal mask',
    py: 'nn.MultiHeadAttention(16, 4)',
    js: () => new nn.MultiHeadAttention(16, 4),
    inputs: { q, m: causal5 },
    pyCall: 'L(q, q, q, m)',
    jsCall: (L, i) => L.forward(i.q, i.q, i.q, i.m),
    gradInput: 'q',
  },
  {
    name: 'MultiHeadAttention(16, 2) mask="causal"',
    py: 'nn.MultiHeadAttention(16, 2)',
    js: () => new nn.MultiHeadAttention(16, 2),
    inputs: { q },
    pyCall: 'L(q, q, q, mask="causal")',
    jsCall: (L, i) => L.forward(i.q, i.q, i.q, { mask: 'causal' }),
  },
  {
    name: 'MultiHeadAttention(16, 4, 8, 12, 6, 24, 10, bias=True) boolean mask',
    py: 'nn.MultiHeadAttention(16, 4, query_input_dims=8, key_input_dims=12, value_input_dims=6, value_dims=24, value_output_dims=10, bias=True)',
    js: () =>
      new nn.MultiHeadAttention(16, 4, {
        queryInputDims: 8,
        keyInputDims: 12,
        valueInputDims: 6,
        valueDims: 24,
        valueOutputDims: 10,
        bias: true,
      }),
    inputs: {
      a: randn([2, 3, 8]),
      b: randn([2, 7, 12]),
      c: randn([2, 7, 6]),
      m: mx.greater(randn([2, 1, 3, 7]), -0.5),
    },
    pyCall: 'L(a, b, c, m)',
    jsCall: (L, i) => L.forward(i.a, i.b, i.c, i.m),
    gradInput: 'a',
  },
  {
    name: 'MultiHeadAttention(16, 4, 8) positional, key dims default to dims',
    py: 'nn.MultiHeadAttention(16, 4, 8, None, None, None, None, True)',
    js: () => new nn.MultiHeadAttention(16, 4, 8, null, null, null, null, true),
    inputs: { a: randn([1, 3, 8]), kv },
    pyCall: 'L(a, kv, kv)',
    jsCall: (L, i) => L.forward(i.a, i.kv, i.kv),
  },
  {
    name: 'TransformerEncoderLayer(16, 4) norm_first, causal mask',
    py: 'nn.TransformerEncoderLayer(16, 4)',
    js: () => new nn.TransformerEncoderLayer(16, 4),
    inputs: { x: q, m: causal5 },
    pyCall: 'L(x, m)',
    jsCall: (L, i) => L.forward(i.x, i.m),
    gradInput: 'x',
  },
  {
    name: 'TransformerEncoderLayer(16, 4, mlp_dims=24, activation=gelu, norm_first=False) no mask',
    py: 'nn.TransformerEncoderLayer(16, 4, mlp_dims=24, activation=nn.gelu, norm_first=False)',
    js: () => new nn.TransformerEncoderLayer(16, 4, { mlpDims: 24, activation: nn.gelu, normFirst: false }),
    inputs: { x: q },
    pyCall: 'L(x, None)',
    jsCall: (L, i) => L.forward(i.x, null),
    gradInput: 'x',
  },
  {
    name: 'TransformerEncoderLayer(16, 2, 32, 0.5) in eval mode',
    py: 'nn.TransformerEncoderLayer(16, 2, 32, 0.5)',
    js: () => new nn.TransformerEncoderLayer(16, 2, 32, 0.5),
    pyPost: 'L.eval()',
    jsPost: (L) => L.eval(),
    inputs: { x: q, m: causal5 },
    pyCall: 'L(x, m)',
    jsCall: (L, i) => L.forward(i.x, i.m),
  },
  {
    name: 'TransformerEncoderLayer(16, 2, dropout=0.25) training: same dropout masks',
    py: 'nn.TransformerEncoderLayer(16, 2, dropout=0.25)',
    js: () => new nn.TransformerEncoderLayer(16, 2, { dropout: 0.25 }),
    inputs: { x: q },
    pyCall: 'L(x, None)',
    jsCall: (L, i) => L.forward(i.x, null),
  },
  {
    name: 'TransformerEncoder(2, 16, 4) causal mask',
    py: 'nn.TransformerEncoder(2, 16, 4)',
    js: () => new nn.TransformerEncoder(2, 16, 4),
    inputs: { x: q, m: causal5 },
    pyCall: 'L(x, m)',
    jsCall: (L, i) => L.forward(i.x, i.m),
    gradInput: 'x',
  },
  {
    name: 'TransformerEncoder(2, 16, 4, norm_first=False, checkpoint=True)',
    py: 'nn.TransformerEncoder(2, 16, 4, norm_first=False, checkpoint=True)',
    js: () => new nn.TransformerEncoder(2, 16, 4, { normFirst: false, checkpoint: true }),
    inputs: { x: q, m: causal5 },
    pyCall: 'L(x, m)',
    jsCall: (L, i) => L.forward(i.x, i.m),
    gradInput: 'x',
  },
  {
    name: 'TransformerEncoder(1, 16, 4, 8, 0.0, nn.silu, True, True) mask None',
    py: 'nn.TransformerEncoder(1, 16, 4, 8, 0.0, nn.silu, True, True)',
    js: () => new nn.TransformerEncoder(1, 16, 4, 8, 0.0, nn.silu, true, true),
    inputs: { x: q },
    pyCall: 'L(x, None)',
    jsCall: (L, i) => L.forward(i.x, null),
  },
  {
    name: 'TransformerDecoderLayer(16, 4) masks',
    py: 'nn.TransformerDecoderLayer(16, 4)',
    js: () => new nn.TransformerDecoderLayer(16, 4),
    inputs: { x: q, mem: kv, m: causal5 },
    pyCall: 'L(x, mem, m, None)',
    jsCall: (L, i) => L.forward(i.x, i.mem, i.m, null),
    gradInput: 'x',
  },
  {
    name: 'TransformerDecoderLayer(16, 4, 20, norm_first=False, activation=gelu)',
    py: 'nn.TransformerDecoderLayer(16, 4, 20, norm_first=False, activation=nn.gelu)',
    js: () => new nn.TransformerDecoderLayer(16, 4, 20, { normFirst: false, activation: nn.gelu }),
    inputs: { x: q, mem: kv, m: causal5, mm: mx.greater(randn([5, 7]), -1) },
    pyCall: 'L(x, mem, m, mm)',
    jsCall: (L, i) => L.forward(i.x, i.mem, i.m, i.mm),
    gradInput: 'mem',
  },
  {
    name: 'TransformerDecoder(2, 16, 4)',
    py: 'nn.TransformerDecoder(2, 16, 4)',
    js: () => new nn.TransformerDecoder(2, 16, 4),
    inputs: { x: q, mem: kv, m: causal5 },
    pyCall: 'L(x, mem, m, None)',
    jsCall: (L, i) => L.forward(i.x, i.mem, i.m, null),
    gradInput: 'x',
  },
  {
    name: 'TransformerDecoder(2, 16, 2, norm_first=False, checkpoint=True)',
    py: 'nn.TransformerDecoder(2, 16, 2, norm_first=False, checkpoint=True)',
    js: () => new nn.TransformerDecoder(2, 16, 2, { normFirst: false, checkpoint: true }),
    inputs: { x: q, mem: kv, m: causal5 },
    pyCall: 'L(x, mem, m, None)',
    jsCall: (L, i) => L.forward(i.x, i.mem, i.m, null),
    gradInput: 'mem',
  },
  {
    name: 'Transformer(16, 4, 1, 2, mlp_dims=32)',
    py: 'nn.Transformer(16, 4, 1, 2, mlp_dims=32)',
    js: () => new nn.Transformer(16, 4, 1, 2, { mlpDims: 32 }),
    inputs: { src: kv, tgt: q, m: causal5 },
    pyCall: 'L(src, tgt, None, m, None)',
    jsCall: (L, i) => L.forward(i.src, i.tgt, null, i.m, null),
    gradInput: 'src',
  },
  {
    name: 'Transformer(dims=8, num_heads=2, 1, 1, norm_first=False, checkpoint=True)',
    py: 'nn.Transformer(dims=8, num_heads=2, num_encoder_layers=1, num_decoder_layers=1, norm_first=False, checkpoint=True)',
    js: () =>
      new nn.Transformer({
        dims: 8,
        numHeads: 2,
        numEncoderLayers: 1,
        numDecoderLayers: 1,
        normFirst: false,
        checkpoint: true,
      }),
    inputs: { src: randn([1, 6, 8]), tgt: randn([1, 5, 8]), m: causal5 },
    pyCall: 'L(src, tgt, None, m, None)',
    jsCall: (L, i) => L.forward(i.src, i.tgt, null, i.m, null),
    gradInput: 'tgt',
  },
  {
    name: 'Transformer(8, 2, 1, 1, custom_encoder=TransformerEncoder(2, 8, 2, norm_first=False))',
    py: 'nn.Transformer(8, 2, 1, 1, custom_encoder=nn.TransformerEncoder(2, 8, 2, norm_first=False))',
    js: () =>
      new nn.Transformer(8, 2, 1, 1, { customEncoder: new nn.TransformerEncoder(2, 8, 2, { normFirst: false }) }),
    inputs: { src: randn([1, 6, 8]), tgt: randn([1, 5, 8]) },
    pyCall: 'L(src, tgt, None, "causal", None)',
    jsCall: (L, i) => L.forward(i.src, i.tgt, null, 'causal', null),
  },

  // recurrent.py
  {
    name: 'RNN(5, 7)',
    py: 'nn.RNN(5, 7)',
    js: () => new nn.RNN(5, 7),
    inputs: { x: seqX },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'RNN(5, 6) with hidden',
    py: 'nn.RNN(5, 6)',
    js: () => new nn.RNN(5, 6),
    inputs: { x: seqX, h: h6 },
    pyCall: 'L(x, hidden=h)',
    jsCall: (L, i) => L.forward(i.x, { hidden: i.h }),
    gradInput: 'h',
  },
  {
    name: 'RNN(5, 6, bias=False, nonlinearity=my_act) unbatched with hidden',
    py: 'nn.RNN(5, 6, bias=False, nonlinearity=my_act)',
    js: () => new nn.RNN(5, 6, { bias: false, nonlinearity: myAct }),
    inputs: { x: seqX1, h: h6u },
    pyCall: 'L(x, h)',
    jsCall: (L, i) => L.forward(i.x, i.h),
    gradInput: 'x',
  },
  {
    name: 'RNN(5, 6, True, nn.relu)',
    py: 'nn.RNN(5, 6, True, nn.relu)',
    js: () => new nn.RNN(5, 6, true, nn.relu),
    inputs: { x: seqX },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    repr: false,
  },
  {
    name: 'GRU(5, 6)',
    py: 'nn.GRU(5, 6)',
    js: () => new nn.GRU(5, 6),
    inputs: { x: seqX },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'GRU(5, 6) with hidden',
    py: 'nn.GRU(5, 6)',
    js: () => new nn.GRU(5, 6),
    inputs: { x: seqX, h: h6 },
    pyCall: 'L(x, h)',
    jsCall: (L, i) => L.forward(i.x, i.h),
    gradInput: 'h',
  },
  {
    name: 'GRU(5, 6, bias=False) unbatched, with and without hidden',
    py: 'nn.GRU(5, 6, bias=False)',
    js: () => new nn.GRU(5, 6, { bias: false }),
    inputs: { x: seqX1, h: h6u },
    pyCall: '(L(x), L(x, hidden=h))',
    jsCall: (L, i) => [L.forward(i.x), L.forward(i.x, { hidden: i.h })],
    gradInput: 'x',
  },
  {
    name: 'LSTM(5, 6)',
    py: 'nn.LSTM(5, 6)',
    js: () => new nn.LSTM(5, 6),
    inputs: { x: seqX },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'LSTM(5, 6) with hidden and cell',
    py: 'nn.LSTM(5, 6)',
    js: () => new nn.LSTM(5, 6),
    inputs: { x: seqX, h: h6, c: c6 },
    pyCall: 'L(x, h, c)',
    jsCall: (L, i) => L.forward(i.x, i.h, i.c),
    gradInput: 'c',
  },
  {
    name: 'LSTM(5, 6, False) unbatched, cell only',
    py: 'nn.LSTM(5, 6, False)',
    js: () => new nn.LSTM(5, 6, false),
    inputs: { x: seqX1, c: h6u },
    pyCall: 'L(x, cell=c)',
    jsCall: (L, i) => L.forward(i.x, { cell: i.c }),
    gradInput: 'x',
  },

  // quantized.py
  {
    name: 'QuantizedLinear(64, 8)',
    py: 'nn.QuantizedLinear(64, 8)',
    js: () => new nn.QuantizedLinear(64, 8),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'QuantizedLinear(64, 8, bias=False, group_size=32, bits=8)',
    py: 'nn.QuantizedLinear(64, 8, bias=False, group_size=32, bits=8)',
    js: () => new nn.QuantizedLinear(64, 8, { bias: false, groupSize: 32, bits: 8 }),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  ...(['mxfp4', 'nvfp4', 'mxfp8'] as const).map((mode): Case => ({
    name: `QuantizedLinear(64, 16, mode=${mode})`,
    py: `nn.QuantizedLinear(64, 16, mode="${mode}")`,
    js: () => new nn.QuantizedLinear(64, 16, { mode }),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  })),
  {
    name: 'QuantizedLinear.from_linear(Linear(64, 16), 32, 4)',
    py: 'nn.QuantizedLinear.from_linear(nn.Linear(64, 16), 32, 4)',
    js: () => nn.QuantizedLinear.fromLinear(new nn.Linear(64, 16), 32, 4),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'QuantizedLinear.from_linear(Linear(64, 8, bias=False), mode="mxfp8")',
    py: 'nn.QuantizedLinear.from_linear(nn.Linear(64, 8, bias=False), mode="mxfp8")',
    js: () => nn.QuantizedLinear.fromLinear(new nn.Linear(64, 8, false), { mode: 'mxfp8' }),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'QuantizedEmbedding(16, 64)',
    py: 'nn.QuantizedEmbedding(16, 64)',
    js: () => new nn.QuantizedEmbedding(16, 64),
    inputs: { t: tokens, x: x64 },
    pyCall: '(L(t), L.as_linear(x))',
    jsCall: (L, i) => [L.forward(i.t), L.asLinear(i.x)],
    gradInput: 'x',
  },
  {
    name: 'QuantizedEmbedding(16, 64, 32, 8)',
    py: 'nn.QuantizedEmbedding(16, 64, 32, 8)',
    js: () => new nn.QuantizedEmbedding(16, 64, 32, 8),
    inputs: { t: tokens, x: x64 },
    pyCall: '(L(t), L.as_linear(x))',
    jsCall: (L, i) => [L.forward(i.t), L.asLinear(i.x)],
  },
  {
    name: 'QuantizedEmbedding(16, 64, mode=nvfp4)',
    py: 'nn.QuantizedEmbedding(16, 64, mode="nvfp4")',
    js: () => new nn.QuantizedEmbedding(16, 64, { mode: 'nvfp4' }),
    inputs: { t: tokens, x: x64 },
    pyCall: '(L(t), L.as_linear(x))',
    jsCall: (L, i) => [L.forward(i.t), L.asLinear(i.x)],
  },
  {
    name: 'QuantizedEmbedding.from_embedding(Embedding(16, 32), 32, 8)',
    py: 'nn.QuantizedEmbedding.from_embedding(nn.Embedding(16, 32), 32, 8)',
    js: () => nn.QuantizedEmbedding.fromEmbedding(new nn.Embedding(16, 32), 32, 8),
    inputs: { t: tokens },
    pyCall: 'L(t)',
    jsCall: (L, i) => L.forward(i.t),
  },
  {
    name: 'QuantizedEmbedding.from_embedding(Embedding(16, 64), mode="mxfp4")',
    py: 'nn.QuantizedEmbedding.from_embedding(nn.Embedding(16, 64), mode="mxfp4")',
    js: () => nn.QuantizedEmbedding.fromEmbedding(new nn.Embedding(16, 64), { mode: 'mxfp4' }),
    inputs: { t: tokens },
    pyCall: 'L(t)',
    jsCall: (L, i) => L.forward(i.t),
  },
  {
    name: 'QQLinear(64, 8) training (qqmm NYI on the CPU)',
    py: 'nn.QQLinear(64, 8)',
    js: () => new nn.QQLinear(64, 8),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'QQLinear.from_linear(Linear(64, 16, bias=False)) then eval(): quantized weight',
    py: 'nn.QQLinear.from_linear(nn.Linear(64, 16, bias=False))',
    js: () => nn.QQLinear.fromLinear(new nn.Linear(64, 16, false)),
    pyPost: 'L.eval()',
    jsPost: (L) => L.eval(),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'QQLinear(64, 8, mode=mxfp8): eval() then train(): dequantized weight',
    py: 'nn.QQLinear(64, 8, mode="mxfp8")',
    js: () => new nn.QQLinear(64, 8, { mode: 'mxfp8' }),
    pyPost: 'L.eval(); L.train()',
    jsPost: (L) => {
      L.eval();
      L.train();
    },
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'QQLinear.from_linear of a Linear in eval mode',
    py: 'nn.QQLinear.from_linear(nn.Linear(64, 8, bias=False).eval(), 32, 8, mode="mxfp8")',
    js: () => nn.QQLinear.fromLinear(new nn.Linear(64, 8, false).eval(), 32, 8, { mode: 'mxfp8' }),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },

  // nn.quantize
  {
    name: 'nn.quantize(MLP) defaults',
    py: 'MLP()',
    js: () => new MLP(),
    pyPost: 'nn.quantize(L)',
    jsPost: (L) => nn.quantize(L),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'nn.quantize(MLP, 32, 8)',
    py: 'MLP()',
    js: () => new MLP(),
    pyPost: 'nn.quantize(L, 32, 8)',
    jsPost: (L) => nn.quantize(L, 32, 8),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'nn.quantize(MLP, mode="mxfp4")',
    py: 'MLP()',
    js: () => new MLP(),
    pyPost: 'nn.quantize(L, mode="mxfp4")',
    jsPost: (L) => nn.quantize(L, { mode: 'mxfp4' }),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'nn.quantize(MLP, group_size=64, bits=2, class_predicate=options for layers.2, False for head)',
    py: 'MLP()',
    js: () => new MLP(),
    pyPost:
      'nn.quantize(L, group_size=64, bits=2, class_predicate=lambda p, m: {"group_size": 32, "bits": 8, "quantize_input": False} if p == "layers.2" else (p != "head" and hasattr(m, "to_quantized")))',
    jsPost: (L) =>
      nn.quantize(L, {
        groupSize: 64,
        bits: 2,
        classPredicate: (p: string, m: nn.Module) =>
          p === 'layers.2'
            ? { groupSize: 32, bits: 8, quantizeInput: false }
            : p !== 'head' && typeof (m as any).toQuantized === 'function',
      }),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'nn.quantize(MLP, mode="nvfp4", quantize_input=True, class_predicate=head): a QQLinear',
    py: 'MLP()',
    js: () => new MLP(),
    pyPost: 'nn.quantize(L, mode="nvfp4", quantize_input=True, class_predicate=lambda p, m: p == "head")',
    jsPost: (L) => nn.quantize(L, { mode: 'nvfp4', quantizeInput: true, classPredicate: (p: string) => p === 'head' }),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'nn.quantize(MLP, mode="mxfp8", quantize_input=True, class_predicate=head) then model.eval(): nested QQLinear quantized',
    py: 'MLP()',
    js: () => new MLP(),
    pyPost: 'nn.quantize(L, mode="mxfp8", quantize_input=True, class_predicate=lambda p, m: p == "head"); L.eval()',
    jsPost: (L) => {
      nn.quantize(L, { mode: 'mxfp8', quantizeInput: true, classPredicate: (p: string) => p === 'head' });
      L.eval();
    },
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'nn.quantize(EmbedMLP) defaults: Embedding and Linear layers',
    py: 'EmbedMLP()',
    js: () => new EmbedMLP(),
    pyPost: 'nn.quantize(L)',
    jsPost: (L) => nn.quantize(L),
    inputs: { t: tokens },
    pyCall: 'L(t)',
    jsCall: (L, i) => L.forward(i.t),
  },
  {
    name: 'nn.quantize(EmbedMLP, 32, 4, class_predicate=only the embedding)',
    py: 'EmbedMLP()',
    js: () => new EmbedMLP(),
    pyPost: 'nn.quantize(L, 32, 4, class_predicate=lambda p, m: isinstance(m, nn.Embedding))',
    jsPost: (L) => nn.quantize(L, 32, 4, { classPredicate: (_p: string, m: nn.Module) => m instanceof nn.Embedding }),
    inputs: { t: tokens },
    pyCall: 'L(t)',
    jsCall: (L, i) => L.forward(i.t),
  },
];

// ---------------------------------------------------------------------------
// The oracle: one Python process for all the cases.

interface PyCase {
  init: Array<[string, array]>;
  params: Array<[string, array]>;
  trainable: string[];
  repr: string;
  out: array[] | PyError;
  loss?: array | PyError;
  grads?: Array<[string, array]>;
  dx?: array;
}

const ORACLE = py<PyCase[]>(SETUP, {
  cases: cases.map((c, i) => ({
    py: c.py,
    post: c.pyPost ?? null,
    inputs: c.inputs,
    call: c.pyCall,
    grad_input: c.gradInput ?? null,
    seed: c.seed ?? i + 1,
  })),
});

describe('layers against Python mlx.nn', () => {
  cases.forEach((c, ci) => {
    describe(c.name, () => {
      const r = ORACLE[ci];
      let L: any;
      let init: Array<[string, array]> = [];
      let postError: unknown;
      // The layer after init, Python's parameters and the post step; the
      // tests after 'init' fail with the post step's error, if any.
      const build = () => {
        if (L === undefined) {
          mx.random.seed(c.seed ?? ci + 1);
          L = c.js();
          init = flattenArrays(L.parameters());
          L.loadWeights(r.init);
          try {
            c.jsPost?.(L);
          } catch (e) {
            postError = e;
          }
        }
        return L;
      };
      const built = () => {
        build();
        if (postError !== undefined) throw postError;
        return L;
      };

      test('init: same parameters under the same seed', () => {
        build();
        assertSamePairs(init, r.init, 'init');
      });

      test('parameters and trainable parameters', () => {
        assertSamePairs(flattenArrays(built().parameters()), r.params, 'parameters');
        assert.deepEqual(
          flattenArrays(built().trainableParameters()).map(([k]) => k),
          r.trainable,
        );
      });

      if (c.repr !== false) {
        test('String(layer) equals repr(layer)', () => {
          assert.equal(String(built()), r.repr);
        });
      }

      test('forward', () => {
        const layer = built();
        if (isPyError(r.out)) {
          const err = r.out;
          assert.throws(
            () => mx.eval(c.jsCall(layer, c.inputs)),
            (e: Error) => e.message.includes(err.message),
          );
          return;
        }
        assertSameOuts(c.jsCall(layer, c.inputs), r.out, 'output');
      });

      if (!isPyError(r.out)) {
        test('gradients (nn.valueAndGrad of the summed outputs, mx.grad of the input)', () => {
          const layer = built();
          const vg = nn.valueAndGrad(layer, () => sumLoss(c.jsCall(layer, c.inputs)));
          if (isPyError(r.loss)) {
            const err = r.loss;
            assert.throws(
              () => mx.eval(vg()),
              (e: Error) => e.message.includes(err.message),
            );
          } else {
            const [v, g] = vg();
            assertSameArray(v, r.loss!, 'loss');
            assertSamePairs(flattenArrays(g), r.grads!, 'grad');
          }
          if (c.gradInput) {
            const name = c.gradInput;
            const dx = mx.grad((x: array) => sumLoss(c.jsCall(layer, { ...c.inputs, [name]: x })))(c.inputs[name]!);
            assertSameArray(dx, r.dx!, `d/d${name}`);
          }
        });
      }
    });
  });
});

// ---------------------------------------------------------------------------
// Static helpers, errors, argument forms

const STATIC_CASES: Array<[string, () => unknown]> = [
  ['nn.MultiHeadAttention.create_additive_causal_mask(5)', () => nn.MultiHeadAttention.createAdditiveCausalMask(5)],
  [
    'nn.MultiHeadAttention.create_additive_causal_mask(4, mx.float16)',
    () => nn.MultiHeadAttention.createAdditiveCausalMask(4, mx.float16),
  ],
  [
    'nn.MultiHeadAttention.create_additive_causal_mask(3, dtype=mx.bfloat16)',
    () => nn.MultiHeadAttention.createAdditiveCausalMask(3, { dtype: mx.bfloat16 }),
  ],
  ['nn.MultiHeadAttention.create_additive_causal_mask(1)', () => nn.MultiHeadAttention.createAdditiveCausalMask(1)],
  ['nn.ALiBi.create_alibi_slope(8)', () => nn.ALiBi.createAlibiSlope(8)],
  ['nn.ALiBi.create_alibi_slope(12)', () => nn.ALiBi.createAlibiSlope(12)],
  ['nn.ALiBi.create_alibi_slope(5, dtype=mx.float16)', () => nn.ALiBi.createAlibiSlope(5, { dtype: mx.float16 })],
  ['nn.ALiBi.create_alibi_slope(1)', () => nn.ALiBi.createAlibiSlope(1)],
  ['nn.ALiBi.create_alibi_slope(24)', () => nn.ALiBi.createAlibiSlope(24)],
  ['nn.ALiBi.create_alibi_matrix(4, 4, 4)', () => nn.ALiBi.createAlibiMatrix(4, 4, 4)],
  [
    'nn.ALiBi.create_alibi_matrix(6, 7, 6, offset=2, dtype=mx.float16)',
    () => nn.ALiBi.createAlibiMatrix(6, 7, 6, { offset: 2, dtype: mx.float16 }),
  ],
  [
    'nn.ALiBi.create_alibi_matrix(q_sequence_length=3, k_sequence_length=3, num_heads=3, offset=0, dtype=mx.bfloat16)',
    () => nn.ALiBi.createAlibiMatrix(3, 3, 3, 0, mx.bfloat16),
  ],
  ['nn.SinusoidalPositionalEncoding(12)._sigmas', () => new nn.SinusoidalPositionalEncoding(12)._sigmas],
  ['nn.SinusoidalPositionalEncoding(12).scale', () => new nn.SinusoidalPositionalEncoding(12).scale],
  [
    'nn.SinusoidalPositionalEncoding(10, full_turns=True)._sigmas',
    () => new nn.SinusoidalPositionalEncoding(10, { fullTurns: true })._sigmas,
  ],
  ['repr(nn.Transformer())', () => String(new nn.Transformer())],
  [
    '[[k, list(v.shape)] for k, v in tree_flatten(nn.Transformer().parameters())]',
    () => flattenArrays(new nn.Transformer().parameters()).map(([k, v]) => [k, v.shape]),
  ],
  ['repr(nn.QuantizedLinear(128, 8, False, 32, 2))', () => String(new nn.QuantizedLinear(128, 8, false, 32, 2))],
  ['repr(nn.QQLinear(64, 8, 32, 8, "mxfp8").eval())', () => String(new nn.QQLinear(64, 8, 32, 8, 'mxfp8').eval())],
];

const STATIC = pyEach(
  STATIC_CASES.map(([e]) => e),
  {},
  SETUP.split('def _tup')[0],
);

describe('static helpers and defaults', () => {
  STATIC_CASES.forEach(([expr, f], i) => {
    test(expr, () => {
      const got = f();
      const expected = STATIC[i];
      assert.ok(!isPyError(expected), `Python raised: ${JSON.stringify(expected)}`);
      if (got instanceof mx.array) assertSameArray(got, expected as array);
      else assert.deepEqual(got, expected);
    });
  });

  test('_sigmas is not a parameter', () => {
    assert.deepEqual(new nn.SinusoidalPositionalEncoding(12).parameters(), {});
  });
});

const ERRORS: Array<[string, () => unknown]> = [
  ['nn.MultiHeadAttention(10, 3)', () => new nn.MultiHeadAttention(10, 3)],
  ['nn.SinusoidalPositionalEncoding(3)', () => new nn.SinusoidalPositionalEncoding(3)],
  ['nn.SinusoidalPositionalEncoding(0)', () => new nn.SinusoidalPositionalEncoding(0)],
  ['nn.RNN(3, 4, nonlinearity=5)', () => new nn.RNN(3, 4, { nonlinearity: 5 as any })],
  ['nn.QuantizedLinear(64, 8, mode="int4")', () => new nn.QuantizedLinear(64, 8, { mode: 'int4' })],
  ['nn.QuantizedEmbedding(8, 64, mode="fp8")', () => new nn.QuantizedEmbedding(8, 64, { mode: 'fp8' })],
  ['nn.QQLinear(64, 8, mode="bad")', () => new nn.QQLinear(64, 8, { mode: 'bad' })],
  ['nn.QQLinear.from_linear(nn.Linear(64, 8))', () => nn.QQLinear.fromLinear(new nn.Linear(64, 8))],
  [
    'nn.quantize(MLP(), class_predicate=lambda p, m: True)',
    () => nn.quantize(new MLP(), { classPredicate: () => true }),
  ],
  [
    'nn.quantize(MLP(), class_predicate=lambda p, m: 1)',
    () => nn.quantize(new MLP(), { classPredicate: () => 1 as any }),
  ],
  ['nn.quantize(MLP(), mode="affine", quantize_input=True)', () => nn.quantize(new MLP(), { quantizeInput: true })],
  [
    'nn.Linear(64, 8).to_quantized(quantize_input=True)',
    () => (new nn.Linear(64, 8) as any).toQuantized({ quantizeInput: true }),
  ],
];

const ERR_ORACLE = pyEach(
  ERRORS.map(([e]) => e),
  {},
  SETUP.split('def _tup')[0],
) as PyError[];

describe('errors', () => {
  ERRORS.forEach(([expr, f], i) => {
    test(expr, () => {
      const expected = ERR_ORACLE[i];
      assert.ok(isPyError(expected), `Python did not raise: ${String(expected)}`);
      const cls = expected.$error === 'TypeError' ? TypeError : Error;
      assert.throws(f, (e: Error) => {
        assert.ok(e instanceof cls, `${e.constructor.name} is not ${cls.name}`);
        // Python shows the class of the module as <class 'mlx.nn.layers.activations.ReLU'>.
        const msg = expected.message.replace(/<class '[\w.]*\.(\w+)'>/, '$1');
        assert.equal(e.message, msg);
        return true;
      });
    });
  });

  test('quantize takes at most groupSize and bits positionally (mode is keyword-only in Python)', () => {
    assert.throws(() => (nn.quantize as any)(new MLP(), 32, 8, 'affine'), TypeError);
  });
});

describe('argument forms', () => {
  test('positional and options arguments give the same layer', () => {
    mx.random.seed(7);
    const a = new nn.MultiHeadAttention(16, 4, null, null, null, 8, 12, true);
    mx.random.seed(7);
    const b = new nn.MultiHeadAttention(16, 4, { valueDims: 8, valueOutputDims: 12, bias: true });
    assertSamePairs(flattenArrays(a.parameters()), flattenArrays(b.parameters()), 'MHA');
    assert.equal(String(a), String(b));
    mx.random.seed(8);
    const t1 = new nn.TransformerEncoderLayer(8, 2, 16, 0.1, nn.gelu, false);
    mx.random.seed(8);
    const t2 = new nn.TransformerEncoderLayer(8, 2, {
      mlpDims: 16,
      dropout: 0.1,
      activation: nn.gelu,
      normFirst: false,
    });
    assert.equal(t1.normFirst, t2.normFirst);
    assert.equal(t1.activation, t2.activation);
    assertSamePairs(flattenArrays(t1.parameters()), flattenArrays(t2.parameters()), 'encoder layer');
  });

  test('the activation and options are not parameters; layers.N paths', () => {
    const enc = new nn.TransformerEncoder(2, 8, 2, { checkpoint: true });
    assert.deepEqual(
      flattenArrays(enc.parameters())
        .map(([k]) => k)
        .filter((k) => !k.startsWith('layers.0.') && !k.startsWith('layers.1.')),
      ['ln.weight', 'ln.bias'],
    );
    assert.equal(enc.checkpoint, true);
  });
});
