// Port of mlx/nn/layers/convolution_transpose.py (in progress).
export {};
