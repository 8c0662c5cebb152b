/**
 * The shared resources every patient's record points at: ~100 Organizations (hospitals and
 * practices, the patients' managing organization and the encounters' service provider) and ~200
 * Practitioners (general practitioners, encounter participants, prescribers).
 */
import { CITIES, FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, ORGANIZATION_KINDS, STREETS } from './names.js';
import { codeable, type FhirJson } from './fhir-json.js';
import { Random } from './random.js';

export const ORGANIZATIONS = 100;
export const PRACTITIONERS = 200;

export const organizationId = (index: number) => `org-${String(index + 1).padStart(3, '0')}`;
export const practitionerId = (index: number) => `prac-${String(index + 1).padStart(4, '0')}`;

const NPI = 'http://hl7.org/fhir/sid/us-npi';

export function phone(random: Random, areaCode: string): string {
  return `+1 ${areaCode}-555-${String(random.int(0, 9999)).padStart(4, '0')}`;
}

export function address(random: Random, city: [string, string, string, string], use: string) {
  return { use, line: [`${random.int(1, 999)} ${random.pick(STREETS)}`], city: city[0], state: city[1],
    postalCode: `${city[2]}${String(random.int(0, 99)).padStart(2, '0')}`, country: 'US' };
}

function organization(seed: number, index: number): FhirJson {
  const random = new Random(seed, 0x0f6, index);
  const city = CITIES[index % CITIES.length];
  const kind = ORGANIZATION_KINDS[Math.floor(index / CITIES.length) % ORGANIZATION_KINDS.length];
  return {
    resourceType: 'Organization', id: organizationId(index),
    identifier: [{ system: NPI, value: String(1_000_000_000 + random.int(0, 899_999_999)) }],
    active: true,
    type: [codeable('http://terminology.hl7.org/CodeSystem/organization-type', 'prov', 'Healthcare Provider')],
    name: `${city[0]} ${kind}`,
    telecom: [{ system: 'phone', value: phone(random, city[3]), use: 'work' }],
    address: [address(random, city, 'work')],
  };
}

function practitioner(seed: number, index: number): FhirJson {
  const random = new Random(seed, 0x9ac, index);
  const female = random.chance(0.5);
  const family = random.pick(FAMILY_NAMES);
  const given = random.pick(female ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES);
  const city = random.pick(CITIES);
  return {
    resourceType: 'Practitioner', id: practitionerId(index),
    identifier: [{ system: NPI, value: String(1_000_000_000 + random.int(0, 899_999_999)) }],
    active: true,
    name: [{ use: 'official', family, given: [given], prefix: ['Dr.'] }],
    telecom: [{ system: 'phone', value: phone(random, city[3]), use: 'work' }],
    address: [address(random, city, 'work')],
    gender: female ? 'female' : 'male',
    qualification: [{ code: codeable('http://terminology.hl7.org/CodeSystem/v2-0360|2.7', 'MD', 'Doctor of Medicine') }],
  };
}

export function directoryResources(seed: number): FhirJson[] {
  return [
    ...Array.from({ length: ORGANIZATIONS }, (_, index) => organization(seed, index)),
    ...Array.from({ length: PRACTITIONERS }, (_, index) => practitioner(seed, index)),
  ];
}
