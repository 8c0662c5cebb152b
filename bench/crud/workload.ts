/**
 * The data of the CRUD benchmark: a Patient like a real registration, a 10-entry transaction (a
 * Patient and nine Observations that reference it through urn:uuid), and the seeded population:
 * 10,000 Patients `crud-N` in 100 families of about 100 (Family000 ... Family099, the family
 * search) and 1,000 Patients `upd-N` that the update rewrites (family Updated, outside the search).
 */
import { randomUUID } from 'node:crypto';

export const SEARCH_PATIENTS = 10_000;
export const FAMILIES = 100;
export const UPDATE_PATIENTS = 1_000;

/** The family of seeded Patient crud-N: three digits, so no family is a prefix of another. */
export function familyOf(n: number): string {
  return `Family${String(n % FAMILIES).padStart(3, '0')}`;
}

export function patient(i: number, family = `Family${i % 997}`): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: 'http://hospital.example.org/mrn', value: `MRN-${i}` }],
    active: true,
    name: [{ use: 'official', family, given: ['Alex', `G${i % 13}`] }],
    telecom: [{ system: 'phone', value: `+1-555-${String(i % 10000).padStart(4, '0')}`, use: 'home' }],
    gender: i % 2 === 0 ? 'female' : 'male',
    birthDate: `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
    address: [{ line: [`${i} Main Street`], city: 'Springfield', state: 'MA', postalCode: '01101', country: 'US' }],
  };
}

export function observation(subject: string, i: number): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: subject },
    effectiveDateTime: `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T08:${String(i % 60).padStart(2, '0')}:00Z`,
    valueQuantity: { value: 60 + (i % 40), unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

export function transactionBundle(i: number, family = `Family${i % 997}`): Record<string, unknown> {
  const patientUrl = `urn:uuid:${randomUUID()}`;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: patientUrl, request: { method: 'POST', url: 'Patient' }, resource: patient(i, family) },
      ...Array.from({ length: 9 }, (_, k) => ({ request: { method: 'POST', url: 'Observation' }, resource: observation(patientUrl, i * 10 + k) })),
    ],
  };
}

/** The seeded population as transaction Bundles of PUTs, `size` entries each. */
export function seedBundles(size: number): Record<string, unknown>[] {
  const entries = [
    ...Array.from({ length: SEARCH_PATIENTS }, (_, n) => ({ ...patient(n, familyOf(n)), id: `crud-${n}` })),
    ...Array.from({ length: UPDATE_PATIENTS }, (_, n) => ({ ...patient(n, 'Updated'), id: `upd-${n}` })),
  ].map((resource) => ({ resource, request: { method: 'PUT', url: `Patient/${resource.id}` } }));
  const bundles: Record<string, unknown>[] = [];
  for (let start = 0; start < entries.length; start += size) {
    bundles.push({ resourceType: 'Bundle', type: 'transaction', entry: entries.slice(start, start + size) });
  }
  return bundles;
}
