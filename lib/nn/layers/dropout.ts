// Port of mlx/nn/layers/dropout.py (in progress).
export {};
