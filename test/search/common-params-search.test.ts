/**
 * Parameters for all resources (http://hl7.org/fhir/R4/search.html#all): _id, _lastUpdated, _tag,
 * _profile, _security, _source, _text (the narrative), _content (the whole resource), _list, _type
 * in system search, _filter (http://hl7.org/fhir/R4/search_filter.html); comma OR and repeated AND
 * across parameters; POST _search; and compartment search (Patient/[id]/Observation).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { matchIds, putAll, searchBundle, searchCases, typedMatchIds, type SearchCase, type TestResource } from './search-cases.js';

let flint: TestFlint;
const server = () => flint;

const ACME_TAGS = 'http://acme.org/tags';
const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const PROFILE = 'http://example.org/StructureDefinition/special-patient';
const SOURCE = 'http://example.org/source#abc';
const MED = 'http://example.org/med';
const CODES = 'http://example.org/codes';

const narrative = (text: string) => ({ status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${text}</p></div>` });

const patients: TestResource[] = [
  {
    resourceType: 'Patient', id: 'c1', gender: 'female', birthDate: '2001-05-01', name: [{ family: 'Goldsmith' }],
    meta: { tag: [{ system: ACME_TAGS, code: 'needs-review' }], security: [{ system: CONFIDENTIALITY, code: 'R' }] },
    text: narrative('Patient reports a zebra allergy'),
  },
  {
    resourceType: 'Patient', id: 'c2', gender: 'male', birthDate: '1990-02-02', name: [{ family: 'Blacksmith' }],
    meta: { tag: [{ system: 'http://other.org/tags', code: 'needs-review' }], profile: [PROFILE] },
    text: narrative('No known allergies'),
  },
  {
    resourceType: 'Patient', id: 'c3', gender: 'female', birthDate: '2005-07-07', name: [{ family: 'Jones' }],
    meta: { tag: [{ system: ACME_TAGS, code: 'archived' }], source: SOURCE },
  },
  { resourceType: 'Patient', id: 'c4', gender: 'male', birthDate: '2010-10-10', name: [{ family: 'Zebra' }] },
  { resourceType: 'Patient', id: 'c5', birthDate: '1980-01-01', name: [{ family: 'Brown' }], address: [{ line: ['Unicorn Lane 7'] }] },
];

const observation = (id: string, code: string, extra: object): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: CODES, code }] }, ...extra,
});
const observations = [
  observation('o1', 'A', { subject: { reference: 'Patient/c1' } }),
  observation('o2', 'A', { subject: { reference: 'Patient/c2' } }),
  observation('o3', 'B', { subject: { reference: 'Patient/c5' }, performer: [{ reference: 'Patient/c1' }] }),
  observation('o4', 'B', { subject: { reference: 'Patient/c1' } }),
];

const medicationRequest = (id: string, status: string, code: string, patient: string): TestResource => ({
  resourceType: 'MedicationRequest', id, status, intent: 'order',
  medicationCodeableConcept: { coding: [{ system: MED, code }] }, subject: { reference: `Patient/${patient}` },
});
const medicationRequests = [
  medicationRequest('mr1', 'active', '123', 'c1'),
  medicationRequest('mr2', 'active', '456', 'c1'),
  medicationRequest('mr3', 'completed', '789', 'c1'),
  medicationRequest('mr4', 'stopped', '456', 'c2'),
  medicationRequest('mr5', 'completed', '123', 'c1'),
];

const others: TestResource[] = [
  // Shares its id with the Patient c1, for searches across types.
  { resourceType: 'Organization', id: 'c1', name: 'Same id' },
  {
    resourceType: 'List', id: 'list1', status: 'current', mode: 'working',
    entry: [{ item: { reference: 'Patient/c1' } }, { item: { reference: 'Patient/c3' } }, { item: { reference: 'Observation/o2' } }],
  },
];

/** The meta.lastUpdated of a resource written well after every other Organization. */
let lateWritten: number;

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [...patients, ...observations, ...medicationRequests, ...others]);
  await sleep(50);
  const late = await flint.put('/fhir/Organization/late', { resourceType: 'Organization', id: 'late', name: 'Late' });
  assert.equal(late.status, 201, late.text);
  lateWritten = Date.parse(late.body.meta.lastUpdated);
});
after(async () => { await flint.stop(); });

