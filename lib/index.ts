// mlx-node: Python's mlx API for Node.js.
//   import { mx } from 'mlx-node';          // mlx.core
//   const { mx } = require('mlx-node');
import { core } from './core';

export { core, core as mx };
export * as utils from './utils';
export * as nn from './nn';
export * as optimizers from './optimizers';
export type {
  array,
  ArrayAt,
  ArrayConstructor,
  Core,
  FillView,
  FInfo,
  IInfo,
  Metal,
  MomentOptions,
  PrintOptions,
  Slice,
  StreamContext,
  Updater,
} from './core';
// The submodules' types, so that the API reference documents mx.fft, mx.linalg, ...
export type {
  Native_cuda as Cuda,
  Native_distributed as Distributed,
  Native_fast as Fast,
  Native_fft as Fft,
  Native_linalg as Linalg,
} from './native.generated';
export type { Random } from './random';
export type { ByteSink, FileSource, FileTarget, GgufValue, LoadOptions } from './io';
export type { FunctionExporter, ImportedFunction } from './export';
export type { Axes, CustomFunction, GradOptions } from './transforms';
export type {
  ArrayLike,
  Complex,
  Device,
  DeviceType,
  Dtype,
  DtypeCategory,
  Group,
  Index,
  IndexList,
  KernelOptions,
  Scalar,
  Stream,
  StreamOrDevice,
} from './types';
export default core;
