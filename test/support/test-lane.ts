/**
 * A lane: several test files run one after another in one process, so that src/ and the core model
 * load once for all of them (scripts/test-lanes.mjs says which files share a lane). Each file is
 * imported inside a suite named by its path, so its hooks (before, after, beforeEach) and tests
 * stay its own, and a failure names the file. scripts/run-tests.mjs writes one small module per
 * lane that calls runLane with the lane's files, and runs those modules with node --test next to
 * the files that keep a process of their own.
 */
import { describe } from 'node:test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../..', import.meta.url).pathname;

/** Runs the files (paths from the project folder) in this process, each in a suite of its own. */
export function runLane(files: readonly string[]): void {
  for (const file of files) {
    describe(file, async () => {
      await import(pathToFileURL(join(root, file)).href);
    });
  }
}
