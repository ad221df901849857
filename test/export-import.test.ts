// Port of ml-explore/mlx python/tests/test_export_import.py (TestExportImport),
// plus interoperability with Python mlx 0.32.4 both ways (describe 'interop'):
// functions exported by Python mlx are imported here and must give the outputs
// Python's import gives for the same inputs, and functions exported here are
// imported and called by Python, which must get the outputs mlx-node gets;
// metadata both ways, several traces (exporter) and shapeless functions.
//
// Translation:
//   mx.export_function(path, fun, *args, **kwargs)   mx.exportFunction(path, fun, ...args, {kwargs...})
//   mx.export_function(path, fun, (x,), {"z": z})    mx.exportFunction(path, fun, [x], {z})  (tuple form: one JS array)
//   imported(x, z=z)                                 imported(x, {z})
//   def fun(x, z=None)                               (x, {z} = {}) => ...   (keyword inputs arrive as a trailing object)
//   def fun(x=..., z=...) exported with only kwargs  ({x, z}) => ...
//   with mx.exporter(path, fun) as exporter: ...     const e = mx.exporter(path, fun); ...; e.close()  (or `using`)
//   assertRaises(ValueError / RuntimeError)          a plain Error (CONTRIBUTING.md), not a TypeError/RangeError
//   del / gc.collect() (test_leaks)                  dropping references, global.gc() and an event-loop turn
//                                                    (N-API finalizers run on a later turn)
// test_leaks: Python compares active memory only with Metal; here the CPU
// allocator counts active memory too, so the comparison is made on every backend.
// Each case uses its own file name (Python reuses fn.mlxfn).
// Not ported: export to a Python callback (export_function(callback, ...)) is
// not supported in mlx-node (documented; exportFunction throws a TypeError).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { mx } from '../lib/index';
import type { array } from '../lib/index';
import { assertSameArray, isPyError, py } from './helpers/mlx_tests';
import type { PyError } from './helpers/mlx_tests';

