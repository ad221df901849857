// The documentation's code cannot rot: every ```ts block of README.md and
// docs/*.md (python-to-node, indexing, data-interop) is type-checked against
// the package's declarations and executed, and its own checks must hold.
//
// - Each block runs in a fresh scope, as an ES module of its own (top-level
//   await and `using` work), with, unless it imports them itself,
//     import { mx, nn, optimizers, utils, type array } from 'mlx-node';
//     import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
//   in front. 'mlx-node' is this checkout (dist/lib). The working directory is
//   a fresh temporary folder, so a block may write files.
// - Type errors in a block fail its test (with the Markdown line).
// - `assert(...)` / `assert.equal(...)` / `assert.throws(...)` in a block are
//   its checks; an exception fails the test.
// - An expected-output comment `// => text` after (or on the last line of) an
//   expression statement is checked: the statement is replaced by a call that
//   records what console.log would print for its value (for `console.log(...)`
//   itself: for its arguments), and every time it runs that must equal `text`.
//   Comment lines right after it that are blank up to the column where `text`
//   began continue the text (multi-line output, e.g. a 2-D array, aligned
//   under the first line). A `// =>` that is not after an expression
//   statement fails the test, so no expectation goes unchecked.
// - A comment line `// Output:` followed by comment lines states the block's
//   whole console.log output (apart from the `// =>` statements): each
//   following line that starts with `// ` (its text after those three
//   characters) is one line of output, in order.
// - console.log output of the blocks is captured, not printed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { format } from 'node:util';
import ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');
const DOCS = ['README.md', 'docs/python-to-node.md', 'docs/indexing.md', 'docs/data-interop.md'];
const packageEntry = path.join(root, 'dist', 'lib', 'index.js');
const packageTypes = path.join(root, 'dist', 'lib', 'index.d.ts');

interface Snippet {
  doc: string; // README.md
  line: number; // 1-based Markdown line of the block's first code line
  code: string; // the block as written
  source: string; // header + code
  headerLines: number;
  file: string; // virtual .ts path for the type check
}

function extract(doc: string): Snippet[] {
  const text = readFileSync(path.join(root, doc), 'utf8');
  const lines = text.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) j++;
    if (open[2] === 'ts' || open[2] === 'typescript') {
      const indent = open[1].length;
      const code = lines
        .slice(i + 1, j)
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join('\n');
      const header: string[] = [];
      if (!/from\s+['"]mlx-node['"]/.test(code))
        header.push("import { mx, nn, optimizers, utils, type array } from 'mlx-node';");
      if (!/import\s+assert\b/.test(code)) header.push("import assert from 'node:assert/strict';");
      header.push('export {};');
      const n = out.length + 1;
      out.push({
        doc,
        line: i + 2,
        code,
        source: `${header.join('\n')}\n${code}\n`,
        headerLines: header.length,
        file: path.join(root, '.docs-snippets', `${doc.replace(/[/.]/g, '_')}_${n}.ts`),
      });
    }
    i = j;
  }
  return out;
}

const snippets = DOCS.filter((d) => existsSync(path.join(root, d))).flatMap(extract);
const where = (s: Snippet, fileLine0: number) => `${s.doc}:${s.line + fileLine0 - s.headerLines}`;

// ---------------------------------------------------------------------------
// Type check: one program over every block, against dist/lib's declarations.

let typeErrors: Map<string, string[]> | undefined;

