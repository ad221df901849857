// One table of op cases shared by the differential test (test/differential.test.ts,
// every case through Python mlx 0.32.4 and mlx-node) and the stream test
// (test/device.test.ts, one valid case per op).
//
// A case is { op, args, options }: `op` is the JS name, `args` the positional
// arguments and `options` the keyword arguments (camelCase). From one case come
//   JS:     mx[op](...args, options)
//   Python: mx.<snake_name>(*args, **snake_case(options))
// Arrays are specs ({$arr: {dtype, shape, fill}}): built once in JS from a
// deterministic formula (fill) and sent to Python as bytes, so both sides get
// bit-identical inputs. A JS number that is integral goes to Python as an int,
// a fractional one (and NaN/±inf) as a float, a boolean as a bool, a JS list as
// a Python list, null as None, {re, im} as a complex, a dtype spec as mx.<dtype>.
//
// The first case of every op is a valid call (Python returns a value); the
// differential test checks that, and the stream test relies on it.
//
// Left out on purpose (both libraries would read out-of-bounds memory or hit
// undefined behaviour, so neither result means anything):
// - integer division of INT_MIN by -1 (floor_divide/remainder/divmod), and
//   divmod by an integer zero: SIGFPE in Python and in mlx-node alike, it would
//   kill the test process;
// - segmented_mm with segment bounds outside [0, K] (a segfault in Python);
// - shifts by negative amounts or by >= the bit width;
// - take/take_along_axis/put_along_axis/gather indices out of range (no bounds
//   check in MLX);
// - from_fp8(x, dtype=float64): MLX's CPU kernel leaves part of the output
//   unwritten (Python returns whatever was in memory), so no result to compare;
// - mx.variance (mlx-node's alias of var, Python has no such name).
//
// qqmm and gather_qqmm have no valid call on the CPU (MLX: "[QQMatmul] NYI for
// the general case", "[GatherQQMM] NYI"): their first case raises too
// (NO_VALID_CASE_ON_CPU).
import { mx } from '../../lib/index';
import type { array, Dtype } from '../../lib/index';
import { DTYPES } from './dtypes';

export type DtypeName = (typeof DTYPES)[number];

/**
 * How an input array's values are made (all deterministic):
 * - mixed:  negatives, zero, fractions, NaN and ±inf for float types (inexact types)
 * - finite: the same without NaN/inf
 * - edge:   the dtype's extremes (min/max, subnormals, NaN, ±inf, -0)
 * - small:  0..3
 * - pos:    positive values
 * - range:  0, 1, 2, ...
 * - unit:   values in [-1, 1]
 * - sorted: ascending values
 * - idxN:   indices in [0, N)   nidxN: indices in [-N, N)
 * - bits:   arbitrary bit patterns (packed quantized weights)
 * - scale:  small positive powers of two (quantization scales)
 */
export type Fill =
  | 'mixed'
  | 'finite'
  | 'edge'
  | 'small'
  | 'pos'
  | 'range'
  | 'unit'
  | 'sorted'
  | 'bits'
  | 'scale'
  | `idx${number}`
  | `nidx${number}`;

export interface ArrSpec {
  readonly $arr: {
    readonly dtype: DtypeName;
    readonly shape: readonly number[];
    readonly fill: Fill;
    readonly seed: number;
    /** A non-contiguous view of the array, made on both sides (see VIEWS). */
    readonly view?: View;
  };
}

/**
 * Views that make an input non-contiguous, applied to the array in JS and in
 * Python alike: T transposes, step takes every other element of the last
 * axis, rev reverses the first axis, bcast broadcasts to [2, ...shape].
 */
export type View = 'T' | 'step' | 'rev' | 'bcast';
export interface DtypeSpec {
  readonly $dtype: DtypeName;
}
export interface ComplexArg {
  readonly re: number;
  readonly im: number;
}
export type Arg = ArrSpec | DtypeSpec | ComplexArg | number | bigint | boolean | string | null | readonly Arg[];

export interface OpCase {
  /** The JS name of the op (mx[op]). */
  readonly op: string;
  readonly args: readonly Arg[];
  readonly options?: Readonly<Record<string, Arg>>;
}

// ---------------------------------------------------------------------------
// Specs and their JS values

export function arr(dtype: DtypeName, shape: readonly number[], fill: Fill = 'mixed', seed = 0, view?: View): ArrSpec {
  return { $arr: view ? { dtype, shape, fill, seed, view } : { dtype, shape, fill, seed } };
}
/** The array a view is taken of (the spec itself when it has no view). */
export function baseOf(s: ArrSpec): ArrSpec {
  if (!s.$arr.view) return s;
  const { dtype, shape, fill, seed } = s.$arr;
  return { $arr: { dtype, shape, fill, seed } };
}
export function dt(name: DtypeName): DtypeSpec {
  return { $dtype: name };
}
export function isArrSpec(v: unknown): v is ArrSpec {
  return v !== null && typeof v === 'object' && '$arr' in (v as object);
}
export function isDtypeSpec(v: unknown): v is DtypeSpec {
  return v !== null && typeof v === 'object' && '$dtype' in (v as object);
}
function isComplexArg(v: unknown): v is ComplexArg {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 're' in (v as object) && 'im' in (v as object);
}

export function specKey(s: ArrSpec): string {
  const a = s.$arr;
  return `${a.dtype}|${a.shape.join(',')}|${a.fill}|${a.seed}${a.view ? '|' + a.view : ''}`;
}

const FLOAT_MIXED = [-2.5, 0, 1.5, NaN, Infinity, -0.75, 3, -Infinity, 0.5, -1, 2.25, -0, 4, -3.5, 0.25, 1, 7.5, -6];
const FLOAT_FINITE = [-2.5, 0, 1.5, -0.75, 3, 0.5, -1, 2.25, -0, 4, -3.5, 0.25, 1, 7.5, -6];
const SIGNED = [-3, 0, 2, 7, -1, 5, -8, 1, 4, -2, 6, 3, 9, -5];
const UNSIGNED = [3, 0, 2, 7, 1, 5, 8, 1, 4, 2, 6, 3, 9, 5];
const BOOLS = [true, false, false, true, true, false, true];
const UNIT = [-0.9, -0.5, 0, 0.25, 0.75, 1, -1, 0.5, -0.25];
const POS = [0.5, 1, 2.5, 4, 0.25, 3, 1.5, 2];
const POS_INT = [1, 2, 3, 4, 5, 6, 7, 2];
const SCALES = [0.5, 0.25, 1, 0.125, 2, 0.0625];

const INT_BITS: Partial<Record<DtypeName, [bigint, bigint]>> = {
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 4294967295n],
  uint64: [0n, 18446744073709551615n],
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-9223372036854775808n, 9223372036854775807n],
};
const FLOAT_EDGE: Partial<Record<DtypeName, number[]>> = {
  float16: [65504, -65504, 5.960464477539063e-8, 6.103515625e-5, NaN, Infinity, -Infinity, -0, 1e-3, 0.1],
  bfloat16: [
    3.3895313892515355e38,
    -3.3895313892515355e38,
    9.183549615799121e-41,
    1.1754943508222875e-38,
    NaN,
    Infinity,
    -Infinity,
    -0,
    1e-3,
    0.1,
  ],
  float32: [
    3.4028234663852886e38,
    -3.4028234663852886e38,
    1.401298464324817e-45,
    1.1754943508222875e-38,
    NaN,
    Infinity,
    -Infinity,
    -0,
    1e-3,
    0.1,
  ],
  float64: [
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    5e-324,
    2.2250738585072014e-308,
    NaN,
    Infinity,
    -Infinity,
    -0,
    1e-3,
    0.1,
  ],
};

const isFloat = (d: DtypeName) => d === 'float16' || d === 'float32' || d === 'float64' || d === 'bfloat16';
const isUnsigned = (d: DtypeName) => d.startsWith('uint');

/** The JS values (flat, row-major) of an array spec. */
export function specValues(s: ArrSpec): unknown[] {
  const { dtype, shape, fill, seed } = s.$arr;
  const n = shape.reduce((x, y) => x * y, 1);
  const at = <T>(seq: readonly T[], i: number) => seq[(i + seed) % seq.length];
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    let v: unknown;
    if (fill.startsWith('idx') || fill.startsWith('nidx')) {
      const N = Number(fill.replace(/^n?idx/, ''));
      let k = (i * 2 + seed) % N;
      if (fill.startsWith('nidx') && i % 2 === 1) k -= N;
      v = k;
    } else if (fill === 'bits') {
      const h = (Math.imul(i + 1 + seed * 977, 2654435761) ^ Math.imul(i + 7, 40503)) >>> 0;
      v = dtype === 'uint8' ? h & 0xff : dtype === 'uint16' ? h & 0xffff : h;
    } else if (dtype === 'bool_') {
      v = fill === 'range' || fill === 'small' ? i % 2 === 1 : fill === 'pos' ? true : at(BOOLS, i);
    } else if (dtype === 'complex64') {
      const seq =
        fill === 'mixed' || fill === 'edge'
          ? FLOAT_MIXED
          : fill === 'unit'
            ? UNIT
            : fill === 'pos'
              ? POS
              : FLOAT_FINITE;
      if (fill === 'range' || fill === 'sorted' || fill === 'small') v = { re: i, im: (i % 3) - 1 };
      else v = { re: at(seq, i), im: at(seq, i + 4) };
    } else if (fill === 'edge') {
      if (isFloat(dtype)) v = at(FLOAT_EDGE[dtype]!, i);
      else {
        const [lo, hi] = INT_BITS[dtype]!;
        const seq: Array<bigint | number> = [lo, hi, 0, 1, lo + 1n, hi - 1n, isUnsigned(dtype) ? 2 : -1, 100];
        const e = at(seq, i);
        v =
          typeof e === 'bigint' && e >= BigInt(-Number.MAX_SAFE_INTEGER) && e <= BigInt(Number.MAX_SAFE_INTEGER)
            ? Number(e)
            : e;
      }
    } else if (fill === 'small') v = (i + seed) % 4;
    else if (fill === 'range') v = i;
    else if (fill === 'sorted') v = isFloat(dtype) ? i * 1.5 - 3 : isUnsigned(dtype) ? i * 2 : i * 2 - 3;
    else if (fill === 'pos') v = isFloat(dtype) ? at(POS, i) : at(POS_INT, i);
    else if (fill === 'scale') v = at(SCALES, i);
    else if (fill === 'unit') v = isFloat(dtype) ? at(UNIT, i) : at(isUnsigned(dtype) ? [0, 1] : [-1, 0, 1], i);
    else if (isFloat(dtype)) v = at(fill === 'mixed' ? FLOAT_MIXED : FLOAT_FINITE, i);
    else v = at(isUnsigned(dtype) ? UNSIGNED : SIGNED, i);
    out.push(v);
  }
  return out;
}

const dtypeOf = (name: DtypeName) => (mx as unknown as Record<string, Dtype>)[name];

/** The mx.array of a spec (its values then the shape). */
export function buildArray(s: ArrSpec): array {
  const { dtype, shape } = s.$arr;
  const values = specValues(s);
  const flat = mx.array(values as never, dtypeOf(dtype));
  return flat.reshape([...shape]);
}

function applyView(x: array, s: ArrSpec): array {
  switch (s.$arr.view) {
    case 'T':
      return mx.transpose(x);
    case 'step':
      return x.index('...', '::2');
    case 'rev':
      return x.index('::-1');
    case 'bcast':
      return mx.broadcastTo(x, [2, ...s.$arr.shape]);
    default:
      return x;
  }
}
function pyView(name: string, s: ArrSpec): string {
  switch (s.$arr.view) {
    case 'T':
      return `mx.transpose(${name})`;
    case 'step':
      return `${name}[..., ::2]`;
    case 'rev':
      return `${name}[::-1]`;
    case 'bcast':
      return `mx.broadcast_to(${name}, [2, ${s.$arr.shape.join(', ')}])`;
    default:
      return name;
  }
}

/** A case argument as the JS value mx[op] takes (arrays from `cache` by spec). */
export function buildArg(a: Arg, cache: Map<string, array> = new Map()): unknown {
  if (isArrSpec(a)) {
    const k = specKey(a);
    let x = cache.get(k);
    if (!x) cache.set(k, (x = a.$arr.view ? applyView(buildArg(baseOf(a), cache) as array, a) : buildArray(a)));
    return x;
  }
  if (isDtypeSpec(a)) return dtypeOf(a.$dtype);
  if (Array.isArray(a)) return a.map((e) => buildArg(e, cache));
  return a;
}