const dir = mkdtempSync(path.join(tmpdir(), 'mlx-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);

type AnyFn = (...args: any[]) => any;
type Imported = (...inputs: unknown[]) => array[];
const importFn = (p: string) => mx.importFunction(p) as Imported;

const f32 = (v: unknown) => mx.array(v as never, mx.float32);
const i32 = (v: unknown) => mx.array(v as never, mx.int32);

/** Python's assertRaises(ValueError/RuntimeError): a plain Error here. Mismatches are collected, not thrown. */
function raisesPlainError(problems: string[], what: string, fn: () => unknown): void {
  try {
    fn();
    problems.push(`${what}: did not throw (Python: ValueError)`);
  } catch (e) {
    if (!(e instanceof Error) || e.constructor !== Error) {
      const err = e as Error;
      problems.push(
        `${what}: expected a plain Error (Python ValueError), got ${err?.constructor?.name}: ${String(err?.message).split('\n')[0]}`,
      );
    }
  }
}

const allclose = (a: array, b: array) => mx.allclose(a, b).item() === true;
const arrayEqual = (a: array, b: array) => mx.arrayEqual(a, b).item() === true;

// Python's values for the port (one oracle call).
const ORACLE = py<{ absSin: array; random: array }>(`
x = mx.array([1.0, 2.0, 3.0, 4.0, 5.0])
mx.random.seed(5)
out = {"absSin": mx.abs(mx.sin(x)), "random": mx.random.uniform(shape=(3,))}
`);

describe('TestExportImport', () => {
  test('test_basic_export_import', () => {
    const p = file('basic.mlxfn');
    const problems: string[] = [];

    // Function with no inputs
    let fun: AnyFn = () => mx.zeros([3, 3]);
    mx.exportFunction(p, fun);
    let imported = importFn(p);
    let expected: array = fun();
    let out = imported();
    assert.equal(out.length, 1);
    assert.ok(arrayEqual(out[0], expected));

    // Simple function with inputs
    fun = (x: array) => mx.abs(mx.sin(x));
    const inputs = f32([1.0, 2.0, 3.0, 4.0, 5.0]);
    mx.exportFunction(p, fun, inputs);
    imported = importFn(p);
    expected = fun(inputs);
    out = imported(inputs);
    assert.equal(out.length, 1);
    assert.ok(allclose(out[0], expected));
    assert.ok(allclose(out[0], ORACLE.absSin), 'Python value');

    // Inputs in a list or tuple (both a JS array)
    fun = (x: array) => mx.abs(mx.sin(x));
    mx.exportFunction(p, fun, [inputs]);
    imported = importFn(p);
    expected = fun(inputs);
    out = imported([inputs]);
    assert.ok(allclose(out[0], expected));
    out = imported(inputs);
    assert.ok(allclose(out[0], expected));

    mx.exportFunction(p, fun, [inputs]);
    imported = importFn(p);
    out = imported([inputs]);
    assert.ok(allclose(out[0], expected));

    // Outputs in a list
    fun = (x: array) => [mx.abs(mx.sin(x))];
    mx.exportFunction(p, fun, inputs);
    imported = importFn(p);
    out = imported(inputs);
    assert.equal(out.length, 1);
    assert.ok(allclose(out[0], expected));

    // Outputs in a tuple (a JS array too)
    mx.exportFunction(p, (x: array) => [mx.abs(mx.sin(x))] as const, inputs);
    imported = importFn(p);
    out = imported(inputs);
    assert.ok(allclose(out[0], expected));

    // Check throws on invalid inputs / outputs
    fun = (x: array) => mx.abs(x);
    raisesPlainError(problems, `exportFunction(path, fun, 'hi')`, () => mx.exportFunction(p, fun, 'hi'));
    raisesPlainError(problems, `exportFunction(path, fun, mx.array(1.0), 'hi')`, () =>
      mx.exportFunction(p, fun, mx.array(1.0), 'hi'),
    );

    fun = (x: array[][]) => mx.abs(x[0][0]);
    raisesPlainError(problems, 'exportFunction(path, fun, [[mx.array(1.0)]])', () =>
      mx.exportFunction(p, fun, [[mx.array(1.0)]]),
    );

    fun = () => [mx.zeros([3, 3]), 1];
    raisesPlainError(problems, 'exportFunction of () => [zeros, 1]', () => mx.exportFunction(p, fun));

    fun = () => [mx.zeros([3, 3]), [mx.zeros([3, 3])]];
    raisesPlainError(problems, 'exportFunction of () => [zeros, [zeros]]', () => mx.exportFunction(p, fun));

    fun = (x: array, y: array) => mx.add(x, y);
    mx.exportFunction(p, fun, mx.array(1.0), mx.array(1.0));
    imported = importFn(p);
    raisesPlainError(problems, 'imported(mx.array(1.0), 1.0)', () => imported(mx.array(1.0), 1.0));
    raisesPlainError(problems, 'imported(mx.array(1.0), mx.array(1.0), mx.array(1.0))', () =>
      imported(mx.array(1.0), mx.array(1.0), mx.array(1.0)),
    );
    raisesPlainError(problems, 'imported(mx.array(1.0), [mx.array(1.0)])', () =>
      imported(mx.array(1.0), [mx.array(1.0)]),
    );

    assert.deepEqual(problems, []);
  });

  test('test_export_random_sample', () => {
    const p = file('random.mlxfn');
    mx.random.seed(5);
    const fun = () => mx.random.uniform({ shape: [3] });
    mx.exportFunction(p, fun);
    const imported = importFn(p);
    const [out] = imported();

    mx.random.seed(5);
    const expected = fun();
    assert.ok(arrayEqual(out, expected));
    assertSameArray(out, ORACLE.random, 'Python: mx.random.seed(5); mx.random.uniform(shape=(3,))');
  });

  test('test_export_with_kwargs', () => {
    const p = file('kwargs.mlxfn');
    const problems: string[] = [];
    const fun = (x: array, { z }: { z?: array } = {}) => {
      let out = x;
      if (z !== undefined) out = mx.add(out, z);
      return out;
    };

    const x = i32([1, 2, 3]);
    const z = i32([2, 2, 2]);
    const expected = i32([3, 4, 5]);

    mx.exportFunction(p, fun, [x], { z });
    let importedFun = importFn(p);

    raisesPlainError(problems, 'importedFun(x, z)', () => importedFun(x, z));
    raisesPlainError(problems, 'importedFun(x, {y: z})', () => importedFun(x, { y: z }));
    raisesPlainError(problems, 'importedFun([x], {y: z})', () => importedFun([x], { y: z }));

    let out = importedFun(x, { z })[0];
    assert.ok(arrayEqual(out, expected));

    out = importedFun([x], { z })[0];
    assert.ok(arrayEqual(out, expected));

    mx.exportFunction(p, fun, x, { z });
    importedFun = importFn(p);
    out = importedFun(x, { z })[0];
    assert.ok(arrayEqual(out, expected));

    out = importedFun([x], { z })[0];
    assert.ok(arrayEqual(out, expected));

    // Only specify kwargs (a JS function receiving only keyword inputs takes one object)
    const funKw = ({ x, z }: { x: array; z?: array }) => (z !== undefined ? mx.add(x, z) : x);
    mx.exportFunction(p, funKw, { x, z });
    importedFun = importFn(p);
    raisesPlainError(problems, 'importedFun(x, {z}) of a keyword-only export', () => importedFun(x, { z }));

    out = importedFun({ x, z })[0];
    assert.ok(arrayEqual(out, expected));

    // Python: imported_fun({"x": x, "z": z}) — the same call in JS.
    out = importedFun({ x: x, z: z })[0];
    assert.ok(arrayEqual(out, expected));

    assert.deepEqual(problems, []);
  });

  test('test_export_variable_inputs', () => {
    const p = file('variable.mlxfn');
    const fun = (x: array, y: array, { z }: { z?: array } = {}) => {
      let out = mx.add(x, y);
      if (z !== undefined) out = mx.add(out, z);
      return out;
    };

    const exporter = mx.exporter(p, fun);
    try {
      exporter(i32([1, 2, 3]), i32([1, 1, 1]));
      exporter(i32([1, 2, 3]), i32([1, 1, 1]), { z: i32([2]) });
    } finally {
      exporter.close();
    }

    // Python: RuntimeError, a plain Error here.
    assert.throws(
      () => exporter(i32([1, 2, 3, 4]), i32([1, 1, 1, 1])),
      (e: unknown) => (e as Error).constructor === Error,
    );

    const importedFun = importFn(p);
    let out = importedFun(i32([1, 2, 3]), i32([1, 1, 1]))[0];
    assert.ok(arrayEqual(out, i32([2, 3, 4])));

    out = importedFun(i32([1, 2, 3]), i32([1, 1, 1]), { z: i32([2]) })[0];
    assert.ok(arrayEqual(out, i32([4, 5, 6])));

    assert.throws(
      () => importedFun(i32([1, 2, 3, 4]), i32([1, 1, 1, 1])),
      (e: unknown) => (e as Error).constructor === Error,
    );

    // A function with a large constant
    const constant = mx.zeros([16, 2048]);
    mx.eval(constant);

    const fun2 = (...args: array[]) =>
      mx.add(
        constant,
        args.reduce<array | number>((s, a) => mx.add(s, a), 0),
      );

    {
      using exporter2 = mx.exporter(p, fun2);
      for (let i = 0; i < 5; i++) exporter2(...Array.from({ length: i }, () => mx.array(1, mx.int32)));
    }

    // Check the exported file size < constant size + small amount
    const constantsSize = constant.nbytes + 8192;
    assert.ok(statSync(p).size < constantsSize, `file size ${statSync(p).size} >= ${constantsSize}`);
  });

  test('test_leaks', async () => {
    const p = file('leaks.mlxfn');
    const gc = (globalThis as { gc?: () => void }).gc;
    assert.ok(gc, 'run with node --expose-gc');
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setImmediate(r));
      }
    };
    mx.synchronize();
    await settle();
    const memPre = mx.getActiveMemory();

    function outer() {
      const d: Record<string, unknown> = {};
      const f = (_x: array) => d.x as array;
      d.f = mx.exporter(p, f);
      d.x = mx.array(new Array(1000).fill(0), mx.int32);
    }

    for (let i = 0; i < 5; i++) {
      outer();
      gc();
    }
    await settle();

    const memPost = mx.getActiveMemory();
    assert.equal(memPost, memPre, `${memPost - memPre} bytes still active (5 x 4000 = the captured arrays)`);
  });

  test('test_export_import_shapeless', () => {
    const p = file('shapeless.mlxfn');
    const fun = (...args: array[]) => args.reduce<array | number>((s, a) => mx.add(s, a), 0) as array;

    {
      using exporter = mx.exporter(p, fun, { shapeless: true });
      exporter(mx.array(1, mx.int32));
      exporter(mx.array(1, mx.int32), mx.array(2, mx.int32));
      exporter(mx.array(1, mx.int32), mx.array(2, mx.int32), mx.array(3, mx.int32));
    }

    const f2 = importFn(p);
    assert.equal(f2(mx.array(1, mx.int32))[0].item(), 1);
    assert.equal(f2(mx.array(1, mx.int32), mx.array(1, mx.int32))[0].item(), 2);
    assert.equal(f2(mx.array(1, mx.int32), mx.array(1, mx.int32), mx.array(1, mx.int32))[0].item(), 3);
    assert.throws(
      () => f2(mx.array(10, mx.int32), i32([5, 10, 20])),
      (e: unknown) => (e as Error).constructor === Error,
    );
  });
});

