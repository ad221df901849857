// The dtype surface — the 14 Dtype constants, the 8 DtypeCategory constants,
// issubdtype, resultType, canCast, isdtype, finfo, iinfo and dir — checked
// against Python mlx 0.32.4 (the oracle). Each full table is computed in one
// Python call.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';

import { mx } from '../lib/index';
import type { Dtype, DtypeCategory } from '../lib/index';
import { oracle, oracleEach } from './helpers/oracle';
import { DTYPES } from './helpers/dtypes';

const indexJs = path.resolve(__dirname, '..', 'lib', 'index.js');

// Python's names, in MLX's enum order.
const CATEGORIES = [
  'complexfloating',
  'floating',
  'inexact',
  'signedinteger',
  'unsignedinteger',
  'integer',
  'number',
  'generic',
] as const;
const FLOATS = ['float16', 'bfloat16', 'float32', 'float64'] as const;
const INTS = ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64'] as const;
const KINDS = [
  'bool',
  'signed integer',
  'unsigned integer',
  'integral',
  'real floating',
  'complex floating',
  'numeric',
];

const named = mx as unknown as Record<string, unknown>;
const dt = (n: string): Dtype => named[n] as Dtype;
const cat = (n: string): DtypeCategory => named[n] as DtypeCategory;
const any = mx as any;

// Prepended to Python sources: the same name lists.
const PY = `
D = ${JSON.stringify(DTYPES)}
C = ${JSON.stringify(CATEGORIES)}
K = ${JSON.stringify(KINDS)}
g = lambda n: getattr(mx, n)
`;

/** Cells where a JS table differs from the Python one, as readable strings. */
function diffTable<T>(rows: readonly string[], cols: readonly string[], js: T[][], py: T[][]): string[] {
  assert.equal(py.length, rows.length, 'oracle table has the wrong number of rows');
  const out: string[] = [];
  rows.forEach((r, i) => {
    assert.equal(py[i].length, cols.length, 'oracle table has the wrong number of columns');
    cols.forEach((c, j) => {
      if (js[i][j] !== py[i][j]) out.push(`(${r}, ${c}): js=${String(js[i][j])} python=${String(py[i][j])}`);
    });
  });
  return out;
}

/** 'ok' or the error's message, for comparing whether JS throws where Python raises. */
function outcome(f: () => unknown): { ok: boolean; message?: string; error?: unknown } {
  try {
    f();
    return { ok: true };
  } catch (e) {
    return { ok: false, message: (e as Error).message, error: e };
  }
}

// ---------------------------------------------------------------------------

describe('TestDtypes', () => {
  test('test_dtypes', () => {
    const py = oracle<Record<string, { size: number; repr: string; str: string }>>(
      PY + 'out = {n: {"size": g(n).size, "repr": repr(g(n)), "str": str(g(n))} for n in D}',
    );
    for (const n of DTYPES) {
      const d = dt(n);
      assert.equal(d.size, py[n].size, `${n}.size`);
      assert.equal(String(d), py[n].repr, `String(${n})`);
      assert.equal(`${d}`, py[n].str, `template literal of ${n}`);
      assert.equal(d.toString(), py[n].repr, `${n}.toString()`);
    }
    // The values Python's own test_dtypes spells out.
    assert.equal(String(mx.bool_), 'mlx.core.bool');
    assert.equal(String(mx.bfloat16), 'mlx.core.bfloat16');
    assert.equal(mx.complex64.size, 8);
    assert.equal(mx.float64.size, 8);
  });

  test('test_dtype_equality', () => {
    // Dtypes are singletons: the dtype of any array is the very constant.
    assert.equal(mx.array([1]).dtype, mx.float32);
    assert.equal(mx.array([true]).dtype, mx.bool_);
    assert.equal(mx.array(1n).dtype, mx.int64);
    for (const n of DTYPES) {
      const d = dt(n);
      assert.ok(d instanceof (mx.Dtype as any), `${n} instanceof mx.Dtype`);
      assert.ok(Object.isFrozen(d), `${n} is frozen`);
      assert.equal(mx.array([1]).astype(d).dtype, d, `astype(${n}).dtype`);
      assert.equal(mx.astype(mx.array([0, 1]), d).dtype, d, `mx.astype(a, ${n}).dtype`);
      assert.equal(mx.array([1], d).dtype, d, `array([1], ${n}).dtype`);
      assert.equal(mx.zeros([2], d).dtype, d, `zeros([2], ${n}).dtype`);
    }
    assert.equal(new Set(DTYPES.map(dt)).size, DTYPES.length, 'the 14 dtypes are 14 distinct objects');
    // Python: equality is identity of the constants, and mx.Dtype has no constructor.
    const py = oracleEach(['mx.float32 == mx.float32', 'mx.float32 == mx.float64', 'mx.Dtype()']);
    assert.equal(mx.float32 === mx.float32, py[0].value);
    assert.equal((mx.float32 as unknown) === (mx.float64 as unknown), py[1].value);
    assert.equal(py[2].ok, false);
    assert.throws(() => new (mx.Dtype as any)(), TypeError);
  });

  test('mx.bool_ and mx.bool are the same object', () => {
    assert.equal(mx.bool, mx.bool_);
    assert.equal(mx.array([false]).dtype, mx.bool);
    assert.equal(String(mx.bool), 'mlx.core.bool');
  });
});

