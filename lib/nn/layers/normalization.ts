// Port of mlx/nn/layers/normalization.py (in progress).
export {};
