/**
 * Token search (http://hl7.org/fhir/R4/search.html#token): code, system|code, |code and system| on
 * Coding, CodeableConcept and Identifier; ContactPoint, code and boolean values; the :not, :text,
 * :of-type and :missing modifiers; comma OR and repeated AND; values inside contained resources;
 * and a SearchParameter on an extension created at run time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { allBut, LOINC, putAll, searchCases, SNOMED, type TestResource } from './search-cases.js';

let flint: TestFlint;
const server = () => flint;

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const BCP47 = 'urn:ietf:bcp:47';
const EYE_COLOUR = 'http://example.org/eye-colour';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

const language = (code: string, text?: string) => ({ language: { coding: [{ system: BCP47, code }], ...(text ? { text } : {}) } });
const eyeColour = (code: string) => [{ url: EYE_COLOUR, valueCode: code }];

const patients: TestResource[] = [
  {
    resourceType: 'Patient', id: 't1', active: true, gender: 'male',
    identifier: [
      { type: { coding: [{ system: V2_0203, code: 'MR' }] }, system: 'urn:mrn', value: '1001' },
      { system: 'urn:ssn', value: '999-11' },
    ],
    telecom: [{ system: 'phone', value: '555-1001' }, { system: 'email', value: 'one@example.org' }],
    communication: [language('fr', 'French'), language('nl', 'Dutch')],
    extension: eyeColour('blue'),
  },
  {
    resourceType: 'Patient', id: 't2', active: false, gender: 'female',
    identifier: [{ system: 'urn:other', value: '1001' }],
    telecom: [{ system: 'email', value: 'two@example.org' }],
    communication: [language('en')],
    extension: eyeColour('brown'),
  },
  {
    resourceType: 'Patient', id: 't3', gender: 'female',
    identifier: [{ value: '1001' }],
    telecom: [{ system: 'phone', value: '555-3003' }],
    communication: [language('fr'), language('en')],
  },
  {
    resourceType: 'Patient', id: 't4', active: true, gender: 'other',
    identifier: [{ type: { coding: [{ system: V2_0203, code: 'MR' }], text: 'Medical record number' }, system: 'urn:mrn', value: '4004' }],
  },
  { resourceType: 'Patient', id: 't5', name: [{ family: 'Nothing' }] },
  // Everything that would match inside `contained` must not make t6 match.
  {
    resourceType: 'Patient', id: 't6', gender: 'unknown',
    contained: [
      { resourceType: 'Organization', id: 'org', identifier: [{ system: 'urn:mrn', value: '6006' }], name: 'Contained Org' },
      {
        resourceType: 'Patient', id: 'twin', gender: 'male', active: true,
        identifier: [{ system: 'urn:mrn', value: '6007' }], extension: eyeColour('green'),
        telecom: [{ system: 'email', value: 'twin@example.org' }],
      },
    ],
    managingOrganization: { reference: '#org' },
    link: [{ other: { reference: '#twin' }, type: 'seealso' }],
  },
];
const patientIds = patients.map((resource) => resource.id);

const observation = (id: string, status: string, code: object, extra: object = {}): TestResource => ({
  resourceType: 'Observation', id, status, code, ...extra,
});
const vitalSigns = { category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }] };
const observations: TestResource[] = [
  observation('o1', 'final', {
    coding: [
      { system: LOINC, code: '8480-6', display: 'Systolic blood pressure' },
      { system: SNOMED, code: '271649006', display: 'Systolic BP' },
    ],
    text: 'Systolic BP',
  }, vitalSigns),
  observation('o2', 'final', { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] }, vitalSigns),
  observation('o3', 'preliminary', { coding: [{ system: 'http://acme.org/codes', code: '8480-6' }] }),
  observation('o4', 'amended', { coding: [{ code: '8480-6' }], text: 'Blood pressure, systolic (local)' }),
  observation('o5', 'final', { text: 'Free text only' }),
  observation('o6', 'cancelled', { coding: [{ system: 'http://acme.org/codes', code: 'a,b' }] }),
];

const encounter = (id: string, klass: object): TestResource => ({ resourceType: 'Encounter', id, status: 'finished', class: klass });
const encounters: TestResource[] = [
  encounter('e1', { system: ACT_CODE, code: 'AMB', display: 'ambulatory' }),
  encounter('e2', { system: ACT_CODE, code: 'IMP', display: 'inpatient encounter' }),
  encounter('e3', { system: 'urn:other', code: 'AMB' }),
];

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [...patients, ...observations, ...encounters]);
});
after(async () => { await flint.stop(); });

describe('token on Identifier: value, system|value, |value, system|', () => {
  searchCases(server, 'Patient', [
    ['identifier=1001', ['t1', 't2', 't3']],
    ['identifier=urn:mrn|1001', ['t1']],
    ['identifier=|1001', ['t3']],
    ['identifier=urn:mrn|', ['t1', 't4']],
    ['identifier=urn:ssn|999-11', ['t1']],
    ['identifier=urn:ssn|1001', []],
    ['identifier=urn:mrn|1001,urn:mrn|4004', ['t1', 't4']],
    ['identifier=urn:mrn|1001&identifier=urn:ssn|999-11', ['t1']],
    ['identifier=urn:other|1001&identifier=urn:ssn|999-11', []],
    ['identifier=urn:mrn|6006', []],
    ['identifier=6007', []],
    ['identifier:missing=true', ['t5', 't6']],
    ['identifier:missing=false', ['t1', 't2', 't3', 't4']],
  ]);
});

describe('token :of-type matches type, system-free, and value of the same identifier', () => {
  searchCases(server, 'Patient', [
    [`identifier:of-type=${V2_0203}|MR|1001`, ['t1']],
    [`identifier:of-type=${V2_0203}|MR|4004`, ['t4']],
    // t1 holds 999-11, but not in its MR identifier.
    [`identifier:of-type=${V2_0203}|MR|999-11`, []],
    [`identifier:of-type=${V2_0203}|SS|1001`, []],
    [`identifier:of-type=http://example.org/other|MR|1001`, []],
  ]);
});

describe('token :text matches Identifier.type.text, CodeableConcept.text and Coding.display as a string search', () => {
  searchCases(server, 'Patient', [
    ['identifier:text=medical record', ['t4']],
    ['language:text=dutch', ['t1']],
    ['language:text=FRENCH', ['t1']],
  ]);
  searchCases(server, 'Observation', [
    ['code:text=systolic', ['o1']],
    ['code:text=SYSTOLIC BLOOD', ['o1']],
    ['code:text=diastolic', ['o2']],
    ['code:text=free text', ['o5']],
    ['code:text=blood pressure', ['o4']],
    ['code:text=systolic,diastolic', ['o1', 'o2']],
  ]);
  searchCases(server, 'Encounter', [
    ['class:text=ambulatory', ['e1']],
    ['class:text=INPATIENT', ['e2']],
  ]);
});

describe('token on CodeableConcept: any coding matches', () => {
  searchCases(server, 'Observation', [
    ['code=8480-6', ['o1', 'o3', 'o4']],
    [`code=${LOINC}|8480-6`, ['o1']],
    ['code=|8480-6', ['o4']],
    [`code=${LOINC}|`, ['o1', 'o2']],
    ['code=http://acme.org/codes|', ['o3', 'o6']],
    [`code=${SNOMED}|271649006`, ['o1']],
    [`code=${SNOMED}|8480-6`, []],
    ['code=8480-6,8462-4', ['o1', 'o2', 'o3', 'o4']],
    // Repeated: both codings of o1's one CodeableConcept.
    [`code=${LOINC}|8480-6&code=${SNOMED}|271649006`, ['o1']],
    [`code=${LOINC}|8480-6&code=${LOINC}|8462-4`, []],
    // An escaped comma is part of the code, an unescaped one separates alternatives.
    ['code=a\\,b', ['o6']],
    ['code=a,b', []],
    ['category=vital-signs', ['o1', 'o2']],
    ['category:missing=true', ['o3', 'o4', 'o5', 'o6']],
    ['category:missing=false', ['o1', 'o2']],
  ]);
});

describe('token :not includes resources without a matching value and without the element', () => {
  searchCases(server, 'Observation', [
    ['code:not=8480-6', ['o2', 'o5', 'o6']],
    [`code:not=${LOINC}|8480-6`, ['o2', 'o3', 'o4', 'o5', 'o6']],
    ['status:not=final', ['o3', 'o4', 'o6']],
    ['category:not=vital-signs', ['o3', 'o4', 'o5', 'o6']],
  ]);
  searchCases(server, 'Patient', [
    ['gender:not=male', allBut(patientIds, 't1')],
    ['active:not=true', ['t2', 't3', 't5', 't6']],
    ['identifier:not=urn:mrn|1001', allBut(patientIds, 't1')],
  ]);
});

describe('token on code and boolean elements', () => {
  searchCases(server, 'Patient', [
    ['gender=female', ['t2', 't3']],
    ['gender=male', ['t1']],
    ['gender=female,other', ['t2', 't3', 't4']],
    ['gender:missing=true', ['t5']],
    ['active=true', ['t1', 't4']],
    ['active=false', ['t2']],
    ['active:missing=true', ['t3', 't5', 't6']],
    ['active=true&gender=other', ['t4']],
  ]);
  searchCases(server, 'Observation', [
    ['status=final', ['o1', 'o2', 'o5']],
    ['status=final,amended', ['o1', 'o2', 'o4', 'o5']],
    ['status=final&code=8462-4', ['o2']],
  ]);
});

describe('token on Coding (Encounter.class)', () => {
  searchCases(server, 'Encounter', [
    ['class=AMB', ['e1', 'e3']],
    [`class=${ACT_CODE}|AMB`, ['e1']],
    ['class=urn:other|', ['e3']],
    ['class:not=AMB', ['e2']],
    [`class=${ACT_CODE}|AMB,${ACT_CODE}|IMP`, ['e1', 'e2']],
  ]);
});

describe('token on ContactPoint: telecom, and email and phone by their system', () => {
  searchCases(server, 'Patient', [
    ['telecom=555-1001', ['t1']],
    ['telecom=one@example.org', ['t1']],
    ['email=one@example.org', ['t1']],
    ['email=two@example.org', ['t2']],
    ['email=555-1001', []],
    ['phone=555-1001', ['t1']],
    ['phone=555-3003', ['t3']],
    ['phone=one@example.org', []],
    ['email=twin@example.org', []],
    ['email:missing=true', ['t3', 't4', 't5', 't6']],
    ['telecom:missing=true', ['t4', 't5', 't6']],
  ]);
});

describe('token on a repeating CodeableConcept: comma is OR, repetition is AND', () => {
  searchCases(server, 'Patient', [
    ['language=fr', ['t1', 't3']],
    [`language=${BCP47}|nl`, ['t1']],
    ['language=fr&language=en', ['t3']],
    ['language=fr,nl&language=en', ['t3']],
    ['language=nl,en', ['t1', 't2', 't3']],
    ['_id=t1,t2&gender=female', ['t2']],
  ]);
});

describe('a SearchParameter on an extension, created at run time', () => {
  it('is accepted with POST /fhir/SearchParameter', async () => {
    const answer = await flint.post('/fhir/SearchParameter', {
      resourceType: 'SearchParameter',
      url: 'http://example.org/SearchParameter/patient-eye-colour',
      name: 'EyeColour',
      status: 'active',
      description: 'The eye colour of a patient, from an extension',
      code: 'eye-colour',
      base: ['Patient'],
      type: 'token',
      expression: `Patient.extension.where(url='${EYE_COLOUR}').value`,
    });
    assert.equal(answer.status, 201, answer.text);
  });

  searchCases(server, 'Patient', [
    ['eye-colour=blue', ['t1']],
    ['eye-colour=brown,blue', ['t1', 't2']],
    ['eye-colour=green', []],
    ['eye-colour:not=blue', allBut(patientIds, 't1')],
    ['eye-colour:missing=true', ['t3', 't4', 't5', 't6']],
    ['eye-colour=brown&gender=female', ['t2']],
  ]);
});