describe('dtype categories', () => {
  test('String(category) is Python repr and .name is Python .name', () => {
    const py = oracle<Record<string, { repr: string; name: string }>>(
      PY + 'out = {n: {"repr": repr(g(n)), "name": g(n).name} for n in C}',
    );
    for (const n of CATEGORIES) {
      const c = cat(n);
      assert.equal(String(c), py[n].repr, `String(${n})`);
      assert.equal(c.name, py[n].name, `${n}.name`);
      assert.ok(c instanceof (mx.DtypeCategory as any), `${n} instanceof mx.DtypeCategory`);
      assert.equal((mx.DtypeCategory as any)[n], c, `mx.DtypeCategory.${n} is mx.${n}`);
      assert.ok(Object.isFrozen(c), `${n} is frozen`);
    }
    assert.equal(String(mx.floating), 'DtypeCategory.floating');
    assert.equal(new Set(CATEGORIES.map(cat)).size, CATEGORIES.length);
  });
});

describe('issubdtype', () => {
  test('the full 22 x 22 table of dtypes and categories equals Python', () => {
    const all = [...DTYPES, ...CATEGORIES];
    const py = oracle<boolean[][]>(PY + 'A = D + C\nout = [[mx.issubdtype(g(a), g(b)) for b in A] for a in A]');
    const js = all.map((a) => all.map((b) => mx.issubdtype(named[a] as Dtype, named[b] as Dtype)));
    assert.deepEqual(diffTable(all, all, js, py), []);
    // The table is not degenerate.
    assert.equal(mx.issubdtype(mx.int8, mx.signedinteger), true);
    assert.equal(mx.issubdtype(mx.uint8, mx.signedinteger), false);
    assert.equal(mx.issubdtype(mx.floating, mx.inexact), true);
  });

  test('a wrong argument throws where Python raises', () => {
    const py = oracleEach(['mx.issubdtype(mx.int8, "x")', 'mx.issubdtype("x", mx.int8)']);
    assert.deepEqual(
      py.map((r) => r.ok),
      [false, false],
    );
    assert.throws(() => any.issubdtype(mx.int8, 'x'), {
      name: 'TypeError',
      message: /issubdtype\(\): argument 'arg2'/,
    });
    assert.throws(() => any.issubdtype('x', mx.int8), {
      name: 'TypeError',
      message: /issubdtype\(\): argument 'arg1'/,
    });
  });
});

