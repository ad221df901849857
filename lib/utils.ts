// mlx.utils: Python's tree utilities (tree_map, tree_flatten, ...) over JS trees.
//
// A tree follows the package's tree rules (lib/trees.ts): a JS Array stands for
// a Python list or tuple, a plain object ({...} or Object.create(null)) or a
// Map for a dict; anything else (an mx.array, a number, a string, null, a class
// instance) is a leaf. Paths are Python's dotted strings: "layers.0.weight".
//
// Python's errors map as elsewhere in the package: ValueError and
// RecursionError -> Error, TypeError -> TypeError, IndexError and KeyError (a
// rest tree without the child) -> RangeError.
import { isPlainObject } from './trees';

/** A tree: nested JS Arrays (Python lists/tuples), plain objects and Maps (dicts); anything else is a leaf. */
export type Tree = unknown;

/** Decides whether a node is a leaf (any truthy result means yes), as Python's `is_leaf`. */
export type IsLeaf = (node: any) => unknown;

/** The flat form of a tree: [path, leaf] pairs, as Python's list of (key, value) tuples. */
export type FlatTree = Array<[string, any]>;

/** Where {@link treeFlatten} may put its pairs: a list of pairs, or a dict (plain object or Map) from path to leaf. */
export type FlatDestination = FlatTree | Record<string, any> | Map<string, any>;

/** Keyword arguments of {@link treeMap}. */
export interface TreeMapOptions {
  /** Nodes for which it returns a truthy value are leaves (fn is applied to them whole). */
  isLeaf?: IsLeaf | null;
}

/** Keyword arguments of {@link treeMapWithPath}. */
export interface TreeMapWithPathOptions extends TreeMapOptions {
  /** The path of the root: prefixed to every path (with a dot) when truthy; passed as is to a leaf root. Default null. */
  path?: string | number | null;
}

/** Keyword arguments of {@link treeFlatten}. */
export interface TreeFlattenOptions<D extends FlatDestination | null = FlatDestination | null> {
  /** Prefix of every path; its first character is always dropped (Python's rule), so give ".name" for "name.…". Default ''. */
  prefix?: string | null;
  /** Nodes for which it returns a truthy value are leaves. */
  isLeaf?: IsLeaf | null;
  /** A list to append [path, leaf] pairs to, or a dict (plain object or Map) to set path → leaf in. Default: a new list. */
  destination?: D;
}

/** Keyword arguments of {@link treeReduce}. */
export interface TreeReduceOptions {
  /** Nodes for which it returns a truthy value are leaves. */
  isLeaf?: IsLeaf | null;
}

/** Keyword arguments of {@link treeMerge}. */
export interface TreeMergeOptions {
  /** Merges two leaves found at the same place (without it, such a clash is an Error). */
  mergeFn?: ((a: any, b: any) => unknown) | null;
}

// ---------------------------------------------------------------------------
// Node kinds and access

type Kind = 'list' | 'dict' | 'map' | 'leaf';

function kindOf(x: unknown): Kind {
  if (Array.isArray(x)) return 'list';
  if (x instanceof Map) return 'map';
  if (isPlainObject(x)) return 'dict';
  return 'leaf';
}

const isDictLike = (k: Kind) => k === 'dict' || k === 'map';

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return 'list';
  if (isPlainObject(x)) return 'dict';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

/** obj[k] = v, also for the key "__proto__" (which plain assignment would turn into a prototype change). */
function setKey(obj: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true });
  else obj[k] = v;
}

const hasOwn = (o: object, k: PropertyKey) => Object.prototype.hasOwnProperty.call(o, k);

/** Python's truthiness for the simple values a path can be. */
function truthy(x: unknown): boolean {
  return !(x === null || x === undefined || x === false || x === 0 || x === '' || x === 0n);
}

