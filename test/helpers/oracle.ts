// The oracle: Python mlx 0.32.4 from the project's .venv (installed by
// `npm run setup`). Tests send Python source and compare with mlx-node.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(__dirname, '..', '..', '..');
export const python = path.join(root, '.venv', 'bin', 'python');

if (!existsSync(python)) {
  throw new Error(`The oracle needs ${python}: run \`npm run setup\` first.`);
}

/**
 * Run a Python program (with `import mlx.core as mx` and `import json` done)
 * that assigns a JSON-serializable value to `out`, and return that value.
 *   const r = oracle('out = repr(mx.array([1, 2]))');
 */
export function oracle<T = unknown>(source: string): T {
  const program = `import json, math\nimport mlx.core as mx\n${source}\nprint(json.dumps(out))\n`;
  const stdout = execFileSync(python, ['-c', program], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return JSON.parse(stdout) as T;
}

/** Evaluate many Python expressions in one process; returns [ok, value-or-error-type] per expression. */
export function oracleEach(
  expressions: string[],
  transform = 'x',
): Array<{ ok: boolean; value: unknown; error?: string }> {
  const src = `
exprs = json.loads(${JSON.stringify(JSON.stringify(expressions))})
out = []
for e in exprs:
    try:
        x = eval(e)
        out.append({"ok": True, "value": ${transform}})
    except Exception as err:
        out.append({"ok": False, "value": None, "error": type(err).__name__ + ": " + str(err)})
`;
  return oracle(src);
}
