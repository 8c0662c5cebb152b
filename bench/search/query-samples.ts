/**
 * Picks the values of the benchmark's queries from the generated data, with a PRNG of its own so a
 * run is repeatable: a random existing patient (its record regenerated, not read back), the family
 * names and name prefixes real patients have (so common names come up more often), a rare
 * condition code, a one-week window. Name values are limited to plain ASCII letters whose matches
 * cannot depend on accent folding, so the hand-written SQL (ILIKE) and the server must agree.
 */
import { RARE_CONDITION_CODES } from './clinical-codes.js';
import { DEVICE_PATIENT } from './device-readings.js';
import { DATA_START } from './encounter-resources.js';
import { DAY_MS } from './fhir-json.js';
import { type PatientRecord, patientRecord } from './generator.js';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from './names.js';
import { DATA_END } from './patient-resource.js';
import { Random } from './random.js';

const ALL_NAMES = [...FAMILY_NAMES, ...FEMALE_GIVEN_NAMES, ...MALE_GIVEN_NAMES];
const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** True when `prefix` matches the same names with and without accent folding. */
export function foldingSafe(prefix: string): boolean {
  if (!/^[A-Za-z]+$/.test(prefix)) return false;
  const lower = prefix.toLowerCase();
  return ALL_NAMES.every((name) => fold(name).startsWith(lower) === name.toLowerCase().startsWith(lower));
}

/** What the loaded data holds: its seed, its patients, and the device readings of the monitored patient. */
export interface SampledData {
  seed: number;
  patients: number;
  readings: number;
}

export class Sampler {
  private readonly random: Random;
  private readonly seed: number;
  private readonly patients: number;
  private readonly readings: number;

  /** `stream` gives each query its own draws. */
  constructor(data: SampledData, stream: number) {
    ({ seed: this.seed, patients: this.patients, readings: this.readings } = data);
    this.random = new Random(data.seed, stream, 0x5a3);
  }

  /** The id of the patient whose latest readings are asked for: the monitored one when loaded, else a random one. */
  readingsPatient(): string {
    return this.readings > 0 ? DEVICE_PATIENT : this.patient().facts.id;
  }

  int(min: number, max: number): number {
    return this.random.int(min, max);
  }

  pick<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }

  patient(): PatientRecord {
    return patientRecord(this.seed, this.random.int(0, this.patients - 1));
  }

  /** A patient whose family name can be searched for safely, and that name. */
  familyOfAPatient(): { record: PatientRecord; family: string } {
    for (;;) {
      const record = this.patient();
      if (foldingSafe(record.facts.family)) return { record, family: record.facts.family };
    }
  }

  /** The first three letters of a real patient's family name. */
  namePrefix(): string {
    for (;;) {
      const prefix = this.patient().facts.family.slice(0, 3);
      if (foldingSafe(prefix)) return prefix;
    }
  }

  rareConditionCode(): string {
    return this.random.pick(RARE_CONDITION_CODES);
  }

  /** A random week inside the data: [start, end) as YYYY-MM-DD. */
  week(): [string, string] {
    const start = DATA_START + this.random.int(0, Math.floor((DATA_END - DATA_START) / DAY_MS) - 7) * DAY_MS;
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    return [day(start), day(start + 7 * DAY_MS)];
  }
}
