// Port of mlx/nn/layers/transformer.py (in progress).
export {};
