// The 14 MLX dtypes by their Python names, in MLX's enum order.
export const DTYPES = [
  'bool_',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
  'float16',
  'float32',
  'float64',
  'bfloat16',
  'complex64',
] as const;
