// mlx.optimizers for JS (lib/optimizers/optimizers.ts ↔ optimizers.py, schedulers.ts ↔ schedulers.py).
export * from './optimizers';
export * from './schedulers';
