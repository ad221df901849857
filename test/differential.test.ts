// The differential test: every case of test/helpers/op-cases.ts runs through
// Python mlx 0.32.4 (one pyEach call for the whole table, the inputs sent as
// bytes) and through mlx-node; the results must be identical — same dtype,
// same shape, same bytes (no tolerance: on the CPU both run the same kernels).
// Tuple/list results are compared element by element. Where Python raises,
// mlx-node must throw (and vice versa), with the mapped error class:
// IndexError ↔ RangeError, TypeError ↔ TypeError, ValueError (and any other
// Python exception) ↔ Error.
//
// One test per op (a failure names the op and every failing case), one test
// for the error classes across all ops, and the coverage checks: every public
// op of the addon has cases, and the first case of every op is a valid call.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';
import type { array } from '../lib/index';
import { native } from '../lib/native';
import { DTYPES } from './helpers/dtypes';
import { isPyError, pyEach } from './helpers/mlx_tests';
import type { PyError } from './helpers/mlx_tests';
import {
  CASES_BY_OP,
  NO_VALID_CASE_ON_CPU,
  OP_CASES,
  PyBindings,
  callJs,
  describeCase,
  publicOps,
  pyName,
} from './helpers/op-cases';
import type { OpCase, Sig } from './helpers/op-cases';

const signatures = (native as unknown as { __signatures__: Record<string, Sig> }).__signatures__;

// ---------------------------------------------------------------------------
// Python's results: every distinct input array built once in JS and sent as
// bytes (bound to a0, a1, ...); the JS calls get the same arrays (bind.cache).

const bind = new PyBindings();
const cache = bind.cache;
const expressions = OP_CASES.map((c) => bind.expr(c));
const pyResults = pyEach(expressions, bind.inputs);

// ---------------------------------------------------------------------------
// Running a case in JS and comparing with Python

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

/** Evaluate (and read) every array of a result, so lazy errors surface inside the try. */
function materialize(v: unknown): void {
  if (v instanceof mx.array) (v as array).toTypedArray();
  else if (Array.isArray(v)) v.forEach(materialize);
}

function runJs(c: OpCase): Outcome {
  try {
    const value = callJs(c, cache);
    materialize(value);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: e as Error };
  }
}

function bytesOf(a: array): Buffer {
  const t = a.toTypedArray();
  return Buffer.from(t.buffer, t.byteOffset, a.nbytes);
}

function show(v: unknown): string {
  if (v instanceof mx.array) {
    const a = v as array;
    return `${String(a).replace(/\s+/g, ' ')} (bytes ${bytesOf(a).toString('hex').slice(0, 64)})`;
  }
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (isPyError(v)) return `${v.$error}: ${v.message.split('\n')[0]}`;
  return typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
}

/** Why `js` differs from Python's `py`, or null when they are identical. */
function difference(js: unknown, py: unknown): string | null {
  if (py instanceof mx.array) {
    if (!(js instanceof mx.array)) return `mlx-node gave ${show(js)}, Python an array`;
    const a = js as array;
    const b = py as array;
    if (String(a.dtype) !== String(b.dtype)) return `dtype ${String(a.dtype)} vs Python ${String(b.dtype)}`;
    if (JSON.stringify(a.shape) !== JSON.stringify(b.shape)) return `shape [${a.shape}] vs Python [${b.shape}]`;
    if (!bytesOf(a).equals(bytesOf(b))) return 'values differ';
    return null;
  }
  if (Array.isArray(py)) {
    if (!Array.isArray(js)) return `mlx-node gave ${show(js)}, Python a list of ${py.length}`;
    if (js.length !== py.length) return `${js.length} results vs Python ${py.length}`;
    for (let i = 0; i < py.length; i++) {
      const d = difference(js[i], py[i]);
      if (d) return `[${i}]: ${d}`;
    }
    return null;
  }
  return Object.is(js, py) || JSON.stringify(js) === JSON.stringify(py) ? null : 'values differ';
}

const JS_CLASS: Record<string, string> = { IndexError: 'RangeError', TypeError: 'TypeError', ValueError: 'Error' };
const expectedClass = (e: PyError) => JS_CLASS[e.$error] ?? 'Error';
const jsClass = (e: Error) =>
  e instanceof RangeError ? 'RangeError' : e instanceof TypeError ? 'TypeError' : (e?.constructor?.name ?? typeof e);

interface Result {
  c: OpCase;
  py: unknown;
  js: Outcome;
}
const results: Result[] = OP_CASES.map((c, i) => ({ c, py: pyResults[i], js: runJs(c) }));
const byOp = new Map<string, Result[]>();
for (const r of results) {
  let l = byOp.get(r.c.op);
  if (!l) byOp.set(r.c.op, (l = []));
  l.push(r);
}

const MAX_LISTED = 40;
function listed(lines: string[]): string[] {
  return lines.length <= MAX_LISTED
    ? lines
    : [...lines.slice(0, MAX_LISTED), `... and ${lines.length - MAX_LISTED} more`];
}

// ---------------------------------------------------------------------------

