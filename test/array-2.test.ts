// The rest of the port of test_array.py; the first part is array.test.ts.
//
// python/tests/test_array.py of ml-explore/mlx: every TestArray method that
// array.test.ts does not port (indexing, setitem, array.at, negative-step
// slices, the array methods, copies, ...) plus TestVersion, TestEquality and
// TestInequality. The stored upstream copy (ml-explore/mlx@003a22d) is older
// than 0.32.4; the cases marked "(newer upstream)" come from a later revision
// of the same file, and every one of them is checked against the 0.32.4 oracle.
//
// On top of Python's own cases:
//   - a table-driven differential indexing test: ~150 index expressions on a
//     (2, 3, 4, 5) arange, each read (a[idx]), written (a[idx] = v, a[idx] = -1)
//     and accumulated (a.at[idx].add(v), .add(1)) in Python mlx and in mlx-node;
//   - every method of Python's mx.array with its arguments, against the oracle;
//   - the error table of docs/indexing.md.
// All Python results come from ONE pyEach run (made the first time a test needs one).
//
// Left out of test_array.py, with the reason:
//   TestDtypes.test_scalar_conversion, test_array_np_conversion,
//   test_array_np_dtype_conversion, test_array_np_shape_dim_check,
//   test_memoryless_copy, test_np_array_conversion_copies_by_default,
//   test_array_view_ref_counting, test_load_from_pickled_np   numpy interop
//   test_array_pickle                                        pickle
//   test_buffer_protocol (memoryview shape/strides/format), test_buffer_protocol_tf
//                                                            Python buffer protocol / TensorFlow
//                                                            (its bytes(a) part is ported below)
//   test_buffer_protocol_ref_counting                        weakref + memoryview; the JS analogue
//                                                            (a toTypedArray view keeps the memory)
//                                                            is in array.test.ts
//   TestEquality.test_list_equals_array, test_tuple_equals_array,
//   TestInequality.test_list_not_equals_array, test_tuple_not_equals_array
//                                                            Python's `a == [1, 2, 3]` operator
//                                                            overload; JS ==/=== compare identity
//   test_bool_conversion                                     JS objects are always truthy (no __bool__)
//   test_inplace, test_inplace_preserves_ids                 in-place operators (+=, //=, @=) do not
//                                                            exist in JS; in-place assignment (a.set)
//                                                            is tested in test_setitem / test_array_copy
//   test_array_basics "From tuple"                           JS has no tuples
//   test_indexing a[np.int64(5)] (newer upstream)            numpy scalar index
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { mx } from '../lib/index';
import type { array, Dtype } from '../lib/index';
import { py, pyEach, isPyError, assertEqualArray, assertSameArray } from './helpers/mlx_tests';

// ---------------------------------------------------------------------------
// One oracle run for the whole file. Tables register their Python expressions
// with ask() while the file loads; the first test that needs a result runs them.

const EXPRS: string[] = [];
const INPUTS: Record<string, unknown> = {};
const INPUT_NAMES = new Map<unknown, string>();
let RESULTS: unknown[] | undefined;

function ask(expr: string): number {
  if (RESULTS) throw new Error(`ask() after the oracle ran: ${expr}`);
  EXPRS.push(expr);
  return EXPRS.length - 1;
}

/** The Python expression of an array (or other value) sent to the oracle. */
function input(v: unknown): string {
  let name = INPUT_NAMES.get(v);
  if (name === undefined) {
    if (RESULTS) throw new Error('input() after the oracle ran');
    name = `_in${INPUT_NAMES.size}`;
    // mlx_tests.ts sends a bool array's dtype as 'bool', which Python's mx lacks
    // (mx.bool_): bool arrays travel as uint8.
    const isBool = v instanceof mx.array && (v as array).dtype === mx.bool_;
    INPUTS[name] = isBool ? (v as array).astype(mx.uint8) : v;
    if (isBool) name = `${name}.astype(mx.bool_)`;
    INPUT_NAMES.set(v, name);
  }
  return name;
}

const SETUP = `
class _Key:
    def __getitem__(self, k):
        return k
I = _Key()   # I[0, 1:3, None] is the key Python hands to __getitem__ for a[0, 1:3, None]

def _try(f):
    try:
        return f()
    except Exception as e:
        return _err(e)

A = mx.arange(120).reshape(2, 3, 4, 5)

def _np_idx(idx):
    t = idx if isinstance(idx, tuple) else (idx,)
    return tuple(np.array(c) if isinstance(c, mx.array) else c for c in t)

def _diff(idx, numpy_writes=False):
    try:
        r = A[idx]
    except Exception as e:
        return {"read": _err(e)}
    s = r.shape
    v = mx.arange(100, 100 + (s[-1] if s else 1)).reshape(s[-1:])
    def setv():
        b = mx.array(A)
        b[idx] = v
        return b
    def sets():
        b = mx.array(A)
        b[idx] = -1
        return b
    if numpy_writes:
        # docs/indexing.md: where Python mlx lays a written value out unlike
        # a[idx].shape, mlx-node follows numpy (v broadcasts to a[idx].shape).
        def np_set(u):
            b = np.array(A)
            b[_np_idx(idx)] = np.array(u)
            return mx.array(b)
        def np_add(u):
            b = np.array(A)
            np.add.at(b, _np_idx(idx), np.array(u))
            return mx.array(b)
        return {"read": r, "v": v, "setV": np_set(v), "setS": np_set(-1), "atV": np_add(v), "atS": np_add(1)}
    return {"read": r, "v": v, "setV": _try(setv), "setS": _try(sets),
            "atV": _try(lambda: A.at[idx].add(v)), "atS": _try(lambda: A.at[idx].add(1))}

def _np_get(x, idx):
    return mx.array(np.ascontiguousarray(np.array(x)[idx]))

def _np_seq(x, steps):
    a = np.zeros(x) if isinstance(x, tuple) else np.array(x)
    out = []
    for idx, u in steps:
        a[idx] = np.array(u) if isinstance(u, mx.array) else u
        out.append(mx.array(a))
    return out

def _raises(f):
    try:
        f()
        return None
    except Exception as e:
        return type(e).__name__
`;

let ORACLE_ERROR: unknown;
function res(k: number): unknown {
  if (ORACLE_ERROR) throw ORACLE_ERROR;
  try {
    RESULTS ??= pyEach(EXPRS, INPUTS, SETUP);
  } catch (e) {
    ORACLE_ERROR = e;
    throw e;
  }
  return RESULTS[k];
}

/** The oracle's value for expression k; fails the test if Python raised. */
function ok<T = unknown>(k: number): T {
  const v = res(k);
  if (isPyError(v)) assert.fail(`the oracle raised for ${EXPRS[k]}: ${v.$error}: ${v.message}`);
  return v as T;
}

// ---------------------------------------------------------------------------
// Index components, written once: each gives the Python subscript text and the
// mlx-node argument of a.index(...) / a.set(..., v) / a.at(...).

type Nested = number | boolean | Nested[];
type IdxDtype = 'int32' | 'uint32' | 'int64' | 'uint8' | 'int16' | 'bool_';
interface ArrIdx {
  arr: Nested;
  dt?: IdxDtype;
}
interface SliceIdx {
  slice: [number | null, number | null, number | null];
}
const E = { ellipsis: true } as const; // mx.Ellipsis
const N = { newaxis: true } as const; // mx.newaxis
type Comp = number | boolean | string | null | Nested[] | ArrIdx | SliceIdx | typeof E | typeof N;

/** An mx.array index (int32 unless a dtype is given). */
const A = (arr: Nested, dt?: IdxDtype): ArrIdx => ({ arr, dt });
/** mx.Slice(start, stop, step). */
const S = (start: number | null, stop: number | null = null, step: number | null = null): SliceIdx => ({
  slice: [start, stop, step],
});

const pyList = (v: Nested): string => JSON.stringify(v).replace(/true/g, 'True').replace(/false/g, 'False');
const pyNum = (v: number | null): string => (v === null ? 'None' : String(v));

/** Python text of one component; arrays as mx.array ('mx') or np.array ('np'). */
function pyComp(c: Comp, mode: 'mx' | 'np' | 'show'): string {
  if (c === null) return 'None';
  if (typeof c === 'number') return String(c);
  if (typeof c === 'boolean') return c ? 'True' : 'False';
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return pyList(c);
  if ('arr' in c) {
    if (mode === 'np') return `np.array(${pyList(c.arr)}${c.dt ? `, dtype=np.${c.dt}` : ''})`;
    if (mode === 'show') return `mx.array(${pyList(c.arr)}${c.dt ? `, mx.${c.dt}` : ''})`;
    return `mx.array(${pyList(c.arr)}, mx.${c.dt ?? 'int32'})`;
  }
  if ('slice' in c) return `slice(${c.slice.map(pyNum).join(', ')})`;
  if ('ellipsis' in c) return '...';
  return 'None';
}

/** The key of a[<comps>] in Python (via I[...]). */
const sub = (comps: Comp[], mode: 'mx' | 'np'): string =>
  comps.length ? `I[${comps.map((c) => pyComp(c, mode)).join(', ')}]` : 'I[()]';
/** How a case is named: Python's subscript. */
const show = (comps: Comp[]): string => `[${comps.map((c) => pyComp(c, 'show')).join(', ')}]`;

/** The mlx-node arguments of a.index(...) for the components. */
function jsArgs(comps: Comp[]): never[] {
  return comps.map((c) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) return c;
    if ('arr' in c) return mx.array(c.arr, mx[c.dt ?? 'int32']);
    if ('slice' in c) return mx.Slice(...c.slice);
    if ('ellipsis' in c) return mx.Ellipsis;
    return mx.newaxis;
  }) as never[];
}

const index = (a: array, comps: Comp[]): array => a.index(...jsArgs(comps));

/** a[comps] of a numpy copy of `base` (Python's own reference in test_indexing &c.). */
function npGet(base: array, comps: Comp[]): () => void {
  const k = ask(`_np_get(${input(base)}, ${sub(comps, 'np')})`);
  return () => assertSameArray(index(base, comps), ok<array>(k), `a${show(comps)}`);
}

