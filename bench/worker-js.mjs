// One JS side of `npm run bench`: runs every workload of the spec through
// mlx-node or node-mlx (@frost-beta/mlx) in this process and prints one JSON
// line: {"results": {id: {samples, unit}}, "skipped": {id: reason}, "info": {...}}.
//
//   node --expose-gc bench/worker-js.mjs <mlx-node|node-mlx> <module path> <spec JSON>
//
// The Python side (worker.py) implements the same workloads with the same
// shapes, dtypes, repetitions and timing rules; bench/run.mjs drives both.
import { createRequire } from 'node:module';

const [flavor, modulePath, specJson] = process.argv.slice(2);
const spec = JSON.parse(specJson);
const require = createRequire(import.meta.url);
const lib = require(modulePath);

const isNode = flavor === 'mlx-node';
const mx = isNode ? lib.mx : lib.core;
const nn = lib.nn;
const optim = lib.optimizers;

const gc = globalThis.gc ?? (() => {});
const now = () => performance.now();

const results = {};
const skipped = {};

// Between repetitions the garbage of the last one is freed: mlx-node frees an
// array inside the collection that finds its JS object dead (gc() is
// enough); node-mlx's N-API finalizers run on a later event-loop turn.
const turn = () => new Promise((resolve) => setImmediate(resolve));
async function cleanup() {
  gc();
  await turn();
}

// Timing: `warmup` untimed runs, then `reps` timed ones; the work is
// evaluated inside the timed region. Between repetitions (outside the timed
// region) the garbage is collected and freed, as Python's refcounting frees
// at once — except with { sync: true }: a plain synchronous loop that leaves
// its results to the garbage collector; and with { disposed: true }: fn
// frees its own result with dispose() (Python's refcount frees it inside the
// timed region too), and no collection runs between repetitions (a full
// gc() flushes the CPU caches: it made sum over axis 0 of a 16 MB array
// ~20% slower and a 4M-element add ~35% slower than Python).
async function time(fn, { warmup, reps }, { sync = false, disposed = false } = {}) {
  const samples = [];
  for (let r = 0; r < warmup + reps; r++) {
    if (!sync && !disposed) await cleanup();
    const t0 = now();
    fn();
    const t1 = now();
    if (r >= warmup) samples.push(t1 - t0);
  }
  return samples;
}

function record(id, unit, samples) {
  results[id] = { unit, samples };
}

// ---------------------------------------------------------------------------
// Per-op overhead: a chain of n small ops, built (timed: per op) then
// evaluated (timed: the whole chain).

// One loop per kind, written out (as in worker.py and cpp/chain.cc).
function buildChain(kind, x, y, n) {
  if (kind === 'add') for (let i = 0; i < n; i++) x = mx.add(x, y);
  else if (kind === 'multiply') for (let i = 0; i < n; i++) x = mx.multiply(x, 1.0001);
  else if (kind === 'reshape') for (let i = 0; i < n; i++) x = mx.reshape(x, i & 1 ? [16] : [4, 4]);
  // Python's x[1:]: mlx-node's documented spelling is the string '1:';
  // node-mlx only takes Slice objects (node-mlx's Slice(start) starts at 1).
  else if (kind === 'slice' && isNode) for (let i = 0; i < n; i++) x = x.index('1:');
  // The same slice through a Slice object (Python: x[slice(1, None)]).
  else if (kind === 'sliceobj' && isNode) for (let i = 0; i < n; i++) x = x.index(mx.Slice(1, null));
  else if (kind === 'slice' || kind === 'sliceobj') for (let i = 0; i < n; i++) x = x.index(mx.Slice(1));
  else throw new Error(`unknown chain ${kind}`);
  return x;
}

async function chain(w) {
  const n = w.ops;
  const build = [];
  const evalMs = [];
  for (let r = 0; r < w.warmup + w.reps; r++) {
    let x = w.kind.startsWith('slice') ? mx.zeros([n + 1]) : mx.zeros([16]);
    const y = mx.ones([16]);
    mx.eval(x, y);
    await cleanup();
    const t0 = now();
    x = buildChain(w.kind, x, y, n);
    const t1 = now();
    mx.eval(x);
    const t2 = now();
    if (r >= w.warmup) {
      build.push(((t1 - t0) * 1000) / n);
      evalMs.push(t2 - t1);
    }
  }
  record(`${w.id}.build`, 'us/op', build);
  record(`${w.id}.eval`, 'ms', evalMs);
}

// ---------------------------------------------------------------------------
// Array creation and readback

async function perCall(fn, w) {
  // µs per call over w.calls calls.
  const samples = await time(() => {
    for (let i = 0; i < w.calls; i++) fn();
  }, w);
  return samples.map((ms) => (ms * 1000) / w.calls);
}

