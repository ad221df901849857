// The one set of tree rules used across the package (eval, dispose, tidy,
// and the transforms/utils built on them): a tree is a JS Array, a plain
// object ({...} or Object.create(null)) or a Map, nested arbitrarily; anything
// else — an mx.array, a number, a string, null — is a leaf.

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** Is x a tree node (not a leaf)? */
export function isTreeNode(x: unknown): boolean {
  return Array.isArray(x) || x instanceof Map || isPlainObject(x);
}

/** The leaves of a tree, depth first, in key order. */
export function* treeLeaves(tree: unknown): Generator<unknown> {
  if (Array.isArray(tree)) {
    for (const x of tree) yield* treeLeaves(x);
  } else if (tree instanceof Map) {
    for (const x of tree.values()) yield* treeLeaves(x);
  } else if (isPlainObject(tree)) {
    for (const k of Object.keys(tree)) yield* treeLeaves(tree[k]);
  } else {
    yield tree;
  }
}
