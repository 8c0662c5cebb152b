/**
 * URI search (http://hl7.org/fhir/R4/search.html#uri): exact and case-sensitive by default; :below
 * matches URIs that start with the value, :above URIs the value starts with. Composite search
 * (#composite): component values joined with `$` must match in the same composite element, the
 * Observation itself for code-value-quantity, one component for component-code-value-quantity,
 * either for combo-code-value-quantity.
 */
import { after, before, describe } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { LOINC, putAll, searchCases, SNOMED, UCUM, type TestResource } from './search-cases.js';

let flint: TestFlint;
const server = () => flint;

const valueSet = (id: string, url?: string): TestResource => ({
  resourceType: 'ValueSet', id, status: 'active', ...(url ? { url } : {}),
});
const valueSets = [
  valueSet('vs1', 'http://example.org/fhir/ValueSet/a'),
  valueSet('vs2', 'http://example.org/fhir/ValueSet/a/b'),
  valueSet('vs3', 'http://example.org/fhir/ValueSet/abc'),
  valueSet('vs4', 'http://other.org/fhir/ValueSet/a'),
  valueSet('vs5', 'urn:oid:1.2.3.4.5'),
  valueSet('vs6'),
];

const mmHg = (value: number) => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
const loinc = (code: string) => ({ coding: [{ system: LOINC, code }] });
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';
const bloodPressure = (id: string, systolic: number, diastolic: number): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: loinc('85354-9'),
  component: [
    { code: loinc(SYSTOLIC), valueQuantity: mmHg(systolic) },
    { code: loinc(DIASTOLIC), valueQuantity: mmHg(diastolic) },
  ],
});
const single = (id: string, code: string, value: object): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: loinc(code), ...value,
});
const observations = [
  bloodPressure('bp1', 120, 80),
  bloodPressure('bp2', 95, 60),
  single('bp3', SYSTOLIC, { valueQuantity: mmHg(130) }),
  single('bp4', SYSTOLIC, { valueQuantity: mmHg(90) }),
  single('bp5', DIASTOLIC, { valueQuantity: mmHg(130) }),
  single('smk', '72166-2', { valueCodeableConcept: { coding: [{ system: SNOMED, code: '8517006', display: 'Ex-smoker' }] } }),
];

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [...valueSets, ...observations]);
});
after(async () => { await flint.stop(); });

describe('uri: exact by default', () => {
  searchCases(server, 'ValueSet', [
    ['url=http://example.org/fhir/ValueSet/a', ['vs1']],
    ['url=http://example.org/fhir/ValueSet/A', []],
    ['url=http://example.org/fhir/ValueSet', []],
    ['url=http://example.org/fhir/ValueSet/a/', []],
    ['url=urn:oid:1.2.3.4.5', ['vs5']],
    ['url=http://example.org/fhir/ValueSet/a,urn:oid:1.2.3.4.5', ['vs1', 'vs5']],
    ['url:missing=true', ['vs6']],
    ['url:missing=false', ['vs1', 'vs2', 'vs3', 'vs4', 'vs5']],
  ]);
});

describe('uri: :below and :above', () => {
  searchCases(server, 'ValueSet', [
    ['url:below=http://example.org/fhir/', ['vs1', 'vs2', 'vs3']],
    ['url:below=http://example.org/fhir/ValueSet/a/', ['vs2']],
    ['url:below=http://other.org/', ['vs4']],
    ['url:below=http://nowhere.org/', []],
    ['url:above=http://example.org/fhir/ValueSet/a/b/c', ['vs1', 'vs2']],
    ['url:above=http://example.org/fhir/ValueSet/a/b', ['vs1', 'vs2']],
    ['url:above=http://example.org/fhir/ValueSet/a', ['vs1']],
    ['url:above=http://example.org/fhir/CodeSystem/a', []],
  ]);
});

describe('composite: code-value-quantity pairs the Observation code with its value', () => {
  searchCases(server, 'Observation', [
    [`code-value-quantity=${LOINC}|${SYSTOLIC}$gt100`, ['bp3']],
    [`code-value-quantity=${SYSTOLIC}$gt100`, ['bp3']],
    [`code-value-quantity=${LOINC}|${SYSTOLIC}$lt100`, ['bp4']],
    [`code-value-quantity=${LOINC}|${DIASTOLIC}$gt100`, ['bp5']],
    [`code-value-quantity=${LOINC}|${SYSTOLIC}$130|${UCUM}|mm[Hg]`, ['bp3']],
    [`code-value-quantity=${LOINC}|${SYSTOLIC}$130|${UCUM}|mg`, []],
    [`code-value-quantity=${LOINC}|${SYSTOLIC}$gt100,${LOINC}|${DIASTOLIC}$gt100`, ['bp3', 'bp5']],
    [`code-value-quantity=${LOINC}|${SYSTOLIC}$gt200`, []],
  ]);
});

describe('composite: component-code-value-quantity pairs code and value within one component', () => {
  searchCases(server, 'Observation', [
    [`component-code-value-quantity=${LOINC}|${SYSTOLIC}$gt100`, ['bp1']],
    // bp1 has a value over 100 and a diastolic component, but not in the same component.
    [`component-code-value-quantity=${LOINC}|${DIASTOLIC}$gt100`, []],
    [`component-code-value-quantity=${LOINC}|${DIASTOLIC}$lt70`, ['bp2']],
    [`component-code-value-quantity=${LOINC}|${SYSTOLIC}$lt60`, []],
    [`component-code-value-quantity=${LOINC}|${SYSTOLIC}$gt100&component-code-value-quantity=${LOINC}|${DIASTOLIC}$lt90`, ['bp1']],
    [`component-code-value-quantity=${LOINC}|${SYSTOLIC}$gt100&component-code-value-quantity=${LOINC}|${DIASTOLIC}$lt70`, []],
    [`component-code=${LOINC}|${SYSTOLIC}`, ['bp1', 'bp2']],
  ]);
});

describe('composite: combo-code-value-quantity looks at the Observation and at each component', () => {
  searchCases(server, 'Observation', [
    [`combo-code-value-quantity=${LOINC}|${SYSTOLIC}$gt100`, ['bp1', 'bp3']],
    [`combo-code-value-quantity=${LOINC}|${DIASTOLIC}$gt100`, ['bp5']],
    [`combo-code-value-quantity=${LOINC}|${SYSTOLIC}$lt100`, ['bp2', 'bp4']],
    [`combo-code-value-quantity=${LOINC}|85354-9$gt0`, []],
  ]);
});

describe('composite: code-value-concept pairs a code with a coded value', () => {
  searchCases(server, 'Observation', [
    [`code-value-concept=${LOINC}|72166-2$${SNOMED}|8517006`, ['smk']],
    ['code-value-concept=72166-2$8517006', ['smk']],
    [`code-value-concept=${LOINC}|72166-2$${SNOMED}|266919005`, []],
    [`code-value-concept=${LOINC}|${SYSTOLIC}$${SNOMED}|8517006`, []],
  ]);
});
