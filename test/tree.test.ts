// Port of python/tests/test_tree.py (mlx 0.32.4): mlx.utils' tree functions,
// here `utils.treeMap` ... from lib/utils.ts. Python lists and tuples are JS
// arrays, dicts plain objects (or Maps). Beyond Python's three cases, every
// function is checked against Python mlx.utils run on the same trees (one
// pyEach at load time for the plain-value cases, one py() for model-like trees
// of arrays, with mlx.nn building the parameter trees in Python).
//
// Not ported: nothing. test_merge builds its nn.Sequential parameter trees in
// the oracle (mlx.nn is not part of mlx-node yet) and merges them here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { mx, utils } from '../lib/index';
import type { array } from '../lib/index';
import { assertSameArray, isPyError, py, pyEach } from './helpers/mlx_tests';

// Python exception -> the JS error class mlx-node throws for it (CONTRIBUTING.md).
function errorClass(pyName: string): new (...args: any[]) => Error {
  switch (pyName) {
    case 'IndexError':
    case 'KeyError':
      return RangeError;
    case 'TypeError':
      return TypeError;
    default:
      return Error; // ValueError, RecursionError
  }
}

function assertThrowsLike(fn: () => unknown, pyName: string, msg?: string): void {
  const cls = errorClass(pyName);
  assert.throws(
    fn,
    (e: unknown) => e instanceof Error && e.constructor === cls,
    `${msg ?? ''}: expected a ${cls.name} (Python ${pyName})`,
  );
}

// ---------------------------------------------------------------------------

describe('TestTreeUtils', () => {
  // The nn.Sequential parameter trees of test_merge, built by Python mlx.nn.
  const nnTrees = py<{ p1: unknown; p2: unknown; p: unknown }>(`
import mlx.nn as nn
mod1 = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
mod2 = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
mod = nn.Sequential(mod1, mod2)
out = {"p1": mod1.parameters(), "p2": mod2.parameters(), "p": mod.parameters()}
`);

  test('test_tree_map', () => {
    let tree: unknown = { a: 0, b: 1, c: 2 };
    tree = utils.treeMap((x: number) => x + 1, tree);
    const expectedTree = { a: 1, b: 2, c: 3 };
    assert.deepStrictEqual(tree, expectedTree);
  });

  test('test_tree_flatten', () => {
    const tree = [{ a: 1, b: 2 }, 'c'];
    const vals = [1, 2, 'c'];
    const flatTree = utils.treeFlatten(tree);
    assert.deepStrictEqual(
      flatTree.map(([, v]) => v),
      vals,
    );
    assert.deepStrictEqual(utils.treeUnflatten(flatTree), tree);
  });

  test('test_merge', () => {
    const t1 = { a: 0 };
    const t2 = { b: 1 };
    const t = utils.treeMerge(t1, t2);
    assert.deepStrictEqual({ a: 0, b: 1 }, t);
    assertThrowsLike(() => utils.treeMerge(t1, t1), 'ValueError', 'treeMerge(t1, t1)');
    assertThrowsLike(() => utils.treeMerge(t, t1), 'ValueError', 'treeMerge(t, t1)');

    const params1 = { layers: [nnTrees.p1] };
    const params2 = { layers: [null, nnTrees.p2] };
    const params = utils.treeMerge(params1, params2);
    const flat = utils.treeFlatten(params);
    const flatMod = utils.treeFlatten(nnTrees.p);
    assert.equal(flat.length, flatMod.length);
    assert.equal(flat.length, 8);
    for (let i = 0; i < flat.length; i++) {
      const [k1, v1] = flat[i];
      const [k2, v2] = flatMod[i];
      assert.equal(k1, k2);
      assert.ok(mx.arrayEqual(v1 as array, v2 as array).item(), `${k1}: arrays differ`);
    }
  });
});

// ---------------------------------------------------------------------------
// Every function against Python mlx.utils on plain-value trees. Each case is
// [name, Python expression, the same call in JS]; the expectation is Python's
// value (tuples come back as lists) or its exception.

const sq = (x: number) => x * x;
const add = (a: number, b: number) => a + b;
const innermostList = (n: unknown) => Array.isArray(n) && !n.some(Array.isArray);

