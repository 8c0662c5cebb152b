/**
 * The in-process lane: imports every test file named in FLINT_TEST_IN_PROCESS (a JSON array of
 * paths from the project folder), one after another, so that their tests run in this one process
 * and src/ loads once for all of them. scripts/run-tests.mjs runs it with node --test, next to the
 * files that need a process of their own (scripts/test-lanes.mjs says which files those are).
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const files = JSON.parse(process.env.FLINT_TEST_IN_PROCESS ?? '[]') as string[];
for (const file of files) await import(pathToFileURL(join(root, file)).href);
