// Differential call tables (random.test.ts, fft.test.ts): one description of a
// call gives both its Python source and its mlx-node call, so that the two
// sides cannot drift apart.
//
//   const c = callCase('random', 'uniform', [], { shape: [2, 3], key: inp('k0') }, inputs);
//   c.py    -> 'mx.random.uniform(shape=(2, 3), key=k0)'
//   c.label -> 'mx.random.uniform({shape: [2, 3], key: k0})'
//   c.js()  -> mx.random.uniform({ shape: [2, 3], key: inputs.k0 })
//
// A JS number is written to Python as an int when it is integral (that is how
// mlx-node reads a JS number beside an array), a list of numbers as a tuple, a
// Dtype as mx.<name>, {re, im} as complex(re, im), null as None.
import assert from 'node:assert/strict';

import { mx } from '../../lib/index';
import type { array, Dtype } from '../../lib/index';
import { isPyError } from './mlx_tests';
import type { PyError } from './mlx_tests';

/** A named input (an array sent to the oracle under that name). */
export class In {
  constructor(readonly name: string) {}
}
export const inp = (name: string): In => new In(name);

/** A device/stream argument: mx.cpu in both languages. */
export class Cpu {}
export const CPU = new Cpu();

const isDtype = (v: unknown): v is Dtype => v instanceof (mx.float32.constructor as new () => Dtype);
const dtypeName = (d: Dtype) => String(d).replace('mlx.core.', '');
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** A JS argument as Python source. */
export function pyLit(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v instanceof In) return v.name;
  if (v instanceof Cpu) return 'mx.cpu';
  if (isDtype(v)) return `mx.${dtypeName(v)}`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return `(${v.toString()})`;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return "float('nan')";
    if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "float('-inf')";
    if (Number.isInteger(v)) return Object.is(v, -0) ? '-0.0' : BigInt(v).toString();
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${pyLit(v[0])},)` : `(${v.map(pyLit).join(', ')})`;
  if (typeof v === 'object' && 're' in (v as object) && 'im' in (v as object)) {
    const c = v as { re: number; im: number };
    return `complex(${pyLit(c.re)}, ${pyLit(c.im)})`;
  }
  throw new TypeError(`no Python literal for ${String(v)}`);
}

/** A JS argument as JS source (for labels). */
export function jsLit(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof In) return v.name;
  if (v instanceof Cpu) return 'mx.cpu';
  if (isDtype(v)) return `mx.${dtypeName(v)}`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jsLit).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as object)
      .map(([k, e]) => `${k}: ${jsLit(e)}`)
      .join(', ')}}`;
  }
  return String(v);
}

function jsVal(v: unknown, inputs: Record<string, unknown>): unknown {
  if (v instanceof In) {
    if (!(v.name in inputs)) throw new Error(`no input ${v.name}`);
    return inputs[v.name];
  }
  if (v instanceof Cpu) return mx.cpu;
  return v;
}

export interface CallCase {
  /** The mlx-node call, as JS source. */
  label: string;
  /** The same call in Python. */
  py: string;
  /** Make the mlx-node call. */
  js: () => unknown;
}

/**
 * mx.<ns>.<fn>(...args, kw) in mlx-node and mx.<ns>.<snake fn>(*args, **snake kw) in
 * Python. kw === undefined (or {}) passes no options object; undefined options are left out.
 */
export function callCase(
  ns: 'random' | 'fft',
  fn: string,
  args: unknown[],
  kw: Record<string, unknown> | undefined,
  inputs: Record<string, unknown>,
): CallCase {
  // an option given as undefined is left out on both sides
  if (kw) kw = Object.fromEntries(Object.entries(kw).filter(([, v]) => v !== undefined));
  const pyArgs = [...args.map(pyLit), ...Object.entries(kw ?? {}).map(([k, v]) => `${snake(k)}=${pyLit(v)}`)];
  const jsArgs = [...args.map(jsLit), ...(kw && Object.keys(kw).length ? [jsLit(kw)] : [])];
  return {
    label: `mx.${ns}.${fn}(${jsArgs.join(', ')})`,
    py: `mx.${ns}.${snake(fn)}(${pyArgs.join(', ')})`,
    js: () => {
      const f = (mx[ns] as unknown as Record<string, (...a: unknown[]) => unknown>)[fn];
      if (typeof f !== 'function') throw new Error(`mx.${ns}.${fn} does not exist`);
      const a = args.map((v) => jsVal(v, inputs));
      if (kw && Object.keys(kw).length) {
        a.push(Object.fromEntries(Object.entries(kw).map(([k, v]) => [k, jsVal(v, inputs)])));
      }
      return f(...a);
    },
  };
}

// ---------------------------------------------------------------------------
// Comparing an mlx-node outcome with the oracle's

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Run an mlx-node call and evaluate what it returns (errors at evaluation count as the call's). */
export function outcome(f: () => unknown): Outcome {
  try {
    const value = f();
    const arrays: array[] = [];
    const walk = (x: unknown) => {
      if (x instanceof mx.array) arrays.push(x as array);
      else if (Array.isArray(x)) x.forEach(walk);
    };
    walk(value);
    if (arrays.length) mx.eval(...arrays);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  }
}

const errName = (e: unknown) => (e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e));

