// mlx.nn for JS: one file per Python file (lib/nn/layers/*.ts ↔ mlx/nn/layers/*.py).
export * from './layers/base';
export * from './layers/activations';
export * from './layers/containers';
export * from './layers/convolution';
export * from './layers/convolution_transpose';
export * from './layers/dropout';
export * from './layers/embedding';
export * from './layers/linear';
export * from './layers/normalization';
export * from './layers/pooling';
export * from './layers/positional_encoding';
export * from './layers/quantized';
export * from './layers/recurrent';
export * from './layers/transformer';
export * from './layers/upsample';
export * as losses from './losses';
export * as init from './init';
export * from './utils';
