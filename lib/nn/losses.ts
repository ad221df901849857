// Port of mlx/nn/losses.py (in progress).
export {};
