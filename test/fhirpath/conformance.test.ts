/**
 * The official FHIRPath R4 test suite (test/fixtures/fhirpath, see its README) run through the
 * adapter. Every case must pass, except those listed with a reason in known-failures.json; a
 * listed case that starts passing fails the run too, so the list stays honest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCase, type CaseOutcome, type SuiteCase } from './conformance-case.js';

const folder = new URL('../fixtures/fhirpath/', import.meta.url);
const suite = JSON.parse(readFileSync(new URL('tests-fhir-r4.json', folder), 'utf8')) as {
  groups: { name: string; tests: SuiteCase[] }[];
};
const knownFailures = JSON.parse(readFileSync(new URL('known-failures.json', folder), 'utf8')) as Record<string, string>;

interface Row extends CaseOutcome {
  key: string;
  group: string;
  expression: string;
}

function runSuite(): Row[] {
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const group of suite.groups) {
    for (const suiteCase of group.tests) {
      let key = suiteCase.name;
      for (let n = 2; seen.has(key); n++) key = `${suiteCase.name} (${n})`;
      seen.add(key);
      rows.push({ key, group: group.name, expression: suiteCase.expression, ...runCase(folder, suiteCase) });
    }
  }
  return rows;
}

const rows = runSuite();
const passed = rows.filter((row) => row.passed).length;
console.log(`fhirpath r4: ${passed}/${rows.length} passed (${Object.keys(knownFailures).length} known failures)`);

const describeRow = (row: Row): string => `${row.key} [${row.group}] ${row.expression} -> ${row.detail}`;

for (const group of suite.groups) {
  test(`fhirpath r4 / ${group.name}`, () => {
    const mine = rows.filter((row) => row.group === group.name);
    const unexpected = mine.filter((row) => !row.passed && !(row.key in knownFailures));
    const nowPassing = mine.filter((row) => row.passed && row.key in knownFailures);
    assert.deepEqual(unexpected.map(describeRow), [], 'cases failing that are not in known-failures.json');
    assert.deepEqual(nowPassing.map((row) => row.key), [], 'cases in known-failures.json that pass now: remove them');
  });
}

test('fhirpath r4 / known-failures.json names only cases of the suite', () => {
  const keys = new Set(rows.map((row) => row.key));
  assert.deepEqual(Object.keys(knownFailures).filter((key) => !keys.has(key)), []);
});
