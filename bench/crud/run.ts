/**
 * `npm run bench -- crud [--seconds 10] [--connections 16]`: the server on the real PostgreSQL,
 * driven over HTTP by autocannon for create, read, update and a 10-entry transaction; then the same
 * SQL statements (the storage module's own functions, so the statements are identical) run
 * directly against PostgreSQL at the same concurrency. Prints req/s, p50/p99 and server/raw.
 */
import autocannon from 'autocannon';
import { newResourceId } from '../../src/core/index.js';
import { PostgresDatabase, runTransaction } from '../../src/db/index.js';
import {
  defaultStorage, insertResource, lockCurrentVersion, readCurrentText, toStoredJson, updateResource,
} from '../../src/storage/index.js';
import { createBenchDatabase } from '../support/bench-database.js';
import { comparisonTable, type Figures } from '../support/latency.js';
import { runRaw } from '../support/raw-runner.js';
import { startBenchServer } from '../support/server-process.js';
import { patient, transactionBundle } from './workload.js';

const SEED_PATIENTS = 2000;
const JSON_HEADERS = { 'content-type': 'application/fhir+json' };

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
}

async function load(name: string, options: autocannon.Options): Promise<Figures> {
  const result = await autocannon(options);
  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures > 0) console.warn(`  ${name}: ${failures} failed requests (non-2xx ${result.non2xx}, errors ${result.errors})`);
  return { name, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function seedPatients(baseUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < SEED_PATIENTS; i++) {
    const response = await fetch(`${baseUrl}/fhir/Patient`, { method: 'POST', headers: { ...JSON_HEADERS, prefer: 'return=minimal' }, body: JSON.stringify(patient(i)) });
    ids.push((response.headers.get('location') as string).split('/')[5]);
  }
  return ids;
}

async function serverFigures(baseUrl: string, seconds: number, connections: number, ids: string[]): Promise<Figures[]> {
  const common = { url: baseUrl, connections, duration: seconds };
  let cursor = 0;
  const nextId = () => ids[cursor++ % ids.length];
  return [
    await load('create', { ...common, requests: [{ method: 'POST', path: '/fhir/Patient', headers: JSON_HEADERS, body: JSON.stringify(patient(1)) }] }),
    await load('read', { ...common, requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/fhir/Patient/${nextId()}` }) }] }),
    await load('update', { ...common, requests: [{ method: 'PUT', headers: JSON_HEADERS, setupRequest: (request) => {
      const id = nextId();
      return { ...request, path: `/fhir/Patient/${id}`, body: JSON.stringify({ ...patient(cursor), id }) };
    } }] }),
    await load('transaction (10 entries)', { ...common, requests: [{ method: 'POST', path: '/fhir', headers: JSON_HEADERS,
      setupRequest: (request) => ({ ...request, body: JSON.stringify(transactionBundle(cursor++)) }) }] }),
  ];
}

async function rawFigures(url: string, seconds: number, connections: number, ids: string[]): Promise<Figures[]> {
  const db = new PostgresDatabase({ connectionString: url, poolSize: connections });
  const patients = defaultStorage('Patient');
  const observations = defaultStorage('Observation');
  const serializable = { isolation: 'serializable' as const, retries: 5 };
  const bundle = transactionBundle(0) as { entry: { resource: Record<string, unknown> }[] };
  try {
    return [
      await runRaw('create', connections, seconds, () => runTransaction(db, (tx) => insertResource(tx, patients, newResourceId(), toStoredJson(patient(1) as never)), serializable)),
      await runRaw('read', connections, seconds, (i) => readCurrentText(db, patients, ids[i % ids.length])),
      await runRaw('update', connections, seconds, (i) => runTransaction(db, async (tx) => {
        const id = ids[i % ids.length];
        await lockCurrentVersion(tx, patients, id);
        return updateResource(tx, patients, id, toStoredJson(patient(i) as never));
      }, serializable)),
      await runRaw('transaction (10 entries)', connections, seconds, () => runTransaction(db, async (tx) => {
        for (const [index, entry] of bundle.entry.entries()) {
          await insertResource(tx, index === 0 ? patients : observations, newResourceId(), toStoredJson(entry.resource as never));
        }
      }, serializable)),
    ];
  } finally {
    await db.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const seconds = option(args, '--seconds', 10);
  const connections = option(args, '--connections', 16);
  const database = await createBenchDatabase('crud');
  console.log(`crud benchmark: ${connections} connections, ${seconds} s per operation, database ${database.name}`);
  try {
    const server = await startBenchServer({ DATABASE_URL: database.url, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', FLINT_DB_POOL_SIZE: String(connections) });
    let measured: Figures[];
    let ids: string[];
    try {
      ids = await seedPatients(server.baseUrl);
      measured = await serverFigures(server.baseUrl, seconds, connections, ids);
    } finally {
      await server.stop();
    }
    const raw = await rawFigures(database.url, seconds, connections, ids);
    console.log(comparisonTable(measured, raw));
  } finally {
    await database.drop();
  }
}