const creation = {
  'create.list4': async (w) => {
    record(w.id, 'us/call', await perCall(() => mx.eval(mx.array([1.5, 2.5, 3.5, 4.5])), w));
  },
  'create.list1m': async (w) => {
    const data = Array.from({ length: w.size }, (_, i) => i * 0.5);
    record(w.id, 'ms', await time(() => mx.eval(mx.array(data)), w));
  },
  'create.typed1m': async (w) => {
    if (!isNode) return (skipped[w.id] = 'no TypedArray input in node-mlx 0.0.7');
    const data = new Float32Array(w.size).map((_, i) => i * 0.5);
    record(w.id, 'ms', await time(() => mx.eval(mx.array(data)), w));
  },
  'tolist.4': async (w) => {
    const a = mx.array([1.5, 2.5, 3.5, 4.5]);
    mx.eval(a);
    record(w.id, 'us/call', await perCall(() => a.tolist(), w));
  },
  'tolist.1m': async (w) => {
    const a = mx.multiply(mx.arange(w.size), 0.5);
    mx.eval(a);
    record(w.id, 'ms', await time(() => a.tolist(), w));
  },
  'totyped.1m': async (w) => {
    if (!isNode) return (skipped[w.id] = 'no TypedArray readback in node-mlx 0.0.7');
    const a = mx.multiply(mx.arange(w.size), 0.5);
    mx.eval(a);
    record(w.id, 'ms', await time(() => a.toTypedArray(), w));
  },
};

// ---------------------------------------------------------------------------
// Other argument forms: one call on a [4, 4] array, the result dropped
// (collected by the GC; Python's refcount frees it at once).

function small() {
  const x = mx.zeros([4, 4]);
  mx.eval(x);
  return x;
}

const calls = {
  'call.kwargs': async (w) => {
    if (!isNode) return (skipped[w.id] = 'node-mlx 0.0.7 takes no options object');
    const x = small();
    record(w.id, 'us/call', await perCall(() => mx.sum(x, { axis: 0 }), w));
  },
  'call.varargs': async (w) => {
    const x = small();
    record(w.id, 'us/call', await perCall(() => x.reshape(2, 8), w));
  },
  'call.dtype': async (w) => {
    const x = small();
    record(w.id, 'us/call', await perCall(() => x.astype(mx.float16), w));
  },
};

// ---------------------------------------------------------------------------
// Large ops (float32, uniform [0, 1) data)

// The result is freed inside the timed region (dispose(), as Python's
// refcount frees it), with no collection between repetitions. (node-mlx
// 0.0.7 has no dispose: its results are collected between repetitions.)
const freed = typeof mx.dispose === 'function' ? { disposed: true } : {};
const evalFree = (r) => {
  mx.eval(r);
  if (freed.disposed) mx.dispose(r);
};

const large = {
  'large.matmul': async (w) => {
    const [a, b] = [mx.random.uniform(0, 1, [1024, 1024]), mx.random.uniform(0, 1, [1024, 1024])];
    mx.eval(a, b);
    record(w.id, 'ms', await time(() => evalFree(mx.matmul(a, b)), w, freed));
  },
  'large.exp': async (w) => {
    const a = mx.random.uniform(0, 1, [2048, 2048]);
    mx.eval(a);
    record(w.id, 'ms', await time(() => evalFree(mx.exp(a)), w, freed));
  },
  'large.add': async (w) => {
    const [a, b] = [mx.random.uniform(0, 1, [2048, 2048]), mx.random.uniform(0, 1, [2048, 2048])];
    mx.eval(a, b);
    record(w.id, 'ms', await time(() => evalFree(mx.add(a, b)), w, freed));
  },
  // The same add in a plain synchronous loop whose results are left to the
  // garbage collector (Python frees each result at once).
  'large.add.sync': async (w) => {
    const [a, b] = [mx.random.uniform(0, 1, [2048, 2048]), mx.random.uniform(0, 1, [2048, 2048])];
    mx.eval(a, b);
    record(w.id, 'ms', await time(() => mx.eval(mx.add(a, b)), w, { sync: true }));
  },
  'large.softmax': async (w) => {
    const a = mx.random.uniform(0, 1, [2048, 2048]);
    mx.eval(a);
    record(w.id, 'ms', await time(() => evalFree(mx.softmax(a, -1)), w, freed));
  },
  'large.conv2d': async (w) => {
    const x = mx.random.uniform(0, 1, [8, 64, 64, 32]);
    const k = mx.random.uniform(0, 1, [64, 3, 3, 32]);
    mx.eval(x, k);
    record(w.id, 'ms', await time(() => evalFree(mx.conv2d(x, k, 1, 1)), w, freed));
  },
  'large.sum': async (w) => {
    const a = mx.random.uniform(0, 1, [2048, 2048]);
    mx.eval(a);
    record(w.id, 'ms', await time(() => evalFree(mx.sum(a)), w, freed));
  },
  'large.sum0': async (w) => {
    const a = mx.random.uniform(0, 1, [2048, 2048]);
    mx.eval(a);
    record(w.id, 'ms', await time(() => evalFree(mx.sum(a, 0)), w, freed));
  },
};

// ---------------------------------------------------------------------------
// Transforms

function gelu(x) {
  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): nine elementwise ops.
  const inner = mx.multiply(mx.add(x, mx.multiply(mx.power(x, 3), 0.044715)), 0.7978845608);
  return mx.multiply(mx.multiply(x, 0.5), mx.add(mx.tanh(inner), 1));
}

