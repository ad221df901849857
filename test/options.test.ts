// The trailing options object (Python's keyword arguments): how the binding
// layer (native/bind.cc ResolveArgs, read through V8 in array_object.cc)
// tells it from a positional argument and reads it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mx } from '../lib/index';

const any = mx as any;
const x = mx.array([
  [1, 2],
  [3, 4],
]);

describe('options objects', () => {
  test('named arguments mean what the same positional arguments mean', () => {
    assert.deepEqual(mx.sum(x, { axis: 0 }).tolist(), [4, 6]);
    assert.deepEqual(mx.sum(x, { axis: 1, keepdims: true }).tolist(), [[3], [7]]);
    assert.deepEqual(mx.sum(x, 1, { keepdims: true }).tolist(), [[3], [7]]);
    assert.deepEqual(x.sum({ axis: 0 }).tolist(), [4, 6]);
    // A null-prototype object is an options object too; undefined means the default.
    const bare = Object.assign(Object.create(null), { axis: 0 });
    assert.deepEqual(any.sum(x, bare).tolist(), [4, 6]);
    assert.equal(mx.sum(x, { axis: undefined }).item(), 10);
    assert.equal(mx.sum(x, {}).item(), 10);
  });

  test('only the object’s own enumerable keys are options', () => {
    // An enumerable property added to Object.prototype is not an unknown option.
    (Object.prototype as any).polluted = 1;
    try {
      assert.deepEqual(mx.sum(x, { axis: 0 }).tolist(), [4, 6]);
    } finally {
      delete (Object.prototype as any).polluted;
    }
    // A non-enumerable own key is not read.
    const hidden = Object.defineProperty({ axis: 1 }, 'keepdim', { value: true, enumerable: false });
    assert.deepEqual(mx.sum(x, hidden).tolist(), [3, 7]);
    // Symbols are not option names.
    assert.deepEqual(mx.sum(x, { axis: 0, [Symbol('s')]: 1 }).tolist(), [4, 6]);
  });

  test('replacing Object.keys or Object.prototype after load changes nothing', () => {
    const keys = Object.keys;
    Object.keys = () => ['bogus'];
    try {
      assert.deepEqual(mx.sum(x, { axis: 0 }).tolist(), [4, 6]);
    } finally {
      Object.keys = keys;
    }
  });

  test('a getter is read once; what it throws comes through as it is', () => {
    let reads = 0;
    const counted = {
      get axis() {
        reads++;
        return 0;
      },
    };
    assert.deepEqual(mx.sum(x, counted).tolist(), [4, 6]);
    assert.equal(reads, 1);
    const boom = new RangeError('from the getter');
    const throwing = {
      get axis(): number {
        throw boom;
      },
    };
    assert.throws(
      () => mx.sum(x, throwing),
      (e) => e === boom,
    );
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw boom;
        },
      },
    );
    assert.throws(
      () => any.sum(x, trap),
      (e) => e === boom,
    );
  });

  test('{re, im} in last place is a complex number, not options', () => {
    const z = mx.add(mx.array([1, 2], mx.complex64), { re: 0.5, im: 2 });
    assert.deepEqual(z.tolist(), [
      { re: 1.5, im: 2 },
      { re: 2.5, im: 2 },
    ]);
    assert.throws(() => any.sum(x, { re: 1 }), /sum\(\): unknown option 're'/);
  });

  test('unknown and doubled options are TypeErrors that name them', () => {
    assert.throws(() => any.sum(x, { axis: 0, keepdim: true }), {
      name: 'TypeError',
      message: /sum\(\): unknown option 'keepdim' \(it takes: /,
    });
    assert.throws(() => any.sum(x, 0, { axis: 1 }), {
      name: 'TypeError',
      message: /sum\(\): got multiple values for argument 'axis'/,
    });
  });
});
