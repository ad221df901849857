// nn.Module: Python's mlx.nn.Module for JS. A module's members (Python's
// module dict entries) are its own enumerable properties that are mx.arrays,
// Modules, JS arrays or plain objects; other properties (numbers, strings,
// functions, null) are configuration, as Python's plain attributes. Names starting with "_" are
// never parameters. A module computes in forward(...) (Python's __call__):
//
//   class MLP extends nn.Module {
//     inProj = new nn.Linear(2, 16);
//     outProj = new nn.Linear(16, 1);
//     forward(x: mx.array) { return this.outProj.forward(mx.maximum(this.inProj.forward(x), 0)); }
//   }
//
// Parameter paths are Python's ("layers.0.weight"), so weights saved by
// Python mlx load unchanged and the other way round.
import { native } from '../../native';
import { core as mx } from '../../core';
import type { array } from '../../core';
import type { Dtype } from '../../types';
import { load, savez, saveSafetensors } from '../../io';
import { isPlainObject, TREE_NODE } from '../../trees';
import { treeFlatten, treeUnflatten } from '../../utils';
import { shapeRepr } from './helpers';

type Tree = unknown;
/** (module, key, value) → keep? Python's filter_fn. */
export type ModuleFilter = (module: Module, key: string, value: unknown) => boolean;

const isArray = (x: unknown): x is array => x instanceof native.array;

/** Is v a module member (a Python dict entry) rather than configuration? */
const isMember = (v: unknown): boolean => isArray(v) || Array.isArray(v) || isPlainObject(v) || v instanceof Module;

