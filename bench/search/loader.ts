/**
 * Loads generated resources straight into Flint's tables, as Flint stores them (a row per resource:
 * id, txid from transaction_id_seq, ts, cts, resource_type, status 'created', and the resource
 * JSONB without id and resourceType). Rows go in batches of 5,000 (ids as a text[] and resources as
 * newline-separated JSON, unnested in one INSERT ... SELECT), two batches in flight, so memory stays
 * bounded at any scale. The secondary indexes the server created (every index of the loaded tables
 * but the primary keys: txid, ts and the search indexes) are dropped first and rebuilt after the
 * load from their own definitions (`pg_get_indexdef`, what pg_indexes.indexdef shows), checked to
 * be exactly the same names and definitions afterwards, then every table is vacuumed and analyzed.
 * With `readings`, a monitored patient's device readings are inserted too (device-readings.ts).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { quoteIdentifier } from '../../src/sql/index.js';
import type { FhirJson } from './fhir-json.js';
import { insertReadings } from './device-readings.js';
import { generateResources } from './generator.js';

export const LOADED_TYPES = ['Organization', 'Practitioner', 'Patient', 'Encounter', 'Observation', 'Condition', 'MedicationRequest'];
const BATCH = 5000;
const IN_FLIGHT = 2;

export interface LoadFigures {
  rows: number;
  byType: Record<string, number>;
  insertSeconds: number;
  indexSeconds: number;
  indexes: number;
  vacuumSeconds: number;
}

interface Batch {
  ids: string[];
  lines: string[];
}

const tableOf = (type: string) => type.toLowerCase();

async function secondaryIndexes(pool: pg.Pool): Promise<{ name: string; definition: string; table: string }[]> {
  const { rows } = await pool.query<{ name: string; definition: string; table: string }>(`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition, t.relname AS table
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND t.relname = ANY($1)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
    ORDER BY t.relname, i.relname`, [LOADED_TYPES.map(tableOf)]);
  return rows;
}

/** Throws unless the rebuilt indexes are the ones dropped, by name and definition. */
function checkRebuilt(before: { name: string; definition: string }[], after: { name: string; definition: string }[]): void {
  const text = (list: { name: string; definition: string }[]) => new Set(list.map((index) => index.definition));
  const [was, now] = [text(before), text(after)];
  const lost = [...was].filter((definition) => !now.has(definition));
  const added = [...now].filter((definition) => !was.has(definition));
  if (lost.length > 0 || added.length > 0) throw new Error(`the rebuilt indexes differ from the server's: missing ${lost.join('; ') || '-'}; new ${added.join('; ') || '-'}`);
}

async function checkTables(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace AND relname = ANY($1)`,
    [LOADED_TYPES.map(tableOf)]);
  const missing = LOADED_TYPES.map(tableOf).filter((table) => !rows.some((row) => row.name === table));
  if (missing.length > 0) throw new Error(`the server did not create the tables ${missing.join(', ')}`);
}

function insertBatch(pool: pg.Pool, type: string, batch: Batch): Promise<unknown> {
  return pool.query(`
    INSERT INTO ${quoteIdentifier(tableOf(type))} (id, txid, ts, cts, resource_type, status, resource)
    SELECT r.id, nextval('transaction_id_seq'), now(), now(), $3, 'created', r.body::jsonb
    FROM unnest($1::text[], string_to_array($2, E'\\n')) AS r(id, body)`, [batch.ids, batch.lines.join('\n'), type]);
}

/** Runs the statements `IN_FLIGHT` at a time, the slowest (largest tables) first. */
async function runConcurrently(pool: pg.Pool, statements: string[]): Promise<void> {
  const queue = [...statements];
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    const client = await pool.connect();
    try {
      await client.query(`SET maintenance_work_mem = '512MB'`);
      for (let statement = queue.shift(); statement; statement = queue.shift()) await client.query(statement);
    } finally {
      client.release();
    }
  }));
}

async function insertAll(pool: pg.Pool, seed: number, patients: number, byType: Record<string, number>): Promise<number> {
  const batches = new Map<string, Batch>();
  const pending = new Set<Promise<unknown>>();
  let rows = 0;
  const started = performance.now();
  let printed = started;
  const flush = async (type: string, batch: Batch) => {
    while (pending.size >= IN_FLIGHT) await Promise.race(pending);
    const insert = insertBatch(pool, type, batch).finally(() => pending.delete(insert));
    pending.add(insert);
    rows += batch.ids.length;
    if (performance.now() - printed > 1000) {
      printed = performance.now();
      process.stdout.write(`\r  inserted ${rows.toLocaleString('en')} rows, ${Math.round(rows / ((performance.now() - started) / 1000)).toLocaleString('en')} rows/s`);
    }
  };
  for (const resource of generateResources(seed, patients)) {
    const { resourceType, id, ...stored } = resource as FhirJson;
    let batch = batches.get(resourceType);
    if (!batch) batches.set(resourceType, (batch = { ids: [], lines: [] }));
    batch.ids.push(id);
    batch.lines.push(JSON.stringify(stored));
    byType[resourceType] = (byType[resourceType] ?? 0) + 1;
    if (batch.ids.length >= BATCH) {
      batches.delete(resourceType);
      await flush(resourceType, batch);
    }
  }
  for (const [type, batch] of batches) await flush(type, batch);
  await Promise.all(pending);
  process.stdout.write('\n');
  return rows;
}

/** Loads `patients` patients' records into the database at `url`, whose tables the server has created. */
export async function loadResources(url: string, seed: number, patients: number, readings: number): Promise<LoadFigures> {
  const pool = new pg.Pool({ connectionString: url, max: IN_FLIGHT });
  try {
    await checkTables(pool);
    const indexes = await secondaryIndexes(pool);
    for (const index of indexes) await pool.query(`DROP INDEX ${quoteIdentifier(index.name)}`);
    const byType: Record<string, number> = {};
    let mark = performance.now();
    let rows = await insertAll(pool, seed, patients, byType);
    if (readings > 0) {
      rows += await insertReadings(pool, readings);
      byType.Patient += 1;
      byType.Observation += readings;
    }
    const insertSeconds = (performance.now() - mark) / 1000;
    mark = performance.now();
    const rowsIn = (table: string) => byType[LOADED_TYPES.find((type) => tableOf(type) === table) ?? ''] ?? 0;
    const largestFirst = [...indexes].sort((a, b) => rowsIn(b.table) - rowsIn(a.table));
    await runConcurrently(pool, largestFirst.map((index) => index.definition));
    checkRebuilt(indexes, await secondaryIndexes(pool));
    const indexSeconds = (performance.now() - mark) / 1000;
    mark = performance.now();
    await runConcurrently(pool, LOADED_TYPES.map((type) => `VACUUM (ANALYZE) ${quoteIdentifier(tableOf(type))}`));
    return { rows, byType, insertSeconds, indexSeconds, indexes: indexes.length, vacuumSeconds: (performance.now() - mark) / 1000 };
  } finally {
    await pool.end();
  }
}
