// mlx-node: Python's mlx API for Node.js.
//   import { mx } from 'mlx-node';          // mlx.core
//   const { mx } = require('mlx-node');
import { core } from './core';

export { core, core as mx };
export * as utils from './utils';
export * as nn from './nn';
export * as optimizers from './optimizers';
export type { array, ArrayConstructor, Core, StreamContext } from './core';
export type {
  ArrayLike,
  Complex,
  Device,
  DeviceType,
  Dtype,
  DtypeCategory,
  Scalar,
  Stream,
  StreamOrDevice,
} from './types';
export default core;
