# The Python mlx side of `npm run bench`: the same workloads as
# bench/worker-js.mjs (same shapes, dtypes, repetitions and timing rules),
# run in this process; prints one JSON line:
#   {"results": {id: {samples, unit}}, "skipped": {id: reason}, "info": {...}}
#
#   .venv/bin/python bench/worker.py <spec JSON>
import gc
import json
import platform
import sys
import time

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
import numpy as np

spec = json.loads(sys.argv[1])
now = time.perf_counter

results = {}
skipped = {}


def timed(fn, w, collect=True):
    """warmup untimed runs, then reps timed ones (ms); gc between repetitions
    unless collect=False (the large ops: the result is freed by refcounting
    inside the timed region, as worker-js.mjs disposes it there)."""
    samples = []
    for r in range(w["warmup"] + w["reps"]):
        if collect:
            gc.collect()
        t0 = now()
        fn(None)
        t1 = now()
        if r >= w["warmup"]:
            samples.append((t1 - t0) * 1e3)
    return samples


def record(id, unit, samples):
    results[id] = {"unit": unit, "samples": samples}


# ---------------------------------------------------------------------------
# Per-op overhead

def build_chain(kind, x, y, n):
    # One loop per kind, written out: no extra Python call per op.
    if kind == "add":
        for i in range(n):
            x = mx.add(x, y)
    elif kind == "multiply":
        for i in range(n):
            x = mx.multiply(x, 1.0001)
    elif kind == "reshape":
        for i in range(n):
            x = mx.reshape(x, [16] if i & 1 else [4, 4])
    elif kind == "slice":
        for i in range(n):
            x = x[1:]
    elif kind == "sliceobj":
        for i in range(n):
            x = x[slice(1, None)]
    else:
        raise ValueError(kind)
    return x


def chain(w):
    n = w["ops"]
    build, ev = [], []
    for r in range(w["warmup"] + w["reps"]):
        x = mx.zeros([n + 1]) if w["kind"].startswith("slice") else mx.zeros([16])
        y = mx.ones([16])
        mx.eval(x, y)
        gc.collect()
        t0 = now()
        x = build_chain(w["kind"], x, y, n)
        t1 = now()
        mx.eval(x)
        t2 = now()
        if r >= w["warmup"]:
            build.append((t1 - t0) * 1e6 / n)
            ev.append((t2 - t1) * 1e3)
    record(w["id"] + ".build", "us/op", build)
    record(w["id"] + ".eval", "ms", ev)


# ---------------------------------------------------------------------------
# Array creation and readback


def per_call(fn, w):
    def loop(_):
        for _ in range(w["calls"]):
            fn()

    return [ms * 1e3 / w["calls"] for ms in timed(loop, w)]


def create_list4(w):
    record(w["id"], "us/call", per_call(lambda: mx.eval(mx.array([1.5, 2.5, 3.5, 4.5])), w))


def create_list1m(w):
    data = [i * 0.5 for i in range(w["size"])]
    record(w["id"], "ms", timed(lambda _: mx.eval(mx.array(data)), w))


def create_typed1m(w):
    # JS's Float32Array <-> a float32 numpy array.
    data = np.arange(w["size"], dtype=np.float32) * np.float32(0.5)
    record(w["id"], "ms", timed(lambda _: mx.eval(mx.array(data)), w))


def tolist4(w):
    a = mx.array([1.5, 2.5, 3.5, 4.5])
    mx.eval(a)
    record(w["id"], "us/call", per_call(lambda: a.tolist(), w))


def small():
    x = mx.zeros((4, 4))
    mx.eval(x)
    return x


def call_kwargs(w):
    x = small()
    record(w["id"], "us/call", per_call(lambda: mx.sum(x, axis=0), w))


def call_varargs(w):
    x = small()
    record(w["id"], "us/call", per_call(lambda: x.reshape(2, 8), w))


def call_dtype(w):
    x = small()
    record(w["id"], "us/call", per_call(lambda: x.astype(mx.float16), w))


def tolist1m(w):
    a = mx.arange(w["size"]) * 0.5
    mx.eval(a)
    record(w["id"], "ms", timed(lambda _: a.tolist(), w))


def totyped1m(w):
    # JS's a.toTypedArray() (a view) <-> np.array(a, copy=False) (a view).
    a = mx.arange(w["size"]) * 0.5
    mx.eval(a)
    record(w["id"], "ms", timed(lambda _: np.array(a, copy=False), w))


# ---------------------------------------------------------------------------
# Large ops


def u(shape, lo=0.0, hi=1.0):
    return mx.random.uniform(lo, hi, shape)


def large(make, op):
    def run(w):
        args = make()
        mx.eval(*args)
        record(w["id"], "ms", timed(lambda _: mx.eval(op(*args)), w, collect=False))

    return run


# ---------------------------------------------------------------------------
# Transforms


def gelu(x):
    inner = mx.multiply(mx.add(x, mx.multiply(mx.power(x, 3), 0.044715)), 0.7978845608)
    return mx.multiply(mx.multiply(x, 0.5), mx.add(mx.tanh(inner), 1))


