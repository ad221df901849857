#!/usr/bin/env node
// Configures (once) and builds the native addon with CMake + Ninja into build/.
//
// Which MLX: $MLX_DIR if set (a folder holding MLXConfig.cmake, or an install
// prefix such as Homebrew's), else the project-local .venv that `npm run setup`
// fills from PyPI. CMakeLists.txt says what to install when neither is there.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, 'build');
const require = createRequire(import.meta.url);

function run(cmd, args) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.error) {
    console.error(`mlx-node build: could not run ${cmd} (${r.error.message}); run \`npm run setup\` first.`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function venvMlxCmakeDir() {
  const lib = path.join(root, '.venv', 'lib');
  if (!existsSync(lib)) return null;
  for (const py of readdirSync(lib)) {
    const dir = path.join(lib, py, 'site-packages', 'mlx', 'share', 'cmake', 'MLX');
    if (existsSync(path.join(dir, 'MLXConfig.cmake'))) return dir;
  }
  return null;
}

const mlxArgs = [];
const mlxDir = process.env.MLX_DIR;
if (mlxDir) {
  if (existsSync(path.join(mlxDir, 'MLXConfig.cmake'))) mlxArgs.push(`-DMLX_DIR=${mlxDir}`);
  else mlxArgs.push(`-DCMAKE_PREFIX_PATH=${mlxDir}`);
} else {
  const dir = venvMlxCmakeDir();
  if (dir) mlxArgs.push(`-DMLX_DIR=${dir}`);
}

const napiHeaders = require('node-api-headers').include_dir;
const addonApi = path.dirname(require.resolve('node-addon-api/package.json'));

// Configuring again is cheap (the cache is reused) and picks up a changed MLX_DIR.
run('cmake', [
  '-S',
  root,
  '-B',
  buildDir,
  '-G',
  'Ninja',
  `-DCMAKE_BUILD_TYPE=${process.env.MLX_NODE_BUILD_TYPE || 'Release'}`,
  `-DNODE_API_HEADERS_DIR=${napiHeaders}`,
  `-DNODE_ADDON_API_DIR=${addonApi}`,
  ...mlxArgs,
]);
run('cmake', ['--build', buildDir]);
