// mlx.nn distributed layers (lib/nn/layers/distributed.ts) against Python
// mlx.nn 0.32.4 (mlx/nn/layers/distributed.py).
//
// 1. MLXDistributedCommonTestCase: the cases of python/tests/mlx_distributed_tests.py
//    about these layers that run in one process (the world group has size 1
//    here): test_shard_linear, test_shard_predicate. Not ported:
//    test_average_gradients, test_all_reduce, test_all_gather*, test_donation,
//    test_clip_grad_norm_sharded, test_jaccl_* (mx.distributed and nn.utils,
//    not this file); test_shard_linear_uneven*, test_shard_inplace_uneven
//    (the `sizes` argument and uneven splits are newer than 0.32.4, whose
//    shard_linear has no `sizes` and raises on uneven splits).
// 2. Layers against the oracle, group of size 1: each layer is built in Python
//    and in mlx-node under the same seed; the initial parameters, the
//    parameters and trainable paths (after an optional post step), the repr,
//    the forward outputs, nn.valueAndGrad (loss and every gradient) and
//    mx.grad of the input must be bit-identical.
// 3. Sharding on a stand-in group of size N (Python's _FakeGroup: only size()
//    and rank()), so every rank's shard of the axis/segments logic is
//    compared with Python's in one process: shardLinear, shardInplace (string
//    and predicate shardings, integer/list/fractional segments), the
//    quantized layers' weight/scales/biases, FullyShardedModule's shards,
//    _paths and repr, fullyShard's choice, and the error messages.
//
// Not testable here: the communication of a group of size > 1 (allSum in
// ShardedToAllLinear, sumGradients' vjp, FullyShardedModule's all-gather /
// sum-scatter for N > 1) needs several processes; with a size-1 group the
// gather function's custom vjp (sumScatter / N) still runs and is compared.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { mx, nn } from '../lib/index';
import type { array, Group } from '../lib/index';
import { assertSameArray, isPyError, py } from './helpers/mlx_tests';
import { assertSameOuts, assertSamePairs, flattenArrays, RUN_LAYER_CASE_PY, sumLoss } from './helpers/layer_cases';
import type { Out } from './helpers/layer_cases';
import type { PyError } from './helpers/mlx_tests';

/** Python's _FakeGroup: a group that only reports its size and rank. */
class FakeGroup implements Group {
  #size: number;
  #rank: number;
  constructor(size: number, rank: number) {
    this.#size = size;
    this.#rank = rank;
  }
  size(): number {
    return this.#size;
  }
  rank(): number {
    return this.#rank;
  }
  split(): Group {
    throw new Error('FakeGroup.split');
  }
}
const fg = (n: number, r: number) => new FakeGroup(n, r);

// ---------------------------------------------------------------------------
// 1. The port of python/tests/mlx_distributed_tests.py

class MyConv extends nn.Module {
  aggregate: boolean;
  conv: nn.Conv2d;
  constructor(inChannels: number, outChannels: number, options: { kernelSize: number; aggregate?: boolean }) {
    super();
    this.aggregate = options.aggregate ?? false;
    this.conv = new nn.Conv2d(inChannels, outChannels, options.kernelSize);
  }
  forward(x: array): array {
    x = this.conv.forward(x);
    if (this.aggregate) x = mx.distributed.allSum(x);
    return x;
  }
}

