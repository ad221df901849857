// Port of mlx/nn/layers/quantized.py (in progress).
export {};
