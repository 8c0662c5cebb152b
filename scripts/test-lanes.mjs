// Which test files share a process, and how they are grouped. Loading src/ through tsx and building
// the core model cost a test process about 6 s of CPU, more than most files' own tests; so files
// run in lanes: one process imports several files one after another (test/support/test-lane.ts),
// each file's tests and hooks inside a suite of its own, and src/ loads once per lane. A file that
// starts processes of its own (a server process, a private PostgreSQL cluster, any child process),
// found by reading it and the test helpers it imports, or that says `flint-test: own-process`,
// keeps a process of its own: it waits on its children, signals them and counts them.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** What a file that needs its own process uses: a child process, or the marker. */
const OWN_PROCESS = /ServerProcess|node:child_process|PrivateCluster|flint-test: own-process/;

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

/**
 * Groups the files (paths relative to root) into at most `laneCount` lanes of about equal weight
 * (the longest first, each to the lightest lane), and the files that keep their own process. A
 * lane is its files and its estimated weight.
 * `weightOf(file)` is the file's time in the last run, or undefined; a file without one weighs its
 * size in bytes, scaled to the known times (or bytes alone when no time is known).
 */
export function planLanes(files, root, laneCount, weightOf = () => undefined) {
  const shared = [];
  const ownProcess = [];
  for (const file of files) (needsOwnProcess(join(root, file), root) ? ownProcess : shared).push(file);
  if (shared.length < 2 || laneCount < 1) return { lanes: [], ownProcess: files };
  const weights = estimateWeights(shared, root, weightOf);
  const lanes = Array.from({ length: Math.min(laneCount, shared.length) }, () => ({ files: [], weight: 0 }));
  for (const file of [...shared].sort((a, b) => weights.get(b) - weights.get(a))) {
    const lightest = lanes.reduce((best, lane) => (lane.weight < best.weight ? lane : best));
    lightest.files.push(file);
    lightest.weight += weights.get(file);
  }
  return { lanes: lanes.map((lane) => ({ files: lane.files.sort(), weight: lane.weight })), ownProcess };
}

function estimateWeights(files, root, weightOf) {
  const bytes = new Map(files.map((file) => [file, statSync(join(root, file)).size]));
  const known = files.filter((file) => weightOf(file) !== undefined);
  const knownBytes = known.reduce((sum, file) => sum + bytes.get(file), 0);
  const perByte = known.length > 0 && knownBytes > 0 ? known.reduce((sum, file) => sum + weightOf(file), 0) / knownBytes : 1;
  return new Map(files.map((file) => [file, weightOf(file) ?? bytes.get(file) * perByte]));
}
