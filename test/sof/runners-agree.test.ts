/**
 * Beyond the official suite: views exercising the rest of what views may use (operators on dates
 * with time zones and precisions, arithmetic, count, last, choice elements without ofType, nested
 * extensions, %rowIndex in nested iterations, repeat, collections), each run in memory and as SQL
 * on the same resources; the two runners must give the same rows, and the rows given here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Resource } from '../../src/core/index.js';
import { createSystemSchema } from '../../src/db/index.js';
import type { ViewSource } from '../../src/sof/index.js';
import { installFhirFunctions } from '../../src/sql-api/index.js';
import { provisionTables } from '../../src/storage/index.js';
import { coreViewSource } from './core-view-source.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { runTest, storeResources, type SuiteFile } from './conformance-suite.js';

const resources: Resource[] = [
  {
    resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1980-05-06', active: true,
    name: [{ use: 'official', family: 'Ng', given: ['Ann', 'Bo'] }, { use: 'nickname', given: ['Annie'] }],
    extension: [{ url: 'urn:race', extension: [{ url: 'ombCategory', valueCoding: { code: '2106-3' } }, { url: 'text', valueString: 'White' }] }],
    contact: [{ telecom: [{ system: 'phone', value: '1' }, { system: 'email', value: 'a@x' }] }, { telecom: [{ system: 'phone', value: '2' }] }],
  },
  { resourceType: 'Patient', id: 'p2', gender: 'male', birthDate: '1980-05', name: [{ family: 'Oz' }] },
  {
    resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '1' }, { system: 'urn:x', code: '2' }] },
    subject: { reference: 'Patient/p1' }, effectiveDateTime: '2015-02-07T13:28:17+02:00', valueQuantity: { value: 7.5, unit: 'mg' },
    component: [{ code: { text: 'a' }, valueInteger: 3 }, { code: { text: 'b' }, valueString: 'x' }],
  },
  {
    resourceType: 'Observation', id: 'o2', status: 'final', code: { text: 'none' }, subject: { reference: 'Group/g1' },
    effectiveDateTime: '2015-02-07', valueString: 'text value',
  },
  {
    resourceType: 'QuestionnaireResponse', id: 'q1', status: 'completed',
    item: [{ linkId: 'a', item: [{ linkId: 'a.1', answer: [{ valueInteger: 4, item: [{ linkId: 'a.1.x' }] }] }] }, { linkId: 'b' }],
  },
];

const view = (resource: string, select: unknown[], extra: Record<string, unknown> = {}) => ({ resource, select, ...extra });
const columns = (...pairs: [string, string, Record<string, unknown>?][]) => ({ column: pairs.map(([name, path, more]) => ({ name, path, ...more })) });

const cases: { title: string; view: unknown; expect: Record<string, unknown>[] }[] = [
  {
    title: 'dates compare by precision and time zone',
    view: view('Observation', [columns(
      ['id', 'id'], ['same_instant', 'effective.ofType(dateTime) = @2015-02-07T11:28:17Z'],
      ['before', 'effective.ofType(dateTime) < @2015-02-08'], ['day', "effective.ofType(dateTime) = @2015-02-07"],
      ['same_day', 'effective.ofType(dateTime) < @2015-02-07'],
    )]),
    expect: [
      { id: 'o1', same_instant: true, before: true, day: null, same_day: null },
      { id: 'o2', same_instant: null, before: true, day: true, same_day: false },
    ],
  },
  {
    title: 'comment marks in an iteration path stay inside the comment that names the iteration',
    view: view('Patient', [columns(['id', 'id']), { forEach: "name.where(family != '*/ 1 /* 2')", ...columns(['family', 'family']) }]),
    expect: [{ id: 'p1', family: 'Ng' }, { id: 'p2', family: 'Oz' }],
  },
  {
    title: 'partial dates give empty comparisons',
    view: view('Patient', [columns(['id', 'id'], ['born', 'birthDate = @1980-05-06'], ['after', 'birthDate > @1979'], ['may', 'birthDate >= @1980-05'])]),
    expect: [{ id: 'p1', born: true, after: true, may: null }, { id: 'p2', born: null, after: true, may: true }],
  },
  {
    title: 'arithmetic, count, last and string concatenation',
    view: view('Observation', [columns(
      ['id', 'id'], ['twice', 'value.ofType(Quantity).value * 2'], ['third', 'value.ofType(Quantity).value / 2.5'],
      ['codes', 'code.coding.count()'], ['last', 'code.coding.last().code'], ['label', "status & '/' & code.text"],
      ['mod', '7 mod 3'], ['div', '7 div 2'], ['neg', '0 - value.ofType(Quantity).value'], ['minus', '-2.5 * 2'],
    )]),
    expect: [
      { id: 'o1', twice: 15, third: 3, codes: 2, last: '2', label: 'final/', mod: 1, div: 3, neg: -7.5, minus: -5 },
      { id: 'o2', twice: null, third: null, codes: 0, last: null, label: 'final/none', mod: 1, div: 3, neg: null, minus: -5 },
    ],
  },
  {
    title: 'a choice element without ofType is whichever type is present',
    view: view('Observation', [columns(['id', 'id'], ['value', 'value'])]),
    expect: [{ id: 'o1', value: { value: 7.5, unit: 'mg' } }, { id: 'o2', value: 'text value' }],
  },
  {
    title: 'choice elements of repeating parts',
    view: view('Observation', [columns(['id', 'id']), { forEach: 'component', column: [
      { name: 'text', path: 'code.text' }, { name: 'int', path: 'value.ofType(integer)' }, { name: 'str', path: 'value.ofType(string)' },
    ] }]),
    expect: [{ id: 'o1', text: 'a', int: 3, str: null }, { id: 'o1', text: 'b', int: null, str: 'x' }],
  },
  {
    title: 'nested extensions and collections',
    view: view('Patient', [columns(
      ['id', 'id'], ['race', "extension('urn:race').extension('ombCategory').value.ofType(Coding).code"],
      ['given', 'name.given', { collection: true }], ['first_given', 'name.given.first()'],
    )]),
    expect: [
      { id: 'p1', race: '2106-3', given: ['Ann', 'Bo', 'Annie'], first_given: 'Ann' },
      { id: 'p2', race: null, given: [], first_given: null },
    ],
  },
  {
    title: '%rowIndex of nested forEach and of a where-filtered forEach',
    view: view('Patient', [columns(['id', 'id']), {
      forEach: 'contact', column: [{ name: 'c', path: '%rowIndex' }],
      select: [{ forEach: "telecom.where(system = 'phone')", column: [{ name: 't', path: '%rowIndex' }, { name: 'v', path: 'value' }] }],
    }]),
    expect: [{ id: 'p1', c: 0, t: 0, v: '1' }, { id: 'p1', c: 1, t: 0, v: '2' }],
  },
  {
    title: 'repeat with %rowIndex and a nested forEachOrNull',
    view: view('QuestionnaireResponse', [{ repeat: ['item', 'answer.item'], column: [{ name: 'link', path: 'linkId' }, { name: 'i', path: '%rowIndex' }],
      select: [{ forEachOrNull: 'answer', column: [{ name: 'answer', path: 'value.ofType(integer)' }] }] }]),
    expect: [
      { link: 'a', i: 0, answer: null }, { link: 'a.1', i: 1, answer: 4 }, { link: 'a.1.x', i: 2, answer: null }, { link: 'b', i: 3, answer: null },
    ],
  },
  {
    title: 'references by type, where with exists() on a criterion, and constants',
    view: view('Observation', [columns(['id', 'id'], ['patient', 'subject.getReferenceKey(Patient)'], ['any', 'subject.getReferenceKey()'])],
      { where: [{ path: 'code.coding.exists(system = %loinc) or code.text.exists()' }], constant: [{ name: 'loinc', valueUri: 'http://loinc.org' }] }),
    expect: [{ id: 'o1', patient: 'p1', any: 'p1' }, { id: 'o2', patient: null, any: 'g1' }],
  },
  {
    title: 'boolean logic with empty operands',
    view: view('Patient', [columns(['id', 'id'], ['and', 'active and true'], ['or', 'active or false'], ['implies', 'active implies false'], ['xor', 'active xor true'])]),
    expect: [{ id: 'p1', and: true, or: true, implies: false, xor: false }, { id: 'p2', and: null, or: null, implies: null, xor: null }],
  },
];

const suite: SuiteFile = { file: 'agreement', resources, tests: cases.map(({ title, view: v, expect }) => ({ title, view: v, expect })) };
let testDb: TestDatabase;
let source: ViewSource;

before(async () => {
  testDb = await openTestDatabase();
  const core = await coreViewSource();
  const { storages } = core;
  source = core.source;
  await createSystemSchema(testDb.db);
  const types = [...new Set(resources.map((resource) => resource.resourceType))];
  await provisionTables(testDb.db, types.map((type) => storages.storageFor(type)!));
  await installFhirFunctions(testDb.db);
  await storeResources(testDb.db, storages, types, resources);
});
after(async () => { await testDb.close(); });

describe('both runners give the same rows', () => {
  for (const test of suite.tests) {
    for (const runner of ['memory', 'sql'] as const) {
      it(`${test.title} [${runner}]`, async () => {
        const outcome = await runTest(runner, source, testDb.db, suite, test);
        assert.equal(outcome.passed, true, outcome.error);
      });
    }
  }
});