const CASES: Array<[string, string, () => unknown]> = [
  // tree_map
  [
    'treeMap nested lists, tuples, dicts',
    'U.tree_map(lambda x: x * x, {"a": [1, (2, 3)], "b": {"c": 4}})',
    () => utils.treeMap(sq, { a: [1, [2, 3]], b: { c: 4 } }),
  ],
  ['treeMap leaf root', 'U.tree_map(lambda x: x * x, 3)', () => utils.treeMap(sq, 3)],
  [
    'treeMap strings and None are leaves',
    'U.tree_map(lambda x: [x], ["s", None, {"k": "v"}])',
    () => utils.treeMap((x: unknown) => [x], ['s', null, { k: 'v' }]),
  ],
  [
    'treeMap empty containers',
    'U.tree_map(lambda x: x, {"a": [], "b": {}, "c": ()})',
    () => utils.treeMap((x: unknown) => x, { a: [], b: {}, c: [] }),
  ],
  [
    'treeMap with a rest tree (superset)',
    'U.tree_map(lambda x, y: x + y, [1, {"a": 2}], [10, {"a": 20, "b": 5}, 7])',
    () => utils.treeMap(add, [1, { a: 2 }], [10, { a: 20, b: 5 }, 7]),
  ],
  [
    'treeMap: a trailing plain object is a rest tree',
    'U.tree_map(lambda x, y: x + y, {"a": 1}, {"a": 2})',
    () => utils.treeMap(add, { a: 1 }, { a: 2 }),
  ],
  [
    'treeMap with two rest trees',
    'U.tree_map(lambda x, y, z: x + y * z, {"a": [1, 2]}, {"a": [3, 4]}, {"a": [5, 6]})',
    () => utils.treeMap((x: number, y: number, z: number) => x + y * z, { a: [1, 2] }, { a: [3, 4] }, { a: [5, 6] }),
  ],
  [
    'treeMap rest node is a whole subtree at a leaf',
    'U.tree_map(lambda x, y: [x, y], [1], [[2, 3]])',
    () => utils.treeMap((x: unknown, y: unknown) => [x, y], [1], [[2, 3]]),
  ],
  [
    'treeMap isLeaf',
    'U.tree_map(len, [[1, 2], [[3], [4, 5, 6]]], is_leaf=lambda n: isinstance(n, list) and not any(isinstance(e, list) for e in n))',
    () =>
      utils.treeMap(
        (x: unknown[]) => x.length,
        [
          [1, 2],
          [[3], [4, 5, 6]],
        ],
        { isLeaf: innermostList },
      ),
  ],
  [
    'treeMap isLeaf with a rest tree',
    'U.tree_map(lambda x, y: len(x) + y, [[1, 2], [3]], [10, 20], is_leaf=lambda n: isinstance(n, list) and not any(isinstance(e, list) for e in n))',
    () => utils.treeMap((x: unknown[], y: number) => x.length + y, [[1, 2], [3]], [10, 20], { isLeaf: innermostList }),
  ],
  ['treeMap rest list too short', 'U.tree_map(lambda x, y: x + y, [1, 2], [1])', () => utils.treeMap(add, [1, 2], [1])],
  [
    'treeMap rest dict missing a key',
    'U.tree_map(lambda x, y: x + y, {"a": 1}, {"b": 1})',
    () => utils.treeMap(add, { a: 1 }, { b: 1 }),
  ],
  [
    'treeMap rest is a leaf where tree has a node',
    'U.tree_map(lambda x, y: x + y, {"a": 1}, 5)',
    () => utils.treeMap(add, { a: 1 }, 5),
  ],
  [
    'treeMap rest is a list where tree has a dict',
    'U.tree_map(lambda x, y: x + y, {"a": 1}, [1])',
    () => utils.treeMap(add, { a: 1 }, [1]),
  ],

  // tree_map_with_path
  [
    'treeMapWithPath docstring example',
    'U.tree_map_with_path(lambda p, x: p, {"model": [{"w": 0, "b": 1}, {"w": 0, "b": 1}]})',
    () =>
      utils.treeMapWithPath((p: string) => p, {
        model: [
          { w: 0, b: 1 },
          { w: 0, b: 1 },
        ],
      }),
  ],
  [
    'treeMapWithPath with path',
    'U.tree_map_with_path(lambda p, x: p, {"model": [{"w": 0}, (1, 2)]}, path="root")',
    () => utils.treeMapWithPath((p: string) => p, { model: [{ w: 0 }, [1, 2]] }, { path: 'root' }),
  ],
  [
    'treeMapWithPath empty path',
    'U.tree_map_with_path(lambda p, x: p, [[1], 2], path="")',
    () => utils.treeMapWithPath((p: string) => p, [[1], 2], { path: '' }),
  ],
  [
    'treeMapWithPath leaf root gets None',
    'U.tree_map_with_path(lambda p, x: p, 3)',
    () => utils.treeMapWithPath((p: unknown) => p, 3),
  ],
  [
    'treeMapWithPath leaf root gets path',
    'U.tree_map_with_path(lambda p, x: [p, x], 3, path="r")',
    () => utils.treeMapWithPath((p: unknown, x: unknown) => [p, x], 3, { path: 'r' }),
  ],
  [
    'treeMapWithPath rest trees',
    'U.tree_map_with_path(lambda p, x, y: f"{p}:{x + y}", {"a": [1, 2], "b": 3}, {"a": [10, 20], "b": 30})',
    () =>
      utils.treeMapWithPath(
        (p: string, x: number, y: number) => `${p}:${x + y}`,
        { a: [1, 2], b: 3 },
        { a: [10, 20], b: 30 },
      ),
  ],
  [
    'treeMapWithPath isLeaf',
    'U.tree_map_with_path(lambda p, x: p, {"a": [[1], [2, [3]]]}, is_leaf=lambda n: isinstance(n, list) and not any(isinstance(e, list) for e in n))',
    () => utils.treeMapWithPath((p: string) => p, { a: [[1], [2, [3]]] }, { isLeaf: innermostList }),
  ],

  // tree_flatten
  ['treeFlatten docstring [[[0]]]', 'U.tree_flatten([[[0]]])', () => utils.treeFlatten([[[0]]])],
  [
    'treeFlatten prefix ".hello"',
    'U.tree_flatten([[[0]]], prefix=".hello")',
    () => utils.treeFlatten([[[0]]], { prefix: '.hello' }),
  ],
  [
    'treeFlatten positional prefix "hello" (first char dropped)',
    'U.tree_flatten([[[0]]], "hello")',
    () => utils.treeFlatten([[[0]]], 'hello'),
  ],
  ['treeFlatten leaf root', 'U.tree_flatten(5)', () => utils.treeFlatten(5)],
  ['treeFlatten leaf root with prefix', 'U.tree_flatten(5, ".x")', () => utils.treeFlatten(5, '.x')],
  [
    'treeFlatten empty containers vanish',
    'U.tree_flatten({"a": [], "b": {}, "c": [1, {}], "d": None})',
    () => utils.treeFlatten({ a: [], b: {}, c: [1, {}], d: null }),
  ],
  [
    'treeFlatten destination dict',
    'U.tree_flatten({"a": {"b": 1}, "c": [2, (3,)]}, destination={})',
    () => utils.treeFlatten({ a: { b: 1 }, c: [2, [3]] }, { destination: {} }),
  ],
  [
    'treeFlatten destination list with content',
    'U.tree_flatten({"a": 1}, destination=[("z", 0)])',
    () => utils.treeFlatten({ a: 1 }, { destination: [['z', 0]] }),
  ],
  [
    'treeFlatten positional isLeaf and destination',
    'U.tree_flatten({"a": [[1], [2, [3]]]}, "", lambda n: isinstance(n, list) and not any(isinstance(e, list) for e in n), {})',
    () => utils.treeFlatten({ a: [[1], [2, [3]]] }, '', innermostList, {}),
  ],
  [
    'treeFlatten bad destination',
    'U.tree_flatten({"a": 1}, destination=5)',
    () => utils.treeFlatten({ a: 1 }, { destination: 5 as never }),
  ],

  // tree_unflatten
  [
    'treeUnflatten docstring',
    'U.tree_unflatten([("hello.world", 42)])',
    () => utils.treeUnflatten([['hello.world', 42]]),
  ],
  [
    'treeUnflatten from a dict',
    'U.tree_unflatten({"hello.world": 42, "hello.there": [1]})',
    () => utils.treeUnflatten({ 'hello.world': 42, 'hello.there': [1] }),
  ],
  ['treeUnflatten single empty path', 'U.tree_unflatten([("", 7)])', () => utils.treeUnflatten([['', 7]])],
  ['treeUnflatten empty list', 'U.tree_unflatten([])', () => utils.treeUnflatten([])],
  ['treeUnflatten empty dict', 'U.tree_unflatten({})', () => utils.treeUnflatten({})],
  [
    'treeUnflatten list',
    'U.tree_unflatten([("0", "a"), ("1", "b")])',
    () =>
      utils.treeUnflatten([
        ['0', 'a'],
        ['1', 'b'],
      ]),
  ],
  [
    'treeUnflatten list gaps filled with {}',
    'U.tree_unflatten([("0", 1), ("2", 3)])',
    () =>
      utils.treeUnflatten([
        ['0', 1],
        ['2', 3],
      ]),
  ],
  [
    'treeUnflatten list sorted numerically',
    'U.tree_unflatten([("10", "a"), ("2", "b"), ("1", "c")])',
    () =>
      utils.treeUnflatten([
        ['10', 'a'],
        ['2', 'b'],
        ['1', 'c'],
      ]),
  ],
  [
    'treeUnflatten "01" and "1" make a dict',
    'U.tree_unflatten([("01", 1), ("1", 3)])',
    () =>
      utils.treeUnflatten([
        ['01', 1],
        ['1', 3],
      ]),
  ],
  ['treeUnflatten "01" alone is index 1', 'U.tree_unflatten([("01", 1)])', () => utils.treeUnflatten([['01', 1]])],
  [
    'treeUnflatten negative index',
    'U.tree_unflatten([("-1", 1), ("0", 3)])',
    () =>
      utils.treeUnflatten([
        ['-1', 1],
        ['0', 3],
      ]),
  ],
  [
    'treeUnflatten int() spellings',
    'U.tree_unflatten([("1_0", 1), (" 2 ", 2), ("+3", 3)])',
    () =>
      utils.treeUnflatten([
        ['1_0', 1],
        [' 2 ', 2],
        ['+3', 3],
      ]),
  ],
  [
    'treeUnflatten mixed keys make a dict',
    'U.tree_unflatten([("0", 1), ("a", 2)])',
    () =>
      utils.treeUnflatten([
        ['0', 1],
        ['a', 2],
      ]),
  ],
  [
    'treeUnflatten leaf and subtree at one path',
    'U.tree_unflatten([("a", 1), ("a.b", 3)])',
    () =>
      utils.treeUnflatten([
        ['a', 1],
        ['a.b', 3],
      ]),
  ],
  [
    'treeUnflatten trailing and leading dots',
    'U.tree_unflatten([("a.", 1), (".b", 2)])',
    () =>
      utils.treeUnflatten([
        ['a.', 1],
        ['.b', 2],
      ]),
  ],
  [
    'treeUnflatten "__proto__" key',
    'U.tree_unflatten([("__proto__.x", 1)])',
    () => utils.treeUnflatten([['__proto__.x', 1]]),
  ],
  [
    'treeUnflatten the same path twice',
    'U.tree_unflatten([("a", 1), ("a", 2)])',
    () =>
      utils.treeUnflatten([
        ['a', 1],
        ['a', 2],
      ]),
  ],
  [
    'treeUnflatten inverts treeFlatten',
    'U.tree_unflatten(U.tree_flatten({"m": [{"w": 1, "b": [2, 3]}, {"w": 4}], "n": "x"}))',
    () => utils.treeUnflatten(utils.treeFlatten({ m: [{ w: 1, b: [2, 3] }, { w: 4 }], n: 'x' })),
  ],

  // tree_reduce
  [
    'treeReduce docstring',
    'U.tree_reduce(lambda acc, x: acc + x, {"a": [1, 2, 3], "b": [4, 5]}, 0)',
    () => utils.treeReduce(add, { a: [1, 2, 3], b: [4, 5] }, 0),
  ],
  [
    'treeReduce without initializer',
    'U.tree_reduce(lambda acc, x: acc * 10 + x, {"a": [1, 2, 3], "b": (4, 5)})',
    () => utils.treeReduce((acc: number, x: number) => acc * 10 + x, { a: [1, 2, 3], b: [4, 5] }),
  ],
  [
    'treeReduce order of leaves',
    'U.tree_reduce(lambda acc, x: acc + [x], {"z": 1, "a": [2, {"y": 3, "b": 4}]}, [])',
    () => utils.treeReduce((acc: unknown[], x: unknown) => [...acc, x], { z: 1, a: [2, { y: 3, b: 4 }] }, []),
  ],
  ['treeReduce empty tree', 'U.tree_reduce(lambda acc, x: acc + x, [])', () => utils.treeReduce(add, [], null)],
  ['treeReduce leaf root', 'U.tree_reduce(lambda acc, x: acc + x, 5, 1)', () => utils.treeReduce(add, 5, 1)],
  [
    'treeReduce None accumulator takes the next leaf',
    'U.tree_reduce(lambda acc, x: None if x == 2 else acc + x, [1, 2, 3, 4])',
    () => utils.treeReduce((acc: number, x: number) => (x === 2 ? null : acc + x), [1, 2, 3, 4]),
  ],
  [
    'treeReduce isLeaf',
    'U.tree_reduce(lambda acc, x: acc + len(x), [[1, 2], [[3], [4, 5, 6]]], 0, lambda n: isinstance(n, list) and not any(isinstance(e, list) for e in n))',
    () =>
      utils.treeReduce(
        (acc: number, x: unknown[]) => acc + x.length,
        [
          [1, 2],
          [[3], [4, 5, 6]],
        ],
        0,
        innermostList,
      ),
  ],
  [
    'treeReduce isLeaf option',
    'U.tree_reduce(lambda acc, x: acc + len(x), [[1, 2], [3]], is_leaf=lambda n: isinstance(n, list) and not any(isinstance(e, list) for e in n), initializer=0)',
    () => utils.treeReduce((acc: number, x: unknown[]) => acc + x.length, [[1, 2], [3]], 0, { isLeaf: innermostList }),
  ],
  [
    'treeReduce isLeaf root without initializer',
    'U.tree_reduce(lambda acc, x: 0, [1, 2], None, lambda n: isinstance(n, list))',
    () =>
      utils.treeReduce(
        () => 0,
        [1, 2],
        null,
        (n: unknown) => Array.isArray(n),
      ),
  ],

  // tree_merge
  [
    'treeMerge dicts',
    'U.tree_merge({"a": 0, "c": {"x": 1}}, {"b": 1, "c": {"y": 2}})',
    () => utils.treeMerge({ a: 0, c: { x: 1 } }, { b: 1, c: { y: 2 } }),
  ],
  [
    'treeMerge lists of different lengths',
    'U.tree_merge([1, None], [None, 2, 3])',
    () => utils.treeMerge([1, null], [null, 2, 3]),
  ],
  ['treeMerge tuple and list', 'U.tree_merge((1, None), [None, (2,)])', () => utils.treeMerge([1, null], [null, [2]])],
  [
    'treeMerge with mergeFn',
    'U.tree_merge({"a": 1, "b": [1]}, {"a": 2, "b": [None, 2]}, lambda x, y: x + y)',
    () => utils.treeMerge({ a: 1, b: [1] }, { a: 2, b: [null, 2] }, add),
  ],
  [
    'treeMerge mergeFn option',
    'U.tree_merge({"a": 1}, {"a": 2}, merge_fn=lambda x, y: [x, y])',
    () => utils.treeMerge({ a: 1 }, { a: 2 }, { mergeFn: (x: unknown, y: unknown) => [x, y] }),
  ],
  [
    'treeMerge empty containers are missing subtrees',
    'U.tree_merge({"a": [], "b": {"c": 1}}, {"a": [1], "b": {}})',
    () => utils.treeMerge({ a: [], b: { c: 1 } }, { a: [1], b: {} }),
  ],
  ['treeMerge two empty lists', 'U.tree_merge([], [])', () => utils.treeMerge([], [])],
  ['treeMerge two empty dicts', 'U.tree_merge({}, {})', () => utils.treeMerge({}, {})],
  ['treeMerge empty list with empty dict', 'U.tree_merge([], {})', () => utils.treeMerge([], {})],
  ['treeMerge None and None', 'U.tree_merge(None, None)', () => utils.treeMerge(null, null)],
  [
    'treeMerge None and None with mergeFn',
    'U.tree_merge(None, None, lambda x, y: "both none")',
    () => utils.treeMerge(null, null, () => 'both none'),
  ],
  ['treeMerge list with dict', 'U.tree_merge([1], {"a": 1})', () => utils.treeMerge([1], { a: 1 })],
  [
    'treeMerge list with dict with mergeFn',
    'U.tree_merge([1], {"a": 1}, lambda x, y: "clash")',
    () => utils.treeMerge([1], { a: 1 }, () => 'clash'),
  ],
  [
    'treeMerge leaf with subtree',
    'U.tree_merge({"a": 1}, {"a": {"b": 2}})',
    () => utils.treeMerge({ a: 1 }, { a: { b: 2 } }),
  ],

  // Maps are dicts (JS only; the Python side is the equivalent dict)
  [
    'Map: treeFlatten',
    'U.tree_flatten({"a": 1, "b": [2, {"c": 3}]})',
    () =>
      utils.treeFlatten(
        new Map<string, unknown>([
          ['a', 1],
          ['b', [2, new Map([['c', 3]])]],
        ]),
      ),
  ],
  [
    'Map: treeMapWithPath',
    'U.tree_map_with_path(lambda p, x: p, {"a": 1, "b": [2]})',
    () =>
      toPlain(
        utils.treeMapWithPath(
          (p: string) => p,
          new Map<string, unknown>([
            ['a', 1],
            ['b', [2]],
          ]),
        ),
      ),
  ],
  [
    'Map: treeMap with a rest plain object',
    'U.tree_map(lambda x, y: x + y, {"a": 1}, {"a": 2})',
    () => toPlain(utils.treeMap(add, new Map([['a', 1]]), { a: 2 })),
  ],
  [
    'Map: treeReduce',
    'U.tree_reduce(lambda acc, x: acc + x, {"a": 1, "b": [2, 3]})',
    () =>
      utils.treeReduce(
        add,
        new Map<string, unknown>([
          ['a', 1],
          ['b', [2, 3]],
        ]),
      ),
  ],
  [
    'Map: treeUnflatten',
    'U.tree_unflatten({"a.0": 1, "a.1": 2})',
    () =>
      utils.treeUnflatten(
        new Map([
          ['a.0', 1],
          ['a.1', 2],
        ]),
      ),
  ],
  [
    'Map: treeMerge',
    'U.tree_merge({"a": 1}, {"b": 2})',
    () => toPlain(utils.treeMerge(new Map([['a', 1]]), new Map([['b', 2]]))),
  ],
];

