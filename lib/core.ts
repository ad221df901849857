// mlx.core for JS: the native bindings (typed by native.generated.ts) plus the
// JS-side pieces: the callable `array` class and its methods, tree-walking
// eval/asyncEval/evalAsync, dispose/tidy, the scoped default stream, finfo/iinfo.
import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';

import { native } from './native';
import { arrayMethodNames, type NativeArrayMethods, type NativeFunctions } from './native.generated';
import { exportFunction, exporter, exportToDot, importFunction } from './export';
import { load, save, saveGguf, saveSafetensors, savez, savezCompressed } from './io';
import { random, type Random } from './random';
import { checkpoint, compile, customFunction, grad, jvp, valueAndGrad, vjp, vmap } from './transforms';
import { treeLeaves } from './trees';
import type {
  ArrayLike,
  Device,
  DeviceType,
  Dtype,
  DtypeCategory,
  Index,
  NativeArray,
  Stream,
  StreamOrDevice,
} from './types';

// ---------------------------------------------------------------------------
// The array class

/** An MLX array. `mx.array(x, dtype?)` and `new mx.array(x, dtype?)` both work. */
export interface array extends NativeArray, Omit<NativeArrayMethods, 'var' | 'std'>, Disposable, Iterable<array> {
  /** Transposed view: a.T is transpose(a). */
  readonly T: array;
  /** Size of the first axis (Python's len(a)); TypeError for a 0-d array. */
  readonly length: number;
  /** a.reshape(2, 3) or a.reshape([2, 3]), as Python's a.reshape(*shape). */
  reshape(...shape: (number | number[] | { stream?: StreamOrDevice | null })[]): array;
  /** a.transpose(1, 0), a.transpose([1, 0]) or a.transpose(). */
  transpose(...axes: (number | number[] | { stream?: StreamOrDevice | null })[]): array;
  /** Python's repr(a). */
  toString(): string;
  /** The last two axes swapped (Python's a.mT). */
  readonly mT: array;
  /** The real part (Python's a.real). */
  readonly real: array;
  /** The imaginary part (Python's a.imag). */
  readonly imag: array;
  /**
   * Python's a[i0, i1, ...]: a.index(0, '1:3', null, '...', idx). See
   * docs/indexing.md for every form.
   */
  index(...indices: Index[]): array;
  /**
   * Python's a[i0, i1, ...] = value: the last argument is the value (an
   * array, a scalar or a JS list), broadcast to the indexed shape. Updates
   * `a` itself. a.set(mask, value) with one boolean mask fills the masked
   * positions in order; a.set(value) sets every element (Python's a[()] = v).
   */
  set(...indicesThenValue: (Index | ArrayLike | unknown[])[]): void;
  /** Python's a.at[i0, i1, ...]: a.at(idx).add(v) returns a new array; repeated indices accumulate. */
  at(...indices: Index[]): ArrayAt;
  /** Variance; `correction` is the array API's name for ddof. */
  var(axis?: number | number[] | null, keepdims?: boolean, ddof?: number, options?: MomentOptions): array;
  var(options?: MomentOptions & { axis?: number | number[] | null; keepdims?: boolean; ddof?: number }): array;
  /** Standard deviation; `correction` is the array API's name for ddof. */
  std(axis?: number | number[] | null, keepdims?: boolean, ddof?: number, options?: MomentOptions): array;
  std(options?: MomentOptions & { axis?: number | number[] | null; keepdims?: boolean; ddof?: number }): array;
}

export interface MomentOptions {
  correction?: number | null;
  stream?: StreamOrDevice | null;
}

export interface ArrayConstructor {
  /**
   * Make an array from a number, boolean, bigint, {re, im}, nested JS arrays
   * of those, a TypedArray, an ArrayBuffer/DataView/Buffer (raw bytes of
   * `dtype`), or another array. JS numbers give float32 unless a dtype is
   * given; booleans bool; bigints int64.
   */
  new (val: unknown, dtype?: Dtype | null): array;
  (val: unknown, dtype?: Dtype | null): array;
  readonly prototype: array;
}

