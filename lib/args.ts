// Python-style arguments for the TypeScript layers (nn, optimizers): the
// parameters in Python's positional order, and/or one trailing plain options
// object with any of them by camelCase name — the same convention as the
// native bindings (native/bind.h).
//
//   constructor(inputDims: number, outputDims: number, ...rest: [bias?: boolean] | [options: { bias?: boolean }]) {
//     const { bias } = pyArgs('Linear', rest, ['bias'], { bias: true });
import { isPlainObject } from './trees';

type Prefixes<T extends unknown[]> = T extends [...infer Head, unknown] ? Prefixes<Head> | T : [];
/**
 * The optional parameters of a Python-style signature: positional (P, in
 * order), or some of them positionally followed by one options object O.
 *   ...rest: PyRest<[bias?: boolean], { bias?: boolean }>
 */
export type PyRest<P extends unknown[], O> = P | [...Prefixes<Required<P>>, O];

export function pyArgs<T extends Record<string, unknown>>(
  what: string,
  given: unknown[],
  names: Array<keyof T & string>,
  defaults: T,
): T {
  const out: Record<string, unknown> = { ...defaults };
  let positional = given;
  const last = given[given.length - 1];
  if (given.length > 0 && isPlainObject(last) && Object.keys(last).every((k) => (names as string[]).includes(k))) {
    positional = given.slice(0, -1);
    for (const [k, v] of Object.entries(last)) {
      const at = (names as string[]).indexOf(k);
      if (at < positional.length && positional[at] !== undefined)
        throw new TypeError(`${what}: got multiple values for argument '${k}'.`);
      if (v !== undefined) out[k] = v;
    }
  } else if (given.length > 0 && isPlainObject(last)) {
    // A trailing plain object is the options object: a misspelt key is an error
    // (no optional parameter of these layers takes a plain object as its value).
    const unknown = Object.keys(last).filter((k) => !(names as string[]).includes(k));
    throw new TypeError(`${what}: unknown option '${unknown[0]}' (it takes: ${names.join(', ')}).`);
  }
  if (positional.length > names.length) {
    throw new TypeError(`${what}: takes at most ${names.length} optional arguments (${positional.length} given).`);
  }
  positional.forEach((v, i) => {
    if (v !== undefined) out[names[i]] = v;
  });
  return out as T;
}