type Upd = number | array;
/**
 * Successive assignments a[comps] = u, on np.zeros(shape) (or a numpy copy of
 * an array) in Python and on mx.zeros(shape) (or mx.array(base)) with a.set in
 * mlx-node; the state is compared after each one.
 */
function npSeq(base: number[] | array, steps: Array<[Comp[], Upd]>): () => void {
  const b = Array.isArray(base) ? `(${base.join(', ')},)` : input(base);
  const k = ask(
    `_np_seq(${b}, [${steps.map(([c, u]) => `(${sub(c, 'np')}, ${typeof u === 'number' ? u : input(u)})`).join(', ')}])`,
  );
  return () => {
    const expected = ok<array[]>(k);
    const x = Array.isArray(base) ? mx.zeros(base) : mx.array(base);
    steps.forEach(([c, u], i) => {
      x.set(...jsArgs(c), u);
      assertSameArray(x, expected[i], `a${show(c)} = ${String(u)}`);
    });
  };
}

/** itertools.permutations, in its order. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  const out: T[][] = [];
  items.forEach((first, i) => {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) out.push([first, ...rest]);
  });
  return out;
}

/** Deterministic values in (0, 1) standing in for np.random.rand / mx.random.uniform. */
function pseudoUniform(shape: number[]): array {
  const n = shape.reduce((p, s) => p * s, 1);
  return mx.array(Float32Array.from({ length: n }, (_, i) => (((i * 7919) % 1009) + 1) / 1011)).reshape(shape);
}

// ---------------------------------------------------------------------------
// The differential indexing table, on a = mx.arange(120).reshape(2, 3, 4, 5).

const DIFF: Comp[][] = [
  // integers
  [0],
  [1],
  [-1],
  [-2],
  [0, 0],
  [1, 2],
  [-1, -3],
  [1, 2, 3],
  [0, 1, 2, 3],
  [-1, -1, -1, -1],
  [-2, -3, -4, -5],
  [],
  // slices (strings), negative steps, out-of-range bounds, empty results
  [':'],
  ['1:'],
  [':1'],
  ['::2'],
  ['::-1'],
  ['1::-1'],
  ['-1::-1'],
  ['5:-10:-1'],
  ['-100:100'],
  ['3:1'],
  ['10:'],
  [':-5'],
  ['-5:5'],
  [':', '::2'],
  [':', '1:3'],
  [':', '::-1', ':', '::-2'],
  [':', ':', '::3', '4:0:-2'],
  ['::-1', '::-1', '::-1', '::-1'],
  [':', '-2:', '1:-1', '-3:-1'],
  [':', '2:0:-1'],
  [':', ':', '-1:-5:-1'],
  [':', ':', ':', '::-3'],
  [':', '10:-10:-2'],
  [':', ':', '100:'],
  [':', '::100'],
  [':', '::-100'],
  [':', '1:2', '2:3', '3:4'],
  // mx.Slice
  [S(null, null, -1)],
  [S(1)],
  [':', S(-1, -4, -1)],
  [S(null, null, 2), S(2, null, -1)],
  [':', ':', S(-100, 100, 3)],
  // integers and slices
  [0, '1:3'],
  [':', 0],
  [':', -1, '::2'],
  [1, '::-1', 2],
  ['::-1', 0, '1:', -1],
  [0, ':', ':', 4],
  [-1, '2:0:-1', '::-2', -5],
  // new axes
  [null],
  [null, null],
  [':', null],
  [null, 0],
  [0, null, 1],
  [':', ':', ':', ':', null],
  [null, '::-1', null, 1, null],
  [N],
  [0, N, '1:3', N],
  [null, -1, null, -1, null, -1, null, -1, null],
  // ellipsis
  ['...'],
  ['...', 0],
  [0, '...'],
  [0, '...', 1],
  ['...', null],
  [null, '...', null],
  ['...', '::-1'],
  [1, 2, '...', 3, 4],
  [E, -1],
  [E, '1:3', N],
  [0, E],
  [':', '...', ':', -2],
  ['...', 0, 0, 0, 0],
  // mx.array indices
  [A([1, 0])],
  [A([0, 0, 1])],
  [A([-1, 0])],
  [
    A([
      [0, 1],
      [1, 0],
    ]),
  ],
  [A(1)],
  [A([])],
  [A([1, 0], 'uint32')],
  [A([1, 0], 'int64')],
  [A([1, 1], 'uint8')],
  [A([1, 0], 'int16')],
  [':', A([2, 0, 2])],
  [':', A([[0], [2]])],
  [':', ':', A([3, -1, 0])],
  ['...', A([4, 4, 0])],
  [A([0, 1]), A([2, 1])],
  [A([0, 1]), A([[2], [1]])],
  [A([1]), A([0, 1, 2]), A([3])],
  [A([0, 1]), A([0, 1]), A([0, 1]), A([0, 1])],
  // lists of integers
  [[0, 1]],
  [[1, 1, 0]],
  [[-1]],
  [[[0], [1]]],
  [
    [
      [0, 1],
      [1, 0],
    ],
  ],
  [':', [2, 0]],
  [':', ':', [3, 3, -4]],
  ['...', [0, 4]],
  [
    [0, 1],
    [1, 2],
  ],
  [[1], [0, 1, 2], [2]],
  [[0], ':', [1, 2]],
  // mixes; advanced indices separated by a slice/None/Ellipsis move to the front
  [A([0, 1]), ':', A([1, 2])],
  [A([0, 1]), ':', ':', A([4, 0])],
  [':', A([0, 2]), ':', A([1, 3])],
  [A([[0], [1]]), ':', A([[1, 2, 3]])],
  [[0, 1], '::-1', [3, 2]],
  [A([1, 0]), null, A([0, 2])],
  [A([1, 0]), '...', A([0, 4])],
  [0, ':', A([1, 2])],
  [A([1, 0]), 0],
  [':', 0, ':', A([1, 2, 3])],
  [':', A([0, 2]), 1],
  [':', A([0, 2]), 1, ':'],
  [0, A([2, 1]), ':', 3],
  [null, A([1, 0]), ':', A([0, 1])],
  [A([1, 0]), '1:3', '::-1', A([4, 0])],
  [':', [2, 1], null, [0, 3]],
  [A([0, 1]), ':', [1, 2]],
  ['::-1', A([1, 2]), A([0, 3])],
  ['1:', A([[1], [2]]), A([0, 3]), '::2'],
  [-1, '...', A([0, 1, 2])],
  [A([0, 1]), '...'],
  ['...', A([0, 1]), ':'],
  [null, 1, null, A([0, 2]), '::-2'],
  [A(1), ':', A([0, 3])],
  [A(0), A(1)],
  [A([0, 1], 'uint32'), ':', A([3, 0], 'int64')],
  [
    A([
      [0, 0],
      [1, 1],
    ]),
    A([
      [0, 1],
      [2, 0],
    ]),
    ':',
    A([
      [1, 2],
      [3, 4],
    ]),
  ],
  [0, 1, A([3, 2, 1, 0])],
  [0, ':', 1, A([0, 4])],
  [E, A([1, 1]), ':'],
  [S(null, null, -1), [0, 2], N, [1, 3]],
  [N, E, [4, 0]],
  [[1], null, [2], null],
  [A([1, 0]), A([2, 0]), null, A([3, 1])],
  [A([[1]]), '...', A([[4]])],
  ['-1:', A([0, 0, 0]), '2:', [-1, -5, 0]],
  [[-2, 1], '...', -1],
  [0, 0, 0, A([4, 3, 2, 1, 0])],
  [
    '...',
    A([
      [0, 1, 2],
      [2, 1, 0],
    ]),
    0,
  ],
  [A([0, 1]), 1, ':', 2],
  [null, null, A([1]), null, A([1])],
  [':', '::-1', A([0, 3]), A([4])],
  [A([1, 0, 1]), '::-1', null, 0, '1:3'],
  [-1, S(null, null, -2), A([[0], [3]]), S(4, 0, -2)],
  [
    [0, 1],
    [0, 2],
    [0, 3],
    [0, 4],
  ],
  [A([1, 0]), ':', ':', ':'],
  ['...', N, A([0])],
];

interface DiffResult {
  read: array;
  v: array;
  setV: array;
  setS: array;
  atV: array;
  atS: array;
}

const base120 = () => mx.arange(120).reshape(2, 3, 4, 5);

/** assertSameArray, or the call must throw where Python raised. */
function sameOrThrows(f: () => array, expected: unknown, msg: string): void {
  if (isPyError(expected)) {
    assert.throws(f, Error, `${msg}: Python raised ${expected.$error}: ${expected.message}`);
  } else {
    assertSameArray(f(), expected as array, msg);
  }
}

describe('differential indexing on a = mx.arange(120).reshape(2, 3, 4, 5)', () => {
  // An integer and an array index separated by a slice: Python mlx lays the
  // written value out unlike the read; mlx-node follows numpy (docs/indexing.md).
  const separated = (c: Comp[]) => {
    const isArr = (x: Comp) => Array.isArray(x) || (x !== null && typeof x === 'object' && 'arr' in x);
    const adv = c.map((x) => typeof x === 'number' || isArr(x));
    const first = adv.indexOf(true);
    const last = adv.lastIndexOf(true);
    const hasInt = c.some((x) => typeof x === 'number') && c.some(isArr);
    return hasInt && first >= 0 && adv.slice(first, last + 1).includes(false);
  };
  const keys = DIFF.map((c) => ask(`_diff(${sub(c, 'mx')}${separated(c) ? ', numpy_writes=True' : ''})`));

  for (const [i, c] of DIFF.entries()) {
    test(`a${show(c)}: read, write (v and a scalar), at.add (v and a scalar)`, () => {
      const e = ok<DiffResult>(keys[i]);
      const a = base120();
      assert.ok(!isPyError(e.read), `Python cannot read a${show(c)}: ${JSON.stringify(e.read)}`);
      // Each part is checked, and all the failing parts reported together.
      const failures: string[] = [];
      const part = (f: () => void) => {
        try {
          f();
        } catch (err) {
          failures.push((err as Error).message.split('\n')[0]);
        }
      };
      part(() => assertSameArray(index(a, c), e.read, `a${show(c)}`));
      // a[idx] = value on a copy of a (Python: b = mx.array(A); b[idx] = value)
      const copySet = (value: array | number) => {
        const b = mx.array(a);
        b.set(...jsArgs(c), value);
        return b;
      };
      part(() => sameOrThrows(() => copySet(e.v), e.setV, `a${show(c)} = ${String(e.v)}`));
      part(() => sameOrThrows(() => copySet(-1), e.setS, `a${show(c)} = -1`));
      part(() => sameOrThrows(() => a.at(...jsArgs(c)).add(e.v), e.atV, `a.at${show(c)}.add(${String(e.v)})`));
      part(() => sameOrThrows(() => a.at(...jsArgs(c)).add(1), e.atS, `a.at${show(c)}.add(1)`));
      part(() => assertSameArray(a, base120(), 'a itself is unchanged by the copies and by at'));
      if (failures.length) assert.fail(failures.join('\n'));
    });
  }

  test('the same cases with the explicit spellings (mx.Slice, mx.Ellipsis, mx.newaxis) as the strings', () => {
    const a = base120();
    const toExplicit = (c: Comp): Comp => {
      if (c === null) return N;
      if (c === '...') return E;
      if (typeof c === 'string') {
        const [start, stop, step] = c.split(':').map((p) => (p === '' ? null : Number(p)));
        return S(start ?? null, stop ?? null, step ?? null);
      }
      return c;
    };
    DIFF.forEach((c, i) => {
      const e = ok<DiffResult>(keys[i]);
      assertSameArray(index(a, c.map(toExplicit)), e.read, `a${show(c.map(toExplicit))}`);
    });
  });
});