/** The child `key` of a rest tree `r` (Python's r[key]); `name` names the calling function. */
function childOf(r: unknown, key: string | number | unknown, which: number, name: string): unknown {
  const where = `${name}(): rest tree ${which}`;
  if (Array.isArray(r)) {
    if (typeof key !== 'number')
      throw new TypeError(`${where} is a list; it cannot be indexed by the key '${String(key)}'.`);
    if (key >= r.length) throw new RangeError(`${where}: list index ${key} out of range (length ${r.length}).`);
    return r[key];
  }
  if (r instanceof Map) {
    if (r.has(key)) return r.get(key);
    throw new RangeError(`${where} has no key ${typeof key === 'string' ? `'${key}'` : String(key)}.`);
  }
  if (isPlainObject(r)) {
    if ((typeof key === 'string' || typeof key === 'number') && hasOwn(r, String(key))) return r[String(key)];
    throw new RangeError(`${where} has no key ${typeof key === 'string' ? `'${key}'` : String(key)}.`);
  }
  throw new TypeError(
    `${where} is a ${describe(r)}, which has no child ${typeof key === 'string' ? `'${key}'` : String(key)}.`,
  );
}

/** Splits Python's `*rest, **kwargs`: the last argument is the options object when it is a plain object of only those keys. */
function splitOptions<O extends object>(args: unknown[], keys: readonly string[]): [unknown[], O] {
  const last = args[args.length - 1];
  if (args.length > 0 && isPlainObject(last)) {
    const ks = Object.keys(last);
    if (ks.length > 0 && ks.every((k) => keys.includes(k))) return [args.slice(0, -1), last as O];
  }
  return [args, {} as O];
}

function checkIsLeaf(isLeaf: unknown, name: string): IsLeaf | null {
  if (isLeaf === undefined || isLeaf === null) return null;
  if (typeof isLeaf !== 'function')
    throw new TypeError(`${name}(): argument 'isLeaf' must be a function or null, got ${describe(isLeaf)}.`);
  return isLeaf as IsLeaf;
}

// ---------------------------------------------------------------------------
// treeMap / treeMapWithPath

function mapTree(
  fn: (...args: any[]) => unknown,
  tree: unknown,
  rest: unknown[],
  isLeaf: IsLeaf | null,
  withPath: boolean,
  path: unknown,
  name: string,
): unknown {
  const kind = isLeaf !== null && isLeaf(tree) ? 'leaf' : kindOf(tree);
  if (kind === 'leaf') return withPath ? fn(path, tree, ...rest) : fn(tree, ...rest);
  const prefix = withPath && truthy(path) ? `${String(path)}.` : '';
  const sub = (child: unknown, key: unknown, seg: string) =>
    mapTree(
      fn,
      child,
      rest.map((r, j) => childOf(r, key, j + 1, name)),
      isLeaf,
      withPath,
      withPath ? prefix + seg : undefined,
      name,
    );
  if (kind === 'list') {
    const list = tree as unknown[];
    const out = new Array<unknown>(list.length);
    for (let i = 0; i < list.length; i++) out[i] = sub(list[i], i, String(i));
    return out;
  }
  if (kind === 'map') {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of tree as Map<unknown, unknown>) out.set(k, sub(v, k, String(k)));
    return out;
  }
  const obj = tree as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) setKey(out, k, sub(obj[k], k, k));
  return out;
}

/**
 * Applies `fn` to the leaves of `tree` and returns a tree of the same structure with the results (Python's
 * `mlx.utils.tree_map`).
 *
 * Extra trees in `rest` must each have (at least) the structure of `tree`; their corresponding nodes are passed to
 * `fn` as extra arguments, like `itertools.starmap`. A node for which `isLeaf` returns a truthy value is passed
 * to `fn` whole. A rest tree lacking a child of `tree` is a RangeError (Python's IndexError/KeyError), one of
 * another kind a TypeError.
 *
 * The options object is recognised as the LAST argument when it is a plain object with only the key `isLeaf`;
 * any other trailing object is a rest tree.
 *
 * @example
 *   utils.treeMap((x) => x + 1, { a: 0, b: [1, 2] });            // { a: 1, b: [2, 3] }
 *   utils.treeMap((x, y) => mx.add(x, y), params, grads);         // leafwise sum
 *   utils.treeMap((x) => x.length, [[1, 2], [3]], { isLeaf: (n) => Array.isArray(n) && !Array.isArray(n[0]) });
 * @param fn - Called with each leaf of `tree`, then the corresponding nodes of the rest trees.
 * @param tree - The tree whose structure the result has.
 * @param options - `{isLeaf}`; further trees to iterate together with `tree` may come before it (the rest overload).
 * @returns A new tree (new arrays, plain objects, Maps) holding `fn`'s results.
 */
