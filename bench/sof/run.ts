/**
 * `npm run bench -- sof [--observations 1000000] [--patients 20000] [--repeats 5]`: SQL on FHIR on
 * the real PostgreSQL. Loads deterministic Observations (bench/sof/observations.ts), starts the
 * server as its own process, stores a ViewDefinition of patient, code, value, unit and effective
 * date and materializes it as the view sof.obs_values. Then:
 * - the same questions asked through the sof view and hand-written over the JSONB table (a filter
 *   and a group by; a group by the patient key), median of several runs, checked to give the same
 *   rows; the aim is the view within 1.2x of the hand-written SQL;
 * - $run streaming every row as ndjson over HTTP, in rows per second, against the same SELECT read
 *   through a cursor directly.
 */
import { performance } from 'node:perf_hooks';
import { createSystemSchema, PostgresDatabase } from '../../src/db/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { addViewDefinitionType, compileView, parseView } from '../../src/sof/index.js';
import { installFhirFunctions } from '../../src/sql-api/index.js';
import { raw, sql } from '../../src/sql/index.js';
import { Platform } from '../../src/platform/index.js';
import { defaultTableName } from '../../src/storage/index.js';
import { createBenchDatabase } from '../support/bench-database.js';
import { startBenchServer } from '../support/server-process.js';
import { insertObservations, insertPatients } from './observations.js';
import { option } from '../support/cli-options.js';

const JSON_HEADERS = { 'content-type': 'application/fhir+json' };
const CHUNK = 100_000;

export const VIEW = {
  resourceType: 'ViewDefinition', name: 'obs_values', status: 'active', resource: 'Observation',
  select: [{ column: [
    { name: 'patient_id', path: 'subject.getReferenceKey(Patient)' },
    { name: 'code', path: 'code.coding.first().code' },
    { name: 'value', path: 'value.ofType(Quantity).value' },
    { name: 'unit', path: 'value.ofType(Quantity).unit' },
    { name: 'effective', path: 'effective.ofType(dateTime)' },
  ] }],
};

