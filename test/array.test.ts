// The array class: construction, dtypes, properties, readback (item/tolist/
// toTypedArray) and printing, checked against Python mlx 0.32.4 (the oracle).
//
// All Python results come from ONE oracle run (plus one oracleEach run for the
// error table), made at load time from the case tables below.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';

import { mx } from '../lib/index';
import type { array, Dtype } from '../lib/index';
import { oracle, oracleEach } from './helpers/oracle';
import { DTYPES } from './helpers/dtypes';
import { collectGarbage } from './helpers/mlx_tests';

// ---------------------------------------------------------------------------
// Oracle plumbing: evaluate a table of named Python expressions in one process.
// Values are encoded so that JSON keeps them exact: ints beyond 2^53 become
// {"$big": "..."} (-> bigint), non-finite floats {"$float": "nan"}, complex
// numbers {re, im} (mlx-node's complex form), mx.Dtype its str().

type PyResult = { ok: boolean; value: unknown; error?: string };

const PRELUDE = `
def enc(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if abs(v) <= 2**53 else {"$big": str(v)}
    if isinstance(v, float):
        return v if math.isfinite(v) else {"$float": repr(v)}
    if isinstance(v, complex):
        return {"re": enc(v.real), "im": enc(v.imag)}
    if isinstance(v, (list, tuple)):
        return [enc(e) for e in v]
    if isinstance(v, dict):
        return {k: enc(e) for k, e in v.items()}
    if isinstance(v, mx.Dtype):
        return str(v)
    if isinstance(v, mx.array):
        return {"$array": info(v)}
    raise TypeError("cannot encode " + type(v).__name__)

def info(a):
    return {
        "dtype": str(a.dtype), "shape": list(a.shape), "size": a.size, "ndim": a.ndim,
        "itemsize": a.itemsize, "nbytes": a.nbytes, "list": a.tolist(), "repr": repr(a),
    }

def bits(a):
    # The raw bits toTypedArray exposes for the half types.
    return a.view(mx.uint16).tolist() if a.dtype in (mx.float16, mx.bfloat16) else None
`;

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$big === 'string') return BigInt(o.$big);
    if (typeof o.$float === 'string')
      return ({ nan: NaN, inf: Infinity, '-inf': -Infinity } as Record<string, number>)[o.$float];
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(o)) out[k] = decode(e);
    return out;
  }
  return v;
}

function pyBatch(exprs: Record<string, string>): Record<string, PyResult> {
  const raw = oracle<Record<string, PyResult>>(`${PRELUDE}
exprs = json.loads(${JSON.stringify(JSON.stringify(exprs))})
out = {}
for k, e in exprs.items():
    try:
        out[k] = {"ok": True, "value": enc(eval(e))}
    except Exception as err:
        out[k] = {"ok": False, "value": None, "error": type(err).__name__ + ": " + str(err)}
`);
  for (const r of Object.values(raw)) r.value = decode(r.value);
  return raw;
}

// ---------------------------------------------------------------------------
// Case tables (JS builder + the same array built in Python)

type DtypeName = (typeof DTYPES)[number];
const dt = (name: DtypeName): Dtype => mx[name];

// All 14 dtypes, with values exact in the dtype. Python builds ints from ints.
const ROUNDTRIP: Record<DtypeName, { js: unknown[]; py: string }> = {
  bool_: { js: [true, false, true], py: '[True, False, True]' },
  uint8: { js: [0, 1, 127, 200, 255], py: '[0, 1, 127, 200, 255]' },
  uint16: { js: [0, 1, 32768, 65535], py: '[0, 1, 32768, 65535]' },
  uint32: { js: [0, 1, 16777217, 4294967295], py: '[0, 1, 16777217, 4294967295]' },
  uint64: {
    js: [0, 1, 16777217, 2 ** 53 - 1, 2n ** 62n + 1n, 2n ** 63n - 1n],
    py: '[0, 1, 16777217, 2**53 - 1, 2**62 + 1, 2**63 - 1]',
  },
  int8: { js: [-128, -1, 0, 127], py: '[-128, -1, 0, 127]' },
  int16: { js: [-32768, -1, 0, 32767], py: '[-32768, -1, 0, 32767]' },
  int32: { js: [-2147483648, -1, 0, 16777217, 2147483647], py: '[-2147483648, -1, 0, 16777217, 2147483647]' },
  int64: {
    js: [-(2n ** 63n), -(2n ** 53n) - 1n, -1, 0, 16777217, 2 ** 53 - 1, 2n ** 62n + 1n, 2n ** 63n - 1n],
    py: '[-(2**63), -(2**53) - 1, -1, 0, 16777217, 2**53 - 1, 2**62 + 1, 2**63 - 1]',
  },
  float16: {
    js: [-2, -0.5, 0, -0, 1.5, 0.0999755859375, 65504, 2 ** -24, Infinity, -Infinity, NaN],
    py: "[-2.0, -0.5, 0.0, -0.0, 1.5, 0.0999755859375, 65504.0, 2.0**-24, float('inf'), float('-inf'), float('nan')]",
  },
  float32: {
    js: [-1.25, 0, -0, 0.5, 16777216, 0.100000001490116119384765625, 3.4028234663852886e38, 2 ** -149, Infinity, NaN],
    py: "[-1.25, 0.0, -0.0, 0.5, 16777216.0, 0.100000001490116119384765625, 3.4028234663852886e38, 2.0**-149, float('inf'), float('nan')]",
  },
  float64: {
    js: [0.1, 1 / 3, -1e300, 5e-324, -0, 2 ** 53 + 2, -Infinity, NaN],
    py: "[0.1, 1/3, -1e300, 5e-324, -0.0, 2.0**53 + 2, float('-inf'), float('nan')]",
  },
  bfloat16: {
    js: [-2, 0.5, -0, 1.0078125, 256, 3.3895313892515355e38, Infinity, NaN],
    py: "[-2.0, 0.5, -0.0, 1.0078125, 256.0, 3.3895313892515355e38, float('inf'), float('nan')]",
  },
  complex64: {
    js: [
      { re: 1, im: 2 },
      { re: -0.5, im: 0 },
      { re: 0, im: -3 },
    ],
    py: '[complex(1, 2), complex(-0.5, 0), complex(0, -3)]',
  },
};