describe('resultType', () => {
  test('the full 14 x 14 dtype table equals Python', () => {
    const py = oracle<string[][]>(PY + 'out = [[repr(mx.result_type(g(a), g(b))) for b in D] for a in D]');
    const js = DTYPES.map((a) => DTYPES.map((b) => String(mx.resultType(dt(a), dt(b)))));
    assert.deepEqual(diffTable(DTYPES, DTYPES, js, py), []);
    // Results are the singleton constants.
    for (const a of DTYPES) for (const b of DTYPES) assert.ok(DTYPES.map(dt).includes(mx.resultType(dt(a), dt(b))));
  });

  test('arrays and dtypes mix: (array, dtype) and (array, array) tables equal Python', () => {
    const py = oracle<{ ad: string[][]; aa: string[][] }>(
      PY +
        `arr = {n: mx.zeros((1,), dtype=g(n)) for n in D}
out = {"ad": [[repr(mx.result_type(arr[a], g(b))) for b in D] for a in D],
       "aa": [[repr(mx.result_type(arr[a], arr[b])) for b in D] for a in D]}`,
    );
    const arr = Object.fromEntries(DTYPES.map((n) => [n, mx.zeros([1], dt(n))]));
    const ad = DTYPES.map((a) => DTYPES.map((b) => String(mx.resultType(arr[a], dt(b)))));
    const aa = DTYPES.map((a) => DTYPES.map((b) => String(mx.resultType(arr[a], arr[b]))));
    assert.deepEqual(diffTable(DTYPES, DTYPES, ad, py.ad), []);
    assert.deepEqual(diffTable(DTYPES, DTYPES, aa, py.aa), []);
  });

  test('one and three inputs equal Python', () => {
    const cases: Array<[string, () => Dtype]> = [
      ['mx.result_type(mx.int8)', () => mx.resultType(mx.int8)],
      ['mx.result_type(mx.int8, mx.uint16, mx.float16)', () => mx.resultType(mx.int8, mx.uint16, mx.float16)],
      ['mx.result_type(mx.uint8, mx.int8, mx.bool_)', () => mx.resultType(mx.uint8, mx.int8, mx.bool_)],
      [
        'mx.result_type(mx.array([1], mx.int8), mx.float16, mx.array([1], mx.uint64))',
        () => mx.resultType(mx.array([1], mx.int8), mx.float16, mx.array([1], mx.uint64)),
      ],
      ['mx.result_type(mx.array([True]))', () => mx.resultType(mx.array([true]))],
      ['mx.result_type(mx.bfloat16, mx.float16)', () => mx.resultType(mx.bfloat16, mx.float16)],
    ];
    const py = oracleEach(
      cases.map((c) => c[0]),
      'repr(x)',
    );
    cases.forEach(([src, f], i) => {
      assert.equal(py[i].ok, true, src);
      assert.equal(String(f()), py[i].value, src);
    });
  });

  test('inputs that are not arrays or dtypes throw where Python raises', () => {
    const py = oracleEach(['mx.result_type(1, mx.int8)', 'mx.result_type("a")', 'mx.result_type(mx.floating)']);
    assert.deepEqual(
      py.map((r) => r.ok),
      [false, false, false],
    );
    assert.throws(() => any.resultType(1, mx.int8), { name: 'TypeError', message: /resultType\(\)/ });
    assert.throws(() => any.resultType('a'), { name: 'TypeError', message: /resultType\(\)/ });
    assert.throws(() => any.resultType(mx.floating), { name: 'TypeError', message: /resultType\(\)/ });
  });

  // Library bug: resultType() with no inputs throws a C++ exception that is
  // not turned into a JS exception, so the whole process aborts (SIGABRT).
  // Run it in a child process so the bug cannot take this test file down.
  test('resultType() with no inputs throws (Python: ValueError) instead of ending the process', () => {
    const py = oracleEach(['mx.result_type()']);
    assert.equal(py[0].ok, false);
    const src = `const { mx } = require(${JSON.stringify(indexJs)});
try { mx.resultType(); console.log('no error'); } catch (e) { console.log('threw ' + e.message); }`;
    const r = spawnSync(process.execPath, ['-e', src], { encoding: 'utf8' });
    assert.equal(r.signal, null, `child ended by ${r.signal}: ${r.stderr.trim()}`);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^threw .*result_type/);
  });
});

