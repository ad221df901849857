// Port of mlx/nn/layers/upsample.py (in progress).
export {};
