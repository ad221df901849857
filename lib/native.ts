// Loads the native addon (build/mlx_node.node), with one helpful message when
// it cannot load.
import path from 'node:path';

import type { NativeFunctions } from './native.generated';
import type { Device, DeviceType, Dtype, DtypeCategory, NativeArray } from './types';

export interface NativeModule extends NativeFunctions {
  __version__: string;
  array: new (val: unknown, dtype?: Dtype | null) => NativeArray;
  Dtype: Function;
  DtypeCategory: Function & Record<string, DtypeCategory>;
  Device: new (type: DeviceType, index?: number) => Device;
  DeviceType: Function & { cpu: DeviceType; gpu: DeviceType };
  Stream: Function;
  ThreadLocalStream: Function;
  cpu: DeviceType;
  gpu: DeviceType;
  [dtypeOrCategory: string]: unknown;
}

function load(): NativeModule {
  const file = path.resolve(__dirname, '..', '..', 'build', 'mlx_node.node');
  try {
    return require(file) as NativeModule;
  } catch (e) {
    const err = e as Error;
    throw new Error(
      `mlx-node: could not load the native addon (${file}): ${err.message}\n` +
        'Build it with `npm run setup` (or `npm run build:native` after setting MLX_DIR to an MLX 0.32.4 install).',
      { cause: err },
    );
  }
}

export const native: NativeModule = load();
