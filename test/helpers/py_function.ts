// One function, two languages: a test writes a function once, as JS taking the
// module first, `(m, x, y) => m.sum(m.multiply(m.exp(x), y))`, and gets
//   - the mlx-node function: call it with m = mx and real arrays;
//   - the same function as Python source: pyFunction() calls it with a
//     recording module and symbolic arguments, and every op it makes becomes
//     one Python statement (`_t0 = mx.exp(a0)`), so the Python side runs the
//     same ops with the same arguments.
//
//   pyFunction('_f', (m, x, y) => m.sum(m.multiply(m.exp(x), y)), [x, y])
//   // def _f(a0, a1):
//   //     _t0 = mx.exp(a0)
//   //     _t1 = mx.multiply(_t0, a1)
//   //     _t2 = mx.sum(_t1)
//   //     return _t2
//
// What the recording understands (enough for test functions):
//   m.op(...args[, {keyword: v}])     mx.op(...args, keyword=v) (names camelCase → snake_case)
//   m.linalg.op(...)                  mx.linalg.op(...) (any sub-module)
//   m.array(data[, dtype])            mx.array(data, dtype) (float32 when no dtype: mlx-node's default)
//   m.float32 ...                     the real dtypes (rendered mx.float32)
//   x.method(...args)                 x.method(...) (x.T, x.mT, x.real, x.imag are properties)
//   x.index(0, '1:3', null, idx)      x[0, 1:3, None, idx]
//   x.set(idx..., v)                  x[idx...] = v           (a statement; x is updated)
//   x.at(idx...).add(v)               x.at[idx...].add(v)
//   const [a, b] = m.split(x, 2)      a list result: destructuring and r[0] give r[0], r[1] ...
// Arguments may be trees (JS arrays and plain objects of arrays): p.w is a0["w"].
// A trailing plain-object argument of the function itself is Python's **kw.
import { mx } from '../../lib/index';

const SYM = Symbol('python expression');
type Sym = { readonly [SYM]: string };

export function isSym(v: unknown): v is Sym {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as Record<symbol, unknown>)[SYM] === 'string'
  );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !isSym(v) && Object.getPrototypeOf(v) === Object.prototype;

const isDtype = (v: unknown): boolean => v instanceof (mx.float32.constructor as new () => unknown);