/** Maps -> plain objects, to compare with Python's dicts. */
function toPlain(x: unknown): unknown {
  if (x instanceof Map) return Object.fromEntries([...x].map(([k, v]) => [k, toPlain(v)]));
  if (Array.isArray(x)) return x.map(toPlain);
  return x;
}

describe('mlx.utils against Python (plain values)', () => {
  const expected = pyEach(
    CASES.map(([, e]) => e),
    {},
    'import mlx.utils as U',
  );

  CASES.forEach(([name, expr, js], i) => {
    test(name, () => {
      const exp = expected[i];
      if (isPyError(exp)) {
        assertThrowsLike(js, exp.$error, `${expr} raised ${exp.$error}`);
      } else {
        assert.deepStrictEqual(js(), exp, expr);
      }
    });
  });

  // Key order is part of the result for flattening (Python dicts keep insertion order).
  test('treeFlatten keeps Python order of keys', () => {
    const i = CASES.findIndex(([n]) => n === 'treeFlatten destination dict');
    const got = utils.treeFlatten({ a: { b: 1 }, c: [2, [3]] }, { destination: {} });
    assert.deepStrictEqual(Object.keys(got), Object.keys(expected[i] as object));
  });
});

// ---------------------------------------------------------------------------
// JS-side behaviour with no Python counterpart to compare (the spelling of the
// options, identity of leaves).

