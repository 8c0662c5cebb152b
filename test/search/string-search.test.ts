/**
 * String search (http://hl7.org/fhir/R4/search.html#string): by default case- and accent-insensitive
 * and matching the start of a value; :exact matches the whole value with case and accents; :contains
 * matches anywhere. HumanName and Address parameters cover every string part; values inside
 * contained resources never match; choice types only match their own type.
 */
import { after, before, describe } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { allBut, putAll, searchCases, type TestResource } from './search-cases.js';

let flint: TestFlint;
const server = () => flint;

const patient = (id: string, extra: object): TestResource => ({ resourceType: 'Patient', id, ...extra });

const patients: TestResource[] = [
  patient('s1', {
    name: [
      { use: 'official', family: 'Smith', given: ['John', 'Paul'], prefix: ['Dr.'] },
      { use: 'maiden', family: 'Jones' },
    ],
    address: [{ line: ['12 Baker Street'], city: 'London', postalCode: 'NW1 6XE', country: 'UK' }],
  }),
  patient('s2', { name: [{ family: 'Smithson', given: ['Anna'] }], address: [{ city: 'Londonderry', country: 'UK' }] }),
  patient('s3', { name: [{ family: 'García', given: ['José'] }], address: [{ city: 'São Paulo', country: 'Brasil' }] }),
  patient('s4', { name: [{ family: 'Garcia', given: ['Jose'] }], address: [{ city: 'Sao Paulo', country: 'Brazil' }] }),
  patient('s5', { name: [{ family: 'Müller', given: ['Eva'] }], address: [{ line: ['Hauptstraße 5'], city: 'Berlin', postalCode: '10115' }] }),
  patient('s6', { name: [{ family: 'Blackwood', given: ['Severine'] }] }),
  patient('s7', { name: [{ family: 'Evans', given: ['Evelyn'] }] }),
  patient('s8', { name: [{ family: 'Lowe', given: ['Eve'] }] }),
  patient('s9', { gender: 'unknown' }),
  // The contained Practitioner's name and address must not make s10 match.
  patient('s10', {
    contained: [{ resourceType: 'Practitioner', id: 'gp', name: [{ family: 'Hiddenname' }], address: [{ city: 'Hiddencity' }] }],
    name: [{ family: 'Visible' }],
    generalPractitioner: [{ reference: '#gp' }],
  }),
];
const patientIds = patients.map((resource) => resource.id);

// Observation.value[x] is a choice: R4 value-string reads valueString and valueCodeableConcept.text only.
const observation = (id: string, value: object): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: { text: 'note' }, ...value,
});
const observations: TestResource[] = [
  observation('v1', { valueString: 'Positive result' }),
  observation('v2', { valueQuantity: { value: 5, unit: 'mg' } }),
  observation('v3', { valueString: 'positively confirmed' }),
  observation('v4', { valueCodeableConcept: { text: 'Positive' } }),
  observation('v5', { valueInteger: 42 }),
];

// Condition.onset[x]: onset-info reads onsetString only.
const conditions: TestResource[] = [
  { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/s1' }, code: { text: 'asthma' }, onsetString: 'Early childhood' },
  { resourceType: 'Condition', id: 'c2', subject: { reference: 'Patient/s1' }, code: { text: 'Early childhood asthma' }, onsetDateTime: '2001-02-03' },
];

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [...patients, ...observations, ...conditions]);
});
after(async () => { await flint.stop(); });

describe('string: the default matches the start, ignoring case and accents', () => {
  searchCases(server, 'Patient', [
    ['family=smith', ['s1', 's2']],
    ['family=SMITH', ['s1', 's2']],
    ['family=Smi', ['s1', 's2']],
    ['family=smiths', ['s2']],
    ['family=mith', []],
    ['family=jones', ['s1']],
    ['family=garcia', ['s3', 's4']],
    ['family=García', ['s3', 's4']],
    ['family=GARCÍA', ['s3', 's4']],
    ['given=jose', ['s3', 's4']],
    ['given=JOSÉ', ['s3', 's4']],
    ['family=muller', ['s5']],
    ['family=mül', ['s5']],
    ['given=eve', ['s7', 's8']],
    ['given=paul', ['s1']],
    ['given=nobody', []],
  ]);
});

