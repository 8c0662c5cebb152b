/**
 * The resources the CRUD benchmark writes: a Patient like a real registration, and a 10-entry
 * transaction (a Patient and nine Observations that reference it through urn:uuid).
 */
import { randomUUID } from 'node:crypto';

export function patient(i: number): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: 'http://hospital.example.org/mrn', value: `MRN-${i}` }],
    active: true,
    name: [{ use: 'official', family: `Family${i % 997}`, given: ['Alex', `G${i % 13}`] }],
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

export function transactionBundle(i: number): Record<string, unknown> {
  const patientUrl = `urn:uuid:${randomUUID()}`;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: patientUrl, request: { method: 'POST', url: 'Patient' }, resource: patient(i) },
      ...Array.from({ length: 9 }, (_, k) => ({ request: { method: 'POST', url: 'Observation' }, resource: observation(patientUrl, i * 10 + k) })),
    ],
  };
}
