// Function transforms over JS functions: grad, valueAndGrad, vjp, jvp, vmap,
// compile, checkpoint, customFunction. The tree handling (arguments and
// results may be nested JS arrays and plain objects of arrays) is here; the
// natives (native/transforms.cc) take and return flat lists of arrays.
import { native } from './native';
import type { array } from './core';
import { isObjectNode, isPlainObject, nodeKeys } from './trees';

type AnyFn = (...args: any[]) => any;

const isArray = (x: unknown): x is array => x instanceof native.array;

// ---------------------------------------------------------------------------
// Flattening. A tree is a JS Array or a plain object, nested; an mx.array is
// a leaf; so is anything else (a number, a string, null, a class instance).

/** The mx.array leaves of a tree, depth first (object keys in insertion order). */
export function arrayLeaves(tree: unknown, out: array[] = []): array[] {
  if (isArray(tree)) out.push(tree);
  else if (Array.isArray(tree)) for (const x of tree) arrayLeaves(x, out);
  else if (isPlainObject(tree)) for (const k of Object.keys(tree)) arrayLeaves(tree[k], out);
  return out;
}

/** arrayLeaves for captured state: also walks TREE_NODE objects (nn.Module). */
function stateLeaves(tree: unknown, out: array[] = []): array[] {
  if (isArray(tree)) out.push(tree);
  else if (Array.isArray(tree)) for (const x of tree) stateLeaves(x, out);
  else if (isObjectNode(tree)) for (const k of nodeKeys(tree)) stateLeaves(tree[k], out);
  return out;
}

/**
 * Like stateLeaves (modules are trees of their members, as Python's Module
 * dict), but every leaf must be an mx.array (an error naming the transform
 * otherwise).
 */
function strictLeaves(tree: unknown, what: string, out: array[] = []): array[] {
  if (isArray(tree)) out.push(tree);
  else if (Array.isArray(tree)) for (const x of tree) strictLeaves(x, what, out);
  else if (isObjectNode(tree)) for (const k of nodeKeys(tree)) strictLeaves(tree[k], what, out);
  else
    throw new Error(
      `${what} must be an mx.array or a tree (arrays, plain objects, modules) of mx.arrays, got ${describe(tree)}.`,
    );
  return out;
}

/**
 * The tree with its mx.array leaves replaced, in order, by values[at...]
 * (arrays, or axes/nulls for the vmap rules); other leaves kept. With
 * `modules`, TREE_NODE objects are walked too and become plain objects (the
 * gradient of a module is a plain object of its members' gradients).
 */
function rebuild(tree: unknown, values: readonly unknown[], at = { i: 0 }, modules = false): unknown {
  if (isArray(tree)) return values[at.i++];
  if (Array.isArray(tree)) return tree.map((x) => rebuild(x, values, at, modules));
  if (isPlainObject(tree) || (modules && isObjectNode(tree))) {
    const out: Record<string, unknown> = {};
    for (const k of nodeKeys(tree)) out[k] = rebuild(tree[k], values, at, modules);
    return out;
  }
  return tree;
}

/** Put back `originals[i]` wherever the tree (in place) still holds `tracers[i]`. */
function restoreInPlace(tree: unknown, tracers: readonly array[], originals: readonly array[]): void {
  const back = new Map<array, array>();
  tracers.forEach((t, i) => back.set(t, originals[i]));
  const walk = (t: unknown) => {
    if (Array.isArray(t)) {
      t.forEach((x, i) => {
        if (isArray(x)) t[i] = back.get(x) ?? x;
        else walk(x);
      });
    } else if (isObjectNode(t)) {
      for (const k of nodeKeys(t)) {
        const x = t[k];
        if (isArray(x)) t[k] = back.get(x) ?? x;
        else walk(x);
      }
    }
  };
  walk(tree);
}