describe('_id', () => {
  searchCases(server, 'Patient', [
    ['_id=c1', ['c1']],
    ['_id=c1,c3,nobody', ['c1', 'c3']],
    ['_id=C1', []],
    ['_id=c1&_id=c2', []],
    ['_id=nobody', []],
  ]);
});

describe('_lastUpdated', () => {
  // Five milliseconds before the late write, and more than forty after every other one.
  const justBefore = () => new Date(lateWritten - 5).toISOString();
  it('ge a moment before the last write finds only that write', async () => {
    assert.deepEqual(matchIds(await searchBundle(flint, '/fhir/Organization', `_lastUpdated=ge${justBefore()}`)), ['late']);
  });
  it('lt the same moment finds everything written earlier', async () => {
    assert.deepEqual(matchIds(await searchBundle(flint, '/fhir/Organization', `_lastUpdated=lt${justBefore()}`)), ['c1']);
  });
  searchCases(server, 'Organization', [
    ['_lastUpdated=gt2000', ['c1', 'late']],
    ['_lastUpdated=lt2000', []],
    ['_lastUpdated=2000', []],
  ]);
});

describe('_tag, _security, _profile, _source', () => {
  searchCases(server, 'Patient', [
    [`_tag=${ACME_TAGS}|needs-review`, ['c1']],
    ['_tag=needs-review', ['c1', 'c2']],
    [`_tag=${ACME_TAGS}|`, ['c1', 'c3']],
    ['_tag=needs-review,archived', ['c1', 'c2', 'c3']],
    ['_tag:not=needs-review', ['c3', 'c4', 'c5']],
    ['_tag:missing=true', ['c4', 'c5']],
    [`_security=${CONFIDENTIALITY}|R`, ['c1']],
    ['_security=R', ['c1']],
    ['_security:missing=true', ['c2', 'c3', 'c4', 'c5']],
    [`_profile=${PROFILE}`, ['c2']],
    ['_profile=http://example.org/StructureDefinition/other', []],
    [`_source=${SOURCE}`, ['c3']],
    ['_source=http://example.org/source', []],
  ]);
});

describe('_text searches the narrative, _content the whole resource', () => {
  searchCases(server, 'Patient', [
    ['_text=zebra', ['c1']],
    ['_text=allergies', ['c2']],
    ['_text=unicorn', []],
    ['_content=zebra', ['c1', 'c4']],
    ['_content=unicorn', ['c5']],
    ['_content=giraffe', []],
    ['_content=zebra&gender=male', ['c4']],
  ]);
});

describe('_list', () => {
  searchCases(server, 'Patient', [
    ['_list=list1', ['c1', 'c3']],
    ['_list=list1&gender=female&birthdate=ge2005', ['c3']],
    ['_list=nolist', []],
  ]);
  searchCases(server, 'Observation', [
    ['_list=list1', ['o2']],
  ]);
});

describe('several parameters: comma is OR, every parameter must hold (AND)', () => {
  searchCases(server, 'Patient', [
    ['_id=c1,c2,c3&_tag=needs-review', ['c1', 'c2']],
    ['gender=female&birthdate=ge2005', ['c3']],
    ['_tag=needs-review,archived&gender=female', ['c1', 'c3']],
    ['gender=male,female&birthdate=lt2000', ['c2']],
    ['gender=male&gender=female', []],
  ]);
});

