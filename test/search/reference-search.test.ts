/**
 * Reference search (http://hl7.org/fhir/R4/search.html#reference): [type]/[id], [id], absolute URLs
 * (another server's, kept as such, and the server's own base, equal to the relative form), the
 * :[type] and :identifier modifiers, :missing, parameters limited to one target type (patient),
 * chaining (one and two levels, with and without a type), and reverse chaining with _has.
 */
import { after, before, describe } from 'node:test';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { allBut, LOINC, putAll, searchCases, type TestResource } from './search-cases.js';

let flint: TestFlint;
const server = () => flint;

// testConfig sets this base URL.
const OWN_BASE = 'http://flint.test/fhir';
const OTHER_BASE = 'http://example.org/fhir';

const resources: TestResource[] = [
  { resourceType: 'Organization', id: 'org1', name: 'Acme Health' },
  { resourceType: 'Organization', id: 'org2', name: 'Other Org' },
  { resourceType: 'Patient', id: 'rp1', name: [{ family: 'Alpha', given: ['Peter'] }], managingOrganization: { reference: 'Organization/org1' } },
  { resourceType: 'Patient', id: 'rp2', name: [{ family: 'Beta', given: ['Paula'] }], managingOrganization: { reference: 'Organization/org2' } },
  { resourceType: 'Patient', id: 'rp3', name: [{ family: 'Gamma', given: ['Quentin'] }] },
  // A Group with the same id as a Patient, and a Location whose name matches a Patient's.
  { resourceType: 'Group', id: 'rp1', type: 'person', actual: true, name: 'Peter group' },
  { resourceType: 'Location', id: 'loc1', name: 'Peter Ward' },
  { resourceType: 'Encounter', id: 'enc1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/rp1' } },
  { resourceType: 'Encounter', id: 'enc2', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/rp2' } },
];

const observation = (id: string, code: string, extra: object): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: LOINC, code }] }, ...extra,
});
const observations: TestResource[] = [
  observation('ob1', '1234', { subject: { reference: 'Patient/rp1' } }),
  observation('ob2', '5678', { subject: { reference: 'Patient/rp2' } }),
  observation('ob3', '2468', { subject: { reference: 'Group/rp1' } }),
  observation('ob4', '9999', { subject: { reference: `${OTHER_BASE}/Patient/rp1` } }),
  observation('ob5', '1234', { subject: { reference: `${OWN_BASE}/Patient/rp2` } }),
  observation('ob6', '4321', { subject: { reference: 'Patient/rp3' }, performer: [{ identifier: { system: 'urn:npi', value: 'n-1' }, display: 'Dr. No Reference' }] }),
  observation('ob7', '1234', {}),
  observation('ob8', '1234', { subject: { reference: 'Location/loc1' } }),
  observation('ob9', '777', { subject: { reference: 'Patient/rp3' }, encounter: { reference: 'Encounter/enc2' } }),
];
const observationIds = observations.map((resource) => resource.id);

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [...resources, ...observations]);
});
after(async () => { await flint.stop(); });

describe('reference: [type]/[id], [id] and absolute URLs', () => {
  searchCases(server, 'Observation', [
    ['subject=Patient/rp1', ['ob1']],
    ['subject=Group/rp1', ['ob3']],
    ['subject=Location/loc1', ['ob8']],
    // rp2 exists only as a Patient, so the bare id is not ambiguous.
    ['subject=rp2', ['ob2', 'ob5']],
    ['subject=rp3', ['ob6', 'ob9']],
    // A reference on the server's own base equals the relative one, both ways.
    ['subject=Patient/rp2', ['ob2', 'ob5']],
    [`subject=${OWN_BASE}/Patient/rp2`, ['ob2', 'ob5']],
    [`subject=${OWN_BASE}/Patient/rp1`, ['ob1']],
    // A reference to another server matches only its absolute URL.
    [`subject=${OTHER_BASE}/Patient/rp1`, ['ob4']],
    ['subject=Patient/nobody', []],
    ['subject=Patient/rp1,Patient/rp3', ['ob1', 'ob6', 'ob9']],
    ['encounter=Encounter/enc2', ['ob9']],
    ['encounter=enc2', ['ob9']],
  ]);
});