describe('canCast', () => {
  test('the full 14 x 14 table equals Python, from dtypes and from arrays', () => {
    const py = oracle<{ dd: boolean[][]; ad: boolean[][] }>(
      PY +
        `out = {"dd": [[mx.can_cast(g(a), g(b)) for b in D] for a in D],
       "ad": [[mx.can_cast(mx.zeros((1,), dtype=g(a)), g(b)) for b in D] for a in D]}`,
    );
    const dd = DTYPES.map((a) => DTYPES.map((b) => mx.canCast(dt(a), dt(b))));
    const ad = DTYPES.map((a) => {
      const x = mx.zeros([1], dt(a));
      return DTYPES.map((b) => mx.canCast(x, dt(b)));
    });
    assert.deepEqual(diffTable(DTYPES, DTYPES, dd, py.dd), []);
    assert.deepEqual(diffTable(DTYPES, DTYPES, ad, py.ad), []);
    assert.equal(mx.canCast(mx.int8, mx.int16), true);
    assert.equal(mx.canCast(mx.int16, mx.int8), false);
  });

  test('a category as from_ throws where Python raises', () => {
    const py = oracleEach(['mx.can_cast(mx.floating, mx.int8)', 'mx.can_cast(mx.int8, mx.floating)']);
    assert.deepEqual(
      py.map((r) => r.ok),
      [false, false],
    );
    assert.throws(() => any.canCast(mx.floating, mx.int8), {
      name: 'TypeError',
      message: /canCast\(\): argument 'from'/,
    });
    assert.throws(() => any.canCast(mx.int8, mx.floating), {
      name: 'TypeError',
      message: /canCast\(\): argument 'to'/,
    });
  });
});

describe('isdtype', () => {
  test('every dtype x every kind string equals Python', () => {
    const py = oracle<boolean[][]>(PY + 'out = [[mx.isdtype(g(a), k) for k in K] for a in D]');
    const js = DTYPES.map((a) => KINDS.map((k) => mx.isdtype(dt(a), k)));
    assert.deepEqual(diffTable(DTYPES, KINDS, js, py), []);
  });

  test('dtype kinds and tuple (array) kinds equal Python', () => {
    // '@name' is a dtype, anything else a kind string; JS arrays are Python tuples.
    const tuples: string[][] = [
      [],
      ['bool'],
      ['bool', 'real floating'],
      ['signed integer', 'unsigned integer'],
      ['complex floating', '@bool_'],
      ['@float32', 'integral'],
      ['@int8', '@uint64', '@bfloat16'],
      ['numeric', 'bool'],
    ];
    const py = oracle<{ dtype: boolean[][]; tuple: boolean[][] }>(
      PY +
        `T = json.loads(${JSON.stringify(JSON.stringify(tuples))})
k = lambda s: g(s[1:]) if s.startswith("@") else s
out = {"dtype": [[mx.isdtype(g(a), g(b)) for b in D] for a in D],
       "tuple": [[mx.isdtype(g(a), tuple(k(s) for s in t)) for t in T] for a in D]}`,
    );
    const k = (s: string): Dtype | string => (s.startsWith('@') ? dt(s.slice(1)) : s);
    const jsDtype = DTYPES.map((a) => DTYPES.map((b) => mx.isdtype(dt(a), dt(b))));
    const jsTuple = DTYPES.map((a) => tuples.map((t) => mx.isdtype(dt(a), t.map(k))));
    assert.deepEqual(diffTable(DTYPES, DTYPES, jsDtype, py.dtype), []);
    assert.deepEqual(
      diffTable(
        DTYPES,
        tuples.map((t) => `[${t.join(', ')}]`),
        jsTuple,
        py.tuple,
      ),
      [],
    );
  });

  test('unknown kinds and wrong arguments throw where Python raises', () => {
    const cases: Array<[string, () => unknown]> = [
      ['mx.isdtype(mx.int8, "foo")', () => mx.isdtype(mx.int8, 'foo')],
      ['mx.isdtype(mx.int8, ("foo", mx.int8))', () => mx.isdtype(mx.int8, ['foo', mx.int8])],
      ['mx.isdtype(mx.int8, (mx.int8, "foo"))', () => mx.isdtype(mx.int8, [mx.int8, 'foo'])],
      ['mx.isdtype(mx.int8, mx.integer)', () => any.isdtype(mx.int8, mx.integer)],
      ['mx.isdtype(mx.array([1]), "numeric")', () => any.isdtype(mx.array([1]), 'numeric')],
    ];
    const py = oracleEach(cases.map((c) => c[0]));
    cases.forEach(([src, f], i) => {
      const js = outcome(f);
      assert.equal(
        js.ok,
        py[i].ok,
        `${src}: js ${js.ok ? 'returned' : 'threw ' + js.message}, python ${py[i].error ?? 'returned'}`,
      );
      if (js.ok) assert.equal(f(), py[i].value, src);
    });
  });
});

