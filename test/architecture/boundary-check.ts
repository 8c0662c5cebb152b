/**
 * The module rules check over a set of source files: every import between modules goes through
 * the target module's index.ts and points down the module order; known exceptions are matched
 * and the ones that no longer occur are reported. Also the size warnings (long files and
 * functions), as at most 20 lines of text.
 */
import { posix } from 'node:path';
import type { KnownException } from './module-rules.js';
import { findFunctions, findImports } from './source-scan.js';

export interface SourceFile {
  /** From the project root, with forward slashes: `src/engine/route.ts`. */
  path: string;
  text: string;
}

export interface BoundaryReport {
  /** `file:line: problem`, in file and line order. */
  violations: string[];
  /** Listed exceptions that no longer occur. */
  stale: KnownException[];
}

/** The module a path under src/ belongs to: its first folder, or the file itself at the top. */
function moduleOf(path: string): string {
  const parts = path.split('/').slice(1);
  return parts.length === 1 ? parts[0].replace(/\.js$/, '.ts') : parts[0];
}

function problemOf(from: string, target: string, order: readonly string[]): string | undefined {
  const source = moduleOf(from);
  const module = moduleOf(target);
  if (source === module || !target.startsWith('src/')) return undefined;
  if (!order.includes(source)) return `module ${source} has no place in the module order`;
  if (!order.includes(module)) return `module ${module} has no place in the module order`;
  const isFolder = target.split('/').length > 2;
  if (isFolder && target !== `src/${module}/index.js`) return `imports inside module ${module} instead of its index.ts`;
  if (order.indexOf(module) < order.indexOf(source)) return `imports upward: ${source} may not use ${module}, which is above it`;
  return undefined;
}

export function checkBoundaries(files: readonly SourceFile[], order: readonly string[], exceptions: readonly KnownException[]): BoundaryReport {
  const violations: string[] = [];
  const used = new Set<KnownException>();
  for (const file of files) {
    for (const { line, specifier } of findImports(file.text)) {
      const problem = problemOf(file.path, posix.join(posix.dirname(file.path), specifier), order);
      if (problem === undefined) continue;
      const known = exceptions.find((e) => e.file === file.path && e.specifier === specifier);
      if (known) used.add(known);
      else violations.push(`${file.path}:${line}: ${specifier} ${problem}`);
    }
  }
  return { violations, stale: exceptions.filter((e) => !used.has(e)) };
}

/** Files and functions over the limits, longest first: at most `maxLines` lines of text. */
export function sizeWarnings(files: readonly SourceFile[], limits: { fileLines: number; functionLines: number }, maxLines = 20): string[] {
  const longFiles = files
    .map((f) => ({ where: f.path, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0) }))
    .filter((f) => f.lines > limits.fileLines);
  const longFunctions = files.flatMap((f) =>
    findFunctions(f.text)
      .filter((fn) => fn.lines > limits.functionLines)
      .map((fn) => ({ where: `${f.path}:${fn.line} ${fn.name}`, lines: fn.lines })));
  const each = Math.floor(maxLines / 2) - 1;
  const listed = (items: { where: string; lines: number }[], title: string) => {
    if (items.length === 0) return [];
    const sorted = [...items].sort((a, b) => b.lines - a.lines || a.where.localeCompare(b.where));
    const more = sorted.length > each ? `, the ${each} longest` : '';
    const count = sorted.length === 1 ? `1 ${title.replace('files', 'file').replace('functions', 'function')}` : `${sorted.length} ${title}`;
    return [`${count}${more} (a warning, not a failure):`, ...sorted.slice(0, each).map((i) => `  ${i.lines} lines  ${i.where}`)];
  };
  return [
    ...listed(longFiles, `files over ${limits.fileLines} lines`),
    ...listed(longFunctions, `functions over ${limits.functionLines} lines`),
  ];
}