describe('reference: the :[type] modifier and the single-target patient parameter', () => {
  searchCases(server, 'Observation', [
    ['subject:Patient=rp1', ['ob1']],
    ['subject:Group=rp1', ['ob3']],
    ['subject:Location=loc1', ['ob8']],
    ['subject:Patient=rp2', ['ob2', 'ob5']],
    // patient is Observation.subject limited to Patients: not the Group rp1, not another server's Patient.
    ['patient=rp1', ['ob1']],
    ['patient=Patient/rp1', ['ob1']],
    ['patient=rp2', ['ob2', 'ob5']],
    ['patient=loc1', []],
    ['patient=rp1,rp3', ['ob1', 'ob6', 'ob9']],
  ]);
  searchCases(server, 'Encounter', [
    ['patient=rp1', ['enc1']],
    ['subject:Patient=rp2', ['enc2']],
  ]);
});

describe('reference: :identifier and :missing', () => {
  searchCases(server, 'Observation', [
    ['performer:identifier=urn:npi|n-1', ['ob6']],
    ['performer:identifier=n-1', ['ob6']],
    ['performer:identifier=urn:other|n-1', []],
    ['subject:missing=true', ['ob7']],
    ['subject:missing=false', allBut(observationIds, 'ob7')],
    ['encounter:missing=false', ['ob9']],
  ]);
  searchCases(server, 'Patient', [
    ['organization:missing=true', ['rp3']],
    ['organization=org1', ['rp1']],
  ]);
});

describe('reference: chaining', () => {
  searchCases(server, 'Observation', [
    ['subject:Patient.name=peter', ['ob1']],
    ['subject:Patient.name=paula', ['ob2', 'ob5']],
    ['subject:Patient.name=peter,paula', ['ob1', 'ob2', 'ob5']],
    ['subject:Patient.family=gamma', ['ob6', 'ob9']],
    ['subject:Patient.name=nobody', []],
    ['subject:Location.name=peter', ['ob8']],
    // Without a type the chain searches every target type that has the parameter: Patient and
    // Location have name, Group has none.
    ['subject.name=peter', ['ob1', 'ob8']],
    ['subject.family=alpha', ['ob1']],
    ['patient.name=peter', ['ob1']],
    ['patient.name=paula', ['ob2', 'ob5']],
    ['subject:Patient.name=peter&code=1234', ['ob1']],
    ['subject:Patient.name=peter&code=9999', []],
    ['subject:Patient.name=peter&subject:Patient.family=alpha', ['ob1']],
    ['subject:Patient._id=rp3', ['ob6', 'ob9']],
    ['encounter.subject=Patient/rp2', ['ob9']],
    // Two levels: Observation -> Patient -> Organization.
    ['subject:Patient.organization.name=acme', ['ob1']],
    ['subject:Patient.organization.name=other', ['ob2', 'ob5']],
    ['subject:Patient.organization=org1', ['ob1']],
    ['patient.organization.name=acme,other', ['ob1', 'ob2', 'ob5']],
    ['encounter.subject:Patient.name=paula', ['ob9']],
  ]);
});

describe('reference: reverse chaining with _has', () => {
  searchCases(server, 'Patient', [
    ['_has:Observation:patient:code=1234', ['rp1', 'rp2']],
    ['_has:Observation:subject:code=1234', ['rp1', 'rp2']],
    ['_has:Observation:patient:code=5678', ['rp2']],
    // ob4 refers to a Patient on another server.
    ['_has:Observation:patient:code=9999', []],
    ['_has:Observation:patient:code=5678,4321', ['rp2', 'rp3']],
    ['_has:Observation:patient:code=1234&_has:Observation:patient:code=5678', ['rp2']],
    ['_has:Observation:patient:code=1234&name=peter', ['rp1']],
    // Nested: patients with an Encounter that an Observation with code 777 points to.
    ['_has:Encounter:patient:_has:Observation:encounter:code=777', ['rp2']],
    ['_has:Encounter:patient:_has:Observation:encounter:code=1234', []],
    // ob3 refers to the Group rp1, not to the Patient with the same id.
    ['_has:Observation:subject:code=2468', []],
  ]);
  searchCases(server, 'Group', [
    ['_has:Observation:subject:code=2468', ['rp1']],
    ['_has:Observation:subject:code=1234', []],
  ]);
  searchCases(server, 'Organization', [
    ['_has:Patient:organization:name=peter', ['org1']],
    ['_has:Patient:organization:_has:Observation:patient:code=5678', ['org2']],
  ]);
});
