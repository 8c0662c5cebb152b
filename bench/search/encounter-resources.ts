/**
 * A patient's generated Encounters over the ten years before DATA_END: mostly finished ambulatory
 * visits, some emergency and inpatient stays (a longer period), a few cancelled; recent ones may
 * be planned or still in progress (no end). The service provider is usually the patient's managing
 * organization.
 */
import { ORGANIZATIONS, organizationId, PRACTITIONERS, practitionerId } from './directory-resources.js';
import { ENCOUNTER_CLASSES, SNOMED } from './clinical-codes.js';
import { codeable, dateTime, DAY_MS, type FhirJson, reference } from './fhir-json.js';
import { DATA_END, type PatientFacts } from './patient-resource.js';
import { type Random, WeightedPicker } from './random.js';

export const DATA_START = Date.UTC(2015, 0, 1);
const MINUTE = 60_000;
const CLASS_PICKER = new WeightedPicker(ENCOUNTER_CLASSES, ([, , weight]) => weight);

export interface EncounterFacts {
  id: string;
  startMs: number;
}

/** Older encounters are finished or cancelled; only recent ones are still in progress or planned. */
function status(random: Random, startMs: number): string {
  const draw = random.next();
  if (startMs < DATA_END - 60 * DAY_MS) return draw < 0.95 ? 'finished' : 'cancelled';
  return draw < 0.6 ? 'finished' : draw < 0.85 ? 'in-progress' : 'planned';
}

function durationMs(random: Random, classCode: string): number {
  if (classCode === 'AMB') return random.int(15, 60) * MINUTE;
  if (classCode === 'EMER') return random.int(60, 8 * 60) * MINUTE;
  return random.int(1, 10) * DAY_MS + random.int(0, 23 * 60) * MINUTE;
}

export const encounterId = (patient: PatientFacts, k: number) => `enc-${patient.id.slice(4)}-${String(k + 1).padStart(2, '0')}`;

function encounter(random: Random, patient: PatientFacts, k: number, startMs: number): FhirJson {
  const [classCode, classDisplay, , types] = CLASS_PICKER.pick(random);
  const [typeCode, typeDisplay] = random.pick(types);
  const state = status(random, startMs);
  const period: Record<string, string> = { start: dateTime(startMs) };
  if (state === 'finished' || state === 'cancelled') period.end = dateTime(startMs + durationMs(random, classCode));
  const performer = random.chance(0.7) ? patient.practitioner : practitionerId(random.int(0, PRACTITIONERS - 1));
  const provider = random.chance(0.85) ? patient.organization : organizationId(random.int(0, ORGANIZATIONS - 1));
  return {
    resourceType: 'Encounter', id: encounterId(patient, k),
    status: state,
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: classCode, display: classDisplay },
    type: [codeable(SNOMED, typeCode, typeDisplay, typeDisplay.replace(' (procedure)', ''))],
    subject: reference('Patient', patient.id),
    participant: [{
      type: [codeable('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'PPRF', 'primary performer')],
      individual: reference('Practitioner', performer),
    }],
    period,
    serviceProvider: reference('Organization', provider),
  };
}

/** The encounters of a patient, in date order, and when each started. */
export function encounterResources(random: Random, patient: PatientFacts, count: number): { resources: FhirJson[]; facts: EncounterFacts[] } {
  const from = Math.max(DATA_START, patient.birthMs);
  const starts = Array.from({ length: count }, () => from + Math.floor(random.next() * ((DATA_END - from) / MINUTE)) * MINUTE).sort((a, b) => a - b);
  const resources = starts.map((start, k) => encounter(random, patient, k, start));
  return { resources, facts: resources.map((resource, k) => ({ id: resource.id, startMs: starts[k] })) };
}