/** Python's type(x).__name__ for the JS value, so messages read as Python's. */
function typeName(x: unknown): string {
  if (x === null || x === undefined) return 'NoneType';
  if (isArray(x)) return 'array';
  if (Array.isArray(x)) return 'list';
  if (isPlainObject(x)) return 'dict';
  if (typeof x === 'number') return Number.isInteger(x) ? 'int' : 'float';
  if (typeof x === 'string') return 'str';
  if (typeof x === 'boolean') return 'bool';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

/** Python's `key in d` for the containers update() walks (a module's members, a list's indices, a dict's keys). */
function hasEntry(dst: unknown, k: string): boolean {
  if (dst instanceof Module) return Object.prototype.hasOwnProperty.call(dst, k) && isMember((dst as any)[k]);
  return dst !== null && typeof dst === 'object' && k in dst;
}

export abstract class Module {
  #noGrad = new Set<string>();
  #training = true;

  /** The computation (Python's __call__). */
  abstract forward(...args: any[]): any;

  /** Whether the module is in training mode. */
  get training(): boolean {
    return this.#training;
  }

  /** The module itself: its state is its properties (Python's Module.state). */
  get state(): this {
    return this;
  }

  /** The configuration shown in the repr: Linear(input_dims=2, output_dims=3, bias=True). */
  protected extraRepr(): string {
    return '';
  }

  /** Python's repr: the module and its children, indented. */
  toString(): string {
    const children = treeFlatten(this.children(), '', Module.isModule) as Array<[string, Module]>;
    let value = `${this.constructor.name}(${this.extraRepr()}`;
    for (const [k, v] of children) value += `\n${`(${k}): ${String(v)}`.replace(/^/gm, '  ')}`;
    if (children.length) value += '\n';
    return `${value})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** The module's members: Python's dict items (arrays, lists, dicts, modules; not configuration). */
  *entries(): IterableIterator<[string, unknown]> {
    for (const k of Object.keys(this)) {
      const v = (this as Record<string, unknown>)[k];
      if (isMember(v)) yield [k, v];
    }
  }

  /** Python's `key in module`: is `key` a member? */
  has(key: string): boolean {
    return hasEntry(this, key);
  }

  static isModule(value: unknown): value is Module {
    return value instanceof Module;
  }

  static validChildFilter: ModuleFilter = (_m, _k, v) => Array.isArray(v) || isPlainObject(v) || v instanceof Module;

  static validParameterFilter: ModuleFilter = (_m, k, v) =>
    (Array.isArray(v) || isPlainObject(v) || v instanceof Module || isArray(v)) && !k.startsWith('_');

  static trainableParameterFilter: ModuleFilter = (m, k, v) =>
    Module.validParameterFilter(m, k, v) && !m.#noGrad.has(k);

  /**
   * The module's contents, recursively, keeping the keys where filterFn is
   * true and mapping the leaves with mapFn (Python's filter_and_map).
   */
  filterAndMap(
    filterFn: ModuleFilter,
    mapFn: (x: any) => unknown = (x) => x,
    isLeafFn: ModuleFilter = (_m, _k, v) => !(v instanceof Module || Array.isArray(v) || isPlainObject(v)),
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.entries())
      if (filterFn(this, k, v)) out[k] = unwrap(this, k, v, filterFn, mapFn, isLeafFn);
    return out;
  }

  /** All the mx.array members, recursively, as nested objects and arrays. */
  parameters(): Record<string, any> {
    return this.filterAndMap(Module.validParameterFilter);
  }

  /** The parameters that are not frozen. */
  trainableParameters(): Record<string, any> {
    return this.filterAndMap(Module.trainableParameterFilter);
  }

  /** The direct submodules. */
  children(): Record<string, any> {
    return this.filterAndMap(Module.validChildFilter, undefined, (_m, _k, v) => v instanceof Module);
  }

  /** The submodules that contain no other modules. */
  leafModules(): Record<string, any> {
    const isLeafModule: ModuleFilter = (_m, _k, v) => v instanceof Module && treeFlatten(v.children()).length === 0;
    return this.filterAndMap(Module.validChildFilter, undefined, isLeafModule);
  }

  /**
   * Replace parameters with the given (partial) tree of them. With strict,
   * every key must be a parameter of the module and every new value an array.
   */
  update(parameters: Tree, strict = true): this {
    const apply = (dst: any, params: any): void => {
      if (isPlainObject(params)) {
        for (const k of Object.keys(params)) {
          if (hasEntry(dst, k)) {
            const current = dst[k];
            const next = params[k];
            if (isArray(current)) {
              if (strict && !isArray(next)) throw new Error(`Received invalid type: ${typeName(next)}.`);
              dst[k] = next;
            } else {
              apply(current, next);
            }
          } else if (strict) {
            throw new Error(`Module does not have parameter named "${k}".`);
          }
        }
      } else if (Array.isArray(params)) {
        for (let i = 0; i < params.length; i++) {
          if (i >= dst.length) {
            if (strict) throw new Error(`List index ${i} is out of bounds for destination of length ${dst.length}.`);
            continue;
          }
          const current = dst[i];
          const next = params[i];
          if (isArray(current)) {
            if (strict && !isArray(next)) throw new Error(`Received invalid type: ${typeName(next)}.`);
            dst[i] = next;
          } else {
            apply(current, next);
          }
        }
      } else if (strict) {
        throw new Error(`Received invalid type: ${typeName(params)}.`);
      }
    };
    apply(this, parameters);
    return this;
  }

  /** Map the parameters (those filterFn selects) with mapFn and update the module with them. */
  apply(mapFn: (x: array) => array, filterFn: ModuleFilter = Module.validParameterFilter): this {
    this.update(this.filterAndMap(filterFn, mapFn));
    return this;
  }

  /** Replace submodules with the given (partial) tree of modules. */
  updateModules(modules: Tree, strict = true): this {
    // A Module is a dict in Python: a submodule that is not replaced is walked
    // into; an empty object stands for "nothing here" (as leafModules() gives).
    const isEmpty = (v: unknown) => isPlainObject(v) && Object.keys(v).length === 0;
    const apply = (dst: any, mods: any): void => {
      if (isPlainObject(mods)) {
        for (const k of Object.keys(mods)) {
          if (hasEntry(dst, k)) {
            const current = dst[k];
            const next = mods[k];
            if (current instanceof Module && next instanceof Module) dst[k] = next;
            else if (Array.isArray(current) || isPlainObject(current) || current instanceof Module)
              apply(current, next);
            else if (strict && !isEmpty(next)) throw new Error(`Received invalid type: ${typeName(next)}.`);
          } else if (strict) {
            throw new Error(`Module does not have sub-module named "${k}".`);
          }
        }
      } else if (Array.isArray(mods)) {
        for (let i = 0; i < mods.length; i++) {
          if (i >= dst.length) {
            if (strict) throw new Error(`List index ${i} is out of bounds for destination of length ${dst.length}.`);
            continue;
          }
          const current = dst[i];
          const next = mods[i];
          if (current instanceof Module && next instanceof Module) dst[i] = next;
          else if (Array.isArray(current) || isPlainObject(current) || current instanceof Module) apply(current, next);
          else if (strict && !isEmpty(next)) throw new Error(`Received invalid type: ${typeName(next)}.`);
        }
      } else if (strict) {
        throw new Error(`Received invalid type: ${typeName(mods)}.`);
      }
    };
    apply(this, modules);
    return this;
  }

  /** Call applyFn(path, module) for this module and every submodule (depth first, last child first, as Python). */
  applyToModules(applyFn: (path: string, module: Module) => unknown): this {
    const stack: Array<[string, Module]> = [['', this]];
    while (stack.length) {
      const [prefix, mod] = stack.pop()!;
      applyFn(prefix, mod);
      const p = prefix ? `.${prefix}` : '';
      stack.push(...(treeFlatten(mod.children(), p, Module.isModule) as Array<[string, Module]>));
    }
    return this;
  }

  /** This module and all its submodules. */
  modules(): Module[] {
    const out: Module[] = [];
    this.applyToModules((_k, m) => out.push(m));
    return out;
  }

  /** [path, module] for this module and all its submodules. */
  namedModules(): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    this.applyToModules((k, m) => out.push([k, m]));
    return out;
  }

  #validateKeys(keys: string | string[], strict: boolean): string[] {
    const list = Array.isArray(keys) ? keys : [keys];
    if (strict) {
      for (const k of list) if (!this.has(k)) throw new RangeError(`Module doesn't contain member ${k}.`);
    }
    return list;
  }

  /** With recursion, a strict key need only be a member of some module of the model (Python's _validate_keys_recursive). */
  #validateKeysRecursive(keys: string | string[]): void {
    const modules = this.modules();
    for (const k of Array.isArray(keys) ? keys : [keys]) {
      if (!modules.some((m) => m.has(k))) throw new RangeError(`Module doesn't contain member ${k}.`);
    }
  }

  /**
   * Freeze parameters (no gradients for them): all of them, or `keys`, in this
   * module and (recurse) its submodules.
   */
  freeze(options: { recurse?: boolean; keys?: string | string[] | null; strict?: boolean } = {}): this {
    const { recurse = true, keys = null } = options;
    let { strict = false } = options;
    const impl = (_: string, m: Module) => {
      let local: string | string[];
      if (keys === null) {
        local = (
          treeFlatten(
            m.filterAndMap((mm, k, v) => !(v instanceof Module) && Module.validParameterFilter(mm, k, v)),
          ) as Array<[string, unknown]>
        ).map(([k]) => k);
      } else {
        local = keys;
      }
      for (const k of m.#validateKeys(local, strict)) m.#noGrad.add(k);
    };
    if (recurse && strict && keys !== null) {
      this.#validateKeysRecursive(keys);
      strict = false;
    }
    if (recurse) this.applyToModules(impl);
    else impl('', this);
    return this;
  }

  /** Unfreeze parameters: all of them, or `keys`, in this module and (recurse) its submodules. */
  unfreeze(options: { recurse?: boolean; keys?: string | string[] | null; strict?: boolean } = {}): this {
    const { recurse = true, keys = null } = options;
    let { strict = false } = options;
    const impl = (_: string, m: Module) => {
      if (keys === null) m.#noGrad.clear();
      else for (const k of m.#validateKeys(keys, strict)) m.#noGrad.delete(k);
    };
    if (recurse && strict && keys !== null) {
      this.#validateKeysRecursive(keys);
      strict = false;
    }
    if (recurse) this.applyToModules(impl);
    else impl('', this);
    return this;
  }

  /**
   * Set this module's own training flag (Python's _set_training_mode); train()
   * calls it on every module. Layers whose state depends on the mode (QQLinear)
   * override it and call super.setTrainingMode(mode) first.
   */
  protected setTrainingMode(mode: boolean): void {
    this.#training = mode;
  }

  /** Set training mode (Dropout is active only in training mode) for this module and its submodules. */
  train(mode = true): this {
    this.applyToModules((_k, m) => m.setTrainingMode(mode));
    return this;
  }

  /** Evaluation mode: train(false). */
  eval(): this {
    return this.train(false);
  }

  /** Cast the parameters whose dtype satisfies predicate (default: floating point) to dtype. */
  setDtype(dtype: Dtype, predicate: ((d: Dtype) => boolean) | null = (d) => mx.issubdtype(d, mx.floating)): void {
    const p = predicate ?? (() => true);
    this.apply((x) => (p(x.dtype) ? x.astype(dtype) : x));
  }

  /**
   * Load weights from a .npz or .safetensors file, or from [name, array]
   * pairs. With strict, the names and shapes must match the parameters exactly.
   */
  loadWeights(fileOrWeights: string | Array<[string, array]>, strict = true): this {
    let weights: Array<[string, unknown]> =
      typeof fileOrWeights === 'string' ? Object.entries(load(fileOrWeights) as Record<string, array>) : fileOrWeights;
    if (strict) {
      const next = new Map(weights);
      const current = new Map(treeFlatten(this.parameters()) as Array<[string, array]>);
      const extras = [...next.keys()].filter((k) => !current.has(k)).sort();
      if (extras.length) throw new Error(`Received ${extras.length} parameters not in model: \n${extras.join(',\n')}.`);
      const missing = [...current.keys()].filter((k) => !next.has(k)).sort();
      if (missing.length) throw new Error(`Missing ${missing.length} parameters: \n${missing.join(',\n')}.`);
      for (const [k, v] of current) {
        const w = next.get(k);
        if (!isArray(w)) throw new Error(`Expected mx.array but received <class '${typeName(w)}'> for parameter ${k}`);
        if (w.shape.join(',') !== v.shape.join(',')) {
          throw new Error(
            `Expected shape ${shapeRepr(v.shape)} but received shape ${shapeRepr(w.shape)} for parameter ${k}`,
          );
        }
      }
    }
    if (weights.length) this.update(treeUnflatten(weights), false);
    weights = [];
    return this;
  }

  /** Save the parameters to a .npz or .safetensors file (chosen by the extension). */
  saveWeights(file: string): void {
    const params = Object.fromEntries(treeFlatten(this.parameters()) as Array<[string, array]>);
    if (file.endsWith('.npz')) savez(file, params);
    else if (file.endsWith('.safetensors')) saveSafetensors(file, params);
    else throw new Error(`Unsupported file extension for ${file}. Use '.npz' or '.safetensors'.`);
  }
}

// A module is a tree of its members for the transforms (grad arguments, mx.compile inputs/outputs).
Object.defineProperty(Module.prototype, TREE_NODE, {
  value(this: Module) {
    return [...this.entries()].map(([k]) => k);
  },
});

function unwrap(
  model: Module,
  key: string,
  value: unknown,
  filterFn: ModuleFilter,
  mapFn: (x: any) => unknown,
  isLeafFn: ModuleFilter,
): unknown {
  if (isLeafFn(model, key, value)) return mapFn(value);
  if (value instanceof Module) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.entries())
      if (filterFn(value, k, v)) out[k] = unwrap(value, k, v, filterFn, mapFn, isLeafFn);
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const tk = `${key}.${k}`;
      out[k] = filterFn(model, tk, v) ? unwrap(model, tk, v, filterFn, mapFn, isLeafFn) : {};
    }
    return out;
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      const tk = `${key}.${i}`;
      return filterFn(model, tk, v) ? unwrap(model, tk, v, filterFn, mapFn, isLeafFn) : {};
    });
  }
  throw new Error('Unexpected leaf found while traversing the module');
}