def grad_mlp(w):
    x = u([64, 128])
    y = u([64, 10])
    params = [u([128, 256], -0.1, 0.1), mx.zeros([256]), u([256, 10], -0.1, 0.1), mx.zeros([10])]
    mx.eval(x, y, params)

    def loss(w1, b1, w2, b2):
        h = mx.maximum(mx.add(mx.matmul(x, w1), b1), 0)
        return mx.mean(mx.square(mx.subtract(mx.add(mx.matmul(h, w2), b2), y)))

    g = mx.grad(loss, [0, 1, 2, 3])
    record(w["id"], "ms", timed(lambda _: mx.eval(g(*params)), w))


def vmap_matvec(w):
    W = u([64, 128], -0.1, 0.1)
    b = mx.zeros([64])
    xs = u([512, 128])
    mx.eval(W, b, xs)
    f = mx.vmap(lambda x: mx.sum(mx.tanh(mx.add(mx.matmul(W, x), b))), 0)
    record(w["id"], "ms", timed(lambda _: mx.eval(f(xs)), w))


def compile_gelu(w):
    x = u(w["shape"], -3.0, 3.0)
    mx.eval(x)
    compiled = mx.compile(gelu)
    # ms per call, over w["calls"] calls per repetition.
    calls = w.get("calls", 1)

    def loop(f):
        def run(_):
            for _ in range(calls):
                mx.eval(f(x))

        return run

    record(w["id"] + ".uncompiled", "ms", [ms / calls for ms in timed(loop(gelu), w)])
    record(w["id"] + ".compiled", "ms", [ms / calls for ms in timed(loop(compiled), w)])


# ---------------------------------------------------------------------------
# Models


def mnist(compiled):
    def run(w):
        model = nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
        )
        mx.eval(model.parameters())
        optimizer = optim.AdamW(learning_rate=1e-3)

        def loss_fn(model, x, y):
            return mx.mean(nn.losses.cross_entropy(model(x), y))

        loss_and_grad = nn.value_and_grad(model, loss_fn)

        def step(x, y):
            loss, grads = loss_and_grad(model, x, y)
            optimizer.update(model, grads)
            return loss

        if compiled:
            state = [model.state, optimizer.state]
            step = mx.compile(step, inputs=state, outputs=state)
        x = u([w["batch"], 784])
        y = mx.random.randint(0, 10, [w["batch"]])
        mx.eval(x, y)

        def one(_):
            loss = step(x, y)
            mx.eval(loss, model.parameters(), optimizer.state)

        record(w["id"], "ms/step", timed(one, w))

    return run


def transformer(w):
    model = nn.TransformerEncoder(w["layers"], w["dims"], w["heads"], w["mlpDims"])
    mx.eval(model.parameters())
    x = u([w["batch"], w["seq"], w["dims"]])
    mask = nn.MultiHeadAttention.create_additive_causal_mask(w["seq"])
    mx.eval(x, mask)
    record(w["id"], "ms", timed(lambda _: mx.eval(model(x, mask)), w))


table = {
    "create.list4": create_list4,
    "create.list1m": create_list1m,
    "create.typed1m": create_typed1m,
    "tolist.4": tolist4,
    "tolist.1m": tolist1m,
    "call.kwargs": call_kwargs,
    "call.varargs": call_varargs,
    "call.dtype": call_dtype,
    "totyped.1m": totyped1m,
    "large.matmul": large(lambda: [u([1024, 1024]), u([1024, 1024])], mx.matmul),
    "large.exp": large(lambda: [u([2048, 2048])], mx.exp),
    "large.add": large(lambda: [u([2048, 2048]), u([2048, 2048])], mx.add),
    # Python frees each result at once: the same as large.add.
    "large.add.sync": large(lambda: [u([2048, 2048]), u([2048, 2048])], mx.add),
    "large.softmax": large(lambda: [u([2048, 2048])], lambda a: mx.softmax(a, -1)),
    "large.conv2d": large(
        lambda: [u([8, 64, 64, 32]), u([64, 3, 3, 32])], lambda x, k: mx.conv2d(x, k, 1, 1)
    ),
    "large.sum": large(lambda: [u([2048, 2048])], mx.sum),
    "large.sum0": large(lambda: [u([2048, 2048])], lambda a: mx.sum(a, 0)),
    "grad.mlp": grad_mlp,
    "vmap.matvec": vmap_matvec,
    "compile.gelu": compile_gelu,
    "compile.gelusmall": compile_gelu,
    "mnist.compiled": mnist(True),
    "mnist.uncompiled": mnist(False),
    "transformer.forward": transformer,
}

mx.random.seed(0)
for w in spec:
    try:
        if w.get("kind"):
            chain(w)
        elif w["id"] in table:
            table[w["id"]](w)
        else:
            skipped[w["id"]] = "not implemented"
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        skipped[w["id"]] = "error: " + str(e).split("\n")[0]

info = {"python": platform.python_version(), "mlx": mx.__version__, "numpy": np.__version__}
sys.stdout.write(json.dumps({"results": results, "skipped": skipped, "info": info}) + "\n")