describe('MLXDistributedCommonTestCase', () => {
  test('test_shard_linear', () => {
    // Seed the prng to have the same inputs and weights generated everywhere
    mx.random.seed(0xf0f0f0f0);

    // Prepare inputs
    const world = mx.distributed.init();
    const cols = (n: number) => `${(world.rank() * n) / world.size()}:${((world.rank() + 1) * n) / world.size()}`;
    const part = [':', cols(1024)] as const;
    let x = mx.random.normal([4, 1024]);

    // Create and shard some linear layers
    const lin = new nn.Linear(1024, 1024, { bias: true });
    let slin1: nn.Module = nn.shardLinear(lin, 'all-to-sharded');
    let slin2: nn.Module = nn.shardLinear(lin, 'sharded-to-all');
    let y = lin.forward(x);
    let y1 = slin1.forward(x);
    let y2 = slin2.forward(x.index(...part));
    assert.ok(mx.allclose(y, y2, { atol: 1e-6, rtol: 1e-4 }).item());
    assert.ok(mx.allclose(y.index(...part), y1).item());

    // And their quant versions
    const qlin = lin.toQuantized() as nn.QuantizedLinear;
    slin1 = nn.shardLinear(qlin, 'all-to-sharded');
    slin2 = nn.shardLinear(qlin, 'sharded-to-all');
    y = qlin.forward(x);
    y1 = slin1.forward(x);
    y2 = slin2.forward(x.index(...part));
    assert.ok(mx.allclose(y, y2, { atol: 1e-6, rtol: 1e-4 }).item());
    assert.ok(mx.allclose(y.index(...part), y1).item());

    // Test non-affine quantization modes (mxfp8)
    const qlinMxfp8 = lin.toQuantized({ groupSize: 32, bits: 8, mode: 'mxfp8' }) as nn.QuantizedLinear;
    assert.equal(qlinMxfp8.mode, 'mxfp8');

    const slin1Mxfp8 = nn.shardLinear(qlinMxfp8, 'all-to-sharded') as nn.QuantizedAllToShardedLinear;
    const slin2Mxfp8 = nn.shardLinear(qlinMxfp8, 'sharded-to-all') as nn.QuantizedShardedToAllLinear;

    // Verify mode is propagated
    assert.equal(slin1Mxfp8.mode, 'mxfp8');
    assert.equal(slin2Mxfp8.mode, 'mxfp8');

    // Verify biases parameter is not set for mxfp8
    assert.equal(slin1Mxfp8.biases, undefined);
    assert.equal(slin2Mxfp8.biases, undefined);
    assert.ok(!slin1Mxfp8.has('biases') && !slin2Mxfp8.has('biases'));

    y = qlinMxfp8.forward(x);
    y1 = slin1Mxfp8.forward(x);
    y2 = slin2Mxfp8.forward(x.index(...part));
    assert.ok(mx.allclose(y, y2, { atol: 1e-6, rtol: 1e-4 }).item());
    assert.ok(mx.allclose(y.index(...part), y1).item());

    // Check the backward works as expected
    const dummyLoss = (model: nn.Module, x: array, y: array) => mx.multiply(model.forward(x), y).sum();

    const mod = new nn.Sequential(
      new nn.Linear(128, 128),
      new nn.Linear(128, 128),
      new nn.Linear(128, 128),
      new nn.Linear(128, 128),
    );
    const layers = mod.layers as nn.Module[];
    const smod = new nn.Sequential(
      nn.shardLinear(layers[0], 'all-to-sharded'),
      nn.shardLinear(layers[1], 'sharded-to-all'),
      nn.shardLinear(layers[2], 'all-to-sharded'),
      nn.shardLinear(layers[3], 'sharded-to-all'),
    );

    const grad1 = nn.valueAndGrad(mod, dummyLoss);
    const grad2 = nn.valueAndGrad(smod, dummyLoss);

    x = mx.random.normal([4, 128]);
    y = mx.random.normal([4, 128]);

    const [l1, g1] = grad1(mod, x, y);
    const [l2, g2] = grad2(smod, x, y);
    mx.eval(l1, g1, l2, g2);

    const rows = cols(128);
    const close = (a: array, b: array) => assert.ok(mx.allclose(a, b, { atol: 1e-6, rtol: 1e-4 }).item());
    assert.ok(mx.allclose(l1, l2).item());
    close(g1.layers[0].weight.index(rows), g2.layers[0].weight);
    close(g1.layers[2].weight.index(rows), g2.layers[2].weight);
    close(g1.layers[1].weight.index(':', rows), g2.layers[1].weight);
    close(g1.layers[3].weight.index(':', rows), g2.layers[3].weight);
    close(g1.layers[0].bias.index(rows), g2.layers[0].bias);
    close(g1.layers[2].bias.index(rows), g2.layers[2].bias);
    close(g1.layers[1].bias, g2.layers[1].bias);
    close(g1.layers[3].bias, g2.layers[3].bias);
  });

  test('test_shard_predicate', () => {
    mx.random.seed(0xf0f0f0f0);

    const sharding = (path: string) => {
      const parts = path.split('.');
      const even = parseInt(parts[1], 10) % 2 === 0;
      if (even) return 0;
      return parts[parts.length - 1] !== 'bias' ? -1 : null;
    };

    const mod = new nn.Sequential(
      new MyConv(3, 128, { kernelSize: 3 }),
      new MyConv(128, 128, { kernelSize: 3 }),
      new MyConv(128, 128, { kernelSize: 3 }),
      new MyConv(128, 3, { kernelSize: 3 }),
    );
    const smod = new nn.Sequential(
      new MyConv(3, 128, { kernelSize: 3 }),
      new MyConv(128, 128, { kernelSize: 3, aggregate: true }),
      new MyConv(128, 128, { kernelSize: 3 }),
      new MyConv(128, 3, { kernelSize: 3, aggregate: true }),
    );
    smod.update(mod.parameters());
    nn.shardInplace(smod, sharding);

    const x = mx.random.normal([4, 16, 16, 3]);
    const y1 = mod.forward(x);
    const y2 = smod.forward(x);
    assert.ok(mx.allclose(y1, y2, { atol: 1e-6, rtol: 1e-4 }).item());
  });
});

// ---------------------------------------------------------------------------
// The oracle's setup (Python side of sections 2 and 3)