export function treeMap(fn: (...leaves: any[]) => unknown, tree: Tree, options?: TreeMapOptions): any;
export function treeMap(fn: (...leaves: any[]) => unknown, tree: Tree, ...rest: unknown[]): any;
export function treeMap(fn: (...leaves: any[]) => unknown, tree: Tree, ...rest: unknown[]): any {
  if (typeof fn !== 'function')
    throw new TypeError(`treeMap(): argument 'fn' must be a function, got ${describe(fn)}.`);
  const [trees, opts] = splitOptions<TreeMapOptions>(rest, ['isLeaf']);
  return mapTree(fn, tree, trees, checkIsLeaf(opts.isLeaf, 'treeMap'), false, undefined, 'treeMap');
}

/**
 * Applies `fn` to the path and the leaves of `tree` and returns a tree of the same structure with the results
 * (Python's `mlx.utils.tree_map_with_path`).
 *
 * Like {@link treeMap}, but `fn` receives the leaf's dotted path first ("model.0.w"). The path of the root is
 * `options.path` (default null): when truthy it prefixes every path, and a root that is itself a leaf receives it
 * unchanged.
 *
 * The options object is recognised as the LAST argument when it is a plain object with only the keys `isLeaf`
 * and `path`; any other trailing object is a rest tree.
 *
 * @example
 *   utils.treeMapWithPath((path, x) => path, { model: [{ w: 0, b: 1 }] });  // { model: [{ w: 'model.0.w', b: 'model.0.b' }] }
 * @param fn - Called with the path, each leaf of `tree`, then the corresponding nodes of the rest trees.
 * @param tree - The tree whose structure the result has.
 * @param options - `{isLeaf, path}`; further trees to iterate together with `tree` may come before it (the rest overload).
 * @returns A new tree holding `fn`'s results.
 */
export function treeMapWithPath(
  fn: (path: any, ...leaves: any[]) => unknown,
  tree: Tree,
  options?: TreeMapWithPathOptions,
): any;
export function treeMapWithPath(fn: (path: any, ...leaves: any[]) => unknown, tree: Tree, ...rest: unknown[]): any;
export function treeMapWithPath(fn: (path: any, ...leaves: any[]) => unknown, tree: Tree, ...rest: unknown[]): any {
  if (typeof fn !== 'function')
    throw new TypeError(`treeMapWithPath(): argument 'fn' must be a function, got ${describe(fn)}.`);
  const [trees, opts] = splitOptions<TreeMapWithPathOptions>(rest, ['isLeaf', 'path']);
  const isLeaf = checkIsLeaf(opts.isLeaf, 'treeMapWithPath');
  return mapTree(fn, tree, trees, isLeaf, true, opts.path ?? null, 'treeMapWithPath');
}

// ---------------------------------------------------------------------------
// treeFlatten / treeUnflatten

/**
 * Flattens a tree into [path, leaf] pairs with dotted paths (Python's `mlx.utils.tree_flatten`).
 *
 * The paths join the keys and list indices from the root: `{layers: [{weight: w}]}` gives
 * `[['layers.0.weight', w]]`; a leaf root gives `[['', leaf]]`. Leaves come depth first, in key order. As in
 * Python, the first character of `prefix` is dropped (`'.model'` prefixes paths with `model.`). With a
 * `destination` dict (plain object or Map) the pairs are set in it as path → leaf instead, and it is returned;
 * with a destination list they are appended to it. Dict keys should not contain dots, or
 * {@link treeUnflatten} cannot invert the result.
 *
 * Python's positional order `treeFlatten(tree, prefix, isLeaf, destination)` and the options object
 * `treeFlatten(tree, {prefix, isLeaf, destination})` are both accepted.
 *
 * @example
 *   utils.treeFlatten([[[0]]]);                            // [['0.0.0', 0]]
 *   utils.treeFlatten([[[0]]], { prefix: '.hello' });      // [['hello.0.0.0', 0]]
 *   utils.treeFlatten({ a: { b: 1 } }, { destination: {} }); // { 'a.b': 1 }
 * @param tree - The tree to flatten.
 * @param options - `prefix`: prefix of the paths, first character dropped (default ''); `isLeaf`: nodes for
 *   which it returns a truthy value are leaves; `destination`: a list or a dict to put the result in (default: a
 *   new list). The same three may be given positionally, in Python's order.
 * @returns The list of [path, leaf] pairs, or `destination`.
 */
