// The port of python/tests/mlx_tests.py plus an exact array exchange with the
// oracle (Python mlx 0.32.4 and numpy in .venv).
//
//   const r = py(`out = mx.sum(x, axis=1)`, { x: mx.arange(6).reshape(2, 3) });
//   assertEqualArray(mx.sum(x, 1), r as mx.array);
//
// Arrays travel as raw bytes (base64) with dtype and shape, so values come back
// bit for bit (NaN, inf, bfloat16, int64 beyond 2^53 included). Keep the number
// of py() calls per test file small: each one starts a Python process
// (~0.3 s). Batch many cases into one call with pyEach().
import assert from 'node:assert/strict';

import { mx } from '../../lib/index';
import type { array, Dtype } from '../../lib/index';
import { runPython } from './oracle';

const PRELUDE = `
import base64, json, math, sys
import numpy as np
import mlx.core as mx

def _dtype(name):
    name = name.split('.')[-1]
    return getattr(mx, 'bool_' if name == 'bool' else name)

def _dec(v):
    if isinstance(v, list):
        return [_dec(e) for e in v]
    if isinstance(v, dict):
        if "$nd" in v:
            d = v["$nd"]
            raw = base64.b64decode(d["b64"])
            dt = _dtype(d["dtype"])
            if dt == mx.bool_:
                a = mx.array(np.frombuffer(raw, np.bool_).reshape(d["shape"]))
            else:
                view = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}[dt.size]
                a = mx.array(np.frombuffer(raw, view).reshape(d["shape"])).view(dt)
            return a
        if "$float" in v:
            return float(v["$float"])
        if "$big" in v:
            return int(v["$big"])
        if "$dtype" in v:
            return _dtype(v["$dtype"])
        if "$tuple" in v:
            return tuple(_dec(e) for e in v["$tuple"])
        if "$slice" in v:
            return slice(*v["$slice"])
        if "$ellipsis" in v:
            return Ellipsis
        if set(v) == {"re", "im"}:
            return complex(v["re"], v["im"])
        return {k: _dec(e) for k, e in v.items()}
    return v

def _enc(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if abs(v) <= 2**53 else {"$big": str(v)}
    if isinstance(v, float):
        return v if math.isfinite(v) else {"$float": repr(v)}
    if isinstance(v, complex):
        return {"re": _enc(v.real), "im": _enc(v.imag)}
    if isinstance(v, np.ndarray):
        v = mx.array(v)
    if isinstance(v, np.generic):
        return _enc(v.item())
    if isinstance(v, mx.array):
        mx.eval(v)
        return {"$nd": {"dtype": str(v.dtype).split('.')[-1], "shape": list(v.shape),
                        "b64": base64.b64encode(bytes(v)).decode()}}
    if isinstance(v, mx.Dtype):
        return {"$dtype": str(v).split('.')[-1]}
    if isinstance(v, (list, tuple)):
        return [_enc(e) for e in v]
    if isinstance(v, dict):
        return {str(k): _enc(e) for k, e in v.items()}
    raise TypeError("cannot send " + type(v).__name__ + " back to JS")

def _err(e):
    return {"$error": type(e).__name__, "message": str(e)}
`;

/** A Python exception raised by an oracle case. */
export interface PyError {
  $error: string;
  message: string;
}
export function isPyError(v: unknown): v is PyError {
  return v !== null && typeof v === 'object' && typeof (v as PyError).$error === 'string';
}

function encode(v: unknown): unknown {
  if (v instanceof mx.array) {
    const a = v as array;
    const bytes = Buffer.from(a.toTypedArray().buffer, a.toTypedArray().byteOffset, a.nbytes);
    return { $nd: { dtype: String(a.dtype).replace('mlx.core.', ''), shape: a.shape, b64: bytes.toString('base64') } };
  }
  if (typeof v === 'bigint') return { $big: v.toString() };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $float: String(v).replace('Infinity', 'inf') };
  if (Array.isArray(v)) return v.map(encode);
  if (v !== null && typeof v === 'object') {
    if (isDtype(v)) return { $dtype: String(v).replace('mlx.core.', '') };
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, encode(e)]));
  }
  return v;
}

function isDtype(v: unknown): v is Dtype {
  return v instanceof (mx.float32.constructor as new () => Dtype);
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.$nd) {
      const d = o.$nd as { dtype: string; shape: number[]; b64: string };
      const buf = Buffer.from(d.b64, 'base64');
      const dtype = (mx as unknown as Record<string, Dtype>)[d.dtype];
      return mx.array(buf, dtype).reshape(d.shape);
    }
    if (typeof o.$big === 'string') return BigInt(o.$big);
    if (typeof o.$float === 'string') return Number(o.$float.replace('inf', 'Infinity'));
    if (typeof o.$dtype === 'string') return (mx as unknown as Record<string, Dtype>)[o.$dtype];
    if (typeof o.$error === 'string') return o;
    return Object.fromEntries(Object.entries(o).map(([k, e]) => [k, decode(e)]));
  }
  return v;
}

