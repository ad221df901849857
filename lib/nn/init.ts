// Port of mlx/nn/init.py (in progress).
export {};
