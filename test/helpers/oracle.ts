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
 * Run a Python program and return its stdout. A run killed by a signal is run
 * once more: the Python process itself has been seen to abort, about once in a
 * dozen full test runs, with "terminate called without an active exception"
 * (MLX's threads at interpreter exit) — an oracle crash, not a test result.
 */
export function runPython(program: string, input?: string, maxBuffer = 1 << 30): string {
  for (let attempt = 0; ; attempt++) {
    try {
      return execFileSync(python, ['-c', program], { encoding: 'utf8', input, maxBuffer });
    } catch (e) {
      if (attempt === 0 && (e as { signal?: string | null }).signal) continue;
      throw e;
    }
  }
}

/**
 * Run a Python program (with `import mlx.core as mx` and `import json` done)
 * that assigns a JSON-serializable value to `out`, and return that value.
 *   const r = oracle('out = repr(mx.array([1, 2]))');
 */
export function oracle<T = unknown>(source: string): T {
  const program = `import json, math\nimport mlx.core as mx\n${source}\nprint(json.dumps(out))\n`;
  return JSON.parse(runPython(program)) as T;
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