// The program goes in argv, the data through stdin (argv caps one argument at 128 KiB).
function run(program: string, data: unknown): unknown {
  return decode(JSON.parse(runPython(program, JSON.stringify(data))));
}

/**
 * Runs Python source (numpy as np and mlx.core as mx imported) that assigns
 * `out`; the names in `inputs` are bound first (arrays, numbers, dtypes,
 * nested lists/objects). Returns `out` decoded: mx.arrays come back as
 * mx.arrays with identical bytes; a Python exception is thrown as an Error.
 */
export function py<T = unknown>(source: string, inputs: Record<string, unknown> = {}): T {
  const program = `${PRELUDE}
globals().update(_dec(json.load(sys.stdin)))
${source}
print(json.dumps(_enc(out)))
`;
  return run(program, encode(inputs)) as T;
}

/**
 * Evaluates many Python expressions in one process, each in the scope of
 * `inputs` (and of `setup`, run first). A case that raises gives a PyError
 * ({$error: 'ValueError', message}) instead of its value.
 */
export function pyEach(expressions: string[], inputs: Record<string, unknown> = {}, setup = ''): unknown[] {
  const program = `${PRELUDE}
_data = json.load(sys.stdin)
globals().update(_dec(_data["inputs"]))
${setup}
out = []
for _e in _data["expressions"]:
    try:
        out.append(_enc(eval(_e)))
    except Exception as e:
        out.append(_err(e))
print(json.dumps(out))
`;
  return run(program, { inputs: encode(inputs), expressions }) as unknown[];
}

// ---------------------------------------------------------------------------
// Assertions (mlx_tests.MLXTestCase)

function flat(a: array): Array<number | bigint | boolean | { re: number; im: number }> {
  const l = a.tolist() as unknown;
  const out: Array<number | bigint | boolean | { re: number; im: number }> = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else out.push(x as number);
  };
  walk(l);
  return out;
}

function close(x: number, y: number, atol: number, rtol: number, equalNan: boolean): boolean {
  if (Number.isNaN(x) || Number.isNaN(y)) return equalNan && Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  return Math.abs(x - y) <= atol + rtol * Math.abs(y);
}

/**
 * mlx_tests.assertEqualArray: same shape, and values within atol + rtol*|expected|
 * (exact for integer and bool arrays). `expected` may be an mx.array, a
 * nested JS list or a scalar. dtype is compared when `expected` is an mx.array
 * unless {dtype: false}. NaN equals NaN here (numpy's assert_allclose default).
 */
export function assertEqualArray(
  actual: array,
  expected: array | unknown,
  opts: { atol?: number; rtol?: number; dtype?: boolean; msg?: string } = {},
): void {
  const { atol = 1e-6, rtol = 1e-6, msg } = opts;
  assert.ok(actual instanceof mx.array, `${msg ?? ''} expected an mx.array, got ${typeof actual}`);
  const exp = expected instanceof mx.array ? (expected as array) : mx.array(expected as never);
  if (expected instanceof mx.array && opts.dtype !== false) {
    assert.equal(String(actual.dtype), String(exp.dtype), `${msg ?? ''} dtype`);
  }
  assert.deepEqual(actual.shape, exp.shape, `${msg ?? ''} shape`);
  const a = flat(actual);
  const e = flat(exp);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = e[i];
    let ok: boolean;
    if (typeof x === 'object' && typeof y === 'object') {
      ok = close(x.re, y.re, atol, rtol, true) && close(x.im, y.im, atol, rtol, true);
    } else if (typeof x === 'number' && typeof y === 'number') {
      ok = close(x, y, atol, rtol, true);
    } else {
      ok = x === y || Number(x) === Number(y);
    }
    if (!ok) {
      assert.fail(
        `${msg ? msg + ': ' : ''}arrays differ at flat index ${i}: ${String(x)} vs ${String(y)}\n` +
          `actual:   ${String(actual)}\nexpected: ${String(exp)}`,
      );
    }
  }
}

/** Bit-identical arrays: same dtype, shape and bytes (NaN payloads included). */
export function assertSameArray(actual: array, expected: array, msg?: string): void {
  assert.equal(String(actual.dtype), String(expected.dtype), `${msg ?? ''} dtype`);
  assert.deepEqual(actual.shape, expected.shape, `${msg ?? ''} shape`);
  const x = Buffer.from(actual.toTypedArray().buffer, actual.toTypedArray().byteOffset, actual.nbytes);
  const y = Buffer.from(expected.toTypedArray().buffer, expected.toTypedArray().byteOffset, expected.nbytes);
  if (!x.equals(y)) {
    assert.fail(`${msg ? msg + ': ' : ''}arrays differ\nactual:   ${String(actual)}\nexpected: ${String(expected)}`);
  }
}

/** A full GC (tests run with --expose-gc). */
export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  assert.equal(typeof g, 'function', 'tests must run with --expose-gc');
  g!();
}

/** GC and event-loop turns until the finalizers of collected arrays have run. */
export async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}