/** The JS call of a case: mx[op](...args, options?) (options only when the case has some). */
export function jsArgs(c: OpCase, cache?: Map<string, array>): unknown[] {
  const args = c.args.map((a) => buildArg(a, cache));
  if (c.options) {
    args.push(Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, buildArg(v, cache)])));
  }
  return args;
}

export function callJs(c: OpCase, cache?: Map<string, array>): unknown {
  const f = (mx as unknown as Record<string, (...a: unknown[]) => unknown>)[c.op];
  if (typeof f !== 'function') throw new Error(`mx.${c.op} is not a function`);
  return f(...jsArgs(c, cache));
}

// ---------------------------------------------------------------------------
// The Python side

const PY_NAMES: Record<string, string> = {
  atleast1d: 'atleast_1d',
  atleast2d: 'atleast_2d',
  atleast3d: 'atleast_3d',
};
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** Python's name of a JS op. */
export function pyName(op: string): string {
  return PY_NAMES[op] ?? snake(op);
}

function pyLiteral(a: Arg, nameOf: (s: ArrSpec) => string): string {
  if (a === null) return 'None';
  if (typeof a === 'boolean') return a ? 'True' : 'False';
  if (typeof a === 'bigint') return String(a);
  if (typeof a === 'string') return JSON.stringify(a);
  if (typeof a === 'number') {
    if (Number.isNaN(a)) return "float('nan')";
    if (a === Infinity) return "float('inf')";
    if (a === -Infinity) return "float('-inf')";
    if (Number.isInteger(a)) return Object.is(a, -0) ? '-0.0' : String(a);
    return String(a);
  }
  if (isArrSpec(a)) return pyView(nameOf(baseOf(a)), a);
  if (isDtypeSpec(a)) return `mx.${a.$dtype}`;
  if (Array.isArray(a)) return `[${a.map((e) => pyLiteral(e, nameOf)).join(', ')}]`;
  if (isComplexArg(a)) return `complex(${pyLiteral(a.re, nameOf)}, ${pyLiteral(a.im, nameOf)})`;
  throw new Error(`no Python literal for ${String(a)}`);
}

/** The Python expression of a case; `nameOf` gives the variable an input array is bound to. */
export function pyExpr(c: OpCase, nameOf: (s: ArrSpec) => string): string {
  const parts = c.args.map((a) => pyLiteral(a, nameOf));
  for (const [k, v] of Object.entries(c.options ?? {})) parts.push(`${snake(k)}=${pyLiteral(v, nameOf)}`);
  return `mx.${pyName(c.op)}(${parts.join(', ')})`;
}

/**
 * The Python side of many cases: `expr(c)` gives a case's Python expression
 * and binds its input arrays to a0, a1, ... in `inputs` (for pyEach), built
 * through `cache` — pass the same cache to callJs and both sides get the very
 * same arrays.
 */
export class PyBindings {
  readonly cache = new Map<string, array>();
  readonly inputs: Record<string, array> = {};
  private readonly names = new Map<string, string>();

  nameOf = (s: ArrSpec): string => {
    const k = specKey(s);
    let n = this.names.get(k);
    if (n === undefined) {
      n = `a${this.names.size}`;
      this.names.set(k, n);
      this.inputs[n] = buildArg(s, this.cache) as array;
    }
    return n;
  };

  /** The Python expression of `c`, with `extra` (e.g. 'stream=mx.gpu') appended to its arguments. */
  expr(c: OpCase, extra?: string): string {
    const e = pyExpr(c, this.nameOf);
    if (!extra) return e;
    return `${e.slice(0, -1)}${e.endsWith('()') ? '' : ', '}${extra})`;
  }
}

/** A short readable form of a case, for failure messages: add(float32[2,3], 2.5, {axis: 1}). */
export function describeCase(c: OpCase): string {
  const show = (a: Arg): string => {
    if (isArrSpec(a)) {
      const { dtype, shape, fill, seed, view } = a.$arr;
      return `${dtype}[${shape.join(',')}]${fill === 'mixed' ? '' : ':' + fill}${seed ? '#' + seed : ''}${view ? '.' + view : ''}`;
    }
    if (isDtypeSpec(a)) return `mx.${a.$dtype}`;
    if (Array.isArray(a)) return `[${a.map(show).join(', ')}]`;
    if (isComplexArg(a)) return `{re: ${a.re}, im: ${a.im}}`;
    if (typeof a === 'string') return JSON.stringify(a);
    if (typeof a === 'bigint') return `${a}n`;
    return String(a);
  };
  const parts = c.args.map(show);
  if (c.options)
    parts.push(
      `{${Object.entries(c.options)
        .map(([k, v]) => `${k}: ${show(v)}`)
        .join(', ')}}`,
    );
  return `${c.op}(${parts.join(', ')})`;
}

// ---------------------------------------------------------------------------
// The ops: the public bindings of the addon's signature table that return arrays.

export interface SigParam {
  name: string;
  type: string;
  required: boolean;
  rest?: boolean;
  default?: string;
}
export interface Sig {
  params?: SigParam[];
  returns?: string;
  doc?: string;
}

const NOT_OPS =
  /^(default|set|new|get|reset|clear)[A-Z]|^(deviceCount|deviceInfo|isAvailable|synchronize|setPrintoptions)$/;

/** The public ops: signature-table entries not starting with '_' whose result mentions `array`. */
export function publicOps(signatures: Record<string, Sig>): string[] {
  return Object.entries(signatures)
    .filter(([name, s]) => !name.startsWith('_') && /\barray\b/.test(s.returns ?? '') && !NOT_OPS.test(name))
    .map(([name]) => name);
}

// ---------------------------------------------------------------------------
// The cases

const cases: OpCase[] = [];
function add(op: string, args: readonly Arg[], options?: { readonly [k: string]: Arg | undefined }): void {
  const o = Object.entries(options ?? {}).filter(([, v]) => v !== undefined) as Array<[string, Arg]>;
  cases.push(o.length ? { op, args, options: Object.fromEntries(o) } : { op, args });
}

const SHAPES: number[][] = [[], [3], [2, 3], [2, 1, 3]];
const INTS: DtypeName[] = ['uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64'];
/** A few dtypes standing for the kinds: bool, unsigned, signed, the floats, complex. */
const SOME: DtypeName[] = [
  'bool_',
  'uint8',
  'int32',
  'int64',
  'float16',
  'float32',
  'float64',
  'bfloat16',
  'complex64',
];

// Element-wise unary ops: every dtype x every shape, the dtype extremes, and scalar operands.
const UNARY = [
  'abs',
  'sign',
  'negative',
  'positive',
  'reciprocal',
  'square',
  'sqrt',
  'rsqrt',
  'exp',
  'expm1',
  'log',
  'log2',
  'log10',
  'log1p',
  'sin',
  'cos',
  'tan',
  'arcsin',
  'arccos',
  'arctan',
  'sinh',
  'cosh',
  'tanh',
  'arcsinh',
  'arccosh',
  'arctanh',
  'degrees',
  'radians',
  'sigmoid',
  'erf',
  'erfinv',
  'floor',
  'ceil',
  'trunc',
  'isnan',
  'isinf',
  'isfinite',
  'isposinf',
  'isneginf',
  'logicalNot',
  'bitwiseInvert',
  'conj',
  'conjugate',
  'real',
  'imag',
  'stopGradient',
];
// A dtype the op accepts, for its first (valid) case.
const UNARY_FIRST: Record<string, DtypeName> = { bitwiseInvert: 'int32', logicalNot: 'bool_' };
for (const op of UNARY) {
  add(op, [arr(UNARY_FIRST[op] ?? 'float32', [2, 3])]);
  for (const d of DTYPES) for (const s of SHAPES) add(op, [arr(d, s)]);
  for (const d of DTYPES) if (d !== 'bool_' && d !== 'complex64') add(op, [arr(d, [2, 4], 'edge')]);
  add(op, [arr('complex64', [2, 4], 'unit')]);
  add(op, [arr('float32', [3, 3], 'unit')]);
  // Non-contiguous inputs: transposed, strided, reversed, broadcast.
  for (const d of DTYPES) {
    add(op, [arr(d, [3, 2], 'mixed', 1, 'T')]);
    add(op, [arr(d, [2, 6], 'mixed', 2, 'step')]);
    add(op, [arr(d, [4, 2], 'mixed', 3, 'rev')]);
    add(op, [arr(d, [3], 'mixed', 4, 'bcast')]);
  }
  for (const s of [3, 0, -4, 2.5, -0.5, true, false, NaN, Infinity]) add(op, [s]);
}

add('round', [arr('float32', [2, 3])]);
for (const d of DTYPES) {
  for (const decimals of [undefined, 0, 1, -1, 2]) {
    add(
      'round',
      [arr(d, [2, 3], d === 'complex64' ? 'mixed' : 'finite', 3)],
      decimals === undefined ? undefined : { decimals },
    );
  }
  add('round', [arr(d, [2, 4], 'edge')]);
}
for (const v of [2.567, 3, true, -1.5]) add('round', [v], { decimals: 1 });
add('round', [arr('float32', [2, 3])], { decimals: 1.5 });

const NAN_TO_NUM_OPTS: Array<Record<string, Arg> | undefined> = [
  undefined,
  { nan: 1.5 },
  { posinf: 100, neginf: -100 },
  { nan: -1, posinf: null, neginf: 7 },
  { nan: 2 },
];
add('nanToNum', [arr('float32', [2, 4])]);
for (const d of DTYPES) {
  for (const o of NAN_TO_NUM_OPTS) add('nanToNum', [arr(d, [2, 4])], o);
  if (isFloat(d)) add('nanToNum', [arr(d, [2, 4], 'edge')]);
}
add('nanToNum', [NaN]);
add('nanToNum', [Infinity], { posinf: 5 });
add('nanToNum', [3]);