describe('string: :exact matches the whole value with its case and accents', () => {
  searchCases(server, 'Patient', [
    ['family:exact=Smith', ['s1']],
    ['family:exact=smith', []],
    ['family:exact=Smit', []],
    ['family:exact=García', ['s3']],
    ['family:exact=Garcia', ['s4']],
    ['given:exact=Eve', ['s8']],
    ['given:exact=eve', []],
    ['given:exact=José', ['s3']],
    ['name:exact=Smith', ['s1']],
    ['address-city:exact=London', ['s1']],
    ['address-city:exact=london', []],
  ]);
});

describe('string: :contains matches anywhere, ignoring case and accents', () => {
  searchCases(server, 'Patient', [
    ['family:contains=mith', ['s1', 's2']],
    ['family:contains=MITH', ['s1', 's2']],
    ['given:contains=eve', ['s6', 's7', 's8']],
    ['family:contains=arc', ['s3', 's4']],
    ['family:contains=ull', ['s5']],
    ['name:contains=ths', ['s2']],
    ['address-city:contains=paulo', ['s3', 's4']],
    ['address:contains=haupt', ['s5']],
    ['family:contains=xyz', []],
  ]);
});

describe('string: HumanName parameters cover family, given, prefix and every name', () => {
  searchCases(server, 'Patient', [
    ['name=smith', ['s1', 's2']],
    ['name=john', ['s1']],
    ['name=dr', ['s1']],
    ['name=jones', ['s1']],
    ['name=eve', ['s7', 's8']],
    ['name=josé', ['s3', 's4']],
    ['name=visible', ['s10']],
    ['name=hiddenname', []],
    ['name:missing=true', ['s9']],
    ['name:missing=false', allBut(patientIds, 's9')],
    ['family:missing=true', ['s9']],
  ]);
});

describe('string: Address parameters cover line, city, postal code and country', () => {
  searchCases(server, 'Patient', [
    ['address=london', ['s1', 's2']],
    ['address=12 baker', ['s1']],
    ['address=uk', ['s1', 's2']],
    ['address=nw1', ['s1']],
    ['address=sao', ['s3', 's4']],
    ['address=berlin', ['s5']],
    ['address=hiddencity', []],
    ['address-city=london', ['s1', 's2']],
    ['address-city=londonderry', ['s2']],
    ['address-city=são paulo', ['s3', 's4']],
    // The default matches the start of the city, not a later word.
    ['address-city=paulo', []],
    ['address-postalcode=10115', ['s5']],
    ['address-country=brasil', ['s3']],
    ['address-country=bra', ['s3', 's4']],
    ['address:missing=true', ['s6', 's7', 's8', 's9', 's10']],
  ]);
});

describe('string: several values (comma is OR, a repeated parameter is AND)', () => {
  searchCases(server, 'Patient', [
    ['family=smith,garcia', ['s1', 's2', 's3', 's4']],
    ['family=lowe,evans,nobody', ['s7', 's8']],
    ['family=smith&family=smithson', ['s2']],
    ['given=john&given=paul', ['s1']],
    // Parameters apply to the resource, not to one name: John is in the first name, Jones in the second.
    ['given=john&family=jones', ['s1']],
    ['family=smith&address-city=londonderry', ['s2']],
    ['family=smith&address-city=berlin', []],
    ['name=eve,smith&address=uk', ['s1', 's2']],
  ]);
});

describe('string: an empty value is ignored', () => {
  searchCases(server, 'Patient', [
    ['family=', patientIds],
  ]);
});

describe('string: choice types are searched only through their own type', () => {
  searchCases(server, 'Observation', [
    ['value-string=positive', ['v1', 'v3', 'v4']],
    ['value-string=positive result', ['v1']],
    ['value-string:exact=Positive result', ['v1']],
    ['value-string:exact=Positive', ['v4']],
    ['value-string:contains=confirm', ['v3']],
    ['value-string=42', []],
    ['value-string=5', []],
    ['value-string:missing=true', ['v2', 'v5']],
  ]);
  searchCases(server, 'Condition', [
    ['onset-info=early', ['c1']],
    ['onset-info:missing=true', ['c2']],
  ]);
});
