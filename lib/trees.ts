// The one set of tree rules used across the package (eval, dispose, tidy,
// and the transforms/utils built on them): a tree is a JS Array, a plain
// object ({...} or Object.create(null)) or a Map, nested arbitrarily; anything
// else — an mx.array, a number, a string, null — is a leaf. eval, dispose,
// tidy and the transforms also walk TREE_NODE objects (nn.Module: Python's
// Module is a dict), through their member keys.

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** The leaves of a tree, depth first, in key order; modules (TREE_NODE objects) are walked too. */
export function* treeLeaves(tree: unknown): Generator<unknown> {
  if (Array.isArray(tree)) {
    for (const x of tree) yield* treeLeaves(x);
  } else if (tree instanceof Map) {
    for (const x of tree.values()) yield* treeLeaves(x);
  } else if (isObjectNode(tree)) {
    for (const k of nodeKeys(tree)) yield* treeLeaves(tree[k]);
  } else {
    yield tree;
  }
}

/**
 * Classes whose instances are trees for the transforms (Python's dict
 * subclasses) set this symbol on their prototype to a method returning the
 * instance's member keys: nn.Module does, so `mx.grad(loss)(model)` and
 * `mx.compile(step, {inputs: [model, optimizer.state]})` see the model's
 * arrays, update them in place, and give gradients as a plain object, as
 * Python does with its Module dict.
 */
export const TREE_NODE = Symbol.for('mlx-node.treeNode');

/** A plain object, or an instance of a class marked with TREE_NODE. */
export function isObjectNode(x: unknown): x is Record<string, unknown> {
  return (
    isPlainObject(x) ||
    (x !== null && typeof x === 'object' && typeof (x as Record<symbol, unknown>)[TREE_NODE] === 'function')
  );
}

/** The keys of an object node: a plain object's own keys, or what its TREE_NODE method names. */
export function nodeKeys(x: Record<string, unknown>): string[] {
  return isPlainObject(x) ? Object.keys(x) : (x as unknown as Record<symbol, () => string[]>)[TREE_NODE]();
}