// Element-wise binary ops: every dtype pair (broadcast (2,3) with (3,)), broadcasting
// shapes, and JS scalars on either side (weak typing: int, float, bool).
const BINARY = [
  'add',
  'subtract',
  'multiply',
  'divide',
  'floorDivide',
  'remainder',
  'power',
  'maximum',
  'minimum',
  'logaddexp',
  'arctan2',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
  'logicalXor',
  'bitwiseAnd',
  'bitwiseOr',
  'bitwiseXor',
  'leftShift',
  'rightShift',
  'divmod',
];
const BINARY_FIRST: Record<string, DtypeName> = {
  bitwiseAnd: 'int32',
  bitwiseOr: 'int32',
  bitwiseXor: 'int32',
  leftShift: 'int32',
  rightShift: 'int32',
};
const BROADCAST: Array<[number[], number[]]> = [
  [[], [3]],
  [[3], []],
  [
    [2, 3],
    [2, 3],
  ],
  [
    [2, 1, 3],
    [2, 3],
  ],
  [
    [2, 1, 3],
    [4, 1],
  ],
  [
    [1, 3],
    [2, 1],
  ],
  [[2, 3], [2]],
  [[0, 3], [3]],
];
for (const op of BINARY) {
  const shift = op === 'leftShift' || op === 'rightShift';
  // divmod by an integer zero is a SIGFPE in MLX (floor_divide and remainder guard it): positive divisors.
  const noZero = op === 'divmod';
  const bFill: Fill = shift ? 'small' : noZero ? 'pos' : 'mixed';
  const f = BINARY_FIRST[op] ?? 'float32';
  add(op, [arr(f, [2, 3]), arr(f, [3], bFill, 5)]);
  for (const da of DTYPES) for (const db of DTYPES) add(op, [arr(da, [2, 3]), arr(db, [3], bFill, 5)]);
  for (const d of ['float32', 'int32', 'bool_'] as DtypeName[]) {
    for (const [sa, sb] of BROADCAST) add(op, [arr(d, sa, 'mixed', 2), arr(d, sb, bFill, 7)]);
  }
  const scalars: Arg[] = shift
    ? [2, 1.5, true, 0, 1n]
    : noZero
      ? [2, 2.5, true, -3, NaN, -Infinity, 5n]
      : [2, 2.5, true, -3, 0, NaN, -Infinity, 5n];
  for (const d of DTYPES) {
    for (const s of scalars) {
      add(op, [arr(d, [3], shift ? 'small' : 'mixed', 1), s]);
      add(op, [s, arr(d, [3], bFill, 4)]);
    }
  }
  const pairs: Array<[Arg, Arg]> = shift
    ? [
        [3, 2],
        [2.5, 1],
        [true, 1],
        [true, false],
        [7, true],
      ]
    : [
        [3, 2],
        [2.5, 2],
        [7, -2.5],
        [true, 3],
        [true, false],
        [3, 0],
        [-7, 2],
        [0, 0],
        [{ re: 1, im: 2 }, 3],
      ];
  for (const [a, b] of pairs) if (!noZero || (b !== 0 && b !== false)) add(op, [a, b]);
  add(op, [arr('int32', [2, 3]), { re: 1, im: -1 }]);
  if (!shift) {
    // Python ints beyond int32 / beyond 2^53 (bigint in JS)
    add(op, [arr('int64', [3], 'pos'), 2n ** 40n]);
    add(op, [arr('uint64', [3], 'pos'), 2n ** 63n + 5n]);
    add(op, [arr('int32', [3], 'pos'), 2n ** 40n]);
    add(op, [arr('float32', [3], 'pos'), 2n ** 60n]);
    add(op, [arr('int64', [3], 'pos'), 2 ** 40]);
    add(op, [arr('int32', [3], 'pos'), 2 ** 31]);
  }
  add(op, [arr('float32', [2, 3]), arr('float32', [3, 2], 'mixed', 1)]);
  // Non-contiguous operands.
  for (const d of DTYPES) {
    add(op, [arr(d, [3, 2], 'mixed', 1, 'T'), arr(d, [2, 3], bFill, 5)]);
    add(op, [arr(d, [2, 6], 'mixed', 2, 'step'), arr(d, [3, 2], bFill, 6, 'T')]);
    add(op, [arr(d, [3], 'mixed', 4, 'bcast'), arr(d, [4, 3], bFill, 7, 'rev')]);
  }
  // The extremes against themselves (same dtype, no INT_MIN / -1 division).
  for (const d of DTYPES) {
    if (d === 'bool_' || d === 'complex64' || shift) continue;
    add(op, [arr(d, [8], 'edge'), arr(d, [8], isFloat(d) ? 'edge' : 'pos', 3)]);
  }
}

// arrayEqual / isclose / allclose
for (const op of ['arrayEqual', 'isclose', 'allclose']) {
  add(op, [arr('float32', [2, 3]), arr('float32', [2, 3])]);
  for (const d of DTYPES) {
    add(op, [arr(d, [2, 3]), arr(d, [2, 3])]);
    add(op, [arr(d, [2, 3], 'finite'), arr(d, [2, 3], 'finite', 1)]);
    add(op, [arr(d, [2, 3]), arr('float32', [2, 3])]);
    add(op, [arr(d, [2, 3]), arr(d, [3])]);
    add(op, [arr(d, [2, 3]), arr(d, [2, 3])], { equalNan: true });
  }
  add(op, [arr('float32', [2, 3]), arr('float32', [3, 2])]);
  add(op, [arr('float32', [3], 'finite'), 1.5]);
  add(op, [2, 2]);
  add(op, [arr('int32', [3]), arr('float32', [3], 'finite')], { equalNan: true });
}
for (const op of ['isclose', 'allclose']) {
  for (const o of [{ rtol: 0.5 }, { atol: 1 }, { rtol: 0, atol: 0 }, { rtol: 1e-3, atol: 1e-3, equalNan: true }]) {
    for (const d of ['float32', 'float16', 'bfloat16', 'float64', 'int32'] as DtypeName[]) {
      add(op, [arr(d, [2, 4], 'mixed'), arr(d, [2, 4], 'mixed', 1)], o);
      add(op, [arr(d, [4], 'finite'), arr(d, [4], 'finite', 1)], o);
    }
  }
}

// where
add('where', [arr('bool_', [2, 3]), arr('float32', [2, 3]), arr('float32', [2, 3], 'mixed', 1)]);
for (const d of DTYPES) {
  add('where', [arr('bool_', [2, 3]), arr(d, [2, 3]), arr(d, [3], 'mixed', 1)]);
  add('where', [arr('bool_', [3]), arr(d, [2, 3]), 0]);
  add('where', [arr('bool_', [2, 1]), 1.5, arr(d, [3])]);
  add('where', [arr(d, [2, 3]), 1, 2]);
  add('where', [arr('bool_', [2, 3]), arr(d, [2, 3]), arr('float32', [2, 3])]);
  add('where', [arr('bool_', [2, 3]), arr(d, [2, 3]), true]);
}
add('where', [true, 1, 2.5]);
add('where', [arr('bool_', [2, 3]), arr('float32', [2, 2]), 1]);

// clip
add('clip', [arr('float32', [2, 4]), 0, 2]);
for (const d of DTYPES) {
  const a = arr(d, [2, 4]);
  add('clip', [a, 0, 2]);
  add('clip', [a, null, 1.5]);
  add('clip', [a, -1, null]);
  add('clip', [a, arr(d, [4], 'mixed', 2), arr(d, [2, 1], 'mixed', 5)]);
  add('clip', [a, null, null]);
  add('clip', [a, true, 3]);
}

// Reductions: axis none / int / negative int / list / empty list / out of range x keepdims.
const REDUCE = [
  'sum',
  'prod',
  'mean',
  'median',
  'max',
  'min',
  'all',
  'any',
  'logsumexp',
  'countNonzero',
  'minmax',
  'var',
  'std',
];
const AXES: Array<number | number[] | null | undefined> = [
  undefined,
  null,
  0,
  1,
  -1,
  [0, 2],
  [2, 0],
  [-1, 1],
  [],
  3,
  [0, 0],
];
for (const op of REDUCE) {
  add(op, [arr('float32', [2, 3, 4], 'finite')]);
  for (const d of DTYPES) {
    for (const axis of AXES) {
      for (const keepdims of [false, true]) {
        const o: Record<string, Arg> = {};
        if (axis !== undefined) o.axis = axis;
        if (keepdims) o.keepdims = true;
        add(op, [arr(d, [2, 3, 4], 'finite')], Object.keys(o).length ? o : undefined);
      }
    }
    add(op, [arr(d, [2, 3, 4], 'mixed')]);
    add(op, [arr(d, [2, 3, 4], 'mixed')], { axis: 1 });
    add(op, [arr(d, [], 'finite', 2)]);
    add(op, [arr(d, [], 'finite', 2)], { axis: 0 });
    add(op, [arr(d, [0, 3], 'finite')]);
    add(op, [arr(d, [0, 3], 'finite')], { axis: 1 });
    add(op, [arr(d, [2, 4], 'edge')], { axis: 1 });
    for (const axis of [undefined, 0, -1, [0, 2]])
      add(op, [arr(d, [4, 3, 2], 'finite', 1, 'T')], axis === undefined ? undefined : { axis });
    add(op, [arr(d, [3, 8], 'finite', 2, 'step')], { axis: 1 });
    add(op, [arr(d, [3, 4], 'finite', 3, 'bcast')], { axis: [0, 2] });
  }
  // Positional axis and keepdims (Python's count_nonzero takes them by keyword only).
  if (op !== 'countNonzero') {
    add(op, [arr('float32', [2, 3], 'finite'), 1]);
    add(op, [arr('float32', [2, 3], 'finite'), 1, true]);
  }
  add(op, [arr('float32', [2, 3], 'finite')], { axis: 1.5 });
}
for (const op of ['var', 'std']) {
  for (const d of SOME) {
    for (const ddof of [1, 2, 3, 5]) add(op, [arr(d, [2, 3, 4], 'finite')], { axis: 1, ddof });
    add(op, [arr(d, [2, 3, 4], 'finite')], { ddof: 1 });
  }
}

for (const op of ['argmin', 'argmax']) {
  add(op, [arr('float32', [2, 3, 4], 'finite')]);
  for (const d of DTYPES) {
    for (const axis of [undefined, null, 0, 1, -1, 3, -4]) {
      for (const keepdims of [false, true]) {
        const o: Record<string, Arg> = {};
        if (axis !== undefined) o.axis = axis;
        if (keepdims) o.keepdims = true;
        add(op, [arr(d, [2, 3, 4])], Object.keys(o).length ? o : undefined);
      }
    }
    add(op, [arr(d, [2, 4], 'edge')], { axis: 1 });
    add(op, [arr(d, [0, 3])], { axis: 1 });
    add(op, [arr(d, [])]);
    add(op, [arr(d, [4, 3], 'mixed', 1, 'T')], { axis: 1 });
    add(op, [arr(d, [3, 8], 'mixed', 2, 'step')]);
  }
  add(op, [arr('float32', [2, 3]), [0, 1]]);
}

add('softmax', [arr('float32', [2, 3, 4], 'finite')]);
for (const d of DTYPES) {
  for (const axis of [undefined, null, -1, 0, [0, 1], 3]) {
    for (const precise of [false, true]) {
      const o: Record<string, Arg> = {};
      if (axis !== undefined) o.axis = axis;
      if (precise) o.precise = true;
      add('softmax', [arr(d, [2, 3, 4], 'finite')], Object.keys(o).length ? o : undefined);
    }
  }
  add('softmax', [arr(d, [2, 4], 'mixed')], { axis: 1 });
}

// Scans
const SCANS = ['cumsum', 'cumprod', 'cummax', 'cummin', 'logcumsumexp'];
for (const op of SCANS) {
  add(op, [arr('float32', [2, 3, 4], 'finite')]);
  for (const d of DTYPES) {
    for (const axis of [undefined, 1, -1]) {
      for (const [reverse, inclusive] of [
        [false, true],
        [true, true],
        [false, false],
        [true, false],
      ]) {
        const o: Record<string, Arg> = {};
        if (axis !== undefined) o.axis = axis;
        if (reverse) o.reverse = true;
        if (!inclusive) o.inclusive = false;
        add(op, [arr(d, [2, 3, 4], 'finite')], Object.keys(o).length ? o : undefined);
      }
    }
    add(op, [arr(d, [2, 4], 'mixed')], { axis: 1 });
    add(op, [arr(d, [2, 3])], { axis: 2 });
    add(op, [arr(d, [])]);
    for (const axis of [0, 1]) add(op, [arr(d, [4, 3], 'finite', 1, 'T')], { axis });
    add(op, [arr(d, [3, 8], 'finite', 2, 'rev')], { axis: 0, reverse: true });
  }
  add(op, [arr('float32', [2, 3], 'finite'), 1]);
}
for (const op of ['cumsum', 'cumprod']) {
  for (const d of SOME) {
    for (const dtype of ['float32', 'int64', 'bool_', 'float16', 'uint8', 'complex64'] as DtypeName[]) {
      add(op, [arr(d, [2, 4], 'finite')], { axis: 1, dtype: dt(dtype) });
    }
    add(op, [arr(d, [2, 4], 'finite')], { dtype: null });
  }
}

// Sorting and selection
for (const op of ['sort', 'argsort']) {
  add(op, [arr('float32', [2, 3, 4])]);
  for (const d of DTYPES) {
    for (const axis of [undefined, null, 0, 1, -1, 3])
      add(op, [arr(d, [2, 3, 4])], axis === undefined ? undefined : { axis });
    add(op, [arr(d, [2, 4], 'edge')]);
    add(op, [arr(d, [9], 'unit')]);
    add(op, [arr(d, [])]);
    add(op, [arr(d, [4, 3], 'mixed', 1, 'T')], { axis: 0 });
    add(op, [arr(d, [4, 3], 'mixed', 1, 'T')]);
    add(op, [arr(d, [3, 8], 'mixed', 2, 'step')], { axis: null });
  }
}
for (const op of ['partition', 'argpartition']) {
  add(op, [arr('float32', [2, 3, 4], 'finite'), 1]);
  for (const d of DTYPES) {
    for (const [kth, axis] of [
      [1, undefined],
      [0, 1],
      [2, -1],
      [-1, undefined],
      [1, null],
      [5, 0],
      [1, 3],
    ] as Array<[number, number | null | undefined]>) {
      add(op, [arr(d, [2, 3, 4], 'finite'), kth], axis === undefined ? undefined : { axis });
    }
  }
}
add('topk', [arr('float32', [2, 3, 4], 'finite'), 2]);
for (const d of DTYPES) {
  for (const [k, axis] of [
    [2, undefined],
    [1, 1],
    [3, 0],
    [4, -1],
    [2, null],
    [5, -1],
    [0, -1],
    [1, 3],
  ] as Array<[number, number | null | undefined]>) {
    add('topk', [arr(d, [2, 3, 4], 'finite'), k], axis === undefined ? undefined : { axis });
  }
}