function typeCheck(): Map<string, string[]> {
  if (typeErrors) return typeErrors;
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
    types: ['node'],
    typeRoots: [path.join(root, 'node_modules', '@types')],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    paths: { 'mlx-node': [packageTypes] },
  };
  const virtual = new Map(snippets.map((s) => [s.file, s.source]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) =>
    virtual.has(name)
      ? ts.createSourceFile(name, virtual.get(name)!, lang)
      : getSourceFile(name, lang, onError, create);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => virtual.get(name) ?? readFile(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  typeErrors = new Map();
  for (const s of snippets) {
    const sf = program.getSourceFile(s.file)!;
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    typeErrors.set(
      s.file,
      diags.map((d) => {
        const line =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : s.headerLines;
        return `${where(s, line)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
  }
  return typeErrors;
}

// ---------------------------------------------------------------------------
// Expected-output comments: `// => text`.

interface Expectation {
  id: number;
  line0: number; // 0-based line in s.source of the `// =>`
  text: string;
}

function instrument(s: Snippet): { source: string; expectations: Expectation[]; orphans: string[] } {
  const lines = s.source.split('\n');
  const expectations: Expectation[] = [];
  const orphans: string[] = [];
  const sf = ts.createSourceFile('x.ts', s.source, ts.ScriptTarget.ES2022, true);
  const statements: ts.ExpressionStatement[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isExpressionStatement(node)) statements.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const endLine = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getEnd()).line;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const used = new Set<ts.ExpressionStatement>();
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.*?)\/\/ =>(?: (.*))?$/.exec(lines[i]);
    if (!m) continue;
    const textLines = [m[2] ?? ''];
    // Continuation lines: comment-only lines with nothing but `//` and spaces before the column where the text began.
    const col = m[1].length + '// => '.length;
    while (i + 1 < lines.length && lines[i + 1].length > col && /^\s*\/\/\s*$/.test(lines[i + 1].slice(0, col))) {
      textLines.push(lines[++i].slice(col));
    }
    const commentLine = i - textLines.length + 1;
    // The statement: the one ending on this line (a trailing comment), else on the last code line above.
    let target = commentLine;
    if (m[1].trim() === '') {
      target--;
      while (target >= 0 && (lines[target].trim() === '' || /^\s*\/\//.test(lines[target]))) target--;
    }
    const stmt = statements
      .filter((st) => endLine(st) === target && !used.has(st))
      .sort((a, b) => a.getStart() - b.getStart())[0];
    if (!stmt) {
      orphans.push(`${where(s, commentLine)}: '// =>' is not after an expression statement`);
      continue;
    }
    used.add(stmt);
    const id = expectations.length;
    expectations.push({ id, line0: commentLine, text: textLines.map((t) => t.trimEnd()).join('\n') });
    const e = stmt.expression;
    if (ts.isCallExpression(e) && e.expression.getText(sf) === 'console.log') {
      const open = e.arguments.pos; // just after '('
      edits.push({
        start: e.expression.getStart(sf),
        end: open,
        text: `__show(${id}${e.arguments.length ? ', ' : ''}`,
      });
    } else {
      edits.push({ start: e.getStart(sf), end: e.getEnd(), text: `__show(${id}, (${e.getText(sf)}))` });
    }
  }
  let source = s.source;
  for (const ed of edits.sort((a, b) => b.start - a.start))
    source = source.slice(0, ed.start) + ed.text + source.slice(ed.end);
  return { source, expectations, orphans };
}

/** The text of a `// Output:` comment block, if the block has one. */
function expectedOutput(s: Snippet): string | undefined {
  const lines = s.code.split('\n');
  const at = lines.findIndex((l) => /^\s*\/\/ Output:\s*$/.test(l));
  if (at < 0) return undefined;
  const out: string[] = [];
  for (let i = at + 1; i < lines.length && /^\s*\/\/( |$)/.test(lines[i]); i++)
    out.push(lines[i].replace(/^\s*\/\/ ?/, ''));
  return out.join('\n');
}

// ---------------------------------------------------------------------------
// Running a block

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<void>;
const realRequire = createRequire(path.join(root, 'package.json'));
const requireForSnippet = (id: string) => (id === 'mlx-node' ? realRequire(packageEntry) : realRequire(id));

async function run(s: Snippet): Promise<void> {
  const { source, expectations, orphans } = instrument(s);
  assert.deepEqual(orphans, [], 'expected-output comments that are not checked');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const seen: string[][] = expectations.map(() => []);
  const logged: string[] = [];
  const quietConsole = Object.assign(Object.create(console), {
    log: (...args: unknown[]) => void logged.push(format(...args)),
    info: (...args: unknown[]) => void logged.push(format(...args)),
  });
  const show = (id: number, ...args: unknown[]) => void seen[id].push(format(...args));
  const fn = new AsyncFunction('require', 'exports', 'module', 'console', '__show', js);
  const cwd = process.cwd();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlx-node-docs-'));
  process.chdir(dir);
  try {
    const module = { exports: {} };
    await fn(requireForSnippet, module.exports, module, quietConsole, show);
  } catch (e) {
    const err = e as Error;
    err.message = `${s.doc}:${s.line} (the block starting there) threw: ${err.message}`;
    throw err;
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
  const output = expectedOutput(s);
  if (output !== undefined)
    assert.equal(
      logged.join('\n'),
      output,
      `${s.doc}:${s.line}: the block's output differs from its '// Output:' comment`,
    );
  for (const ex of expectations) {
    const at = where(s, ex.line0);
    assert.ok(seen[ex.id].length > 0, `${at}: the statement before '// => ${ex.text}' never ran`);
    for (const got of seen[ex.id]) assert.equal(got, ex.text, `${at}: printed output differs from the '// =>' comment`);
  }
}

// ---------------------------------------------------------------------------

describe('documentation code blocks', () => {
  test('there are blocks to check (README example, python-to-node guide)', () => {
    assert.ok(
      snippets.some((s) => s.doc === 'README.md'),
      'README.md has a ```ts example',
    );
    assert.ok(
      snippets.filter((s) => s.doc === 'docs/python-to-node.md').length >= 10,
      'python-to-node.md has its ```ts examples',
    );
  });

  for (const s of snippets) {
    const first = s.code.split('\n').find((l) => l.trim() !== '') ?? '';
    test(`${s.doc}:${s.line} ${first.trim().slice(0, 60)}`, { timeout: 120_000 }, async () => {
      const errors = typeCheck().get(s.file)!;
      assert.deepEqual(errors, [], 'type errors');
      await run(s);
    });
  }
});

describe('documentation files', () => {
  const linkRe = /\[[^\]]*\]\(([^)\s]+)\)/g;
  for (const doc of [
    'README.md',
    'CONTRIBUTING.md',
    'docs/python-to-node.md',
    'docs/indexing.md',
    'docs/data-interop.md',
  ]) {
    test(`${doc}: relative links point at files of the repository`, () => {
      const text = readFileSync(path.join(root, doc), 'utf8');
      const broken: string[] = [];
      for (const m of text.matchAll(linkRe)) {
        const target = m[1].split('#')[0];
        if (!target || /^[a-z]+:/i.test(target)) continue;
        const resolved = path.resolve(path.dirname(path.join(root, doc)), target);
        // docs/api/ is generated by `npm run docs` and not committed.
        if (resolved.startsWith(path.join(root, 'docs', 'api'))) continue;
        if (!existsSync(resolved)) broken.push(m[1]);
      }
      assert.deepEqual(broken, []);
    });
  }

  test('README.md gives the set-up, test and MNIST commands', () => {
    const text = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const cmd of ['npm run setup', 'npm test', 'npm run mnist', 'npm run docs'])
      assert.ok(text.includes(cmd), cmd);
    const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts;
    for (const name of ['setup', 'test', 'mnist', 'docs', 'bench', 'parity'])
      assert.ok(scripts[name], `package.json script ${name}`);
  });

  test('the API reference (npm run docs) builds without a warning', () => {
    const typedoc = path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
    const r = spawnSync(process.execPath, [typedoc, '--emit', 'none', '--treatWarningsAsErrors'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });
});
