/** User-defined functions: the signature contract, argument kinds, errors, and Flint's standard additions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FhirError } from '../../src/core/index.js';
import { defineFhirPathFunctions, evaluateFhirPath, type FhirPathTypeSpecifier } from '../../src/fhirpath/index.js';

const observation = {
  resourceType: 'Observation',
  id: 'o1',
  subject: { reference: 'Patient/p1' },
  performer: [{ reference: 'Practitioner/d1' }, { reference: 'Patient/p1' }],
  valueQuantity: { value: 7, unit: 'mg' },
};

// In the shape SQL on FHIR needs: getResourceKey() and getReferenceKey([type]).
const sofFunctions = defineFhirPathFunctions({
  getResourceKey: {
    arity: { 0: [] },
    fn: (input: unknown[]) => input.map((resource) => (resource as { id?: string }).id),
  },
  getReferenceKey: {
    arity: { 0: [], 1: ['TypeSpecifier'] },
    fn: (input: unknown[], type?: FhirPathTypeSpecifier) =>
      input
        .map((reference) => String((reference as { reference?: string }).reference ?? '').split('/'))
        .filter(([resourceType]) => type === undefined || resourceType === type.name)
        .map(([, id]) => id),
  },
  shout: { arity: { 1: ['String'] }, fn: (input: unknown[], suffix?: string) => input.map((s) => `${String(s)}${suffix ?? ''}`) },
  total: { arity: { 1: ['Any'] }, fn: (_input: unknown[], values: unknown[]) => values.length },
  fail: { arity: { 0: [] }, fn: () => { throw new FhirError('unprocessable', 'sof.test-failure', 'failed on purpose'); } },
  crash: { arity: { 0: [] }, fn: () => { throw new Error('boom'); } },
});

test('user functions receive plain input values and typed arguments', () => {
  const cases: [string, unknown[]][] = [
    ['getResourceKey()', ['o1']],
    ['subject.getReferenceKey()', ['p1']],
    ['performer.getReferenceKey(Patient)', ['p1']],
    ['performer.getReferenceKey(Practitioner)', ['d1']],
    ["id.shout('!')", ['o1!']],
    ['id.shout({})', ['o1']],
    ['total(performer)', [2]],
    ['value.getResourceKey()', []],
  ];
  for (const [expression, expected] of cases) {
    assert.deepEqual(evaluateFhirPath(observation, expression, { functions: sofFunctions }), expected, expression);
  }
});

test('a user function is unknown without its function set', () => {
  assert.throws(() => evaluateFhirPath(observation, 'getResourceKey()'), { code: 'fhirpath.unknown-function' });
});

test('errors of user functions: FhirErrors pass through, others become fhirpath.evaluation', () => {
  assert.throws(() => evaluateFhirPath(observation, 'fail()', { functions: sofFunctions }), { code: 'sof.test-failure' });
  assert.throws(() => evaluateFhirPath(observation, 'crash()', { functions: sofFunctions }), { code: 'fhirpath.evaluation' });
  assert.throws(() => evaluateFhirPath(observation, 'getResourceKey(1)', { functions: sofFunctions }), { code: 'fhirpath.wrong-arity' });
});

test('a user function may replace a library function', () => {
  const functions = defineFhirPathFunctions({ upper: { arity: { 0: [] }, fn: () => 'replaced' } });
  assert.deepEqual(evaluateFhirPath(observation, 'id.upper()', { functions }), ['replaced']);
  assert.deepEqual(evaluateFhirPath(observation, 'id.upper()'), ['O1']);
});

test('function sets are checked when defined', () => {
  assert.throws(() => defineFhirPathFunctions({ 'bad-name': { arity: { 0: [] }, fn: () => 1 } }), { code: 'fhirpath.function-definition' });
  assert.throws(() => defineFhirPathFunctions({ noArity: { arity: {}, fn: () => 1 } }), { code: 'fhirpath.function-definition' });
});

test('standard additions: precision(), conformsTo(), iif() and replaceMatches() rules', () => {
  const cases: [string, unknown[]][] = [
    ['1.58700.precision()', [5]],
    ['@2014.precision()', [4]],
    ['@2014-01-05T10:30:00.000.precision()', [17]],
    ['@T10:30.precision()', [4]],
    ["conformsTo('http://hl7.org/fhir/StructureDefinition/Observation')", [true]],
    ["conformsTo('http://hl7.org/fhir/StructureDefinition/DomainResource')", [true]],
    ["conformsTo('http://hl7.org/fhir/StructureDefinition/Patient')", [false]],
    ["iif(id = 'o1', 'yes', 'no')", ['yes']],
    ["iif({}, 'yes')", []],
    ["'abc'.replaceMatches('', 'x')", ['abc']],
    ["'abc'.replaceMatches('b', 'x')", ['axc']],
  ];
  for (const [expression, expected] of cases) assert.deepEqual(evaluateFhirPath(observation, expression), expected, expression);
  assert.throws(() => evaluateFhirPath(observation, "conformsTo('http://example.org/profile')"), { code: 'fhirpath.unknown-profile' });
  assert.throws(() => evaluateFhirPath(observation, "performer.iif(true, 'a', 'b')"), { code: 'fhirpath.evaluation' });
  assert.throws(() => evaluateFhirPath(observation, "iif(performer, 'a', 'b')"), { code: 'fhirpath.evaluation' });
});

test('a function that returns resources gives them typed by their resourceType, so ofType() and navigation work on them', () => {
  const resources = defineFhirPathFunctions({
    lookup: {
      arity: { 0: [] },
      returnsResources: true,
      fn: (input: unknown[]) => input.map((reference) => {
        const [resourceType, id] = String((reference as { reference?: string }).reference).split('/');
        return { resourceType, id, name: [{ family: `family of ${id}` }] };
      }),
    },
  });
  assert.deepEqual(evaluateFhirPath(observation, 'performer.lookup().ofType(Practitioner).id', { functions: resources }), ['d1']);
  assert.deepEqual(evaluateFhirPath(observation, 'performer.lookup().ofType(Patient).name.family', { functions: resources }), ['family of p1']);
  assert.deepEqual(evaluateFhirPath(observation, "subject.lookup() is Patient", { functions: resources }), [true]);
});