describe('finfo and iinfo', () => {
  test('finfo of float16, bfloat16, float32, float64 equals Python', () => {
    const py = oracle<
      Record<
        string,
        { min: number; max: number; eps: number; smallest_normal: number; bits: number; dtype: string; repr: string }
      >
    >(
      PY +
        `F = ${JSON.stringify(FLOATS)}
out = {}
for n in F:
    f = mx.finfo(g(n))
    out[n] = {"min": f.min, "max": f.max, "eps": f.eps, "smallest_normal": f.smallest_normal,
              "bits": f.bits, "dtype": repr(f.dtype), "repr": repr(f)}`,
    );
    for (const n of FLOATS) {
      const f = mx.finfo(dt(n));
      const p = py[n];
      assert.equal(f.min, p.min, `finfo(${n}).min`);
      assert.equal(f.max, p.max, `finfo(${n}).max`);
      assert.equal(f.eps, p.eps, `finfo(${n}).eps`);
      assert.equal(f.smallestNormal, p.smallest_normal, `finfo(${n}).smallestNormal`);
      assert.equal(f.bits, p.bits, `finfo(${n}).bits`);
      assert.equal(String(f.dtype), p.dtype, `finfo(${n}).dtype`);
      assert.equal(f.dtype, dt(n), `finfo(${n}).dtype is the constant`);
      assert.equal(String(f), p.repr, `String(finfo(${n}))`);
      assert.ok(f instanceof mx.finfo, 'instanceof mx.finfo');
      assert.equal(String(new mx.finfo(dt(n))), p.repr, 'new mx.finfo works too');
    }
  });

  // Library bug: Python's finfo(complex64) describes the real part (dtype float32);
  // mlx-node keeps the argument as .dtype and prints dtype=complex64.
  test('finfo(complex64) describes float32, as in Python', () => {
    const py = oracle<{ dtype: string; repr: string }>(
      'f = mx.finfo(mx.complex64)\nout = {"dtype": repr(f.dtype), "repr": repr(f)}',
    );
    const f = mx.finfo(mx.complex64);
    assert.equal(String(f.dtype), py.dtype);
    assert.equal(String(f), py.repr);
  });

  test('iinfo of the 8 integer types equals Python (bigint beyond 2^53)', () => {
    // Python ints go through str(): JSON numbers would lose int64/uint64 precision.
    const py = oracle<Record<string, { min: string; max: string; dtype: string; repr: string }>>(
      PY +
        `I = ${JSON.stringify(INTS)}
out = {n: {"min": str(mx.iinfo(g(n)).min), "max": str(mx.iinfo(g(n)).max),
           "dtype": repr(mx.iinfo(g(n)).dtype), "repr": repr(mx.iinfo(g(n)))} for n in I}`,
    );
    for (const n of INTS) {
      const i = mx.iinfo(dt(n));
      const p = py[n];
      for (const key of ['min', 'max'] as const) {
        const v = i[key];
        assert.equal(BigInt(v), BigInt(p[key]), `iinfo(${n}).${key}`);
        const safe = BigInt(p[key]) >= -(2n ** 53n) && BigInt(p[key]) <= 2n ** 53n;
        assert.equal(typeof v, safe ? 'number' : 'bigint', `typeof iinfo(${n}).${key}`);
      }
      assert.equal(String(i.dtype), p.dtype, `iinfo(${n}).dtype`);
      assert.equal(i.dtype, dt(n));
      assert.equal(String(i), p.repr, `String(iinfo(${n}))`);
      assert.ok(i instanceof mx.iinfo);
    }
    assert.equal(mx.iinfo(mx.uint64).max, 18446744073709551615n);
    assert.equal(mx.iinfo(mx.int64).min, -9223372036854775808n);
    assert.equal(mx.iinfo(mx.int32).max, 2147483647);
  });

  test('finfo / iinfo throw for every dtype where Python raises, with its message', () => {
    const exprs = DTYPES.flatMap((n) => [`mx.finfo(mx.${n})`, `mx.iinfo(mx.${n})`]);
    const py = oracleEach(exprs, 'repr(x)');
    DTYPES.forEach((n, i) => {
      for (const [j, fn] of [
        [0, 'finfo'],
        [1, 'iinfo'],
      ] as const) {
        const p = py[2 * i + j];
        const js = outcome(() => mx[fn](dt(n)));
        assert.equal(
          js.ok,
          p.ok,
          `${fn}(${n}): js ${js.ok ? 'returned' : 'threw'}, python ${p.ok ? 'returned' : p.error}`,
        );
        if (!js.ok) {
          assert.ok(js.error instanceof Error);
          assert.equal(js.message, p.error!.replace(/^ValueError: /, ''), `${fn}(${n}) message`);
        }
      }
    });
    // The cases the task names explicitly.
    assert.throws(() => mx.finfo(mx.int32), /not inexact/);
    assert.throws(() => mx.iinfo(mx.float32), /Only integer types supported/);
  });
});

