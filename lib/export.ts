// Function export/import (.mlxfn files readable by Python mlx and back) and
// exportToDot: Python's export_function, import_function, exporter,
// export_to_dot. Example inputs are Python's *args and **kwargs: positional
// arrays, then a trailing plain object whose keys are the keyword arrays and,
// for exportFunction/exporter, the options (shapeless, metadata).
import { writeFileSync } from 'node:fs';

import { native } from './native';
import type { array } from './core';
import { isPlainObject } from './trees';
import type { ByteSink } from './io';

type AnyFn = (...args: any[]) => any;
const isArray = (x: unknown): x is array => x instanceof native.array;

const OPTION_KEYS = ['shapeless', 'metadata'];

// Python's (*args, **kwargs) or (tuple, dict): positional arrays and keyword arrays.
function splitInputs(
  what: string,
  inputs: unknown[],
  takesOptions: boolean,
): { args: array[]; kwargs: Record<string, array>; options: { shapeless?: boolean; metadata?: string | null } } {
  const rest = [...inputs];
  let kwargs: Record<string, array> = {};
  const options: { shapeless?: boolean; metadata?: string | null } = {};
  if (rest.length && isPlainObject(rest[rest.length - 1])) {
    const last = rest.pop() as Record<string, unknown>;
    for (const [k, v] of Object.entries(last)) {
      if (takesOptions && OPTION_KEYS.includes(k)) (options as Record<string, unknown>)[k] = v;
      else if (isArray(v)) kwargs[k] = v;
      else throw new Error(`${what}: keyword input '${k}' must be an mx.array.`);
    }
  }
  // The tuple form: one JS array of arrays.
  const args = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as unknown[]) : rest;
  for (const a of args)
    if (!isArray(a)) throw new Error(`${what}: inputs must be mx.arrays (or an array of them and an object of them).`);
  if (!isPlainObject(kwargs)) kwargs = {};
  return { args: args as array[], kwargs, options };
}

// fun as MLX calls it while tracing: (args, kwargs) -> outputs.
function traced(fun: AnyFn, what: string) {
  if (typeof fun !== 'function') throw new TypeError(`${what}: argument 'fun' must be a function.`);
  return (args: array[], kwargs: Record<string, array>): array[] => {
    const out = Object.keys(kwargs).length ? fun(...args, kwargs) : fun(...args);
    if (isArray(out)) return [out];
    if (Array.isArray(out) && out.every(isArray)) return out;
    throw new Error(`${what}: the function must return an mx.array or an array of mx.arrays.`);
  };
}

/**
 * Trace fun on example inputs and write it to an .mlxfn file:
 *   mx.exportFunction('fun.mlxfn', fun, x, {y, shapeless: true, metadata: '{...}'})
 * (Python: export_function(file, fun, *args, shapeless=..., metadata=..., **kwargs)).
 */
export function exportFunction(file: string, fun: AnyFn, ...inputs: unknown[]): void {
  if (typeof file !== 'string') {
    throw new TypeError('exportFunction(): exporting to a callback is not supported in mlx-node; give a file path.');
  }
  const { args, kwargs, options } = splitInputs('exportFunction()', inputs, true);
  native._exportFunction(
    file,
    traced(fun, 'exportFunction()'),
    args,
    kwargs,
    options.shapeless ?? false,
    options.metadata ?? '',
  );
}

/** An imported function: call it like the original; it always returns an array of arrays. */
export type ImportedFunction = (...inputs: unknown[]) => array[];

/**
 * Read a function from an .mlxfn file (written by mlx-node or Python mlx).
 * With returnMetadata, [fn, metadata].
 */
export function importFunction(file: string, returnMetadata = false): ImportedFunction | [ImportedFunction, string] {
  const [call, metadata] = native._importFunction(file) as [(a: array[], k: Record<string, array>) => array[], string];
  const fn: ImportedFunction = (...inputs: unknown[]) => {
    const { args, kwargs } = splitInputs('imported function', inputs, false);
    return call(args, kwargs);
  };
  return returnMetadata ? [fn, metadata] : fn;
}

/** Python's FunctionExporter: call it with example inputs for each trace; close() (or `using`) ends the file. */
export interface FunctionExporter {
  (...inputs: unknown[]): void;
  close(): void;
  [Symbol.dispose](): void;
}

/**
 * Export several traces of fun to one file:
 *   using e = mx.exporter('fun.mlxfn', fun); e(x); e(x, y);
 * (or call e.close()).
 */
export function exporter(
  file: string,
  fun: AnyFn,
  options: { shapeless?: boolean; metadata?: string | null } = {},
): FunctionExporter {
  // The native exporter refers to `trace` weakly; `f` keeps it alive.
  const trace = traced(fun, 'exporter()');
  const exp = native._exporter(file, trace, options.shapeless ?? false, options.metadata ?? '') as (
    a: array[] | null,
    k?: Record<string, array>,
  ) => void;
  const f = ((...inputs: unknown[]) => {
    const { args, kwargs } = splitInputs('exporter()', inputs, false);
    exp(args, kwargs);
    void trace;
  }) as FunctionExporter;
  f.close = () => exp(null);
  f[Symbol.dispose] = f.close;
  return f;
}

/** Write the graph of the arrays (trees allowed) in Graphviz dot to a file or byte sink. */
export function exportToDot(file: string | ByteSink, ...arrays: unknown[]): void {
  const flat: array[] = [];
  const walk = (t: unknown) => {
    if (isArray(t)) flat.push(t);
    else if (Array.isArray(t)) t.forEach(walk);
    else if (isPlainObject(t)) Object.values(t).forEach(walk);
  };
  arrays.forEach(walk);
  const dot = native._exportToDot(flat) as string;
  if (typeof file === 'string') writeFileSync(file, dot);
  else if (file && typeof file.write === 'function') file.write(Buffer.from(dot));
  else throw new TypeError("exportToDot(): argument 'file' must be a path or an object with a write(bytes) method.");
}
