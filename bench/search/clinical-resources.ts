/**
 * The clinical part of a patient's generated record, each resource tied to one of the patient's
 * encounters and dated by it: Observations (LOINC vital signs and labs, valueQuantity in UCUM),
 * Conditions (SNOMED CT) and MedicationRequests (RxNorm, prescribed by a Practitioner).
 */
import { PRACTITIONERS, practitionerId } from './directory-resources.js';
import { CONDITION_CODES, LOINC, MEDICATION_CODES, OBSERVATION_CODES, type ObservationCode, RXNORM, SNOMED, UCUM } from './clinical-codes.js';
import type { EncounterFacts } from './encounter-resources.js';
import { codeable, dateTime, DAY_MS, type FhirJson, reference } from './fhir-json.js';
import type { PatientFacts } from './patient-resource.js';
import { type Random, WeightedPicker } from './random.js';

const OBSERVATION_PICKER = new WeightedPicker(OBSERVATION_CODES, (code) => code.weight);
const CONDITION_PICKER = new WeightedPicker(CONDITION_CODES, ([, , weight]) => weight);
const MEDICATION_PICKER = new WeightedPicker(MEDICATION_CODES, ([, , weight]) => weight);
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

const suffix = (patient: PatientFacts, k: number, width: number) => `${patient.id.slice(4)}-${String(k + 1).padStart(width, '0')}`;

function quantityValue(random: Random, code: ObservationCode): number {
  const tail = code.tail && random.chance(code.tail.chance) ? code.tail : code;
  const value = random.around(tail.mean, tail.spread, code.digits);
  return Math.max(value, 10 ** -code.digits);
}

function observation(random: Random, patient: PatientFacts, encounter: EncounterFacts, k: number): FhirJson {
  const code = OBSERVATION_PICKER.pick(random);
  const effective = encounter.startMs + random.int(2, 90) * 60_000;
  const value = quantityValue(random, code);
  const draw = random.next();
  const lab = code.category === 'laboratory';
  const resource: FhirJson = {
    resourceType: 'Observation', id: `obs-${suffix(patient, k, 3)}`,
    status: draw < 0.94 ? 'final' : draw < 0.98 ? 'amended' : 'preliminary',
    category: [codeable(CATEGORY, code.category, lab ? 'Laboratory' : 'Vital Signs')],
    code: codeable(LOINC, code.code, code.display, code.display),
    subject: reference('Patient', patient.id),
    encounter: reference('Encounter', encounter.id),
    effectiveDateTime: dateTime(effective),
    valueQuantity: { value, unit: code.unit, system: UCUM, code: code.ucum },
  };
  if (lab) {
    resource.issued = new Date(effective + random.int(1, 48) * 3_600_000 + random.int(0, 999)).toISOString();
    const flag = value > code.mean + code.spread ? 'H' : value < code.mean - code.spread ? 'L' : 'N';
    resource.interpretation = [codeable(INTERPRETATION, flag)];
  }
  return resource;
}

function condition(random: Random, patient: PatientFacts, encounter: EncounterFacts, k: number): FhirJson {
  const [code, display, , chronic] = CONDITION_PICKER.pick(random);
  const resolved = !chronic && random.chance(0.9);
  const resource: FhirJson = {
    resourceType: 'Condition', id: `cond-${suffix(patient, k, 2)}`,
    clinicalStatus: codeable('http://terminology.hl7.org/CodeSystem/condition-clinical', resolved ? 'resolved' : 'active'),
    verificationStatus: codeable('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed'),
    category: [codeable('http://terminology.hl7.org/CodeSystem/condition-category', chronic ? 'problem-list-item' : 'encounter-diagnosis')],
    code: codeable(SNOMED, code, display, display),
    subject: reference('Patient', patient.id),
    encounter: reference('Encounter', encounter.id),
    onsetDateTime: dateTime(encounter.startMs),
    recordedDate: dateTime(encounter.startMs + 30 * 60_000),
  };
  if (resolved) resource.abatementDateTime = dateTime(encounter.startMs + random.int(5, 30) * DAY_MS);
  return resource;
}

function medicationRequest(random: Random, patient: PatientFacts, encounter: EncounterFacts, k: number): FhirJson {
  const [code, display] = MEDICATION_PICKER.pick(random);
  const draw = random.next();
  const perDay = random.pick([1, 1, 1, 2, 3]);
  return {
    resourceType: 'MedicationRequest', id: `med-${suffix(patient, k, 2)}`,
    status: draw < 0.5 ? 'active' : draw < 0.9 ? 'completed' : 'stopped',
    intent: 'order',
    medicationCodeableConcept: codeable(RXNORM, code, display, display),
    subject: reference('Patient', patient.id),
    encounter: reference('Encounter', encounter.id),
    authoredOn: dateTime(encounter.startMs + 20 * 60_000),
    requester: reference('Practitioner', random.chance(0.7) ? patient.practitioner : practitionerId(random.int(0, PRACTITIONERS - 1))),
    dosageInstruction: [{
      sequence: 1,
      text: `Take one dose ${perDay === 1 ? 'once' : perDay === 2 ? 'twice' : 'three times'} a day`,
      timing: { repeat: { frequency: perDay, period: 1, periodUnit: 'd' } },
    }],
  };
}

export interface ClinicalCounts {
  observations: number;
  conditions: number;
  medicationRequests: number;
}

export function clinicalResources(random: Random, patient: PatientFacts, encounters: EncounterFacts[], counts: ClinicalCounts): FhirJson[] {
  const at = () => random.pick(encounters);
  return [
    ...Array.from({ length: counts.observations }, (_, k) => observation(random, patient, at(), k)),
    ...Array.from({ length: counts.conditions }, (_, k) => condition(random, patient, at(), k)),
    ...Array.from({ length: counts.medicationRequests }, (_, k) => medicationRequest(random, patient, at(), k)),
  ];
}