const SETUP = `
import functools
import mlx.nn as nn
from mlx.nn.layers.distributed import (
    AllToShardedLinear, ShardedToAllLinear, QuantizedAllToShardedLinear,
    QuantizedShardedToAllLinear, FullyShardedModule, fully_shard,
    shard_linear, shard_inplace, sum_gradients,
)
from mlx.utils import tree_flatten

class _FakeGroup:
    def __init__(self, size, rank):
        self._size = size
        self._rank = rank
    def size(self):
        return self._size
    def rank(self):
        return self._rank

fg = _FakeGroup

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8)]
        self.head = nn.Linear(8, 4, bias=False)
    def __call__(self, x):
        for l in self.layers:
            x = l(x)
        return self.head(x)

class WithScalar(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)
        self.s = mx.array(1.0)
    def __call__(self, x):
        return self.lin(x) * self.s

def _inplace(m, sharding, **kw):
    shard_inplace(m, sharding, **kw)
    return m

def _unfrozen(m):
    m.unfreeze()
    return m

${RUN_LAYER_CASE_PY}

def run_struct(c):
    try:
        mx.random.seed(c["seed"])
        L = eval(c["py"])
        return {
            "type": type(L).__name__,
            "repr": repr(L),
            "params": tree_flatten(L.parameters()),
            "trainable": [k for k, _ in tree_flatten(L.trainable_parameters())],
            "paths": getattr(L, "_paths", None),
        }
    except Exception as e:
        return _err(e)

out = {
    "cases": [run_case(c) for c in cases],
    "structs": [run_struct(c) for c in structs],
    "misc": {
        "sum_gradients_identity": sum_gradients(mx.distributed.init())(xs) is xs,
        "fully_shard_identity": (lambda m: fully_shard(m) is m)(MLP()),
        "fully_shard_fsdp": (lambda m: fully_shard(m, group=fg(2, 0)) is m)(FullyShardedModule(MLP(), group=fg(2, 0))),
        "fully_shard_no_params": (lambda m: fully_shard(m, group=fg(2, 0)) is m)(nn.ReLU()),
    },
}
`;

// JS twins of the Python helpers
class MLP extends nn.Module {
  layers: nn.Module[] = [new nn.Linear(16, 32), new nn.ReLU(), new nn.Linear(32, 8)];
  head = new nn.Linear(8, 4, false);
  forward(x: array): array {
    for (const l of this.layers) x = l.forward(x);
    return this.head.forward(x);
  }
}
class WithScalar extends nn.Module {
  lin = new nn.Linear(4, 4);
  s = mx.array(1.0);
  forward(x: array): array {
    return mx.multiply(this.lin.forward(x), this.s);
  }
}
function inplace(m: nn.Module, sharding: Parameters<typeof nn.shardInplace>[1], options?: nn.ShardOptions): nn.Module {
  nn.shardInplace(m, sharding, options);
  return m;
}

// ---------------------------------------------------------------------------
// 2. Layers against the oracle (group of size 1)

type Inputs = Record<string, array>;
interface Case {
  name: string;
  py: string;
  js: () => nn.Module;
  pyPost?: string;
  jsPost?: (L: any) => void;
  inputs: Inputs;
  pyCall: string;
  jsCall: (L: any, i: Inputs) => Out;
  gradInput?: string;
}

let keyNo = 2000;
const randn = (shape: number[]): array => mx.random.normal(shape, mx.float32, { key: mx.random.key(keyNo++) });
const x16 = randn([3, 16]);
const x64 = randn([2, 5, 64]);
const tokens = mx.random.randint(0, 16, [2, 3], { key: mx.random.key(keyNo++) });

