// Port of mlx/nn/layers/pooling.py (in progress).
export {};