export const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** A JS value as a Python expression (numbers keep JS's int/float reading: 2 is int, 0.5 float). */
export function pyValue(v: unknown): string {
  if (isSym(v)) return v[SYM];
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return "float('nan')";
    if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "float('-inf')";
    if (Object.is(v, -0)) return '-0.0';
    return String(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (isDtype(v)) {
    const name = String(v).replace('mlx.core.', '');
    return `mx.${name === 'bool' ? 'bool_' : name}`;
  }
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  if (isPlainObject(v)) {
    if (Object.keys(v).length === 2 && 're' in v && 'im' in v) return `complex(${pyValue(v.re)}, ${pyValue(v.im)})`;
    return `{${Object.entries(v)
      .map(([k, e]) => `${JSON.stringify(k)}: ${pyValue(e)}`)
      .join(', ')}}`;
  }
  if (v instanceof mx.array)
    throw new TypeError('pyFunction: a real mx.array inside the function; pass it as an argument');
  if (v && typeof v === 'object' && (v as { __mlxSlice__?: boolean }).__mlxSlice__) {
    const s = v as { start: number | null; stop: number | null; step: number | null };
    return `slice(${pyValue(s.start)}, ${pyValue(s.stop)}, ${pyValue(s.step)})`;
  }
  throw new TypeError(`pyFunction: no Python form for ${String(v)}`);
}

/** Call arguments: a trailing plain object is the keyword arguments. */
function pyCallArgs(args: unknown[]): string {
  const parts: string[] = [];
  let kw: Record<string, unknown> | undefined;
  if (args.length && isPlainObject(args[args.length - 1]) && !isComplex(args[args.length - 1])) {
    kw = args[args.length - 1] as Record<string, unknown>;
    args = args.slice(0, -1);
  }
  for (const a of args) parts.push(pyValue(a));
  if (kw) for (const [k, v] of Object.entries(kw)) if (v !== undefined) parts.push(`${snake(k)}=${pyValue(v)}`);
  return parts.join(', ');
}
const isComplex = (v: unknown) => isPlainObject(v) && Object.keys(v).length === 2 && 're' in v && 'im' in v;

/** Index components as the inside of Python's [...]. */
function pyIndex(components: unknown[]): string {
  if (components.length === 0) return '()';
  const parts = components.map((c) => {
    if (typeof c === 'string') {
      if (!/^(\.\.\.|-?\d*(:-?\d*){1,2})$/.test(c)) throw new TypeError(`pyFunction: bad index string ${c}`);
      return c;
    }
    return pyValue(c);
  });
  return parts.join(', ');
}

const PROPERTIES = new Set(['T', 'mT', 'real', 'imag']);
const AT_OPS = ['add', 'subtract', 'multiply', 'divide', 'maximum', 'minimum'];

class Recorder {
  readonly lines: string[] = [];
  private n = 0;
  /** A new statement `_tN = expr`; returns the symbol _tN. */
  fresh(expr: string): Sym {
    const name = `_t${this.n++}`;
    this.lines.push(`${name} = ${expr}`);
    return this.sym(name);
  }
  /** A symbolic array (or list of arrays) standing for the Python expression `text`. */
  sym(text: string): Sym {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the Proxy traps and generators below need the recorder
    const rec = this;
    const target = {} as Sym;
    return new Proxy(target, {
      get(_t, key) {
        if (key === SYM) return text;
        if (key === Symbol.iterator) {
          // A list result: destructuring takes as many elements as it names.
          return function* () {
            for (let i = 0; ; i++) yield rec.sym(`${text}[${i}]`);
          };
        }
        if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return undefined;
        if (/^\d+$/.test(key)) return rec.sym(`${text}[${key}]`);
        if (PROPERTIES.has(key)) return rec.fresh(`${text}.${key}`);
        if (key === 'index') return (...idx: unknown[]) => rec.fresh(`${text}[${pyIndex(idx)}]`);
        if (key === 'set') {
          return (...args: unknown[]) => {
            const v = args.pop();
            rec.lines.push(`${text}[${pyIndex(args)}] = ${pyValue(v)}`);
          };
        }
        if (key === 'at') {
          return (...idx: unknown[]) =>
            Object.fromEntries(
              AT_OPS.map((op) => [op, (v: unknown) => rec.fresh(`${text}.at[${pyIndex(idx)}].${op}(${pyValue(v)})`)]),
            );
        }
        return (...args: unknown[]) => rec.fresh(`${text}.${snake(key)}(${pyCallArgs(args)})`);
      },
    });
  }
  /** The recording module: m.op(...) records mx.op(...). */
  module(prefix = 'mx'): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the Proxy traps and generators below need the recorder
    const rec = this;
    return new Proxy(
      {},
      {
        get(_t, key) {
          if (typeof key === 'symbol') return undefined;
          const real = prefix === 'mx' ? (mx as unknown as Record<string, unknown>)[key] : undefined;
          if (isDtype(real) || typeof real === 'number') return real;
          if (key === 'newaxis') return null;
          if (key === 'Ellipsis') return '...';
          if (key === 'array') {
            return (data: unknown, dtype?: unknown) =>
              rec.fresh(`mx.array(${pyValue(data)}, ${dtype == null ? 'mx.float32' : pyValue(dtype)})`);
          }
          if (real !== null && typeof real === 'object' && !isDtype(real)) return rec.module(`${prefix}.${key}`);
          return (...args: unknown[]) => rec.fresh(`${prefix}.${snake(key)}(${pyCallArgs(args)})`);
        },
      },
    );
  }
}

/** The tree with its mx.array leaves replaced by symbols for their Python paths. */
function symbolic(rec: Recorder, v: unknown, path: string): unknown {
  if (v instanceof mx.array) return rec.sym(path);
  if (Array.isArray(v)) return v.map((e, i) => symbolic(rec, e, `${path}[${i}]`));
  if (isPlainObject(v))
    return Object.fromEntries(
      Object.entries(v).map(([k, e]) => [k, symbolic(rec, e, `${path}[${JSON.stringify(k)}]`)]),
    );
  return v;
}

/** A returned tree as a Python expression: JS arrays become tuples. */
function pyReturn(v: unknown): string {
  if (isSym(v)) return v[SYM];
  if (Array.isArray(v)) return `(${v.map(pyReturn).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (isPlainObject(v)) {
    return `{${Object.entries(v)
      .map(([k, e]) => `${JSON.stringify(k)}: ${pyReturn(e)}`)
      .join(', ')}}`;
  }
  return pyValue(v);
}

export type TwoSidedFn = (m: any, ...args: any[]) => any;

/**
 * The Python `def name(a0, a1, ..., **kw)` of fn called with these arguments
 * (their values only matter for their tree structure; a trailing `kwargs`
 * object becomes **kw).
 */
export function pyFunction(name: string, fn: TwoSidedFn, args: unknown[], kwargs?: Record<string, unknown>): string {
  const rec = new Recorder();
  const params = args.map((_, i) => `a${i}`);
  const symArgs = args.map((a, i) => symbolic(rec, a, params[i]));
  if (kwargs) symArgs.push(symbolic(rec, kwargs, 'kw'));
  const out = fn(rec.module(), ...symArgs);
  const ret = pyReturn(out);
  const sig = [...params, ...(kwargs ? ['**kw'] : [])].join(', ');
  return [`def ${name}(${sig}):`, ...rec.lines.map((l) => `    ${l}`), `    return ${ret}`, ''].join('\n');
}

/** The mlx-node side of a two-sided function. */
export function jsFunction(fn: TwoSidedFn): (...args: any[]) => any {
  return (...args: unknown[]) => fn(mx, ...args);
}
