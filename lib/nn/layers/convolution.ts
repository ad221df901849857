// Port of mlx/nn/layers/convolution.py (in progress).
export {};
