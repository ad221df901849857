// Port of mlx/nn/layers/embedding.py (in progress).
export {};
