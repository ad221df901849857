// Helpers for ports whose Python tests draw random inputs and compare with
// numpy in big loops (test_reduce, test_blas, test_einsum):
//
// - Seeded inputs that JS and the oracle build bit-identically from a small
//   spec, so large operands need not travel to Python: a hash of (seed, flat
//   index) gives u in (0, 1); normal() is a zero-mean uniform with the given
//   standard deviation ((2u - 1) * sqrt(3) * std), uniform() lo + (hi - lo) * u,
//   randint() lo + floor(u * (hi - lo)). Values are computed in float64 with
//   the same operations on both sides, rounded to float32 (randint: int32),
//   then cast by MLX's astype on both sides when a dtype is given. The value
//   at a flat index depends only on the seed, so a shape's values are a prefix
//   of the seed's stream (as after np.random.seed(s) in Python). Every batch
//   first checks a few seeded inputs bit for bit against the oracle's.
// - OracleBatch: many numpy expectations computed in ONE py() call, run the
//   first time a test asks for a result. Inputs may be given as a thunk that
//   builds them with mlx-node ops; a thunk that throws fails only the tests
//   that read that entry.
// - digest: exact comparison of large integer results by sha1 of their bytes.
// - assertAllClose: np.allclose (complex by modulus); assertArrayEqualNan:
//   np.array_equal(a, b, equal_nan=True).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import { mx } from '../../lib/index';
import type { array, Dtype } from '../../lib/index';
import { isPyError, py } from './mlx_tests';

// ---------------------------------------------------------------------------
// Seeded inputs

const SQRT3 = 1.7320508075688772;

function h32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** u in (0, 1) at flat index i of the seed's stream. */
function u01(off: number, i: number): number {
  return (h32((i + off) >>> 0) + 0.5) / 4294967296;
}

// The hashes of long streams are kept (they are reused as prefixes by many shapes).
const hashCache = new Map<number, Uint32Array>();
function hashes(seed: number, n: number): Uint32Array | null {
  if (n < 1 << 16) return null;
  let h = hashCache.get(seed);
  if (!h || h.length < n) {
    const len = Math.max(n, h ? 2 * h.length : 0);
    h = new Uint32Array(len);
    const off = Math.imul(seed, 0x9e3779b9);
    for (let i = 0; i < len; i++) h[i] = h32((i + off) >>> 0);
  }
  // most recently used last; keep 4
  hashCache.delete(seed);
  hashCache.set(seed, h);
  if (hashCache.size > 4) hashCache.delete(hashCache.keys().next().value as number);
  return h;
}

type Kind = 'normal' | 'uniform' | 'randint';
export interface SeededSpec {
  seed: number;
  shape: number[];
  kind: Kind;
  a: number; // normal: std; uniform/randint: lo
  b: number; // normal: unused; uniform/randint: hi
  dtype: string | null; // MLX dtype name the float32/int32 values are cast to
}

const prod = (shape: number[]) => shape.reduce((x, y) => x * y, 1);

/** A seeded input: `.mx` is the mlx-node array, the oracle rebuilds the same values from the spec. */
export class Seeded {
  readonly spec: SeededSpec;
  #array: array | undefined;
  constructor(spec: SeededSpec) {
    this.spec = spec;
  }
  /** The raw values before the dtype cast (Float32Array, or Int32Array for randint). */
  values(): Float32Array | Int32Array {
    const { seed, shape, kind, a, b } = this.spec;
    const n = prod(shape);
    const off = Math.imul(seed, 0x9e3779b9);
    const h = hashes(seed, n);
    const D = 4294967296;
    if (kind === 'randint') {
      const out = new Int32Array(n);
      if (h) for (let i = 0; i < n; i++) out[i] = a + Math.floor(((h[i] + 0.5) / D) * (b - a));
      else for (let i = 0; i < n; i++) out[i] = a + Math.floor(u01(off, i) * (b - a));
      return out;
    }
    const out = new Float32Array(n);
    if (kind === 'normal') {
      if (h) for (let i = 0; i < n; i++) out[i] = (2 * ((h[i] + 0.5) / D) - 1) * SQRT3 * a;
      else for (let i = 0; i < n; i++) out[i] = (2 * u01(off, i) - 1) * SQRT3 * a;
    } else {
      if (h) for (let i = 0; i < n; i++) out[i] = a + (b - a) * ((h[i] + 0.5) / D);
      else for (let i = 0; i < n; i++) out[i] = a + (b - a) * u01(off, i);
    }
    return out;
  }
  /** Drop the cached mx array (its memory goes with the next GC). */
  free(): void {
    this.#array = undefined;
  }
  get mx(): array {
    if (!this.#array) {
      let x = mx.array(this.values()).reshape(this.spec.shape);
      if (this.spec.dtype) x = x.astype((mx as unknown as Record<string, Dtype>)[this.spec.dtype]);
      this.#array = x;
    }
    return this.#array;
  }
}

