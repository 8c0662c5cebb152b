// The wall time of each test file, as scripts/file-times-reporter.mjs writes it during a run: the
// slowest ten are printed at the end of the run, so the suite stays fast, and the times are kept
// (node_modules/.cache/flint/, one list per database) so that the next run starts the slowest files
// first, and its lanes of about equal length. With a few files at a time on two cores, a long file
// started last would run alone at the end; started first, the short files fill the other slot
// around it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** Reads lines of `<ms>\t<path>`; paths relative to `root`. A missing file reads as no lines. */
function readTimes(file, root) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new Map();
  }
  const times = new Map();
  for (const line of text.split('\n').filter(Boolean)) {
    const [ms, path] = line.split('\t');
    times.set(relative(root, resolve(root, path)), Number(ms));
  }
  return times;
}

export class TestFileTimes {
  /** @param {string} root the project folder; @param {string} database 'pglite' or 'postgres' */
  constructor(root, database) {
    this.root = root;
    this.kept = join(root, 'node_modules', '.cache', 'flint', `test-times-${database}.tsv`);
  }

  /** Each file's time in the last run (ms), or undefined: `weightOf(file)`. */
  lastRun() {
    const last = readTimes(this.kept, this.root);
    return (file) => last.get(file);
  }

  /** Keeps the times of this run's files (from the reporter's file), merged with the kept ones. */
  keep(reported) {
    const times = readTimes(this.kept, this.root);
    for (const [file, ms] of readTimes(reported, this.root)) times.set(file, ms);
    mkdirSync(join(this.kept, '..'), { recursive: true });
    writeFileSync(this.kept, [...times].map(([file, ms]) => `${ms}\t${file}\n`).join(''));
    return readTimes(reported, this.root);
  }

  /** Prints the `count` slowest files of this run and keeps all their times. */
  report(reported, count) {
    const times = this.keep(reported);
    rmSync(reported, { force: true });
    const slowest = [...times].sort((a, b) => b[1] - a[1]).slice(0, count);
    if (slowest.length === 0) return;
    console.log('slowest test files (wall ms):');
    for (const [file, ms] of slowest) console.log(`${String(ms).padStart(8)}  ${file}`);
  }
}
