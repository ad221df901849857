// `npm pack`, then installing the tarball into an empty folder elsewhere,
// gives a package that works with require() and import.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('the packed tarball installs and loads with require and import', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlx-node-pack-'));
  try {
    const packed = JSON.parse(
      execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }),
    );
    const tarball = path.join(dir, packed[0].filename);
    const app = path.join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: app, stdio: 'pipe' });

    writeFileSync(
      path.join(app, 'cjs.cjs'),
      "const { mx } = require('mlx-node'); console.log(mx.sum(mx.array([1, 2, 3])).item());",
    );
    writeFileSync(
      path.join(app, 'esm.mjs'),
      "import { mx } from 'mlx-node'; import def from 'mlx-node'; console.log(mx.sum(mx.array([1, 2, 3])).item() + (def === mx ? 0 : 100));",
    );
    const env = { ...process.env, LD_LIBRARY_PATH: '' };
    assert.equal(execFileSync(process.execPath, ['cjs.cjs'], { cwd: app, encoding: 'utf8', env }).trim(), '6');
    assert.equal(execFileSync(process.execPath, ['esm.mjs'], { cwd: app, encoding: 'utf8', env }).trim(), '6');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
