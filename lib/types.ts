// The shapes of the native classes (native/array.cc, dtype.cc, device.cc) and
// the argument types the binding tables name (see native.generated.ts).

/** A complex scalar: mx.array({re: 1, im: 2}) is 1+2j. */
export interface Complex {
  re: number;
  im: number;
}

/** A JS scalar where Python accepts a scalar: number, boolean, bigint or {re, im}. */
export type Scalar = number | boolean | bigint | Complex;

/** A dtype: the constants mx.float32 &c. are singletons, compare them with ===. */
export interface Dtype {
  /** Size of one element in bytes. */
  readonly size: number;
  /** 'mlx.core.float32', as Python's repr. */
  toString(): string;
}

/** A dtype category (mx.floating, mx.integer, ...), for issubdtype. */
export interface DtypeCategory {
  readonly name: string;
  toString(): string;
}

/** mx.cpu or mx.gpu. */
export interface DeviceType {
  readonly name: 'cpu' | 'gpu';
  toString(): string;
}

export interface Device {
  readonly type: DeviceType;
  equals(other: unknown): boolean;
  toString(): string;
}

export interface Stream {
  readonly device: Device;
  readonly index: number;
  equals(other: unknown): boolean;
  toString(): string;
}

export type ThreadLocalStream = Stream;

/** Where Python takes `stream=`: a Stream, a Device, or mx.cpu / mx.gpu. */
export type StreamOrDevice = Stream | Device | DeviceType;

/** The native part of an array; lib/core.ts adds the methods. */
export interface NativeArray {
  readonly shape: number[];
  readonly dtype: Dtype;
  readonly size: number;
  readonly ndim: number;
  readonly itemsize: number;
  readonly nbytes: number;
  /** True once dispose() has freed the array. */
  readonly disposed: boolean;
  /** Free the array's memory now (also `using a = ...`). Using it afterwards throws. */
  dispose(): void;
  /**
   * The value of a one-element array: number (int64/uint64 beyond 2^53: bigint),
   * boolean, or {re, im} for complex64.
   */
  item(): number | bigint | boolean | Complex;
  /** Nested JS arrays of item() values. */
  tolist(): unknown;
  /**
   * A view of the evaluated array's memory (no copy; a non-contiguous array is
   * first copied to a contiguous one). The view keeps the memory alive.
   * float16/bfloat16 come as Uint16Array of their bits, bool as Uint8Array,
   * complex64 as Float32Array of interleaved re, im; int64/uint64 as
   * BigInt64Array/BigUint64Array.
   */
  toTypedArray():
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
  /** Python's repr(a). @internal */
  __repr__(): string;
  /** a[i] on the first axis (iteration). @internal */
  __index0__(i: number): NativeArray;
  /** tolist() element by element in C++ (tolist() uses it for small arrays and other dtypes). @internal */
  __tolist__(): unknown;
}

// The full array type (NativeArray plus the methods of lib/core.ts).
export type { array } from './core';

/**
 * One component of a subscript (docs/indexing.md): an integer, a
 * 'start:stop:step' slice string or mx.Slice, null (new axis), '...', an
 * integer array, or a (nested) JS list of integers; for set() only, a
 * boolean mask (boolean, list of booleans or bool array).
 */
export type Index =
  | number
  | bigint
  | boolean
  | string
  | null
  | { readonly start: number | null; readonly stop: number | null; readonly step: number | null }
  | import('./core').array
  | IndexList;
export type IndexList = ReadonlyArray<number | boolean | IndexList>;

/** What an op accepts where Python accepts an array or a scalar. */
export type ArrayLike = import('./core').array | Scalar;

/** The call of a custom kernel (mx.fast.metalKernel / cudaKernel): Python's keyword arguments. */
export interface KernelOptions {
  inputs: import('./core').array[];
  outputShapes: number[][];
  outputDtypes: Dtype[];
  grid: [number, number, number];
  threadgroup: [number, number, number];
  /** [[name, int | boolean | Dtype], ...] */
  template?: Array<[string, number | boolean | Dtype]>;
  initValue?: number | null;
  verbose?: boolean;
  stream?: StreamOrDevice | null;
}

/** A group of processes for the collectives of mx.distributed. */
export interface Group {
  rank(): number;
  size(): number;
  split(color: number, key?: number): Group;
}
