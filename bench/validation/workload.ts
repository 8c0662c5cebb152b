/**
 * The validation benchmark's data: the Synthea patients in bench/validation/synthea, their
 * Patients and Observations as they are and made to claim the test guide's profiles, and a
 * transaction Bundle of N patients (the five repeated, every urn:uuid replaced by a fresh one).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Resource } from '../../src/core/index.js';

const folder = fileURLToPath(new URL('./synthea', import.meta.url));
export const PACKAGES = fileURLToPath(new URL('../../test/fixtures/packages', import.meta.url));
const CLINIC = 'http://example.org/fhir/clinic';

export function syntheaBundles(): Bundle[] {
  return readdirSync(folder).filter((name) => name.endsWith('.json')).sort()
    .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as Bundle);
}

export function resourcesOf(bundles: Bundle[], type: string): Resource[] {
  return bundles.flatMap((bundle) => (bundle.entry ?? []).map((entry) => entry.resource as Resource)).filter((resource) => resource.resourceType === type);
}

/** A Synthea Patient made to conform to the test guide's patient profile. */
export function profiledPatient(patient: Resource, index: number): Resource {
  const { deceasedDateTime, ...rest } = patient as Record<string, unknown>;
  return {
    ...(rest as Resource),
    ...(deceasedDateTime ? { deceasedBoolean: true } : {}),
    meta: { profile: [`${CLINIC}/StructureDefinition/clinic-patient`] },
    identifier: [...(patient.identifier as object[] ?? []), { system: `${CLINIC}/mrn`, value: String(index) }],
    extension: [...(patient.extension as object[] ?? []), {
      url: `${CLINIC}/StructureDefinition/birth-country`,
      valueCodeableConcept: { coding: [{ system: 'http://example.org/fhir/terminology/CodeSystem/countries', code: 'NL' }] },
    }],
  };
}

/** A Synthea Observation made to conform to the test guide's vital sign profile. */
export function profiledObservation(observation: Resource): Resource {
  const { component: _component, valueCodeableConcept: _coded, valueString: _text, ...rest } = observation as Record<string, unknown>;
  return {
    ...(rest as Resource),
    meta: { profile: [`${CLINIC}/StructureDefinition/clinic-vital`] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://example.org/fhir/terminology/CodeSystem/clinic-codes', code: 'heart-rate' }] },
    effectiveDateTime: (observation.effectiveDateTime as string | undefined) ?? '2020-01-01',
    valueQuantity: { value: 60, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** One transaction Bundle with the entries of `patients` patients (the bundles repeated with fresh uuids). */
export function transactionOf(bundles: Bundle[], patients: number): Bundle {
  const texts = bundles.map((bundle) => JSON.stringify(bundle.entry));
  const entry: unknown[] = [];
  for (let i = 0; i < patients; i++) {
    const fresh = new Map<string, string>();
    const text = texts[i % texts.length].replace(UUID, (uuid) => {
      let replacement = fresh.get(uuid);
      if (!replacement) fresh.set(uuid, (replacement = randomUUID()));
      return replacement;
    });
    entry.push(...(JSON.parse(text) as unknown[]));
  }
  return { resourceType: 'Bundle', type: 'transaction', entry } as Bundle;
}