add('searchsorted', [arr('float32', [6], 'sorted'), arr('float32', [2, 3], 'finite')]);
for (const d of SOME) {
  for (const side of [undefined, 'left', 'right', 'middle']) {
    const o = side === undefined ? undefined : { side };
    add('searchsorted', [arr(d, [6], 'sorted'), arr(d, [2, 3], 'finite')], o);
    add('searchsorted', [arr(d, [6], 'sorted'), arr(d, [4], 'sorted', 1)], o);
    add('searchsorted', [arr(d, [6], 'sorted'), 1], o);
    add('searchsorted', [arr(d, [6], 'sorted'), 2.5], o);
  }
  add('searchsorted', [arr(d, [6], 'sorted'), arr('int32', [3], 'finite')]);
  add('searchsorted', [arr(d, [2, 3], 'sorted'), arr(d, [3], 'finite')]);
}

add('unique', [arr('int32', [8], 'small'), 4]);
for (const d of SOME) {
  const a = arr(d, [8], 'small');
  for (const size of [2, 4, 6, 0]) add('unique', [a, size]);
  for (const o of [
    { returnIndex: true },
    { returnInverse: true },
    { returnCounts: true },
    { returnIndex: true, returnInverse: true, returnCounts: true },
    { fillValue: 9 },
    { fillValue: -1.5, returnCounts: true },
  ] as Array<Record<string, Arg>>) {
    add('unique', [a, 6], o);
  }
  add('unique', [arr(d, [2, 4], 'finite'), 8]);
  add('unique', [arr(d, [6], 'mixed'), 6]);
}
add('unique', [arr('int32', [8], 'small'), -1]);

// Creation
const CREATE_SHAPES: Arg[] = [[3], [2, 3], 3, [], [0], [2, 0, 1], 0];
for (const op of ['zeros', 'ones']) {
  add(op, [[2, 3]]);
  for (const s of CREATE_SHAPES) {
    add(op, [s]);
    for (const d of DTYPES) add(op, [s], { dtype: dt(d) });
  }
  add(op, [[2, -1]]);
  add(op, [-1]);
  add(op, [[2, 3]], { dtype: null });
}
add('full', [[2, 3], 7]);
for (const s of [[2, 3], 3, [], [0]] as Arg[]) {
  for (const v of [7, 2.5, true, -3, NaN, { re: 1, im: 2 }] as Arg[]) {
    add('full', [s, v]);
    for (const d of DTYPES) add('full', [s, v], { dtype: dt(d) });
  }
}
for (const d of DTYPES) {
  add('full', [[2, 3], arr(d, [3])]);
  add('full', [[2, 3], arr(d, [3])], { dtype: dt('float32') });
  add('full', [[2, 3], arr(d, [2])]);
}
for (const op of ['zerosLike', 'onesLike']) {
  add(op, [arr('float32', [2, 3])]);
  for (const d of DTYPES) {
    add(op, [arr(d, [2, 3])]);
    add(op, [arr(d, [])]);
    for (const to of ['float16', 'int32', 'bool_', 'complex64', 'uint64'] as DtypeName[])
      add(op, [arr(d, [2, 3])], { dtype: dt(to) });
  }
}
add('fullLike', [arr('float32', [2, 3]), 7]);
for (const d of DTYPES) {
  for (const v of [7, 2.5, true, -3, NaN] as Arg[]) {
    add('fullLike', [arr(d, [2, 3]), v]);
    add('fullLike', [arr(d, [2, 3]), v], { dtype: dt('int16') });
  }
  add('fullLike', [arr(d, [2, 3]), arr('float32', [3])]);
  add('fullLike', [arr('int32', [2, 3]), arr(d, [3])]);
  add('fullLike', [arr('int32', [2, 3]), 1.5], { dtype: dt(d) });
}

add('arange', [5]);
const ARANGE: Arg[][] = [
  [5],
  [0],
  [-3],
  [2.5],
  [2, 8],
  [8, 2],
  [0, 1, 0.25],
  [10, 0, -3],
  [0, 5, 2],
  [1.5, 4],
  [0, 3, 0.7],
  [-1, 1, 0.1],
  [0, 10, 0],
  [true],
  [0, 5, 1.5],
  [3, 2, 1],
  [0.1, 1, 0.3],
];
for (const a of ARANGE) {
  add('arange', a);
  for (const d of DTYPES) add('arange', a, { dtype: dt(d) });
}
add('arange', [0], { stop: 5 });
add('arange', [2], { stop: 10, step: 3 });
add('arange', [0, null, 2]);
add('arange', [5, null, null]);

add('linspace', [0, 1]);
for (const [start, stop] of [
  [0, 1],
  [-2.5, 7],
  [5, -5],
  [0, 0],
  [1, 10],
] as Array<[number, number]>) {
  for (const o of [
    undefined,
    { num: 5 },
    { num: 1 },
    { num: 0 },
    { num: 7, endpoint: false },
    { num: 4, endpoint: true },
    { num: -1 },
  ]) {
    add('linspace', [start, stop], o);
  }
  for (const d of DTYPES) add('linspace', [start, stop], { num: 6, dtype: dt(d) });
}

add('eye', [3]);
for (const a of [[3], [0], [2, 4], [4, 2], [3, 3, 1], [3, 3, -1], [3, 4, 5], [3, null, 1], [-1]] as Arg[][]) {
  add('eye', a);
  for (const d of DTYPES) add('eye', a, { dtype: dt(d) });
}
add('eye', [3], { m: 2, k: 1 });
add('identity', [3]);
for (const n of [0, 1, 4, -2]) {
  add('identity', [n]);
  for (const d of DTYPES) add('identity', [n], { dtype: dt(d) });
}
add('tri', [3]);
for (const a of [[3], [0], [2, 4], [4, 2], [3, 3, 1], [3, 3, -1], [3, 4, 5], [3, null, 2]] as Arg[][]) {
  add('tri', a);
  for (const d of SOME) add('tri', a, { dtype: dt(d) });
}
add('tri', [3], { k: -1 });
for (const op of ['tril', 'triu']) {
  add(op, [arr('float32', [3, 4])]);
  for (const d of DTYPES) {
    for (const k of [undefined, 0, 1, -1, 5, -5]) add(op, [arr(d, [3, 4])], k === undefined ? undefined : { k });
    add(op, [arr(d, [2, 3, 3])]);
  }
  add(op, [arr('float32', [3])]);
  add(op, [arr('float32', [3, 4]), 2]);
}
for (const op of ['hanning', 'hamming', 'bartlett', 'blackman']) {
  add(op, [5]);
  for (const M of [0, 1, 2, 5, 8, 13, -1]) add(op, [M]);
}

// Types
add('astype', [arr('float32', [2, 4], 'finite'), dt('int32')]);
for (const from of DTYPES) {
  for (const to of DTYPES) {
    add('astype', [arr(from, [2, 4], 'finite'), dt(to)]);
    if (isFloat(from) || from === 'complex64' || from === 'bool_') {
      if (isFloat(to) || to === 'complex64' || to === 'bool_') add('astype', [arr(from, [2, 4], 'edge'), dt(to)]);
    }
    if (!isFloat(from) && from !== 'complex64' && from !== 'bool_') add('astype', [arr(from, [2, 4], 'edge'), dt(to)]);
  }
}
add('view', [arr('float32', [2, 4]), dt('int32')]);
for (const from of DTYPES) {
  add('astype', [arr(from, [4, 3], 'finite', 1, 'T'), dt('float32')]);
  add('astype', [arr(from, [3, 8], 'finite', 2, 'step'), dt('int16')]);
  add('contiguous', [arr(from, [4, 3], 'finite', 1, 'T')]);
  add('contiguous', [arr(from, [4, 3], 'finite', 1, 'T')], { allowColMajor: true });
  for (const to of DTYPES) {
    add('view', [arr(from, [2, 4], 'finite'), dt(to)]);
    add('view', [arr(from, [2, 3], 'finite'), dt(to)]);
  }
  add('view', [arr(from, [], 'finite'), dt('uint8')]);
}
add('view', [3, dt('float32')]);
add('view', [2.5, dt('uint32')]);
add('fromFp8', [arr('uint8', [2, 4], 'bits')]);
for (const d of DTYPES) {
  if (d !== 'float64') add('fromFp8', [arr('uint8', [2, 4], 'bits', 1)], { dtype: dt(d) });
  add('fromFp8', [arr(d, [2, 4], 'finite')]);
}
add('fromFp8', [arr('uint8', [16], 'range')], { dtype: dt('float32') });
add('toFp8', [arr('float32', [2, 4], 'finite')]);
for (const d of DTYPES) {
  add('toFp8', [arr(d, [2, 4], 'finite')]);
  add('toFp8', [arr(d, [2, 4], 'mixed')]);
  if (isFloat(d)) add('toFp8', [arr(d, [2, 4], 'edge')]);
}

// Shapes
const A234 = arr('float32', [2, 3, 4], 'range');
add('reshape', [arr('float32', [2, 3], 'range'), [3, 2]]);
for (const d of SOME) {
  const a = arr(d, [2, 3], 'finite');
  for (const s of [[3, 2], [6], [-1], [-1, 2], [1, 6, 1], [4], [-1, -1], [], [2, 3]]) add('reshape', [a, s]);
  add('reshape', [arr(d, [], 'finite'), [1, 1]]);
  add('reshape', [arr(d, [0, 3], 'finite'), [3, -1]]);
  add('reshape', [arr(d, [3, 2], 'finite', 1, 'T'), [6]]);
  add('reshape', [arr(d, [3], 'finite', 1, 'bcast'), [3, 2]]);
}
add('flatten', [A234]);
for (const o of [
  undefined,
  { startAxis: 1 },
  { endAxis: 1 },
  { startAxis: 1, endAxis: 2 },
  { startAxis: -2 },
  { startAxis: 2, endAxis: 1 },
  { startAxis: 3 },
  { startAxis: 0, endAxis: 0 },
]) {
  add('flatten', [A234], o);
}
for (const d of SOME) add('flatten', [arr(d, [2, 3], 'finite')]);
add('flatten', [arr('float32', [], 'finite')]);
add('flatten', [arr('float32', [4, 3, 2], 'range', 0, 'T')]);
add('flatten', [arr('int32', [3, 8], 'range', 0, 'step')], { startAxis: 0 });
add('unflatten', [arr('float32', [6, 4], 'range'), 0, [2, 3]]);
for (const [axis, shape] of [
  [0, [2, 3]],
  [1, [2, 2]],
  [-1, [4, 1]],
  [0, [-1, 3]],
  [0, [4]],
  [2, [2, 2]],
  [0, [-1, -1]],
  [1, []],
] as Array<[number, number[]]>) {
  add('unflatten', [arr('float32', [6, 4], 'range'), axis, shape]);
}
add('squeeze', [arr('float32', [2, 1, 3, 1], 'range')]);
for (const axis of [undefined, 1, [1, 3], -1, 0, [1, 1], 4, null]) {
  add('squeeze', [arr('float32', [2, 1, 3, 1], 'range')], axis === undefined ? undefined : { axis });
}
for (const d of SOME) add('squeeze', [arr(d, [1, 3, 1], 'finite')]);
add('squeeze', [arr('float32', [], 'range')]);
add('expandDims', [arr('float32', [2, 3], 'range'), 0]);
for (const axis of [0, 1, 2, -1, -3, [0, 2], [0, 3], [-1, 0], 3, -4, [0, 0]])
  add('expandDims', [arr('float32', [2, 3], 'range'), axis]);