const dtypeName = (d: Dtype | string | null | undefined): string | null =>
  d == null ? null : typeof d === 'string' ? d : String(d).replace('mlx.core.', '');

/** Zero-mean values with standard deviation `std` (np.random.normal(0, std, shape) in the Python tests). */
export function normal(seed: number, shape: number[], std = 1, dtype?: Dtype | string | null): Seeded {
  return new Seeded({ seed, shape, kind: 'normal', a: std, b: 0, dtype: dtypeName(dtype) });
}
/** Uniform values in [lo, hi) (np.random.uniform / mx.random.uniform). */
export function uniform(seed: number, shape: number[], lo = 0, hi = 1, dtype?: Dtype | string | null): Seeded {
  return new Seeded({ seed, shape, kind: 'uniform', a: lo, b: hi, dtype: dtypeName(dtype) });
}
/** Integers in [lo, hi) (mx.random.randint), int32 unless a dtype is given. */
export function randint(seed: number, shape: number[], lo: number, hi: number, dtype?: Dtype | string | null): Seeded {
  return new Seeded({ seed, shape, kind: 'randint', a: lo, b: hi, dtype: dtypeName(dtype) });
}

/** The Python side of the seeded inputs: seeded(spec) -> numpy array. */
export const PY_SEEDED = `
_SQRT3 = 1.7320508075688772
def _h32(x):
    x = x ^ (x >> np.uint32(16))
    x = x * np.uint32(0x7feb352d)
    x = x ^ (x >> np.uint32(15))
    x = x * np.uint32(0x846ca68b)
    x = x ^ (x >> np.uint32(16))
    return x
_streams = {}
def _ustream(seed, n):
    s = _streams.get(seed)
    if s is None or len(s) < n:
        m = max(n, 2 * len(s) if s is not None else 0)
        i = np.arange(m, dtype=np.uint64)
        key = ((i + np.uint64((seed * 0x9E3779B9) % 2**32)) % np.uint64(2**32)).astype(np.uint32)
        s = (_h32(key).astype(np.float64) + 0.5) / 4294967296.0
        _streams[seed] = s
    return s[:n]
def seeded(spec):
    shape = [int(d) for d in spec["shape"]]
    n = int(np.prod(shape))
    u = _ustream(int(spec["seed"]), n)
    a, b = float(spec["a"]), float(spec["b"])
    if spec["kind"] == "randint":
        v = (a + np.floor(u * (b - a))).astype(np.int32)
    elif spec["kind"] == "normal":
        v = ((2.0 * u - 1.0) * _SQRT3 * a).astype(np.float32)
    else:
        v = (a + (b - a) * u).astype(np.float32)
    v = v.reshape(shape)
    if spec["dtype"] and spec["dtype"] != str(v.dtype):
        v = np.array(mx.array(v).astype(getattr(mx, spec["dtype"])))
    return v

import hashlib
def digest(z, dtype):
    # [shape, sha1 of the C-order bytes of z cast to dtype]: see digest() in oracle_batch.ts
    z = np.asarray(z).astype(getattr(np, dtype), order="C")
    return [list(z.shape), hashlib.sha1(z.tobytes()).hexdigest()]
`;

/**
 * [shape, sha1 of the row-major bytes of a.astype(dtype)]: equals the oracle's
 * digest(z, dtype) exactly when the values are identical. For exact (integer)
 * comparisons of results too large to send back.
 */
export function digest(a: array, dtype: Dtype): [number[], string] {
  const t = a.astype(dtype).toTypedArray();
  const bytes = Buffer.from(t.buffer, t.byteOffset, t.byteLength);
  return [a.shape, createHash('sha1').update(bytes).digest('hex')];
}

// ---------------------------------------------------------------------------
// The batch

type Inputs = Record<string, unknown>;
interface Entry {
  mode: 'eval' | 'exec';
  code: string;
  inputs: Inputs | (() => Inputs);
}