// ---------------------------------------------------------------------------
// The array methods: every method and property of Python's mx.array with its
// arguments, against the oracle.

const X3 = pseudoUniform([3, 4, 5]);
const XI = mx.arange(24).reshape(2, 3, 4);
const XB = mx.array([
  [true, false, true],
  [true, true, true],
]);
const XC = mx.array([
  [
    { re: 1, im: 2 },
    { re: 0, im: -3 },
  ],
  [
    { re: 0.5, im: 0 },
    { re: -1, im: -1 },
  ],
]);
const SQ = mx.arange(6).reshape(1, 3, 1, 2);
const M4 = mx.arange(16).reshape(4, 4);
const V3 = mx.array([1, 2, 3], mx.int32);
const RD = mx.array([
  [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5],
  [123.456, -0.049, 7.25, 1000, 0.125, -10.45],
]);
const NAMED: Record<string, array> = { X3, XI, XB, XC, SQ, M4, V3, RD };

type Arg = number | boolean | number[] | Dtype;
interface MethodCase {
  on: keyof typeof NAMED;
  m: string;
  args?: Arg[];
  kw?: Record<string, Arg>;
  prop?: boolean;
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
function pyArg(v: Arg): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  const name = String(v).replace('mlx.core.', '');
  return `mx.${name === 'bool' ? 'bool_' : name}`;
}
function pyCall(c: MethodCase): string {
  if (c.prop) return `${c.on}.${c.m}`;
  const parts = [
    ...(c.args ?? []).map(pyArg),
    ...Object.entries(c.kw ?? {}).map(([k, v]) => `${snake(k)}=${pyArg(v)}`),
  ];
  return `${c.on}.${c.m}(${parts.join(', ')})`;
}
function jsCall(c: MethodCase): array | array[] {
  const x = NAMED[c.on] as unknown as Record<string, unknown>;
  if (c.prop) return x[c.m] as array;
  const args: unknown[] = [...(c.args ?? [])];
  if (c.kw) args.push(c.kw);
  return (x[c.m] as (...a: unknown[]) => array | array[])(...args);
}
const showCall = (c: MethodCase): string => {
  if (c.prop) return `${c.on}.${c.m}`;
  const parts = [...(c.args ?? []).map(pyArg)];
  if (c.kw)
    parts.push(
      `{${Object.entries(c.kw)
        .map(([k, v]) => `${k}: ${pyArg(v)}`)
        .join(', ')}}`,
    );
  return `${c.on}.${c.m}(${parts.join(', ')})`;
};

const unary = ['abs', 'cos', 'exp', 'log', 'log10', 'log1p', 'log2', 'reciprocal', 'rsqrt', 'sin', 'sqrt', 'square'];
const METHODS: MethodCase[] = [
  ...unary.map((m): MethodCase => ({ on: 'X3', m })),
  { on: 'XI', m: 'abs' },
  { on: 'XC', m: 'abs' },
  { on: 'XC', m: 'exp' },
  { on: 'XC', m: 'square' },
  // reductions with axis options
  ...['all', 'any'].flatMap((m): MethodCase[] => [
    { on: 'XB', m },
    { on: 'XB', m, args: [1] },
    { on: 'XB', m, args: [0, true] },
    { on: 'X3', m, args: [[0, 2]] },
    { on: 'X3', m, kw: { axis: -1, keepdims: true } },
  ]),
  ...['sum', 'prod', 'max', 'min', 'mean', 'logsumexp'].flatMap((m): MethodCase[] => [
    { on: 'X3', m },
    { on: 'X3', m, args: [1] },
    { on: 'X3', m, args: [-1, true] },
    { on: 'X3', m, args: [[0, 2]] },
    { on: 'X3', m, kw: { axis: [0, 1], keepdims: true } },
    { on: 'X3', m, kw: { keepdims: true } },
    { on: 'XI', m, args: [1] },
  ]),
  ...['var', 'std'].flatMap((m): MethodCase[] => [
    { on: 'X3', m },
    { on: 'X3', m, args: [1] },
    { on: 'X3', m, args: [1, true, 1] },
    { on: 'X3', m, args: [[0, 2]] },
    { on: 'X3', m, kw: { axis: 0, ddof: 2 } },
    { on: 'X3', m, kw: { axis: -1, correction: 1 } },
    { on: 'XI', m, args: [0] },
  ]),
  ...['argmax', 'argmin'].flatMap((m): MethodCase[] => [
    { on: 'X3', m },
    { on: 'X3', m, args: [1] },
    { on: 'X3', m, args: [1, true] },
    { on: 'X3', m, kw: { axis: -1, keepdims: true } },
    { on: 'XI', m, args: [2] },
  ]),
  // scans
  ...['cumsum', 'cumprod', 'cummax', 'cummin', 'logcumsumexp'].flatMap((m): MethodCase[] => [
    { on: 'X3', m },
    { on: 'X3', m, args: [1] },
    { on: 'X3', m, kw: { axis: 0, reverse: true } },
    { on: 'X3', m, kw: { axis: -1, inclusive: false } },
    { on: 'X3', m, args: [2], kw: { reverse: true, inclusive: false } },
    { on: 'XI', m, args: [1] },
  ]),
  // shapes
  { on: 'X3', m: 'reshape', args: [60] },
  { on: 'X3', m: 'reshape', args: [3, 20] },
  { on: 'X3', m: 'reshape', args: [[5, 12]] },
  { on: 'X3', m: 'reshape', args: [-1, 5] },
  { on: 'X3', m: 'reshape', args: [[4, -1]] },
  { on: 'XI', m: 'reshape', args: [2, 2, -1, 3] },
  { on: 'X3', m: 'flatten' },
  { on: 'X3', m: 'flatten', args: [1] },
  { on: 'X3', m: 'flatten', args: [0, 1] },
  { on: 'X3', m: 'flatten', kw: { startAxis: 1, endAxis: -1 } },
  { on: 'X3', m: 'flatten', kw: { endAxis: 1 } },
  { on: 'X3', m: 'split', args: [3] },
  { on: 'X3', m: 'split', args: [[1, 2]] },
  { on: 'X3', m: 'split', args: [2, 1] },
  { on: 'X3', m: 'split', args: [[1, 3]], kw: { axis: 2 } },
  { on: 'X3', m: 'split', kw: { indicesOrSections: 5, axis: 2 } },
  { on: 'X3', m: 'moveaxis', args: [0, 2] },
  { on: 'X3', m: 'moveaxis', args: [-1, 0] },
  { on: 'X3', m: 'moveaxis', kw: { source: 1, destination: -1 } },
  { on: 'X3', m: 'swapaxes', args: [0, 2] },
  { on: 'X3', m: 'swapaxes', args: [1, -1] },
  { on: 'X3', m: 'swapaxes', kw: { axis1: 0, axis2: 1 } },
  { on: 'X3', m: 'transpose' },
  { on: 'X3', m: 'transpose', args: [2, 0, 1] },
  { on: 'X3', m: 'transpose', args: [[1, 0, 2]] },
  { on: 'SQ', m: 'squeeze' },
  { on: 'SQ', m: 'squeeze', args: [0] },
  { on: 'SQ', m: 'squeeze', args: [[0, 2]] },
  { on: 'SQ', m: 'squeeze', kw: { axis: 2 } },
  { on: 'X3', m: 'T', prop: true },
  { on: 'X3', m: 'mT', prop: true },
  { on: 'M4', m: 'mT', prop: true },
  // diagonals
  { on: 'M4', m: 'diag' },
  { on: 'M4', m: 'diag', args: [1] },
  { on: 'M4', m: 'diag', args: [-2] },
  { on: 'M4', m: 'diag', kw: { k: 1 } },
  { on: 'V3', m: 'diag' },
  { on: 'V3', m: 'diag', args: [1] },
  { on: 'V3', m: 'diag', kw: { k: -1 } },
  { on: 'M4', m: 'diagonal' },
  { on: 'M4', m: 'diagonal', args: [1] },
  { on: 'M4', m: 'diagonal', args: [-1, 0, 1] },
  { on: 'M4', m: 'diagonal', kw: { offset: 1, axis1: 1, axis2: 0 } },
  { on: 'X3', m: 'diagonal', args: [0, 1, 2] },
  { on: 'X3', m: 'diagonal', kw: { axis1: 2, axis2: 0 } },
  // complex parts, rounding
  { on: 'XC', m: 'conj' },
  { on: 'X3', m: 'conj' },
  { on: 'XC', m: 'real', prop: true },
  { on: 'XC', m: 'imag', prop: true },
  { on: 'X3', m: 'real', prop: true },
  { on: 'X3', m: 'imag', prop: true },
  { on: 'RD', m: 'round' },
  { on: 'RD', m: 'round', args: [1] },
  { on: 'RD', m: 'round', args: [-1] },
  { on: 'RD', m: 'round', kw: { decimals: 2 } },
  { on: 'X3', m: 'round', args: [2] },
  // dtypes
  { on: 'X3', m: 'astype', args: [mx.int32] },
  { on: 'X3', m: 'astype', args: [mx.float16] },
  { on: 'X3', m: 'astype', args: [mx.bool_] },
  { on: 'XI', m: 'astype', args: [mx.bfloat16] },
  { on: 'X3', m: 'astype', kw: { dtype: mx.complex64 } },
  { on: 'XI', m: 'view', args: [mx.float32] },
  { on: 'XI', m: 'view', args: [mx.uint8] },
  { on: 'XI', m: 'view', args: [mx.int16] },
  { on: 'X3', m: 'view', args: [mx.int32] },
  { on: 'XC', m: 'view', args: [mx.float32] },
  { on: 'X3', m: 'view', kw: { dtype: mx.uint32 } },
];