const cases: Case[] = [
  {
    name: 'AllToShardedLinear(16, 8)',
    py: 'AllToShardedLinear(16, 8)',
    js: () => new nn.AllToShardedLinear(16, 8),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'AllToShardedLinear(16, 8, False) positional bias',
    py: 'AllToShardedLinear(16, 8, False)',
    js: () => new nn.AllToShardedLinear(16, 8, false),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'ShardedToAllLinear(16, 8, group=mx.distributed.init())',
    py: 'ShardedToAllLinear(16, 8, group=mx.distributed.init())',
    js: () => new nn.ShardedToAllLinear(16, 8, { group: mx.distributed.init() }),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'ShardedToAllLinear(16, 8, bias=False)',
    py: 'ShardedToAllLinear(16, 8, bias=False)',
    js: () => new nn.ShardedToAllLinear(16, 8, { bias: false }),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'AllToShardedLinear.from_linear(nn.Linear(16, 12), segments=3)',
    py: 'AllToShardedLinear.from_linear(nn.Linear(16, 12), segments=3)',
    js: () => nn.AllToShardedLinear.fromLinear(new nn.Linear(16, 12), { segments: 3 }),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'ShardedToAllLinear.from_linear(nn.Linear(16, 12, bias=False), segments=[0.25, 0.5])',
    py: 'ShardedToAllLinear.from_linear(nn.Linear(16, 12, bias=False), segments=[0.25, 0.5])',
    js: () => nn.ShardedToAllLinear.fromLinear(new nn.Linear(16, 12, false), { segments: [0.25, 0.5] }),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'shard_linear(nn.Linear(16, 8), "all-to-sharded")',
    py: 'shard_linear(nn.Linear(16, 8), "all-to-sharded")',
    js: () => nn.shardLinear(new nn.Linear(16, 8), 'all-to-sharded'),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'shard_linear(nn.Linear(16, 8), "sharded-to-all", segments=[4, 12])',
    py: 'shard_linear(nn.Linear(16, 8), "sharded-to-all", segments=[4, 12])',
    js: () => nn.shardLinear(new nn.Linear(16, 8), 'sharded-to-all', { segments: [4, 12] }),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'QuantizedAllToShardedLinear(64, 8) defaults',
    py: 'QuantizedAllToShardedLinear(64, 8)',
    js: () => new nn.QuantizedAllToShardedLinear(64, 8),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'QuantizedShardedToAllLinear(64, 8, False, 32, 8) then unfreeze()',
    py: 'QuantizedShardedToAllLinear(64, 8, False, 32, 8)',
    js: () => new nn.QuantizedShardedToAllLinear(64, 8, false, 32, 8),
    pyPost: 'L.unfreeze()',
    jsPost: (L) => L.unfreeze(),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'QuantizedShardedToAllLinear(64, 8, group_size=32, bits=8, mode="mxfp8")',
    py: 'QuantizedShardedToAllLinear(64, 8, group_size=32, bits=8, mode="mxfp8")',
    js: () => new nn.QuantizedShardedToAllLinear(64, 8, { groupSize: 32, bits: 8, mode: 'mxfp8' }),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'QuantizedAllToShardedLinear.from_quantized_linear(Linear(64, 12) 32/4, segments=3), bias unfrozen',
    py: 'QuantizedAllToShardedLinear.from_quantized_linear(nn.Linear(64, 12).to_quantized(group_size=32, bits=4), segments=3)',
    js: () =>
      nn.QuantizedAllToShardedLinear.fromQuantizedLinear(
        new nn.Linear(64, 12).toQuantized({ groupSize: 32, bits: 4 }) as nn.Module,
        { segments: 3 },
      ),
    pyPost: 'L.unfreeze(keys=["bias"])',
    jsPost: (L) => L.unfreeze({ keys: ['bias'] }),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'shard_linear(Linear(64, 8).to_quantized(), "all-to-sharded")',
    py: 'shard_linear(nn.Linear(64, 8).to_quantized(), "all-to-sharded")',
    js: () => nn.shardLinear(new nn.Linear(64, 8).toQuantized() as nn.Module, 'all-to-sharded'),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'shard_linear(Linear(64, 8).to_quantized(group_size=32, bits=8, mode="mxfp8"), "sharded-to-all")',
    py: 'shard_linear(nn.Linear(64, 8).to_quantized(group_size=32, bits=8, mode="mxfp8"), "sharded-to-all")',
    js: () =>
      nn.shardLinear(
        new nn.Linear(64, 8).toQuantized({ groupSize: 32, bits: 8, mode: 'mxfp8' }) as nn.Module,
        'sharded-to-all',
      ),
    inputs: { x: x64 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'FullyShardedModule(MLP()): gathered forward, gradients through the gather vjp',
    py: 'FullyShardedModule(MLP())',
    js: () => new nn.FullyShardedModule(new MLP()),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'FullyShardedModule(MLP(), None, mx.float16): compute dtype',
    py: 'FullyShardedModule(MLP(), None, mx.float16)',
    js: () => new nn.FullyShardedModule(new MLP(), null, mx.float16),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
    gradInput: 'x',
  },
  {
    name: 'FullyShardedModule(MLP(), compute_dtype=mx.bfloat16), half of it frozen',
    py: 'FullyShardedModule(MLP(), compute_dtype=mx.bfloat16)',
    js: () => new nn.FullyShardedModule(new MLP(), { computeDtype: mx.bfloat16 }),
    pyPost: 'L.module.layers[0].freeze()',
    jsPost: (L) => L.module.layers[0].freeze(),
    inputs: { x: x16 },
    pyCall: 'L(x)',
    jsCall: (L, i) => L.forward(i.x),
  },
  {
    name: 'FullyShardedModule(nn.Embedding(16, 64)): forward and as_linear',
    py: 'FullyShardedModule(nn.Embedding(16, 64))',
    js: () => new nn.FullyShardedModule(new nn.Embedding(16, 64)),
    inputs: { t: tokens, x: x64 },
    pyCall: '[L(t), L.as_linear(x)]',
    jsCall: (L, i) => [L.forward(i.t), L.asLinear(i.x)],
    gradInput: 'x',
  },
  {
    // Python concatenates the uint32 weight with the float scales in the
    // gather (promoted to float32), so the quantized weight is no longer
    // uint32: the same error on both sides.
    name: 'FullyShardedModule(nn.QuantizedEmbedding(16, 64)): forward and as_linear (Python raises)',
    py: 'FullyShardedModule(nn.QuantizedEmbedding(16, 64))',
    js: () => new nn.FullyShardedModule(new nn.QuantizedEmbedding(16, 64)),
    inputs: { t: tokens, x: x64 },
    pyCall: '[L(t), L.as_linear(x)]',
    jsCall: (L, i) => [L.forward(i.t), L.asLinear(i.x)],
    gradInput: 'x',
  },
];

// ---------------------------------------------------------------------------
// 3. Sharding on stand-in groups of size N, and the errors

interface Struct {
  name: string;
  py: string;
  js: () => nn.Module;
}

const structs: Struct[] = [];
for (const n of [2, 3]) {
  for (let r = 0; r < n; r++) {
    structs.push(
      {
        name: `shard_linear(nn.Linear(8, 12), "all-to-sharded", group=fg(${n}, ${r}))`,
        py: `shard_linear(nn.Linear(8, 12), "all-to-sharded", group=fg(${n}, ${r}))`,
        js: () => nn.shardLinear(new nn.Linear(8, 12), 'all-to-sharded', { group: fg(n, r) }),
      },
      {
        name: `shard_linear(nn.Linear(12, 8), "sharded-to-all", group=fg(${n}, ${r}))`,
        py: `shard_linear(nn.Linear(12, 8), "sharded-to-all", group=fg(${n}, ${r}))`,
        js: () => nn.shardLinear(new nn.Linear(12, 8), 'sharded-to-all', { group: fg(n, r) }),
      },
      {
        name: `AllToShardedLinear.from_linear(nn.Linear(8, 24), segments=2, group=fg(${n}, ${r}))`,
        py: `AllToShardedLinear.from_linear(nn.Linear(8, 24), segments=2, group=fg(${n}, ${r}))`,
        js: () => nn.AllToShardedLinear.fromLinear(new nn.Linear(8, 24), { segments: 2, group: fg(n, r) }),
      },
      {
        name: `ShardedToAllLinear.from_linear(nn.Linear(24, 4, bias=False), segments=[6, 12], group=fg(${n}, ${r}))`,
        py: `ShardedToAllLinear.from_linear(nn.Linear(24, 4, bias=False), segments=[6, 12], group=fg(${n}, ${r}))`,
        js: () => nn.ShardedToAllLinear.fromLinear(new nn.Linear(24, 4, false), { segments: [6, 12], group: fg(n, r) }),
      },
      {
        name: `shard_linear(Linear(192, 12).to_quantized(32, 4), "sharded-to-all", group=fg(${n}, ${r}))`,
        py: `shard_linear(nn.Linear(192, 12).to_quantized(group_size=32, bits=4), "sharded-to-all", group=fg(${n}, ${r}))`,
        js: () =>
          nn.shardLinear(
            new nn.Linear(192, 12).toQuantized({ groupSize: 32, bits: 4 }) as nn.Module,
            'sharded-to-all',
            {
              group: fg(n, r),
            },
          ),
      },
      {
        name: `shard_linear(Linear(64, 12).to_quantized(32, 4), "all-to-sharded", group=fg(${n}, ${r}))`,
        py: `shard_linear(nn.Linear(64, 12).to_quantized(group_size=32, bits=4), "all-to-sharded", group=fg(${n}, ${r}))`,
        js: () =>
          nn.shardLinear(new nn.Linear(64, 12).toQuantized({ groupSize: 32, bits: 4 }) as nn.Module, 'all-to-sharded', {
            group: fg(n, r),
          }),
      },
      {
        name: `shard_inplace(MLP(), "all-to-sharded", segments=2, group=fg(2, ${r % 2}))`,
        py: `_inplace(MLP(), "all-to-sharded", segments=2, group=fg(2, ${r % 2}))`,
        js: () => inplace(new MLP(), 'all-to-sharded', { segments: 2, group: fg(2, r % 2) }),
      },
      {
        name: `shard_inplace(Linear(12, 16), predicate: weight (0, [0.25, 0.5]), bias -1, group=fg(2, ${r % 2}))`,
        py: `_inplace(nn.Linear(12, 16), lambda p, w: (0, [0.25, 0.5]) if p == "weight" else -1, group=fg(2, ${r % 2}))`,
        js: () =>
          inplace(new nn.Linear(12, 16), (p: string) => (p === 'weight' ? [0, [0.25, 0.5]] : -1), {
            group: fg(2, r % 2),
          }),
      },
      {
        name: `shard_inplace(Conv2d(3, 6, 3), predicate: axis -1 for weight, None for bias, group=fg(${n}, ${r}))`,
        py: `_inplace(nn.Conv2d(3, 6, 3), lambda p, w: -1 if p == "weight" else None, group=fg(${n}, ${r}))`,
        js: () => inplace(new nn.Conv2d(3, 6, 3), (p: string) => (p === 'weight' ? -1 : null), { group: fg(n, r) }),
      },
      {
        name: `FullyShardedModule(MLP(), group=fg(2, ${r % 2}))`,
        py: `FullyShardedModule(MLP(), group=fg(2, ${r % 2}))`,
        js: () => new nn.FullyShardedModule(new MLP(), { group: fg(2, r % 2) }),
      },
    );
  }
}
structs.push(
  {
    name: 'shard_linear(Linear(128, 16).to_quantized(32, 4), "sharded-to-all", group=fg(4, 3))',
    py: 'shard_linear(nn.Linear(128, 16).to_quantized(group_size=32, bits=4), "sharded-to-all", group=fg(4, 3))',
    js: () =>
      nn.shardLinear(new nn.Linear(128, 16).toQuantized({ groupSize: 32, bits: 4 }) as nn.Module, 'sharded-to-all', {
        group: fg(4, 3),
      }),
  },
  {
    name: 'shard_linear(Linear(64, 8).to_quantized(32, 8, "mxfp8"), "all-to-sharded", segments=2, group=fg(2, 1))',
    py: 'shard_linear(nn.Linear(64, 8).to_quantized(group_size=32, bits=8, mode="mxfp8"), "all-to-sharded", segments=2, group=fg(2, 1))',
    js: () =>
      nn.shardLinear(
        new nn.Linear(64, 8).toQuantized({ groupSize: 32, bits: 8, mode: 'mxfp8' }) as nn.Module,
        'all-to-sharded',
        { segments: 2, group: fg(2, 1) },
      ),
  },
  {
    name: 'FullyShardedModule(nested FullyShardedModule kept whole, group=fg(2, 1))',
    py: 'FullyShardedModule(nn.Sequential(FullyShardedModule(nn.Linear(4, 4), group=fg(2, 0)), nn.Linear(4, 2)), group=fg(2, 1))',
    js: () =>
      new nn.FullyShardedModule(
        new nn.Sequential(new nn.FullyShardedModule(new nn.Linear(4, 4), { group: fg(2, 0) }), new nn.Linear(4, 2)),
        { group: fg(2, 1) },
      ),
  },
  {
    name: 'fully_shard(MLP(), group=fg(2, 1))',
    py: 'fully_shard(MLP(), group=fg(2, 1))',
    js: () => nn.fullyShard(new MLP(), { group: fg(2, 1) }),
  },
  {
    name: 'fully_shard(QuantizedEmbedding(16, 64), group=fg(4, 2), compute_dtype=mx.float16)',
    py: 'fully_shard(nn.QuantizedEmbedding(16, 64), group=fg(4, 2), compute_dtype=mx.float16)',
    js: () => nn.fullyShard(new nn.QuantizedEmbedding(16, 64), { group: fg(4, 2), computeDtype: mx.float16 }),
  },
  {
    name: 'fully_shard(nn.ReLU(), group=fg(2, 0)): nothing to shard',
    py: 'fully_shard(nn.ReLU(), group=fg(2, 0))',
    js: () => nn.fullyShard(new nn.ReLU(), { group: fg(2, 0) }),
  },
  {
    name: 'fully_shard(MLP()): group of one',
    py: 'fully_shard(MLP())',
    js: () => nn.fullyShard(new MLP()),
  },
  {
    name: 'quantized repr and freezing with a group of 4',
    // (Python's unfreeze override returns None; mlx-node's returns the layer, as Module.unfreeze does.)
    py: '_unfrozen(QuantizedShardedToAllLinear(256, 8, False, 32, 2, group=fg(4, 0)))',
    js: () => new nn.QuantizedShardedToAllLinear(256, 8, false, 32, 2, { group: fg(4, 0) }).unfreeze(),
  },
  {
    name: 'QuantizedAllToShardedLinear(64, 16, group_size=32, group=fg(4, 1))',
    py: 'QuantizedAllToShardedLinear(64, 16, group_size=32, group=fg(4, 1))',
    js: () => new nn.QuantizedAllToShardedLinear(64, 16, { groupSize: 32, group: fg(4, 1) }),
  },
  // errors: the messages must be Python's
  {
    name: 'error: AllToShardedLinear(16, 6, group=fg(4, 0))',
    py: 'AllToShardedLinear(16, 6, group=fg(4, 0))',
    js: () => new nn.AllToShardedLinear(16, 6, { group: fg(4, 0) }),
  },
  {
    name: 'error: ShardedToAllLinear(6, 16, group=fg(4, 0))',
    py: 'ShardedToAllLinear(6, 16, group=fg(4, 0))',
    js: () => new nn.ShardedToAllLinear(6, 16, { group: fg(4, 0) }),
  },
  {
    name: 'error: QuantizedAllToShardedLinear(64, 6, group=fg(4, 0))',
    py: 'QuantizedAllToShardedLinear(64, 6, group=fg(4, 0))',
    js: () => new nn.QuantizedAllToShardedLinear(64, 6, { group: fg(4, 0) }),
  },
  {
    name: 'error: QuantizedShardedToAllLinear(96, 6, group=fg(4, 0))',
    py: 'QuantizedShardedToAllLinear(96, 6, group=fg(4, 0))',
    js: () => new nn.QuantizedShardedToAllLinear(96, 6, { group: fg(4, 0) }),
  },
  {
    name: 'error: shard_linear(nn.Linear(4, 4), "all-to-all")',
    py: 'shard_linear(nn.Linear(4, 4), "all-to-all")',
    js: () => nn.shardLinear(new nn.Linear(4, 4), 'all-to-all' as 'all-to-sharded'),
  },
  {
    name: 'error: shard_inplace(nn.Linear(4, 4), "sharded")',
    py: '_inplace(nn.Linear(4, 4), "sharded")',
    js: () => inplace(new nn.Linear(4, 4), 'sharded' as 'all-to-sharded'),
  },
  {
    name: 'error: a predicate returning a string',
    py: '_inplace(nn.Linear(4, 4), lambda p, w: "0")',
    js: () => inplace(new nn.Linear(4, 4), (() => '0') as unknown as nn.ShardingPredicate),
  },
  {
    name: 'error: shard_linear(nn.Linear(8, 12), "all-to-sharded", group=fg(5, 0)) (mx.split)',
    py: 'shard_linear(nn.Linear(8, 12), "all-to-sharded", group=fg(5, 0))',
    js: () => nn.shardLinear(new nn.Linear(8, 12), 'all-to-sharded', { group: fg(5, 0) }),
  },
  {
    name: 'error: FullyShardedModule(nn.Linear(4, 3), group=fg(2, 0)): bias (3,)',
    py: 'FullyShardedModule(nn.Linear(4, 3), group=fg(2, 0))',
    js: () => new nn.FullyShardedModule(new nn.Linear(4, 3), { group: fg(2, 0) }),
  },
  {
    name: 'error: FullyShardedModule(nn.Linear(3, 5), group=fg(4, 0)): weight (5, 3)',
    py: 'FullyShardedModule(nn.Linear(3, 5), group=fg(4, 0))',
    js: () => new nn.FullyShardedModule(new nn.Linear(3, 5), { group: fg(4, 0) }),
  },
  {
    name: 'error: FullyShardedModule(WithScalar(), group=fg(2, 0)): a scalar parameter',
    py: 'FullyShardedModule(WithScalar(), group=fg(2, 0))',
    js: () => new nn.FullyShardedModule(new WithScalar(), { group: fg(2, 0) }),
  },
  {
    name: 'error: shard_linear(lin, "all-to-sharded", 2): segments is keyword-only',
    py: 'shard_linear(nn.Linear(4, 4), "all-to-sharded", 2)',
    js: () => (nn.shardLinear as (...a: unknown[]) => nn.Module)(new nn.Linear(4, 4), 'all-to-sharded', 2),
  },
  {
    name: 'error: fully_shard(MLP(), fg(2, 0)): group is keyword-only',
    py: 'fully_shard(MLP(), fg(2, 0))',
    js: () => (nn.fullyShard as (...a: unknown[]) => nn.Module)(new MLP(), fg(2, 0)),
  },
);

// ---------------------------------------------------------------------------
// The oracle: one Python process for sections 2 and 3.

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
interface PyStruct {
  type: string;
  repr: string;
  params: Array<[string, array]>;
  trainable: string[];
  paths: string[] | null;
}

const xs = randn([3]);
const ORACLE = py<{ cases: PyCase[]; structs: Array<PyStruct | PyError>; misc: Record<string, boolean> }>(SETUP, {
  cases: cases.map((c, i) => ({
    py: c.py,
    post: c.pyPost ?? null,
    inputs: c.inputs,
    call: c.pyCall,
    grad_input: c.gradInput ?? null,
    seed: i + 1,
  })),
  structs: structs.map((c, i) => ({ py: c.py, seed: 100 + i })),
  xs,
});

describe('layers against Python mlx.nn (group of size 1)', () => {
  cases.forEach((c, ci) => {
    describe(c.name, () => {
      const r = ORACLE.cases[ci];
      let L: any;
      let init: Array<[string, array]> = [];
      // The layer built under the case's seed, then given Python's parameters and the post step.
      const build = () => {
        if (L === undefined) {
          mx.random.seed(ci + 1);
          L = c.js();
          init = flattenArrays(L.parameters());
          L.loadWeights(r.init);
          c.jsPost?.(L);
        }
        return L;
      };

      test('init: same parameters under the same seed', () => {
        build();
        assertSamePairs(init, r.init, 'init');
      });

      test('parameters and trainable parameters', () => {
        assertSamePairs(flattenArrays(build().parameters()), r.params, 'parameters');
        assert.deepEqual(
          flattenArrays(build().trainableParameters()).map(([k]) => k),
          r.trainable,
        );
      });

      test('String(layer) equals repr(layer)', () => {
        assert.equal(String(build()), r.repr);
      });

      test('forward', () => {
        const out = r.out;
        if (isPyError(out)) {
          assert.throws(
            () => mx.eval(c.jsCall(build(), c.inputs)),
            (e: Error) => e.message === out.message,
          );
          // The shards are back in place after the failed call.
          assertSamePairs(flattenArrays(build().parameters()), r.params, 'parameters after the call');
          return;
        }
        assertSameOuts(c.jsCall(build(), c.inputs), out, 'output');
      });

      if (!isPyError(r.out))
        test('gradients (nn.valueAndGrad of the summed outputs, mx.grad of the input)', () => {
          const layer = build();
          const vg = nn.valueAndGrad(layer, () => sumLoss(c.jsCall(layer, c.inputs)));
          const loss = r.loss;
          if (isPyError(loss)) {
            // No trainable parameters (a frozen quantized layer): Python's error.
            assert.throws(
              () => mx.eval(vg()),
              (e: Error) => e.message.includes(loss.message),
            );
          } else {
            const [v, g] = vg();
            assertSameArray(v, loss!, 'loss');
            assertSamePairs(flattenArrays(g), r.grads!, 'grad');
          }
          if (c.gradInput) {
            const name = c.gradInput;
            const dx = mx.grad((x: array) => sumLoss(c.jsCall(layer, { ...c.inputs, [name]: x })))(c.inputs[name]);
            assertSameArray(dx, r.dx!, `d/d${name}`);
          }
          // The sharded parameters are back in place after the call.
          assertSamePairs(flattenArrays(layer.parameters()), r.params, 'parameters after the call');
        });
    });
  });
});

describe('sharding on a stand-in group of size N (every rank), errors', () => {
  structs.forEach((c, i) => {
    test(c.name, () => {
      const expected = ORACLE.structs[i];
      mx.random.seed(100 + i);
      if (isPyError(expected)) {
        assert.throws(c.js, (e: Error) => {
          // Python's "shard_linear() takes ..." names the function by its JS name here.
          const names: Record<string, string> = { 'shard_linear()': 'shardLinear()', 'fully_shard()': 'fullyShard()' };
          assert.equal(
            e.message,
            expected.message.replace(/^\w+\(\)/, (m) => names[m] ?? m),
          );
          // Python's TypeError is a TypeError here, its ValueError an Error.
          if (expected.$error === 'TypeError') assert.ok(e instanceof TypeError, `expected a TypeError, got ${e}`);
          return true;
        });
        return;
      }
      const L: any = c.js();
      assert.equal(L.constructor.name, expected.type);
      assert.equal(String(L), expected.repr);
      assertSamePairs(flattenArrays(L.parameters()), expected.params, 'parameters');
      assert.deepEqual(
        flattenArrays(L.trainableParameters()).map(([k]) => k),
        expected.trainable,
      );
      assert.deepEqual(L._paths ?? null, expected.paths);
    });
  });

  test('_paths is not a member (Python sets it with object.__setattr__)', () => {
    const f = new nn.FullyShardedModule(new MLP(), { group: fg(2, 0) });
    assert.deepEqual(Object.keys(f), ['module']);
    assert.deepEqual(Object.keys(f.children()), ['module']);
  });
});

describe('identities', () => {
  test('sum_gradients(group of one) is the identity', () => {
    const g = mx.distributed.init();
    assert.equal(ORACLE.misc.sum_gradients_identity, true);
    assert.equal(nn.sumGradients(g)(xs), xs);
    // One function per group (Python's lru_cache).
    assert.equal(nn.sumGradients(g), nn.sumGradients(g));
  });

  test('fully_shard returns the module itself: group of one, a FullyShardedModule, nothing to shard', () => {
    assert.deepEqual(ORACLE.misc, {
      sum_gradients_identity: true,
      fully_shard_identity: true,
      fully_shard_fsdp: true,
      fully_shard_no_params: true,
    });
    const m = new MLP();
    assert.equal(nn.fullyShard(m), m);
    const f = new nn.FullyShardedModule(new MLP(), { group: fg(2, 0) });
    assert.equal(nn.fullyShard(f, { group: fg(2, 0) }), f);
    const relu = new nn.ReLU();
    assert.equal(nn.fullyShard(relu, { group: fg(2, 0) }), relu);
  });

  test('shardLinear leaves the layer given unchanged', () => {
    const lin = new nn.Linear(8, 12);
    const before = flattenArrays(lin.parameters());
    const s = nn.shardLinear(lin, 'all-to-sharded', { group: fg(2, 1) });
    assert.deepEqual(s.weight.shape, [6, 8]);
    assertSamePairs(flattenArrays(lin.parameters()), before, 'the Linear');
  });
});