export function treeFlatten<D extends Record<string, any> | Map<string, any>>(
  tree: Tree,
  options: TreeFlattenOptions<D> & { destination: D },
): D;
export function treeFlatten(tree: Tree, options?: TreeFlattenOptions<FlatTree | null>): FlatTree;
export function treeFlatten<D extends Record<string, any> | Map<string, any>>(
  tree: Tree,
  prefix: string | null | undefined,
  isLeaf: IsLeaf | null | undefined,
  destination: D,
): D;
export function treeFlatten(
  tree: Tree,
  prefix?: string | null,
  isLeaf?: IsLeaf | null,
  destination?: FlatTree | null,
): FlatTree;
export function treeFlatten(
  tree: Tree,
  prefix?: string | null | TreeFlattenOptions,
  isLeaf?: IsLeaf | null,
  destination?: FlatDestination | null,
): FlatTree | Record<string, any> | Map<string, any> {
  let opts: TreeFlattenOptions;
  if (isPlainObject(prefix)) {
    const bad = Object.keys(prefix).filter((k) => !['prefix', 'isLeaf', 'destination'].includes(k));
    if (bad.length)
      throw new TypeError(`treeFlatten(): unexpected option '${bad[0]}' (expected prefix, isLeaf, destination).`);
    if (isLeaf != null || destination != null)
      throw new TypeError('treeFlatten(): give the options object alone, or the arguments positionally.');
    opts = prefix as TreeFlattenOptions;
  } else {
    opts = { prefix: prefix as string | null | undefined, isLeaf, destination };
  }
  const pre = opts.prefix ?? '';
  if (typeof pre !== 'string')
    throw new TypeError(`treeFlatten(): argument 'prefix' must be a string, got ${describe(pre)}.`);
  const leafFn = checkIsLeaf(opts.isLeaf, 'treeFlatten');
  const dest = opts.destination ?? [];
  let add: (path: string, leaf: unknown) => void;
  if (Array.isArray(dest)) add = (p, v) => void dest.push([p, v]);
  else if (dest instanceof Map) add = (p, v) => void dest.set(p, v);
  else if (isPlainObject(dest)) add = (p, v) => setKey(dest, p, v);
  else
    throw new Error(
      'treeFlatten(): destination should be either a list or a dictionary (plain object or Map) or null.',
    );
  flattenInto(tree, pre, leafFn, add);
  return dest;
}

function flattenInto(
  tree: unknown,
  prefix: string,
  isLeaf: IsLeaf | null,
  add: (path: string, leaf: unknown) => void,
): void {
  const kind = isLeaf !== null && isLeaf(tree) ? 'leaf' : kindOf(tree);
  if (kind === 'list') {
    const list = tree as unknown[];
    for (let i = 0; i < list.length; i++) flattenInto(list[i], `${prefix}.${i}`, isLeaf, add);
  } else if (kind === 'map') {
    for (const [k, v] of tree as Map<unknown, unknown>) flattenInto(v, `${prefix}.${String(k)}`, isLeaf, add);
  } else if (kind === 'dict') {
    const obj = tree as Record<string, unknown>;
    for (const k of Object.keys(obj)) flattenInto(obj[k], `${prefix}.${k}`, isLeaf, add);
  } else {
    add(prefix.slice(1), tree);
  }
}

