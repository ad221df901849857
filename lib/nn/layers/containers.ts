// Port of mlx/nn/layers/containers.py (in progress).
export {};
