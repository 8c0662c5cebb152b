#!/usr/bin/env node
// Runs the test suite: a type check and the lint (eslint.config.js), then every test/**/*.test.ts
// file with node:test (TypeScript through tsx). The database comes from the environment:
// DATABASE_URL set means a real PostgreSQL (each test file creates and drops its own database on
// that server), unset means the embedded PGlite (each test database is a copy of a prepared data
// folder). Arguments narrow the run to files whose path contains one of them: npm test -- search
// storage. --no-typecheck skips the type check and the lint, --no-lint the lint alone.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { TestFileTimes } from './test-file-times.mjs';
import { IN_PROCESS_LANE, splitLanes } from './test-lanes.mjs';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const skipTypecheck = process.argv.includes('--no-typecheck');
const skipLint = skipTypecheck || process.argv.includes('--no-lint');

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
if (!skipLint) {
  const lint = spawnSync('npx', ['eslint', 'src', 'test', 'scripts', 'bench'], { cwd: root, stdio: 'inherit' });
  if (lint.status !== 0) process.exit(lint.status ?? 1);
}

// The run's scratch folder (test data folders, the embedded templates): in memory when the machine
// has /dev/shm, removed after the run. Tests find it in FLINT_TEST_SCRATCH (test/support/data-folder.ts).
const scratch = join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `flint-tests-${randomBytes(4).toString('hex')}`);
mkdirSync(scratch, { recursive: true });

// Every test file starts from a prepared template (schema and core tables) instead of building it.
const onPostgres = Boolean(process.env.DATABASE_URL);
const template = onPostgres ? `flint_template_${randomBytes(4).toString('hex')}` : join(scratch, 'templates');
const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-test-template.ts', template], { cwd: root, stdio: 'inherit' });
if (prepared.status !== 0) {
  rmSync(scratch, { recursive: true, force: true });
  process.exit(prepared.status ?? 1);
}

async function dropTemplate() {
  rmSync(scratch, { recursive: true, force: true });
  if (!onPostgres) return;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await client.end();
}

// FLINT_TEST_LANE=off runs every file in its own process (to rule the shared process out while debugging).
const lanes = process.env.FLINT_TEST_LANE === 'off' ? { inProcess: [], ownProcess: files } : splitLanes(files, root);
// The lane first: it is among the longest, which should not start last.
const processes = lanes.inProcess.length > 0 ? [IN_PROCESS_LANE, ...lanes.ownProcess] : lanes.ownProcess;
console.log(`running ${files.length} test files on ${onPostgres ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}: `
  + `${lanes.inProcess.length} in one process (${IN_PROCESS_LANE}), ${lanes.ownProcess.length} in their own`);
const concurrency = process.env.FLINT_TEST_CONCURRENCY ?? (onPostgres ? '3' : '2');
const fileTimes = join(scratch, 'file-times.tsv');
const times = new TestFileTimes(root, onPostgres ? 'postgres' : 'pglite');
const result = spawnSync(process.execPath, [
  '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/file-times-reporter.mjs', `--test-reporter-destination=${fileTimes}`, ...times.order(processes),
], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', FLINT_TEST_TEMPLATE: template, FLINT_TEST_SCRATCH: scratch, FLINT_TEST_IN_PROCESS: JSON.stringify(lanes.inProcess) } });
times.report(fileTimes, 10);
await dropTemplate();

process.exit(result.status ?? 1);
