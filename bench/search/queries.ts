/**
 * The benchmark's searches, in the order they are reported, each with the hand-written SQL that
 * answers it with the expressions Flint's own SQL uses (flint-keys.ts: the key functions over the
 * same jsonpath literals, so the same indexes can serve both), ordered as Flint orders a page (the
 * sort keys, then id) and reading the same look-ahead row, so both return the same ids in the same
 * order. Includes are one statement here (a CTE) where the server runs a query per step.
 */
import { FEW_CHAIN_TARGETS } from '../../src/search/index.js';
import { LOINC, SNOMED } from './clinical-codes.js';
import { dateBetween, dateEq, dateGe, instant, keys, newestFirst, prefixPattern, referenceKeys } from './flint-keys.js';
import { mrn, MRN_SYSTEM } from './patient-resource.js';
import { DEFAULT_COUNT, type RawStatement, ROW, type SearchQuery, searchPath } from './search-query.js';

const yearOf = (ms: number) => new Date(ms).getUTCFullYear();
/** ORDER BY id LIMIT <page + look-ahead row>, with the page size for the comparison. */
const byId = (page: number) => ({ order: `ORDER BY id LIMIT ${page + 1}`, page });

/**
 * `Observation?subject=Patient/<id>[&code=<code>]&_sort=-date&_count=1`, the device app's query, for
 * the monitored patient when the data has one (--readings); with the id condition Flint adds.
 */
function latestReading(name: string, code?: string): SearchQuery {
  const coded = code ? `&code=${LOINC}|${code}` : '';
  return {
    name, template: `Observation?subject=Patient/<id>${coded}&_sort=-date&_count=1`, selective: true,
    build(sampler, fhirBase) {
      const id = sampler.readingsPatient();
      const subject = `Patient/${id}`;
      const codeTest = code ? `AND ${keys.code()} && $3::text[]` : '';
      return {
        path: searchPath('Observation', [['subject', subject], ...(code ? [['code', `${LOINC}|${code}`] as [string, string]] : []), ['_sort', '-date'], ['_count', '1']]),
        raw: [{ text: `SELECT ${ROW} FROM observation WHERE ${keys.subject()} && $1::text[] AND ${keys.subjectId()} = $2 ${codeTest}
          ORDER BY ${newestFirst(keys.observationDate)} LIMIT 2`, values: [referenceKeys(fhirBase, subject), id, ...(code ? [[`${LOINC}|${code}`]] : [])], page: 1 }],
      };
    },
  };
}

/** The Observations of a chain's targets: a key array up to FEW_CHAIN_TARGETS targets, else a probe by primary key (chain-condition.ts). */
function chainedObservations(rows: Record<string, unknown>[], values: unknown[], code: string[]): RawStatement {
  const { order, page } = byId(10);
  if (rows.length <= 2 * FEW_CHAIN_TARGETS) {
    return { text: `SELECT ${ROW} FROM observation WHERE ${keys.subject()} && ARRAY(SELECT unnest($1::text[]))::text[] AND ${keys.code()} && $2::text[] ${order}`,
      values: [rows.map((row) => row.k), code], page };
  }
  const id = `CASE WHEN starts_with(key, 'Patient/') THEN substr(key, 9) WHEN starts_with(key, $1) THEN substr(key, length($1) + 1) END`;
  return { text: `SELECT ${ROW} FROM observation WHERE EXISTS (SELECT 1 FROM unnest(${keys.subject()}) AS key
      WHERE EXISTS (SELECT 1 FROM patient AS p WHERE p.id = ${id} AND ${keys.patientName('p.resource')} LIKE flint_norm($2)))
    AND ${keys.code()} && $3::text[] ${order}`, values: [...values, code], page };
}

