// Helpers for the ports of test_vmap.py, test_compile.py and test_graph.py.
//
// - oracleSections: ONE Python process per test file. Each section is Python
//   source run in its own namespace (numpy as np, mlx.core as mx, math
//   imported) that assigns `res` (a dict of inputs and expectations); random
//   inputs come from Python's own mx.random, so both sides see the same data.
//   A section that raises gives a PyError, which section() rethrows, failing
//   only the tests that read it.
// - Python's assertion helpers: mx.array_equal (values and shape, not dtype),
//   mx.allclose (broadcasting), and a strict comparison against an oracle
//   array (dtype, shape, values).
import assert from 'node:assert/strict';

import { mx } from '../../lib/index';
import type { array } from '../../lib/index';
import { assertEqualArray, isPyError, py } from './mlx_tests';

const RUNNER = `
out = {}
for _name, _code in _sections.items():
    _ns = {"mx": mx, "np": np, "math": math}
    try:
        exec(_code, _ns)
        out[_name] = _ns["res"]
    except Exception as e:
        out[_name] = _err(e)
`;

/** Runs every section in one Python process; see the file comment. */
export function oracleSections(sections: Record<string, string>): (name: string) => any {
  let results: Record<string, unknown> | null = null;
  let failure: unknown = null;
  try {
    results = py<Record<string, unknown>>(RUNNER, { _sections: sections });
  } catch (e) {
    failure = e;
  }
  return (name: string) => {
    if (failure) throw failure;
    if (!(name in results!)) throw new Error(`no oracle section ${name}`);
    const r = results![name];
    if (isPyError(r)) throw new Error(`oracle section ${name} raised ${r.$error}: ${r.message}`);
    return r;
  };
}

/** mx.array_equal(actual, expected[, equal_nan]) is True: same shape and values; dtypes may differ. */
export function assertArrayEqual(actual: array, expected: array | unknown, msg?: string): void {
  assertEqualArray(actual, expected, { atol: 0, rtol: 0, dtype: false, msg });
}

/** mx.allclose(actual, expected, rtol, atol) is True (expected broadcast to actual's shape). */
export function assertAllclose(
  actual: array,
  expected: array | unknown,
  opts: { rtol?: number; atol?: number; msg?: string } = {},
): void {
  const { rtol = 1e-5, atol = 1e-8, msg } = opts;
  assert.ok(actual instanceof mx.array, `${msg ?? ''} expected an mx.array, got ${String(actual)}`);
  let exp = expected instanceof mx.array ? (expected as array) : mx.array(expected as never);
  if (String(exp.shape) !== String(actual.shape)) exp = mx.broadcastTo(exp, actual.shape);
  assertEqualArray(actual, exp, { rtol, atol, dtype: false, msg });
}

/** Same dtype and shape as the oracle's array, values within atol + rtol*|expected| (exact by default). */
export function assertLikeOracle(
  actual: array,
  expected: array,
  opts: { rtol?: number; atol?: number; msg?: string } = {},
): void {
  const { rtol = 0, atol = 0, msg } = opts;
  assertEqualArray(actual, expected, { rtol, atol, msg });
}

/** Let pending finalizers (N-API wrappers, FinalizationRegistry callbacks) run after a full GC. */
export async function collectGarbage(rounds = 3): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, 'run node with --expose-gc');
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
  }
}
