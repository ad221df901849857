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

// V8's headers, of the Node.js that runs this script: native/array_object.cc
// makes the array objects with V8's API (see there why). They come with Node
// itself (official tarballs, nvm, Homebrew, NodeSource packages; Debian's own
// nodejs package puts them in libnode-dev); NODE_HEADERS_DIR overrides.
function v8HeadersDir() {
  const candidates = [
    process.env.NODE_HEADERS_DIR,
    process.config.variables.node_prefix && path.join(process.config.variables.node_prefix, 'include', 'node'),
    path.join(path.dirname(process.execPath), '..', 'include', 'node'),
  ].filter(Boolean);
  const found = candidates.find((dir) => existsSync(path.join(dir, 'v8.h')));
  if (!found) {
    console.error(
      `mlx-node build: V8's headers (include/node/v8.h) of this Node.js ${process.version} were not found in\n` +
        candidates.map((d) => `  ${d}\n`).join('') +
        "  They ship with Node.js (official tarballs, nvm, Homebrew, NodeSource); Debian/Ubuntu's own nodejs\n" +
        '  package needs `apt install libnode-dev`. Or set NODE_HEADERS_DIR to the folder that holds v8.h.',
    );
    process.exit(1);
  }
  return path.resolve(found);
}
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
  `-DNODE_V8_HEADERS_DIR=${v8HeadersDir()}`,
  ...mlxArgs,
]);
run('cmake', ['--build', buildDir]);
