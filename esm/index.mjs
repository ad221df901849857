// ESM entry: `import { mx } from 'mlx-node'` and `import mx from 'mlx-node'`
// (the default export is mlx.core). The package itself is CommonJS.
import cjs from '../dist/lib/index.js';

export const { core, mx, utils, nn, optimizers } = cjs;
export default cjs.core;
