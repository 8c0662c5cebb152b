/**
 * The readings of a monitored patient (`--readings <n>`): one Patient, pat-device, with n vital-sign
 * Observations a bedside device sent, one every 30 seconds back from the end of the data: heart
 * rate, oxygen saturation and respiratory rate in turn, each a LOINC-coded valueQuantity with an
 * effectiveDateTime to the second. Generated inside PostgreSQL (generate_series, batches of
 * 100,000), deterministic, and inserted as Flint stores resources, while the loader has the
 * indexes dropped. The latest-reading queries ask for this patient's newest readings.
 */
import type pg from 'pg';
import { LOINC, UCUM } from './clinical-codes.js';
import { dateTime } from './fhir-json.js';
import { DATA_END } from './patient-resource.js';

export const DEVICE_PATIENT = 'pat-device';

/** [LOINC code, display, UCUM unit, lowest value, spread]; reading g is of kind g % 3. */
export const READING_KINDS: [string, string, string, number, number][] = [
  ['8867-4', 'Heart rate', '/min', 55, 50],
  ['59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '%', 90, 10],
  ['9279-1', 'Respiratory rate', '/min', 10, 14],
];

const BATCH = 100_000;

const KINDS_SQL = READING_KINDS.map(([code, display, unit, low, spread], k) =>
  `(${k}, '${code}', '${display}', '${unit}', ${low}, ${spread})`).join(', ');

/** Reading g (1 = the newest) as Flint stores it. */
const INSERT = `
  INSERT INTO observation (id, txid, ts, cts, resource_type, status, resource)
  SELECT 'dev-' || lpad(g::text, 8, '0'), nextval('transaction_id_seq'), now(), now(), 'Observation', 'created',
    jsonb_build_object(
      'status', 'final',
      'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
        'system', 'http://terminology.hl7.org/CodeSystem/observation-category', 'code', 'vital-signs')))),
      'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', '${LOINC}', 'code', kind.code, 'display', kind.display)), 'text', kind.display),
      'subject', jsonb_build_object('reference', 'Patient/${DEVICE_PATIENT}'),
      'effectiveDateTime', to_char(timestamp '${dateTime(DATA_END - 60_000).replace('T', ' ').replace('Z', '')}' - (g - 1) * interval '30 seconds', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      'valueQuantity', jsonb_build_object('value', kind.low + (g::bigint * 7919) % kind.spread, 'unit', kind.unit, 'system', '${UCUM}', 'code', kind.unit))
  FROM generate_series($1::integer, $2::integer) AS g
  JOIN (VALUES ${KINDS_SQL}) AS kind(k, code, display, unit, low, spread) ON kind.k = g % 3`;

const PATIENT = {
  resourceType: 'Patient',
  name: [{ use: 'official', family: 'Monitor', given: ['Devin'] }],
  gender: 'other',
  birthDate: '1950-06-15',
};

/** Inserts the device patient and its `count` readings; returns the number of rows. */
export async function insertReadings(pool: pg.Pool, count: number): Promise<number> {
  const { resourceType, ...stored } = PATIENT;
  await pool.query(`INSERT INTO patient (id, txid, ts, cts, resource_type, status, resource)
    VALUES ($1, nextval('transaction_id_seq'), now(), now(), $2, 'created', $3::jsonb)`, [DEVICE_PATIENT, resourceType, JSON.stringify(stored)]);
  for (let first = 1; first <= count; first += BATCH) {
    await pool.query(INSERT, [first, Math.min(first + BATCH - 1, count)]);
    process.stdout.write(`\r  inserted ${Math.min(first + BATCH - 1, count).toLocaleString('en')} readings of ${DEVICE_PATIENT}`);
  }
  if (count > 0) process.stdout.write('\n');
  return count + 1;
}
