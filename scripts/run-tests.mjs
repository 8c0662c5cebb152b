#!/usr/bin/env node
// Runs the test suite: a type check, then every test/**/*.test.ts file with node:test (TypeScript
// through tsx). The database comes from the environment: DATABASE_URL set means a real PostgreSQL
// (each test file creates and drops its own database on that server), unset means the embedded PGlite.
// Arguments narrow the run to files whose path contains one of them: npm test -- search storage
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const skipTypecheck = process.argv.includes('--no-typecheck');

function findTests(folder) {
  const found = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found.sort();
}

const files = findTests(join(root, 'test')).filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
if (files.length === 0) {
  console.error('no test files match', filters);
  process.exit(1);
}

if (!skipTypecheck) {
  const check = spawnSync('npx', ['tsc', '--noEmit', '-p', '.'], { cwd: root, stdio: 'inherit' });
  if (check.status !== 0) process.exit(check.status ?? 1);
}

const database = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
console.log(`running ${files.length} test files on ${database}`);
const concurrency = process.env.FLINT_TEST_CONCURRENCY ?? (process.env.DATABASE_URL ? '3' : '2');
const result = spawnSync(process.execPath, [
  '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files,
], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
process.exit(result.status ?? 1);
