/**
 * The official SQL on FHIR v2 suite through both runners: every test must pass in memory and as
 * SQL on this database (expectError tests must be rejected). Writes the reports
 * test-results/sql-on-fhir-report.json (a test passes when both runners pass it; per-runner results
 * in `details`) and one report per runner, in the suite's test-report format.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createSystemSchema } from '../../src/db/index.js';
import type { ViewSource } from '../../src/sof/index.js';
import { installFhirFunctions } from '../../src/sql-api/index.js';
import { provisionTables, type StorageResolver } from '../../src/storage/index.js';
import { coreViewSource } from './core-view-source.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../support/test-database.js';
import { readSuite, runTest, storeResources, writeReport, type Outcome, type Report, type Runner } from './conformance-suite.js';

const suite = readSuite();
const runners: Runner[] = ['memory', 'sql'];
const results = new Map<string, Map<string, Record<Runner, Outcome>>>();
let testDb: TestDatabase;
let storages: StorageResolver;
let source: ViewSource;
const types = [...new Set(suite.flatMap((file) => file.resources.map((resource) => resource.resourceType)))];

before(async () => {
  testDb = await openTestDatabase();
  ({ storages, source } = await coreViewSource());
  await createSystemSchema(testDb.db);
  await provisionTables(testDb.db, types.map((type) => storages.storageFor(type)!));
  await installFhirFunctions(testDb.db);
});

after(async () => {
  await testDb.close();
});

it('covers the whole suite: 22 files, 134 tests, 11 of them expecting an error', () => {
  assert.equal(suite.length, 22);
  assert.equal(suite.reduce((count, file) => count + file.tests.length, 0), 134);
  assert.equal(suite.reduce((count, file) => count + file.tests.filter((test) => test.expectError).length, 0), 11);
});

for (const file of suite) {
  describe(file.file, () => {
    before(async () => {
      await storeResources(testDb.db, storages, types, file.resources);
      results.set(file.file, new Map());
    });
    for (const test of file.tests) {
      for (const runner of runners) {
        it(`${test.title} [${runner}]`, async () => {
          const outcome = await runTest(runner, source, testDb.db, file, test);
          const byTest = results.get(file.file)!;
          byTest.set(test.title, { ...(byTest.get(test.title) ?? {}), [runner]: outcome } as Record<Runner, Outcome>);
          assert.equal(outcome.passed, true, outcome.error);
        });
      }
    }
  });
}

function reports(): { combined: Report; perRunner: Record<Runner, Report> } {
  const database = usingPostgres() ? 'postgres' : 'pglite';
  const combined: Report = {};
  const perRunner: Record<Runner, Report> = { memory: {}, sql: {} };
  for (const [file, tests] of results) {
    combined[file] = { tests: [] };
    for (const runner of runners) perRunner[runner][file] = { tests: [] };
    for (const [name, outcome] of tests) {
      const passed = runners.every((runner) => outcome[runner]?.passed === true);
      combined[file].tests.push({ name, result: { passed, details: { memory: outcome.memory, sql: outcome.sql, database } } });
      for (const runner of runners) perRunner[runner][file].tests.push({ name, result: outcome[runner] ?? { passed: false, error: 'not run' } });
    }
  }
  return { combined, perRunner };
}

describe('the report', () => {
  it('is written in the suite\'s test-report format, one entry per test, every test passed', () => {
    const { combined, perRunner } = reports();
    const database = usingPostgres() ? 'postgres' : 'pglite';
    const path = writeReport('sql-on-fhir-report.json', combined);
    writeReport('sql-on-fhir-report.memory.json', perRunner.memory);
    writeReport(`sql-on-fhir-report.sql-${database}.json`, perRunner.sql);
    const schema = JSON.parse(readFileSync(new URL('../fixtures/sql-on-fhir-v2/test-report.schema.json', import.meta.url), 'utf8'));
    assert.deepEqual(schema.patternProperties['.*'].properties.tests.items.required, ['name', 'result']);
    const written = JSON.parse(readFileSync(path, 'utf8')) as Report;
    assert.deepEqual(Object.keys(written), suite.map((file) => file.file));
    for (const file of suite) {
      const entry = written[file.file];
      assert.deepEqual(Object.keys(entry), ['tests']);
      assert.deepEqual(entry.tests.map((test) => test.name), [...new Set(file.tests.map((test) => test.title))]);
      for (const test of entry.tests) assert.equal(test.result.passed, true, `${file.file}: ${test.name}`);
    }
  });
});
