// Bad input gives a clear JS error — TypeError/RangeError/Error with the
// reason and the JS caller's stack — and never ends the process.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';
import { oracleEach } from './helpers/oracle';

const any = mx as any;
const a = mx.ones([2, 3]);

// [description, call, expected error class, message pattern]
const table: Array<[string, () => unknown, Function, RegExp]> = [
  [
    'string where an array is needed',
    () => any.sum('x'),
    TypeError,
    /sum\(\): argument 'a' must be an mx\.array, got a string/,
  ],
  ['object where an array is needed', () => any.exp({}), TypeError, /exp\(\)/],
  ['missing required argument', () => any.reshape(a), TypeError, /reshape\(\): missing required argument 'shape'/],
  ['too many arguments', () => any.exp(a, undefined, 1, 2), TypeError, /exp\(\) takes at most 2 arguments/],
  ['unknown option', () => any.sum(a, { keepdim: true }), TypeError, /unknown option 'keepdim'/],
  ['option given twice', () => any.sum(a, 0, { axis: 1 }), TypeError, /multiple values for argument 'axis'/],
  ['non-integer axis', () => any.sum(a, 1.5), TypeError, /argument 'axis'/],
  ['boolean where an integer is needed', () => any.sum(a, true), TypeError, /argument 'axis'/],
  ['out-of-range axis', () => mx.sum(a, 5), RangeError, /Invalid axis 5/],
  ['shape beyond int32', () => mx.zeros([2 ** 40]), RangeError, /out of range/],
  ['non-broadcastable shapes', () => mx.add(a, mx.ones([4])), Error, /cannot be broadcast/],
  ['bad reshape', () => mx.reshape(a, [7]), Error, /Cannot reshape/],
  // MLX leaves these unchecked and BLAS ends the process (Python mlx 0.32.4 too)
  [
    'segmentedMm segment beyond the inner dimension',
    () => mx.eval(mx.segmentedMm(mx.ones([4, 8]), mx.ones([8, 4]), mx.array([[0, 100]], mx.uint32))),
    RangeError,
    /Segment \[0, 100\) is not within \[0, 8\]/,
  ],
  [
    'segmentedMm segment with start > end',
    () => mx.segmentedMm(mx.ones([4, 8]), mx.ones([8, 4]), mx.array([[6, 2]], mx.int32)),
    RangeError,
    /Segment \[6, 2\)/,
  ],
  [
    'gatherMm batch index out of range',
    () => mx.gatherMm(mx.ones([2, 4, 4]), mx.ones([2, 4, 4]), mx.array([0], mx.uint32), mx.array([7], mx.uint32)),
    RangeError,
    /gatherMm\(\): rhsIndices index 7 is out of bounds for axis 0 with size 2/,
  ],
  ['depends on no inputs', () => mx.depends([], [a]), Error, /inputs must not be empty/],
  ['bad matmul', () => mx.matmul(a, a), Error, /matmul/],
  ['wrong dtype argument', () => any.astype(a, 'float32'), TypeError, /argument 'dtype' must be a Dtype/],
  ['wrong stream argument', () => any.add(a, a, 'gpu'), TypeError, /argument 'stream'/],
  ['ragged nested array', () => mx.array([1, [2, 3]]), Error, /non-uniform/],
  ['string element', () => mx.array(['a']), TypeError, /cannot make an array element/],
  ['symbol value', () => mx.array(Symbol('x')), TypeError, /cannot make an array/],
  ['buffer not a multiple of the dtype', () => mx.array(new ArrayBuffer(3), mx.float32), RangeError, /multiple/],
  ['item of a non-scalar', () => a.item(), Error, /item can only be called on arrays of size 1/],
  ['len of a 0-d array', () => mx.array(1).length, TypeError, /0-dimensional/],
  ['iteration of a 0-d array', () => [...mx.array(1)], TypeError, /0-dimensional/],
  ['bigint out of int64', () => mx.add(a, 2n ** 70n), RangeError, /out of the int64 range/],
  ['overflowing scalar for the dtype', () => mx.add(mx.ones([2], mx.int8), 1000), Error, /would result in overflow/],
  ['Device from a string', () => new (mx.Device as any)('cpu'), TypeError, /DeviceType/],
  ['Dtype constructed directly', () => new (mx.Dtype as any)(), TypeError, /cannot be constructed/],
  ['negative memory limit', () => any.setMemoryLimit(-1), RangeError, /non-negative/],
  ['finfo of an integer type', () => mx.finfo(mx.int32), Error, /not inexact/],
  ['issubdtype with a number', () => any.issubdtype(1, mx.float32), TypeError, /issubdtype\(\)/],
  ['isdtype with an unknown kind', () => mx.isdtype(mx.float32, 'reals'), Error, /Unrecognized kind/],
  ['stream() without a stream', () => any.stream(undefined, () => 1), Error, /specify a stream or device/],
];

describe('errors', () => {
  for (const [what, call, cls, pattern] of table) {
    test(what, () => {
      assert.throws(call, (e: unknown) => {
        assert.ok(
          e instanceof cls,
          `expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`,
        );
        assert.match((e as Error).message, pattern);
        return true;
      });
    });
  }

  test('an MLX error carries the JS call site in its stack', () => {
    function callerFrame() {
      return mx.add(mx.ones([2]), mx.ones([3]));
    }
    try {
      callerFrame();
      assert.fail('should throw');
    } catch (e) {
      assert.match((e as Error).stack ?? '', /callerFrame/);
      assert.match((e as Error).stack ?? '', /errors\.test/);
    }
  });

  test('MLX raises the same errors as Python for the same calls', () => {
    const py = oracleEach([
      'mx.sum(mx.ones((2, 3)), axis=5)',
      'mx.add(mx.ones((2, 3)), mx.ones((4,)))',
      'mx.reshape(mx.ones((2, 3)), (7,))',
    ]);
    const js = [() => mx.sum(a, 5), () => mx.add(a, mx.ones([4])), () => mx.reshape(a, [7])];
    js.forEach((f, i) => {
      assert.equal(py[i].ok, false);
      const pyMessage = py[i].error!.replace(/^\w+: /, '');
      assert.throws(f, (e: unknown) => (e as Error).message === pyMessage);
    });
    // Python's IndexError (std::out_of_range) is a RangeError here.
    assert.match(py[0].error!, /^IndexError/);
  });

  test('the process survives all of the above and keeps working', () => {
    assert.deepEqual(mx.add(mx.ones([2]), 1).tolist(), [2, 2]);
  });
});