// ---------------------------------------------------------------------------
// Interop: the same functions written in JS and in Python, exported by each side
// and imported by the other.

interface Call {
  args: array[];
  kwargs?: Record<string, array>;
  /** No trace matches: both sides must raise (Python: ValueError). */
  fails?: true;
}
interface Case {
  name: string;
  /** The function in JS. */
  js: AnyFn;
  /** Python source defining `f` (the same function). */
  pySource: string;
  /** How both sides export it: one exportFunction or several exporter traces. */
  traces: Call[];
  exporter?: boolean;
  shapeless?: boolean;
  metadata?: string;
  /** Calls made on the imported function (by both sides); some are meant to fail. */
  calls: Call[];
  /** Runs before exporting (both sides), e.g. seeding. */
  jsSetup?: () => void;
  pySetup?: string;
}

const X5 = f32([1, 2, 3, 4, 5]);
const XI = i32([1, 2, 3]);
const YI = i32([1, 1, 1]);
const ZI = i32([2, 2, 2]);
const W = mx.random.normal([4, 3], { key: mx.random.key(0) }); // Python: mx.random.normal((4, 3), key=mx.random.key(0))
const sumArgs = (...args: array[]) => args.reduce<array | number>((s, a) => mx.add(s, a), 0) as array;
const withZ = (out: array, z?: array) => (z !== undefined ? mx.add(out, z) : out);

