/**
 * Deterministic benchmark data for SQL on FHIR, generated inside PostgreSQL (generate_series), so a
 * million Observations load in about a minute: patients with a name, gender and birth date, and
 * Observations of twenty common LOINC codes (vital signs and labs) with category, subject and
 * encounter references, an effective dateTime over ten years, a valueQuantity in UCUM units,
 * interpretation and a reference range, each about 800 bytes of JSON, as stored (no id, no meta).
 */
import type { Queryable } from '../../src/db/index.js';
import { raw, sql } from '../../src/sql/index.js';

/** code, display, UCUM unit, low and high of the values, category. */
export const CODES: [string, string, string, number, number, string][] = [
  ['8480-6', 'Systolic blood pressure', 'mm[Hg]', 90, 180, 'vital-signs'],
  ['8462-4', 'Diastolic blood pressure', 'mm[Hg]', 50, 110, 'vital-signs'],
  ['8867-4', 'Heart rate', '/min', 45, 140, 'vital-signs'],
  ['9279-1', 'Respiratory rate', '/min', 10, 30, 'vital-signs'],
  ['8310-5', 'Body temperature', 'Cel', 35.5, 40.5, 'vital-signs'],
  ['29463-7', 'Body weight', 'kg', 3, 150, 'vital-signs'],
  ['8302-2', 'Body height', 'cm', 45, 200, 'vital-signs'],
  ['39156-5', 'Body mass index', 'kg/m2', 14, 45, 'vital-signs'],
  ['59408-5', 'Oxygen saturation', '%', 85, 100, 'vital-signs'],
  ['2339-0', 'Glucose', 'mg/dL', 60, 300, 'laboratory'],
  ['4548-4', 'Hemoglobin A1c', '%', 4, 12, 'laboratory'],
  ['2093-3', 'Cholesterol', 'mg/dL', 120, 300, 'laboratory'],
  ['2571-8', 'Triglycerides', 'mg/dL', 40, 400, 'laboratory'],
  ['2085-9', 'HDL cholesterol', 'mg/dL', 20, 100, 'laboratory'],
  ['18262-6', 'LDL cholesterol', 'mg/dL', 40, 220, 'laboratory'],
  ['2160-0', 'Creatinine', 'mg/dL', 0.4, 3, 'laboratory'],
  ['6299-2', 'Urea nitrogen', 'mg/dL', 5, 50, 'laboratory'],
  ['2951-2', 'Sodium', 'mmol/L', 125, 150, 'laboratory'],
  ['2823-3', 'Potassium', 'mmol/L', 3, 6, 'laboratory'],
  ['718-7', 'Hemoglobin', 'g/dL', 8, 18, 'laboratory'],
];

function codesTable() {
  const rows = CODES.map(([code, display, unit, low, high, category], k) =>
    sql`(${k}::int, ${code}::text, ${display}::text, ${unit}::text, ${low}::numeric, ${high}::numeric, ${category}::text)`);
  return sql`(VALUES ${rows.reduce((all, row) => sql`${all}, ${row}`)}) AS c(k, code, display, unit, low, high, category)`;
}

export async function insertPatients(db: Queryable, count: number): Promise<void> {
  await db.query(sql`
    INSERT INTO patient (id, txid, ts, cts, resource_type, status, resource)
    SELECT 'pat-' || g, nextval('transaction_id_seq'), now(), now(), 'Patient', 'created', jsonb_build_object(
      'active', true,
      'gender', CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END,
      'birthDate', to_char(date '1935-01-01' + (g * 7919 % 30000), 'YYYY-MM-DD'),
      'name', jsonb_build_array(jsonb_build_object('use', 'official', 'family', 'Family' || (g % 997), 'given', jsonb_build_array('Given' || (g % 113)))),
      'address', jsonb_build_array(jsonb_build_object('city', 'City' || (g % 50), 'country', 'US')))
    FROM generate_series(1, ${count}::int) AS g`);
}

/** Inserts Observations from..to (1-based, inclusive) for `patients` patients. */
export async function insertObservations(db: Queryable, from: number, to: number, patients: number): Promise<void> {
  await db.query(sql`
    INSERT INTO observation (id, txid, ts, cts, resource_type, status, resource)
    SELECT 'obs-' || g, nextval('transaction_id_seq'), now(), now(), 'Observation', 'created', jsonb_build_object(
      'status', 'final',
      'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
        'system', 'http://terminology.hl7.org/CodeSystem/observation-category', 'code', c.category)))),
      'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://loinc.org', 'code', c.code, 'display', c.display)), 'text', c.display),
      'subject', jsonb_build_object('reference', 'Patient/pat-' || (1 + (g::bigint * 2654435761 % ${patients}::int))),
      'encounter', jsonb_build_object('reference', 'Encounter/enc-' || (g / 7)),
      'effectiveDateTime', to_char(timestamp '2015-01-01' + ((g::bigint * 48271) % 315360000) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      'issued', to_char(timestamp '2015-01-01' + ((g::bigint * 48271) % 315360000 + 3600) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'valueQuantity', jsonb_build_object('value', round(c.low + (g::bigint * 7919 % 1000) / 1000.0 * (c.high - c.low), 1),
        'unit', c.unit, 'system', 'http://unitsofmeasure.org', 'code', c.unit),
      'interpretation', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
        'system', 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', 'code', CASE WHEN g % 5 = 0 THEN 'H' ELSE 'N' END)))),
      'referenceRange', jsonb_build_array(jsonb_build_object('low', jsonb_build_object('value', c.low, 'unit', c.unit),
        'high', jsonb_build_object('value', c.high, 'unit', c.unit))))
    FROM generate_series(${from}::int, ${to}::int) AS g JOIN ${codesTable()} ON c.k = g % ${raw(String(CODES.length))}`);
}