const RUNNER = `
def _np(v):
    if isinstance(v, mx.array):
        return np.array(v)
    if isinstance(v, dict):
        if "$seeded" in v:
            return seeded(v["$seeded"])
        return {k: _np(e) for k, e in v.items()}
    if isinstance(v, list):
        return [_np(e) for e in v]
    return v

def _res(r):
    if isinstance(r, np.generic):
        return np.asarray(r)
    if isinstance(r, (list, tuple)):
        return [_res(e) for e in r]
    if isinstance(r, dict):
        return {k: _res(e) for k, e in r.items()}
    return r

out = []
for _e in _entries:
    if _e is None:
        out.append(None)
        continue
    try:
        _env = dict(globals())
        _env.update({k: _np(v) for k, v in _e["inputs"].items()})
        if _e["mode"] == "eval":
            _r = eval(_e["code"], _env)
        else:
            exec(_e["code"], _env)
            _r = _env["r"]
        out.append(_enc(_res(_r)))
    except Exception as _ex:
        out.append(_err(_ex))
_entries = None
out = {"$raw": out}
`;

function specs(v: unknown): unknown {
  if (v instanceof Seeded) return { $seeded: v.spec };
  if (v instanceof mx.array) return v;
  if (Array.isArray(v)) return v.map(specs);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, specs(e)]));
  }
  return v;
}

const SELFCHECK = [normal(7, [257], 0.01), uniform(8, [3, 5], -2, 3), randint(9, [64], 0, 10)];

/**
 * Many oracle computations in one Python process. Register entries at load
 * time (`expr`: a Python expression; `exec`: statements that assign `r`),
 * read them in the tests with `get`. Inputs are bound as numpy arrays
 * (mx.arrays and Seeded specs are converted); `setup` (Python source run once)
 * may define helper functions.
 */
export class OracleBatch {
  private entries: Entry[] = [];
  private results: unknown[] | undefined;
  private buildErrors = new Map<number, unknown>();
  private failure: unknown;

  constructor(private readonly setup = '') {
    for (const s of SELFCHECK) this.expr('x', { x: s });
  }

  expr(code: string, inputs: Inputs | (() => Inputs) = {}): number {
    this.entries.push({ mode: 'eval', code, inputs });
    return this.entries.length - 1;
  }

  exec(code: string, inputs: Inputs | (() => Inputs) = {}): number {
    this.entries.push({ mode: 'exec', code, inputs });
    return this.entries.length - 1;
  }

  private run(): void {
    const sent = this.entries.map((e, i) => {
      try {
        const inputs = typeof e.inputs === 'function' ? e.inputs() : e.inputs;
        return { mode: e.mode, code: e.code, inputs: specs(inputs) };
      } catch (err) {
        this.buildErrors.set(i, err);
        return null;
      }
    });
    const source = `${PY_SEEDED}\n${this.setup}\n${RUNNER}`;
    const raw = py<{ $raw: unknown[] }>(source, { _entries: sent });
    this.results = raw.$raw;
    SELFCHECK.forEach((s, i) => {
      const got = this.results![i] as array;
      const mine = s.mx;
      const a = Buffer.from(got.toTypedArray().buffer, got.toTypedArray().byteOffset, got.nbytes);
      const b = Buffer.from(mine.toTypedArray().buffer, mine.toTypedArray().byteOffset, mine.nbytes);
      if (String(got.dtype) !== String(mine.dtype) || !a.equals(b)) {
        throw new Error('seeded inputs differ between JS and the oracle (helpers/oracle_batch.ts)');
      }
    });
  }

  /** The oracle's value of entry i (arrays come back as mx.arrays); throws its Python error. */
  get<T = array>(i: number): T {
    if (this.failure) throw this.failure;
    if (!this.results) {
      try {
        this.run();
      } catch (err) {
        this.failure = err;
        throw err;
      }
    }
    if (this.buildErrors.has(i)) throw this.buildErrors.get(i);
    const r = this.results![i];
    if (isPyError(r)) throw new Error(`oracle raised ${r.$error}: ${r.message}`);
    return r as T;
  }
}

/** Memoize a thunk (an input built with mlx-node ops, shared by the oracle entry and the test). */
export function lazy<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

// ---------------------------------------------------------------------------
// Assertions

function flatValues(a: array): unknown[] {
  const out: unknown[] = [];
  const walk = (x: unknown) => (Array.isArray(x) ? x.forEach(walk) : out.push(x));
  walk(a.tolist());
  return out;
}

function isNanValue(x: unknown): boolean {
  if (typeof x === 'number') return Number.isNaN(x);
  if (x !== null && typeof x === 'object' && 're' in x) {
    const c = x as { re: number; im: number };
    return Number.isNaN(c.re) || Number.isNaN(c.im);
  }
  return false;
}

