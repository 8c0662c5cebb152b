/**
 * `ts` blocks of the docs (the TypeScript API of a module) run as they are written: imports of
 * `../<module>/index.js` (paths as seen from src/<module>/) point at the module, and a call whose
 * line ends with, or is followed by, a comment holding a literal (`// ['Peter', 'James']`) must
 * return that value.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';

const SAME_LINE = /^(\S.*\));?\s*\/\/\s*([[{'"\d].*)$/;
const CALL = /^(\S.*\));?\s*$/;
const NEXT_LINE = /^\/\/\s*([[{'"\d].*)$/;

/** The block's code with its module imports made absolute and its commented results made checks. */
export function typeScriptProgram(text: string, root: string): string {
  const lines = text.split('\n');
  const out: string[] = ["import __assert from 'node:assert/strict';"];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index].replace(/from '\.\.\/([a-z-]+)\/index\.js'/, (_whole, module: string) => `from '${pathToFileURL(join(root, 'src', module, 'index.ts')).href}'`);
    const same = SAME_LINE.exec(line);
    const call = CALL.exec(line);
    const next = NEXT_LINE.exec(lines[index + 1] ?? '');
    if (same && !/^(const|let|import|export)\b/.test(line)) out.push(`__assert.deepEqual(${same[1]}, ${same[2]}, ${JSON.stringify(`line ${index + 1}`)});`);
    else if (call && next && !/^(const|let|import|export)\b/.test(line)) {
      out.push(`__assert.deepEqual(${call[1]}, ${next[1]}, ${JSON.stringify(`line ${index + 1}`)});`);
      index += 1;
    } else out.push(line);
  }
  return out.join('\n');
}

/** Runs the block as a module (tsx compiles it), from a temporary file. */
export async function runTypeScriptBlock(text: string, root: string): Promise<void> {
  const file = join(tmpdir(), `flint-doc-example-${randomBytes(6).toString('hex')}.ts`);
  writeFileSync(file, typeScriptProgram(text, root));
  try {
    await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
}
