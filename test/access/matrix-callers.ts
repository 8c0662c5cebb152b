/**
 * The callers of the access matrix and what each may see: a patient (a User with the patient role,
 * narrowed to their compartment), a practitioner (their panel, by general practitioner, through a
 * chain), a SMART app with patient/ scopes for a launch patient, a device service (vital-sign
 * Observations only) and a client with no policy. The fixture is loaded as the root client; the
 * oracle of each caller is written over the fixture JSON (matrix-oracle.ts).
 */
import assert from 'node:assert/strict';
import type { TestFlint } from '../support/test-server.js';
import { accessToken, basic, bearer, putClient } from './access-helpers.js';
import {
  codesOf, inCompartment, readSyntheaBundles, REFUSED, visibleWhere, withServerReferences,
  type FixtureBundle, type StoredFixture, type Visible,
} from './matrix-oracle.js';

export type MatrixInteraction = 'read' | 'search';

export interface MatrixCaller {
  name: string;
  authorization: string;
  /** Whether the caller's policies allow a batch or transaction Bundle (its entries are decided one by one). */
  bundles: boolean;
  /** How the audit log names the caller: its user or, for a client acting for itself, its client. */
  agent: { system: 'urn:flint:user' | 'urn:flint:client'; value: string };
  /** What the caller may see of a type through an interaction (refused: 403). */
  visible(type: string, interaction: MatrixInteraction): Visible;
}

export interface MatrixWorld {
  stored: StoredFixture[];
  /** The patients by family name: chet, geoff, louis (fixture order). */
  patients: StoredFixture[];
  doctor: string;
  callers: MatrixCaller[];
}

export const MATRIX_TYPES = ['Patient', 'Observation', 'Condition', 'Encounter', 'Practitioner', 'Immunization'];
const VITAL_SIGNS = 'http://terminology.hl7.org/CodeSystem/observation-category|vital-signs';
const DOCTOR = 'Practitioner/matrix-doctor';

/** Chet and Louis get the matrix doctor as their general practitioner; Geoffrey does not. */
function withPanel(bundle: FixtureBundle): FixtureBundle {
  const inPanel = !bundle.file.startsWith('Geoffrey');
  for (const entry of bundle.entries) {
    if (entry.resource.resourceType === 'Patient' && inPanel) entry.resource.generalPractitioner = [{ reference: DOCTOR }];
  }
  return bundle;
}

async function loadFixture(flint: TestFlint): Promise<StoredFixture[]> {
  const doctor = await flint.put('/fhir/Practitioner/matrix-doctor', { resourceType: 'Practitioner', id: 'matrix-doctor', name: [{ family: 'Matrix' }] });
  assert.equal(doctor.status, 201, doctor.text);
  const stored: StoredFixture[] = [{ ref: DOCTOR, type: 'Practitioner', id: 'matrix-doctor', versionId: doctor.body.meta.versionId, resource: doctor.body }];
  for (const bundle of readSyntheaBundles().map(withPanel)) {
    const answer = await flint.post('/fhir', bundle.body);
    assert.equal(answer.status, 200, `${bundle.file}: ${answer.text.slice(0, 400)}`);
    const assigned = new Map<string, string>();
    const versions = new Map<string, string>();
    answer.body.entry.forEach((entry: any, index: number) => {
      const parts = new URL(entry.response.location, 'http://flint.test/fhir/').pathname.split('/');
      const at = parts.indexOf('_history');
      assigned.set(bundle.entries[index].fullUrl, `${parts[at - 2]}/${parts[at - 1]}`);
      versions.set(bundle.entries[index].fullUrl, parts[at + 1]);
    });
    for (const entry of bundle.entries) {
      const ref = assigned.get(entry.fullUrl) as string;
      const [type, id] = ref.split('/');
      stored.push({ ref, type, id, versionId: versions.get(entry.fullUrl) as string, resource: { ...withServerReferences(entry.resource, assigned), id } });
    }
  }
  return stored;
}

async function putResource(flint: TestFlint, resource: Record<string, unknown>): Promise<void> {
  const { status, text } = await flint.put(`/fhir/${resource.resourceType}/${resource.id}`, resource);
  assert.ok(status === 200 || status === 201, `${resource.resourceType}/${resource.id}: ${status} ${text.slice(0, 400)}`);
}

/** The users, clients and policies of the matrix, made as the root client. */
async function putIdentities(flint: TestFlint, chet: string, geoff: string): Promise<void> {
  await putResource(flint, { resourceType: 'User', id: 'u-chet', email: 'chet@matrix.test', fhirUser: { reference: chet } });
  await putResource(flint, { resourceType: 'Role', id: 'r-chet', name: 'patient', user: { reference: 'User/u-chet' } });
  await putResource(flint, { resourceType: 'User', id: 'u-doc', email: 'doc@matrix.test', fhirUser: { reference: DOCTOR } });
  await putResource(flint, { resourceType: 'User', id: 'u-geoff', email: 'geoff@matrix.test', fhirUser: { reference: geoff } });
  await putClient(flint, 'matrix-app', { grant_types: ['authorization_code'] });
  await putClient(flint, 'smart-app', { grant_types: ['authorization_code'] });
  await putClient(flint, 'device-svc', { secret: 'device-secret' });
  await putClient(flint, 'no-policy', { secret: 'no-policy-secret' });
  await putResource(flint, {
    resourceType: 'AccessPolicy', id: 'patient-self', engine: 'allow', roleName: 'patient',
    rows: ['Patient/{{user.fhirUser}}', 'Practitioner', 'Organization', 'ViewDefinition'],
  });
  await putResource(flint, {
    resourceType: 'AccessPolicy', id: 'doctor-panel', engine: 'matcho', link: [{ reference: 'User/u-doc' }],
    matcho: { 'request-method': { $enum: ['get'] } },
    rows: ['Patient?general-practitioner={{user.fhirUser}}', 'Observation?subject:Patient.general-practitioner={{user.fhirUser}}', 'Practitioner', 'ViewDefinition'],
  });
  await putResource(flint, {
    resourceType: 'AccessPolicy', id: 'device-observations', engine: 'matcho', link: [{ reference: 'Client/device-svc' }],
    matcho: { uri: '#^/fhir/Observation' }, rows: ['Observation?category=vital-signs'],
  });
  await putResource(flint, { resourceType: 'AccessPolicy', id: 'smart-app', engine: 'allow', link: [{ reference: 'Client/smart-app' }] });
}

