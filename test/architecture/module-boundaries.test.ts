/**
 * The module rules of docs/architecture.md, checked on every import of src/: modules import each
 * other only through their index.ts, and only downward in the module order (module-rules.ts).
 * Known exceptions are listed with a reason; a new violation fails, and so does a listed one that
 * no longer occurs. The size warnings (files over 300 lines, functions over 40) are printed only.
 * The checker itself is tested on small made-up sources, so each rule is seen to fail.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { checkBoundaries, sizeWarnings, type SourceFile } from './boundary-check.js';
import { knownExceptions, moduleOrder, sizeLimits } from './module-rules.js';
import { findFunctions, findImports } from './source-scan.js';

const root = new URL('../..', import.meta.url).pathname;

function sourceFiles(folder: string): SourceFile[] {
  return readdirSync(folder).sort().flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [{ path: relative(root, path), text: readFileSync(path, 'utf8') }] : [];
  });
}

describe('module rules of src/', () => {
  const files = sourceFiles(join(root, 'src'));
  const report = checkBoundaries(files, moduleOrder, knownExceptions);

  it('every import between modules goes through index.ts and points down the module order', () => {
    assert.deepEqual(report.violations, [], `\n${report.violations.join('\n')}\n(fix the import, or list it in test/architecture/module-rules.ts with a reason)`);
  });

  it('every listed exception still occurs', () => {
    const stale = report.stale.map((e) => `${e.file} ${e.specifier}`);
    assert.deepEqual(stale, [], 'these no longer break a rule: remove them from knownExceptions');
  });

  it('the module order names every module of src/, and only those', () => {
    const present = readdirSync(join(root, 'src')).filter((n) => n.endsWith('.ts') || statSync(join(root, 'src', n)).isDirectory());
    assert.deepEqual([...present].sort(), [...moduleOrder].sort());
  });

  it('the module order is the order of the table of docs/architecture.md', () => {
    const page = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
    const table = [...page.matchAll(/^\| `([\w-]+)\/` \|/gm)].map((m) => m[1]);
    assert.deepEqual(table, moduleOrder.filter((m) => !m.endsWith('.ts') && m !== 'cli'));
  });

  it('prints the files and functions over the size limits, in at most 20 lines (a warning, never a failure)', (t) => {
    const warnings = sizeWarnings(files, sizeLimits);
    assert.ok(warnings.length <= 20);
    for (const line of warnings) t.diagnostic(line);
  });
});

describe('the module rules checker', () => {
  const order = ['server.ts', 'config.ts', 'engine', 'search', 'core'];
  const file = (path: string, text: string): SourceFile => ({ path, text });
  const check = (files: SourceFile[], exceptions = []) => checkBoundaries(files, order, exceptions);
  const cases: [string, string, string, string | undefined][] = [
    ['down through index.ts', 'src/engine/read.ts', "import { x } from '../search/index.js';", undefined],
    ['inside one module', 'src/search/a/b.ts', "import { x } from '../c/d.js';", undefined],
    ['the composition root', 'src/server.ts', "import { x } from './engine/index.js';", undefined],
    ['past index.ts', 'src/engine/read.ts', "\nimport { x } from '../search/execute-search.js';", "src/engine/read.ts:2: ../search/execute-search.js imports inside module search instead of its index.ts"],
    ['upward', 'src/search/plan.ts', "import type { X } from '../engine/index.js';", "src/search/plan.ts:1: ../engine/index.js imports upward: search may not use engine, which is above it"],
    ['upward to a file of src/', 'src/core/a.ts', "export * from '../config.js';", "src/core/a.ts:1: ../config.js imports upward: core may not use config.ts, which is above it"],
    ['dynamic import', 'src/core/a.ts', "const m = await import('../search/index.js');", "src/core/a.ts:1: ../search/index.js imports upward: core may not use search, which is above it"],
    ['multi-line import', 'src/core/a.ts', "import {\n  a,\n  b,\n} from '../engine/index.js';", "src/core/a.ts:4: ../engine/index.js imports upward: core may not use engine, which is above it"],
    ['an unknown module', 'src/core/a.ts', "import { a } from '../cache/index.js';", "src/core/a.ts:1: ../cache/index.js module cache has no place in the module order"],
    ['a commented-out import', 'src/core/a.ts', "// import { a } from '../engine/index.js';\nconst s = \"import x from '../engine/index.js'\";", undefined],
  ];
  for (const [name, path, text, expected] of cases) {
    it(name, () => assert.deepEqual(check([file(path, text)]).violations, expected === undefined ? [] : [expected]));
  }

  it('a listed exception covers its import, and is reported once it no longer occurs', () => {
    const listed = { file: 'src/search/plan.ts', specifier: '../engine/index.js', reason: 'r' };
    const gone = { file: 'src/search/gone.ts', specifier: '../engine/index.js', reason: 'r' };
    const report = checkBoundaries([file('src/search/plan.ts', "import { x } from '../engine/index.js';")], order, [listed, gone]);
    assert.deepEqual(report, { violations: [], stale: [gone] });
  });

  it('reads imports past strings, templates and regular expressions', () => {
    const text = "const a = `x${'}'}`;\nconst r = /['`]/g;\nimport { b } from './b.js';\nexport { c } from \"../c/index.js\";";
    assert.deepEqual(findImports(text), [{ line: 3, specifier: './b.js' }, { line: 4, specifier: '../c/index.js' }]);
  });

  it('measures functions, arrows and methods with block bodies', () => {
    const body = (n: number) => '  x++;\n'.repeat(n);
    const text = `function one(a: { b: string }): Promise<void> {\n${body(3)}}\n`
      + `const two = async (x: number) => {\n${body(1)}};\n`
      + `class C {\n  three(): string {\n${body(2)}  }\n}\nif (x) {\n}\n`;
    assert.deepEqual(findFunctions(text).map((f) => [f.name, f.line, f.lines]), [['one', 1, 5], ['two', 6, 3], ['three', 10, 4]]);
  });

  it('lists long files and functions longest first, in at most 20 lines', () => {
    const long = (name: string, n: number) => `function ${name}() {\n${'  x++;\n'.repeat(n)}}\n`;
    const files = Array.from({ length: 30 }, (_, i) => file(`src/core/f${i}.ts`, long(`f${i}`, 10 + i) + '\n'.repeat(i)));
    const warnings = sizeWarnings(files, { fileLines: 30, functionLines: 25 });
    assert.ok(warnings.length <= 20);
    assert.match(warnings[0], /^20 files over 30 lines, the 9 longest/);
    assert.equal(warnings[1], '  70 lines  src/core/f29.ts');
    assert.match(warnings[10], /^16 functions over 25 lines, the 9 longest/);
    assert.equal(warnings[11], '  41 lines  src/core/f29.ts:1 f29');
    assert.deepEqual(sizeWarnings([file('src/core/a.ts', long('a', 5))], { fileLines: 30, functionLines: 25 }), []);
  });
});
