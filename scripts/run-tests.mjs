#!/usr/bin/env node
// Runs the test suite: a type check and the lint (eslint.config.js), then every test/**/*.test.ts
// file with node:test (TypeScript through tsx). The database comes from the environment:
// DATABASE_URL set means a real PostgreSQL (each test file creates and drops its own database on
// that server), unset means the embedded PGlite (each test database is a copy of a prepared data
// folder). Arguments narrow the run to files whose path contains one of them: npm test -- search
// storage. --no-typecheck skips the type check and the lint, --no-lint the lint alone.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { TestFileTimes } from './test-file-times.mjs';
import { planLanes } from './test-lanes.mjs';

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

const concurrency = Number(process.env.FLINT_TEST_CONCURRENCY ?? (onPostgres ? 3 : 2));
const times = new TestFileTimes(root, onPostgres ? 'postgres' : 'pglite');
const weightOf = times.lastRun();
// Two lanes per file running at a time, so that the lanes and the files with their own process
// share the slots evenly. FLINT_TEST_LANE=off gives every file its own process again (to rule the
// shared process out while debugging).
const laneCount = process.env.FLINT_TEST_LANE === 'off' ? 0 : concurrency * 2;
const plan = planLanes(files, root, laneCount, weightOf);
const laneModules = plan.lanes.map((lane, index) => ({ path: writeLaneModule(index + 1, lane.files), weight: lane.weight }));
console.log(`running ${files.length} test files on ${onPostgres ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}: `
  + `${files.length - plan.ownProcess.length} in ${plan.lanes.length} lanes, ${plan.ownProcess.length} in their own process`);

/** A lane's module in the scratch folder: it runs the lane's files (test/support/test-lane.ts). */
function writeLaneModule(number, laneFiles) {
  const folder = join(scratch, 'lanes');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `lane-${number}.mjs`);
  const runner = pathToFileURL(join(root, 'test/support/test-lane.ts')).href;
  writeFileSync(path, `import { runLane } from ${JSON.stringify(runner)};\nrunLane(${JSON.stringify(laneFiles)});\n`);
  return path;
}

// The heaviest first (by the last run's times), so that no long one starts last and runs alone at
// the end; without kept times (a fresh clone) the lanes first (each is longer than any one file),
// then the files with their own process in path order.
const ordered = [
  ...plan.ownProcess.map((file) => ({ path: file, weight: weightOf(file) ?? 0 })),
  ...laneModules,
].sort((a, b) => b.weight - a.weight).map((item) => item.path);
const fileTimes = join(scratch, 'file-times.tsv');
const result = spawnSync(process.execPath, [
  '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/file-times-reporter.mjs', `--test-reporter-destination=${fileTimes}`, ...ordered,
], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', FLINT_TEST_TEMPLATE: template, FLINT_TEST_SCRATCH: scratch } });
times.report(fileTimes, 10);
await dropTemplate();

process.exit(result.status ?? 1);
