// Every binding's parameter list against Python's: the same names (camelCase),
// in the same order, with the same defaults. Python's side is read from the
// signature line of each function's docstring in mlx 0.32.4 (the oracle); our
// side from the binding tables (native/bind.h records them).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { native } from '../lib/native';
import { oracle } from './helpers/oracle';

interface PyParam {
  name: string;
  kind: 'positional' | 'keyword' | 'varargs' | 'kwargs';
  default?: string; // a literal in mlx-node's spelling; absent when required
}

// Python: parse "name(a: array, /, axis: int = 0, *, stream: ... = None) -> array"
// with ast, and spell each default as the JS literal our tables record.
const python = oracle<Record<string, PyParam[]>>(`
import ast
def js_default(node):
    if isinstance(node, ast.Constant):
        v = node.value
        if v is None: return "undefined"
        if v is True: return "true"
        if v is False: return "false"
        if isinstance(v, str): return "'" + v + "'"
        return repr(float(v)).removesuffix(".0") if float(v).is_integer() else repr(float(v))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return "-" + js_default(node.operand)
    if isinstance(node, ast.Name):
        return "mx." + node.id
    if isinstance(node, ast.Attribute):
        return "mx." + node.attr
    if isinstance(node, (ast.List, ast.Tuple)):
        return "[" + ", ".join(js_default(e) for e in node.elts) + "]"
    return ast.unparse(node)

out = {}
for name in dir(mx):
    f = getattr(mx, name)
    if name.startswith("_") or type(f).__name__ != "nb_func":
        continue
    line = f.__doc__.split("\\n")[0]
    head = line[: line.rindex(")") + 1] if "->" in line else line
    head = head[: head.index("(")]
    params = line[len(head) + 1 :]
    params = params[: params.rindex(")")] if "->" in params else params[: params.rindex(")")]
    fn = ast.parse("def f(" + params + "): pass").body[0].args
    res = []
    positional = fn.posonlyargs + fn.args
    defaults = [None] * (len(positional) - len(fn.defaults)) + fn.defaults
    for a, d in zip(positional, defaults):
        res.append({"name": a.arg, "kind": "positional", **({"default": js_default(d)} if d is not None else {})})
    if fn.vararg:
        res.append({"name": fn.vararg.arg, "kind": "varargs"})
    for a, d in zip(fn.kwonlyargs, fn.kw_defaults):
        res.append({"name": a.arg, "kind": "keyword", **({"default": js_default(d)} if d is not None else {})})
    if fn.kwarg:
        res.append({"name": fn.kwarg.arg, "kind": "kwargs"})
    out[name] = res
`);

interface OurParam {
  name: string;
  required: boolean;
  default?: string;
  rest?: boolean;
}
const ours = (native as unknown as { __signatures__: Record<string, { params?: OurParam[] }> }).__signatures__;

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
// Python names whose JS name is not the plain camelCase.
const jsNameOf: Record<string, string> = {
  atleast_1d: 'atleast1d',
  atleast_2d: 'atleast2d',
  atleast_3d: 'atleast3d',
  conv_transpose1d: 'convTranspose1d',
  conv_transpose2d: 'convTranspose2d',
  conv_transpose3d: 'convTranspose3d',
};

// Where a binding's parameters deliberately differ from Python's signature line.
const differences: Record<string, string> = {
  // Python documents arange as arange(start, stop, step, dtype) with stop/step
  // required-looking but has a second overload arange(stop, step, dtype);
  // the one JS binding covers both: arange(stop) / arange(start, stop, step?).
  arange: 'two Python overloads, one JS binding with optional stop/step',
};

test('every binding has Python’s parameter names, order and defaults', () => {
  const problems: string[] = [];
  let compared = 0;
  for (const [pyName, pyParams] of Object.entries(python)) {
    const jsName = jsNameOf[pyName] ?? camel(pyName);
    const sig = ours[jsName];
    if (!sig?.params || differences[jsName]) continue; // TS-level or raw bindings are checked elsewhere
    compared++;
    const theirs = pyParams.filter((p) => p.kind !== 'kwargs');
    const names = theirs.map((p) => camel(p.name === 'from_' ? 'from' : p.name));
    const mine = sig.params.map((p) => p.name);
    if (names.join(',') !== mine.join(',')) {
      problems.push(`${jsName}: parameters (${mine.join(', ')}) but Python has (${names.join(', ')})`);
      continue;
    }
    theirs.forEach((p, i) => {
      const m = sig.params![i];
      if (p.kind === 'varargs') {
        if (!m.rest) problems.push(`${jsName}: '${m.name}' should be variadic (Python *${p.name})`);
        return;
      }
      if (p.default === undefined && !m.required) problems.push(`${jsName}: '${m.name}' is required in Python`);
      if (p.default !== undefined && m.required)
        problems.push(`${jsName}: '${m.name}' defaults to ${p.default} in Python`);
      if (p.default !== undefined && !m.required && p.default !== m.default) {
        problems.push(`${jsName}: '${m.name}' defaults to ${m.default}, Python ${p.default}`);
      }
    });
  }
  assert.ok(compared > 150, `compared ${compared} bindings`);
  assert.deepEqual(problems, []);
});

test('mlx.nn exports Python’s public names and only the listed JS-side additions', () => {
  // What Python reaches in submodules that mlx-node keeps at nn level (one namespace per Python package), and
  // Python's private _Pool base class, which TypeScript's declarations need exported.
  const EXTRAS = [
    '_Pool',
    'checkpoint',
    'shardInplace',
    'shardLinear',
    'sumGradients',
    'upsampleCubic',
    'upsampleLinear',
    'upsampleNearest',
  ];
  const pyNames = oracle<string[]>(`
import mlx.nn as nn
out = [n for n in dir(nn) if not n.startswith("_")]
`);
  const camel = (n: string) => n.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  const expected = new Set(pyNames.map(camel));
  const { nn } = require('../lib/index') as { nn: Record<string, unknown> };
  const extra = Object.keys(nn)
    .filter((k) => !expected.has(k))
    .sort();
  assert.deepEqual(extra, EXTRAS);
});
