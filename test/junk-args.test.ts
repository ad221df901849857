// Bad input never crashes the process: every native binding (from the
// binding tables, so a new op is covered the day it lands) is called with a
// junk value in each parameter position — the other parameters valid — and
// with every array argument of odd shapes and dtypes, in a child process. Each call must return or throw an Error (TypeError,
// RangeError, Error); a crash, a non-Error throw or a hang fails the test and
// names the call.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { mx } from '../lib/index';
import { native } from '../lib/native';

interface Param {
  name: string;
  type: string;
  required: boolean;
  rest?: boolean;
}
interface Signature {
  params?: Param[];
  raw?: string;
}

// Calls that block by design on a single process (point-to-point to oneself).
const SKIP = new Set(['distributed.send', 'distributed.recv', 'distributed.recvLike']);

function junkValues(): Array<[string, unknown]> {
  return [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'x'],
    ['an empty object', {}],
    ['an empty list', []],
    ['a ragged list', [[1], [2, 3]]],
    ['NaN', NaN],
    ['-1', -1],
    ['1.5', 1.5],
    ['2^40', 2 ** 40],
    ['true', true],
    ['a symbol', Symbol('junk')],
    ['a function', () => 0],
    ['a bigint', 2n ** 70n],
    ['an int32 array', mx.array([1, 2], mx.int32)],
    ['a complex array', mx.array([{ re: 1, im: 2 }])],
    ['a 0-d array', mx.array(3)],
    [
      'a disposed array',
      (() => {
        const a = mx.ones([2]);
        a.dispose();
        return a;
      })(),
    ],
  ];
}

/** Arrays of odd shapes and dtypes, as a function of the parameter's type (array or array[]). */
function oddArrays(): Array<[string, (type: string) => unknown]> {
  const each = (make: () => unknown) => (type: string) => (type.startsWith('array[]') ? [make(), make()] : make());
  return [
    ['empty [0]', each(() => mx.zeros([0]))],
    ['empty [2, 0, 3]', each(() => mx.zeros([2, 0, 3]))],
    ['0-d', each(() => mx.array(3))],
    ['1-d [3]', each(() => mx.ones([3]))],
    ['int32 [2, 3, 4]', each(() => mx.ones([2, 3, 4], mx.int32))],
    ['bool [4, 4]', each(() => mx.ones([4, 4], mx.bool_))],
    ['uint32 [5, 2] of 7', each(() => mx.full([5, 2], 7, mx.uint32))],
    ['int32 [2, 2] of -5', each(() => mx.full([2, 2], -5, mx.int32))],
    ['float16 [1, 1, 1, 1]', each(() => mx.ones([1, 1, 1, 1], mx.float16))],
    [
      '[2, 2] and [3] mixed',
      (type: string) => (type.startsWith('array[]') ? [mx.ones([2, 2]), mx.ones([3])] : mx.ones([3])),
    ],
  ];
}

/** A valid value for a parameter of the given TypeScript type (from the binding table). */
function validFor(type: string): unknown {
  if (type.startsWith('array[]')) return [mx.ones([2, 2]), mx.ones([2, 2])];
  if (type.startsWith('array') || type.startsWith('ArrayLike')) return mx.ones([2, 2]);
  if (type.startsWith('number[]')) return [2, 2];
  if (type.startsWith('number')) return 1;
  if (type.startsWith('boolean')) return false;
  if (type.startsWith('string')) return 'affine';
  return undefined;
}

function runChild(): void {
  // The progress goes to a file (a regular file never refuses a write, as a
  // busy stdout pipe can with EAGAIN): its last line names the call that crashed.
  const log = fs.openSync(process.env.MLX_JUNK_LOG!, 'w');
  const out = (line: string) => fs.writeSync(log, `${line}\n`);
  const tables: Array<[string, Record<string, unknown>]> = [['', native as unknown as Record<string, unknown>]];
  for (const [k, v] of Object.entries(native)) {
    if (v && typeof v === 'object' && (v as { __signatures__?: unknown }).__signatures__) {
      tables.push([`${k}.`, v as Record<string, unknown>]);
    }
  }
  let calls = 0;
  for (const [prefix, table] of tables) {
    const sigs = table.__signatures__ as Record<string, Signature>;
    for (const name of Object.keys(sigs).sort()) {
      const full = prefix + name;
      const fn = table[name];
      if (SKIP.has(full) || typeof fn !== 'function') continue;
      const params = sigs[name].params ?? [{ name: 'arg', type: 'unknown', required: true }];
      const valid = params.map((p) => (p.required ? validFor(p.type) : undefined));
      // Every array argument of one odd shape/dtype at a time.
      // One call: logged first (a crash names it), then any throw must be an Error.
      const attempt = (label: string, args: unknown[]) => {
        out(`CALL ${full} ${label}`);
        calls++;
        try {
          const r = (fn as (...a: unknown[]) => unknown)(...args);
          if (r && typeof (r as Promise<unknown>).then === 'function')
            (r as Promise<unknown>).then(undefined, () => {});
        } catch (e) {
          if (!(e instanceof Error)) out(`NONERROR ${full} ${label}: ${String(e)}`);
        }
      };
      for (const [what, odd] of oddArrays()) {
        attempt(
          `arrays=${what}`,
          params.map((p, i) => (/^array/.test(p.type) ? odd(p.type) : valid[i])),
        );
      }
      for (let pos = 0; pos < Math.max(1, params.length); pos++) {
        for (const [what, junk] of junkValues()) {
          const args = [...valid];
          args[pos] = junk;
          attempt(`${params[pos]?.name ?? '?'}=${what}`, args);
        }
      }
    }
  }
  // Any array left around must still evaluate.
  mx.eval(mx.add(mx.ones([2]), 1));
  out(`DONE ${calls}`);
}

if (process.env.MLX_JUNK_LOG) {
  process.chdir(path.dirname(process.env.MLX_JUNK_LOG)); // saves write here
  runChild();
} else {
  test('every binding survives junk in every argument position (child process)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlx-node-junk-'));
    const logFile = path.join(dir, 'calls.log');
    const r = spawnSync(process.execPath, ['--expose-gc', __filename], {
      env: { ...process.env, MLX_JUNK_LOG: logFile },
      encoding: 'utf8',
      timeout: 240_000,
    });
    const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n') : [];
    fs.rmSync(dir, { recursive: true, force: true });
    const last = lines[lines.length - 1] ?? '';
    const nonErrors = lines.filter((l) => l.startsWith('NONERROR'));
    assert.equal(r.signal, null, `the child was killed by ${r.signal} (timeout or crash) after: ${last}`);
    assert.equal(r.status, 0, `the child exited with ${r.status} after: ${last}\n${r.stderr.slice(-2000)}`);
    assert.match(last, /^DONE \d+$/, `the child did not finish: ${last}`);
    assert.deepEqual(nonErrors, [], 'every throw is an Error');
    assert.ok(Number(last.split(' ')[1]) > 5000, `only ${last} calls were made`);
  });
}