describe('mlx.utils JS specifics', () => {
  test('treeMap returns new containers and passes leaves through', () => {
    const a = mx.array([1, 2]);
    const tree = { x: [a, 3] };
    const out = utils.treeMap((v: unknown) => v, tree);
    assert.notEqual(out, tree);
    assert.notEqual(out.x, tree.x);
    assert.equal(out.x[0], a);
  });

  test('class instances are leaves', () => {
    class Box {
      constructor(public v: number) {}
    }
    const b = new Box(1);
    assert.deepStrictEqual(utils.treeFlatten({ b }), [['b', b]]);
    assert.equal(
      utils.treeMap((x: unknown) => x, b),
      b,
    );
  });

  test('treeFlatten destination Map and options/positional forms agree', () => {
    const tree = { m: [{ w: 1 }, { w: 2 }] };
    const dest = new Map<string, unknown>();
    assert.equal(utils.treeFlatten(tree, { destination: dest }), dest);
    assert.deepStrictEqual(
      [...dest],
      [
        ['m.0.w', 1],
        ['m.1.w', 2],
      ],
    );
    assert.deepStrictEqual(utils.treeFlatten(tree, '.p', null, []), utils.treeFlatten(tree, { prefix: '.p' }));
    assert.throws(() => utils.treeFlatten(tree, { prefx: '.p' } as never), TypeError);
  });

  test('treeFlatten destination list is appended to and returned', () => {
    const dest: Array<[string, any]> = [['z', 0]];
    assert.equal(utils.treeFlatten([1], { destination: dest }), dest);
    assert.deepStrictEqual(dest, [
      ['z', 0],
      ['0', 1],
    ]);
  });

  test('treeReduce without initializer on an empty tree gives undefined', () => {
    assert.equal(utils.treeReduce(add, []), undefined);
    assert.equal(utils.treeReduce(add, {}, 'init'), 'init');
  });

  test('treeUnflatten rejects malformed input', () => {
    assert.throws(() => utils.treeUnflatten([['a', 1, 2]] as never), TypeError);
    assert.throws(() => utils.treeUnflatten([[1, 1]] as never), TypeError);
    assert.throws(() => utils.treeUnflatten('a.b' as never), TypeError);
    assert.throws(() => utils.treeUnflatten([['99999999999', 1]]), RangeError);
  });

  test('non-function fn / isLeaf / mergeFn are TypeErrors', () => {
    assert.throws(() => utils.treeMap(3 as never, [1]), TypeError);
    assert.throws(() => utils.treeMap((x: unknown) => x, [1], { isLeaf: 3 as never }), TypeError);
    assert.throws(() => utils.treeReduce(add, [1], 0, { isLeaf: 'x' as never }), TypeError);
    assert.throws(() => utils.treeMerge(1, 2, { mergeFn: 'x' as never }), TypeError);
  });

  test('treeMerge shares subtrees present in only one tree', () => {
    const sub = { w: 1 };
    const out = utils.treeMerge({ a: sub }, { b: 2 });
    assert.equal(out.a, sub);
  });
});

