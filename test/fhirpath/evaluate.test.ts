/** The adapter's evaluation API: plain results, types, variables, base paths, caching. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileFhirPath,
  compiledExpressionCount,
  evaluateFhirPath,
  evaluateFhirPathTyped,
  defineFhirPathFunctions,
} from '../../src/fhirpath/index.js';
import { LruCache } from '../../src/fhirpath/compile-cache.js';

const patient = {
  resourceType: 'Patient',
  id: 'p1',
  birthDate: '1974-12-25',
  active: true,
  multipleBirthInteger: 2,
  name: [{ use: 'official', family: 'Chalmers', given: ['Peter', 'James'] }, { use: 'usual', given: ['Jim'] }],
};

test('results are plain JSON values in document order', () => {
  const cases: [string, unknown[]][] = [
    ['name.given', ['Peter', 'James', 'Jim']],
    ["name.where(use = 'usual').given", ['Jim']],
    ['birthDate', ['1974-12-25']],
    ['birthDate + 1 day', ['1974-12-26']],
    ['multipleBirth', [2]],
    ['0.1 + 0.2', [0.3]],
    ['active and true', [true]],
    ['name.first()', [patient.name[0]]],
    ['telecom', []],
  ];
  for (const [expression, expected] of cases) assert.deepEqual(evaluateFhirPath(patient, expression), expected, expression);
});

test('evaluation leaves the input untouched', () => {
  const input = structuredClone(patient);
  evaluateFhirPath(input, 'name.given | birthDate | name.first()');
  assert.deepEqual(input, patient);
  assert.deepEqual(Object.getOwnPropertyNames(input.name[0]).sort(), Object.keys(patient.name[0]).sort());
});

test('typed results name the FHIRPath type and the model path', () => {
  assert.deepEqual(evaluateFhirPathTyped(patient, "birthDate | 1.5 | 'x' | name.first()"), [
    { value: '1974-12-25', type: 'FHIR.date', path: 'date' },
    { value: 1.5, type: 'System.Decimal' },
    { value: 'x', type: 'System.String' },
    { value: patient.name[0], type: 'FHIR.HumanName', path: 'HumanName' },
  ]);
});

test('a part of a resource evaluates with its base path', () => {
  const component = { code: { text: 'systolic' }, valueQuantity: { value: 120, unit: 'mmHg' } };
  assert.deepEqual(evaluateFhirPath(component, 'value.ofType(Quantity).value', { base: 'Observation.component' }), [120]);
  assert.deepEqual(evaluateFhirPath(component, 'value.ofType(Quantity).value'), []);
});

test('FHIR variables are defined, caller variables win', () => {
  const cases: [string, unknown[]][] = [
    ['%sct', ['http://snomed.info/sct']],
    ['%loinc', ['http://loinc.org']],
    ['%`vs-administrative-gender`', ['http://hl7.org/fhir/ValueSet/administrative-gender']],
    ['%`ext-patient-birthTime`', ['http://hl7.org/fhir/StructureDefinition/patient-birthTime']],
    ['%resource.id', ['p1']],
    ['%rootResource.id', ['p1']],
    ['%ucum', ['http://unitsofmeasure.org']],
    ['%context.id', ['p1']],
  ];
  for (const [expression, expected] of cases) assert.deepEqual(evaluateFhirPath(patient, expression), expected, expression);
  assert.deepEqual(evaluateFhirPath(patient, '%resource.id', { variables: { resource: { id: 'other' } } }), ['other']);
  assert.deepEqual(evaluateFhirPath(patient, '%limit + 1', { variables: { limit: 4 } }), [5]);
  assert.deepEqual(evaluateFhirPath(patient, '%names.count()', { variables: { names: ['a', 'b'] } }), [2]);
});

test('a compiled expression evaluates many inputs and takes variables per call', () => {
  const compiled = compileFhirPath('name.given.first() + %suffix');
  assert.deepEqual(compiled(patient, { suffix: '!' }), ['Peter!']);
  assert.deepEqual(compiled({ resourceType: 'Patient', name: [{ given: ['Ann'] }] }, { suffix: '?' }), ['Ann?']);
});

test('compiled expressions are cached per expression and function set', () => {
  const expression = `name.given.count() + ${Math.random()}`;
  const before = compiledExpressionCount();
  compileFhirPath(expression);
  evaluateFhirPath(patient, expression);
  assert.equal(compiledExpressionCount(), before + 1);
  const functions = defineFhirPathFunctions({ two: { arity: { 0: [] }, fn: () => 2 } });
  evaluateFhirPath(patient, expression, { functions });
  assert.equal(compiledExpressionCount(), before + 2);
  evaluateFhirPath(patient, expression, { functions });
  assert.equal(compiledExpressionCount(), before + 2);
});

test('the LRU cache drops the least recently used entry', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
  assert.equal(cache.size, 2);
});