describe('array methods: every method of Python mx.array, with its arguments', () => {
  for (const name of Object.keys(NAMED)) input(NAMED[name]);
  const pyName = (s: string) => s.replace(/\b(X3|XI|XB|XC|SQ|M4|V3|RD)\b/g, (n) => input(NAMED[n]));
  const keys = METHODS.map((c) => ask(pyName(pyCall(c))));

  for (const [i, c] of METHODS.entries()) {
    test(showCall(c), () => {
      const expected = ok<array | array[]>(keys[i]);
      const actual = jsCall(c);
      if (Array.isArray(expected)) {
        assert.ok(Array.isArray(actual), 'a list of arrays');
        assert.equal(actual.length, expected.length);
        expected.forEach((e, j) => assertSameArray(actual[j], e, `${showCall(c)}[${j}]`));
      } else {
        assertSameArray(actual as array, expected, showCall(c));
      }
    });
  }
});

// ---------------------------------------------------------------------------
// Python's test cases (numpy references computed in the oracle).

// test_indexing
const F64 = mx.arange(0, 64, 1, mx.float32);
const I88 = mx.arange(64).reshape(8, 8);
const I44 = mx.arange(0, 16, 1, mx.int64).reshape(4, 4);
const I2424 = mx.arange(0, 64, 1, mx.int64).reshape(2, 4, 2, 4);
const I128 = mx.arange(128).reshape(16, 8);
const I52 = mx.arange(0, 10, 1, mx.int64).reshape(5, 2);
const IDX = A([0, 1, 2, 7, 5], 'uint32');
const NP = (arr: Nested): ArrIdx => A(arr, 'int64'); // mx.array(np.array([...])) is int64

const INDEXING_F64 = npGet(F64, ['2:50:4']);
const INDEXING_I88 = (
  [
    [IDX],
    [5],
    [-1],
    [],
    [null],
    [':', null],
    ['2:4', '5:'],
    [':', '0:5'],
    [':', '::2'],
    ['-2:', ':-1'],
    ['7:10'],
    [0, ':5'],
    [':', -1],
    [IDX, 0],
    [IDX, ':5'],
    [':', IDX],
  ] as Comp[][]
).map((c) => npGet(I88, c));
const CHECK_SLICES: Array<[array, Comp[]]> = [
  [I44, [NP([0, 1, 2, 3]), NP([0, 1, 2, 3])]],
  [I44, [NP([0, 1, 2, 3]), NP([1, 0, 3, 3])]],
  [I44, [NP([[0, 1]]), NP([[0], [1], [3]])]],
  [I2424, [0, NP([0, 1, 2])]],
  [I2424, [S(0, 1), NP([0, 1, 2])]],
  [I2424, [S(0, 1), NP([0, 1, 2]), S(null), S(0, 4, 2)]],
  [I2424, [S(0, 1), NP([0, 1, 2]), S(null), NP([1, 2, 0])]],
  [I2424, [S(0, 1), NP([0, 1, 2]), 1, NP([1, 2, 0])]],
  [I2424, [S(0, 1), NP([0, 1, 2]), NP([1, 0, 0]), S(0, 1)]],
  [I2424, [S(0, 1), NP([[0], [1], [2]]), NP([[1, 0, 0]]), S(0, 1)]],
  [I2424, [S(0, 2), NP([[0], [1], [2]]), S(0, 2), NP([[1, 0, 0]])]],
];
const CHECK_SLICES_GET = CHECK_SLICES.map(([x, c]) => npGet(x, c));
const PERMS: Array<[string, Comp[][]]> = [
  ['(slice(None), slice(None), 0, np.array([1, 0]))', permutations<Comp>([S(null), S(null), 0, NP([1, 0])])],
  [
    '(slice(None), slice(None), 0, np.array([1, 0]), None, None)',
    permutations<Comp>([S(null), S(null), 0, NP([1, 0]), null, null]),
  ],
  ['(0, np.array([1, 0]), None, Ellipsis, slice(None))', permutations<Comp>([0, NP([1, 0]), null, E, S(null)])],
];
const PERMS_GET = PERMS.map(([, ps]) => ps.map((c) => npGet(I2424, c)));
const NONCONTIG = ask(`mx.array(np.array(${input(I128)})[::2, :][np.arange(8)[::2], np.arange(8)[::2]])`);
const NEG_INT = npGet(I52, ['2:-1', 0]);

// test_slice_negative_step
const N20 = mx.arange(0, 20, 1, mx.int64);
const N364 = mx.arange(0, 72, 1, mx.int64).reshape(3, 6, 4);
const NEG_STEP = [
  ...(['::-1', '-3:3:-1', '25:-50:-1', '::-3', '-3:3:-3', '25:-50:-3', '0:20:-3'].map((s) => npGet(N20, [s])) as Array<
    () => void
  >),
  ...(
    [
      ['...', '::-1'],
      [':', '::-1', ':'],
      ['::-1', '...'],
      ['::-1', '1:5:2', '::-2'],
      ['::-1', '::-2', '1:5:2'],
      ['::-1', '::-3', '::-2'],
    ] as Comp[][]
  ).map((c) => npGet(N364, c)),
];

// test_setitem: check_slices(arr_np, update_np, *idx) as single-step sequences
const i64 = (v: Nested) => mx.array(v, mx.int64);
const ar64 = (n: number, ...shape: number[]) => mx.arange(0, n, 1, mx.int64).reshape(shape.length ? shape : [n]);
const SETITEM_CHECKS: Array<[number[], Upd, Comp[]]> = [
  [[3, 3], 1, [0]],
  [[3, 3], 1, [-1]],
  [[3, 3], 1, [S(0, 2)]],
  [
    [3, 3],
    i64([
      [0, 1, 2],
      [3, 4, 5],
    ]),
    [S(0, 2)],
  ],
  [[3, 3], 1, [NP([0, 1, 2])]],
  [[3, 3], i64(3), [NP([0, 1, 2])]],
  [[3, 3], i64([3]), [NP([0, 1, 2])]],
  [[3, 3], i64([3]), [NP([0, 1])]],
  [
    [3, 2],
    i64([
      [3, 3],
      [4, 4],
    ]),
    [NP([0, 1])],
  ],
  [
    [3, 2],
    i64([
      [3, 3],
      [4, 4],
      [5, 5],
    ]),
    [NP([0, 0, 1])],
  ],
  [[2, 3, 4, 5], 1, [NP([0, 0]), S(0, 2), S(0, 3), 4]],
  [[2, 3, 4, 5], ar64(10, 2, 5), [NP([0, 0]), NP([0, 1]), NP([2, 3])]],
  [[2, 3, 4, 5], i64([[3], [4]]), [NP([0, 0]), NP([0, 1]), NP([2, 3])]],
  [[2, 3, 4, 5], ar64(5), [NP([0, 0]), NP([0, 1]), NP([2, 3])]],
  [[5], ar64(2), [null, null, NP([2, 3])]],
  [[4, 3, 4], ar64(3), [NP([2, 3]), S(0, 3), NP([2, 3])]],
  [[4, 3, 4], 1, [NP([2, 3]), null, NP([2, 1])]],
  [[4, 3, 4], ar64(4), [NP([2, 3]), null, NP([2, 1])]],
  [[4, 3, 4], ar64(8, 2, 1, 4), [NP([2, 3]), null, NP([2, 1])]],
  [[4, 4], 1, [S(0, 2), S(0, 2)]],
  [[4, 4], ar64(2), [S(0, 2), S(0, 2)]],
  [[4, 4], ar64(2, 2, 1), [S(0, 2), S(0, 2)]],
  [[4, 4], ar64(4, 2, 2), [S(0, 2), S(0, 2)]],
  [[2, 2, 2, 2], 1, [null, E, null]],
  [[2, 2, 2, 2], 1, [NP([0, 1]), E, NP([0, 1])]],
  [[2, 2, 2, 2], ar64(8, 2, 2, 2), [NP([0, 1]), E, NP([0, 1])]],
  [[5, 4, 4], ar64(24, 4, 2, 3), [S(0, 4), NP([1, 3]), S(null, -1)]],
  [[5, 4, 4], ar64(16, 4, 2, 2), [S(0, 4), NP([1, 3]), S(0, 4, 2)]],
  [[1, 10, 4], ar64(8, 1, 2, 4), [S(null, null, null), NP([1, 3])]],
  [[3, 4, 5, 3], ar64(72, 2, 4, 3, 3), [NP([2, 1]), S(null, null, null), S(null, null, 2), S(null, null, null)]],
  [[3, 4, 5, 3], ar64(72, 2, 4, 3, 3), [NP([2, 1]), S(null, null, null), S(null, null, 2)]],
  [[5, 4, 3], mx.ones([5, 3]), [S(null), 0]],
  [[5, 4, 3], mx.ones([5, 1, 3]), [S(null), S(0, 1)]],
];
const SETITEM_SEQ = SETITEM_CHECKS.map(([shape, u, c]) => npSeq(shape, [[c, u]]));
// (newer upstream) more check_slices cases
const SETITEM_NEWER = [
  npSeq(
    [3, 2],
    [
      [
        [NP([0, 2, 1])],
        i64([
          [3, 3],
          [4, 4],
          [5, 5],
        ]),
      ],
    ],
  ),
  npSeq(mx.ones([3, 4, 4, 4]), [[[0, S(0, 4), 3, S(0, 4)], mx.zeros([4, 4])]]),
  npSeq([3, 4], [[[null, -1], 9]]),
];

