/**
 * The databases the search benchmark queries. A fresh one per scale: the server starts once on it
 * (creating the tables, the sequence and its default search indexes) and stops, the generated data
 * is loaded, and a comment on the database records what it holds (seed, patients, generator
 * version), written only once the load is complete. `--reuse <name>` reads that comment back and
 * queries the database again without loading it.
 */
import pg from 'pg';
import { createBenchDatabase } from '../support/bench-database.js';
import { type BenchServer, startBenchServer } from '../support/server-process.js';
import { GENERATOR_VERSION } from './generator.js';
import { type LoadFigures, loadResources } from './loader.js';

export interface SearchDatabase {
  name: string;
  url: string;
  patients: number;
  seed: number;
  /** The device readings of the monitored patient (device-readings.ts); 0 for none. */
  readings: number;
  load?: LoadFigures;
  /** Drops the database unless it is kept or reused. */
  release(): Promise<void>;
}

interface Marker {
  bench: 'search';
  generator: number;
  seed: number;
  patients: number;
  readings?: number;
}

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The server as its own process, checked to answer /health. */
export async function startServer(env: Record<string, string>, port: number): Promise<BenchServer> {
  const server = await startBenchServer(env, port);
  const health = await fetch(`${server.baseUrl}/health`).catch((error: Error) => ({ ok: false, status: error.message }));
  if (!health.ok) {
    await server.stop();
    throw new Error(`the server on port ${port} did not become healthy (${health.status})`);
  }
  return server;
}

/** Per table, the number of indexes besides the primary key and the txid and ts indexes every table has. */
export async function searchIndexCounts(client: pg.Client, tables: string[]): Promise<Record<string, number>> {
  const { rows } = await client.query<{ table: string; n: string }>(`
    SELECT tablename AS table, count(*) AS n FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = ANY($1)
      AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_txid' AND indexname NOT LIKE '%\\_ts'
    GROUP BY tablename`, [tables]);
  return Object.fromEntries(tables.map((table) => [table, Number(rows.find((row) => row.table === table)?.n ?? 0)]));
}

export async function loadedDatabase(patients: number, seed: number, readings: number, keep: boolean, port: number): Promise<SearchDatabase> {
  const bench = await createBenchDatabase(`search_${patients}p${readings > 0 ? `_${readings}r` : ''}`);
  try {
    const server = await startServer({ DATABASE_URL: bench.url, LOG_LEVEL: 'warn' }, port);
    await server.stop();
    const load = await loadResources(bench.url, seed, patients, readings);
    const marker: Marker = { bench: 'search', generator: GENERATOR_VERSION, seed, patients, readings };
    await withAdmin((client) => client.query(`COMMENT ON DATABASE ${bench.name} IS '${JSON.stringify(marker)}'`));
    return { name: bench.name, url: bench.url, patients, seed, readings, load, release: () => (keep ? Promise.resolve() : bench.drop()) };
  } catch (error) {
    await bench.drop();
    throw error;
  }
}

export async function reusedDatabase(name: string): Promise<SearchDatabase> {
  const comment = await withAdmin(async (client) => (await client.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [name])).rows[0]);
  if (!comment) throw new Error(`there is no database ${name}`);
  const marker = JSON.parse(comment.comment ?? '{}') as Partial<Marker>;
  if (marker.bench !== 'search' || !marker.patients || marker.seed === undefined) {
    throw new Error(`${name} is not a complete search benchmark database (its comment is ${comment.comment ?? 'empty'})`);
  }
  if (marker.generator !== GENERATOR_VERSION) {
    throw new Error(`${name} was loaded by generator version ${marker.generator}, this is version ${GENERATOR_VERSION}: load it again`);
  }
  return { name, url: databaseUrl(name), patients: marker.patients, seed: marker.seed, readings: marker.readings ?? 0, release: () => Promise.resolve() };
}
