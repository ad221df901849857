// Two-sided test cases for the ports of test_linalg / test_fast / test_fast_sdpa /
// test_quantized: each case is written ONCE as a function of the module,
// `(m) => ({ name: array, ... })` (see helpers/py_function.ts for what the
// recording understands), and run on both sides with the same inputs:
//
//   - Python mlx 0.32.4 runs every case of a file in ONE process at load time
//     (the function is recorded into Python source); each returned array comes
//     back as {dtype, shape, sha1 of its bytes} plus its values when small;
//   - the test runs the same function with mlx-node (m = mx) and checks that
//     every returned array is bit-identical to Python's (sameAsOracle), then
//     makes the Python test's own assertion on the mlx-node arrays.
//
// Random inputs come from mx.random inside the case (seeded there with
// m.random.seed(s) or drawn with explicit keys): mlx-node and Python mlx share
// the random generator, so both sides draw the same inputs; the inputs a case
// returns are checked bit for bit like any other output.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import { mx } from '../../lib/index';
import type { array } from '../../lib/index';
import { assertSameArray, isPyError, py } from './mlx_tests';
import type { PyError } from './mlx_tests';
import { pyFunction } from './py_function';
import type { TwoSidedFn } from './py_function';

/** What the oracle returns for one output array. */
export interface OracleArray {
  dtype: string;
  shape: number[];
  sha: string;
  value?: array;
  absmax?: number;
  sum?: number;
}

const RUNNER = `
import hashlib

def _sha(a):
    return hashlib.sha1(bytes(a)).hexdigest()

def _summary(a):
    mx.eval(a)
    d = {"dtype": str(a.dtype).split('.')[-1], "shape": list(a.shape), "sha": _sha(a)}
    if a.size <= _limit:
        d["value"] = a
    elif mx.issubdtype(a.dtype, mx.inexact) and not mx.issubdtype(a.dtype, mx.complexfloating):
        f = a.astype(mx.float32)
        d["absmax"] = mx.abs(f).max().item()
        d["sum"] = f.sum().item()
    return d

def _flat(prefix, v, into):
    if isinstance(v, (list, tuple)):
        for i, e in enumerate(v):
            _flat(prefix + "[" + str(i) + "]", e, into)
    elif isinstance(v, dict):
        for k, e in v.items():
            _flat((prefix + "." if prefix else "") + k, e, into)
    elif isinstance(v, mx.array):
        into[prefix] = _summary(v)
    else:
        into[prefix] = v

import os, time
_timing = os.environ.get("MIRROR_TIMING")
out = {}
for _name, _src in _cases.items():
    _ns = {"mx": mx, "np": np, "math": math}
    _t0 = time.time()
    try:
        exec(_src, _ns)
        _r = {}
        _flat("", _ns["_case"](), _r)
        out[_name] = _r
    except Exception as e:
        out[_name] = _err(e)
    mx.clear_cache()
    if _timing:
        print(f"mirror case {_name}: {time.time() - _t0:.2f} s", file=sys.stderr)
`;

function sha(a: array): string {
  const t = a.toTypedArray();
  return createHash('sha1')
    .update(Buffer.from(t.buffer, t.byteOffset, a.nbytes))
    .digest('hex');
}

/** Flattens a case result like the Python side: name, name[i], name.key. */
export function flatten(prefix: string, v: unknown, into: Record<string, unknown>): Record<string, unknown> {
  if (v instanceof mx.array) into[prefix] = v;
  else if (Array.isArray(v)) v.forEach((e, i) => flatten(`${prefix}[${i}]`, e, into));
  else if (v !== null && typeof v === 'object') {
    for (const [k, e] of Object.entries(v)) flatten(prefix ? `${prefix}.${k}` : k, e, into);
  } else into[prefix] = v;
  return into;
}

/** One array against the oracle's: same dtype, shape and bytes. */
export function sameAsOracle(actual: array, expected: OracleArray, msg: string): void {
  assert.ok(actual instanceof mx.array, `${msg}: not an mx.array`);
  if (expected.value !== undefined) {
    assertSameArray(actual, expected.value, msg);
    return;
  }
  assert.equal(String(actual.dtype).replace('mlx.core.', ''), expected.dtype, `${msg}: dtype`);
  assert.deepEqual(actual.shape, expected.shape, `${msg}: shape`);
  const got = sha(actual);
  if (got !== expected.sha) {
    let detail = '';
    if (expected.absmax !== undefined) {
      const f = actual.astype(mx.float32);
      detail =
        ` (Python max|x| ${expected.absmax}, sum ${expected.sum}; mlx-node max|x| ` +
        `${mx.abs(f).max().item()}, sum ${f.sum().item()})`;
    }
    assert.fail(`${msg}: not bit-identical to Python mlx${detail}`);
  }
}

/**
 * A case: one two-sided function, or (where the recording cannot follow, e.g.
 * mx.grad of a Python lambda) the mlx-node function and the Python source of
 * `def _case(): ... return {...}` written side by side.
 */
export type CaseFn = TwoSidedFn | { js: (m: typeof mx) => unknown; py: string };

/**
 * The cases of one file. Construct at load time with every case; the oracle
 * runs once, the first time a test asks for a case.
 */
export class Mirror {
  private results: Record<string, Record<string, unknown> | PyError> | null = null;
  private failure: unknown = null;
  constructor(
    private readonly cases: Record<string, CaseFn>,
    private readonly limit = 4096,
  ) {}

  private oracle(): Record<string, Record<string, unknown> | PyError> {
    if (this.results) return this.results;
    if (this.failure) throw this.failure;
    try {
      const sources: Record<string, string> = {};
      for (const [name, fn] of Object.entries(this.cases))
        sources[name] = typeof fn === 'function' ? pyFunction('_case', fn, []) : fn.py;
      this.results = py(RUNNER, { _cases: sources, _limit: this.limit });
      return this.results!;
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  /** Python's outputs of a case (flattened), computing the oracle on first use. */
  expected(name: string): Record<string, unknown> {
    const r = this.oracle()[name];
    if (r === undefined) throw new Error(`no mirror case ${name}`);
    if (isPyError(r)) throw new Error(`Python raised ${r.$error} in case ${name}: ${r.message}`);
    return r;
  }

  /**
   * Runs case `name` with mlx-node, checks every output bit for bit against
   * Python's, and returns the mlx-node outputs (flattened names) for the
   * Python test's own assertions.
   */
  run(name: string): Record<string, any> {
    const expected = this.expected(name);
    const fn = this.cases[name];
    const actual = flatten('', typeof fn === 'function' ? fn(mx) : fn.js(mx), {});
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${name}: output names`);
    for (const [k, e] of Object.entries(expected)) {
      const a = actual[k];
      if (e !== null && typeof e === 'object' && 'sha' in (e as object)) {
        sameAsOracle(a as array, e as OracleArray, `${name}: ${k}`);
      } else {
        assert.deepEqual(a, e, `${name}: ${k}`);
      }
    }
    return actual;
  }
}

/** max |a - b| as a JS number (a Python test's `(a - b).abs().max()`). */
export function maxAbsDiff(a: array, b: array): number {
  return mx.abs(mx.subtract(a, b)).max().item() as number;
}

/** assertRaises(ValueError) (or RuntimeError): a plain Error, not a TypeError/RangeError, raised by the call itself. */
export function assertValueError(fn: () => unknown, msg?: string): void {
  assert.throws(fn, (e: unknown) => e instanceof Error && !(e instanceof TypeError) && !(e instanceof RangeError), msg);
}