/** Replace the mx.array leaves of a tree in place (its containers, modules included, are updated). */
function fillInPlace(tree: unknown, arrays: readonly array[], at = { i: 0 }): void {
  if (Array.isArray(tree)) {
    tree.forEach((x, i) => {
      if (isArray(x)) tree[i] = arrays[at.i++];
      else fillInPlace(x, arrays, at);
    });
  } else if (isObjectNode(tree)) {
    for (const k of nodeKeys(tree)) {
      if (isArray(tree[k])) tree[k] = arrays[at.i++];
      else fillInPlace(tree[k], arrays, at);
    }
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

// ---------------------------------------------------------------------------
// vjp / jvp (Python: fun(*primals) returning an array or a list of arrays)

function asList(out: unknown, what: string): array[] {
  if (isArray(out)) return [out];
  if (Array.isArray(out) && out.every(isArray)) return out as array[];
  throw new TypeError(`${what}: the function must return an mx.array or an array of mx.arrays, got ${describe(out)}.`);
}

/** Outputs of fun(...primals) and the vector-Jacobian products with the cotangents. */
export function vjp(fun: AnyFn, primals: array[], cotangents: array[]): [array[], array[]] {
  return native._vjp((xs) => asList(fun(...xs), 'vjp'), primals, cotangents) as [array[], array[]];
}

/** Outputs of fun(...primals) and the Jacobian-vector products with the tangents. */
export function jvp(fun: AnyFn, primals: array[], tangents: array[]): [array[], array[]] {
  return native._jvp((xs) => asList(fun(...xs), 'jvp'), primals, tangents) as [array[], array[]];
}

// ---------------------------------------------------------------------------
// valueAndGrad / grad

/** Which arguments to differentiate: Python's argnums/argnames. */
export interface GradOptions {
  /** Positional argument index (or indices). Default: 0 when argnames is empty. */
  argnums?: number | number[] | null;
  /**
   * Keys of the function's trailing plain-object argument (Python's keyword
   * arguments) to differentiate too.
   */
  argnames?: string | string[];
}

function gradOptions(
  argnums: number | number[] | null | GradOptions | undefined,
  argnames?: string | string[],
): GradOptions {
  if (argnums !== null && typeof argnums === 'object' && !Array.isArray(argnums)) return argnums;
  return { argnums: argnums as number | number[] | null | undefined, argnames };
}

function makeValueAndGrad(fun: AnyFn, options: GradOptions, tag: string, scalarOnly: boolean) {
  if (typeof fun !== 'function') throw new TypeError(`${tag} argument 'fun' must be a function, got ${describe(fun)}.`);
  const names =
    options.argnames === undefined ? [] : typeof options.argnames === 'string' ? [options.argnames] : options.argnames;
  let nums: number[];
  if (options.argnums === undefined || options.argnums === null) nums = names.length ? [] : [0];
  else
    nums =
      typeof options.argnums === 'number'
        ? [options.argnums]
        : Array.isArray(options.argnums)
          ? [...options.argnums]
          : [NaN];
  if (!nums.every((n) => Number.isInteger(n))) {
    throw new TypeError(
      `${tag} argnums must be an integer or an array of integers, got ${JSON.stringify(options.argnums)}.`,
    );
  }
  if (!names.every((k) => typeof k === 'string'))
    throw new TypeError(`${tag} argnames must be a string or an array of strings.`);
  if (nums.length === 0 && names.length === 0) throw new Error(`${tag} Gradient wrt no argument requested`);
  nums.sort((a, b) => a - b);
  if (nums.length && nums[0] < 0) {
    throw new Error(`${tag} Can't compute the gradient of negative argument index ${nums[0]}`);
  }
  const dup = nums.find((n, i) => i > 0 && nums[i - 1] === n);
  if (dup !== undefined) throw new Error(`${tag} Duplicate argument index ${dup} is not allowed.`);

  return (...args: unknown[]): [unknown, unknown] => {
    // With argnames, the trailing plain object holds the keyword arguments.
    let kwargs: Record<string, unknown> | undefined;
    let positional = args;
    if (names.length) {
      const last = args[args.length - 1];
      if (!isPlainObject(last)) {
        throw new Error(
          `${tag} argnames ${JSON.stringify(names)} name keys of the last argument, which must be a plain object (the keyword arguments).`,
        );
      }
      kwargs = last;
      positional = args.slice(0, -1);
      for (const k of names) {
        if (!(k in kwargs)) {
          throw new Error(
            `${tag} Can't compute the gradient of keyword argument '${k}' because the function is called with the following keyword arguments {${Object.keys(kwargs).join(',')}}`,
          );
        }
      }
    }
    if (nums.length && nums[nums.length - 1] >= positional.length) {
      throw new Error(
        `${tag} Can't compute the gradient of argument index ${nums[nums.length - 1]} because the function is called with only ${positional.length} arguments.`,
      );
    }
    // The differentiated arguments, flattened: positional ones, then keyword ones.
    const groups = [...nums.map((i) => positional[i]), ...names.map((k) => kwargs![k])];
    const counts: number[] = [];
    const inputs: array[] = [];
    for (const g of groups) {
      const leaves = strictLeaves(g, `${tag} a differentiated argument`);
      counts.push(leaves.length);
      inputs.push(...leaves);
    }
    let out: unknown;
    const flat = (xs: array[]): array[] => {
      // As Python: the tracers go into the argument containers in place, and
      // afterwards the originals replace whatever tracers are still there (an
      // array the function stored into its argument stays).
      const at = { i: 0 };
      const restores: Array<() => void> = [];
      const place = (tree: unknown): unknown => {
        if (isArray(tree)) return xs[at.i++];
        const originals = stateLeaves(tree);
        const tracers = xs.slice(at.i, at.i + originals.length);
        at.i += originals.length;
        fillInPlace(tree, tracers);
        restores.push(() => restoreInPlace(tree, tracers, originals));
        return tree;
      };
      const callArgs = [...positional];
      nums.forEach((n) => {
        callArgs[n] = place(positional[n]);
      });
      if (kwargs) {
        const kw: Record<string, unknown> = { ...kwargs };
        for (const k of names) kw[k] = place(kwargs[k]);
        callArgs.push(kw);
      }
      try {
        out = fun(...callArgs);
      } finally {
        for (const r of restores) r();
      }
      if (!isArray(out)) {
        if (scalarOnly) {
          throw new Error(
            `${tag} The return value of the function whose gradient we want to compute should be a scalar array; but ${describe(out)} was returned.`,
          );
        }
        if (!Array.isArray(out) || out.length === 0 || !isArray(out[0])) {
          throw new Error(
            `${tag} The return value of the function whose gradient we want to compute should be either a scalar array or an array [loss, ...aux] whose first value is a scalar array; but ${describe(out)} was returned.`,
          );
        }
      }
      return arrayLeaves(out);
    };
    const [values, grads] = native._valueAndGrad(
      flat,
      inputs,
      inputs.map((_, i) => i),
    ) as [array[], array[]];

    // Gradients back in the shape of their arguments.
    const at = { i: 0 };
    const per = groups.map((g) => rebuild(g, grads, at, true));
    const positionalGrads = nums.length === 1 ? per[0] : nums.length > 1 ? per.slice(0, nums.length) : null;
    let result: unknown = positionalGrads;
    if (names.length) {
      const kw: Record<string, unknown> = {};
      names.forEach((k, i) => {
        kw[k] = per[nums.length + i];
      });
      result = [positionalGrads, kw];
    }
    return [rebuild(out, values), result];
  };
}

/**
 * A function returning [fun(...args), gradients]. fun returns a scalar array,
 * or an array [loss, ...aux] whose first element is a scalar array; the
 * gradients are of the loss with respect to the arguments in argnums
 * (default 0), each shaped like its argument (a tree of arrays), and, with
 * argnames, [positionalGrads, {name: grads}].
 *   mx.valueAndGrad(loss)(params, x, y); mx.valueAndGrad(f, [0, 1]); mx.valueAndGrad(f, {argnames: 'w'})
 */
export function valueAndGrad(
  fun: AnyFn,
  argnums?: number | number[] | null | GradOptions,
  argnames?: string | string[],
): (...args: any[]) => [any, any] {
  return makeValueAndGrad(fun, gradOptions(argnums, argnames), '[value_and_grad]', false);
}

/** A function returning the gradients of fun (which returns a scalar array); see valueAndGrad. */
export function grad(
  fun: AnyFn,
  argnums?: number | number[] | null | GradOptions,
  argnames?: string | string[],
): (...args: any[]) => any {
  const vg = makeValueAndGrad(fun, gradOptions(argnums, argnames), '[grad]', true);
  return (...args: unknown[]) => vg(...args)[1];
}

// ---------------------------------------------------------------------------
// vmap

export type Axes = number | null | Axes[] | { [k: string]: Axes };

// One axis (or null: not mapped) per array leaf of `tree`: `axes` is a tree
// prefix of it (an int or null applies to the whole subtree below it).
function flatAxes(tree: unknown, axes: unknown, what: string, out: (number | null)[] = []): (number | null)[] {
  if (axes === null || axes === undefined || typeof axes === 'number') {
    if (typeof axes === 'number' && !Number.isInteger(axes))
      throw new TypeError(`[vmap] ${what} must be integers or null.`);
    for (let n = arrayLeaves(tree).length; n > 0; n--) out.push(axes ?? null);
    return out;
  }
  if (Array.isArray(tree) && Array.isArray(axes)) {
    if (axes.length !== tree.length) {
      throw new Error(`[vmap] ${what} has ${axes.length} entries where the tree has ${tree.length}.`);
    }
    tree.forEach((t, i) => flatAxes(t, axes[i], what, out));
    return out;
  }
  if (isPlainObject(tree) && isPlainObject(axes)) {
    for (const k of Object.keys(tree)) flatAxes(tree[k], axes[k], what, out);
    return out;
  }
  throw new TypeError(
    `[vmap] ${what} must be an integer, null, or a tree matching the ${what === 'inAxes' ? 'arguments' : 'outputs'}.`,
  );
}

const shapeText = (shape: number[]) => `(${shape.join(',')})`;

// Axes for MLX: negative ones counted from the end, null as -1 (not mapped).
// An input's axis indexes its own shape; an output's the traced output's
// shape with the mapped axis added.
function mlxAxes(axes: (number | null)[], arrays: array[], output: boolean): number[] {
  return axes.map((ax, i) => {
    if (ax === null) return -1;
    const ndim = arrays[i].ndim + (output ? 1 : 0);
    const a = ax < 0 ? ax + ndim : ax;
    if (a < 0 || a >= ndim) {
      throw new RangeError(
        `[vmap] Invalid ${output ? 'output ' : ''}vectorization axis ${ax < 0 ? a : ax} for array with shape ${shapeText(arrays[i].shape)}`,
      );
    }
    return a;
  });
}

/**
 * The vectorized fun: mapped over axis inAxes of its arguments (an int, null
 * for "not mapped", or a tree matching the argument list), with the mapped
 * axis of the outputs at outAxes. As in Python, with one argument inAxes may
 * be a tree matching that argument, and with one output outAxes may be [axis].
 */
export function vmap(fun: AnyFn, inAxes: Axes = 0, outAxes: Axes = 0): (...args: any[]) => any {
  if (typeof fun !== 'function') throw new TypeError(`[vmap] argument 'fun' must be a function, got ${describe(fun)}.`);
  return (...args: unknown[]) => {
    const inputs = strictLeaves(args, '[vmap] an argument');
    const inTree = args.length === 1 && isPlainObject(inAxes) ? [inAxes] : inAxes;
    const ia = mlxAxes(flatAxes(args, inTree, 'inAxes'), inputs, false);
    let out: unknown;
    const [traceIn, traceOut] = native._vmapTrace(
      (xs) => {
        out = fun(...(rebuild(args, xs) as unknown[]));
        return strictLeaves(out, '[vmap] the return value');
      },
      inputs,
      ia,
    ) as [array[], array[]];
    const outTree = isArray(out) && Array.isArray(outAxes) && outAxes.length === 1 ? outAxes[0] : outAxes;
    const oa = mlxAxes(flatAxes(out, outTree, 'outAxes'), traceOut, true);
    return rebuild(out, native._vmapReplace(inputs, traceIn, traceOut, ia, oa) as array[]);
  };
}

// ---------------------------------------------------------------------------
// compile

export interface CompileOptions {
  /** A tree of arrays the function reads besides its arguments (Python's inputs=). */
  inputs?: unknown;
  /** A tree of arrays the function updates; refilled after every call (Python's outputs=). */
  outputs?: unknown;
  /** Do not recompile when only the input shapes change. */
  shapeless?: boolean;
}

// Markers of the argument structure among the compile constants (Python uses
// the same idea: a recompilation happens whenever structure or constants change).
const ARRAY = 0xffffffffffffffc5n;
const LIST = 0xffffffffffffffadn;
const DICT = 0xffffffffffffffa1n;
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function hashString(s: string): bigint {
  // FNV-1a, 64 bits.
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

function compileArgs(tree: unknown, inputs: array[], constants: bigint[]): void {
  if (isArray(tree)) {
    inputs.push(tree);
    constants.push(ARRAY);
  } else if (Array.isArray(tree)) {
    constants.push(LIST, BigInt(tree.length));
    for (const x of tree) compileArgs(x, inputs, constants);
  } else if (isPlainObject(tree)) {
    const keys = Object.keys(tree);
    constants.push(DICT, BigInt(keys.length));
    for (const k of keys) {
      constants.push(hashString(k));
      compileArgs(tree[k], inputs, constants);
    }
  } else if (typeof tree === 'number') {
    f64[0] = tree;
    constants.push(1n, u64[0]);
  } else if (typeof tree === 'boolean') {
    constants.push(2n, tree ? 1n : 0n);
  } else if (typeof tree === 'string') {
    constants.push(3n, hashString(tree));
  } else if (typeof tree === 'bigint') {
    constants.push(4n, BigInt.asUintN(64, tree));
  } else if (tree === null || tree === undefined) {
    constants.push(tree === null ? 5n : 6n);
  } else {
    throw new TypeError(
      `[compile] Function arguments must be trees of arrays or constants (numbers, strings, booleans, null), but received ${describe(tree)}.`,
    );
  }
}

let nextCompileId = 1;
const compiledCaches = new FinalizationRegistry<number>((id) => native._compileErase(id));

/**
 * fun compiled: traced on the first call (and again when the shapes, dtypes,
 * argument structure or constant arguments change), then replayed as one
 * fused graph. compile(fun, {inputs, outputs, shapeless}) or Python's
 * positional order compile(fun, inputs, outputs, shapeless).
 */
export function compile<F extends AnyFn>(fun: F, inputs?: unknown, outputs?: unknown, shapeless?: boolean): F {
  if (typeof fun !== 'function')
    throw new TypeError(`[compile] argument 'fun' must be a function, got ${describe(fun)}.`);
  let opts: CompileOptions;
  if (
    arguments.length === 2 &&
    isPlainObject(inputs) &&
    Object.keys(inputs).every((k) => ['inputs', 'outputs', 'shapeless'].includes(k))
  ) {
    opts = inputs as CompileOptions;
  } else {
    opts = { inputs, outputs, shapeless };
  }
  const id = nextCompileId++;
  const compiled = function (this: unknown, ...args: unknown[]) {
    const flat: array[] = [];
    const constants: bigint[] = [];
    compileArgs(args, flat, constants);
    const nArgs = flat.length;
    const capturedIn = opts.inputs == null ? [] : stateLeaves(opts.inputs);
    // What a trace hands back to every replay of it: the output tree and how
    // many of the outputs are the function's (the rest refill opts.outputs).
    const trace = (xs: array[]): [array[], { structure: unknown; count: number }] => {
      // Tracers stand in for the captured inputs while fun runs; afterwards
      // the originals replace the tracers still there (by identity: fun may
      // have grown the state, as an optimizer's first update does).
      const tracers = xs.slice(nArgs);
      if (capturedIn.length) fillInPlace(opts.inputs, tracers);
      try {
        const out = fun.apply(this, rebuild(args, xs) as unknown[]);
        const leaves = arrayLeaves(out);
        const count = leaves.length;
        if (opts.outputs != null) leaves.push(...stateLeaves(opts.outputs));
        return [leaves, { structure: out, count }];
      } finally {
        if (capturedIn.length) restoreInPlace(opts.inputs, tracers, capturedIn);
      }
    };
    const [outs, { structure, count }] = native._compile(trace, id, opts.shapeless ?? false, constants, [
      ...flat,
      ...capturedIn,
    ]) as [array[], { structure: unknown; count: number }];
    if (opts.outputs != null) fillInPlace(opts.outputs, outs.slice(count));
    return rebuild(structure, outs.slice(0, count));
  } as F;
  compiledCaches.register(compiled, id);
  Object.defineProperty(compiled, 'name', { value: fun.name || 'compiled' });
  Object.defineProperty(compiled, 'length', { value: fun.length });
  return compiled;
}

// ---------------------------------------------------------------------------
// checkpoint and customFunction

/** fun, recomputing its intermediates when a gradient needs them instead of keeping them. */
export function checkpoint<F extends AnyFn>(fun: F): F {
  if (typeof fun !== 'function')
    throw new TypeError(`[checkpoint] argument 'fun' must be a function, got ${describe(fun)}.`);
  return function (this: unknown, ...args: unknown[]) {
    let out: unknown;
    const outs = native._checkpoint((xs) => {
      out = fun.apply(this, rebuild(args, xs) as unknown[]);
      return arrayLeaves(out);
    }, arrayLeaves(args)) as array[];
    return rebuild(out, outs);
  } as F;
}

/** A function with custom vjp/jvp/vmap rules (Python's mx.custom_function). */
export interface CustomFunction<F extends AnyFn> {
  (...args: Parameters<F>): ReturnType<F>;
  /** vjp(primals, cotangents, outputs) returns the cotangents of the primals (shaped like them). */
  vjp(f: (primals: any, cotangents: any, outputs: any) => any): CustomFunction<F>;
  /** jvp(primals, tangents) returns the tangents of the outputs; tangents are null for inputs without one. */
  jvp(f: (primals: any, tangents: any) => any): CustomFunction<F>;
  /** vmap(inputs, axes) returns [outputs, outAxes]; axes are null for inputs not mapped. */
  vmap(f: (inputs: any, axes: any) => [any, any]): CustomFunction<F>;
}

/**
 * Python's mx.custom_function: `const f = mx.customFunction((x, y) => ...)`,
 * then `f.vjp((primals, cotangent, output) => ...)`, `f.jvp(...)`,
 * `f.vmap(...)`. primals is the single argument when fun takes one, else the
 * argument list.
 */
export function customFunction<F extends AnyFn>(fun: F): CustomFunction<F> {
  if (typeof fun !== 'function')
    throw new TypeError(`[custom_function] argument 'fun' must be a function, got ${describe(fun)}.`);
  let vjpRule: ((p: any, c: any, o: any) => any) | null = null;
  let jvpRule: ((p: any, t: any) => any) | null = null;
  let vmapRule: ((i: any, a: any) => [any, any]) | null = null;
  const f = function (this: unknown, ...args: unknown[]) {
    const primalsTree = args.length === 1 ? args[0] : args;
    let out: unknown;
    const run = (xs: array[]) => {
      out = fun.apply(this, rebuild(args, xs) as unknown[]);
      return arrayLeaves(out);
    };
    // Rules get and return trees shaped like the arguments / outputs.
    const vjpFlat = vjpRule
      ? (primals: array[], cotangents: array[], outputs: array[]) =>
          strictOrNullLeaves(
            vjpRule!(rebuild(primalsTree, primals), rebuild(out, cotangents), rebuild(out, outputs)),
            primalsTree,
            'vjp',
          )
      : null;
    const jvpFlat = jvpRule
      ? (primals: array[], tangents: array[], argnums: number[]) => {
          const full: (array | null)[] = primals.map(() => null);
          argnums.forEach((n, i) => {
            full[n] = tangents[i];
          });
          return arrayLeaves(jvpRule!(rebuild(primalsTree, primals), rebuild(primalsTree, full)));
        }
      : null;
    const vmapFlat = vmapRule
      ? (inputs: array[], axes: number[]): [array[], number[]] => {
          const axesTree = rebuild(
            primalsTree,
            axes.map((a) => (a < 0 ? null : a)),
          );
          const [outs, outAxes] = vmapRule!(rebuild(primalsTree, inputs), axesTree);
          return [arrayLeaves(outs), flatAxes(outs, outAxes, 'outAxes').map((a) => a ?? -1)];
        }
      : null;
    const outs = native._customFunction(run, vjpFlat, jvpFlat, vmapFlat, arrayLeaves(args)) as array[];
    return rebuild(out, outs);
  } as unknown as CustomFunction<F>;
  f.vjp = (g) => {
    vjpRule = g;
    return f;
  };
  f.jvp = (g) => {
    jvpRule = g;
    return f;
  };
  f.vmap = (g) => {
    vmapRule = g;
    return f;
  };
  return f;
}

// A vjp rule's result: one cotangent per primal array, in order (null → zeros).
function strictOrNullLeaves(result: unknown, primals: unknown, what: string): array[] {
  const shape = arrayLeaves(primals);
  const out: array[] = [];
  const walk = (r: unknown, p: unknown) => {
    if (isArray(p)) {
      out.push(r == null ? native.zerosLike(p) : (r as array));
    } else if (Array.isArray(p)) {
      if (!Array.isArray(r)) throw new TypeError(`customFunction ${what}: must return a tree shaped like the primals.`);
      p.forEach((x, i) => walk(r[i], x));
    } else if (isPlainObject(p)) {
      if (!isPlainObject(r)) throw new TypeError(`customFunction ${what}: must return a tree shaped like the primals.`);
      for (const k of Object.keys(p)) walk(r[k], p[k]);
    }
  };
  walk(result, primals);
  if (out.length !== shape.length)
    throw new TypeError(`customFunction ${what}: must return a tree shaped like the primals.`);
  return out;
}
