/**
 * The benchmark's searches, in the order they are reported, each with the hand-written SQL that
 * answers it over the JSONB tables with plain operators (->, ->>, @>, ILIKE), ordered as Flint orders
 * a page (the sort keys, then id) so both return the same ids.
 */
import { LOINC, SNOMED } from './clinical-codes.js';
import { mrn, MRN_SYSTEM } from './patient-resource.js';
import { containing, DEFAULT_COUNT, nameStartsWith, ROW, type SearchQuery, searchPath, startsWith } from './search-query.js';

const loinc = (code: string) => `resource->'code'->'coding' @> '${containing({ system: LOINC, code })}'`;
const subjectIs = `resource->'subject'->>'reference' = $1`;
const yearOf = (ms: number) => new Date(ms).getUTCFullYear();

export const QUERIES: SearchQuery[] = [
  {
    name: 'name prefix', template: 'Patient?name=<3 letters>&_count=10', selective: true,
    build(sampler) {
      const prefix = sampler.namePrefix();
      return {
        path: searchPath('Patient', [['name', prefix], ['_count', '10']]),
        raw: [{ text: `SELECT ${ROW} FROM patient WHERE ${nameStartsWith(`resource->'name'`, '$1')} ORDER BY id LIMIT 10`, values: [startsWith(prefix)] }],
      };
    },
  },
  {
    name: 'identifier', template: `Patient?identifier=${MRN_SYSTEM}|MRN-<n>`, selective: true,
    build(sampler) {
      const value = mrn(sampler.patient().facts.index);
      return {
        path: searchPath('Patient', [['identifier', `${MRN_SYSTEM}|${value}`]]),
        raw: [{ text: `SELECT ${ROW} FROM patient WHERE resource->'identifier' @> $1::jsonb ORDER BY id LIMIT ${DEFAULT_COUNT}`,
          values: [containing({ system: MRN_SYSTEM, value })] }],
      };
    },
  },
  {
    name: "patient's heart rates since 2020, newest first", template: `Observation?subject=Patient/<id>&code=${LOINC}|8867-4&date=ge2020-01-01&_sort=-date`, selective: true,
    build(sampler) {
      const subject = `Patient/${sampler.patient().facts.id}`;
      return {
        path: searchPath('Observation', [['subject', subject], ['code', `${LOINC}|8867-4`], ['date', 'ge2020-01-01'], ['_sort', '-date']]),
        raw: [{ text: `SELECT ${ROW} FROM observation WHERE ${subjectIs} AND ${loinc('8867-4')} AND resource->>'effectiveDateTime' >= '2020-01-01'
          ORDER BY resource->>'effectiveDateTime' DESC, id LIMIT ${DEFAULT_COUNT}`, values: [subject] }],
      };
    },
  },
  {
    name: 'glucose above a value', template: `Observation?code=${LOINC}|2339-0&value-quantity=gt<170..260>|http://unitsofmeasure.org|mg/dL&_count=10`, selective: true,
    build(sampler) {
      const threshold = sampler.int(17, 26) * 10;
      return {
        path: searchPath('Observation', [['code', `${LOINC}|2339-0`], ['value-quantity', `gt${threshold}|http://unitsofmeasure.org|mg/dL`], ['_count', '10']]),
        raw: [{ text: `SELECT ${ROW} FROM observation WHERE ${loinc('2339-0')} AND (resource->'valueQuantity'->>'value')::numeric > $1
          AND resource->'valueQuantity'->>'system' = 'http://unitsofmeasure.org' AND resource->'valueQuantity'->>'code' = 'mg/dL'
          ORDER BY id LIMIT 10`, values: [threshold] }],
      };
    },
  },
  {
    name: 'chained: body weights of patients named', template: `Observation?subject:Patient.name=<family>&code=${LOINC}|29463-7&_count=10`, selective: true,
    build(sampler) {
      const { family } = sampler.familyOfAPatient();
      return {
        path: searchPath('Observation', [['subject:Patient.name', family], ['code', `${LOINC}|29463-7`], ['_count', '10']]),
        raw: [{ text: `SELECT ${ROW} FROM observation WHERE ${loinc('29463-7')} AND resource->'subject'->>'reference' IN (
            SELECT 'Patient/' || p.id FROM patient p WHERE ${nameStartsWith(`p.resource->'name'`, '$1')})
          ORDER BY id LIMIT 10`, values: [startsWith(family)] }],
      };
    },
  },
  {
    name: 'reverse chain: patients with a rare condition', template: `Patient?_has:Condition:subject:code=${SNOMED}|<rare code>&_count=10`, selective: true,
    build(sampler) {
      const code = sampler.rareConditionCode();
      return {
        path: searchPath('Patient', [['_has:Condition:subject:code', `${SNOMED}|${code}`], ['_count', '10']]),
        raw: [{ text: `SELECT ${ROW} FROM patient WHERE id IN (
            SELECT substring(c.resource->'subject'->>'reference' FROM 9) FROM condition c
            WHERE c.resource->'code'->'coding' @> $1::jsonb AND c.resource->'subject'->>'reference' LIKE 'Patient/%')
          ORDER BY id LIMIT 10`, values: [containing({ system: SNOMED, code })] }],
      };
    },
  },
  {
    name: "_include: a patient's prescriptions and prescribers", template: 'MedicationRequest?subject=Patient/<id>&_include=MedicationRequest:requester', selective: true,
    build(sampler) {
      const subject = `Patient/${sampler.patient().facts.id}`;
      return {
        path: searchPath('MedicationRequest', [['subject', subject], ['_include', 'MedicationRequest:requester']]),
        raw: [{ text: `WITH page AS (SELECT ${ROW} FROM medicationrequest WHERE ${subjectIs} ORDER BY id LIMIT ${DEFAULT_COUNT})
          SELECT ${ROW} FROM page UNION ALL
          SELECT ${ROW} FROM practitioner WHERE id IN (SELECT substring(resource->'requester'->>'reference' FROM 14) FROM page
            WHERE resource->'requester'->>'reference' LIKE 'Practitioner/%')`, values: [subject] }],
      };
    },
  },
  {
    name: "_revinclude: a patient and its encounters", template: 'Patient?_id=<id>&_revinclude=Encounter:subject', selective: true,
    build(sampler) {
      const id = sampler.patient().facts.id;
      return {
        path: searchPath('Patient', [['_id', id], ['_revinclude', 'Encounter:subject']]),
        raw: [{ text: `SELECT ${ROW} FROM patient WHERE id = $1 UNION ALL
          SELECT ${ROW} FROM encounter WHERE resource->'subject'->>'reference' = 'Patient/' || $1`, values: [id] }],
      };
    },
  },
  {
    name: '_total=accurate of a common code (non-selective)', template: `Observation?code=${LOINC}|8867-4&_total=accurate&_count=10`, selective: false,
    build() {
      return {
        path: searchPath('Observation', [['code', `${LOINC}|8867-4`], ['_total', 'accurate'], ['_count', '10']]),
        raw: [
          { text: `SELECT ${ROW} FROM observation WHERE ${loinc('8867-4')} ORDER BY id LIMIT 10`, values: [] },
          { text: `SELECT count(*) AS total FROM observation WHERE ${loinc('8867-4')}`, values: [], counts: true },
        ],
      };
    },
  },
  {
    name: 'family and birth year', template: 'Patient?family=<family>&birthdate=<year>', selective: true,
    build(sampler) {
      const { record, family } = sampler.familyOfAPatient();
      const year = record.facts.birthDate.slice(0, 4);
      return {
        path: searchPath('Patient', [['family', family], ['birthdate', year]]),
        raw: [{ text: `SELECT ${ROW} FROM patient WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(resource->'name') AS n WHERE n->>'family' ILIKE $1)
          AND resource->>'birthDate' >= $2 AND resource->>'birthDate' < $3 ORDER BY id LIMIT ${DEFAULT_COUNT}`,
        values: [startsWith(family), year, String(Number(year) + 1)] }],
      };
    },
  },
  {
    name: "a patient's encounters not finished (:not)", template: 'Encounter?subject=Patient/<id>&status:not=finished', selective: true,
    build(sampler) {
      const subject = `Patient/${sampler.patient().facts.id}`;
      return {
        path: searchPath('Encounter', [['subject', subject], ['status:not', 'finished']]),
        raw: [{ text: `SELECT ${ROW} FROM encounter WHERE ${subjectIs} AND resource->>'status' IS DISTINCT FROM 'finished'
          ORDER BY id LIMIT ${DEFAULT_COUNT}`, values: [subject] }],
      };
    },
  },
  {
    name: 'encounters in a week', template: 'Encounter?date=ge<day>&date=lt<day + 7>&_count=10', selective: true,
    build(sampler) {
      const [from, to] = sampler.week();
      return {
        path: searchPath('Encounter', [['date', `ge${from}`], ['date', `lt${to}`], ['_count', '10']]),
        raw: [{ text: `SELECT ${ROW} FROM encounter WHERE (resource->'period'->>'end' IS NULL OR resource->'period'->>'end' >= $1)
          AND resource->'period'->>'start' < $2 ORDER BY id LIMIT 10`, values: [from, to] }],
      };
    },
  },
  {
    name: "a patient's encounters over three years", template: 'Encounter?subject=Patient/<id>&date=ge<year>&date=lt<year + 3>', selective: true,
    build(sampler) {
      const record = sampler.patient();
      const subject = `Patient/${record.facts.id}`;
      const year = yearOf(sampler.pick(record.encounters).startMs);
      return {
        path: searchPath('Encounter', [['subject', subject], ['date', `ge${year}`], ['date', `lt${year + 3}`]]),
        raw: [{ text: `SELECT ${ROW} FROM encounter WHERE ${subjectIs} AND (resource->'period'->>'end' IS NULL OR resource->'period'->>'end' >= $2)
          AND resource->'period'->>'start' < $3 ORDER BY id LIMIT ${DEFAULT_COUNT}`, values: [subject, String(year), String(year + 3)] }],
      };
    },
  },
];
