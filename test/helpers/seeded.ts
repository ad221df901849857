// Deterministic test inputs made in JS (the ports' stand-in for np.random /
// mx.random with a seed), and Python literals for building oracle
// expressions from JS values.
//
//   const x = randn([2, 3], { seed: 1, scale: 0.5 });   // float32, N(0, 0.5^2)
//   const u = rand([4], { seed: 2 });                   // float32, U[0, 1)
//   pyArgs({ stride: [1, 2], flip: true })              // 'stride=(1, 2), flip=True'
import { mx } from '../../lib/index';
import type { array } from '../../lib/index';
import assert from 'node:assert/strict';

import { assertEqualArray, isPyError, pyEach } from './mlx_tests';

/** mulberry32: a small, fast, seedable PRNG giving floats in [0, 1). */
export class Rng {
  private state: number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0;
  }
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** A seed from a string (FNV-1a), so that equal shapes/keys give equal data. */
export function seedOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** float32 array of N(mean, scale^2) samples. */
export function randn(shape: number[], opts: { seed: number | string; scale?: number; mean?: number }): array {
  const { scale = 1, mean = 0 } = opts;
  const rng = new Rng(typeof opts.seed === 'string' ? seedOf(opts.seed) : opts.seed);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = mean + scale * rng.normal();
  return mx.array(data).reshape(shape);
}

/** float32 array of U[low, high) samples. */
export function rand(shape: number[], opts: { seed: number | string; low?: number; high?: number }): array {
  const { low = 0, high = 1 } = opts;
  const rng = new Rng(typeof opts.seed === 'string' ? seedOf(opts.seed) : opts.seed);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng.uniform();
  return mx.array(data).reshape(shape);
}

/** A JS value as Python source: arrays become tuples, booleans True/False, null None. */
export function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return "float('nan')";
    if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "float('-inf')";
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${pyLiteral(v[0])},)` : `(${v.map(pyLiteral).join(', ')})`;
  throw new TypeError(`no Python literal for ${typeof v}`);
}

/** {stride: [1, 2], inputDilation: 2} -> 'stride=(1, 2), input_dilation=2' (camelCase keys to snake_case). */
export function pyArgs(kwargs: Record<string, unknown>): string {
  return Object.entries(kwargs)
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())}=${pyLiteral(v)}`)
    .join(', ');
}

/**
 * Python's `with self.subTest(...)`: run every case, collect the failures and
 * report them all at the end (one failing case does not hide the others).
 */
export function subTests<T>(cases: Iterable<T>, label: (c: T) => string, fn: (c: T) => void): void {
  const failures: string[] = [];
  let n = 0;
  for (const c of cases) {
    n++;
    try {
      fn(c);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      failures.push(`[${label(c)}] ${msg.length > 400 ? msg.slice(0, 400) + '...' : msg}`);
    }
  }
  if (failures.length) throw new Error(`${failures.length} of ${n} subtests failed:\n${failures.join('\n')}`);
}

/**
 * One oracle run for a whole test file: register the inputs (made once, by
 * name) and the Python expressions while building the case tables, then read
 * the results; the first read runs every expression in one Python process.
 *
 *   const O = new OracleBatch();
 *   const i = O.want(`mx.conv1d(${O.input('x', () => randn([1, 5, 2], {seed: 'x'}))}, ...)`);
 *   ... in a test: assertEqualArray(mx.conv1d(O.arg('x'), ...), O.array(i));
 */
export class OracleBatch {
  private readonly inputs: Record<string, unknown> = {};
  private readonly exprs: string[] = [];
  private results: unknown[] | undefined;
  constructor(private readonly setup = '') {}

  /** Register (once) the input called `name`; returns the name, for the Python source. */
  input(name: string, make: () => unknown): string {
    if (!(name in this.inputs)) this.inputs[name] = make();
    return name;
  }
  /** The JS value of a registered input. */
  arg<T = array>(name: string): T {
    if (!(name in this.inputs)) throw new Error(`no oracle input ${name}`);
    return this.inputs[name] as T;
  }
  /** Register a Python expression; returns its index. */
  want(expr: string): number {
    if (this.results) throw new Error('OracleBatch: expressions must be registered before the first result is read');
    this.exprs.push(expr);
    return this.exprs.length - 1;
  }
  /** The value of expression i (a Python exception becomes a thrown Error). */
  value<T = unknown>(i: number): T {
    this.results ??= pyEach(this.exprs, this.inputs, this.setup);
    const r = this.results[i];
    if (isPyError(r)) throw new Error(`the oracle raised ${r.$error}: ${r.message}\n  in: ${this.exprs[i]}`);
    return r as T;
  }
  /** The value of expression i, which must be an mx.array. */
  array(i: number): array {
    const r = this.value(i);
    if (!(r instanceof mx.array)) throw new Error(`oracle expression ${this.exprs[i]} gave ${typeof r}, not an array`);
    return r as array;
  }
}

/**
 * assertEqualArray (same dtype and shape, |a - e| <= atol + rtol*|e|, NaN
 * equals NaN) for big float32 arrays: compares the typed-array views instead
 * of tolist() (~0.1 s per million elements); other dtypes go to
 * assertEqualArray.
 */
export function assertClose(
  actual: array,
  expected: array,
  opts: { atol?: number; rtol?: number; msg?: string } = {},
): void {
  if (String(actual.dtype) !== String(mx.float32) || String(expected.dtype) !== String(mx.float32)) {
    assertEqualArray(actual, expected, opts);
    return;
  }
  const { atol = 1e-6, rtol = 1e-6, msg } = opts;
  assert.deepEqual(actual.shape, expected.shape, `${msg ?? ''} shape`);
  const a = actual.toTypedArray() as Float32Array;
  const e = expected.toTypedArray() as Float32Array;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = e[i];
    if (x === y || Math.abs(x - y) <= atol + rtol * Math.abs(y) || (Number.isNaN(x) && Number.isNaN(y))) continue;
    if (bad++ === 0) first = i;
  }
  if (bad) {
    assert.fail(
      `${msg ? msg + ': ' : ''}${bad} of ${a.length} elements differ (atol=${atol}, rtol=${rtol}); ` +
        `first at flat index ${first}: ${a[first]} vs ${e[first]}`,
    );
  }
}