/** Python's int(s) for a list index: surrounding whitespace, a sign, digits with single underscores between. */
function parseIndex(s: string): bigint | null {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(s);
  if (!m) return null;
  const v = BigInt(m[2].replace(/_/g, ''));
  return m[1] === '-' ? -v : v;
}

const MAX_LIST = 2 ** 32 - 1;

function unflatten(items: Array<[string, unknown]>, where: string): unknown {
  if (items.length === 1 && items[0][0] === '') return items[0][1];
  if (items.length > 1 && items.every(([k]) => k === '')) {
    // Python recurses forever here (RecursionError).
    throw new Error(`treeUnflatten(): ${items.length} values for the same path '${where}'.`);
  }
  const children = new Map<string, Array<[string, unknown]>>();
  for (const [key, value] of items) {
    const dot = key.indexOf('.');
    const head = dot < 0 ? key : key.slice(0, dot);
    const tail = dot < 0 ? '' : key.slice(dot + 1);
    let group = children.get(head);
    if (group === undefined) children.set(head, (group = []));
    group.push([tail, value]);
  }
  const sub = (head: string) => unflatten(children.get(head)!, where ? `${where}.${head}` : head);

  // A list when every key is an integer, and no two spell the same integer ("1" and "01").
  const indices = new Map<bigint, string>();
  let isList = true;
  for (const head of children.keys()) {
    const i = parseIndex(head);
    if (i === null) {
      isList = false;
      break;
    }
    indices.set(i, head);
  }
  if (isList && indices.size === children.size) {
    const out: unknown[] = [];
    const sorted = [...indices].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [i, head] of sorted) {
      if (i > BigInt(out.length)) {
        if (i >= BigInt(MAX_LIST)) throw new RangeError(`treeUnflatten(): list index ${i} at '${where}' is too large.`);
        // Python fills the gaps of a list with empty dicts.
        while (out.length < Number(i)) out.push({});
      }
      out.push(sub(head));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const head of children.keys()) setKey(out, head, sub(head));
  return out;
}

/**
 * Rebuilds a tree from its flat form (Python's `mlx.utils.tree_unflatten`), the inverse of {@link treeFlatten}.
 *
 * `flat` is a list of [path, value] pairs, or a dict (plain object or Map) from path to value. The paths are
 * split at dots; a level whose keys are all integers becomes a list ordered by index, with any missing indices
 * filled with empty objects `{}` as Python does; any other level becomes a plain object. A single pair with the
 * empty path is the tree itself; an empty input gives `[]`. The same path given twice is an Error (Python
 * recurses until RecursionError).
 *
 * @example
 *   utils.treeUnflatten([['hello.world', 42]]);              // { hello: { world: 42 } }
 *   utils.treeUnflatten({ 'layers.0.w': a, 'layers.1.w': b }); // { layers: [{ w: a }, { w: b }] }
 * @param flat - The [path, value] pairs, or a dict from path to value.
 * @returns The tree: nested JS arrays and plain objects with the values as leaves.
 */
export function treeUnflatten(flat: FlatTree | Record<string, any> | Map<string, any>): any {
  let items: Array<[string, unknown]>;
  if (Array.isArray(flat)) {
    items = flat.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(
          `treeUnflatten(): item ${i} must be a [path, value] pair, got ${describe(pair)}${Array.isArray(pair) ? ` of length ${pair.length}` : ''}.`,
        );
      }
      return pair as [string, unknown];
    });
  } else if (flat instanceof Map) {
    items = [...flat];
  } else if (isPlainObject(flat)) {
    items = Object.keys(flat).map((k) => [k, flat[k]]);
  } else {
    throw new TypeError(
      `treeUnflatten(): argument 'flat' must be a list of [path, value] pairs or a dict, got ${describe(flat)}.`,
    );
  }
  for (const [k] of items) {
    if (typeof k !== 'string') throw new TypeError(`treeUnflatten(): paths must be strings, got ${describe(k)}.`);
  }
  return unflatten(items, '');
}

// ---------------------------------------------------------------------------
// treeReduce

