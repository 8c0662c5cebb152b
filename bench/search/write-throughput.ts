/**
 * What search indexes cost writes: POST /fhir/Observation (realistic generated Observations, a
 * different one each request) driven by autocannon against three servers, each on a fresh
 * database: one with the default search indexes (FLINT_SEARCH_INDEXES=default), one with them but
 * the reference-and-date btree dropped (what that index costs), one with none
 * (FLINT_SEARCH_INDEXES=none). All run side by side and take turns in 2-second slices (the order
 * alternating), so a busy moment of a shared machine falls on both alike; req/s counts every slice,
 * p50 and p99 are the medians of the slices'. The number of search indexes on each observation table
 * (besides id, txid and ts) is reported too, so a setting the server ignores is visible.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { type BenchDatabase, createBenchDatabase } from '../support/bench-database.js';
import type { Figures } from '../support/latency.js';
import type { BenchServer } from '../support/server-process.js';
import { patientRecord } from './generator.js';
import { searchIndexCounts, startServer } from './search-database.js';

export interface WriteFigures extends Figures {
  indexes: number;
  failures: number;
}

type Mode = 'default' | 'default without the reference-date index' | 'none';
const MODES: Mode[] = ['default', 'default without the reference-date index', 'none'];
const SLICE_SECONDS = 2;
const JSON_HEADERS = { 'content-type': 'application/fhir+json' };

interface Subject {
  mode: Mode;
  database: BenchDatabase;
  server: BenchServer;
  requests: number;
  seconds: number;
  p50s: number[];
  p99s: number[];
  failures: number;
}

/** A thousand different Observation bodies, without ids, as a client would POST them. */
function observationBodies(seed: number): string[] {
  const bodies: string[] = [];
  for (let index = 0; bodies.length < 1000; index++) {
    for (const resource of patientRecord(seed, index).resources) {
      if (resource.resourceType !== 'Observation') continue;
      const { id: _id, ...body } = resource;
      bodies.push(JSON.stringify(body));
    }
  }
  return bodies;
}

async function observationIndexes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await searchIndexCounts(client, ['observation'])).observation;
  } finally {
    await client.end();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function slice(subject: Subject, bodies: string[], connections: number, seconds: number, counted: boolean): Promise<void> {
  let cursor = 0;
  const result = await autocannon({ url: subject.server.baseUrl, connections, duration: seconds, requests: [{
    method: 'POST', path: '/fhir/Observation', headers: JSON_HEADERS,
    setupRequest: (request) => ({ ...request, body: bodies[cursor++ % bodies.length] }),
  }] });
  if (!counted) return;
  subject.requests += result['2xx'];
  subject.seconds += result.duration;
  subject.p50s.push(result.latency.p50);
  subject.p99s.push(result.latency.p99);
  subject.failures += result.non2xx + result.errors + result.timeouts;
}

/** Drops the btree on the subject's id and the date sort key (src/search/search-indexes.ts) of observation. */
async function dropReferenceDateIndex(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'observation' AND indexdef LIKE '%flint_reference_id%'`);
    for (const { name } of rows) await client.query(`DROP INDEX "${name}"`);
  } finally {
    await client.end();
  }
}

async function startSubject(mode: Mode, options: CreateOptions, port: number): Promise<Subject> {
  const database = await createBenchDatabase(`search_writes_${mode === 'none' ? 'none' : 'default'}`);
  try {
    const server = await startServer({ DATABASE_URL: database.url, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      FLINT_DB_POOL_SIZE: String(options.connections), FLINT_SEARCH_INDEXES: mode === 'none' ? 'none' : 'default' }, port);
    if (mode !== 'default' && mode !== 'none') await dropReferenceDateIndex(database.url);
    return { mode, database, server, requests: 0, seconds: 0, p50s: [], p99s: [], failures: 0 };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

export interface CreateOptions {
  seconds: number;
  connections: number;
  port: number;
  seed: number;
}

/** Create throughput with the default search indexes, without the reference-date one, and with none, in that order. */
export async function compareCreates(options: CreateOptions): Promise<WriteFigures[]> {
  const bodies = observationBodies(options.seed);
  const subjects: Subject[] = [];
  try {
    for (const [k, mode] of MODES.entries()) subjects.push(await startSubject(mode, options, options.port + 1 + k));
    for (const subject of subjects) await slice(subject, bodies, options.connections, SLICE_SECONDS, false);
    const rounds = Math.max(1, Math.round(options.seconds / SLICE_SECONDS));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? subjects : [...subjects].reverse();
      for (const subject of order) await slice(subject, bodies, options.connections, SLICE_SECONDS, true);
    }
    const figures = [];
    for (const subject of subjects) {
      if (subject.failures > 0) console.warn(`  create (${subject.mode}): ${subject.failures} failed requests`);
      figures.push({ name: `create, ${subject.mode === 'none' ? 'FLINT_SEARCH_INDEXES=none' : `FLINT_SEARCH_INDEXES=${subject.mode}`}`, requestsPerSecond: subject.requests / subject.seconds,
        p50: median(subject.p50s), p99: median(subject.p99s), indexes: await observationIndexes(subject.database.url), failures: subject.failures });
    }
    return figures;
  } finally {
    for (const subject of subjects) {
      await subject.server.stop();
      await subject.database.drop();
    }
  }
}
