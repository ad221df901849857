// Generated files are current: the typings come from the binding tables and
// docs/PARITY.md from the installed Python mlx and the built package.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');

for (const script of ['gen-types.mjs', 'parity.mjs']) {
  test(`${script} --check: the generated file is up to date`, () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', script), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
}
