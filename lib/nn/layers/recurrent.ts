// Port of mlx/nn/layers/recurrent.py (in progress).
export {};