// Printing: String(a) / util.inspect(a) must equal Python's repr exactly.
const nan = NaN;
const inf = Infinity;
const REPR: Array<[name: string, js: () => array, py: string]> = [
  // scalars of each dtype
  ['bool True', () => mx.array(true), 'mx.array(True)'],
  ['bool False', () => mx.array(false), 'mx.array(False)'],
  ['uint8 scalar', () => mx.array(200, mx.uint8), 'mx.array(200, mx.uint8)'],
  ['uint16 scalar', () => mx.array(65535, mx.uint16), 'mx.array(65535, mx.uint16)'],
  ['uint32 scalar', () => mx.array(4294967295, mx.uint32), 'mx.array(4294967295, mx.uint32)'],
  ['uint64 max scalar', () => mx.array(2n ** 64n - 1n, mx.uint64), 'mx.array(-1, mx.int64).view(mx.uint64)'],
  ['int8 scalar', () => mx.array(-128, mx.int8), 'mx.array(-128, mx.int8)'],
  ['int16 scalar', () => mx.array(-32768, mx.int16), 'mx.array(-32768, mx.int16)'],
  ['int32 scalar', () => mx.array(1, mx.int32), 'mx.array(1)'],
  ['int64 min scalar', () => mx.array(-(2n ** 63n)), 'mx.array(-(2**63), mx.int64)'],
  ['int64 2^62+1 scalar', () => mx.array(2n ** 62n + 1n), 'mx.array(2**62 + 1)'],
  ['float32 1', () => mx.array(1), 'mx.array(1.0)'],
  ['float32 1/3', () => mx.array(1 / 3), 'mx.array(1/3)'],
  ['float32 -0.0', () => mx.array(-0), 'mx.array(-0.0)'],
  ['float32 nan', () => mx.array(nan), "mx.array(float('nan'))"],
  ['float32 -inf', () => mx.array(-inf), "mx.array(float('-inf'))"],
  ['float16 1.2', () => mx.array(1.2, mx.float16), 'mx.array(1.2, mx.float16)'],
  ['bfloat16 1.2', () => mx.array(1.2, mx.bfloat16), 'mx.array(1.2, mx.bfloat16)'],
  ['float64 0.1', () => mx.array(0.1, mx.float64), 'mx.array(0.1, mx.float64)'],
  ['complex 1+2j', () => mx.array({ re: 1, im: 2 }), 'mx.array(1+2j)'],
  ['complex -0.5-0j', () => mx.array({ re: -0.5, im: -0 }), 'mx.array(complex(-0.5, -0.0))'],
  // 1-d
  ['int32 [1, 0, 1]', () => mx.array([1, 0, 1], mx.int32), 'mx.array([1, 0, 1])'],
  ['int32 [1]*6', () => mx.array(Array(6).fill(1), mx.int32), 'mx.array([1] * 6)'],
  ['int32 [1]*7 (ellipsis)', () => mx.array(Array(7).fill(1), mx.int32), 'mx.array([1] * 7)'],
  ['int8 [-1, 2]', () => mx.array([-1, 2], mx.int8), 'mx.array([-1, 2], mx.int8)'],
  ['uint8 from Uint8Array', () => mx.array(new Uint8Array([0, 255, 7])), 'mx.array([0, 255, 7], mx.uint8)'],
  ['int64 big values', () => mx.array([2n ** 62n + 1n, -(2n ** 63n), 0n]), 'mx.array([2**62 + 1, -(2**63), 0])'],
  [
    'uint64 big values',
    () => mx.array([0n, 2n ** 63n, 2n ** 64n - 1n], mx.uint64),
    'mx.array([0, -(2**63), -1], mx.int64).view(mx.uint64)',
  ],
  ['float32 [0.1, 1/3]', () => mx.array([0.1, 1 / 3], mx.float32), 'mx.array([0.1, 1/3], mx.float32)'],
  ['float32 [1e-8]', () => mx.array([1e-8]), 'mx.array([1e-8])'],
  ['float32 [1e10]', () => mx.array([1e10]), 'mx.array([1e10])'],
  ['float32 [1e-8, 1, 1e10]', () => mx.array([1e-8, 1, 1e10]), 'mx.array([1e-8, 1.0, 1e10])'],
  ['float32 [-0.0, 0.0]', () => mx.array([-0, 0]), 'mx.array([-0.0, 0.0])'],
  [
    'float32 [nan, inf, -inf]',
    () => mx.array([nan, inf, -inf]),
    "mx.array([float('nan'), float('inf'), float('-inf')])",
  ],
  ['float32 [123456789, 1]', () => mx.array([123456789, 1]), 'mx.array([123456789.0, 1.0])'],
  ['float32 [1e-40] (denormal)', () => mx.array([1e-40]), 'mx.array([1e-40])'],
  ['float32 [3.4e38]', () => mx.array([3.4e38]), 'mx.array([3.4e38])'],
  ['float32 [1.5, 2.25, -3.125]', () => mx.array([1.5, 2.25, -3.125]), 'mx.array([1.5, 2.25, -3.125])'],
  ['float32 16777217', () => mx.array([16777217]), 'mx.array([16777217.0])'],
  [
    'float64 [0.1, 1/3, 1e300]',
    () => mx.array([0.1, 1 / 3, 1e300], mx.float64),
    'mx.array([0.1, 1/3, 1e300], mx.float64)',
  ],
  [
    'float64 [-5e-324, 1e-8]',
    () => mx.array(new Float64Array([-5e-324, 1e-8])),
    'mx.array([-5e-324, 1e-8], mx.float64)',
  ],
  ['float16 [1.2]', () => mx.array([1.2], mx.float16), 'mx.array([1.2], mx.float16)'],
  [
    'float16 [65504, -0.5, 6e-8]',
    () => mx.array([65504, -0.5, 6e-8], mx.float16),
    'mx.array([65504.0, -0.5, 6e-8], mx.float16)',
  ],
  [
    'bfloat16 [1.2, 3.14159, -100]',
    () => mx.array([1.2, 3.14159, -100], mx.bfloat16),
    'mx.array([1.2, 3.14159, -100.0], mx.bfloat16)',
  ],
  ['bool [True, False, True]', () => mx.array([true, false, true]), 'mx.array([True, False, True])'],
  [
    'complex [1+1j, 1-1j, 0.5-2.25j, nan+1j]',
    () =>
      mx.array([
        { re: 1, im: 1 },
        { re: 1, im: -1 },
        { re: 0.5, im: -2.25 },
        { re: nan, im: 1 },
      ]),
    "mx.array([1+1j, 1-1j, 0.5-2.25j, complex(float('nan'), 1)])",
  ],
  // empty
  ['empty [0] float32', () => mx.array([]), 'mx.array([])'],
  ['empty [0] int32', () => mx.array([], mx.int32), 'mx.array([], mx.int32)'],
  ['empty [2, 0]', () => mx.array([[], []]), 'mx.array([[], []])'],
  ['zeros [2, 0]', () => mx.zeros([2, 0]), 'mx.zeros((2, 0))'],
  [
    'empty [3, 2, 0]',
    () =>
      mx.array([
        [[], []],
        [[], []],
        [[], []],
      ]),
    'mx.array([[[], []], [[], []], [[], []]])',
  ],
  // long, with '...'
  ['arange(2000) int32', () => mx.arange(2000), 'mx.arange(2000)'],
  ['arange(2000) float32', () => mx.arange(0, 2000, 1, mx.float32), 'mx.arange(0, 2000, 1, dtype=mx.float32)'],
  ['arange(10000) 100x100', () => mx.arange(10000).reshape(100, 100), 'mx.arange(10000).reshape(100, 100)'],
  [
    '100x100 float32 / 7',
    () => mx.divide(mx.arange(10000).reshape(100, 100), 7),
    'mx.arange(10000).reshape(100, 100) / 7',
  ],
  ['arange(512) 8x8x8', () => mx.arange(512).reshape(8, 8, 8), 'mx.arange(512).reshape(8, 8, 8)'],
  ['arange(20) 20x1', () => mx.arange(20).reshape(20, 1), 'mx.arange(20).reshape(20, 1)'],
  // 2-d / 3-d
  [
    'float32 [[1, 2], [3, 4]]',
    () =>
      mx.array([
        [1, 2],
        [3, 4],
      ]),
    'mx.array([[1.0, 2.0], [3.0, 4.0]])',
  ],
  [
    'int32 [[1, 2]]*6',
    () =>
      mx.array(
        Array.from({ length: 6 }, () => [1, 2]),
        mx.int32,
      ),
    'mx.array([[1, 2]] * 6)',
  ],
  [
    'int32 [[1, 2]]*7',
    () =>
      mx.array(
        Array.from({ length: 7 }, () => [1, 2]),
        mx.int32,
      ),
    'mx.array([[1, 2]] * 7)',
  ],
  [
    'int32 3-d',
    () =>
      mx.array(
        [
          [
            [1, 2],
            [1, 2],
          ],
          [
            [1, 2],
            [1, 2],
          ],
        ],
        mx.int32,
      ),
    'mx.array([[[1, 2], [1, 2]], [[1, 2], [1, 2]]])',
  ],
  [
    'float16 3-d',
    () =>
      mx.array(
        [
          [
            [1.5, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
        mx.float16,
      ),
    'mx.array([[[1.5, 2], [3, 4]], [[5, 6], [7, 8]]], mx.float16)',
  ],
  [
    'bool 2-d',
    () =>
      mx.array([
        [true, false],
        [false, true],
      ]),
    'mx.array([[True, False], [False, True]])',
  ],
  [
    'complex 2-d',
    () =>
      mx.array([
        [{ re: 1, im: 2 }, 3],
        [0, { re: 0, im: -1 }],
      ]),
    'mx.array([[1+2j, 3], [0, complex(0, -1)]])',
  ],
  [
    'transpose 2x3',
    () =>
      mx.array([
        [1, 2, 3],
        [4, 5, 6],
      ]).T,
    'mx.array([[1.0, 2, 3], [4, 5, 6]]).T',
  ],
  ['row from iteration', () => [...mx.arange(6).reshape(2, 3)][1], 'list(mx.arange(6).reshape(2, 3))[1]'],
];

// Construction from nested lists and from lists of arrays (Python's test_construction_from_lists).
const FROM_LISTS: Array<[name: string, js: () => array, py: string]> = [
  ['[]', () => mx.array([]), 'mx.array([])'],
  ['[[], [], []]', () => mx.array([[], [], []]), 'mx.array([[], [], []])'],
  [
    '[[[], []] x3]',
    () =>
      mx.array([
        [[], []],
        [[], []],
        [[], []],
      ]),
    'mx.array([[[], []], [[], []], [[], []]])',
  ],
  [
    'floats -> bool_',
    () =>
      mx.array(
        [
          [1.0, 2.0],
          [0.0, 3.9],
        ],
        mx.bool_,
      ),
    'mx.array([[1.0, 2.0], [0.0, 3.9]], mx.bool_)',
  ],
  [
    'floats -> int32',
    () =>
      mx.array(
        [
          [1.0, 2.0],
          [0.0, 3.9],
        ],
        mx.int32,
      ),
    'mx.array([[1.0, 2.0], [0.0, 3.9]], mx.int32)',
  ],
  [
    'negative floats -> int32',
    () => mx.array([1.5, -1.5, 2.7, -2.7], mx.int32),
    'mx.array([1.5, -1.5, 2.7, -2.7], mx.int32)',
  ],
  ['ints wrap into uint8', () => mx.array([-1, 300], mx.uint8), 'mx.array([-1, 300], mx.uint8)'],
  [
    'complex64 from mixed',
    () => mx.array([{ re: 1, im: 0 }, { re: 0, im: 2 }, true, 0], mx.complex64),
    'mx.array([1 + 0j, 2j, True, 0], mx.complex64)',
  ],
  ['complex and number', () => mx.array([{ re: 1, im: 2 }, 3]), 'mx.array([1+2j, 3])'],
  ['uint32 max', () => mx.array([0, 4294967295], mx.uint32), 'mx.array([0, 4294967295], dtype=mx.uint32)'],
  ['float32 of 4294967295', () => mx.array([0, 4294967295], mx.float32), 'mx.array([0, 4294967295], dtype=mx.float32)'],
  ['bigints -> int64', () => mx.array([2n ** 53n + 1n, 1n]), 'mx.array([2**53 + 1, 1])'],
  ['bool and bigint -> int64', () => mx.array([true, 2n]), 'mx.array([True, 2], mx.int64)'],
  [
    'list of arrays',
    () => mx.array([mx.array([1, 2], mx.int32), mx.array([3, 4], mx.int32)]),
    'mx.array([mx.array([1, 2]), mx.array([3, 4])])',
  ],
  [
    'list of 0-d arrays',
    () => mx.array([mx.array(1, mx.int32), mx.array(2, mx.int32)]),
    'mx.array([mx.array(1), mx.array(2)])',
  ],
  [
    'array then list',
    () => mx.array([mx.array([1, 2], mx.int32), [3, 4]], mx.int32),
    'mx.array([mx.array([1, 2]), [3, 4]])',
  ],
  ['array then scalar', () => mx.array([mx.array(2, mx.int32), 1], mx.int32), 'mx.array([mx.array(2), 1])'],
  [
    'list of arrays with a dtype',
    () => mx.array([mx.array([1.5]), mx.array([2.5])], mx.int32),
    'mx.array([mx.array([1.5]), mx.array([2.5])], mx.int32)',
  ],
  [
    'bfloat16 (no raw data) stacked with float32',
    () => mx.array([mx.array([1.0]).astype(mx.bfloat16), mx.array([2.0])]),
    'mx.array([mx.array([1.0]).astype(mx.bfloat16), mx.array([2.0])])',
  ],
];

// Ragged and otherwise invalid nested input: Python raises; so must we.
const RAGGED: Array<[js: () => unknown, py: string]> = [
  [() => mx.array([[1], [1, 2]]), 'mx.array([[1], [1, 2]])'],
  [() => mx.array([[[], []], [[]], [[], []]]), 'mx.array([[[], []], [[]], [[], []]])'],
  [
    () =>
      mx.array([
        [[], []],
        [[1.0, 2.0], []],
        [[], []],
      ]),
    'mx.array([[[], []], [[1.0, 2.0], []], [[], []]])',
  ],
  [
    () =>
      mx.array([
        [0, 1],
        [[0, 1], 1],
      ]),
    'mx.array([[0, 1], [[0, 1], 1]])',
  ],
  [() => mx.array([1, [2]]), 'mx.array([1, [2]])'],
  [() => mx.array([[1], 2]), 'mx.array([[1], 2])'],
  [() => mx.array([mx.array([1.0]), 1.0]), 'mx.array([mx.array([1.0]), 1.0])'],
  [() => mx.array([mx.array([1.0]), mx.array([1.0, 2.0])]), 'mx.array([mx.array([1.0]), mx.array([1.0, 2.0])])'],
];

// Shapes/properties/iteration (test_array_basics, test_array_iteration).
const PROPS: Array<[name: string, js: () => array, py: string]> = [
  ['int32 scalar', () => mx.array(1, mx.int32), 'mx.array(1)'],
  ['float32 scalar', () => mx.array(1.0), 'mx.array(1.0)'],
  ['bool scalar', () => mx.array(false), 'mx.array(False)'],
  ['complex scalar', () => mx.array({ re: 1, im: 1 }), 'mx.array(complex(1, 1))'],
  ['bool [3]', () => mx.array([true, false, true]), 'mx.array([True, False, True])'],
  [
    'float32 [3, 2]',
    () =>
      mx.array([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    'mx.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])',
  ],
  [
    'int64 [2, 3]',
    () =>
      mx.array([
        [1n, 2n, 3n],
        [4n, 5n, 6n],
      ]),
    'mx.array([[1, 2, 3], [4, 5, 6]], mx.int64)',
  ],
  [
    'float16 [2, 2, 3]',
    () => mx.arange(12).reshape(2, 2, 3).astype(mx.float16),
    'mx.arange(12).reshape(2, 2, 3).astype(mx.float16)',
  ],
  ['bfloat16 [4]', () => mx.array([1, 2, 3, 4], mx.bfloat16), 'mx.array([1, 2, 3, 4], mx.bfloat16)'],
  [
    'complex64 [2]',
    () =>
      mx.array([
        { re: 0, im: 1 },
        { re: 1, im: 0 },
      ]),
    'mx.array([1j, 1 + 0j])',
  ],
  ['float64 [2]', () => mx.array([0.5, 0.25], mx.float64), 'mx.array([0.5, 0.25], mx.float64)'],
  ['uint8 [2, 0]', () => mx.zeros([2, 0], mx.uint8), 'mx.zeros((2, 0), mx.uint8)'],
  [
    'transposed [3, 2]',
    () =>
      mx.array(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        mx.int32,
      ).T,
    'mx.array([[1, 2, 3], [4, 5, 6]]).T',
  ],
];

const TYPE_CAST: Array<[from: string, to: DtypeName, js: () => array, py: string]> = [
  ['float32', 'int32', () => mx.array([0.1, 2.3, -1.3]), 'mx.array([0.1, 2.3, -1.3])'],
  ['int32', 'float32', () => mx.array([0, 2, -1], mx.int32), 'mx.array([0, 2, -1])'],
  ['float32', 'bool_', () => mx.array([0, 0.5, -2]), 'mx.array([0.0, 0.5, -2.0])'],
  ['float32', 'float16', () => mx.array([0.1, 1 / 3]), 'mx.array([0.1, 1/3])'],
  ['float32', 'bfloat16', () => mx.array([0.1, 1 / 3]), 'mx.array([0.1, 1/3])'],
  ['int32', 'uint8', () => mx.array([-1, 256, 7], mx.int32), 'mx.array([-1, 256, 7])'],
  ['float32', 'complex64', () => mx.array([1.5, -2]), 'mx.array([1.5, -2.0])'],
  ['int64', 'float64', () => mx.array([2n ** 53n + 2n]), 'mx.array([2**53 + 2])'],
];

// ---------------------------------------------------------------------------
// The one oracle run

const exprs: Record<string, string> = {};
for (const name of DTYPES) {
  const { py } = ROUNDTRIP[name];
  exprs[`rt:${name}`] =
    `(lambda vals, dt: (lambda a: {"info": info(a), "items": [mx.array(v, dt).item() for v in vals], "bits": bits(a)})(mx.array(vals, dt)))(${py}, mx.${name})`;
}
for (const [name, , py] of REPR) exprs[`repr:${name}`] = `repr(${py})`;
for (const [name, , py] of FROM_LISTS) exprs[`list:${name}`] = `info(${py})`;
for (const [name, , py] of PROPS) {
  exprs[`props:${name}`] =
    `(lambda a: {"info": info(a), "iter": [info(r) for r in a] if a.ndim else None, "T": info(a.T)})(${py})`;
}
for (const [from, to, , py] of TYPE_CAST)
  exprs[`cast:${from}->${to}`] = `(lambda b: {"info": info(b), "bits": bits(b)})(${py}.astype(mx.${to}))`;
Object.assign(exprs, {
  // test_array_basics: the Python dtypes of the same literals
  'basics:int': 'mx.array(1).dtype',
  'basics:float': 'mx.array(1.0).dtype',
  'basics:len3': 'len(mx.array([True, False, True]))',
  'basics:bfloat16 item': 'mx.array(1, mx.bfloat16).item()',
  // construction from [True, False, 3] (Python: int32; JS numbers are float32)
  'list:bool+int': 'info(mx.array([True, False, 3]))',
  'list:bool+int+float': 'info(mx.array([True, False, 3, 4.0]))',
  'list:nested mixed': 'info(mx.array([[True, False], [1, 3], [2, 4.0]]))',
  // raw bytes reinterpreted (ArrayBuffer/DataView/Buffer with a dtype)
  'bytes:f32 as i32': 'mx.array([1.0, -2.0]).view(mx.int32).tolist()',
  'bytes:u16 as bf16': 'mx.array([0x3fc0, 0xc000], mx.uint16).view(mx.bfloat16).tolist()',
  'bytes:u16 as f16': 'mx.array([0x3e00, 0x7bff], mx.uint16).view(mx.float16).tolist()',
  'bytes:i32 as u8': 'mx.array([1, -2], mx.int32).view(mx.uint8).tolist()',
  // a TypedArray with a dtype: its values converted, as from a list
  'ta:f32->i32': 'mx.array([1.5, -2.5, 3.0], mx.int32).tolist()',
  'ta:u8->f32': 'info(mx.array([1, 2, 3], mx.float32))',
  'ta:i32->f32': 'info(mx.array([1, -2], mx.float32))',
  'ta:f64->f16': 'info(mx.array([0.1, 65504.0], mx.float16))',
  // test_init_from_array
  'init:same': 'info(mx.array(mx.array(3.0)))',
  'init:int32': 'info(mx.array(mx.array(3.0), mx.int32))',
  'init:bool': 'info(mx.array(mx.array(3.0), mx.bool_))',
  'init:complex': 'info(mx.array(mx.array(3.0), mx.complex64))',
  'init:item complex': 'mx.array(mx.array(3.0), mx.complex64).item()',
  // big integers
  'big:int32 16777217': 'info(mx.array(16777217, mx.int32))',
  'big:int64 16777217': 'info(mx.array(16777217, mx.int64))',
  'big:uint32 16777217': 'info(mx.array(16777217, mx.uint32))',
  'big:float 16777217': 'mx.array(16777217.0).item()',
  'big:int64 2^62+1': 'info(mx.array([2**62 + 1, -(2**62) - 1, 1]))',
  'big:uint64 max': 'info(mx.array([-1, 5], mx.int64).view(mx.uint64))',
  'big:uint64 max item': 'mx.array(-1, mx.int64).view(mx.uint64).item()',
  'big:uint64 2^63 item': 'mx.array(-(2**63), mx.int64).view(mx.uint64).item()',
  'big:float64 from ints': 'mx.array([16777217, 2**40 + 1, -(2**53) + 1], mx.float64).tolist()',
  'big:float64 scalar': 'mx.array(16777217, mx.float64).item()',
  'big:boundaries': 'mx.array([2**53 - 1, 2**53 + 1, -(2**53) + 1, -(2**53) - 1], mx.int64).tolist()',
  // toTypedArray of a transpose: Python's .T.tolist(), flattened
  'tt:T': 'mx.array([[1.0, 2, 3], [4, 5, 6]]).T.tolist()',
  'tt:T3': '[[v for v in r] for r in mx.arange(24).reshape(2, 3, 4).transpose(2, 0, 1).tolist()]',
  'tt:col': 'list(mx.arange(12).reshape(3, 4).T)[1].tolist()',
});
// test_dtype_promotion: result dtype of a + b for every pair of dtypes
const PROMO_PAIRS: Array<[DtypeName, DtypeName]> = [];
for (const a of DTYPES) for (const b of DTYPES) if (a !== b) PROMO_PAIRS.push([a, b]);
exprs['promotion'] =
  `[${PROMO_PAIRS.map(([a, b]) => `str((mx.ones((3,), dtype=mx.${a}) + mx.ones((3,), dtype=mx.${b})).dtype)`).join(', ')}]`;
// test_construction_from_lists_of_mlx_arrays (all dtypes but float64, as Python's test)
const STACK_DTYPES = DTYPES.filter((d) => d !== 'float64');
const STACK_PAIRS: Array<[DtypeName, DtypeName]> = [];
for (const a of STACK_DTYPES) for (const b of STACK_DTYPES) if (a !== b) STACK_PAIRS.push([a, b]);
exprs['stack'] =
  `[${STACK_PAIRS.map(([a, b]) => `info(mx.array([mx.array([1.0], mx.${a}), mx.array([2.0], mx.${b})]))`).join(', ')}]`;
exprs['stack:hetero'] = `[${STACK_PAIRS.map(
  ([a, b]) => `info(mx.array([[mx.array([True], mx.${a}), [2.0]], [[3.0], mx.array([False], mx.${b})]]))`,
).join(', ')}]`;

const PY = pyBatch(exprs);

function py(key: string): unknown {
  const r = PY[key];
  assert.ok(r, `no oracle result for ${key}`);
  assert.ok(r.ok, `oracle failed for ${key}: ${r.error}`);
  return r.value;
}
type Info = {
  dtype: string;
  shape: number[];
  size: number;
  ndim: number;
  itemsize: number;
  nbytes: number;
  list: unknown;
  repr: string;
};
const pyInfo = (key: string) => py(key) as Info;

// The error table goes through oracleEach (Python's error types).
const RAGGED_PY = oracleEach(
  RAGGED.map(([, p]) => p),
  'repr(x)',
);

// ---------------------------------------------------------------------------
// Helpers

function infoOf(a: array): Info {
  return {
    dtype: String(a.dtype),
    shape: a.shape,
    size: a.size,
    ndim: a.ndim,
    itemsize: a.itemsize,
    nbytes: a.nbytes,
    list: a.tolist(),
    repr: String(a),
  };
}

const vals = (t: object): unknown[] => Array.from(t as ArrayLike<unknown>);
const flatten = (x: unknown): unknown[] => (Array.isArray(x) ? x.flatMap(flatten) : [x]);

const TYPED_KIND: Record<DtypeName, Function> = {
  bool_: Uint8Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  float16: Uint16Array,
  float32: Float32Array,
  float64: Float64Array,
  bfloat16: Uint16Array,
  complex64: Float32Array,
};

// ---------------------------------------------------------------------------
// Tests

describe('construction', () => {
  test('test_array_basics: JS literals and their dtypes', () => {
    // A JS number is float32 (deliberate: JS has no int/float split);
    // Python's mx.array(1) is int32, mx.array(1.0) float32.
    assert.equal(py('basics:int'), 'mlx.core.int32');
    assert.equal(py('basics:float'), 'mlx.core.float32');
    const x = mx.array(1);
    assert.equal(x.dtype, mx.float32);
    assert.equal(x.item(), 1);
    assert.equal(mx.array(1.5).dtype, mx.float32);
    assert.equal(mx.array(true).dtype, mx.bool_);
    assert.equal(mx.array(true).item(), true);
    assert.equal(mx.array(5n).dtype, mx.int64);
    assert.equal(mx.array(5n).item(), 5);
    assert.equal(mx.array(2n ** 63n).dtype, mx.uint64, 'a bigint beyond int64 gives uint64');
    assert.equal(mx.array({ re: 1, im: 1 }).dtype, mx.complex64);
    assert.deepEqual(mx.array({ re: 1, im: 1 }).item(), { re: 1, im: 1 });
    assert.equal(mx.array([0, 1, 2]).dtype, mx.float32);
    assert.equal(mx.array([0, 1, 2], mx.int32).dtype, mx.int32);
    assert.equal(mx.array([true, false, true], mx.float32).dtype, mx.float32);
    assert.equal(mx.array(1, mx.bfloat16).item(), py('basics:bfloat16 item'));
    assert.equal(mx.array([true, false, true]).length, py('basics:len3'));
    assert.equal(mx.bool, mx.bool_, 'mx.bool is an alias of mx.bool_');
  });

  test('nested JS arrays give the nested shape', () => {
    const a = mx.array([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ]);
    assert.deepEqual(a.shape, [2, 3, 2]);
    assert.deepEqual(a.tolist(), [
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ]);
  });

  for (const [name, js] of FROM_LISTS) {
    test(`test_construction_from_lists: ${name}`, () => {
      assert.deepEqual(infoOf(js()), pyInfo(`list:${name}`));
    });
  }

  test('test_construction_from_lists: mixed bool/number lists (JS numbers are float32)', () => {
    // Python gives int32 for [True, False, 3]; a JS number is float32 so JS gives float32.
    assert.equal(pyInfo('list:bool+int').dtype, 'mlx.core.int32');
    const a = mx.array([true, false, 3]);
    assert.equal(a.dtype, mx.float32);
    assert.deepEqual(a.tolist(), pyInfo('list:bool+int').list);
    assert.deepEqual(infoOf(mx.array([true, false, 3, 4.0])), pyInfo('list:bool+int+float'));
    assert.deepEqual(
      infoOf(
        mx.array([
          [true, false],
          [1, 3],
          [2, 4.0],
        ]),
      ),
      pyInfo('list:nested mixed'),
    );
  });

  test('test_construction_from_lists: an mx.array after a scalar in a list', () => {
    assert.deepEqual(mx.array([1, mx.array(2, mx.int32)], mx.int32).tolist(), [1, 2]);
  });

  test('test_construction_from_lists_of_mlx_arrays: promotion of stacked arrays', () => {
    const expected = py('stack') as Info[];
    assert.equal(expected.length, STACK_PAIRS.length);
    STACK_PAIRS.forEach(([a, b], i) => {
      const z = mx.array([mx.array([1.0], dt(a)), mx.array([2.0], dt(b))]);
      assert.deepEqual(infoOf(z), expected[i], `${a} with ${b}`);
    });
  });

  test('test_construction_from_lists_of_mlx_arrays: arrays mixed with nested lists', () => {
    const expected = py('stack:hetero') as Info[];
    STACK_PAIRS.forEach(([a, b], i) => {
      const z = mx.array([
        [mx.array([true], dt(a)), [2.0]],
        [[3.0], mx.array([false], dt(b))],
      ]);
      assert.deepEqual(infoOf(z), expected[i], `${a} with ${b}`);
    });
  });

  test('TypedArrays of every kind give their dtype, copying the values', () => {
    const cases: Array<[ArrayLike<number | bigint> & { length: number }, DtypeName, unknown[]]> = [
      [new Int8Array([-128, 0, 127]), 'int8', [-128, 0, 127]],
      [new Uint8Array([0, 7, 255]), 'uint8', [0, 7, 255]],
      [new Uint8ClampedArray([0, 300, -5]), 'uint8', [0, 255, 0]],
      [new Int16Array([-32768, 1, 32767]), 'int16', [-32768, 1, 32767]],
      [new Uint16Array([0, 65535]), 'uint16', [0, 65535]],
      [new Int32Array([-2147483648, 16777217, 2147483647]), 'int32', [-2147483648, 16777217, 2147483647]],
      [new Uint32Array([0, 4294967295]), 'uint32', [0, 4294967295]],
      [new Float32Array([0.5, -1.25, 1e-8]), 'float32', [0.5, -1.25, Math.fround(1e-8)]],
      [new Float64Array([0.1, 1 / 3, 1e300]), 'float64', [0.1, 1 / 3, 1e300]],
      [new BigInt64Array([-(2n ** 63n), 2n ** 62n + 1n, 1n]), 'int64', [-(2n ** 63n), 2n ** 62n + 1n, 1]],
      [new BigUint64Array([2n ** 64n - 1n, 0n]), 'uint64', [2n ** 64n - 1n, 0]],
    ];
    for (const [ta, dtype, values] of cases) {
      const a = mx.array(ta);
      const kind = ta.constructor.name;
      assert.equal(a.dtype, dt(dtype), kind);
      assert.deepEqual(a.shape, [ta.length], kind);
      assert.deepEqual(a.tolist(), values, kind);
      // The data was copied: changing the source afterwards does not show.
      (ta as unknown as { fill(v: unknown): void }).fill(typeof ta[0] === 'bigint' ? 3n : 3);
      assert.deepEqual(a.tolist(), values, `${kind} (after the source changed)`);
    }
  });

  test('a TypedArray view with a byteOffset reads its own window', () => {
    const backing = new Float32Array([1, 2, 3, 4, 5]);
    const a = mx.array(new Float32Array(backing.buffer, 4, 3));
    assert.deepEqual(a.tolist(), [2, 3, 4]);
    const b = mx.array(backing.subarray(3));
    assert.deepEqual(b.tolist(), [4, 5]);
  });

  test('a TypedArray with its own dtype keeps the values', () => {
    assert.deepEqual(mx.array(new Int16Array([1, -1]), mx.int16).tolist(), [1, -1]);
    assert.deepEqual(mx.array(new Float64Array([0.1]), mx.float64).tolist(), [0.1]);
  });

  test('a TypedArray with another dtype converts its values (as Python mx.array(list, dtype))', () => {
    assert.deepEqual(mx.array(new Float32Array([1.5, -2.5, 3]), mx.int32).tolist(), py('ta:f32->i32'));
    assert.deepEqual(infoOf(mx.array(new Int32Array([1, -2]), mx.float32)), pyInfo('ta:i32->f32'));
    assert.deepEqual(infoOf(mx.array(new Float64Array([0.1, 65504]), mx.float16)), pyInfo('ta:f64->f16'));
    // byte length 3 is no multiple of 4: currently a RangeError
    assert.deepEqual(infoOf(mx.array(new Uint8Array([1, 2, 3]), mx.float32)), pyInfo('ta:u8->f32'));
  });

  test('a TypedArray over a SharedArrayBuffer', () => {
    const shared = new Float32Array(new SharedArrayBuffer(8));
    shared.set([1.5, -2]);
    const a = mx.array(shared);
    assert.equal(a.dtype, mx.float32);
    assert.deepEqual(a.tolist(), [1.5, -2]);
  });

  test('ArrayBuffer and DataView: raw bytes of the dtype (uint8 without one)', () => {
    const f32 = new Float32Array([1, -2]);
    assert.deepEqual(mx.array(f32.buffer, mx.float32).tolist(), [1, -2]);
    assert.deepEqual(mx.array(f32.buffer, mx.int32).tolist(), py('bytes:f32 as i32'));
    const plain = mx.array(f32.buffer);
    assert.equal(plain.dtype, mx.uint8);
    assert.deepEqual(plain.tolist(), Array.from(new Uint8Array(f32.buffer)));
    assert.deepEqual(mx.array(new Uint16Array([0x3fc0, 0xc000]).buffer, mx.bfloat16).tolist(), py('bytes:u16 as bf16'));
    assert.deepEqual(mx.array(new Uint16Array([0x3e00, 0x7bff]).buffer, mx.float16).tolist(), py('bytes:u16 as f16'));
    // DataView: only its window, with or without a dtype.
    const backing = new Float32Array([10, 20, 30, 40]);
    const dv = new DataView(backing.buffer, 4, 8);
    assert.deepEqual(mx.array(dv, mx.float32).tolist(), [20, 30]);
    const dvBytes = mx.array(dv);
    assert.equal(dvBytes.dtype, mx.uint8);
    assert.deepEqual(dvBytes.tolist(), Array.from(new Uint8Array(backing.buffer, 4, 8)));
    assert.deepEqual(mx.array(new DataView(new Int32Array([1, -2]).buffer), mx.uint8).tolist(), py('bytes:i32 as u8'));
    // An empty buffer gives an empty array.
    assert.deepEqual(mx.array(new ArrayBuffer(0), mx.float32).shape, [0]);
  });

  test('Node Buffer with a dtype: raw bytes (uint8 without one)', () => {
    const b = Buffer.from(new Float32Array([1.5, -2, 3]).buffer);
    const a = mx.array(b, mx.float32);
    assert.equal(a.dtype, mx.float32);
    assert.deepEqual(a.tolist(), [1.5, -2, 3]);
    // A Buffer slice (non-zero byteOffset into its ArrayBuffer).
    const big = Buffer.alloc(16);
    big.writeInt16LE(-5, 2);
    big.writeInt16LE(7, 4);
    const sub = big.subarray(2, 6);
    assert.notEqual(sub.byteOffset, 0);
    assert.deepEqual(mx.array(sub, mx.int16).tolist(), [-5, 7]);
    // Pooled small Buffers live at an offset in a shared ArrayBuffer.
    const pooled = Buffer.from([1, 2, 3, 4]);
    assert.deepEqual(mx.array(pooled, mx.uint8).tolist(), [1, 2, 3, 4]);
    const plain = mx.array(pooled);
    assert.equal(plain.dtype, mx.uint8);
    assert.deepEqual(plain.tolist(), [1, 2, 3, 4]);
    assert.deepEqual(mx.array(Buffer.from(new Int32Array([1, -2]).buffer), mx.uint8).tolist(), py('bytes:i32 as u8'));
    // An unaligned window (byteOffset 1) of float32 bytes.
    const odd = Buffer.alloc(9);
    odd.writeFloatLE(0.5, 1);
    odd.writeFloatLE(-3, 5);
    assert.deepEqual(mx.array(odd.subarray(1), mx.float32).tolist(), [0.5, -3]);
  });

  test('test_init_from_array: another mx.array, with and without dtype', () => {
    const x = mx.array(3.0);
    const y = mx.array(x);
    assert.notEqual(y, x);
    assert.deepEqual(infoOf(y), pyInfo('init:same'));
    assert.deepEqual(infoOf(mx.array(x, mx.int32)), pyInfo('init:int32'));
    assert.deepEqual(infoOf(mx.array(x, mx.bool_)), pyInfo('init:bool'));
    assert.deepEqual(infoOf(mx.array(x, mx.complex64)), pyInfo('init:complex'));
    assert.deepEqual(mx.array(x, mx.complex64).item(), py('init:item complex'));
    // The copy is a separate handle: disposing it leaves x usable.
    y.dispose();
    assert.equal(x.item(), 3);
  });

  test('complex {re, im} scalars and nested', () => {
    const s = mx.array({ re: 1.5, im: -2 });
    assert.equal(s.dtype, mx.complex64);
    assert.deepEqual(s.shape, []);
    assert.deepEqual(s.item(), { re: 1.5, im: -2 });
    const n = mx.array([
      [{ re: 1, im: 2 }, 3],
      [0, { re: 0, im: -1 }],
    ]);
    assert.equal(n.dtype, mx.complex64);
    assert.deepEqual(n.tolist(), [
      [
        { re: 1, im: 2 },
        { re: 3, im: 0 },
      ],
      [
        { re: 0, im: 0 },
        { re: 0, im: -1 },
      ],
    ]);
  });

  test('callable with and without new; instanceof mx.array', () => {
    const a = mx.array([1, 2]);
    const b = new mx.array([1, 2]);
    assert.ok(a instanceof mx.array);
    assert.ok(b instanceof mx.array);
    assert.ok(mx.arange(3) instanceof mx.array, 'op results are mx.arrays too');
    assert.ok(!((new Float32Array(2) as unknown) instanceof mx.array));
    assert.deepEqual(a.tolist(), b.tolist());
    assert.equal(Object.prototype.toString.call(a), '[object mlx.core.array]');
    assert.equal(mx.array(1, null).dtype, mx.float32, 'a null dtype is no dtype');
  });

  test('a ragged nested array is an Error (Python: ValueError)', () => {
    RAGGED.forEach(([js, p], i) => {
      assert.equal(RAGGED_PY[i].ok, false, `Python accepts ${p}`);
      assert.match(RAGGED_PY[i].error!, /^ValueError: Initialization encountered (non-uniform length|extra dimension)/);
      assert.throws(
        js,
        (e: unknown) => {
          assert.ok(e instanceof Error);
          assert.equal(e.constructor, Error, `${p}: ${e.name}`);
          assert.match(e.message, /non-uniform length/);
          return true;
        },
        p,
      );
    });
  });

  test('an unsupported element or value is a TypeError', () => {
    for (const bad of [
      ['a'],
      [
        [1, 2],
        ['hello', 1],
      ],
      [null],
      [undefined],
      [{}],
      [() => 1],
      [Symbol('s')],
      [{ re: 1 }],
    ]) {
      assert.throws(
        () => mx.array(bad),
        (e: unknown) => e instanceof TypeError && /cannot make an array element/.test(e.message),
      );
    }
    for (const bad of ['abc', null, undefined, {}, Symbol('s'), new Map()]) {
      assert.throws(() => mx.array(bad), TypeError);
    }
    assert.throws(() => (mx.array as unknown as () => unknown)(), TypeError);
    assert.throws(() => mx.array([1], 'float32' as unknown as Dtype), TypeError);
  });

  test('a bigint out of the int64/uint64 range is a RangeError', () => {
    assert.throws(() => mx.array(2n ** 64n), RangeError);
    assert.throws(() => mx.array([1n, -(2n ** 63n) - 1n]), RangeError);
  });

  test('a buffer whose length is not a multiple of the dtype size is a RangeError', () => {
    assert.throws(() => mx.array(Buffer.alloc(3), mx.float32), RangeError);
    assert.throws(() => mx.array(Buffer.alloc(6), mx.int32), RangeError);
    assert.throws(() => mx.array(new ArrayBuffer(3), mx.float32), RangeError);
    assert.throws(() => mx.array(new ArrayBuffer(10), mx.complex64), RangeError);
    assert.throws(() => mx.array(new DataView(new ArrayBuffer(8), 0, 6), mx.int32), RangeError);
    assert.throws(() => mx.array(new ArrayBuffer(3), mx.float16), /multiple of the dtype/);
  });
});

describe('dtypes round-trip', () => {
  for (const name of DTYPES) {
    test(`${name}: dtype, tolist(), item(), toTypedArray() match Python`, () => {
      const { js } = ROUNDTRIP[name];
      const d = dt(name);
      const expected = py(`rt:${name}`) as { info: Info; items: unknown[]; bits: number[] | null };
      const a = mx.array(js, d);
      assert.equal(a.dtype, d);
      assert.deepEqual(infoOf(a), expected.info);
      assert.equal(a.itemsize, d.size);
      assert.deepEqual(
        js.map((v) => mx.array(v, d).item()),
        expected.items,
      );
      const t = a.toTypedArray();
      assert.equal(t.constructor, TYPED_KIND[name]);
      assert.equal(t.byteLength, a.nbytes);
      const list = expected.info.list as unknown[];
      let want: unknown[];
      if (expected.bits) want = expected.bits;
      else if (name === 'bool_') want = list.map((v) => (v ? 1 : 0));
      else if (name === 'complex64') want = (list as { re: number; im: number }[]).flatMap((c) => [c.re, c.im]);
      else if (name === 'int64' || name === 'uint64') want = list.map((v) => BigInt(v as number | bigint));
      else want = list;
      assert.deepEqual(Array.from(t as ArrayLike<unknown>), want);
    });
  }

  test('float rounding on construction matches Python (float16, bfloat16, float32)', () => {
    // Inexact inputs: the rounding must be Python's (double -> float -> half).
    const inputs = [0.1, 1 / 3, 1.2, 3.14159, 65519, 1e-7, 2 ** -25];
    const expected = oracle<{ f16: number[]; bf16: number[]; f32: number[] }>(`
vals = [0.1, 1/3, 1.2, 3.14159, 65519.0, 1e-7, 2.0**-25]
out = {"f16": mx.array(vals, mx.float16).view(mx.uint16).tolist(),
       "bf16": mx.array(vals, mx.bfloat16).view(mx.uint16).tolist(),
       "f32": mx.array(vals).view(mx.uint32).tolist()}`);
    assert.deepEqual(vals(mx.array(inputs, mx.float16).toTypedArray()), expected.f16);
    assert.deepEqual(vals(mx.array(inputs, mx.bfloat16).toTypedArray()), expected.bf16);
    assert.deepEqual(vals(new Uint32Array(mx.array(inputs).toTypedArray().buffer)), expected.f32);
  });

  test('test_array_type_cast: astype()', () => {
    for (const [from, to, js] of TYPE_CAST) {
      const expected = py(`cast:${from}->${to}`) as { info: Info; bits: number[] | null };
      const b = js().astype(dt(to));
      assert.equal(b.dtype, dt(to));
      assert.deepEqual(infoOf(b), expected.info, `${from} -> ${to}`);
      if (expected.bits) assert.deepEqual(vals(b.toTypedArray()), expected.bits, `${from} -> ${to} bits`);
    }
  });

  test('test_dtype_promotion: a + b for every pair of dtypes', () => {
    const expected = py('promotion') as string[];
    assert.equal(expected.length, PROMO_PAIRS.length);
    const got = PROMO_PAIRS.map(([a, b]) => String(mx.add(mx.ones([3], dt(a)), mx.ones([3], dt(b))).dtype));
    assert.deepEqual(got, expected);
  });
});

describe('big integers', () => {
  test('16777217 (2^24 + 1) survives int32/int64/uint32 exactly', () => {
    for (const [name, d, kind] of [
      ['int32', mx.int32, Int32Array],
      ['int64', mx.int64, BigInt64Array],
      ['uint32', mx.uint32, Uint32Array],
    ] as const) {
      const a = mx.array(16777217, d);
      assert.deepEqual(infoOf(a), pyInfo(`big:${name} 16777217`));
      assert.equal(a.item(), 16777217);
      const t = a.toTypedArray();
      assert.ok(t instanceof kind);
      assert.equal(t[0], kind === BigInt64Array ? 16777217n : 16777217);
      assert.deepEqual(mx.array([16777217, 1], d).tolist(), [16777217, 1]);
    }
    // Without a dtype a JS number is float32, as Python's 16777217.0.
    assert.equal(mx.array(16777217).item(), py('big:float 16777217'));
    assert.equal(mx.array(16777217).item(), 16777216);
  });

  test('int64 beyond 2^53 from bigint: item(), tolist(), toTypedArray()', () => {
    const a = mx.array([2n ** 62n + 1n, -(2n ** 62n) - 1n, 1n]);
    assert.deepEqual(infoOf(a), pyInfo('big:int64 2^62+1'));
    assert.deepEqual(a.tolist(), [2n ** 62n + 1n, -(2n ** 62n) - 1n, 1]);
    assert.equal(mx.array(2n ** 62n + 1n).item(), 4611686018427387905n);
    assert.equal(mx.array(-(2n ** 63n)).item(), -(2n ** 63n));
    const t = a.toTypedArray();
    assert.ok(t instanceof BigInt64Array);
    assert.deepEqual(Array.from(t), [2n ** 62n + 1n, -(2n ** 62n) - 1n, 1n]);
  });

  test('uint64 up to 2^64-1 from bigint: item(), tolist(), toTypedArray()', () => {
    const a = mx.array([2n ** 64n - 1n, 5n], mx.uint64);
    assert.deepEqual(infoOf(a), pyInfo('big:uint64 max'));
    assert.deepEqual(a.tolist(), [18446744073709551615n, 5]);
    assert.equal(mx.array(2n ** 64n - 1n, mx.uint64).item(), py('big:uint64 max item'));
    assert.equal(mx.array(2n ** 64n - 1n).item(), 18446744073709551615n, 'inferred uint64');
    assert.equal(mx.array(2 ** 63, mx.uint64).item(), py('big:uint64 2^63 item'), 'a number >= 2^63');
    const t = a.toTypedArray();
    assert.ok(t instanceof BigUint64Array);
    assert.deepEqual(Array.from(t), [2n ** 64n - 1n, 5n]);
  });

  test('bigints into float64 keep double precision', () => {
    assert.deepEqual(
      mx.array([16777217n, 2n ** 40n + 1n, -(2n ** 53n) + 1n], mx.float64).tolist(),
      py('big:float64 from ints'),
    );
    assert.equal(mx.array(16777217n, mx.float64).item(), py('big:float64 scalar'));
  });

  test('numbers into float64 keep double precision', () => {
    assert.deepEqual(
      mx.array([16777217, 2 ** 40 + 1, -(2 ** 53) + 1], mx.float64).tolist(),
      py('big:float64 from ints'),
    );
    assert.equal(mx.array(16777217, mx.float64).item(), py('big:float64 scalar'));
  });

  test('number when safe, bigint beyond 2^53', () => {
    const vals = [2n ** 53n - 1n, 2n ** 53n + 1n, -(2n ** 53n) + 1n, -(2n ** 53n) - 1n];
    const l = mx.array(vals).tolist() as unknown[];
    assert.deepEqual(l, py('big:boundaries'));
    assert.deepEqual(
      l.map((v) => typeof v),
      ['number', 'bigint', 'number', 'bigint'],
    );
    assert.deepEqual(
      vals.map((v) => typeof mx.array(v).item()),
      ['number', 'bigint', 'number', 'bigint'],
    );
    assert.equal(typeof mx.array(2n ** 53n - 1n, mx.uint64).item(), 'number');
    assert.equal(typeof mx.array(2n ** 53n + 1n, mx.uint64).item(), 'bigint');
  });
});

describe('properties', () => {
  for (const [name, js] of PROPS) {
    test(`test_array_basics: shape/dtype/size/ndim/itemsize/nbytes/T, ${name}`, () => {
      const expected = py(`props:${name}`) as { info: Info; iter: Info[] | null; T: Info };
      const a = js();
      assert.deepEqual(infoOf(a), expected.info);
      assert.deepEqual(infoOf(a.T), expected.T);
      if (a.ndim === 0) {
        assert.throws(() => a.length, { name: 'TypeError', message: 'len() 0-dimensional array.' });
      } else {
        assert.equal(a.length, expected.info.shape[0]);
        assert.deepEqual([...a].map(infoOf), expected.iter, 'test_array_iteration');
      }
    });
  }

  test('test_array_iteration', () => {
    const a = mx.array([0, 1, 2], mx.int32);
    [...a].forEach((x, i) => assert.equal(x.item(), i));
    const [x, y, z] = mx.array([
      [1.0, 2.0],
      [3.0, 4.0],
      [5.0, 6.0],
    ]);
    assert.deepEqual(x.tolist(), [1, 2]);
    assert.deepEqual(y.tolist(), [3, 4]);
    assert.deepEqual(z.tolist(), [5, 6]);
    assert.ok(x instanceof mx.array);
    let n = 0;
    for (const r of mx.zeros([0, 3])) n += r.size;
    assert.equal(n, 0, 'no rows');
    assert.throws(() => [...mx.array(1)], { name: 'TypeError', message: /0-dimensional/ });
  });

  test('item() needs exactly one element', () => {
    assert.throws(() => mx.array([1, 2]).item(), /size 1/);
    assert.throws(() => mx.array([]).item(), /size 1/);
    assert.throws(() => mx.zeros([2, 0]).item(), /size 1/);
    assert.equal(mx.array([[7]], mx.int32).item(), 7);
    assert.equal(mx.array([[7.5]]).item(), 7.5);
  });

  test('test_array_to_list', () => {
    for (const d of [mx.bool_, mx.uint32, mx.int32, mx.int64, mx.float32]) {
      const v = mx.array(1, d).tolist();
      assert.equal(v, d === mx.bool_ ? true : 1);
    }
    const cases: unknown[] = [
      [1, 2, 3, 4],
      [
        [1, 2],
        [3, 4],
      ],
      [
        [1.5, 2.5],
        [3.5, 4.5],
      ],
      [
        [
          [0.5, 1.5],
          [2.5, 3.5],
        ],
        [
          [4.5, 5.5],
          [6.5, 7.5],
        ],
      ],
      [],
      [[], []],
    ];
    for (const vals of cases) assert.deepEqual(mx.array(vals).tolist(), vals);
    assert.deepEqual(
      mx
        .array(
          [
            [1, 0],
            [0, 1],
          ],
          mx.bool_,
        )
        .tolist(),
      [
        [true, false],
        [false, true],
      ],
    );
    for (const d of [mx.float16, mx.bfloat16]) assert.deepEqual(mx.array([1, 2, 3, 4, 5], d).tolist(), [1, 2, 3, 4, 5]);
  });

  test('a disposed array cannot seed a new one', () => {
    const a = mx.array([1, 2]);
    a.dispose();
    assert.throws(() => mx.array(a), /disposed/);
    assert.throws(() => mx.array(a, mx.int32), /disposed/);
    assert.throws(() => mx.array([a, mx.array([3, 4])]), /disposed/);
  });

  test('a disposed array throws on use and prints as disposed', () => {
    const a = mx.array([1, 2]);
    assert.equal(a.disposed, false);
    a.dispose();
    assert.equal(a.disposed, true);
    assert.throws(() => a.shape, /disposed/);
    assert.throws(() => a.tolist(), /disposed/);
    assert.throws(() => a.toTypedArray(), /disposed/);
    assert.equal(String(a), 'array(<disposed>)');
    assert.equal(util.inspect(a), 'array(<disposed>)');
  });
});

describe('toTypedArray()', () => {
  test('the TypedArray kind per dtype', () => {
    for (const name of DTYPES) {
      const t = mx.zeros([3], dt(name)).toTypedArray();
      assert.equal(t.constructor, TYPED_KIND[name], name);
      assert.equal(t.length, name === 'complex64' ? 6 : 3, name);
    }
    assert.deepEqual(vals(mx.array([true, false, true]).toTypedArray()), [1, 0, 1]);
    assert.deepEqual(
      vals(
        mx
          .array([
            { re: 1, im: 2 },
            { re: -3, im: 0.5 },
          ])
          .toTypedArray(),
      ),
      [1, 2, -3, 0.5],
    );
    assert.deepEqual(mx.array([]).toTypedArray().length, 0);
    assert.deepEqual(vals(mx.array(2.5).toTypedArray()), [2.5]);
  });

  test('a view of MLX memory: two calls share memory', () => {
    const a = mx.array([1, 2, 3, 4]);
    const t1 = a.toTypedArray() as Float32Array;
    const t2 = a.toTypedArray() as Float32Array;
    t1[0] = 42;
    assert.equal(t2[0], 42, 'a write through one view shows through the other');
    t2[3] = -7;
    assert.equal(t1[3], -7);
    assert.deepEqual(a.tolist(), [42, 2, 3, -7], 'the views are the array memory');
  });

  test('a row from iteration is a view at an offset', () => {
    const a = mx.arange(12).reshape(3, 4);
    const rows = [...a];
    assert.deepEqual(vals(rows[1].toTypedArray()), [4, 5, 6, 7]);
    assert.deepEqual(vals(rows[2].toTypedArray()), [8, 9, 10, 11]);
  });

  test('the view stays valid after dispose() and gc', async () => {
    const a = mx.arange(0, 4096, 1, mx.float32);
    const view = a.toTypedArray() as Float32Array;
    a.dispose();
    await collectGarbage();
    // Churn the allocator with same-size buffers: freed memory would be reused.
    const junk: array[] = [];
    for (let i = 0; i < 8; i++) {
      const j = mx.full([4096], -1 - i, mx.float32);
      mx.eval(j);
      junk.push(j);
    }
    assert.equal(view[0], 0);
    assert.equal(view[4095], 4095);
    assert.ok(view.every((v, i) => v === i));
    mx.dispose(junk);
  });

  test('the view stays valid after the array is unreferenced and collected', async () => {
    let ref: WeakRef<object> | undefined;
    const make = () => {
      const a = mx.arange(0, 2048, 1, mx.int32);
      ref = new WeakRef(a);
      return a.toTypedArray() as Int32Array;
    };
    const view = make();
    await collectGarbage();
    assert.equal(ref!.deref(), undefined, 'the array wrapper was collected');
    const junk: array[] = [];
    for (let i = 0; i < 8; i++) {
      const j = mx.full([2048], -1, mx.int32);
      mx.eval(j);
      junk.push(j);
    }
    await collectGarbage();
    assert.equal(view.length, 2048);
    assert.ok(view.every((v, i) => v === i));
    mx.dispose(junk);
  });

  test('the view holds the memory until it is collected, then frees it', async () => {
    const nbytes = 4 << 16;
    let a: array | undefined = mx.arange(0, 1 << 16, 1, mx.float32);
    let view: object | undefined = a.toTypedArray();
    assert.equal(a.nbytes, nbytes);
    const held = mx.getActiveMemory();
    a.dispose();
    a = undefined;
    assert.ok(mx.getActiveMemory() > held - nbytes, 'dispose() with a live view keeps the memory');
    const before = mx.getActiveMemory();
    view = undefined;
    await collectGarbage();
    assert.equal(view, undefined);
    assert.ok(before - mx.getActiveMemory() >= nbytes, 'collecting the view frees the memory');
  });

  test('a non-contiguous array (a transpose) gives a contiguous copy', () => {
    const a = mx.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const t = a.T.toTypedArray();
    assert.deepEqual(vals(t), flatten(py('tt:T')));
    t[0] = 99;
    assert.deepEqual(a.tolist(), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = mx.arange(24).reshape(2, 3, 4).transpose(2, 0, 1);
    assert.deepEqual(vals(b.toTypedArray()), flatten(py('tt:T3')));
    const col = [...mx.arange(12).reshape(3, 4).T][1];
    assert.deepEqual(vals(col.toTypedArray()), py('tt:col'));
  });
});

describe('printing', () => {
  for (const [name, js] of REPR) {
    test(`test_array_repr: ${name}`, () => {
      const expected = py(`repr:${name}`) as string;
      const a = js();
      assert.equal(String(a), expected, 'String(a)');
      assert.equal(`${a}`, expected, 'template literal');
      assert.equal(util.inspect(a), expected, 'util.inspect(a)');
      assert.equal(util.format(a), expected, 'what console.log(a) prints');
    });
  }

  test('test_array_repr: Python test literals', () => {
    assert.equal(String(mx.array(true)), 'array(True, dtype=bool)');
    assert.equal(String(mx.array(1, mx.int32)), 'array(1, dtype=int32)');
    assert.equal(String(mx.array(1.0)), 'array(1, dtype=float32)');
    assert.equal(String(mx.array([1.2], mx.float16)), 'array([1.2002], dtype=float16)');
    assert.equal(String(mx.array([{ re: 1, im: 1 }])), 'array([1+1j], dtype=complex64)');
    assert.equal(String(mx.array([{ re: 1, im: -1 }])), 'array([1-1j], dtype=complex64)');
    assert.equal(
      String(
        mx.array(
          [
            [1, 2],
            [1, 2],
            [1, 2],
          ],
          mx.int32,
        ),
      ),
      'array([[1, 2],\n       [1, 2],\n       [1, 2]], dtype=int32)',
    );
  });

  test('nested in an object, inspect indents the repr', () => {
    const a = mx.array([
      [1, 2],
      [3, 4],
    ]);
    assert.equal(util.inspect({ a }), '{\n  a: array([[1, 2],\n         [3, 4]], dtype=float32)\n}');
    assert.equal(util.inspect([mx.array(1)]), '[ array(1, dtype=float32) ]');
  });
});
