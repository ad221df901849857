// Port of mlx/nn/layers/positional_encoding.py (in progress).
export {};
