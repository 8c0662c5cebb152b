/**
 * A generated Patient as a registration system would send it: an MRN and often an SSN, an official
 * name (sometimes a maiden name too), telecom, gender, birth date, a home address, marital status,
 * a managing Organization and a general practitioner.
 */
import { address, ORGANIZATIONS, organizationId, phone, PRACTITIONERS, practitionerId } from './directory-resources.js';
import { asciiName, codeable, DAY_MS, type FhirJson } from './fhir-json.js';
import { CITIES, FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from './names.js';
import { type Random, WeightedPicker, zipf } from './random.js';

export const MRN_SYSTEM = 'http://hospital.example/mrn';
export const SSN_SYSTEM = 'http://hl7.org/fhir/sid/us-ssn';
/** Ages are counted from here; clinical data spans the ten years before it. */
export const DATA_END = Date.UTC(2025, 0, 1);

export const FAMILY_PICKER = new WeightedPicker(FAMILY_NAMES, zipf(0.6));
const FEMALE_PICKER = new WeightedPicker(FEMALE_GIVEN_NAMES, zipf(0.6));
const MALE_PICKER = new WeightedPicker(MALE_GIVEN_NAMES, zipf(0.6));
const MARITAL = ['M', 'S', 'D', 'W'];

export const patientId = (index: number) => `pat-${String(index + 1).padStart(6, '0')}`;
export const mrn = (index: number) => `MRN-${100_000 + index}`;

/** What other resources of the record, and the benchmark's queries, need to know of the patient. */
export interface PatientFacts {
  index: number;
  id: string;
  family: string;
  birthDate: string;
  birthMs: number;
  organization: string;
  practitioner: string;
}

function identifiers(random: Random, index: number) {
  const list: Record<string, unknown>[] = [{
    use: 'usual', type: codeable('http://terminology.hl7.org/CodeSystem/v2-0203', 'MR', 'Medical record number'),
    system: MRN_SYSTEM, value: mrn(index),
  }];
  if (random.chance(0.7)) {
    list.push({ type: codeable('http://terminology.hl7.org/CodeSystem/v2-0203', 'SS', 'Social Security number'), system: SSN_SYSTEM,
      value: `${random.int(100, 899)}-${String(random.int(1, 99)).padStart(2, '0')}-${String(random.int(1, 9999)).padStart(4, '0')}` });
  }
  return list;
}

function gender(random: Random): string {
  const draw = random.next();
  return draw < 0.51 ? 'female' : draw < 0.995 ? 'male' : draw < 0.998 ? 'other' : 'unknown';
}

export function patientResource(random: Random, index: number): { patient: FhirJson; facts: PatientFacts } {
  const sex = gender(random);
  const female = sex === 'female' || (sex !== 'male' && random.chance(0.5));
  const givenPicker = female ? FEMALE_PICKER : MALE_PICKER;
  const family = FAMILY_PICKER.pick(random);
  const given = [givenPicker.pick(random), ...(random.chance(0.4) ? [givenPicker.pick(random)] : [])];
  const names: Record<string, unknown>[] = [{ use: 'official', family, given }];
  if (female && random.chance(0.15)) names.push({ use: 'maiden', family: FAMILY_PICKER.pick(random), given: [given[0]] });
  const birthMs = DATA_END - random.int(30, 95 * 365) * DAY_MS;
  const birthDate = new Date(birthMs).toISOString().slice(0, 10);
  const city = random.pick(CITIES);
  const organization = organizationId(random.int(0, ORGANIZATIONS - 1));
  const practitioner = practitionerId(random.int(0, PRACTITIONERS - 1));
  const telecom: Record<string, unknown>[] = [{ system: 'phone', value: phone(random, city[3]), use: random.chance(0.6) ? 'mobile' : 'home' }];
  if (random.chance(0.5)) telecom.push({ system: 'email', value: `${asciiName(given[0])}.${asciiName(family)}${index % 1000}@example.com`, use: 'home' });
  const id = patientId(index);
  const patient: FhirJson = {
    resourceType: 'Patient', id,
    identifier: identifiers(random, index),
    active: true,
    name: names,
    telecom,
    gender: sex,
    birthDate,
    address: [address(random, city, 'home')],
    maritalStatus: codeable('http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', random.pick(MARITAL)),
    managingOrganization: { reference: `Organization/${organization}` },
    generalPractitioner: [{ reference: `Practitioner/${practitioner}` }],
  };
  return { patient, facts: { index, id, family, birthDate, birthMs, organization, practitioner } };
}