// ---------------------------------------------------------------------------
// Model-like trees of mx.arrays: the paths of treeFlatten / treeMapWithPath
// and the trees treeUnflatten rebuilds are Python's.

describe('model-like trees against Python', () => {
  const arr = (n: number, start: number, dtype = mx.float32) => mx.arange(start, start + n, 1, dtype);
  const model = {
    embed: { weight: arr(6, 0).reshape(3, 2) },
    layers: [0, 1, 2].map((i) => ({
      attn: { wq: { weight: arr(4, 10 * i).reshape(2, 2), bias: arr(2, 10 * i + 5) } },
      mlp: [{ weight: arr(4, 100 + i, mx.float16).reshape(2, 2), bias: arr(2, 200 + i) }, { weight: arr(2, 300 + i) }],
    })),
    norm: { weight: arr(2, 7, mx.int32), eps: 1e-5 },
  };

  const r = py<{
    keys: string[];
    values: array[];
    paths: unknown;
    destKeys: string[];
    unflatPaths: unknown;
    doubled: unknown;
    size: number;
    nn: unknown;
    nnKeys: string[];
    nnUnflatPaths: unknown;
    nnMergedKeys: string[];
  }>(
    `
import mlx.utils as U
import mlx.nn as nn
flat = U.tree_flatten(model)
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.Linear(2, 2)
        self.act = nn.ReLU()
        self.mlp = [nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2, bias=False)]
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(4, 2)
        self.layers = [Block() for _ in range(2)]
        self.norm = nn.RMSNorm(2)
net = Net()
nnp = net.parameters()
nn_flat = U.tree_flatten(nnp)
first = U.tree_unflatten([(k, v) for k, v in nn_flat if k.startswith("layers.0")])
rest = U.tree_unflatten([(k, v) for k, v in nn_flat if not k.startswith("layers.0")])
out = {
  "keys": [k for k, _ in flat],
  "values": [v for _, v in flat],
  "paths": U.tree_map_with_path(lambda p, x: p, model),
  "destKeys": list(U.tree_flatten(model, prefix=".model", destination={}).keys()),
  "unflatPaths": U.tree_map_with_path(lambda p, x: p, U.tree_unflatten(flat)),
  "doubled": U.tree_map(lambda x: x * 2, model),
  "size": U.tree_reduce(lambda acc, x: acc + (x.size if isinstance(x, mx.array) else 1), model, 0),
  "nn": nnp,
  "nnKeys": [k for k, _ in nn_flat],
  "nnUnflatPaths": U.tree_map_with_path(lambda p, x: p, U.tree_unflatten(nn_flat)),
  "nnMergedKeys": [k for k, _ in U.tree_flatten(U.tree_merge(first, rest))],
}
`,
    { model },
  );

  test('treeFlatten paths and leaves', () => {
    const flat = utils.treeFlatten(model);
    assert.deepStrictEqual(
      flat.map(([k]) => k),
      r.keys,
    );
    assert.equal(flat.length, r.values.length);
    flat.forEach(([k, v], i) => {
      if (v instanceof mx.array) assertSameArray(v as array, r.values[i], k);
      else assert.equal(v, r.values[i], k);
    });
    // The leaves are the tree's own objects.
    assert.equal(flat.find(([k]) => k === 'layers.1.mlp.0.weight')![1], model.layers[1].mlp[0].weight);
  });

  test('treeFlatten with prefix into a dict', () => {
    const dest = utils.treeFlatten(model, { prefix: '.model', destination: {} as Record<string, unknown> });
    assert.deepStrictEqual(Object.keys(dest), r.destKeys);
    assert.equal(dest['model.norm.weight'], model.norm.weight);
  });

  test('treeMapWithPath paths', () => {
    assert.deepStrictEqual(
      utils.treeMapWithPath((p: string) => p, model),
      r.paths,
    );
  });

  test('treeUnflatten(treeFlatten(model)) rebuilds the model', () => {
    const rebuilt = utils.treeUnflatten(utils.treeFlatten(model));
    assert.deepStrictEqual(
      utils.treeMapWithPath((p: string) => p, rebuilt),
      r.unflatPaths,
    );
    assert.ok(Array.isArray(rebuilt.layers) && Array.isArray(rebuilt.layers[0].mlp));
    assert.equal(rebuilt.layers[2].attn.wq.bias, model.layers[2].attn.wq.bias);
  });

  test('treeMap over arrays', () => {
    const doubled = utils.treeMap(
      (x: unknown) => (x instanceof mx.array ? mx.multiply(x as array, 2) : (x as number) * 2),
      model,
    );
    const got = utils.treeFlatten(doubled);
    const exp = utils.treeFlatten(r.doubled);
    assert.deepStrictEqual(
      got.map(([k]) => k),
      exp.map(([k]) => k),
    );
    got.forEach(([k, v], i) => {
      if (v instanceof mx.array) assertSameArray(v as array, exp[i][1] as array, k);
      else assert.equal(v, exp[i][1], k);
    });
  });

  test('treeReduce over arrays', () => {
    assert.equal(
      utils.treeReduce((acc: number, x: unknown) => acc + (x instanceof mx.array ? (x as array).size : 1), model, 0),
      r.size,
    );
  });

  test('nn.Module parameters: paths, and unflatten fills the parameterless layers with {}', () => {
    const flat = utils.treeFlatten(r.nn);
    assert.deepStrictEqual(
      flat.map(([k]) => k),
      r.nnKeys,
    );
    const rebuilt = utils.treeUnflatten(flat);
    assert.deepStrictEqual(
      utils.treeMapWithPath((p: string) => p, rebuilt),
      r.nnUnflatPaths,
    );
    // ReLU has no parameters: Python's tree_unflatten puts {} at layers.0.mlp.1.
    assert.deepStrictEqual(rebuilt.layers[0].mlp[1], {});
  });

  test('nn.Module parameters: merging two halves restores the paths', () => {
    const flat = utils.treeFlatten(r.nn);
    const first = utils.treeUnflatten(flat.filter(([k]) => k.startsWith('layers.0')));
    const rest = utils.treeUnflatten(flat.filter(([k]) => !k.startsWith('layers.0')));
    const merged = utils.treeFlatten(utils.treeMerge(first, rest));
    // Python's tree_merge orders dict keys by a set; compare as sets, then against Python's.
    assert.deepStrictEqual(merged.map(([k]) => k).sort(), [...r.nnMergedKeys].sort());
    assert.deepStrictEqual(merged.map(([k]) => k).sort(), [...r.nnKeys].sort());
  });
});