for (const d of SOME) add('expandDims', [arr(d, [3], 'finite'), 1]);
add('expandDims', [arr('float32', [], 'range'), 0]);
for (const op of ['transpose', 'permuteDims']) {
  add(op, [A234]);
  for (const axes of [undefined, [1, 0, 2], [2, 0, 1], [-1, 0, 1], [0, 1], [0, 0, 1], [0, 1, 3], null]) {
    add(op, [A234], axes === undefined ? undefined : { axes });
  }
  for (const d of SOME) add(op, [arr(d, [2, 3], 'finite')]);
  add(op, [arr('float32', [], 'range')]);
}
add('matrixTranspose', [A234]);
for (const d of SOME) add('matrixTranspose', [arr(d, [2, 3], 'finite')]);
add('matrixTranspose', [arr('float32', [3], 'range')]);
add('matrixTranspose', [arr('float32', [], 'range')]);
add('moveaxis', [A234, 0, 2]);
for (const [s, t] of [
  [0, 2],
  [-1, 0],
  [1, 1],
  [2, -2],
  [3, 0],
  [0, -4],
]) {
  add('moveaxis', [A234, s, t]);
}
add('swapaxes', [A234, 0, 2]);
for (const [s, t] of [
  [0, 2],
  [-1, 0],
  [1, 1],
  [3, 0],
]) {
  add('swapaxes', [A234, s, t]);
}
add('broadcastTo', [arr('float32', [3], 'range'), [2, 3]]);
for (const d of SOME) {
  add('broadcastTo', [arr(d, [3], 'finite'), [2, 3]]);
  add('broadcastTo', [arr(d, [], 'finite'), [2, 2]]);
  add('broadcastTo', [arr(d, [2, 1, 3], 'finite'), [2, 4, 3]]);
  add('broadcastTo', [arr(d, [2, 3], 'finite'), [3]]);
}
add('broadcastTo', [2.5, [3]]);
add('broadcastTo', [7, [2, 2]]);
add('broadcastTo', [arr('float32', [3], 'range'), [0, 3]]);
add('broadcastTo', [arr('float32', [3], 'range'), []]);
add('broadcastArrays', [arr('float32', [3], 'range'), arr('int32', [2, 1], 'range')]);
add('broadcastArrays', [arr('float32', [3], 'range')]);
add('broadcastArrays', [arr('float32', [3], 'range'), arr('int32', [2, 1], 'range'), arr('bool_', [1, 1, 1])]);
add('broadcastArrays', [arr('float32', [3], 'range'), arr('float32', [2], 'range')]);
add('broadcastArrays', [arr('float16', [], 'range'), arr('complex64', [2, 3], 'range')]);
add('broadcastArrays', []);
for (const op of ['atleast1d', 'atleast2d', 'atleast3d']) {
  add(op, [arr('float32', [], 'range')]);
  for (const s of [[], [3], [2, 3], [2, 1, 3], [1, 1, 1, 2]]) add(op, [arr('float32', s, 'range')]);
  for (const d of SOME) add(op, [arr(d, [2], 'finite')]);
  add(op, [arr('float32', [], 'range'), arr('int32', [3], 'range')]);
  add(op, [arr('float32', [2, 3], 'range'), arr('int32', [3], 'range'), arr('bool_', [])]);
  add(op, []);
  add(op, [arr('float32', [2, 3], 'range'), arr('int32', [2, 3, 4, 1], 'range')]);
}
add('asStrided', [arr('float32', [3, 4], 'range')], { shape: [2, 2], strides: [4, 1] });
for (const o of [
  undefined,
  { shape: [2, 2], strides: [4, 1] },
  { shape: [3, 3], strides: [1, 1] },
  { shape: [2, 2], strides: [1, 4], offset: 1 },
  { shape: [4], strides: [3] },
  { shape: [12] },
  { shape: [2, 3], strides: [0, 1] },
  { shape: [2, 6], strides: [6, 1], offset: 0 },
] as Array<Record<string, Arg> | undefined>) {
  add('asStrided', [arr('float32', [3, 4], 'range')], o);
}
for (const d of SOME) add('asStrided', [arr(d, [3, 4], 'finite')], { shape: [3, 2], strides: [2, 1], offset: 2 });
add('contiguous', [arr('float32', [2, 3], 'range')]);
for (const d of SOME) {
  add('contiguous', [arr(d, [2, 3], 'finite')]);
  add('contiguous', [arr(d, [2, 3], 'finite')], { allowColMajor: true });
}
add('contiguous', [arr('float32', [], 'range')]);
for (const op of ['concatenate', 'concat']) {
  const a = arr('float32', [2, 3], 'range');
  add(op, [[a, arr('float32', [1, 3], 'finite')]]);
  add(op, [[a, arr('float32', [2, 2], 'finite')]], { axis: 1 });
  add(op, [[a, arr('float32', [2, 2], 'finite')]], { axis: -1 });
  add(op, [[a, arr('float32', [3, 2], 'finite')]], { axis: null });
  add(op, [[a, arr('float32', [2, 2], 'finite')]]);
  add(op, [[a]]);
  add(op, [[]]);
  add(op, [[a, a]], { axis: 2 });
  add(op, [[a, arr('float32', [3], 'finite')]]);
  for (const d of DTYPES) add(op, [[a, arr(d, [1, 3], 'finite'), arr('int32', [2, 3], 'range')]]);
  add(op, [[arr('float32', [3, 2], 'range', 0, 'T'), arr('float32', [2, 6], 'finite', 1, 'step')]], { axis: 1 });
  add(op, [[arr('float32', [], 'range'), arr('float32', [], 'range')]]);
}
add('stack', [[arr('float32', [2, 3], 'range'), arr('float32', [2, 3], 'finite')]]);
for (const axis of [undefined, 0, 1, 2, -1, 3, -4]) {
  add(
    'stack',
    [[arr('float32', [2, 3], 'range'), arr('float32', [2, 3], 'finite')]],
    axis === undefined ? undefined : { axis },
  );
}
for (const d of DTYPES) add('stack', [[arr('int8', [3], 'range'), arr(d, [3], 'finite')]]);
add('stack', [[arr('float32', [2, 3], 'range'), arr('float32', [3, 2], 'finite')]]);
add('stack', [[]]);
add('stack', [[arr('float32', [], 'range'), arr('float32', [], 'finite')]]);
add('unstack', [A234]);
for (const axis of [0, 1, 2, -1, 3]) add('unstack', [A234], { axis });
for (const d of SOME) add('unstack', [arr(d, [2, 3], 'finite')]);
add('unstack', [arr('float32', [], 'range')]);
add('unstack', [arr('float32', [0, 3], 'range')]);
add('split', [arr('float32', [6, 4], 'range'), 3]);
for (const [ios, axis] of [
  [3, undefined],
  [2, 1],
  [[1, 3], undefined],
  [[1, 3], 1],
  [[], 0],
  [[2, 2], 0],
  [[5, 1], 0],
  [4, 0],
  [1, -1],
  [[-2], 0],
  [2, 2],
  [0, 0],
] as Array<[number | number[], number | undefined]>) {
  add('split', [arr('float32', [6, 4], 'range'), ios], axis === undefined ? undefined : { axis });
}
for (const d of SOME) add('split', [arr(d, [4, 2], 'finite'), 2]);
add('meshgrid', [arr('float32', [3], 'range'), arr('float32', [2], 'finite')]);
for (const o of [
  undefined,
  { sparse: true },
  { indexing: 'ij' },
  { sparse: true, indexing: 'ij' },
  { indexing: 'xy' },
  { indexing: 'zz' },
] as Array<Record<string, Arg> | undefined>) {
  add('meshgrid', [arr('float32', [3], 'range'), arr('int32', [2], 'finite'), arr('bool_', [4])], o);
  add('meshgrid', [arr('float32', [3], 'range'), arr('float32', [2], 'finite')], o);
}
add('meshgrid', [arr('float32', [3], 'range')]);
add('meshgrid', []);
add('meshgrid', [arr('float32', [2, 2], 'range'), arr('float32', [2], 'finite')]);
add('repeat', [arr('float32', [2, 3], 'range'), 2]);
for (const [r, axis] of [
  [2, undefined],
  [2, 0],
  [3, 1],
  [1, -1],
  [0, 0],
  [2, 2],
  [-1, 0],
] as Array<[number, number | undefined]>) {
  add('repeat', [arr('float32', [2, 3], 'range'), r], axis === undefined ? undefined : { axis });
}
for (const d of SOME) add('repeat', [arr(d, [2, 2], 'finite'), 2], { axis: 1 });
add('repeat', [arr('float32', [], 'range'), 3]);
add('tile', [arr('float32', [2, 3], 'range'), 2]);
for (const reps of [2, [2, 1], [1, 2], [2, 1, 2], [3], [0], [], [-1]] as Arg[])
  add('tile', [arr('float32', [2, 3], 'range'), reps]);
for (const d of SOME) add('tile', [arr(d, [2], 'finite'), [2, 2]]);
add('tile', [arr('float32', [], 'range'), [2, 3]]);
add('pad', [arr('float32', [2, 3], 'range'), 1]);
for (const pw of [
  1,
  [1, 2],
  [
    [1, 0],
    [0, 2],
  ],
  [[1, 2]],
  0,
  [
    [1, 1],
    [1, 1],
    [1, 1],
  ],
  -1,
  [
    [3, 3],
    [3, 3],
  ],
] as Arg[]) {
  for (const o of [
    undefined,
    { mode: 'edge' },
    { mode: 'reflect' },
    { mode: 'symmetric' },
    { constantValues: 7 },
    { constantValues: 2.5, mode: 'constant' },
    { mode: 'wrap' },
  ] as Array<Record<string, Arg> | undefined>) {
    add('pad', [arr('float32', [2, 3], 'range'), pw], o);
  }
}
for (const d of DTYPES) {
  add('pad', [arr(d, [2, 3], 'finite'), 1]);
  add('pad', [arr(d, [2, 3], 'finite'), [1, 2]], { constantValues: 3 });
  add('pad', [arr(d, [2, 3], 'finite'), [1, 2]], { mode: 'reflect' });
  add('pad', [arr('int32', [2, 3], 'finite'), 1], { constantValues: arr(d, [], 'pos') });
}
add('pad', [arr('float32', [], 'range'), 1]);
add('roll', [arr('float32', [2, 3, 4], 'range'), 1]);
for (const [shift, axis] of [
  [1, undefined],
  [-2, undefined],
  [1, 0],
  [2, 1],
  [-1, -1],
  [
    [1, 2],
    [0, 2],
  ],
  [[1, 2], 1],
  [3, [0, 1]],
  [1, 3],
  [[1, 2], [0]],
  [25, 2],
  [0, 0],
] as Array<[number | number[], number | number[] | undefined]>) {
  add('roll', axis === undefined ? [A234, shift] : [A234, shift, axis]);
}
for (const d of SOME) add('roll', [arr(d, [2, 3], 'finite'), 1, 1]);
add('roll', [arr('float32', [], 'range'), 1]);
add('flip', [A234]);
for (const axis of [undefined, 0, 1, -1, [0, 2], [], 3, null, [0, 0]])
  add('flip', [A234], axis === undefined ? undefined : { axis });
for (const d of SOME) add('flip', [arr(d, [2, 3], 'finite')]);
add('diff', [arr('float32', [3, 5], 'finite')]);
for (const d of DTYPES) {
  for (const o of [undefined, { n: 2 }, { axis: 0 }, { n: 0 }, { n: 5 }, { n: 1, axis: -2 }, { n: -1 }, { axis: 2 }]) {
    add('diff', [arr(d, [3, 5], 'finite')], o);
  }
}
add('diff', [arr('float32', [], 'range')]);
add('diag', [arr('float32', [3, 4], 'range')]);
for (const d of SOME) {
  for (const k of [undefined, 1, -1, 5]) {
    add('diag', [arr(d, [3, 4], 'finite')], k === undefined ? undefined : { k });
    add('diag', [arr(d, [3], 'finite')], k === undefined ? undefined : { k });
  }
}
add('diag', [A234]);
add('diag', [arr('float32', [], 'range')]);
add('diagonal', [arr('float32', [3, 4], 'range')]);
for (const o of [
  undefined,
  { offset: 1 },
  { offset: -2 },
  { offset: 7 },
  { axis1: 1, axis2: 0 },
  { axis1: 0, axis2: 2 },
  { axis1: -1, axis2: 1, offset: 1 },
  { axis1: 1, axis2: 1 },
  { axis1: 0, axis2: 3 },
]) {
  add('diagonal', [A234], o);
}
add('diagonal', [arr('float32', [3], 'range')]);
for (const d of SOME) add('diagonal', [arr(d, [3, 3], 'finite')]);
add('trace', [arr('float32', [3, 4], 'range')]);
for (const d of DTYPES) {
  for (const o of [
    undefined,
    { offset: 1 },
    { offset: -1 },
    { dtype: dt('float32') },
    { dtype: dt('int8') },
    { offset: 9 },
  ]) {
    add('trace', [arr(d, [3, 4], 'finite')], o);
  }
}
for (const o of [
  { axis1: 1, axis2: 2 },
  { axis1: 0, axis2: 2, offset: 1 },
  { axis1: -1, axis2: 0 },
  { axis1: 0, axis2: 0 },
])
  add('trace', [A234], o);