// test_getitem_with_list / test_setitem_with_list (newer upstream)
const L5 = mx.array([1, 2, 3, 4, 5], mx.int32);
const L32 = mx.array(
  [
    [1, 2],
    [3, 4],
    [5, 6],
  ],
  mx.int32,
);
const L52 = mx.arange(10).reshape(5, 2);
const L44 = mx.arange(16).reshape(4, 4);
const GET_WITH_LIST = [
  npGet(L5, [[0, 2, 4]]),
  npGet(L32, [[0, 2]]),
  npGet(L52, [[0, 2, 4]]),
  npGet(L44, [[0, 2], 0]),
  npGet(L44, [[0, 2], ':']),
  npGet(L44, [0, [0, 2]]),
  npGet(L44, [':', [0, 2]]),
];
const SET_WITH_LIST = [
  npSeq(L5, [[[[0, 2, 4]], 3]]),
  npSeq(L32, [[[[0, 2]], 3]]),
  npSeq(L52, [[[[0, 2, 4]], 3]]),
  npSeq(L44, [
    [[[0, 2], 0], 1],
    [[[0, 2], ':'], 2],
    [[0, [0, 2]], 3],
    [[':', [0, 2]], 4],
  ]),
];

// The error cases of docs/indexing.md that Python raises on too (ValueError there).
const PY_RAISES = {
  twoEllipses: ask('_raises(lambda: mx.arange(3)[..., ...])'),
  float: ask('_raises(lambda: mx.arange(3)[0.5])'),
  string: ask("_raises(lambda: mx.arange(3)['x'])"),
  tooMany: ask('_raises(lambda: mx.zeros((2, 3))[0, 0, 0])'),
  mask: ask('_raises(lambda: mx.arange(3)[mx.array([True, False, True])])'),
  listMask: ask('_raises(lambda: mx.arange(3)[[True, False, True]])'),
};

// ---------------------------------------------------------------------------

describe('TestVersion', () => {
  test('test_version', () => {
    const v = mx.__version__;
    assert.equal(typeof v, 'string');
    const vnums = v.split('.');
    assert.ok(vnums.length >= 3, v);
    const nums = vnums.slice(0, 3).map((n) => {
      assert.match(n, /^\d+$/, `${v}: int(${n})`);
      return String(Number(n));
    });
    const w = nums.join('.');
    assert.equal(w, v.slice(0, w.length));
  });
});

describe('TestEquality', () => {
  test('test_array_eq_array', () => {
    const a = mx.array([1, 2, 3], mx.int32);
    const b = mx.array([1, 2, 3], mx.int32);
    const c = mx.array([1, 2, 4], mx.int32);
    assert.equal(mx.all(mx.equal(a, b)).item(), true);
    assert.equal(mx.all(mx.equal(a, c)).item(), false);
  });

  test('test_array_eq_scalar', () => {
    const a = mx.array([1, 2, 3], mx.int32);
    const e = mx.array([1, 2.5, 3.25]);
    assert.equal(mx.any(mx.equal(a, 1)).item(), true);
    assert.equal(mx.all(mx.equal(a, 4)).item(), false);
    assert.equal(mx.all(mx.equal(a, 2.5)).item(), false);
    assert.equal(mx.any(mx.equal(a, e)).item(), true);
  });
});

describe('TestInequality', () => {
  test('test_array_ne_array', () => {
    const a = mx.array([1, 2, 3], mx.int32);
    const b = mx.array([1, 2, 3], mx.int32);
    const c = mx.array([1, 2, 4], mx.int32);
    assert.equal(mx.any(mx.notEqual(a, b)).item(), false);
    assert.equal(mx.any(mx.notEqual(a, c)).item(), true);
  });

  test('test_array_ne_scalar', () => {
    const a = mx.array([1, 2, 3], mx.int32);
    const f = mx.array([1, 2.5, 3.25]);
    assert.equal(mx.all(mx.notEqual(a, 1)).item(), false);
    assert.equal(mx.any(mx.notEqual(a, 4)).item(), true);
    assert.equal(mx.any(mx.notEqual(a, 1.5)).item(), true);
    assert.equal(mx.any(mx.notEqual(a, 2.5)).item(), true);
    assert.equal(mx.all(mx.notEqual(a, f)).item(), false);
  });

  test('test_obj_inequality_array: comparing with a string or a list throws (Python: ValueError)', () => {
    const a = mx.array([1, 2, 3], mx.int32);
    const others: unknown[] = ['hello', [1, 2, 3]]; // a tuple is a JS array too
    for (const op of [mx.less, mx.greater, mx.lessEqual, mx.greaterEqual]) {
      for (const o of others) assert.throws(() => op(a, o as never), Error, `${op.name}(a, ${JSON.stringify(o)})`);
    }
  });

  test('test_invalid_op_on_array (Python: ValueError)', () => {
    const a = mx.array([1, 2.5, 3.25]);
    const lst = [1, 2.1, 3.25] as never;
    const tpl = [1, 2.5, 3.25] as never;
    const str = 'hello' as never;
    assert.throws(() => mx.multiply(a, str), Error); // a * str_, a *= str_
    assert.throws(() => mx.divide(a, lst), Error); // a /= lst_
    assert.throws(() => mx.floorDivide(a, lst), Error);
    assert.throws(() => mx.remainder(a, lst), Error);
    assert.throws(() => mx.power(a, tpl), Error);
    assert.throws(() => mx.bitwiseAnd(a, tpl), Error);
    assert.throws(() => mx.bitwiseOr(a, str), Error);
  });
});