export const QUERIES: SearchQuery[] = [
  {
    name: 'name prefix', template: 'Patient?name=<3 letters>&_count=10', selective: true,
    build(sampler) {
      const prefix = sampler.namePrefix();
      const { order, page } = byId(10);
      return {
        path: searchPath('Patient', [['name', prefix], ['_count', '10']]),
        raw: [{ text: `SELECT ${ROW} FROM patient WHERE ${keys.patientName()} LIKE flint_norm($1) ${order}`, values: [prefixPattern(prefix)], page }],
      };
    },
  },
  {
    name: 'identifier', template: `Patient?identifier=${MRN_SYSTEM}|MRN-<n>`, selective: true,
    build(sampler) {
      const value = mrn(sampler.patient().facts.index);
      const { order, page } = byId(DEFAULT_COUNT);
      return {
        path: searchPath('Patient', [['identifier', `${MRN_SYSTEM}|${value}`]]),
        raw: [{ text: `SELECT ${ROW} FROM patient WHERE ${keys.identifier()} && $1::text[] ${order}`, values: [[`${MRN_SYSTEM}|${value}`]], page }],
      };
    },
  },
  {
    name: "patient's heart rates since 2020, newest first", template: `Observation?subject=Patient/<id>&code=${LOINC}|8867-4&date=ge2020-01-01&_sort=-date`, selective: true,
    build(sampler, fhirBase) {
      const subject = `Patient/${sampler.patient().facts.id}`;
      return {
        path: searchPath('Observation', [['subject', subject], ['code', `${LOINC}|8867-4`], ['date', 'ge2020-01-01'], ['_sort', '-date']]),
        raw: [{ text: `SELECT ${ROW} FROM observation WHERE ${keys.subject()} && $1::text[] AND ${keys.code()} && $2::text[]
          AND ${dateGe(keys.observationDate, '$3')} AND ${keys.subjectId()} = $4 ORDER BY ${newestFirst(keys.observationDate)} LIMIT ${DEFAULT_COUNT + 1}`,
        values: [referenceKeys(fhirBase, subject), [`${LOINC}|8867-4`], instant('2020-01-01'), subject.slice('Patient/'.length)], page: DEFAULT_COUNT }],
      };
    },
  },
  {
    name: 'glucose above a value', template: `Observation?code=${LOINC}|2339-0&value-quantity=gt<170..260>|http://unitsofmeasure.org|mg/dL&_count=10`, selective: true,
    build(sampler) {
      const threshold = sampler.int(17, 26) * 10;
      const { order, page } = byId(10);
      return {
        path: searchPath('Observation', [['code', `${LOINC}|2339-0`], ['value-quantity', `gt${threshold}|http://unitsofmeasure.org|mg/dL`], ['_count', '10']]),
        raw: [{ text: `SELECT ${ROW} FROM observation WHERE ${keys.code()} && $1::text[]
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(${keys.valueQuantity()}) AS q WHERE ((q->>'value')::numeric > $2::numeric AND q->>'system' = $3 AND q->>'code' = $4)) ${order}`,
        values: [[`${LOINC}|2339-0`], threshold, 'http://unitsofmeasure.org', 'mg/dL'], page }],
      };
    },
  },
  {
    name: 'chained: body weights of patients named', template: `Observation?subject:Patient.name=<family>&code=${LOINC}|29463-7&_count=10`, selective: true,
    build(sampler, fhirBase) {
      const { family } = sampler.familyOfAPatient();
      const targets = `SELECT k FROM patient AS p, unnest(ARRAY['Patient/' || p.id, $1 || p.id]) AS k WHERE ${keys.patientName('p.resource')} LIKE flint_norm($2)`;
      const values = [`${fhirBase}Patient/`, prefixPattern(family)];
      return {
        path: searchPath('Observation', [['subject:Patient.name', family], ['code', `${LOINC}|29463-7`], ['_count', '10']]),
        raw: [{ text: `${targets} LIMIT ${2 * FEW_CHAIN_TARGETS + 1}`, values, then: (rows) => chainedObservations(rows, values, [`${LOINC}|29463-7`]) }],
      };
    },
  },
  {
    name: 'reverse chain: patients with a rare condition', template: `Patient?_has:Condition:subject:code=${SNOMED}|<rare code>&_count=10`, selective: true,
    build(sampler, fhirBase) {
      const code = sampler.rareConditionCode();
      const { order, page } = byId(10);
      const absolute = `${fhirBase}Patient/`;
      return {
        path: searchPath('Patient', [['_has:Condition:subject:code', `${SNOMED}|${code}`], ['_count', '10']]),
        raw: [{ text: `SELECT ${ROW} FROM patient WHERE id IN (
            SELECT CASE WHEN starts_with(k, 'Patient/') THEN substr(k, 9) ELSE substr(k, ${absolute.length + 1}) END
            FROM condition AS c, unnest(${keys.subject('c.resource')}) AS k
            WHERE (starts_with(k, 'Patient/') OR starts_with(k, $1)) AND ${keys.code('c.resource')} && $2::text[]) ${order}`,
        values: [absolute, [`${SNOMED}|${code}`]], page }],
      };
    },
  },
  {
    name: "_include: a patient's prescriptions and prescribers", template: 'MedicationRequest?subject=Patient/<id>&_include=MedicationRequest:requester', selective: true,
    build(sampler, fhirBase) {
      const subject = `Patient/${sampler.patient().facts.id}`;
      return {
        path: searchPath('MedicationRequest', [['subject', subject], ['_include', 'MedicationRequest:requester']]),
        raw: [{ text: `WITH fetched AS (SELECT ${ROW} FROM medicationrequest WHERE ${keys.subject()} && $1::text[] ORDER BY id LIMIT ${DEFAULT_COUNT + 1}),
            page AS (SELECT * FROM fetched ORDER BY id LIMIT ${DEFAULT_COUNT})
          SELECT ${ROW}, 'match' AS mode FROM page UNION ALL
          SELECT ${ROW}, 'include' FROM practitioner WHERE id IN (SELECT substr(k, 14) FROM page, unnest(${keys.requester('page.resource')}) AS k
            WHERE starts_with(k, 'Practitioner/'))`, values: [referenceKeys(fhirBase, subject)] }],
      };
    },
  },
  {
    name: '_revinclude: a patient and its encounters', template: 'Patient?_id=<id>&_revinclude=Encounter:subject', selective: true,
    build(sampler) {
      const id = sampler.patient().facts.id;
      return {
        path: searchPath('Patient', [['_id', id], ['_revinclude', 'Encounter:subject']]),
        raw: [{ text: `(SELECT ${ROW}, 'match' AS mode FROM patient WHERE id = ANY($1::text[]) ORDER BY id LIMIT ${DEFAULT_COUNT + 1}) UNION ALL
          SELECT ${ROW}, 'include' FROM encounter WHERE ${keys.subject()} && $2::text[]`, values: [[id], [`Patient/${id}`]] }],
      };
    },
  },
  {
    name: '_total=accurate of a common code (non-selective)', template: `Observation?code=${LOINC}|8867-4&_total=accurate&_count=10`, selective: false,
    build() {
      const { order, page } = byId(10);
      const code = [`${LOINC}|8867-4`];
      return {
        path: searchPath('Observation', [['code', `${LOINC}|8867-4`], ['_total', 'accurate'], ['_count', '10']]),
        raw: [
          { text: `SELECT ${ROW} FROM observation WHERE ${keys.code()} && $1::text[] ${order}`, values: [code], page },
          { text: `SELECT count(*) AS total FROM observation WHERE ${keys.code()} && $1::text[]`, values: [code], counts: true },
        ],
      };
    },
  },
  {
    name: 'family and birth year', template: 'Patient?family=<family>&birthdate=<year>', selective: true,
    build(sampler) {
      const { record, family } = sampler.familyOfAPatient();
      const year = record.facts.birthDate.slice(0, 4);
      const { order, page } = byId(DEFAULT_COUNT);
      return {
        path: searchPath('Patient', [['family', family], ['birthdate', year]]),
        raw: [{ text: `SELECT ${ROW} FROM patient WHERE ${keys.patientFamily()} LIKE flint_norm($1) AND ${dateEq(keys.patientBirthdate, '$2', '$3')} ${order}`,
          values: [prefixPattern(family), instant(year), instant(String(Number(year) + 1))], page }],
      };
    },
  },
  {
    name: "a patient's encounters not finished (:not)", template: 'Encounter?subject=Patient/<id>&status:not=finished', selective: true,
    build(sampler, fhirBase) {
      const subject = `Patient/${sampler.patient().facts.id}`;
      const { order, page } = byId(DEFAULT_COUNT);
      return {
        path: searchPath('Encounter', [['subject', subject], ['status:not', 'finished']]),
        raw: [{ text: `SELECT ${ROW} FROM encounter WHERE ${keys.subject()} && $1::text[] AND NOT ${keys.status()} && $2::text[] ${order}`,
          values: [referenceKeys(fhirBase, subject), ['finished']], page }],
      };
    },
  },
  {
    name: 'encounters in a week', template: 'Encounter?date=ge<day>&date=lt<day + 7>&_count=10', selective: true,
    build(sampler) {
      const [from, to] = sampler.week();
      const { order, page } = byId(10);
      return {
        path: searchPath('Encounter', [['date', `ge${from}`], ['date', `lt${to}`], ['_count', '10']]),
        raw: [{ text: `SELECT ${ROW} FROM encounter WHERE ${dateBetween(keys.encounterDate, '$1', '$2')} ${order}`,
          values: [instant(from), instant(to)], page }],
      };
    },
  },
  {
    name: "a patient's encounters over three years", template: 'Encounter?subject=Patient/<id>&date=ge<year>&date=lt<year + 3>', selective: true,
    build(sampler, fhirBase) {
      const record = sampler.patient();
      const subject = `Patient/${record.facts.id}`;
      const year = yearOf(sampler.pick(record.encounters).startMs);
      const { order, page } = byId(DEFAULT_COUNT);
      return {
        path: searchPath('Encounter', [['subject', subject], ['date', `ge${year}`], ['date', `lt${year + 3}`]]),
        raw: [{ text: `SELECT ${ROW} FROM encounter WHERE ${keys.subject()} && $1::text[]
          AND ${dateBetween(keys.encounterDate, '$2', '$3')} ${order}`,
        values: [referenceKeys(fhirBase, subject), instant(String(year)), instant(String(year + 3))], page }],
      };
    },
  },
  latestReading("a patient's latest heart rate", '8867-4'),
  latestReading("a patient's latest reading"),
];
