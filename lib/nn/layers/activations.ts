// Port of mlx/nn/layers/activations.py (in progress).
export {};
