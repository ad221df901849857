// mlx.core.random: the natives (native/random.cc) plus Python's global key
// sequence. The sequence lives here as mx.random.state, a list holding the
// current key; an op given no key takes the next one (split the state, keep
// one half, use the other), as Python does. Because the state is a plain list
// of arrays, mx.compile can capture it:
//   mx.compile(fn, {inputs: mx.random.state, outputs: mx.random.state})
import { native } from './native';
import type { array } from './core';
import type { Native_random } from './native.generated';

type PublicRandom = { [K in keyof Native_random as K extends `_${string}` ? never : K]: Native_random[K] };

/** The key of the global sequence (Python's mx.random.state): [key]. */
const state: array[] = [native.random.key(Date.now())];

native.random._setKeySource(() => {
  const [keep, use] = native.random._split2(state[0]) as [array, array];
  state[0] = keep;
  return use;
});

/** Seed the global key sequence. */
function seed(seed: number | bigint): void {
  try {
    state[0] = native.random.key(seed as number);
  } catch (e) {
    if (e instanceof Error) e.message = e.message.replace('key()', 'seed()');
    throw e;
  }
}

const publicNatives: Record<string, unknown> = {};
for (const [k, v] of Object.entries(native.random)) if (!k.startsWith('_')) publicNatives[k] = v;

export interface Random extends PublicRandom {
  /** Seed the global key sequence. */
  seed(seed: number | bigint): void;
  /** The global key sequence: a list holding the current key (Python's mx.random.state). */
  readonly state: array[];
}

export const random = Object.assign(publicNatives, { seed, state }) as unknown as Random;