function reduceTree(fn: (acc: any, leaf: any) => unknown, tree: unknown, acc: unknown, isLeaf: IsLeaf | null): unknown {
  const kind = isLeaf !== null && isLeaf(tree) ? 'leaf' : kindOf(tree);
  if (kind === 'leaf') return acc === null || acc === undefined ? tree : fn(acc, tree);
  if (kind === 'list') for (const x of tree as unknown[]) acc = reduceTree(fn, x, acc, isLeaf);
  else if (kind === 'map')
    for (const x of (tree as Map<unknown, unknown>).values()) acc = reduceTree(fn, x, acc, isLeaf);
  else
    for (const k of Object.keys(tree as object))
      acc = reduceTree(fn, (tree as Record<string, unknown>)[k], acc, isLeaf);
  return acc;
}

/**
 * Reduces the leaves of a tree to one value (Python's `mlx.utils.tree_reduce`).
 *
 * Visits the leaves depth first, in key order, as `acc = fn(acc, leaf)`. Without an `initializer` (null or
 * undefined, Python's None) the first leaf is the initial accumulator; as in Python, whenever the accumulator is
 * null or undefined the next leaf replaces it instead of being passed to `fn`. An empty tree gives `initializer`.
 *
 * `isLeaf` is the fourth argument, as a function or as the options object `{isLeaf}`. `initializer` is always
 * positional (it may itself be a plain object), so Python's `tree_reduce(fn, tree, is_leaf=f)` is
 * `treeReduce(fn, tree, null, {isLeaf: f})`.
 *
 * @example
 *   utils.treeReduce((acc, x) => acc + x, { a: [1, 2, 3], b: [4, 5] }, 0);  // 15
 *   utils.treeReduce((acc, x) => mx.add(acc, mx.sum(x)), params, 0);
 * @param fn - The reducer: (accumulator, leaf) => new accumulator.
 * @param tree - The tree to reduce.
 * @param initializer - The initial accumulator (default: the first leaf).
 * @param isLeaf - Nodes for which it returns a truthy value are leaves (or `{isLeaf}`).
 * @returns The accumulated value.
 */
export function treeReduce(
  fn: (acc: any, leaf: any) => unknown,
  tree: Tree,
  initializer?: unknown,
  isLeaf?: IsLeaf | TreeReduceOptions | null,
): any {
  if (typeof fn !== 'function')
    throw new TypeError(`treeReduce(): argument 'fn' must be a function, got ${describe(fn)}.`);
  let leafFn: unknown = isLeaf;
  if (isPlainObject(isLeaf)) {
    const bad = Object.keys(isLeaf).filter((k) => k !== 'isLeaf');
    if (bad.length) throw new TypeError(`treeReduce(): unexpected option '${bad[0]}' (expected isLeaf).`);
    leafFn = isLeaf.isLeaf;
  }
  return reduceTree(fn, tree, initializer, checkIsLeaf(leafFn, 'treeReduce'));
}

// ---------------------------------------------------------------------------
// treeMerge

function sizeOf(x: unknown, kind: Kind): number {
  if (kind === 'list') return (x as unknown[]).length;
  if (kind === 'map') return (x as Map<unknown, unknown>).size;
  if (kind === 'dict') return Object.keys(x as object).length;
  return -1;
}

function dictKeys(x: unknown, kind: Kind): unknown[] {
  return kind === 'map' ? [...(x as Map<unknown, unknown>).keys()] : Object.keys(x as object);
}

function dictGet(x: unknown, kind: Kind, k: unknown): unknown {
  if (kind === 'map') return (x as Map<unknown, unknown>).has(k) ? (x as Map<unknown, unknown>).get(k) : null;
  return (typeof k === 'string' || typeof k === 'number') && hasOwn(x as object, String(k))
    ? (x as Record<string, unknown>)[String(k)]
    : null;
}