const CASES: Case[] = [
  {
    name: 'args_metadata',
    js: (x: array) => mx.abs(mx.sin(x)),
    pySource: 'def f(x):\n    return mx.abs(mx.sin(x))',
    traces: [{ args: [X5] }],
    metadata: '{"model": "abs∘sin — ünïcode", "layers": [1, 2, 3]}',
    calls: [{ args: [X5] }, { args: [f32([0.5, -1, 2.5, 3, 7])] }, { args: [f32([1, 2, 3])], fails: true }],
  },
  {
    name: 'kwargs',
    js: (x: array, { z }: { z?: array } = {}) => withZ(x, z),
    pySource: 'def f(x, z=None):\n    return x if z is None else x + z',
    traces: [{ args: [XI], kwargs: { z: ZI } }],
    calls: [
      { args: [XI], kwargs: { z: ZI } },
      { args: [i32([5, 6, 7])], kwargs: { z: i32([-1, 0, 1]) } },
      { args: [XI, ZI], fails: true },
      { args: [XI], kwargs: { y: ZI }, fails: true },
    ],
  },
  {
    name: 'kwargs_only',
    js: ({ x, z }: { x: array; z: array }) => mx.subtract(x, z),
    pySource: 'def f(x=None, z=None):\n    return x - z',
    traces: [{ args: [], kwargs: { x: XI, z: ZI } }],
    calls: [
      { args: [], kwargs: { x: XI, z: ZI } },
      { args: [], kwargs: { z: XI, x: ZI } },
      { args: [XI], kwargs: { z: ZI }, fails: true },
    ],
  },
  {
    name: 'traces',
    js: (x: array, y: array, { z }: { z?: array } = {}) => withZ(mx.add(x, y), z),
    pySource: 'def f(x, y, z=None):\n    out = x + y\n    return out if z is None else out + z',
    exporter: true,
    metadata: 'three traces',
    traces: [
      { args: [XI, YI] },
      { args: [XI, YI], kwargs: { z: i32([2]) } },
      {
        args: [
          f32([
            [1, 2],
            [3, 4],
          ]),
          f32([0.5, 0.25]),
        ],
      },
    ],
    calls: [
      { args: [XI, YI] },
      { args: [XI, YI], kwargs: { z: i32([2]) } },
      {
        args: [
          f32([
            [1, 2],
            [3, 4],
          ]),
          f32([0.5, 0.25]),
        ],
      },
      { args: [i32([1, 2, 3, 4]), i32([1, 1, 1, 1])], fails: true },
    ],
  },
  {
    name: 'shapeless_sum',
    js: sumArgs,
    pySource: 'def f(*args):\n    return sum(args)',
    exporter: true,
    shapeless: true,
    traces: [{ args: [i32(1)] }, { args: [i32(1), i32(2)] }, { args: [i32(1), i32(2), i32(3)] }],
    calls: [
      { args: [i32(1)] },
      { args: [i32(1), i32(1)] },
      { args: [i32(1), i32(1), i32(1)] },
      { args: [i32([4, 5, 6]), i32([1, 2, 3])], fails: true }, // shapeless keeps the rank of the trace
      { args: [i32(10), i32([5, 10, 20])], fails: true },
    ],
  },
  {
    name: 'shapeless_elementwise',
    js: (x: array) => mx.add(mx.multiply(mx.exp(x), 2), mx.sum(x, { axis: -1, keepdims: true })),
    pySource: 'def f(x):\n    return mx.exp(x) * 2 + mx.sum(x, axis=-1, keepdims=True)',
    shapeless: true,
    traces: [
      {
        args: [
          f32([
            [0, 1, 2],
            [3, 4, 5],
          ]),
        ],
      },
    ],
    calls: [
      {
        args: [
          f32([
            [0, 1, 2],
            [3, 4, 5],
          ]),
        ],
      },
      { args: [mx.reshape(f32(Array.from({ length: 20 }, (_, i) => i / 7)), [4, 5])] },
      { args: [f32([[-1, -0.5, 0, 0.5, 1, 1.5, 2]])] },
    ],
  },
  {
    name: 'multi_output_constant',
    js: (a: array, b: array) => [mx.matmul(a, W), mx.cumsum(b, { axis: 0 }), mx.argmax(a, { axis: 1 })],
    pySource:
      'W = mx.random.normal((4, 3), key=mx.random.key(0))\ndef f(a, b):\n    return (a @ W, mx.cumsum(b, axis=0), mx.argmax(a, axis=1))',
    traces: [
      {
        args: [
          f32([
            [1, 2, 3, 4],
            [-1, 0.5, 8, 2],
          ]),
          i32([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
        ],
      },
    ],
    calls: [
      {
        args: [
          f32([
            [1, 2, 3, 4],
            [-1, 0.5, 8, 2],
          ]),
          i32([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
        ],
      },
      {
        args: [
          f32([
            [0.25, -2, 9, 1],
            [7, 6, 5, 4],
          ]),
          i32([
            [-1, 1],
            [10, 20],
            [0, 0],
          ]),
        ],
      },
    ],
  },
  {
    name: 'no_inputs_random',
    js: () => mx.random.uniform({ shape: [3] }),
    pySource: 'def f():\n    return mx.random.uniform(shape=(3,))',
    jsSetup: () => mx.random.seed(5),
    pySetup: 'mx.random.seed(5)',
    traces: [{ args: [] }],
    calls: [{ args: [] }],
  },
  {
    name: 'dtypes',
    js: (h: array, bf: array, c: array, i: array, b: array) => [
      mx.multiply(h, 2),
      mx.add(bf, 1),
      mx.multiply(c, c),
      mx.multiply(i, 3),
      mx.logicalNot(b),
    ],
    pySource: 'def f(h, bf, c, i, b):\n    return (h * 2, bf + 1, c * c, i * 3, mx.logical_not(b))',
    traces: [
      {
        args: [
          mx.array([0.5, 1.5, -2], mx.float16),
          mx.array([1.25, -3], mx.bfloat16),
          mx.array(
            [
              { re: 1, im: 2 },
              { re: -0.5, im: 0.25 },
            ],
            mx.complex64,
          ),
          mx.array([2n ** 40n + 1n, -7n], mx.int64),
          mx.array([true, false, true]),
        ],
      },
    ],
    calls: [
      {
        args: [
          mx.array([0.1, 1000, -0.001], mx.float16),
          mx.array([3.14159, -0.007], mx.bfloat16),
          mx.array(
            [
              { re: 3, im: -4 },
              { re: 0, im: 1 },
            ],
            mx.complex64,
          ),
          mx.array([2n ** 50n + 3n, -(2n ** 33n)], mx.int64),
          mx.array([false, false, true]),
        ],
      },
    ],
  },
];

const KW = (c: Call) => c.kwargs ?? {};
const callJs = (fn: AnyFn, c: Call) => (Object.keys(KW(c)).length ? fn(...c.args, KW(c)) : fn(...c.args));
const asList = (r: unknown): array[] => (r instanceof mx.array ? [r as array] : (r as array[]));

/** Exports a case from JS to `p`. */
function exportJs(c: Case, p: string): void {
  c.jsSetup?.();
  const options = {
    ...(c.shapeless ? { shapeless: true } : {}),
    ...(c.metadata !== undefined ? { metadata: c.metadata } : {}),
  };
  if (c.exporter) {
    using e = mx.exporter(p, c.js, options);
    for (const t of c.traces) callJs(e, t);
  } else {
    const t = c.traces[0];
    mx.exportFunction(p, c.js, ...t.args, { ...KW(t), ...options });
  }
}

// The Python side: imports mlx-node's files, exports its own, calls both.
const PY_INTEROP = `
import os

def _run(fn, calls):
    res = []
    for c in calls:
        try:
            res.append(list(fn(*c["args"], **c["kwargs"])))
        except Exception as e:
            res.append(_err(e))
    return res

out = {"fromJs": {}, "fromPy": {}}
for case in cases:
    name = case["name"]
    # mlx-node -> Python
    try:
        fn, md = mx.import_function(os.path.join(dir_, "js_" + name + ".mlxfn"), return_metadata=True)
        out["fromJs"][name] = {"metadata": md, "outputs": _run(fn, case["calls"])}
    except Exception as e:
        out["fromJs"][name] = _err(e)
    # Python -> mlx-node
    scope = {"mx": mx}
    exec(case["pySource"], scope)
    f = scope["f"]
    exec(case.get("pySetup", ""), scope)
    p = os.path.join(dir_, "py_" + name + ".mlxfn")
    opts = {}
    if case["shapeless"]:
        opts["shapeless"] = True
    if case["metadata"] is not None:
        opts["metadata"] = case["metadata"]
    if case["exporter"]:
        with mx.exporter(p, f, **opts) as e:
            for t in case["traces"]:
                e(*t["args"], **t["kwargs"])
    else:
        t = case["traces"][0]
        mx.export_function(p, f, *t["args"], **t["kwargs"], **opts)
    fn, md = mx.import_function(p, return_metadata=True)
    out["fromPy"][name] = {"metadata": md, "outputs": _run(fn, case["calls"])}
`;

interface PyResult {
  metadata: string;
  outputs: Array<array[] | PyError>;
}
const JS_ERROR: Record<string, Function> = {
  ValueError: Error,
  RuntimeError: Error,
  TypeError: TypeError,
  IndexError: RangeError,
};

/** A call's mlx-node result against Python's: the same arrays bit for bit, or the same error. */
function compareCall(what: string, js: () => array[], expected: array[] | PyError): void {
  if (isPyError(expected)) {
    assert.throws(
      js,
      (e: unknown) => {
        const cls = JS_ERROR[expected.$error] ?? Error;
        assert.equal(
          (e as Error).constructor,
          cls,
          `${what}: Python raised ${expected.$error}, mlx-node threw ${(e as Error).constructor.name}: ${(e as Error).message}`,
        );
        assert.equal((e as Error).message.split('\n')[0], expected.message.split('\n')[0], `${what}: message`);
        return true;
      },
      `${what}: Python raised ${expected.$error}: ${expected.message.split('\n')[0]}`,
    );
    return;
  }
  const out = js();
  assert.equal(out.length, expected.length, `${what}: number of outputs`);
  out.forEach((o, i) => assertSameArray(o, expected[i], `${what}: output ${i}`));
}

describe('interop', () => {
  let fromJs: Record<string, PyResult | PyError>;
  let fromPy: Record<string, PyResult>;

  before(() => {
    for (const c of CASES) exportJs(c, file(`js_${c.name}.mlxfn`));
    const cases = CASES.map((c) => ({
      name: c.name,
      pySource: c.pySource,
      pySetup: c.pySetup ?? '',
      exporter: c.exporter ?? false,
      shapeless: c.shapeless ?? false,
      metadata: c.metadata ?? null,
      traces: c.traces.map((t) => ({ args: t.args, kwargs: KW(t) })),
      calls: c.calls.map((t) => ({ args: t.args, kwargs: KW(t) })),
    }));
    const r = py<{ fromJs: typeof fromJs; fromPy: typeof fromPy }>(PY_INTEROP, { cases, dir_: dir });
    fromJs = r.fromJs;
    fromPy = r.fromPy;
  });

  for (const c of CASES) {
    test(`${c.name}: exported by Python mlx, imported by mlx-node`, () => {
      const res = fromPy[c.name];
      const [fn, metadata] = mx.importFunction(file(`py_${c.name}.mlxfn`), true) as [Imported, string];
      assert.equal(metadata, res.metadata, 'metadata');
      assert.equal(metadata, c.metadata ?? '', 'metadata as given');
      c.calls.forEach((call, i) =>
        assert.equal(
          isPyError(res.outputs[i]),
          call.fails === true,
          `call ${i}: Python ${isPyError(res.outputs[i]) ? 'raised' : 'did not raise'}`,
        ),
      );
      c.calls.forEach((call, i) => compareCall(`call ${i}`, () => callJs(fn, call), res.outputs[i]));
    });

    test(`${c.name}: exported by mlx-node, imported by Python mlx`, () => {
      const res = fromJs[c.name];
      assert.ok(
        !isPyError(res),
        `Python could not import mlx-node's file: ${isPyError(res) ? `${res.$error}: ${res.message}` : ''}`,
      );
      const result = res as PyResult;
      assert.equal(result.metadata, c.metadata ?? '', 'metadata read by Python');
      c.calls.forEach((call, i) =>
        assert.equal(
          isPyError(result.outputs[i]),
          call.fails === true,
          `call ${i}: Python ${isPyError(result.outputs[i]) ? 'raised' : 'did not raise'}`,
        ),
      );
      const fn = importFn(file(`js_${c.name}.mlxfn`));
      c.calls.forEach((call, i) => {
        const expected = result.outputs[i];
        // mlx-node's own import of its file gives what Python's import gives...
        compareCall(`call ${i} (mlx-node import)`, () => callJs(fn, call), expected);
        // ...and a successful call equals the JS function itself.
        if (!isPyError(expected)) {
          c.jsSetup?.();
          compareCall(`call ${i} (the JS function)`, () => asList(callJs(c.js, call)), expected);
        }
      });
    });
  }

  test('the same function exported by both sides gives the same outputs', () => {
    for (const c of CASES) {
      const a = fromPy[c.name].outputs;
      const b = fromJs[c.name];
      assert.ok(!isPyError(b));
      (b as PyResult).outputs.forEach((o, i) => {
        if (isPyError(o) || isPyError(a[i])) {
          assert.equal(
            isPyError(o) && o.$error,
            isPyError(a[i]) && (a[i] as PyError).$error,
            `${c.name} call ${i}: both fail alike`,
          );
        } else {
          (o as array[]).forEach((arr, k) =>
            assertSameArray(arr, (a[i] as array[])[k], `${c.name} call ${i} output ${k}`),
          );
        }
      });
    }
  });

  test('metadata: none gives an empty string both ways', () => {
    assert.equal(fromPy.kwargs.metadata, '');
    assert.equal((fromJs.kwargs as PyResult).metadata, '');
    const [, md] = mx.importFunction(file('py_kwargs.mlxfn'), true) as [Imported, string];
    assert.equal(md, '');
  });
});
