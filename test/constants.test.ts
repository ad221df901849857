// Port of python/tests/test_constants.py (ml-explore/mlx v0.32.4).
//
// The expected values are the Python test's own literals. Python's
// assertAlmostEqual(a, b) is `a == b or round(a - b, 7) == 0`; mx.newaxis is
// None in Python and null here (a.index(null) is a[None]).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { mx } from '../lib/index';

function assertAlmostEqual(first: number, second: number, msg?: string) {
  if (first === second) return;
  const diff = Math.abs(first - second);
  assert.ok(Number.isFinite(diff) && Math.round(diff * 1e7) === 0, msg ?? `${first} != ${second} within 7 places`);
}

describe('TestConstants', () => {
  test('test_constants_values', () => {
    /* eslint-disable no-loss-of-precision -- Python's literals, digit for digit */
    // Check if mlx constants match expected values
    assertAlmostEqual(mx.e, 2.71828182845904523536028747135266249775724709369995);
    assertAlmostEqual(mx.eulerGamma, 0.5772156649015328606065120900824024310421);
    assertAlmostEqual(mx.inf, Infinity);
    assert.ok(Number.isNaN(mx.nan));
    assert.equal(mx.newaxis, null);
    assertAlmostEqual(mx.pi, 3.1415926535897932384626433);
    /* eslint-enable no-loss-of-precision */
  });

  test('test_constants_availability', () => {
    // Check if mlx constants are available
    assert.ok('e' in mx);
    assert.ok('eulerGamma' in mx);
    assert.ok('inf' in mx);
    assert.ok('nan' in mx);
    assert.ok('newaxis' in mx);
    assert.ok('pi' in mx);
  });

  test('test_newaxis_for_reshaping_arrays', () => {
    const arr1d = mx.array([1, 2, 3, 4, 5], mx.int32);
    const arr2dColumn = arr1d.index(':', mx.newaxis);
    const expectedResult = mx.array([[1], [2], [3], [4], [5]], mx.int32);
    assert.ok(mx.arrayEqual(arr2dColumn, expectedResult).item());
  });
});