/** The JS error class for a Python exception (CONTRIBUTING.md). */
export function assertErrorMatches(error: unknown, py: PyError, msg: string): void {
  assert.ok(error instanceof Error, `${msg}: threw a non-Error ${String(error)}`);
  const want =
    py.$error === 'TypeError'
      ? 'TypeError'
      : py.$error === 'IndexError'
        ? 'RangeError'
        : py.$error === 'ValueError' || py.$error === 'RuntimeError'
          ? 'Error'
          : null;
  // An integer outside a parameter's range (a negative seed, 2**64) is a
  // RangeError in mlx-node; Python's nanobind says TypeError (it finds no
  // matching overload). Intentional (docs/python-to-node.md, Errors).
  const rangeForOverload =
    py.message.includes('incompatible function arguments') && (error as Error) instanceof RangeError;
  if (want === 'TypeError' && !rangeForOverload) {
    assert.ok(
      error instanceof TypeError,
      `${msg}: Python raised TypeError (${py.message}), mlx-node ${errName(error)}`,
    );
  }
  if (want === 'RangeError')
    assert.ok(
      error instanceof RangeError,
      `${msg}: Python raised IndexError (${py.message}), mlx-node ${errName(error)}`,
    );
  else if (want === 'Error') {
    assert.ok(
      !((error as Error) instanceof TypeError) && !((error as Error) instanceof RangeError),
      `${msg}: Python raised ${py.$error} (${py.message}), mlx-node ${errName(error)}`,
    );
  }
}

function bytesOf(a: array): Buffer {
  const t = a.toTypedArray();
  return Buffer.from(t.buffer, t.byteOffset, a.nbytes);
}

/** Max |a - e| / (1 + |e|) over elements (complex by parts), for float/complex arrays of one shape. */
export function maxScaledDiff(actual: array, expected: array): number {
  const c = String(actual.dtype) === String(mx.complex64);
  const a = (c ? actual : actual.astype(mx.float64)).toTypedArray() as Float32Array | Float64Array;
  const e = (c ? expected : expected.astype(mx.float64)).toTypedArray() as Float32Array | Float64Array;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(e[i])) continue;
    if (a[i] === e[i]) continue;
    const d = Math.abs(a[i] - e[i]) / (1 + Math.abs(e[i]));
    m = Number.isNaN(d) ? Infinity : Math.max(m, d);
  }
  return m;
}

/**
 * The mlx-node value equals the oracle's: arrays bit for bit (same dtype,
 * shape, bytes), lists element by element. With `tol`, float/complex arrays
 * that are not bit-identical may differ by |a - e| <= tol * (1 + |e|); each
 * such array is reported through `inexact`.
 */
export function assertSameValue(
  actual: unknown,
  expected: unknown,
  msg: string,
  opts: { tol?: number; inexact?: (msg: string, maxDiff: number) => void } = {},
): void {
  if (expected instanceof mx.array) {
    assert.ok(actual instanceof mx.array, `${msg}: expected an array, got ${String(actual)}`);
    const a = actual as array;
    const e = expected as array;
    assert.equal(String(a.dtype), String(e.dtype), `${msg}: dtype`);
    assert.deepEqual(a.shape, e.shape, `${msg}: shape`);
    if (bytesOf(a).equals(bytesOf(e))) return;
    const floating = [mx.float32, mx.float64, mx.complex64, mx.float16, mx.bfloat16].some(
      (d) => String(d) === String(e.dtype),
    );
    if (opts.tol !== undefined && floating) {
      const d = maxScaledDiff(a, e);
      if (d <= opts.tol) {
        opts.inexact?.(msg, d);
        return;
      }
      assert.fail(`${msg}: differs by up to ${d} (scaled)\nmlx-node: ${String(a)}\nPython:   ${String(e)}`);
    }
    assert.fail(`${msg}: not bit-identical\nmlx-node: ${String(a)}\nPython:   ${String(e)}`);
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${msg}: expected a list, got ${String(actual)}`);
    assert.equal((actual as unknown[]).length, expected.length, `${msg}: list length`);
    expected.forEach((e, i) => assertSameValue((actual as unknown[])[i], e, `${msg}[${i}]`, opts));
    return;
  }
  assert.deepEqual(actual, expected, msg);
}

/** The mlx-node outcome of a call matches the oracle's result for it (an array, a list, or a PyError). */
export function assertSameOutcome(
  got: Outcome,
  expected: unknown,
  msg: string,
  opts: { tol?: number; inexact?: (msg: string, maxDiff: number) => void } = {},
): void {
  if (isPyError(expected)) {
    assert.ok(
      !got.ok,
      `${msg}: Python raised ${expected.$error} (${expected.message}), mlx-node returned ${got.ok ? String(got.value) : ''}`,
    );
    assertErrorMatches((got as { error: unknown }).error, expected, msg);
    return;
  }
  if (!got.ok) assert.fail(`${msg}: mlx-node threw ${errName(got.error)}; Python returned ${String(expected)}`);
  assertSameValue(got.value, expected, msg, opts);
}