add('trace', [arr('float32', [3], 'range')]);

// Indexing ops (indices always in range, see the header)
add('take', [arr('float32', [3, 4], 'range'), arr('int32', [4], 'idx3')]);
for (const d of DTYPES) {
  add('take', [arr(d, [3, 4], 'finite'), arr('int32', [5], 'idx12')]);
  add('take', [arr(d, [3, 4], 'finite'), arr('int32', [2, 2], 'idx3')], { axis: 0 });
  add('take', [arr(d, [3, 4], 'finite'), arr('int32', [3], 'idx4')], { axis: 1 });
  add('take', [arr(d, [3, 4], 'finite'), 2]);
  add('take', [arr(d, [3, 4], 'finite'), 1], { axis: -1 });
}
for (const idt of INTS) add('take', [arr('float32', [3, 4], 'range'), arr(idt, [4], 'idx3')], { axis: 0 });
add('take', [arr('float32', [3, 4], 'range'), arr('int32', [4], 'nidx3')], { axis: 0 });
add('take', [arr('float32', [3, 4], 'range'), -1]);
add('take', [arr('float32', [3, 4], 'range'), arr('float32', [2], 'idx3')]);
add('take', [arr('float32', [3, 4], 'range'), arr('int32', [2], 'idx3')], { axis: 2 });
add('take', [arr('float32', [3, 4], 'range'), arr('int32', [], 'idx3')], { axis: 0 });
add('take', [arr('float32', [3, 4], 'range'), arr('bool_', [2])]);
add('takeAlongAxis', [arr('float32', [3, 4], 'range'), arr('int32', [3, 2], 'idx4')]);
for (const d of DTYPES) {
  add('takeAlongAxis', [arr(d, [3, 4], 'finite'), arr('int32', [3, 2], 'idx4')], { axis: 1 });
  add('takeAlongAxis', [arr(d, [3, 4], 'finite'), arr('int32', [2, 4], 'idx3')], { axis: 0 });
  add('takeAlongAxis', [arr(d, [3, 4], 'finite'), arr('int32', [5], 'idx12')], { axis: null });
}
add('takeAlongAxis', [arr('float32', [3, 4], 'range'), arr('int32', [1, 4], 'idx3')], { axis: 0 });
add('takeAlongAxis', [arr('float32', [3, 4], 'range'), arr('uint8', [3, 1], 'idx4')], { axis: -1 });
add('takeAlongAxis', [arr('float32', [3, 4], 'range'), arr('int32', [3, 1], 'nidx4')], { axis: 1 });
add('takeAlongAxis', [arr('float32', [3, 4], 'range'), arr('int32', [3], 'idx4')], { axis: 1 });
add('takeAlongAxis', [arr('float32', [3, 4], 'range'), arr('float32', [3, 2], 'idx4')], { axis: 1 });
add('takeAlongAxis', [arr('float32', [3, 4], 'range'), arr('int32', [3, 2], 'idx4')], { axis: 2 });
add('putAlongAxis', [arr('float32', [3, 4], 'range'), arr('int32', [3, 1], 'idx4'), arr('float32', [3, 1], 'finite')], {
  axis: 1,
});
for (const d of DTYPES) {
  add('putAlongAxis', [arr(d, [3, 4], 'finite'), arr('int32', [3, 1], 'idx4'), arr(d, [3, 1], 'pos')], { axis: 1 });
  add('putAlongAxis', [arr(d, [3, 4], 'finite'), arr('int32', [1, 4], 'idx3'), 5], { axis: 0 });
  add('putAlongAxis', [arr('float32', [3, 4], 'finite'), arr('int32', [3, 1], 'idx4'), arr(d, [3, 1], 'pos')], {
    axis: -1,
  });
}
add('putAlongAxis', [arr('float32', [3, 4], 'range'), arr('int32', [2], 'idx12'), 9], { axis: null });
add('putAlongAxis', [arr('float32', [3, 4], 'range'), arr('int32', [3, 1], 'idx4'), 2.5]);
add('putAlongAxis', [arr('float32', [3, 4], 'range'), arr('int32', [3, 1], 'idx4'), 2.5], { axis: 2 });
add('putAlongAxis', [arr('float32', [3, 4], 'range'), arr('float32', [3, 1], 'idx4'), 2.5], { axis: 1 });
add('slice', [arr('float32', [4, 5], 'range'), arr('int32', [2], 'idx2'), [0, 1], [2, 3]]);
for (const d of SOME) add('slice', [arr(d, [4, 5], 'finite'), arr('int32', [1], 'idx2', 1), [1], [2]]);
add('slice', [arr('float32', [4, 5], 'range'), arr('int32', [1], 'idx2'), [0], [2]]);
add('slice', [arr('float32', [4, 5], 'range'), arr('uint32', [2], 'idx2'), [1, 0], [2, 2]]);
add('slice', [arr('float32', [4, 5], 'range'), arr('int32', [2], 'idx2'), [0], [2]]);
add('slice', [arr('float32', [4, 5], 'range'), arr('float32', [2], 'idx2'), [0, 1], [2, 3]]);
add('slice', [A234, arr('int32', [3], 'idx2'), [0, 1, 2], [1, 2, 2]]);
add('sliceUpdate', [
  arr('float32', [4, 5], 'range'),
  arr('float32', [2, 3], 'finite'),
  arr('int32', [2], 'idx2'),
  [0, 1],
]);
for (const d of SOME) {
  add('sliceUpdate', [arr(d, [4, 5], 'finite'), arr(d, [2, 3], 'pos'), arr('int32', [2], 'idx2', 1), [0, 1]]);
  add('sliceUpdate', [arr('float32', [4, 5], 'finite'), arr(d, [4, 2], 'pos'), arr('int32', [1], 'idx2', 1), [1]]);
}
add('sliceUpdate', [arr('float32', [4, 5], 'range'), arr('float32', [2], 'finite'), arr('int32', [2], 'idx2'), [0, 1]]);
add('sliceUpdate', [
  arr('float32', [4, 5], 'range'),
  arr('float32', [2, 3], 'finite'),
  arr('int32', [1], 'idx2'),
  [0, 1],
]);
add('depends', [arr('float32', [3], 'range'), arr('int32', [2], 'range')]);
add('depends', [[arr('float32', [3], 'range'), arr('int32', [2], 'range')], [arr('bool_', [2])]]);
add('depends', [[arr('float32', [3], 'range')], arr('int32', [2], 'range')]);
add('depends', [arr('float32', [3], 'range'), []]);