const NativeArrayClass = native.array;
const proto = NativeArrayClass.prototype as Record<PropertyKey, unknown>;

// A long flat list of JS numbers is read in JS into one Float32Array (the
// engine rounds each number to float32 exactly as the element-by-element
// conversion in C++ does): 2^20 numbers take ~1/18 of the time. Short lists
// stay in C++: a small typed array's buffer costs more than it saves.
const FLAT_NUMBERS_MIN = 64;
function flatNumbers(val: unknown): Float32Array | null {
  if (!Array.isArray(val) || val.length < FLAT_NUMBERS_MIN) return null;
  const out = new Float32Array(val.length); // one pass; a loop beats Float32Array.from here
  for (let i = 0; i < val.length; i++) {
    const v = val[i];
    if (typeof v !== 'number') return null;
    out[i] = v;
  }
  return out;
}

const float32 = (native as unknown as { float32: Dtype }).float32;
const makeArray = native._array;

export const array = function array(val: unknown, dtype?: Dtype | null): array {
  if (dtype === undefined || dtype === null || dtype === float32) {
    const flat = flatNumbers(val);
    if (flat) return makeArray(flat);
  }
  return makeArray(val, dtype);
} as unknown as ArrayConstructor;
(array as unknown as { prototype: unknown }).prototype = proto;
// a.constructor is mx.array (the native class only marks the objects).
Object.defineProperty(proto, 'constructor', { value: array, writable: true, configurable: true });