function patientCaller(flint: TestFlint, world: Omit<MatrixWorld, 'callers'>, authorization: string, chet: StoredFixture): MatrixCaller {
  const members = new Set(['Patient', ...flint.ctx.model.compartments.memberTypes('Patient')]);
  return {
    name: 'patient', authorization, bundles: true, agent: { system: 'urn:flint:user', value: 'u-chet' },
    visible: (type) => {
      if (type === 'Practitioner' || type === 'Organization') return visibleWhere(world.stored, type, () => true);
      if (!members.has(type)) return REFUSED;
      return visibleWhere(world.stored, type, (item) => inCompartment(flint.ctx.model, chet.ref, item));
    },
  };
}

function doctorCaller(world: Omit<MatrixWorld, 'callers'>, authorization: string): MatrixCaller {
  const panel = new Set(world.stored.filter((item) => item.type === 'Patient' && item.resource.generalPractitioner?.[0]?.reference === DOCTOR).map((item) => item.ref));
  return {
    name: 'practitioner', authorization, bundles: false, agent: { system: 'urn:flint:user', value: 'u-doc' },
    visible: (type) => {
      if (type === 'Patient') return visibleWhere(world.stored, type, (item) => panel.has(item.ref));
      if (type === 'Observation') return visibleWhere(world.stored, type, (item) => panel.has(item.resource.subject?.reference));
      if (type === 'Practitioner') return visibleWhere(world.stored, type, () => true);
      return REFUSED;
    },
  };
}

/** patient/Observation.rs patient/Patient.rs patient/Condition.r for Geoffrey: Condition cannot be searched, others not at all. */
function smartCaller(flint: TestFlint, world: Omit<MatrixWorld, 'callers'>, authorization: string, geoff: StoredFixture): MatrixCaller {
  return {
    name: 'smart-patient-app', authorization, bundles: true, agent: { system: 'urn:flint:user', value: 'u-geoff' },
    visible: (type, interaction) => {
      const scoped = type === 'Observation' || type === 'Patient' || (type === 'Condition' && interaction === 'read');
      if (!scoped) return REFUSED;
      return visibleWhere(world.stored, type, (item) => inCompartment(flint.ctx.model, geoff.ref, item));
    },
  };
}

function deviceCaller(world: Omit<MatrixWorld, 'callers'>): MatrixCaller {
  return {
    name: 'device-service', authorization: basic('device-svc', 'device-secret'), bundles: false, agent: { system: 'urn:flint:client', value: 'device-svc' },
    visible: (type) => (type === 'Observation'
      ? visibleWhere(world.stored, type, (item) => (item.resource.category ?? []).some((concept: any) => codesOf(concept).includes(VITAL_SIGNS)))
      : REFUSED),
  };
}

/** Loads the fixture, makes the identities and policies, and returns the callers with their oracles. */
export async function buildMatrixWorld(flint: TestFlint): Promise<MatrixWorld> {
  const stored = await loadFixture(flint);
  const patients = stored.filter((item) => item.type === 'Patient');
  const [chet, geoff] = patients;
  await putIdentities(flint, chet.ref, geoff.ref);
  const base = { stored, patients, doctor: DOCTOR };
  const patientToken = await accessToken(flint, { admin: false, clientId: 'matrix-app', userId: 'u-chet', fhirUser: chet.ref, scopes: ['openid', 'fhirUser'] });
  const doctorToken = await accessToken(flint, { admin: false, clientId: 'matrix-app', userId: 'u-doc', fhirUser: DOCTOR, scopes: ['openid', 'fhirUser'] });
  const smartToken = await accessToken(flint, { admin: false,
    clientId: 'smart-app', userId: 'u-geoff', fhirUser: geoff.ref, launch: { patient: geoff.id },
    scopes: ['launch/patient', 'patient/Observation.rs', 'patient/Patient.rs', 'patient/Condition.r'],
  });
  const callers: MatrixCaller[] = [
    patientCaller(flint, base, bearer(patientToken), chet),
    doctorCaller(base, bearer(doctorToken)),
    smartCaller(flint, base, bearer(smartToken), geoff),
    deviceCaller(base),
    { name: 'client-without-policy', authorization: basic('no-policy', 'no-policy-secret'), bundles: false, agent: { system: 'urn:flint:client', value: 'no-policy' }, visible: () => REFUSED },
  ];
  return { ...base, callers };
}