const QUERIES: { name: string; sof: string; hand: string }[] = [
  {
    name: 'filter + group by code',
    sof: `SELECT code, count(*) AS n, round(avg(value), 2) AS mean FROM sof.obs_values
          WHERE effective >= '2020-01-01' AND unit <> 'kg' GROUP BY code ORDER BY code`,
    hand: `SELECT resource->'code'->'coding'->0->>'code' AS code, count(*) AS n,
                  round(avg((resource->'valueQuantity'->>'value')::numeric), 2) AS mean
           FROM observation WHERE resource->>'effectiveDateTime' >= '2020-01-01' AND resource->'valueQuantity'->>'unit' <> 'kg'
           GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'one code, group by patient',
    sof: `SELECT patient_id, count(*) AS n, max(value) AS top FROM sof.obs_values WHERE code = '8480-6'
          GROUP BY patient_id ORDER BY n DESC, patient_id LIMIT 10`,
    hand: `SELECT CASE WHEN resource->'subject'->>'reference' LIKE 'Patient/%' THEN split_part(resource->'subject'->>'reference', '/', 2) END AS patient_id,
                  count(*) AS n,
                  max((resource->'valueQuantity'->>'value')::numeric) AS top
           FROM observation WHERE resource->'code'->'coding'->0->>'code' = '8480-6'
           GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
  },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The model the server has: the core types and ViewDefinition. */
async function viewModel() {
  const model = await loadCoreModel();
  addViewDefinitionType(model);
  return model;
}

async function load(db: PostgresDatabase, observations: number, patients: number): Promise<void> {
  await createSystemSchema(db);
  await new Platform({ db, model: await viewModel(), autoMount: true }).provision();
  await installFhirFunctions(db);
  const started = performance.now();
  await insertPatients(db, patients);
  for (let from = 1; from <= observations; from += CHUNK) {
    await insertObservations(db, from, Math.min(observations, from + CHUNK - 1), patients);
    process.stdout.write(`\r  loaded ${Math.min(observations, from + CHUNK - 1).toLocaleString('en')} observations`);
  }
  await db.query(raw('VACUUM ANALYZE observation'));
  await db.query(raw('VACUUM ANALYZE patient'));
  const { rows } = await db.query<{ size: string }>(sql`SELECT pg_size_pretty(pg_total_relation_size('observation')) AS size`);
  console.log(`\n  ${observations.toLocaleString('en')} observations, ${patients.toLocaleString('en')} patients in ${((performance.now() - started) / 1000).toFixed(0)} s; observation table ${rows[0].size}`);
}

async function timed(db: PostgresDatabase, text: string): Promise<{ ms: number; rows: unknown[] }> {
  const started = performance.now();
  const { rows } = await db.query(raw(text));
  return { ms: performance.now() - started, rows };
}

async function compareQueries(db: PostgresDatabase, repeats: number): Promise<void> {
  console.log('\n| query | sof view ms (median) | hand-written ms (median) | sof / hand |');
  console.log('|---|---|---|---|');
  for (const query of QUERIES) {
    const sof: number[] = [];
    const hand: number[] = [];
    const first = [await timed(db, query.sof), await timed(db, query.hand)];
    if (JSON.stringify(first[0].rows) !== JSON.stringify(first[1].rows)) throw new Error(`${query.name}: the two queries disagree`);
    for (let i = 0; i < repeats; i++) {
      const pair = i % 2 === 0 ? [query.sof, query.hand] : [query.hand, query.sof];
      for (const text of pair) (text === query.sof ? sof : hand).push((await timed(db, text)).ms);
    }
    console.log(`| ${query.name} | ${median(sof).toFixed(0)} | ${median(hand).toFixed(0)} | ${(median(sof) / median(hand)).toFixed(2)} |`);
  }
}

async function streamOverHttp(baseUrl: string, id: string): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/fhir/ViewDefinition/${id}/$run?_format=ndjson`);
  if (!response.ok || !response.body) throw new Error(`$run answered ${response.status}`);
  let rows = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) rows += 1;
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

async function streamDirectly(db: PostgresDatabase): Promise<{ rows: number; seconds: number }> {
  const model = await viewModel();
  const compiled = compileView({ model, tableOf: (type) => (model.isResourceType(type) ? defaultTableName(type) : undefined) }, parseView(VIEW));
  const started = performance.now();
  let rows = 0;
  for await (const batch of db.stream<{ row: string }>(sql`SELECT row_to_json(sof_rows.*)::text AS row FROM (${compiled.select()}) AS sof_rows`, 1000)) {
    rows += batch.length;
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

export async function run(args: string[]): Promise<void> {
  const observations = option(args, '--observations', 1_000_000);
  const patients = option(args, '--patients', Math.max(100, Math.round(observations / 50)));
  const repeats = option(args, '--repeats', 5);
  const bench = await createBenchDatabase('sof');
  const db = new PostgresDatabase({ connectionString: bench.url, poolSize: 2 });
  try {
    await load(db, observations, patients);
    // A port of its own: other benchmarks may run on the machine at the same time.
    const server = await startBenchServer({ DATABASE_URL: bench.url, LOG_LEVEL: 'warn', FLINT_DB_POOL_SIZE: '4' }, 18181);
    try {
      const stored = await fetch(`${server.baseUrl}/fhir/ViewDefinition`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(VIEW) });
      if (stored.status !== 201) throw new Error(`storing the ViewDefinition answered ${stored.status}: ${await stored.text()}`);
      const created = await stored.json() as { id: string };
      const materialized = await fetch(`${server.baseUrl}/fhir/ViewDefinition/${created.id}/$materialize`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ resourceType: 'Parameters' }) });
      if (!materialized.ok) throw new Error(`$materialize answered ${materialized.status}`);
      await compareQueries(db, repeats);
      const http = await streamOverHttp(server.baseUrl, created.id);
      const direct = await streamDirectly(db);
      console.log('\n| $run ndjson, every row | rows | seconds | rows/s |');
      console.log('|---|---|---|---|');
      console.log(`| over HTTP (server process) | ${http.rows.toLocaleString('en')} | ${http.seconds.toFixed(1)} | ${Math.round(http.rows / http.seconds).toLocaleString('en')} |`);
      console.log(`| the same SELECT through a cursor, no HTTP | ${direct.rows.toLocaleString('en')} | ${direct.seconds.toFixed(1)} | ${Math.round(direct.rows / direct.seconds).toLocaleString('en')} |`);
      console.log(`\nHTTP/direct: ${((http.rows / http.seconds) / (direct.rows / direct.seconds) * 100).toFixed(0)}%`);
    } finally {
      await server.stop();
    }
  } finally {
    await db.close();
    await bench.drop();
  }
}