function sameValue(x: unknown, y: unknown): boolean {
  if (x !== null && typeof x === 'object' && y !== null && typeof y === 'object') {
    const a = x as { re: number; im: number };
    const b = y as { re: number; im: number };
    return a.re === b.re && a.im === b.im;
  }
  if (x !== null && typeof x === 'object')
    return (x as { re: number; im: number }).im === 0 && (x as { re: number }).re === Number(y);
  if (y !== null && typeof y === 'object') return sameValue(y, x);
  return x === y || Number(x) === Number(y);
}

/** np.array_equal(actual, expected, equal_nan=True): same shape, equal values, NaN (any part NaN for complex) equal to NaN. */
export function assertArrayEqualNan(actual: array, expected: array, msg = ''): void {
  assert.ok(actual instanceof mx.array, `${msg} expected an mx.array`);
  assert.deepEqual(actual.shape, expected.shape, `${msg} shape`);
  const a = flatValues(actual);
  const e = flatValues(expected);
  for (let i = 0; i < a.length; i++) {
    const ok = isNanValue(a[i]) || isNanValue(e[i]) ? isNanValue(a[i]) && isNanValue(e[i]) : sameValue(a[i], e[i]);
    if (!ok) {
      assert.fail(
        `${msg ? msg + ': ' : ''}arrays differ at flat index ${i}\nactual:   ${String(actual)}\nexpected: ${String(expected)}`,
      );
    }
  }
}

/**
 * np.allclose(actual, expected, rtol, atol) (NaN unequal, complex compared by
 * modulus as numpy does), plus equal shapes (numpy would broadcast).
 */
export function assertAllClose(
  actual: array,
  expected: array,
  opts: { atol?: number; rtol?: number; msg?: string } = {},
): void {
  const { atol = 1e-8, rtol = 1e-5, msg = '' } = opts;
  assert.ok(actual instanceof mx.array, `${msg} expected an mx.array`);
  assert.deepEqual(actual.shape, expected.shape, `${msg} shape`);
  // [re, im] pairs of every element, read through complex64 or float64 buffers.
  const complex = actual.dtype === mx.complex64 || expected.dtype === mx.complex64;
  const pairs = (x: array): ((i: number) => [number, number]) => {
    if (complex) {
      const t = x.astype(mx.complex64).toTypedArray() as Float32Array;
      return (i) => [t[2 * i], t[2 * i + 1]];
    }
    const t = x.astype(mx.float64).toTypedArray() as Float64Array;
    return (i) => [t[i], 0];
  };
  const a = pairs(actual);
  const e = pairs(expected);
  for (let i = 0; i < actual.size; i++) {
    const [ar, ai] = a(i);
    const [er, ei] = e(i);
    let ok: boolean;
    if (Number.isNaN(ar) || Number.isNaN(ai) || Number.isNaN(er) || Number.isNaN(ei)) ok = false;
    else if (ar === er && ai === ei) ok = true;
    else ok = Math.hypot(ar - er, ai - ei) <= atol + rtol * Math.hypot(er, ei);
    if (!ok) {
      const fmt = ([r, im]: [number, number]) => (complex ? `${r}${im < 0 ? '-' : '+'}${Math.abs(im)}j` : String(r));
      assert.fail(
        `${msg ? msg + ': ' : ''}not close at flat index ${i}: ${fmt(a(i))} vs ${fmt(e(i))} (atol=${atol}, rtol=${rtol})\n` +
          `actual:   ${String(actual)}\nexpected: ${String(expected)}`,
      );
    }
  }
}

/** np.broadcast_shapes. */
export function broadcastShapes(...shapes: number[][]): number[] {
  const n = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s.length - n + i;
      const v = k < 0 ? 1 : s[k];
      if (v !== 1) {
        if (d !== 1 && d !== v) throw new Error(`shapes ${JSON.stringify(shapes)} do not broadcast`);
        d = v;
      }
    }
    out.push(d);
  }
  return out;
}

/** itertools.combinations. */
export function combinations<T>(items: T[], r: number): T[][] {
  const out: T[][] = [];
  const rec = (start: number, acc: T[]) => {
    if (acc.length === r) {
      out.push(acc.slice());
      return;
    }
    for (let i = start; i < items.length; i++) {
      acc.push(items[i]);
      rec(i + 1, acc);
      acc.pop();
    }
  };
  rec(0, []);
  return out;
}

/** itertools.permutations (lexicographic order, as Python's). */
export function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  const out: T[][] = [];
  items.forEach((x, i) => {
    for (const p of permutations([...items.slice(0, i), ...items.slice(i + 1)])) out.push([x, ...p]);
  });
  return out;
}