// Linear algebra
const MATMUL_SHAPES: Array<[number[], number[]]> = [
  [
    [2, 3],
    [3, 4],
  ],
  [[3], [3]],
  [[3], [3, 2]],
  [[2, 3], [3]],
  [
    [2, 2, 3],
    [3, 2],
  ],
  [
    [2, 1, 3],
    [4, 3, 2],
  ],
  [
    [2, 3],
    [2, 3],
  ],
  [[], [3]],
  [
    [0, 3],
    [3, 2],
  ],
];
add('matmul', [arr('float32', [2, 3], 'finite'), arr('float32', [3, 4], 'finite', 1)]);
for (const [sa, sb] of MATMUL_SHAPES) add('matmul', [arr('float32', sa, 'finite'), arr('float32', sb, 'finite', 1)]);
for (const d of DTYPES) {
  add('matmul', [arr(d, [2, 3], 'finite'), arr(d, [3, 4], 'finite', 1)]);
  add('matmul', [arr(d, [2, 3], 'finite'), arr('float32', [3, 4], 'finite', 1)]);
}
add('matmul', [arr('float32', [4, 5], 'mixed'), arr('float32', [5, 3], 'mixed', 1)]);
// Transposed and strided operands (the transposed GEMM paths).
for (const d of ['float32', 'float16', 'bfloat16', 'float64', 'complex64'] as DtypeName[]) {
  add('matmul', [arr(d, [3, 2], 'finite', 0, 'T'), arr(d, [3, 4], 'finite', 1)]);
  add('matmul', [arr(d, [2, 3], 'finite'), arr(d, [4, 3], 'finite', 1, 'T')]);
  add('matmul', [arr(d, [3, 2], 'finite', 0, 'T'), arr(d, [4, 3], 'finite', 1, 'T')]);
  add('matmul', [arr(d, [2, 6], 'finite', 2, 'step'), arr(d, [3, 2], 'finite', 3, 'rev')]);
  add('matmul', [arr(d, [2, 3], 'finite', 4, 'bcast'), arr(d, [3, 2], 'finite', 5)]);
  add(
    'addmm',
    [arr(d, [4], 'finite', 6, 'bcast'), arr(d, [3, 2], 'finite', 0, 'T'), arr(d, [4, 3], 'finite', 1, 'T')],
    { alpha: 2, beta: 0.5 },
  );
}
add('addmm', [
  arr('float32', [2, 4], 'finite', 2),
  arr('float32', [2, 3], 'finite'),
  arr('float32', [3, 4], 'finite', 1),
]);
for (const d of ['float32', 'float16', 'bfloat16', 'float64', 'int32', 'complex64'] as DtypeName[]) {
  for (const o of [undefined, { alpha: 2 }, { beta: 0.5 }, { alpha: -1, beta: 0 }, { alpha: 0.5, beta: 2 }]) {
    add('addmm', [arr(d, [2, 4], 'finite', 2), arr(d, [2, 3], 'finite'), arr(d, [3, 4], 'finite', 1)], o);
  }
}
add('addmm', [arr('float32', [4], 'finite', 2), arr('float32', [2, 3], 'finite'), arr('float32', [3, 4], 'finite', 1)]);
add('addmm', [arr('float32', [3], 'finite', 2), arr('float32', [2, 3], 'finite'), arr('float32', [3, 4], 'finite', 1)]);
add('addmm', [
  arr('float32', [2, 4], 'finite', 2),
  arr('float32', [2, 3], 'finite'),
  arr('float32', [2, 4], 'finite', 1),
]);
for (const op of ['inner', 'outer', 'kron']) {
  add(op, [arr('float32', [3], 'finite'), arr('float32', [3], 'finite', 1)]);
  for (const [sa, sb] of [
    [[3], [3]],
    [[2, 3], [3]],
    [
      [2, 3],
      [4, 3],
    ],
    [[3], [4]],
    [[], [3]],
    [
      [2, 2],
      [2, 2],
    ],
  ]) {
    add(op, [arr('float32', sa, 'finite'), arr('float32', sb, 'finite', 1)]);
  }
  for (const d of DTYPES) add(op, [arr(d, [2, 3], 'finite'), arr(d, [3], 'finite', 1)]);
}
add('vecdot', [arr('float32', [2, 3], 'finite'), arr('float32', [2, 3], 'finite', 1)]);
for (const o of [undefined, { axis: 0 }, { axis: -1 }, { axis: 2 }]) {
  add('vecdot', [arr('float32', [2, 3], 'finite'), arr('float32', [2, 3], 'finite', 1)], o);
  add('vecdot', [arr('float32', [2, 3], 'finite'), arr('float32', [3], 'finite', 1)], o);
}
for (const d of DTYPES) add('vecdot', [arr(d, [2, 3], 'finite'), arr(d, [2, 3], 'finite', 1)]);
add('tensordot', [arr('float32', [2, 3, 4], 'finite'), arr('float32', [3, 4, 2], 'finite', 1)]);
for (const axes of [
  undefined,
  0,
  1,
  2,
  [
    [1, 2],
    [0, 1],
  ],
  [[0], [2]],
  [[2], [1]],
  3,
  [[1], [1]],
] as Arg[]) {
  add(
    'tensordot',
    [arr('float32', [2, 3, 4], 'finite'), arr('float32', [3, 4, 2], 'finite', 1)],
    axes === undefined ? undefined : { axes },
  );
}
for (const d of SOME) add('tensordot', [arr(d, [2, 3], 'finite'), arr(d, [3, 2], 'finite', 1)], { axes: 1 });
add('einsum', ['ij,jk->ik', arr('float32', [2, 3], 'finite'), arr('float32', [3, 4], 'finite', 1)]);
for (const [sub, shapes] of [
  [
    'ij,jk->ik',
    [
      [2, 3],
      [3, 4],
    ],
  ],
  ['ii->i', [[3, 3]]],
  ['ii', [[3, 3]]],
  ['i,i', [[3], [3]]],
  ['i,j->ij', [[3], [2]]],
  ['ij->ji', [[2, 3]]],
  [
    'bij,bjk->bik',
    [
      [2, 2, 3],
      [2, 3, 2],
    ],
  ],
  [
    'ij,jk,kl->il',
    [
      [2, 3],
      [3, 4],
      [4, 2],
    ],
  ],
  [
    '...ij,...jk',
    [
      [2, 2, 3],
      [3, 2],
    ],
  ],
  ['ij', [[2, 3]]],
  ['ij->', [[2, 3]]],
  [
    'ij,jk->ik',
    [
      [2, 3],
      [4, 4],
    ],
  ],
  ['ij,jk', [[2, 3]]],
  ['i->ii', [[3]]],
] as Array<[string, number[][]]>) {
  add('einsum', [sub, ...shapes.map((s, i) => arr('float32', s, 'finite', i))]);
}
for (const d of SOME) add('einsum', ['ij,j->i', arr(d, [2, 3], 'finite'), arr(d, [3], 'finite', 1)]);
add('blockMaskedMm', [arr('float32', [64, 64], 'unit'), arr('float32', [64, 64], 'unit', 1)], { blockSize: 32 });
for (const o of [
  { blockSize: 32 },
  undefined,
  { blockSize: 32, maskOut: arr('bool_', [2, 2]) },
  { blockSize: 32, maskLhs: arr('bool_', [2, 2], 'range'), maskRhs: arr('bool_', [2, 2]) },
  { blockSize: 32, maskLhs: arr('float32', [2, 2], 'pos'), maskRhs: arr('float32', [2, 2], 'unit') },
  {
    blockSize: 32,
    maskOut: arr('bool_', [2, 2]),
    maskLhs: arr('bool_', [2, 2], 'range'),
    maskRhs: arr('bool_', [2, 2]),
  },
  { blockSize: 16 },
  { blockSize: 32, maskOut: arr('bool_', [3, 3]) },
] as Array<Record<string, Arg> | undefined>) {
  add('blockMaskedMm', [arr('float32', [64, 64], 'unit'), arr('float32', [64, 64], 'unit', 1)], o);
}
add('blockMaskedMm', [arr('float16', [64, 64], 'unit'), arr('float16', [64, 64], 'unit', 1)], { blockSize: 32 });
add('gatherMm', [arr('float32', [2, 3], 'finite'), arr('float32', [3, 3, 2], 'finite', 1)]);
for (const o of [
  undefined,
  { rhsIndices: arr('uint32', [2], 'idx3') },
  { lhsIndices: arr('uint32', [1], 'idx1'), rhsIndices: arr('uint32', [2], 'idx3') },
  { rhsIndices: arr('uint32', [2], 'sorted'), sortedIndices: true },
  { rhsIndices: arr('int32', [2], 'idx3') },
] as Array<Record<string, Arg> | undefined>) {
  add('gatherMm', [arr('float32', [2, 3], 'finite'), arr('float32', [3, 3, 2], 'finite', 1)], o);
}
add('gatherMm', [arr('float32', [4, 2, 3], 'finite'), arr('float32', [3, 3, 2], 'finite', 1)], {
  lhsIndices: arr('uint32', [3], 'idx4'),
  rhsIndices: arr('uint32', [3], 'idx3'),
});
add('gatherMm', [arr('float16', [2, 3], 'finite'), arr('float16', [3, 3, 2], 'finite', 1)], {
  rhsIndices: arr('uint32', [2], 'idx3'),
});
add('segmentedMm', [
  arr('float32', [2, 6], 'finite'),
  arr('float32', [6, 3], 'finite', 1),
  arr('uint32', [2, 2], 'sorted'),
]);
add('segmentedMm', [
  arr('float32', [2, 6], 'finite'),
  arr('float32', [6, 3], 'finite', 1),
  arr('uint32', [3, 2], 'small'),
]);
add('segmentedMm', [
  arr('float32', [2, 6], 'finite'),
  arr('float32', [6, 3], 'finite', 1),
  arr('int32', [2, 2], 'small'),
]);
add('segmentedMm', [
  arr('float32', [2, 6], 'finite'),
  arr('float32', [6, 3], 'finite', 1),
  arr('uint32', [2], 'sorted'),
]);
add('hadamardTransform', [arr('float32', [2, 8], 'finite')]);
for (const d of DTYPES) {
  add('hadamardTransform', [arr(d, [2, 8], 'finite')]);
  add('hadamardTransform', [arr(d, [4], 'finite')], { scale: 0.5 });
}
for (const s of [[1], [2], [3], [16], [12], [20], [2, 28], [2, 0]])
  add('hadamardTransform', [arr('float32', s, 'finite')]);
add('hadamardTransform', [arr('float32', [2, 8], 'finite')], { scale: null });

// Norms
add('matrixNorm', [arr('float32', [3, 4], 'finite')]);
for (const d of ['float32', 'float16', 'bfloat16', 'float64', 'complex64', 'int32', 'bool_'] as DtypeName[]) {
  for (const ord of [undefined, 'fro', 'nuc', Infinity, -Infinity, 1, -1, 2, -2, 0, 3, 0.5, 'bogus']) {
    add('matrixNorm', [arr(d, [3, 4], 'finite')], { ord });
    add('matrixNorm', [arr(d, [5], 'finite')], { ord });
    add('matrixNorm', [arr(d, [2, 3, 4], 'finite')], { ord, axis: [2, 1] });
    add('matrixNorm', [arr(d, [2, 3, 4], 'finite')], { ord, axis: -1, keepdims: true });
  }
  for (const axis of [0, 1, [0, 1], [1, 0], 2, [0, 0]]) {
    add('matrixNorm', [arr(d, [3, 4], 'finite')], { axis });
    add('matrixNorm', [arr(d, [3, 4], 'finite')], { axis, keepdims: true });
  }
  add('matrixNorm', [arr(d, [2, 3, 4], 'finite')]);
  add('matrixNorm', [arr(d, [4, 3], 'mixed', 1, 'T')], { ord: 1 });
}
add('matrixNorm', [arr('float32', [3, 4], 'finite'), 'fro', [0, 1], true]);

// Convolutions (channels last: input N...C, weight O...C/groups)
add('conv1d', [arr('float32', [1, 8, 2], 'finite'), arr('float32', [3, 3, 2], 'finite', 1)]);
for (const o of [
  undefined,
  { stride: 2 },
  { padding: 1 },
  { dilation: 2 },
  { stride: 2, padding: 2, dilation: 2 },
  { groups: 2 },
  { stride: 0 },
  { padding: -1 },
  { groups: 3 },
] as Array<Record<string, Arg> | undefined>) {
  const w = o && o.groups === 2 ? arr('float32', [4, 3, 1], 'finite', 1) : arr('float32', [4, 3, 2], 'finite', 1);
  add('conv1d', [arr('float32', [2, 8, 2], 'finite'), w], o);
}
for (const d of ['float16', 'bfloat16', 'float64', 'int32', 'complex64'] as DtypeName[]) {
  add('conv1d', [arr(d, [1, 8, 2], 'finite'), arr(d, [3, 3, 2], 'finite', 1)]);
}
add('conv1d', [arr('float32', [1, 8, 2], 'finite'), arr('float32', [3, 3, 3], 'finite', 1)]);
add('conv2d', [arr('float32', [1, 5, 5, 2], 'finite'), arr('float32', [2, 3, 3, 2], 'finite', 1)]);
for (const o of [
  undefined,
  { stride: 2 },
  { stride: [1, 2] },
  { padding: 1 },
  { padding: [2, 0] },
  { dilation: [1, 2] },
  { dilation: 2, padding: 2 },
  { groups: 2 },
  { stride: [1, 2, 3] },
] as Array<Record<string, Arg> | undefined>) {
  const w = o && o.groups === 2 ? arr('float32', [2, 3, 3, 1], 'finite', 1) : arr('float32', [3, 3, 3, 2], 'finite', 1);
  add('conv2d', [arr('float32', [2, 5, 5, 2], 'finite'), w], o);
}
for (const d of ['float16', 'bfloat16', 'float64', 'int32'] as DtypeName[]) {
  add('conv2d', [arr(d, [1, 5, 5, 2], 'finite'), arr(d, [2, 3, 3, 2], 'finite', 1)]);
}
add('conv3d', [arr('float32', [1, 4, 4, 4, 2], 'finite'), arr('float32', [2, 2, 2, 2, 2], 'finite', 1)]);
for (const o of [
  undefined,
  { stride: 2 },
  { padding: 1 },
  { padding: [1, 0, 1] },
  { dilation: [2, 1, 1] },
  { stride: [1, 2, 1], groups: 2 },
] as Array<Record<string, Arg> | undefined>) {
  const w =
    o && o.groups === 2 ? arr('float32', [2, 2, 2, 2, 1], 'finite', 1) : arr('float32', [3, 2, 2, 2, 2], 'finite', 1);
  add('conv3d', [arr('float32', [1, 4, 4, 4, 2], 'finite'), w], o);
}
add('conv3d', [arr('float16', [1, 4, 4, 4, 2], 'finite'), arr('float16', [2, 2, 2, 2, 2], 'finite', 1)]);
add('convTranspose1d', [arr('float32', [1, 6, 2], 'finite'), arr('float32', [3, 3, 2], 'finite', 1)]);
for (const o of [
  undefined,
  { stride: 2 },
  { padding: 1 },
  { dilation: 2 },
  { stride: 2, outputPadding: 1 },
  { groups: 2 },
  { outputPadding: 2 },
] as Array<Record<string, Arg> | undefined>) {
  const w = o && o.groups === 2 ? arr('float32', [4, 3, 1], 'finite', 1) : arr('float32', [3, 3, 2], 'finite', 1);
  add('convTranspose1d', [arr('float32', [2, 6, 2], 'finite'), w], o);
}
add('convTranspose1d', [arr('float16', [1, 6, 2], 'finite'), arr('float16', [3, 3, 2], 'finite', 1)]);
add('convTranspose2d', [arr('float32', [1, 4, 4, 2], 'finite'), arr('float32', [2, 3, 3, 2], 'finite', 1)]);
for (const o of [
  undefined,
  { stride: 2 },
  { stride: [1, 2] },
  { padding: [1, 0] },
  { dilation: 2 },
  { stride: 2, outputPadding: [1, 0] },
  { groups: 2 },
  { outputPadding: 1 },
] as Array<Record<string, Arg> | undefined>) {
  const w = o && o.groups === 2 ? arr('float32', [2, 3, 3, 1], 'finite', 1) : arr('float32', [3, 3, 3, 2], 'finite', 1);
  add('convTranspose2d', [arr('float32', [2, 4, 4, 2], 'finite'), w], o);
}
add('convTranspose2d', [arr('bfloat16', [1, 4, 4, 2], 'finite'), arr('bfloat16', [2, 3, 3, 2], 'finite', 1)]);
add('convTranspose3d', [arr('float32', [1, 3, 3, 3, 2], 'finite'), arr('float32', [2, 2, 2, 2, 2], 'finite', 1)]);
for (const o of [
  undefined,
  { stride: 2 },
  { padding: 1 },
  { stride: [2, 1, 1], outputPadding: [1, 0, 0] },
  { dilation: [1, 2, 1] },
  { groups: 2 },
] as Array<Record<string, Arg> | undefined>) {
  const w =
    o && o.groups === 2 ? arr('float32', [2, 2, 2, 2, 1], 'finite', 1) : arr('float32', [2, 2, 2, 2, 2], 'finite', 1);
  add('convTranspose3d', [arr('float32', [1, 3, 3, 3, 2], 'finite'), w], o);
}
add('convGeneral', [arr('float32', [1, 5, 5, 2], 'finite'), arr('float32', [2, 3, 3, 2], 'finite', 1)]);
for (const o of [
  undefined,
  { stride: 2 },
  { stride: [2, 1] },
  { padding: 1 },
  { padding: [1, 2] },
  {
    padding: [
      [1, 0],
      [0, 2],
    ],
  },
  { kernelDilation: 2 },
  { kernelDilation: [1, 2] },
  { inputDilation: 2 },
  { inputDilation: [2, 1], padding: 1 },
  { flip: true },
  {
    flip: true,
    stride: 2,
    padding: [
      [0, 1],
      [1, 0],
    ],
    kernelDilation: [2, 1],
    inputDilation: [1, 2],
  },
  { groups: 2 },
] as Array<Record<string, Arg> | undefined>) {
  const w = o && o.groups === 2 ? arr('float32', [2, 3, 3, 1], 'finite', 1) : arr('float32', [3, 3, 3, 2], 'finite', 1);
  add('convGeneral', [arr('float32', [2, 5, 5, 2], 'finite'), w], o);
}
add('convGeneral', [arr('float32', [1, 8, 2], 'finite'), arr('float32', [3, 3, 2], 'finite', 1)], {
  stride: 2,
  inputDilation: 2,
});
add('convolve', [arr('float32', [6], 'finite'), arr('float32', [3], 'finite', 1)]);
for (const mode of [undefined, 'full', 'same', 'valid', 'bogus']) {
  const o = mode === undefined ? undefined : { mode };
  add('convolve', [arr('float32', [6], 'finite'), arr('float32', [3], 'finite', 1)], o);
  add('convolve', [arr('float32', [3], 'finite'), arr('float32', [6], 'finite', 1)], o);
  add('convolve', [arr('float32', [5], 'finite'), arr('float32', [4], 'finite', 1)], o);
}
for (const d of DTYPES) add('convolve', [arr(d, [6], 'finite'), arr(d, [3], 'finite', 1)]);
add('convolve', [arr('float32', [2, 3], 'finite'), arr('float32', [3], 'finite', 1)]);

