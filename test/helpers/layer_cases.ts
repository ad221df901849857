// The per-layer differential of the nn tests (nn-layers-seq, nn-distributed):
// the Python side (run_case: build the layer from a seed, optional post-step,
// parameters, trainable paths, repr, forward, nn.value_and_grad and the
// input gradient) and the JS-side comparisons, written once.
import assert from 'node:assert/strict';

import { mx, utils } from '../../lib/index';
import type { array } from '../../lib/index';
import { assertSameArray } from './mlx_tests';

/** Python source defining run_case(c) (and _tup, _loss); paste it into an oracle program. */
export const RUN_LAYER_CASE_PY = `
import functools, re
def _tup(o):
    return list(o) if isinstance(o, (tuple, list)) else [o]

def _loss(outs):
    return functools.reduce(lambda a, b: a + b, [mx.sum(o) for o in outs])

def _err(e):
    return {"$error": type(e).__name__, "message": str(e)}

def run_case(c):
    r = {}
    mx.random.seed(c["seed"])
    L = eval(c["py"])
    r["init"] = tree_flatten(L.parameters())
    if c["post"]:
        exec(c["post"], globals(), {"L": L})
    r["params"] = tree_flatten(L.parameters())
    r["trainable"] = [k for k, _ in tree_flatten(L.trainable_parameters())]
    r["repr"] = re.sub(r" at 0x[0-9a-f]+", "", repr(L))
    env = dict(c["inputs"])
    env["L"] = L
    call = lambda e: _tup(eval(c["call"], globals(), e))
    try:
        r["out"] = call(env)
        mx.eval(r["out"])
    except Exception as e:
        r["out"] = _err(e)
        return r
    def loss_fn():
        return _loss(call(env))
    try:
        v, g = nn.value_and_grad(L, loss_fn)()
        mx.eval(v, g)
        r["loss"] = v
        r["grads"] = tree_flatten(g)
    except Exception as e:
        r["loss"] = _err(e)
    if c["grad_input"]:
        def f(x):
            e = dict(env)
            e[c["grad_input"]] = x
            return _loss(call(e))
        r["dx"] = mx.grad(f)(env[c["grad_input"]])
    return r
`;

/** A layer's output: one array or several. */
export type Out = array | array[];

/** [path, array] pairs of a tree (utils.treeFlatten). */
export const flattenArrays = (tree: unknown): Array<[string, array]> =>
  utils.treeFlatten(tree) as Array<[string, array]>;

/** The loss run_case differentiates: the sum of every output's elements. */
export const sumLoss = (o: Out): array => {
  const outs = Array.isArray(o) ? o : [o];
  return outs.map((t) => mx.sum(t)).reduce((a, b) => mx.add(a, b));
};

/** Same paths in the same order, and bit-identical arrays. */
export function assertSamePairs(actual: Array<[string, array]>, expected: Array<[string, array]>, what: string): void {
  assert.deepEqual(
    actual.map(([k]) => k),
    expected.map(([k]) => k),
    `${what}: paths`,
  );
  for (let i = 0; i < expected.length; i++) assertSameArray(actual[i][1], expected[i][1], `${what} ${expected[i][0]}`);
}

/** The same number of outputs, each bit-identical. */
export function assertSameOuts(actual: Out, expected: array[], what: string): void {
  const outs = Array.isArray(actual) ? actual : [actual];
  assert.equal(outs.length, expected.length, `${what}: number of outputs`);
  outs.forEach((o, i) => assertSameArray(o, expected[i], `${what} ${i}`));
}