function mergeTrees(a: unknown, b: unknown, mergeFn: ((a: any, b: any) => unknown) | null): unknown {
  let ka = kindOf(a);
  let kb = kindOf(b);
  const emptyA = sizeOf(a, ka) === 0;
  const emptyB = sizeOf(b, kb) === 0;
  if (emptyA && emptyB) {
    if ((ka === 'list') !== (kb === 'list')) {
      throw new Error(
        `treeMerge(): cannot merge ${ka === 'list' ? 'list' : 'dict'} with ${kb === 'list' ? 'list' : 'dict'}.`,
      );
    }
    return ka === 'list' ? [] : ka === 'map' ? new Map() : {};
  }
  // Empty containers count as missing subtrees.
  if (emptyA) {
    a = null;
    ka = 'leaf';
  }
  if (emptyB) {
    b = null;
    kb = 'leaf';
  }
  const noneA = a === null || a === undefined;
  const noneB = b === null || b === undefined;
  if (noneA && !noneB) return b;
  if (!noneA && noneB) return a;

  if (ka === 'list' && kb === 'list') {
    const la = a as unknown[];
    const lb = b as unknown[];
    const out = new Array<unknown>(Math.max(la.length, lb.length));
    for (let i = 0; i < out.length; i++)
      out[i] = mergeTrees(i < la.length ? la[i] : null, i < lb.length ? lb[i] : null, mergeFn);
    return out;
  }
  if (isDictLike(ka) && isDictLike(kb)) {
    // Python iterates a set of the keys (an arbitrary order); here a's keys, then b's new ones.
    const keys = dictKeys(a, ka);
    const seen = new Set(ka === 'map' ? keys : keys.map(String));
    for (const k of dictKeys(b, kb)) if (!seen.has(ka === 'map' ? k : String(k))) keys.push(k);
    if (ka === 'map') {
      const out = new Map<unknown, unknown>();
      for (const k of keys) out.set(k, mergeTrees(dictGet(a, ka, k), dictGet(b, kb, k), mergeFn));
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) setKey(out, String(k), mergeTrees(dictGet(a, ka, k), dictGet(b, kb, k), mergeFn));
    return out;
  }
  if (mergeFn === null) {
    throw new Error('treeMerge(): trees contain elements at the same locations but no merge function was provided.');
  }
  return mergeFn(a, b);
}

/**
 * Merges two trees into one holding the values of both, like a deep dict update (Python's
 * `mlx.utils.tree_merge`).
 *
 * Where only one tree has a subtree (the other has null/undefined, an empty list or object, or lacks the key or
 * index), that subtree is taken as is. Lists merge index by index (the result is as long as the longer one),
 * dicts key by key (a's keys first, then b's new ones). Anything else present in both — two leaves, a leaf and a
 * container, a list and a dict, or null in both — goes to `mergeFn(a, b)`; without one it is an Error (Python's
 * ValueError), as is merging an empty list with an empty dict.
 *
 * @example
 *   utils.treeMerge({ a: 0 }, { b: 1 });                         // { a: 0, b: 1 }
 *   utils.treeMerge({ layers: [p0] }, { layers: [null, p1] });     // { layers: [p0, p1] }
 *   utils.treeMerge({ a: 1 }, { a: 2 }, (x, y) => x + y);          // { a: 3 }
 * @param a - The first tree.
 * @param b - The second tree.
 * @param mergeFn - Merges two leaves found at the same place (or `{mergeFn}`).
 * @returns A new tree with the values of both (subtrees present in only one are shared, not copied).
 */
export function treeMerge(a: Tree, b: Tree, mergeFn?: ((a: any, b: any) => unknown) | TreeMergeOptions | null): any {
  let fn: unknown = mergeFn;
  if (isPlainObject(mergeFn)) {
    const bad = Object.keys(mergeFn).filter((k) => k !== 'mergeFn');
    if (bad.length) throw new TypeError(`treeMerge(): unexpected option '${bad[0]}' (expected mergeFn).`);
    fn = mergeFn.mergeFn;
  }
  if (fn !== undefined && fn !== null && typeof fn !== 'function') {
    throw new TypeError(`treeMerge(): argument 'mergeFn' must be a function or null, got ${describe(fn)}.`);
  }
  return mergeTrees(a, b, (fn ?? null) as ((a: any, b: any) => unknown) | null);
}
