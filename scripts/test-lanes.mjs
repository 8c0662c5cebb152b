// Which test files can share one process. A file that starts no database, server or other process
// (found by reading it and the test helpers it imports) runs in the in-process lane: one process
// imports all such files (test/support/in-process-lane.ts), so the model, the validator and the
// rest of src/ load once instead of once per file (the 44 such files took 98 s of CPU in their own
// processes, 19 s in one). Every other file runs in its own process, as node:test runs files.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** What a file that needs its own process uses: a test database, a server, a child process. */
const OWN_PROCESS = /openTestDatabase|startTestFlint|createFlint|startFlint|PgliteDatabase|PostgresDatabase|ServerProcess|node:child_process|private-cluster/;

export const IN_PROCESS_LANE = 'test/support/in-process-lane.ts';

/** The test helpers (relative imports inside test/) that a file imports. */
function localImports(path, root) {
  const text = readFileSync(path, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]);
  return specifiers.map((specifier) => resolve(dirname(path), specifier.replace(/\.js$/, '.ts')))
    .filter((target) => relative(join(root, 'test'), target).split('/')[0] !== '..');
}

function needsOwnProcess(path, root, seen = new Set()) {
  if (seen.has(path)) return false;
  seen.add(path);
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false; // not a TypeScript helper (a fixture, a folder): nothing to start
  }
  if (OWN_PROCESS.test(text)) return true;
  return localImports(path, root).some((target) => needsOwnProcess(target, root, seen));
}

/** Splits the files (paths relative to root): the in-process lane, and the files with their own process. */
export function splitLanes(files, root) {
  const inProcess = [];
  const ownProcess = [];
  for (const file of files) (needsOwnProcess(join(root, file), root) ? ownProcess : inProcess).push(file);
  // One file gains nothing from the lane, and keeps its own name in the output.
  if (inProcess.length < 2) return { inProcess: [], ownProcess: files };
  return { inProcess, ownProcess };
}