describe('TestArray', () => {
  test('test_construction_from_lists_of_mlx_arrays: an mx.array inside a list stays in the graph (mx.grad)', () => {
    const f = (x: array) => mx.multiply(2, mx.array([x, mx.array([2.0])])).sum();
    const dfdx = mx.grad(f);
    assert.equal((dfdx(mx.array([1.0])) as array).item(), 2.0);
  });

  test('test_array_to_list: complex arrays', () => {
    const vals = [
      { re: 0.5, im: 0 },
      { re: 1.5, im: 1 },
      { re: 2.5, im: 0 },
      { re: 3.5, im: 1 },
    ];
    assert.deepEqual(mx.array(vals).tolist(), vals);
  });

  test('test_dtype_python_scalar_promotion', () => {
    // Python's 1.0 is a float scalar; the JS number 1.0 is integral (an int
    // scalar), so the float cases use 0.5, which Python types the same way.
    const f = 0.5;
    const cases: Array<[Dtype, boolean | number, Dtype]> = [
      [mx.bool_, false, mx.bool_],
      [mx.bool_, 0, mx.int32],
      [mx.bool_, f, mx.float32],
      [mx.int8, false, mx.int8],
      [mx.int8, 0, mx.int8],
      [mx.int8, f, mx.float32],
      [mx.int16, false, mx.int16],
      [mx.int16, 0, mx.int16],
      [mx.int16, f, mx.float32],
      [mx.int32, false, mx.int32],
      [mx.int32, 0, mx.int32],
      [mx.int32, f, mx.float32],
      [mx.int64, false, mx.int64],
      [mx.int64, 0, mx.int64],
      [mx.int64, f, mx.float32],
      [mx.uint8, false, mx.uint8],
      [mx.uint8, 0, mx.uint8],
      [mx.uint8, f, mx.float32],
      [mx.uint16, false, mx.uint16],
      [mx.uint16, 0, mx.uint16],
      [mx.uint16, f, mx.float32],
      [mx.uint32, false, mx.uint32],
      [mx.uint32, 0, mx.uint32],
      [mx.uint32, f, mx.float32],
      [mx.uint64, false, mx.uint64],
      [mx.uint64, 0, mx.uint64],
      [mx.uint64, f, mx.float32],
      [mx.float32, false, mx.float32],
      [mx.float32, 0, mx.float32],
      [mx.float32, f, mx.float32],
      [mx.float16, false, mx.float16],
      [mx.float16, 0, mx.float16],
      [mx.float16, f, mx.float16],
    ];
    for (const [dtypeIn, v, dtypeOut] of cases) {
      const y = mx.multiply(mx.array(0, dtypeIn), v);
      assert.equal(y.dtype, dtypeOut, `${String(dtypeIn)} * ${v}`);
    }
  });

  test('test_array_comparison', () => {
    const a = mx.array([0.0, 1.0, 5.0]);
    const b = mx.array([-1.0, 2.0, 5.0]);
    assert.deepEqual(mx.less(a, b).tolist(), [false, true, false]);
    assert.deepEqual(mx.lessEqual(a, b).tolist(), [false, true, true]);
    assert.deepEqual(mx.greater(a, b).tolist(), [true, false, false]);
    assert.deepEqual(mx.greaterEqual(a, b).tolist(), [true, false, true]);
    assert.deepEqual(mx.less(a, 5).tolist(), [true, true, false]);
    assert.deepEqual(mx.less(5, a).tolist(), [false, false, false]);
    assert.deepEqual(mx.lessEqual(5, a).tolist(), [false, false, true]);
    assert.deepEqual(mx.greater(a, 1).tolist(), [false, false, true]);
    assert.deepEqual(mx.greaterEqual(a, 1).tolist(), [false, true, true]);
  });

  test('test_array_neg', () => {
    const a = mx.array([-1.0, 4.0, 0.0]);
    assertEqualArray(mx.negative(a), [1.0, -4.0, 0.0]); // -0.0 == 0.0, as Python's list ==
  });

  test('test_array_copy: copy(x) / deepcopy(x) is mx.array(x); y -= 1 is y.set(mx.subtract(y, 1))', () => {
    const dtypes = [
      mx.int8,
      mx.int16,
      mx.int32,
      mx.int64,
      mx.uint8,
      mx.uint16,
      mx.uint32,
      mx.uint64,
      mx.float16,
      mx.float32,
      mx.bfloat16,
      mx.complex64,
    ];
    const vals = [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ];
    for (const dtype of dtypes) {
      const x = mx.array(vals, dtype);
      const y = mx.array(x);
      assertEqualArray(y, x);
      y.set('...', mx.subtract(y, 1)); // y -= 1: y[...] = y - 1, in place
      assertEqualArray(y, mx.subtract(x, 1), { msg: String(dtype) });
      assertEqualArray(x, mx.array(vals, dtype), { msg: `${String(dtype)}: the original is untouched` });
    }
  });

  test('test_indexing', () => {
    // Only ellipsis is a no-op
    const one = mx.array([1], mx.int32).index('...');
    assert.deepEqual(one.shape, [1]);
    assert.equal(one.item(), 1);
    INDEXING_F64(); // a[2:50:4]
    for (const check of INDEXING_I88) check(); // int, negative, (), None, slices, arrays
    const a = I88;
    assert.equal(a.index(5).ndim, 1);
    assert.equal(a.index(0, 0).item(), 0);
    assert.equal(a.index(0, 0).ndim, 0);
    assert.equal(a.index('8:3').size, 0);
  });

  test('test_indexing: check_slices with several arrays', () => {
    for (const check of CHECK_SLICES_GET) check();
  });

  for (const [i, [name, perms]] of PERMS.entries()) {
    test(`test_indexing: check_slices for every permutation of ${name} (${perms.length})`, () => {
      for (const check of PERMS_GET[i]) check();
    });
  }

  test('test_indexing: non-contiguous arrays, negative slice bounds with an integer', () => {
    const a = mx.reshape(mx.arange(128), [16, 8]).index('::2', ':');
    const idx = mx.arange(8).index('::2');
    assertSameArray(a.index(idx, idx), ok<array>(NONCONTIG));
    NEG_INT(); // a[2:-1, 0]
  });

  test('test_setitem', () => {
    let a = mx.array(0, mx.int32);
    a.set(null, 1);
    assert.equal(a.item(), 1);

    a = mx.array([1, 2, 3], mx.int32);
    a.set(0, 2);
    assert.deepEqual(a.tolist(), [2, 2, 3]);
    a.set(-1, 2);
    assert.deepEqual(a.tolist(), [2, 2, 2]);
    a.set(0, mx.array([[[1]]], mx.int32));
    assert.deepEqual(a.tolist(), [1, 2, 2]);
    a.set(':', 0);
    assert.deepEqual(a.tolist(), [0, 0, 0]);
    a.set(null, 1);
    assert.deepEqual(a.tolist(), [1, 1, 1]);
    a.set('0:1', 2);
    assert.deepEqual(a.tolist(), [2, 1, 1]);
    a.set('0:2', 3);
    assert.deepEqual(a.tolist(), [3, 3, 1]);
    a.set('0:3', 4);
    assert.deepEqual(a.tolist(), [4, 4, 4]);
    a.set('0:1', mx.array(0, mx.int32));
    assert.deepEqual(a.tolist(), [0, 4, 4]);
    a.set('0:1', mx.array([1], mx.int32));
    assert.deepEqual(a.tolist(), [1, 4, 4]);
    assert.throws(() => a.set('0:1', mx.array([2, 3], mx.int32)), Error);
    a.set('0:2', mx.array([2, 2], mx.int32));
    assert.deepEqual(a.tolist(), [2, 2, 4]);
    a.set(':', mx.array([[[[1, 1, 1]]]], mx.int32));
    assert.deepEqual(a.tolist(), [1, 1, 1]);

    // Multiple slices
    a = mx.array(0, mx.int32);
    a.set(null, null, 1);
    assert.equal(a.item(), 1);
    a.set(null, null, mx.array(2, mx.int32));
    assert.equal(a.item(), 2);
    a.set(null, null, mx.array([[[3]]], mx.int32));
    assert.equal(a.item(), 3);

    // Slice assignment with negative indices
    const z = mx.zeros([5, 5], mx.int32);
    z.set('2:-2', '2:-2', 4);
    assert.equal(z.index(2, 2).item(), 4);
  });

  test('test_setitem: a[()] = 4 is a.set(4) (no index components, only the value)', () => {
    const a = mx.array(3, mx.int32);
    a.set(4);
    assert.equal(a.item(), 4);
    const b = mx.array([1, 2], mx.int32);
    b.set(mx.array([5, 6], mx.int32));
    assert.deepEqual(b.tolist(), [5, 6]);
  });

  test('test_setitem: check_slices against numpy', () => {
    for (const check of SETITEM_SEQ) check();
  });

  test('test_setitem: the error cases', () => {
    // a[0] = mx.array(1) on a 0-d array: Python ValueError; more indices than dimensions: RangeError
    assert.throws(() => mx.array(0, mx.int32).set(0, mx.array(1, mx.int32)), RangeError);
    assert.throws(
      () => mx.zeros([4, 3, 4]).set(mx.array([2, 3], mx.int32), null, mx.array([2, 3], mx.int32), mx.arange(2)),
      Error,
    );
    assert.throws(
      () => mx.zeros([4, 3, 4]).set(mx.array([2, 3], mx.int32), null, mx.array([2, 3], mx.int32), mx.arange(3)),
      Error,
    );
    assert.throws(() => mx.zeros([2, 2, 2]).set('...', '...', 1), TypeError); // two ellipses
    assert.throws(() => mx.zeros([2, 2, 2, 2, 2]).set(0, '...', 0, '...', 0, 1), TypeError);
    assert.throws(() => mx.zeros([2, 2]).set(0, 0, 0, 1), RangeError); // too many indices
    assert.throws(() => mx.zeros([5, 4, 3]).set(':', 0, mx.ones([5, 1, 3])), Error); // cannot broadcast
  });

  test('test_setitem (newer upstream): Ellipsis, None then a negative integer, trailing integers', () => {
    for (const check of SETITEM_NEWER) check();
    const e = mx.zeros([2, 3], mx.int32);
    e.set('...', 5);
    assert.deepEqual(e.tolist(), [
      [5, 5, 5],
      [5, 5, 5],
    ]);
    e.set(mx.Ellipsis, mx.array([1, 2, 3], mx.int32));
    assert.deepEqual(e.tolist(), [
      [1, 2, 3],
      [1, 2, 3],
    ]);
    e.set('...', mx.zeros([2, 3], mx.int32));
    assert.deepEqual(e.tolist(), [
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const s = mx.array(0, mx.int32);
    s.set('...', 7);
    assert.equal(s.item(), 7);
    assert.throws(() => mx.zeros([2, 3], mx.int32).set('...', mx.array([1, 2], mx.int32)), Error);

    let x = mx.zeros([2, 3, 4, 5, 3]);
    x.set('...', 0, 1.0);
    assertEqualArray(x.index('...', 0), mx.ones([2, 3, 4, 5]));
    x = mx.zeros([2, 3, 4, 5, 3]);
    x.set(':', 0, 1.0);
    assertEqualArray(x.index(':', 0), mx.ones([2, 4, 5, 3]));
    x = mx.zeros([2, 2, 2, 2, 2, 2]);
    x.set(0, 0, 1);
    assertEqualArray(x.index(0, 0), mx.ones([2, 2, 2, 2]));

    const a = mx.zeros([2, 2, 2]);
    assert.throws(() => a.set(':', null, ':', mx.ones([2, 2, 2])), Error);
    a.set(':', null, ':', mx.ones([2, 1, 2, 2])); // these do not throw
    a.set(':', null, ':', mx.ones([2, 2]));
    a.set(':', null, 0, mx.ones([2]));
    a.set(':', null, 0, mx.ones([1, 2]));
    assertEqualArray(a, mx.ones([2, 2, 2]));
  });

  test('test_getitem_with_list (newer upstream)', () => {
    for (const check of GET_WITH_LIST) check();
  });

  test('test_setitem_with_list (newer upstream)', () => {
    for (const check of SET_WITH_LIST) check();
  });

  test('test_setitem_with_boolean_mask (newer upstream; Python 0.32.4 assigns through a mask)', () => {
    let a = mx.array([1.0, 2.0, 3.0]);
    a.set([true, false, true], mx.array([5.0, 6.0]));
    assertEqualArray(a, mx.array([5.0, 2.0, 6.0]));

    a = mx.array([1.0, 2.0, 3.0]);
    a.set(mx.array([true, false, true]), mx.array([5.0, 6.0]));
    assertEqualArray(a, mx.array([5.0, 2.0, 6.0]));

    a = mx.array([1.0, 2.0, 3.0]);
    a.set(mx.array(true), 5.0);
    assertEqualArray(a, mx.array([5.0, 5.0, 5.0]));

    a = mx.array([1.0, 2.0, 3.0]);
    a.set(true, 5.0);
    assertEqualArray(a, mx.array([5.0, 5.0, 5.0]));

    assert.throws(
      () =>
        mx
          .arange(1000)
          .reshape(10, 10, 10)
          .set(mx.zeros([1, 10, 10], mx.bool_), 0),
      Error,
    );
    assert.throws(
      () =>
        mx
          .arange(1000)
          .reshape(10, 10, 10)
          .set(mx.zeros([10, 10, 1], mx.bool_), 0),
      Error,
    );
  });

  test('test_array_at', () => {
    let a = mx.array(1, mx.int32);
    a = a.at(null).add(1);
    assert.equal(a.item(), 2);

    a = mx.array([0, 1, 2], mx.int32);
    a = a.at(1).add(2);
    assert.deepEqual(a.tolist(), [0, 3, 2]);
    a = a.at(mx.array([0, 0, 0, 0], mx.int32)).add(1);
    assert.deepEqual(a.tolist(), [4, 3, 2]);

    a = mx.zeros([10, 10]);
    a = a.at(0).add(mx.arange(10));
    assert.deepEqual(a.index(0).tolist(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    a = mx.zeros([10, 10]);
    const indexX = mx.array([0, 2, 3, 7], mx.int32);
    const indexY = mx.array([3, 3, 1, 2], mx.int32);
    const u = pseudoUniform([4]); // mx.random.uniform(shape=(4,))
    a = a.at(indexX, indexY).add(u);
    assert.equal(mx.allclose(a.sum(), u.sum()).item(), true);
    assertEqualArray(a.sum(), u.sum(), { atol: 1e-6, rtol: 1e-5 });
    assert.deepEqual(a.index(indexX, indexY).tolist(), u.tolist());

    // Test all array.at ops
    a = pseudoUniform([10, 5, 2]);
    const idxX = mx.array([0, 4], mx.int32);
    let update = mx.ones([2, 5]);
    a.set(idxX, ':', 0, 0);
    a = a.at(idxX, ':', 0).add(update);
    assertEqualArray(a.index(idxX, ':', 0), update);
    a = a.at(idxX, ':', 0).subtract(update);
    assertEqualArray(a.index(idxX, ':', 0), mx.zerosLike(update));
    a = a.at(idxX, ':', 0).add(mx.multiply(2, update));
    assertEqualArray(a.index(idxX, ':', 0), mx.multiply(2, update));
    a = a.at(idxX, ':', 0).multiply(mx.multiply(2, update));
    assertEqualArray(a.index(idxX, ':', 0), mx.multiply(4, update));
    a = a.at(idxX, ':', 0).divide(mx.multiply(3, update));
    assertEqualArray(a.index(idxX, ':', 0), mx.multiply(4 / 3, update));
    a.set(idxX, ':', 0, 5);
    update = mx.arange(10).reshape(2, 5);
    a = a.at(idxX, ':', 0).maximum(update);
    assertEqualArray(a.index(idxX, ':', 0), mx.maximum(a.index(idxX, ':', 0), update));
    a.set(idxX, ':', 0, 5);
    a = a.at(idxX, ':', 0).minimum(update);
    assertEqualArray(a.index(idxX, ':', 0), mx.minimum(a.index(idxX, ':', 0), update));
  });

  test('test_array_at: the docstring example (a[idx] += 1 keeps one update, at.add all)', () => {
    const idx = mx.array([0, 1, 0, 1], mx.int32);
    const a = mx.array([0, 0], mx.int32);
    a.set(idx, mx.add(a.index(idx), 1));
    assert.deepEqual(a.tolist(), [1, 1]);
    assert.deepEqual(mx.array([0, 0], mx.int32).at(idx).add(1).tolist(), [2, 2]);
  });

  test('test_array_at (newer upstream): broadcast update, slice-only indices', () => {
    const update0 = mx.array([1.0, 2.0]).index(null, null, null);
    let src = mx.array([1.0, 2.0]).index(null, ':');
    src = src.at('0:1').add(update0);
    assertEqualArray(src, mx.array([[2.0, 4.0]]));

    let a = pseudoUniform([10, 5, 2]);
    let update = mx.ones([2, 5]);
    a.set('1:3', ':', 0, 0);
    a = a.at('1:3', ':', 0).add(update);
    assertEqualArray(a.index('1:3', ':', 0), update);
    a = a.at('1:3', ':', 0).subtract(update);
    assertEqualArray(a.index('1:3', ':', 0), mx.zerosLike(update));
    a = a.at('1:3', ':', 0).add(mx.multiply(2, update));
    assertEqualArray(a.index('1:3', ':', 0), mx.multiply(2, update));
    a = a.at('1:3', ':', 0).multiply(mx.multiply(2, update));
    assertEqualArray(a.index('1:3', ':', 0), mx.multiply(4, update));
    a = a.at('1:3', ':', 0).divide(mx.multiply(3, update));
    assertEqualArray(a.index('1:3', ':', 0), mx.multiply(4 / 3, update));
    a.set('1:3', ':', 0, 5);
    update = mx.arange(10).reshape(2, 5);
    a = a.at('1:3', ':', 0).maximum(update);
    assertEqualArray(a.index('1:3', ':', 0), mx.maximum(a.index('1:3', ':', 0), update));
    a.set('1:3', ':', 0, 5);
    a = a.at('1:3', ':', 0).minimum(update);
    assertEqualArray(a.index('1:3', ':', 0), mx.minimum(a.index('1:3', ':', 0), update));
  });

  test('test_array_at_slice_update_extensive (newer upstream)', () => {
    const f32 = { dtype: mx.float32 };
    let a = mx.zeros([4, 5]);
    let update = mx.ones([5, 2]).T;
    a = a.at('1:3', ':').add(update);
    assertEqualArray(a.index('1:3', ':'), update);

    a = mx.zeros([5, 4]);
    update = mx.ones([2, 5]);
    a = a.at(':', '1:3').add(update.T);
    assertEqualArray(a.index(':', '1:3'), update.T);

    let source = mx.arange(20, f32).reshape(4, 5);
    a = mx.zeros([4, 5]);
    a = a.at('0:2', ':').add(source.index('1:3', ':'));
    assertEqualArray(a.index('0:2', ':'), source.index('1:3', ':'));

    source = mx.arange(30, f32).reshape(5, 6);
    a = mx.zeros([5, 6]);
    a = a.at('1:4', '1:5').add(source.index('0:3', '0:4'));
    assertEqualArray(a.index('1:4', '1:5'), source.index('0:3', '0:4'));

    source = mx.arange(20, f32).reshape(4, 5);
    a = mx.zeros([5, 4]);
    update = source.index('1:3', ':').T;
    a = a.at(':', '1:3').add(update);
    assertEqualArray(a.index(':', '1:3'), update);

    a = mx.zeros([5, 5]);
    update = mx.ones([2, 5]);
    a = a.at('-3:-1', ':').add(update);
    assertEqualArray(a.index('-3:-1', ':'), update);

    a = mx.zeros([6, 6]);
    update = mx.ones([2, 3]);
    a = a.at('1:5:2', '0:6:2').add(update);
    assertEqualArray(a.index('1:5:2', '0:6:2'), update);

    source = mx.arange(20, f32).reshape(4, 5);
    a = mx.zeros([5, 4]);
    update = source.T.index(':', '1:3');
    a = a.at(':', '1:3').add(update);
    assertEqualArray(a.index(':', '1:3'), update);

    a = mx.zeros([3, 4, 5]);
    update = mx.ones([4, 3, 5]).transpose(1, 0, 2);
    a = a.at(':', ':', ':').add(update);
    assertEqualArray(a, update);

    source = mx.arange(60, f32).reshape(3, 4, 5);
    a = mx.zeros([3, 4, 5]);
    a = a.at('1:3', ':', ':').add(source.index('0:2', ':', ':'));
    assertEqualArray(a.index('1:3', ':', ':'), source.index('0:2', ':', ':'));

    a = mx.zeros([4, 5, 6]);
    update = mx.ones([2, 6]);
    a = a.at('1:3', 2, ':').add(update);
    assertEqualArray(a.index('1:3', 2, ':'), update);

    source = mx.arange(60, f32).reshape(3, 4, 5);
    a = mx.zeros([3, 2, 5]);
    update = source.index(':', '::2', ':');
    a = a.at(':', ':', ':').add(update);
    assertEqualArray(a, update);
  });

  test('test_slice_update_contiguous_2d (newer upstream; random.normal replaced by fixed values)', () => {
    const close0 = (d: array) => assert.equal(mx.allclose(d, mx.zerosLike(d)).item(), true);
    for (const shape of [
      [32, 32],
      [64, 64],
      [17, 33],
      [128, 128],
    ]) {
      for (const upd of [
        [16, 16],
        [8, 8],
        [4, 4],
      ]) {
        if (upd[0] > shape[0] || upd[1] > shape[1]) continue;
        const y = mx.zeros(shape);
        const x = mx.subtract(pseudoUniform(upd), 0.5);
        const z = y.at(mx.Slice(null, upd[0]), mx.Slice(null, upd[1])).add(x);
        close0(mx.subtract(z.index(mx.Slice(null, upd[0]), mx.Slice(null, upd[1])), x));
      }
    }
    const y = mx.zeros([32, 32]);
    const x = pseudoUniform([16, 16]);
    close0(mx.subtract(y.at('16:', '16:').add(x).index('16:', '16:'), x));
    for (const cols of [32, 18, 15]) {
      const yy = mx.zeros([32, cols]);
      const xx = pseudoUniform([16, cols]);
      close0(mx.subtract(yy.at(':16', ':').add(xx).index(':16', ':'), xx));
    }
  });

  test('test_slice_negative_step', () => {
    for (const check of NEG_STEP) check();
  });

  test('test_indexing_grad (newer upstream)', () => {
    const x = mx
      .array([
        [1, 2],
        [3, 4],
      ])
      .astype(mx.float32);
    const ind = mx.array([0, 1, 0]).astype(mx.float32);
    const indexFn = (x: array, ind: array) => x.index(mx.stopGradient(ind.astype(mx.int32))).sum();
    const [gradX, gradInd] = mx.grad(indexFn, { argnums: [0, 1] })(x, ind) as array[];
    assertEqualArray(gradX, [
      [2, 2],
      [1, 1],
    ]);
    assertEqualArray(gradInd, mx.zeros(ind.shape));
  });

  test('test_large_indices (newer upstream)', () => {
    const x = mx.array([0, 1, 2], mx.int32);
    assert.throws(() => x.index(mx.Slice(null, 2 ** 32)), Error); // Python: ValueError
    assert.throws(() => x.index(2 ** 32), RangeError); // an integer out of range
  });

  test('test_real_imag (newer upstream)', () => {
    let x = mx.array([1.0]);
    assert.equal(x.real.item(), 1.0);
    assert.equal(x.imag.item(), 0.0);
    x = mx.array([{ re: 1, im: 1 }]);
    assert.equal(x.imag.item(), 1.0);
    assert.equal(x.real.item(), 1.0);
  });

  test('test_api: the methods equal the ops', () => {
    const x = pseudoUniform([10, 10, 10]); // np.random.rand(10, 10, 10)
    const ops: Array<string | [string, ...unknown[]]> = [
      ['reshape', [100, -1]],
      'square',
      'sqrt',
      'rsqrt',
      'reciprocal',
      'exp',
      'log',
      'sin',
      'cos',
      'log1p',
      'abs',
      'log10',
      'log2',
      'conj',
      ['all', 1],
      ['any', 1],
      ['transpose', [0, 2, 1]],
      ['sum', 1],
      ['prod', 1],
      ['min', 1],
      ['max', 1],
      ['logcumsumexp', 1],
      ['logsumexp', 1],
      ['mean', 1],
      ['var', 1],
      ['argmin', 1],
      ['argmax', 1],
      ['cummax', 1],
      ['cummin', 1],
      ['cumprod', 1],
      ['cumsum', 1],
      ['diagonal', 0, 0, 1],
      ['flatten', 0, -1],
      ['moveaxis', 1, 2],
      ['round', 2],
      ['std', 1, true, 0],
      ['swapaxes', 1, 2],
    ];
    const fns = mx as unknown as Record<string, (...a: unknown[]) => array>;
    for (const op of ops) {
      const [name, ...args] = typeof op === 'string' ? [op] : op;
      assert.equal(typeof fns[name], 'function', `mx.${name}`);
      const y1 = fns[name](x, ...args);
      const y2 = (x as unknown as Record<string, (...a: unknown[]) => array>)[name](...args);
      assertSameArray(y2, y1, name);
    }
    const s1 = mx.split(x, 2);
    const s2 = x.split(2);
    assert.equal(s1.length, 2);
    assert.equal(s2.length, s1.length);
    assertSameArray(s2[0], s1[0]);
    assertSameArray(s2[1], s1[1]);
    const x1 = pseudoUniform([10, 10, 1]);
    assertSameArray(x1.squeeze({ axis: 2 }), mx.squeeze(x1, { axis: 2 }));
  });

  test('test_buffer_protocol: the bytes of an int16 array', () => {
    const a = mx.add(97 * 257, mx.arange(10).astype(mx.int16)); // ord("a") * 257 + ...
    const t = a.toTypedArray();
    const ab = Buffer.from(t.buffer, t.byteOffset, a.nbytes);
    assert.equal(ab.length, 20);
    const odd = Buffer.from(ab.filter((_, i) => i % 2 === 1)).toString('latin1');
    const even = Buffer.from(ab.filter((_, i) => i % 2 === 0)).toString('latin1');
    // little endian (Node's Buffer layout on every supported platform)
    assert.equal(odd, 'aaaaaaaaaa');
    assert.equal(even, 'abcdefghij');
  });

  test('test_logical_overloads: & | ~ are bitwiseAnd, bitwiseOr, bitwiseInvert', () => {
    assert.throws(() => mx.bitwiseAnd(mx.array(1.0), mx.array(1, mx.int32)), Error);
    assert.throws(() => mx.bitwiseOr(mx.array(1.0), mx.array(1, mx.int32)), Error);
    assert.equal(mx.bitwiseAnd(mx.array(true), true).item(), true);
    assert.equal(mx.bitwiseAnd(mx.array(true), false).item(), false);
    assert.equal(mx.bitwiseOr(mx.array(true), false).item(), true);
    assert.equal(mx.bitwiseOr(mx.array(false), false).item(), false);
    assert.equal(mx.bitwiseInvert(mx.array(false)).item(), true);
  });
});

// ---------------------------------------------------------------------------
// docs/indexing.md: the error table

describe('indexing errors (docs/indexing.md)', () => {
  const a = () => mx.arange(3);
  const a23 = () => mx.zeros([2, 3]);

  test('Python raises on the same cases (where it does not read garbage or crash)', () => {
    for (const [what, k] of Object.entries(PY_RAISES)) assert.notEqual(ok(k), null, `Python accepts the ${what} case`);
  });

  test('an integer or list element out of range: RangeError', () => {
    assert.throws(() => a().index(5), {
      name: 'RangeError',
      message: /index 5 is out of bounds for axis 0 with size 3/,
    });
    assert.throws(() => a().index(3), RangeError);
    assert.throws(() => a().index(-4), RangeError);
    assert.throws(() => a().index([0, 5]), RangeError);
    assert.throws(() => a().index([[0], [-4]]), RangeError);
    assert.throws(() => a23().index(0, 7), {
      name: 'RangeError',
      message: /index 7 is out of bounds for axis 1 with size 3/,
    });
    assert.throws(() => a23().index('...', -4), RangeError);
    assert.throws(() => a23().index(null, 2), RangeError);
    assert.throws(() => a().set(5, 1), RangeError);
    assert.throws(() => a().set([0, 3], 1), RangeError);
    assert.throws(() => a().at(5).add(1), RangeError);
    assert.throws(() => a().at([1, -9]).add(1), RangeError);
  });

  test('more indices than dimensions: RangeError', () => {
    assert.throws(() => a23().index(0, 0, 0), RangeError);
    assert.throws(() => a23().index(0, ':', '::-1'), RangeError);
    assert.throws(() => a23().index(0, '...', 0, 0), RangeError);
    assert.throws(() => mx.array(1).index(0), RangeError);
    assert.throws(() => a23().set(0, 0, 0, 1), RangeError);
    assert.throws(() => a23().at(0, 0, 0).add(1), RangeError);
  });

  test('a slice step of 0: RangeError', () => {
    assert.throws(() => a().index('::0'), RangeError);
    assert.throws(() => a().index('1:2:0'), RangeError);
    assert.throws(() => a().index(mx.Slice(null, null, 0)), RangeError);
    assert.throws(() => a23().index(':', '::0'), RangeError);
    assert.throws(() => a().set('::0', 1), RangeError);
    assert.throws(() => a().at('::0').add(1), RangeError);
  });

  test('two ellipses, a float, a string that is not a slice: TypeError', () => {
    assert.throws(() => a().index('...', '...'), TypeError);
    assert.throws(() => a().index(mx.Ellipsis, '...'), TypeError);
    assert.throws(() => a23().index(mx.Ellipsis, 0, mx.Ellipsis), TypeError);
    assert.throws(() => a().index(0.5), TypeError);
    assert.throws(() => a().index(NaN), TypeError);
    assert.throws(() => a23().index(0, 1.5), TypeError);
    assert.throws(() => a().index([0, 1.5]), TypeError);
    for (const s of ['x', '', '1:2:3:4', 'a:b', '1..2', '1:2x', ' ...']) {
      assert.throws(() => a().index(s), TypeError, JSON.stringify(s));
    }
    assert.throws(() => a().set('...', '...', 1), TypeError);
    assert.throws(() => a().set(0.5, 1), TypeError);
    assert.throws(() => a().set('x', 1), TypeError);
    assert.throws(() => a().at('...', '...').add(1), TypeError);
    assert.throws(() => a().at(0.5).add(1), TypeError);
  });

  test('a boolean mask (read): TypeError', () => {
    assert.throws(() => a().index(mx.array([true, false, true])), TypeError);
    assert.throws(() => a().index([true, false, true] as never), TypeError);
    assert.throws(() => a23().index(0, mx.array([true, false, true])), TypeError);
  });
});

describe('mlx-node: arrays from flat lists of JS numbers (read in JS, one Float32Array)', () => {
  const specials = [
    NaN,
    -Infinity,
    Infinity,
    -0,
    0,
    3.4e38 * 2,
    -3.4e38 * 2,
    1e-46,
    1.401298464324817e-45,
    0.1,
    1 / 3,
    2 ** 24 + 1,
  ];
  const xsOf = (n: number) =>
    Array.from({ length: n }, (_, i) => (i < specials.length ? specials[i] : Math.sin(i) * 10 ** (i % 9)));
  for (const n of [1, 4, 63, 64, 1000]) {
    test(`${n} numbers give the float32 rounding of each (Math.fround), as Python's list conversion`, () => {
      // A nested list is converted element by element in C++: the same bits.
      const nested = (mx.array([xsOf(n)]).toTypedArray() as Float32Array).slice();
      const xs = xsOf(n);
      for (const dtype of [undefined, null, mx.float32]) {
        const a = mx.array(xs, dtype);
        assert.equal(a.dtype, mx.float32);
        assert.deepEqual(a.shape, [n]);
        const got = a.toTypedArray() as Float32Array;
        xs.forEach((x, i) => {
          assert.ok(Object.is(got[i], Math.fround(x)), `element ${i}: ${got[i]} vs ${Math.fround(x)}`);
          assert.ok(Object.is(got[i], nested[i]), `element ${i}: ${got[i]} vs ${nested[i]} (nested list)`);
        });
      }
    });
  }
  test('other dtypes and mixed lists keep the element-by-element path', () => {
    const ints = Array.from({ length: 100 }, (_, i) => i * 3 - 7);
    assert.deepEqual(mx.array(ints, mx.int32).tolist(), ints);
    const mixed: unknown[] = Array.from({ length: 100 }, (_, i) => i);
    mixed[50] = true;
    assert.deepEqual(mx.array(mixed).tolist(), mixed.map(Number));
    const holes = new Array(100);
    assert.throws(() => mx.array(holes), TypeError);
  });
});

describe('mlx-node: tolist() of larger arrays (JS fast path) equals Python tolist()', () => {
  // Views (transposed, sliced with an offset and steps), zero-size axes, every dtype of the fast path
  // and some that take the C++ path.
  const DTYPES = [
    'float32',
    'float64',
    'int8',
    'int16',
    'int32',
    'uint8',
    'uint16',
    'uint32',
    'float16',
    'bfloat16',
    'int64',
    'bool_',
  ];
  const cases: Array<[string, (x: array) => array, string]> = [
    ['flat', (x) => x, 'x'],
    ['3-d', (x) => x.reshape([4, 6, 5]), 'x.reshape(4, 6, 5)'],
    ['transposed', (x) => x.reshape([4, 6, 5]).transpose([2, 0, 1]), 'x.reshape(4, 6, 5).transpose(2, 0, 1)'],
    ['strided slice', (x) => x.reshape([12, 10]).index('1::2', '::-3'), 'x.reshape(12, 10)[1::2, ::-3]'],
    ['zero-size axis', (x) => x.reshape([120, 1]).index(':', '1:'), 'x.reshape(120, 1)[:, 1:]'],
  ];
  const base = Array.from({ length: 120 }, (_, i) => ((i * 37) % 101) - 50 + (i % 3) / 4);
  const expected = py<unknown[][]>(
    `out = [[getattr(mx.array(base), 'astype')(getattr(mx, d)) for d in dtypes]]
out = [[eval(e, {'x': x}).tolist() for x in out[0]] for e in exprs]`,
    { base, dtypes: DTYPES, exprs: cases.map((c) => c[2]) },
  );
  cases.forEach(([name, f], ci) => {
    test(name, () => {
      DTYPES.forEach((d, di) => {
        const x = mx.array(base).astype((mx as unknown as Record<string, Dtype>)[d]);
        assert.deepEqual(f(x).tolist(), expected[ci][di], `${name}, ${d}`);
      });
    });
  });
});