// Ops flagged as methods in the binding tables: a.sum(...) is sum(a, ...).
for (const name of arrayMethodNames) {
  const op = (native as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
  Object.defineProperty(proto, name, {
    value: function (this: array, ...args: unknown[]) {
      return op(this, ...args);
    },
    writable: true,
    configurable: true,
  });
}

// Python's a.reshape(*shape) / a.transpose(*axes): varargs or one list, then
// options (undefined when not given: an options object, even empty, sends the
// native call down its general argument resolution).
function varargsMethod(op: (a: array, list: number[] | undefined, opts?: object) => array) {
  return function (this: array, ...args: unknown[]) {
    let opts: object | undefined;
    if (args.length && typeof args[args.length - 1] === 'object' && !Array.isArray(args[args.length - 1])) {
      opts = args.pop() as object;
    }
    const list =
      args.length === 1 && Array.isArray(args[0])
        ? (args[0] as number[])
        : args.length
          ? (args as number[])
          : undefined;
    return op(this, list, opts);
  };
}

Object.defineProperties(proto, {
  reshape: {
    value: varargsMethod((a, shape, opts) =>
      native.reshape(a, shape ?? [], opts as { stream?: StreamOrDevice | null } | undefined),
    ),
    writable: true,
    configurable: true,
  },
  transpose: {
    value: varargsMethod((a, axes, opts) =>
      native.transpose(a, axes ?? null, opts as { stream?: StreamOrDevice | null } | undefined),
    ),
    writable: true,
    configurable: true,
  },
  T: {
    get(this: array) {
      return native.transpose(this);
    },
    configurable: true,
  },
  length: {
    get(this: array) {
      if (this.ndim === 0) throw new TypeError('len() 0-dimensional array.');
      return this.shape[0];
    },
    configurable: true,
  },
  [Symbol.iterator]: {
    value: function* (this: array) {
      if (this.ndim === 0) throw new TypeError('iter() 0-dimensional array.');
      const n = this.shape[0];
      for (let i = 0; i < n; i++) yield this.__index0__(i) as array;
    },
    writable: true,
    configurable: true,
  },
  toString: {
    value: function (this: array) {
      return this.disposed ? 'array(<disposed>)' : this.__repr__();
    },
    writable: true,
    configurable: true,
  },
  [inspect.custom]: {
    value: function (this: array) {
      return this.toString();
    },
    writable: true,
    configurable: true,
  },
  [Symbol.dispose]: {
    value: function (this: array) {
      this.dispose();
    },
    writable: true,
    configurable: true,
  },
  [Symbol.toStringTag]: { value: 'mlx.core.array', configurable: true },
});

// The small native classes print as Python's repr in console.log / inspect.
for (const C of [
  native.Dtype,
  native.DtypeCategory,
  native.Device,
  native.DeviceType,
  native.Stream,
  native.ThreadLocalStream,
]) {
  Object.defineProperty(C.prototype, inspect.custom, {
    value: function (this: object) {
      return this.toString();
    },
    configurable: true,
  });
}

// ---------------------------------------------------------------------------
// Indexing (native/indexing.cc; docs/indexing.md)

/** A slice with computed bounds: a.index(mx.Slice(i, i + n, 2)) is Python's a[i:i+n:2]. */
export class Slice {
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
  constructor(start: number | null = null, stop: number | null = null, step: number | null = null) {
    this.start = start;
    this.stop = stop;
    this.step = step;
    Object.freeze(this);
  }
  toString(): string {
    return `slice(${this.start}, ${this.stop}, ${this.step})`;
  }
}
// How native/indexing.cc recognizes a Slice.
Object.defineProperty(Slice.prototype, '__mlxSlice__', { value: true });

export type Updater = (value: ArrayLike | unknown[]) => array;

/** Python's a.at[idx]: the update ops, each returning a new array. */
export class ArrayAt {
  readonly #target: array;
  readonly #indices: Index[];
  constructor(target: array, indices: Index[]) {
    this.#target = target;
    this.#indices = indices;
  }
  #apply(op: string, value: ArrayLike | unknown[]): array {
    return native._update(this.#target, op, updateValue(this.#target, value), ...this.#indices) as array;
  }
  /** a[idx] += value, with repeated indices adding up. */
  add: Updater = (value) => this.#apply('add', value);
  subtract: Updater = (value) => this.#apply('subtract', value);
  multiply: Updater = (value) => this.#apply('multiply', value);
  divide: Updater = (value) => this.#apply('divide', value);
  maximum: Updater = (value) => this.#apply('maximum', value);
  minimum: Updater = (value) => this.#apply('minimum', value);
}

// A JS list as an update value is an array of the target's dtype (as in Python).
function updateValue(target: array, value: unknown): ArrayLike {
  return Array.isArray(value) ? array(value, target.dtype) : (value as ArrayLike);
}

function method(name: string, value: Function) {
  Object.defineProperty(proto, name, { value, writable: true, configurable: true });
}
function getter(name: string, get: (this: array) => unknown) {
  Object.defineProperty(proto, name, { get, configurable: true });
}

// tolist() of a larger array of a dtype whose TypedArray holds JS numbers
// exactly: one toTypedArray() and Array.from per row instead of one N-API
// call per element (2^20 float32: 78 -> ~15 ms; Python 34 ms). Python's values: float32 as
// the double it is, integers as numbers.
const nativeTolist = proto.__tolist__ as (this: array) => unknown; // element by element, in C++
const TOLIST_MIN = 64;
const tolistFast = new Set(
  ['float32', 'float64', 'int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32'].map(
    (n) => (native as unknown as Record<string, Dtype>)[n],
  ),
);
type NumberArray =
  Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
function nestRows(data: NumberArray, shape: readonly number[], dim: number, offset: number): unknown[] {
  const n = shape[dim];
  if (dim === shape.length - 1) {
    const row = new Array(n); // a loop is ~5x faster than Array.from here
    for (let i = 0; i < n; i++) row[i] = data[offset + i];
    return row;
  }
  let stride = 1;
  for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = nestRows(data, shape, dim + 1, offset + i * stride);
  return out;
}
method('tolist', function (this: array) {
  // (size first: one getter call for the small arrays, 0-d ones included)
  if (this.size < TOLIST_MIN || this.ndim === 0 || !tolistFast.has(this.dtype)) return nativeTolist.call(this);
  return nestRows(this.toTypedArray() as NumberArray, this.shape, 0, 0);
});

method('index', function (this: array, ...indices: Index[]) {
  return native._index(this, ...indices);
});
method('set', function (this: array, ...args: unknown[]) {
  if (args.length < 1) {
    throw new TypeError('set() takes the index components and then the value: a.set(0, "1:3", value).');
  }
  const value = args.pop(); // a.set(value) alone is Python's a[()] = value
  native._update(this, 'set', updateValue(this, value), ...(args as Index[]));
});
method('at', function (this: array, ...indices: Index[]) {
  return new ArrayAt(this, indices);
});
getter('mT', function () {
  return native.swapaxes(this, -1, -2);
});
getter('real', function () {
  return native.real(this);
});
getter('imag', function () {
  return native.imag(this);
});
// Python's array.var/std also take `correction` (= ddof).
for (const name of ['var', 'std'] as const) {
  const op = native[name];
  method(name, function (this: array, ...args: unknown[]) {
    const last = args[args.length - 1];
    if (
      last !== null &&
      typeof last === 'object' &&
      !(last instanceof array) &&
      !Array.isArray(last) &&
      'correction' in last
    ) {
      const { correction, ...rest } = last as { correction?: number | null; ddof?: number };
      if (correction != null) {
        if (rest.ddof !== undefined || args.length > 3) {
          throw new TypeError(`${name}(): give either ddof or correction, not both.`);
        }
        rest.ddof = correction;
      }
      args[args.length - 1] = rest;
    }
    return (op as (...a: unknown[]) => array)(this, ...args);
  });
}

// ---------------------------------------------------------------------------
// Evaluation (trees are walked by lib/trees.ts, the one set of tree rules)

function arraysIn(trees: unknown[]): array[] {
  const out: array[] = [];
  for (const t of trees) {
    if (t instanceof array)
      out.push(t); // the common case, without the tree walk
    else for (const leaf of treeLeaves(t)) if (leaf instanceof array) out.push(leaf);
  }
  return out;
}

/** Evaluate the arrays in the given trees (nested arrays, plain objects, Maps). */
export function evaluate(...trees: unknown[]): void {
  native._eval(arraysIn(trees));
}

/** Start evaluating and return at once (Python's async_eval). */
export function asyncEval(...trees: unknown[]): void {
  native._asyncEval(arraysIn(trees));
}

/**
 * Evaluate on a worker thread; the promise settles when the arrays are ready.
 * The event loop keeps running meanwhile. (JS-only.)
 */
export function evalAsync(...trees: unknown[]): Promise<void> {
  return native._evalAsync(arraysIn(trees));
}

// ---------------------------------------------------------------------------
// Lifetime: dispose and tidy

/** Free the arrays in the given trees now. Using them afterwards throws. */
export function dispose(...trees: unknown[]): void {
  for (const a of arraysIn(trees)) a.dispose();
}

interface TidyScope {
  arrays: Set<array>;
  parent: TidyScope | undefined;
}
const tidyStore = new AsyncLocalStorage<TidyScope>();
let openScopes = 0;

function track(a: NativeArray) {
  tidyStore.getStore()?.arrays.add(a as array);
}

function closeScope(scope: TidyScope, result: unknown) {
  const keep = new Set(arraysIn([result]));
  for (const a of scope.arrays) {
    if (keep.has(a)) scope.parent?.arrays.add(a);
    else a.dispose();
  }
  scope.arrays.clear();
  if (--openScopes === 0) native._setCreationHook(null);
}

/**
 * Run fn and free every array it created except those in its result (a tree).
 * Works for async functions too: the scope follows fn's async context, so
 * concurrent tidy scopes never sweep each other's arrays.
 */
export function tidy<T>(fn: () => T): T {
  const scope: TidyScope = { arrays: new Set(), parent: tidyStore.getStore() };
  if (openScopes++ === 0) native._setCreationHook(track);
  let result: T;
  try {
    result = tidyStore.run(scope, fn);
  } catch (e) {
    closeScope(scope, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => {
        closeScope(scope, value);
        return value;
      },
      (e) => {
        closeScope(scope, undefined);
        throw e;
      },
    ) as T;
  }
  closeScope(scope, result);
  return result;
}

// ---------------------------------------------------------------------------
// Scoped default stream/device (Python's `with mx.stream(s):`)

/** A scope with a default stream; leave it with [Symbol.dispose]() (or `using`). */
export interface StreamContext extends Disposable {
  exit(): void;
}

/**
 * stream(s, fn): run fn with s (a Stream, Device or mx.cpu/mx.gpu) as the
 * default, restore the previous default after, and return fn's result.
 * stream(s): make s the default until the returned context is disposed
 * (`using _ = mx.stream(mx.cpu)`). The default applies to ops made
 * synchronously inside; an async fn keeps it only until its first await.
 */
export function stream<T>(s: StreamOrDevice, fn: () => T): T;
export function stream(s: StreamOrDevice): StreamContext;
export function stream<T>(s: StreamOrDevice, fn?: () => T): T | StreamContext {
  if (s == null) throw new TypeError('[StreamContext] Invalid argument, please specify a stream or device.');
  const previous = native._streamEnter(s);
  if (fn === undefined) {
    let open = true;
    const exit = () => {
      if (open) native._streamExit(previous);
      open = false;
    };
    return { exit, [Symbol.dispose]: exit };
  }
  try {
    return fn();
  } finally {
    native._streamExit(previous);
  }
}

// ---------------------------------------------------------------------------
// Print options (Python's get_printoptions / printoptions context)

/** How arrays print. precision: digits after the decimal point (-1: MLX's default). */
export class PrintOptions {
  precision: number;
  constructor(precision = -1) {
    this.precision = precision;
  }
}

/** The current print options. */
export function getPrintoptions(): PrintOptions {
  return new PrintOptions(native._printPrecision());
}

/**
 * printoptions({precision}, fn): print with these options inside fn.
 * printoptions({precision}): until the returned context is disposed
 * (`using _ = mx.printoptions({precision: 2})`). A number is the precision.
 */
export function printoptions<T>(options: number | { precision?: number }, fn: () => T): T;
export function printoptions(options?: number | { precision?: number }): StreamContext;
export function printoptions<T>(options: number | { precision?: number } = {}, fn?: () => T): T | StreamContext {
  const precision = typeof options === 'number' ? options : (options.precision ?? -1);
  const previous = native._printPrecision();
  native.setPrintoptions(precision);
  const exit = () => native.setPrintoptions(previous);
  if (fn === undefined) {
    let open = true;
    const once = () => {
      if (open) exit();
      open = false;
    };
    return { exit: once, [Symbol.dispose]: once };
  }
  try {
    return fn();
  } finally {
    exit();
  }
}

// ---------------------------------------------------------------------------
// finfo / iinfo

// C++'s default ostream formatting of a double (6 significant digits, %g).
function formatG(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  let s = x.toPrecision(6);
  let exp = '';
  const e = s.indexOf('e');
  if (e >= 0) {
    exp = s.slice(e);
    s = s.slice(0, e);
    const sign = exp[1];
    const digits = exp.slice(2).padStart(2, '0');
    exp = `e${sign}${digits}`;
  }
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s + exp;
}

function safeInt(x: number | bigint): number | bigint {
  return typeof x === 'bigint' && x >= -(2n ** 53n) && x <= 2n ** 53n ? Number(x) : x;
}

// Python's classes are called without `new`: mx.finfo(mx.float32).
function callable<C extends new (...args: never[]) => object>(
  C: C,
): C & ((...args: ConstructorParameters<C>) => InstanceType<C>) {
  const f = function (...args: ConstructorParameters<C>) {
    return new C(...args);
  };
  f.prototype = C.prototype;
  Object.defineProperty(f, 'name', { value: C.name });
  return f as unknown as C & ((...args: ConstructorParameters<C>) => InstanceType<C>);
}

/** Machine limits of a floating-point type: mx.finfo(mx.float16).max. */
export class FInfo {
  readonly min: number;
  readonly max: number;
  readonly eps: number;
  readonly smallestNormal: number;
  readonly bits: number;
  readonly dtype: Dtype;
  constructor(dtype: Dtype) {
    const [min, max, eps, smallestNormal, bits, realDtype] = native._finfo(dtype);
    this.min = min;
    this.max = max;
    this.eps = eps;
    this.smallestNormal = smallestNormal;
    this.bits = bits;
    this.dtype = realDtype; // complex64 describes its float32 parts, as in Python
  }
  toString(): string {
    return `finfo(min=${formatG(this.min)}, max=${formatG(this.max)}, dtype=${String(this.dtype).replace('mlx.core.', '')})`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

/** Limits of an integer type: mx.iinfo(mx.int8).min. int64/uint64 limits beyond 2^53 are bigints. */
export class IInfo {
  readonly min: number | bigint;
  readonly max: number | bigint;
  readonly dtype: Dtype;
  constructor(dtype: Dtype) {
    const [min, max] = native._iinfo(dtype) as [number | bigint, number | bigint];
    this.min = safeInt(min);
    this.max = safeInt(max);
    this.dtype = dtype;
  }
  toString(): string {
    return `iinfo(min=${this.min}, max=${this.max}, dtype=${String(this.dtype).replace('mlx.core.', '')})`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

const DeviceClass = callable(native.Device);
export const finfo = callable(FInfo);
export type finfo = FInfo;
export const iinfo = callable(IInfo);
export type iinfo = IInfo;
Object.defineProperty(FInfo, 'name', { value: 'finfo' });
Object.defineProperty(IInfo, 'name', { value: 'iinfo' });

// ---------------------------------------------------------------------------
// The module object

type PublicNative = {
  [K in keyof NativeFunctions as K extends `_${string}` ? never : K]: NativeFunctions[K];
};

/** mx.metal: availability, captures, and Python's deprecated aliases of the memory functions. */
export type Metal = NativeFunctions['metal'] &
  Pick<
    NativeFunctions,
    | 'clearCache'
    | 'getActiveMemory'
    | 'getCacheMemory'
    | 'getPeakMemory'
    | 'resetPeakMemory'
    | 'setCacheLimit'
    | 'setMemoryLimit'
    | 'setWiredLimit'
  > & { deviceInfo(): Record<string, string | number> };

export interface Core extends Omit<PublicNative, 'random' | 'metal'> {
  metal: Metal;
  array: ArrayConstructor;
  Dtype: Function;
  DtypeCategory: Function;
  /** new mx.Device(mx.cpu, 0) or mx.Device(mx.cpu). */
  Device: (new (type: DeviceType, index?: number) => Device) & ((type: DeviceType, index?: number) => Device);
  DeviceType: { cpu: DeviceType; gpu: DeviceType };
  Stream: Function;
  ThreadLocalStream: Function;
  cpu: DeviceType;
  gpu: DeviceType;
  bool_: Dtype;
  /** Alias of bool_ (JS has no clash with a builtin). */
  bool: Dtype;
  uint8: Dtype;
  uint16: Dtype;
  uint32: Dtype;
  uint64: Dtype;
  int8: Dtype;
  int16: Dtype;
  int32: Dtype;
  int64: Dtype;
  float16: Dtype;
  float32: Dtype;
  float64: Dtype;
  bfloat16: Dtype;
  complex64: Dtype;
  complexfloating: DtypeCategory;
  floating: DtypeCategory;
  inexact: DtypeCategory;
  signedinteger: DtypeCategory;
  unsignedinteger: DtypeCategory;
  integer: DtypeCategory;
  number: DtypeCategory;
  generic: DtypeCategory;
  __version__: string;
  /** Python's mx.eval (eval is reserved-ish in JS; `evaluate` is the same function). */
  eval: typeof evaluate;
  evaluate: typeof evaluate;
  asyncEval: typeof asyncEval;
  evalAsync: typeof evalAsync;
  dispose: typeof dispose;
  tidy: typeof tidy;
  stream: typeof stream;
  finfo: typeof finfo;
  iinfo: typeof iinfo;
  /** Python's dir(): the public names of the module, or of a dtype/device/stream/array. */
  dir(obj?: unknown): string[];
  PrintOptions: typeof PrintOptions;
  getPrintoptions: typeof getPrintoptions;
  printoptions: typeof printoptions;
  /** mx.Slice(start, stop, step) for a.index(...): null leaves a part out. */
  Slice: typeof Slice & ((start?: number | null, stop?: number | null, step?: number | null) => Slice);
  ArrayAt: typeof ArrayAt;
  /** The ellipsis index component ('...'). */
  Ellipsis: '...';
  /** The new-axis index component (null, Python's None). */
  newaxis: null;
  pi: number;
  e: number;
  inf: number;
  nan: number;
  eulerGamma: number;
  /** mx.array(a, dtype), but an mx.array of the right dtype comes back as is (unless copy is true). */
  asarray(a: unknown, dtype?: Dtype | null, options?: { copy?: boolean | null }): array;
  arrayFrom: typeof arrayFrom;
  /** The size in bytes of the buffers backing the (evaluated) arrays in the given trees. */
  getArrayBufferSize(...trees: unknown[]): number;
  acos: NativeFunctions['arccos'];
  acosh: NativeFunctions['arccosh'];
  asin: NativeFunctions['arcsin'];
  asinh: NativeFunctions['arcsinh'];
  atan: NativeFunctions['arctan'];
  atan2: NativeFunctions['arctan2'];
  atanh: NativeFunctions['arctanh'];
  bitwiseLeftShift: NativeFunctions['leftShift'];
  bitwiseRightShift: NativeFunctions['rightShift'];
  cumulativeProd: NativeFunctions['cumprod'];
  cumulativeSum: NativeFunctions['cumsum'];
  empty: NativeFunctions['zeros'];
  emptyLike: NativeFunctions['zerosLike'];
  pow: NativeFunctions['power'];
  /** node-mlx's name for var. */
  variance: NativeFunctions['var'];
  random: Random;
  save: typeof save;
  savez: typeof savez;
  savezCompressed: typeof savezCompressed;
  saveSafetensors: typeof saveSafetensors;
  saveGguf: typeof saveGguf;
  load: typeof load;
  exportFunction: typeof exportFunction;
  importFunction: typeof importFunction;
  exporter: typeof exporter;
  exportToDot: typeof exportToDot;
  grad: typeof grad;
  valueAndGrad: typeof valueAndGrad;
  vjp: typeof vjp;
  jvp: typeof jvp;
  vmap: typeof vmap;
  compile: typeof compile;
  checkpoint: typeof checkpoint;
  customFunction: typeof customFunction;
}

// Python's aliases (and node-mlx's `variance`): the same function objects.
const aliases = {
  acos: 'arccos',
  acosh: 'arccosh',
  asin: 'arcsin',
  asinh: 'arcsinh',
  atan: 'arctan',
  atan2: 'arctan2',
  atanh: 'arctanh',
  bitwiseLeftShift: 'leftShift',
  bitwiseRightShift: 'rightShift',
  cumulativeProd: 'cumprod',
  cumulativeSum: 'cumsum',
  empty: 'zeros',
  emptyLike: 'zerosLike',
  pow: 'power',
  variance: 'var',
} as const;

export type FillView =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * A new array whose memory `fill` writes directly (JS-only; no second copy):
 *   mx.arrayFrom([1024, 1024], mx.float32, (view) => { for (...) view[i] = ... })
 * The view is the TypedArray toTypedArray() would give for the dtype; it is
 * detached (length 0) once fill returns.
 */
function arrayFrom(shape: number[], dtype: Dtype, fill: (view: FillView) => void): array {
  return native._fromFill(shape, dtype, fill as (view: unknown) => void) as array;
}

function asarray(a: unknown, dtype?: Dtype | null, options: { copy?: boolean | null } = {}): array {
  if (a instanceof array && (dtype == null || dtype === a.dtype) && options.copy !== true) return a;
  // JS memory can never become MLX memory without a copy (docs/data-interop.md).
  if (options.copy === false) throw new Error('[convert] Cannot import a CPU array without a copy.');
  return array(a, dtype);
}

const publicNative: Record<string, unknown> = {};
for (const key of Object.keys(native)) if (!key.startsWith('_')) publicNative[key] = native[key];

export const core = Object.assign(publicNative, {
  array,
  Device: DeviceClass,
  bool: native.bool_,
  eval: evaluate,
  evaluate,
  asyncEval,
  evalAsync,
  dispose,
  tidy,
  stream,
  finfo,
  iinfo,
  dir: (obj?: unknown): string[] => dir(obj),
  __version__: (native as unknown as { __version__: string }).__version__,
  Slice: callable(Slice),
  PrintOptions,
  getPrintoptions,
  printoptions,
  ArrayAt,
  Ellipsis: '...',
  newaxis: null,
  pi: Math.PI,
  e: Math.E,
  inf: Infinity,
  nan: NaN,
  eulerGamma: 0.5772156649015329,
  asarray,
  metal: Object.assign(native.metal, {
    clearCache: native.clearCache,
    getActiveMemory: native.getActiveMemory,
    getCacheMemory: native.getCacheMemory,
    getPeakMemory: native.getPeakMemory,
    resetPeakMemory: native.resetPeakMemory,
    setCacheLimit: native.setCacheLimit,
    setMemoryLimit: native.setMemoryLimit,
    setWiredLimit: native.setWiredLimit,
    // Python's deprecated mx.metal.device_info(): the GPU's info ({} without Metal).
    deviceInfo: () => (native.metal.isAvailable() ? native.deviceInfo(native.gpu) : {}),
  }),
  arrayFrom,
  getArrayBufferSize: (...trees: unknown[]): number => native.getArrayBufferSize(...arraysIn(trees)),
  random,
  save,
  savez,
  savezCompressed,
  saveSafetensors,
  saveGguf,
  load,
  exportFunction,
  importFunction,
  exporter,
  exportToDot,
  grad,
  valueAndGrad,
  vjp,
  jvp,
  vmap,
  compile,
  checkpoint,
  customFunction,
  ...Object.fromEntries(Object.entries(aliases).map(([alias, name]) => [alias, native[name]])),
}) as unknown as Core;

function dir(obj?: unknown): string[] {
  const target = obj === undefined ? core : obj;
  const names = new Set<string>();
  let o: unknown = target;
  while (o && o !== Object.prototype && o !== Function.prototype) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (!k.startsWith('_') && !['constructor', 'toString', 'equals'].includes(k)) names.add(k);
    }
    if (target === core) break;
    o = Object.getPrototypeOf(o);
  }
  return [...names].sort();
}

export type { Device, DeviceType, Dtype, DtypeCategory, Stream, StreamOrDevice };