describe('differential: every op against Python mlx 0.32.4', () => {
  for (const [op, rs] of byOp) {
    test(`${op} (${rs.length} cases, Python mx.${pyName(op)})`, () => {
      const failures: string[] = [];
      for (const { c, py, js } of rs) {
        const what = describeCase(c);
        if (isPyError(py)) {
          if (js.ok) failures.push(`${what}: Python raised ${show(py)}; mlx-node returned ${show(js.value)}`);
        } else if (!js.ok) {
          failures.push(
            `${what}: mlx-node threw ${jsClass(js.error)}: ${js.error.message.split('\n')[0]}; Python returned ${show(py)}`,
          );
        } else {
          const d = difference(js.value, py);
          if (d) failures.push(`${what}: ${d}\n    mlx-node: ${show(js.value)}\n    Python:   ${show(py)}`);
        }
      }
      assert.deepEqual(listed(failures), [], `${failures.length} of ${rs.length} cases of ${op} differ from Python`);
    });
  }

  // Where mlx-node's error class deliberately differs from Python's.
  const intentional = (py: PyError, js: Error): boolean =>
    // A bigint beyond int64 beside a uint64 array: Python leaks a C++
    // std::bad_cast (RuntimeError); mlx-node says which argument is out of range.
    py.$error === 'RuntimeError' && py.message.includes('bad_cast') && js instanceof RangeError;

  test('where both raise, the error classes match (IndexError ↔ RangeError, ValueError ↔ Error, TypeError ↔ TypeError)', () => {
    const mismatches: string[] = [];
    for (const { c, py, js } of results) {
      if (isPyError(py) && !js.ok && jsClass(js.error) !== expectedClass(py) && !intentional(py, js.error)) {
        mismatches.push(
          `${describeCase(c)}: Python ${py.$error} (${py.message.split('\n')[0]}), mlx-node ${jsClass(js.error)} (${js.error.message.split('\n')[0]})`,
        );
      }
    }
    assert.deepEqual(mismatches, []);
  });
});

describe('the op-case table', () => {
  test('every public op of the addon has at least one case', () => {
    const ops = publicOps(signatures);
    assert.ok(ops.length > 150, `found ${ops.length} ops`);
    const missing = ops.filter((op) => !CASES_BY_OP.has(op));
    assert.deepEqual(missing, [], 'ops without a case in test/helpers/op-cases.ts');
  });

  test('every op of the table exists in mlx-node and in Python', () => {
    const py = pyEach([...CASES_BY_OP.keys()].map((op) => `callable(getattr(mx, ${JSON.stringify(pyName(op))}))`));
    const bad = [...CASES_BY_OP.keys()].filter(
      (op, i) => typeof (mx as unknown as Record<string, unknown>)[op] !== 'function' || py[i] !== true,
    );
    assert.deepEqual(bad, []);
  });

  test('the first case of every op is a valid call (Python returns a value; qqmm/gatherQqmm: none on the CPU)', () => {
    const bad: string[] = [];
    for (const [op, rs] of byOp) {
      if (isPyError(rs[0].py) !== NO_VALID_CASE_ON_CPU.has(op)) bad.push(`${describeCase(rs[0].c)}: ${show(rs[0].py)}`);
    }
    assert.deepEqual(bad, []);
  });

  test('thousands of cases', () => {
    assert.ok(OP_CASES.length > 2000, `${OP_CASES.length} cases`);
  });
});

// The unary and binary families answer their common calls — f(array),
// f(array, array), f(array, number), f(number, array), no options — through a
// fast path in C++ (native/ops.h, UnaryFast/BinaryFast) instead of the general
// argument resolution. Every dtype, with JS numbers of each kind (integral
// ones act as Python ints), must give Python's dtype, bytes and errors.
describe('mlx-node: the fast paths of unary and binary ops equal Python', () => {
  const SCALARS: Array<[number, string]> = [
    [2, '2'],
    [-3, '-3'],
    [0, '0'],
    [1.5, '1.5'],
    [-0.25, '-0.25'],
    [2 ** 40, '1099511627776'],
  ];
  const BINARY = ['add', 'subtract', 'multiply', 'divide', 'maximum', 'power', 'logaddexp'];
  const UNARY = ['exp', 'negative', 'abs', 'sqrt', 'floor'];
  const inputs: Record<string, array> = {};
  for (const d of DTYPES) inputs[`a_${d}`] = mx.array([1, 2, 3], mx[d as 'float32']);
  const cases: Array<{ expr: string; js: () => unknown }> = [];
  const op = (name: string) => (mx as unknown as Record<string, (...args: unknown[]) => array>)[name];
  for (const name of BINARY) {
    for (const d of DTYPES) {
      const a = inputs[`a_${d}`];
      for (const [s, lit] of SCALARS) {
        cases.push({ expr: `mx.${pyName(name)}(a_${d}, ${lit})`, js: () => op(name)(a, s) });
        cases.push({ expr: `mx.${pyName(name)}(${lit}, a_${d})`, js: () => op(name)(s, a) });
      }
      for (const e of ['int32', 'float32', 'bfloat16']) {
        cases.push({ expr: `mx.${pyName(name)}(a_${d}, a_${e})`, js: () => op(name)(a, inputs[`a_${e}`]) });
      }
    }
  }
  for (const name of UNARY) {
    for (const d of DTYPES) cases.push({ expr: `mx.${name}(a_${d})`, js: () => op(name)(inputs[`a_${d}`]) });
  }
  const py = pyEach(
    cases.map((c) => c.expr),
    inputs,
  );

  test(`${cases.length} calls: same dtype and bytes, or both raise`, () => {
    const failures: string[] = [];
    cases.forEach((c, i) => {
      let js: Outcome;
      try {
        const value = c.js();
        materialize(value);
        js = { ok: true, value };
      } catch (e) {
        js = { ok: false, error: e as Error };
      }
      const expected = py[i];
      if (isPyError(expected)) {
        if (js.ok) failures.push(`${c.expr}: mlx-node gave ${show(js.value)}, Python raised ${show(expected)}`);
      } else if (!js.ok) {
        failures.push(`${c.expr}: mlx-node threw ${js.error.message}, Python gave ${show(expected)}`);
      } else {
        const d = difference(js.value, expected);
        if (d) failures.push(`${c.expr}: ${d}`);
      }
    });
    assert.deepEqual(failures, []);
  });
});
