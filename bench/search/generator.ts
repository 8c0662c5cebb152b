/**
 * The search benchmark's data: deterministic (a seeded PRNG per patient, so any patient's record can
 * be regenerated alone) and realistic, about 50 resources per patient: the Patient, ~8 Encounters,
 * ~30 Observations, ~5 Conditions and ~5 MedicationRequests, plus 100 Organizations and 200
 * Practitioners shared by all. Resources are FHIR JSON as a client would POST them, with ids
 * assigned here (pat-000123, enc-000123-04, obs-000123-017, ...). Bump GENERATOR_VERSION when the
 * output changes, so a database loaded by an older generator is not reused.
 */
import { clinicalResources } from './clinical-resources.js';
import { directoryResources } from './directory-resources.js';
import { type EncounterFacts, encounterResources } from './encounter-resources.js';
import type { FhirJson } from './fhir-json.js';
import { type PatientFacts, patientResource } from './patient-resource.js';
import { Random } from './random.js';

export const GENERATOR_VERSION = 1;

export interface PatientRecord {
  facts: PatientFacts;
  encounters: EncounterFacts[];
  /** The Patient first, then its Encounters, Observations, Conditions and MedicationRequests. */
  resources: FhirJson[];
}

export function patientRecord(seed: number, index: number): PatientRecord {
  const random = new Random(seed, index, 0x5eed);
  const { patient, facts } = patientResource(random, index);
  const counts = {
    encounters: random.int(3, 13),
    observations: random.int(18, 42),
    conditions: random.int(1, 9),
    medicationRequests: random.int(1, 9),
  };
  const encounters = encounterResources(random, facts, counts.encounters);
  const clinical = clinicalResources(random, facts, encounters.facts, counts);
  return { facts, encounters: encounters.facts, resources: [patient, ...encounters.resources, ...clinical] };
}

/** Every resource of a data set, one at a time: Organizations and Practitioners, then patient by patient. */
export function* generateResources(seed: number, patients: number): Generator<FhirJson> {
  yield* directoryResources(seed);
  for (let index = 0; index < patients; index++) yield* patientRecord(seed, index).resources;
}