const transforms = {
  'grad.mlp': async (w) => {
    const x = mx.random.uniform(0, 1, [64, 128]);
    const y = mx.random.uniform(0, 1, [64, 10]);
    const params = [
      mx.random.uniform(-0.1, 0.1, [128, 256]),
      mx.zeros([256]),
      mx.random.uniform(-0.1, 0.1, [256, 10]),
      mx.zeros([10]),
    ];
    mx.eval(x, y, params);
    const loss = (w1, b1, w2, b2) => {
      const h = mx.maximum(mx.add(mx.matmul(x, w1), b1), 0);
      return mx.mean(mx.square(mx.subtract(mx.add(mx.matmul(h, w2), b2), y)));
    };
    const g = mx.grad(loss, [0, 1, 2, 3]);
    record(w.id, 'ms', await time(() => mx.eval(g(...params)), w));
  },
  'vmap.matvec': async (w) => {
    const W = mx.random.uniform(-0.1, 0.1, [64, 128]);
    const b = mx.zeros([64]);
    const xs = mx.random.uniform(0, 1, [512, 128]);
    mx.eval(W, b, xs);
    const f = mx.vmap((x) => mx.sum(mx.tanh(mx.add(mx.matmul(W, x), b))), 0);
    record(w.id, 'ms', await time(() => mx.eval(f(xs)), w));
  },
  'compile.gelu': async (w) => {
    const x = mx.random.uniform(-3, 3, w.shape);
    mx.eval(x);
    const compiled = mx.compile(gelu);
    // ms per call, over w.calls calls per repetition.
    const calls = w.calls ?? 1;
    const loop = (f) => () => {
      for (let i = 0; i < calls; i++) mx.eval(f(x));
    };
    record(
      `${w.id}.uncompiled`,
      'ms',
      (await time(loop(gelu), w)).map((ms) => ms / calls),
    );
    record(
      `${w.id}.compiled`,
      'ms',
      (await time(loop(compiled), w)).map((ms) => ms / calls),
    );
  },
};

// ---------------------------------------------------------------------------
// Models

function mlp() {
  return new nn.Sequential(
    new nn.Linear(784, 256),
    new nn.ReLU(),
    new nn.Linear(256, 256),
    new nn.ReLU(),
    new nn.Linear(256, 10),
  );
}

function mnistStep(compiled) {
  const model = mlp();
  mx.eval(model.parameters());
  const optimizer = new optim.AdamW(1e-3);
  const lossFn = (x, y) => mx.mean(nn.losses.crossEntropy(model.forward(x), y));
  const lossAndGrad = nn.valueAndGrad(model, lossFn);
  const step = (x, y) => {
    const [loss, grads] = lossAndGrad(x, y);
    optimizer.update(model, grads);
    return loss;
  };
  if (!compiled) return { model, optimizer, step };
  // Python's mx.compile(step, inputs=state, outputs=state), as in examples/mnist.ts.
  const state = [model, optimizer.state];
  return { model, optimizer, step: mx.compile(step, { inputs: state, outputs: state }) };
}

const models = {
  'mnist.compiled': async (w) => {
    if (!isNode) return (skipped[w.id] = "node-mlx 0.0.7's compile has no inputs/outputs state capture");
    await runMnist(w, true);
  },
  'mnist.uncompiled': (w) => runMnist(w, false),
  'transformer.forward': async (w) => {
    if (typeof nn.TransformerEncoder !== 'function') return (skipped[w.id] = 'no nn.TransformerEncoder');
    const model = new nn.TransformerEncoder(w.layers, w.dims, w.heads, w.mlpDims);
    mx.eval(model.parameters());
    const x = mx.random.uniform(0, 1, [w.batch, w.seq, w.dims]);
    const mask = nn.MultiHeadAttention.createAdditiveCausalMask(w.seq);
    mx.eval(x, mask);
    record(w.id, 'ms', await time(() => mx.eval(model.forward(x, mask)), w));
  },
};

async function runMnist(w, compiled) {
  const { model, optimizer, step } = mnistStep(compiled);
  const x = mx.random.uniform(0, 1, [w.batch, 784]);
  const y = mx.random.randint(0, 10, [w.batch]);
  mx.eval(x, y);
  record(
    w.id,
    'ms/step',
    await time(() => {
      const loss = step(x, y);
      mx.eval(loss, model.parameters(), optimizer.state);
    }, w),
  );
}

// ---------------------------------------------------------------------------

transforms['compile.gelusmall'] = transforms['compile.gelu'];
const table = { ...creation, ...calls, ...large, ...transforms, ...models };
mx.random.seed(0);
for (const w of spec) {
  try {
    if (w.kind) await chain(w);
    else if (table[w.id]) await table[w.id](w);
    else skipped[w.id] = 'not implemented';
  } catch (e) {
    skipped[w.id] = `error: ${String(e && e.message ? e.message : e).split('\n')[0]}`;
  }
}
const info = { node: process.version };
if (isNode) info.mlx = mx.__version__;
process.stdout.write(`${JSON.stringify({ results, skipped, info })}\n`);