// Quantization. Packed weights are arbitrary bit patterns: w uint32 [O, I*bits/32].
add('quantize', [arr('float32', [4, 64], 'finite')]);
for (const d of ['float32', 'float16', 'bfloat16'] as DtypeName[]) {
  for (const o of [
    undefined,
    { groupSize: 32 },
    { groupSize: 64, bits: 8 },
    { groupSize: 32, bits: 2 },
    { groupSize: 128, bits: 4 },
    { bits: 3 },
    { bits: 5 },
    { bits: 6 },
    { groupSize: 16 },
    { mode: 'mxfp4' },
    { mode: 'mxfp8' },
    { mode: 'nvfp4' },
    { mode: 'mxfp4', groupSize: 64 },
    { mode: 'bogus' },
  ] as Array<Record<string, Arg> | undefined>) {
    add('quantize', [arr(d, [4, 64], 'finite')], o);
  }
}
add('quantize', [arr('float32', [4, 30], 'finite')]);
add('quantize', [arr('int32', [4, 64], 'finite')]);
add('quantize', [arr('float32', [64], 'finite')]);
add('quantize', [arr('float32', [2, 4, 64], 'finite')], { groupSize: 32 });
add('dequantize', [arr('uint32', [4, 8], 'bits'), arr('float32', [4, 1], 'scale'), arr('float32', [4, 1], 'finite')]);
for (const o of [
  undefined,
  { groupSize: 32 },
  { groupSize: 32, dtype: dt('float16') },
  { dtype: dt('bfloat16') },
  { bits: 8, groupSize: 32 },
  { bits: 2, groupSize: 32 },
  { bits: 3, groupSize: 32 },
  { bits: 6, groupSize: 64 },
] as Array<Record<string, Arg> | undefined>) {
  const g = (o?.groupSize as number) ?? 64;
  const b = (o?.bits as number) ?? 4;
  add(
    'dequantize',
    [
      arr('uint32', [4, (64 * b) / 32], 'bits'),
      arr('float32', [4, 64 / g], 'scale'),
      arr('float32', [4, 64 / g], 'finite'),
    ],
    o,
  );
}
add('dequantize', [arr('uint32', [4, 16], 'bits'), arr('float32', [4, 1], 'scale'), arr('float32', [4, 1], 'finite')], {
  groupSize: 128,
});
add('dequantize', [arr('uint32', [4, 8], 'bits'), arr('float16', [4, 1], 'scale'), arr('float16', [4, 1], 'finite')]);
add('dequantize', [arr('uint32', [4, 8], 'bits'), arr('float32', [4, 1], 'scale')]);
add('dequantize', [arr('uint32', [4, 8], 'bits'), arr('uint8', [4, 2], 'bits')], { mode: 'mxfp4' });
add('dequantize', [arr('uint32', [4, 8], 'bits'), arr('uint8', [4, 2], 'bits')], {
  mode: 'mxfp4',
  dtype: dt('float16'),
});
add('dequantize', [arr('uint32', [4, 16], 'bits'), arr('uint8', [4, 2], 'bits')], { mode: 'mxfp8' });
add('dequantize', [arr('uint32', [4, 8], 'bits'), arr('uint8', [4, 4], 'bits')], { mode: 'nvfp4' });
add('dequantize', [arr('uint32', [4, 8], 'bits'), arr('uint8', [4, 4], 'bits')], {
  mode: 'nvfp4',
  globalScale: arr('float32', [], 'scale'),
});
add('dequantize', [arr('uint32', [4, 8], 'bits'), arr('float32', [4, 2], 'scale'), arr('float32', [4, 1], 'finite')]);
add('dequantize', [
  arr('float32', [4, 8], 'finite'),
  arr('float32', [4, 1], 'scale'),
  arr('float32', [4, 1], 'finite'),
]);
add('quantizedMatmul', [
  arr('float32', [2, 64], 'unit'),
  arr('uint32', [4, 8], 'bits'),
  arr('float32', [4, 1], 'scale'),
  arr('float32', [4, 1], 'unit'),
]);
for (const o of [undefined, { groupSize: 32 }, { bits: 8 }, { transpose: false }, { groupSize: 32, bits: 8 }] as Array<
  Record<string, Arg> | undefined
>) {
  const g = (o?.groupSize as number) ?? 64;
  const b = (o?.bits as number) ?? 4;
  const T = o?.transpose === false;
  // transpose: w is [O, I] packed; not transposed: w is [I, O] packed (I = 64, O = 64 then).
  const w = T ? arr('uint32', [64, (64 * b) / 32], 'bits') : arr('uint32', [4, (64 * b) / 32], 'bits');
  const sc = T ? [64, 64 / g] : [4, 64 / g];
  add(
    'quantizedMatmul',
    [arr('float32', [2, 64], 'unit'), w, arr('float32', sc, 'scale'), arr('float32', sc, 'unit')],
    o,
  );
}
add('quantizedMatmul', [
  arr('float16', [2, 64], 'unit'),
  arr('uint32', [4, 8], 'bits'),
  arr('float16', [4, 1], 'scale'),
  arr('float16', [4, 1], 'unit'),
]);
add('quantizedMatmul', [arr('float32', [2, 64], 'unit'), arr('uint32', [4, 8], 'bits'), arr('uint8', [4, 2], 'bits')], {
  mode: 'mxfp4',
});
add('quantizedMatmul', [
  arr('float32', [2, 32], 'unit'),
  arr('uint32', [4, 8], 'bits'),
  arr('float32', [4, 1], 'scale'),
  arr('float32', [4, 1], 'unit'),
]);
add('quantizedMatmul', [
  arr('float32', [2, 64], 'unit'),
  arr('uint32', [4, 8], 'bits'),
  arr('float32', [4, 1], 'scale'),
]);
add(
  'gatherQmm',
  [
    arr('float32', [2, 64], 'unit'),
    arr('uint32', [3, 4, 8], 'bits'),
    arr('float32', [3, 4, 1], 'scale'),
    arr('float32', [3, 4, 1], 'unit'),
  ],
  {
    rhsIndices: arr('uint32', [2], 'idx3'),
  },
);
for (const o of [
  undefined,
  { rhsIndices: arr('uint32', [2], 'idx3') },
  { lhsIndices: arr('uint32', [1], 'idx1'), rhsIndices: arr('uint32', [2], 'idx3') },
  { rhsIndices: arr('uint32', [2], 'sorted'), sortedIndices: true },
  { rhsIndices: arr('uint32', [2], 'idx3'), groupSize: 32 },
] as Array<Record<string, Arg> | undefined>) {
  const g = (o?.groupSize as number) ?? 64;
  add(
    'gatherQmm',
    [
      arr('float32', [2, 64], 'unit'),
      arr('uint32', [3, 4, 8], 'bits'),
      arr('float32', [3, 4, 64 / g], 'scale'),
      arr('float32', [3, 4, 64 / g], 'unit'),
    ],
    o,
  );
}
add('gatherQmm', [arr('float32', [2, 64], 'unit'), arr('uint32', [3, 4, 8], 'bits'), arr('uint8', [3, 4, 2], 'bits')], {
  mode: 'mxfp4',
  rhsIndices: arr('uint32', [2], 'idx3'),
});
add('qqmm', [arr('float32', [2, 64], 'unit'), arr('float32', [4, 64], 'unit', 1)]);
for (const o of [
  undefined,
  { mode: 'mxfp8' },
  { mode: 'mxfp4' },
  { mode: 'affine' },
  { groupSize: 32 },
  { mode: 'nvfp4', globalScaleX: arr('float32', [], 'scale'), globalScaleW: arr('float32', [], 'scale', 1) },
] as Array<Record<string, Arg> | undefined>) {
  add('qqmm', [arr('float32', [2, 64], 'unit'), arr('float32', [4, 64], 'unit', 1)], o);
}
add('qqmm', [arr('bfloat16', [2, 64], 'unit'), arr('bfloat16', [4, 64], 'unit', 1)]);
add('gatherQqmm', [arr('float32', [2, 64], 'unit'), arr('float32', [3, 4, 64], 'unit', 1)], {
  rhsIndices: arr('uint32', [2], 'idx3'),
});
for (const o of [
  undefined,
  { rhsIndices: arr('uint32', [2], 'idx3'), mode: 'mxfp8' },
  { lhsIndices: arr('uint32', [1], 'idx1'), rhsIndices: arr('uint32', [2], 'idx3') },
] as Array<Record<string, Arg> | undefined>) {
  add('gatherQqmm', [arr('float32', [2, 64], 'unit'), arr('float32', [3, 4, 64], 'unit', 1)], o);
}

// Python's aliases (the same functions in mlx-node, under Python's other names).
add('acos', [arr('float32', [2, 4], 'unit')]);
add('acosh', [arr('float32', [2, 4], 'pos')]);
add('asin', [arr('float32', [2, 4], 'unit')]);
add('asinh', [arr('float32', [2, 4])]);
add('atan', [arr('float32', [2, 4])]);
add('atan2', [arr('float32', [2, 4]), arr('float32', [4], 'mixed', 3)]);
add('atanh', [arr('float32', [2, 4], 'unit')]);
add('bitwiseLeftShift', [arr('int32', [2, 4]), arr('int32', [4], 'small')]);
add('bitwiseRightShift', [arr('int32', [2, 4]), arr('int32', [4], 'small')]);
add('cumulativeProd', [arr('float32', [2, 4], 'finite')], { axis: 1 });
add('cumulativeSum', [arr('int32', [2, 4])], { axis: 0, reverse: true });
add('empty', [[2, 3]], { dtype: dt('int32') });
add('emptyLike', [arr('float16', [2, 3])]);
add('pow', [arr('float32', [2, 4]), 2]);

export const OP_CASES: readonly OpCase[] = cases;

/** Ops without any valid call on the CPU: their first case raises in Python too. */
export const NO_VALID_CASE_ON_CPU: ReadonlySet<string> = new Set(['qqmm', 'gatherQqmm']);

/** The cases of each op, in table order (the first one a valid call). */
export const CASES_BY_OP: ReadonlyMap<string, readonly OpCase[]> = (() => {
  const m = new Map<string, OpCase[]>();
  for (const c of cases) {
    let l = m.get(c.op);
    if (!l) m.set(c.op, (l = []));
    l.push(c);
  }
  return m;
})();