describe('dir', () => {
  test('mx.dir(mx.float32) is the public part of Python dir(mx.float32)', () => {
    const py = oracle<string[]>('out = sorted(n for n in dir(mx.float32) if not n.startswith("_"))');
    assert.deepEqual(mx.dir(mx.float32), py);
    for (const n of DTYPES) assert.deepEqual(mx.dir(dt(n)), py, `mx.dir(mx.${n})`);
    assert.ok(py.includes('size'));
  });
});

// ---------------------------------------------------------------------------
// The same checks in worker threads: every environment has its own singletons.

describe('worker threads', () => {
  test('singletons and the issubdtype table hold in 3 workers at once', async () => {
    const all = [...DTYPES, ...CATEGORIES];
    const table = all.map((a) => all.map((b) => mx.issubdtype(named[a] as Dtype, named[b] as Dtype)));
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { mx } = require(${JSON.stringify(indexJs)});
      const { dtypes, all, table } = workerData;
      const errors = [];
      try {
        if (mx.array([1]).dtype !== mx.float32) errors.push('array([1]).dtype !== float32');
        if (mx.bool !== mx.bool_) errors.push('bool !== bool_');
        for (const n of dtypes) {
          if (mx.array([1]).astype(mx[n]).dtype !== mx[n]) errors.push('astype ' + n);
          if (mx.zeros([1], mx[n]).dtype !== mx[n]) errors.push('zeros ' + n);
        }
        all.forEach((a, i) => all.forEach((b, j) => {
          if (mx.issubdtype(mx[a], mx[b]) !== table[i][j]) errors.push('issubdtype ' + a + ' ' + b);
        }));
      } catch (e) {
        errors.push('threw: ' + e.message);
      }
      parentPort.postMessage({ ok: errors.length === 0, errors });
    `;
    const run = () =>
      new Promise<{ ok: boolean; errors: string[] }>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { dtypes: DTYPES, all, table } });
        w.once('message', resolve);
        w.once('error', reject);
        w.once('exit', (c) => {
          if (c !== 0) reject(new Error(`worker exited with code ${c}`));
        });
      });
    const results = await Promise.all([run(), run(), run()]);
    assert.equal(results.length, 3);
    for (const r of results) assert.deepEqual(r, { ok: true, errors: [] });
  });
});