describe('_filter', () => {
  searchCases(server, 'Patient', [
    ['_filter=name co "smi" and birthdate ge 2000-01-01', ['c1']],
    ['_filter=name co "smi" or birthdate ge 2005-01-01', ['c1', 'c2', 'c3', 'c4']],
    ['_filter=not (name co "smi")', ['c3', 'c4', 'c5']],
    ['_filter=family eq Jones', ['c3']],
    ['_filter=family sw "Gold"', ['c1']],
    ['_filter=family ew "smith"', ['c1', 'c2']],
    ['_filter=birthdate lt 1990-06-01', ['c2', 'c5']],
    ['_filter=gender eq female and (birthdate ge 2005-01-01 or family eq Goldsmith)', ['c1', 'c3']],
    ['_filter=gender ne male', ['c1', 'c3']],
    ['_filter=gender pr false', ['c5']],
    ['_filter=gender pr true and birthdate gt 2004-12-31', ['c3', 'c4']],
  ]);
  searchCases(server, 'MedicationRequest', [
    ['_filter=(status eq active or status eq completed) and not (code eq 123)', ['mr2', 'mr3']],
    [`_filter=code eq ${MED}|123`, ['mr1', 'mr5']],
    ['_filter=status eq stopped or code eq 789', ['mr3', 'mr4']],
    ['_filter=status eq active&status=completed', []],
  ]);
});

describe('POST [type]/_search with a form body', () => {
  it('finds the same matches as GET', async () => {
    const answer = await flint.post('/fhir/Patient/_search', undefined, {
      raw: 'family=Jones&gender=female', contentType: 'application/x-www-form-urlencoded',
    });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(matchIds(answer.body), ['c3']);
  });
});

describe('system search with _type', () => {
  const cases: SearchCase[] = [
    ['_type=Patient,Observation&_id=c1,o1', ['Observation/o1', 'Patient/c1']],
    ['_id=c1', ['Organization/c1', 'Patient/c1']],
    ['_type=Patient&_id=c1', ['Patient/c1']],
    ['_type=Patient,Organization&_tag=needs-review', ['Patient/c1', 'Patient/c2']],
    ['_type=MedicationRequest,Observation&_id=mr4,o4,c1', ['MedicationRequest/mr4', 'Observation/o4']],
  ];
  for (const [query, expected] of cases) {
    it(`[base]?${query}`, async () => {
      assert.deepEqual(typedMatchIds(await searchBundle(flint, '/fhir', query)), expected);
    });
  }
});

describe('compartment search', () => {
  searchCases(server, 'Patient/c1/Observation', [
    ['', ['o1', 'o3', 'o4']],
    ['code=A', ['o1']],
    [`code=${CODES}|B`, ['o3', 'o4']],
    ['code=C', []],
  ]);
  searchCases(server, 'Patient/c1/MedicationRequest', [
    ['', ['mr1', 'mr2', 'mr3', 'mr5']],
    ['status=active', ['mr1', 'mr2']],
  ]);
  searchCases(server, 'Patient/c2/MedicationRequest', [
    ['', ['mr4']],
    ['status=active', []],
  ]);

  // Patient/[id]/* searches every type of the compartment, the Patient itself included; the
  // Organization with the same id and the List that only lists the Patient are not in it.
  const everything: [string, string[]][] = [
    ['', ['MedicationRequest/mr1', 'MedicationRequest/mr2', 'MedicationRequest/mr3', 'MedicationRequest/mr5',
      'Observation/o1', 'Observation/o3', 'Observation/o4', 'Patient/c1']],
    ['_id=o1,mr2,c1', ['MedicationRequest/mr2', 'Observation/o1', 'Patient/c1']],
    ['_type=Observation', ['Observation/o1', 'Observation/o3', 'Observation/o4']],
  ];
  // The AuditEvents about the patient (docs/audit.md) are members of its compartment too; left out
  // here. Their number grows with the reads of this file, so one page holds them all (_count).
  const withoutAudit = (ids: string[]) => ids.filter((id) => !id.startsWith('AuditEvent/'));
  for (const [query, expected] of everything) {
    it(`Patient/c1/*?${query}`, async () => {
      const onePage = query ? `${query}&_count=1000` : '_count=1000';
      assert.deepEqual(withoutAudit(typedMatchIds(await searchBundle(flint, '/fhir/Patient/c1/*', onePage))), expected);
    });
  }

  it('Patient/c2/* with the URL of its own searchset', async () => {
    const bundle = await searchBundle(flint, '/fhir/Patient/c2/*', '');
    assert.deepEqual(withoutAudit(typedMatchIds(bundle)), ['MedicationRequest/mr4', 'Observation/o2', 'Patient/c2']);
    assert.match(bundle.link.find((link: any) => link.relation === 'self').url, /\/Patient\/c2\/\*/);
  });
});
