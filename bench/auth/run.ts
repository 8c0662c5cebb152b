/**
 * `npm run bench -- auth [--rounds 5] [--seconds 1] [--connections 8]`: what authentication costs,
 * in-process through Fastify's inject (no socket, so the figures are the server's own work) on the
 * real PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else the local server):
 *
 * - tokens/s: POST /auth/token, grant client_credentials, the client's secret by HTTP Basic;
 * - reads/s of GET /fhir/Patient/<id> with a bearer token (a JWT verified on every request), with
 *   HTTP Basic (the client's secret, whose scrypt check is remembered per client), and with
 *   FLINT_AUTH=off (a second server over the same database);
 * - raw PostgreSQL: pg reading the same rows (SELECT resource ... WHERE id = $1), the floor.
 *
 * The ways take turns in slices of --seconds, --rounds times, so the noise of a shared machine falls
 * on all of them alike; each reports its best and median rate, and the ratio of the median to the
 * raw PostgreSQL reads and to the reads with authentication off.
 */
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { readConfig, type FlintConfig } from '../../src/config.js';
import { createFlint, type Flint } from '../../src/server.js';
import { patient } from '../crud/workload.js';
import { createBenchDatabase } from '../support/bench-database.js';
import { option } from '../support/cli-options.js';
import { median, slice, type Way } from '../support/slices.js';

const PATIENTS = 500;
const SECRET = 'bench-secret';
const BASIC = `Basic ${Buffer.from(`bench:${SECRET}`).toString('base64')}`;

function report(ways: Way[]): string {
  const raw = median(ways.find((way) => way.name === 'raw PostgreSQL read')!.rates);
  const off = median(ways.find((way) => way.name === 'read, auth off')!.rates);
  const rows = ['| way | best /s | median /s | vs raw PostgreSQL | vs auth off |', '|---|---|---|---|---|'];
  for (const way of ways) {
    const rate = median(way.rates);
    const reads = way.name.includes('read') && !way.name.startsWith('raw');
    rows.push(`| ${way.name} | ${Math.max(...way.rates).toFixed(0)} | ${rate.toFixed(0)} | ${reads ? `${((rate / raw) * 100).toFixed(0)}%` : ''} | ${reads ? `${((rate / off) * 100).toFixed(0)}%` : ''} |`);
  }
  return rows.join('\n');
}

function config(url: string, auth: 'on' | 'off'): FlintConfig {
  return { ...readConfig({}), databaseUrl: url, logLevel: 'silent', baseUrl: 'http://bench.local/fhir', rootClientSecret: 'bench-root', auth, host: '127.0.0.1' };
}

async function inject(flint: Flint, options: InjectOptions, expected: number): Promise<string> {
  const response = await flint.app.inject(options);
  if (response.statusCode !== expected) throw new Error(`${response.statusCode}: ${response.body.slice(0, 200)}`);
  return response.body;
}

async function seed(flint: Flint): Promise<string[]> {
  const headers = { authorization: 'Basic ' + Buffer.from('root:bench-root').toString('base64'), 'content-type': 'application/fhir+json' };
  await inject(flint, { method: 'PUT', url: '/fhir/Client/bench', headers, payload: JSON.stringify({
    resourceType: 'Client', id: 'bench', secret: SECRET, active: true, grant_types: ['basic', 'client_credentials'], scope: ['system/*.rs'],
  }) }, 201);
  const ids = Array.from({ length: PATIENTS }, (_, i) => `bench-${i}`);
  for (const [i, id] of ids.entries()) {
    await inject(flint, { method: 'PUT', url: `/fhir/Patient/${id}`, headers, payload: JSON.stringify({ ...patient(i), id }) }, 201);
  }
  return ids;
}

async function token(flint: Flint): Promise<string> {
  const body = await inject(flint, {
    method: 'POST', url: '/auth/token', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials',
  }, 200);
  return (JSON.parse(body) as { access_token: string }).access_token;
}

function ways(on: Flint, off: Flint, pool: pg.Pool, ids: string[], bearer: string): Way[] {
  const read = (flint: Flint, authorization?: string) => async (i: number) => {
    await inject(flint, { method: 'GET', url: `/fhir/Patient/${ids[i % ids.length]}`, headers: authorization ? { authorization } : {} }, 200);
  };
  return [
    { name: 'token (client_credentials, Basic)', run: async () => void await token(on), rates: [] },
    { name: 'read, bearer JWT', run: read(on, `Bearer ${bearer}`), rates: [] },
    { name: 'read, HTTP Basic', run: read(on, BASIC), rates: [] },
    { name: 'read, auth off', run: read(off), rates: [] },
    { name: 'raw PostgreSQL read', run: async (i) => void await pool.query('SELECT resource FROM patient WHERE id = $1', [ids[i % ids.length]]), rates: [] },
  ];
}

export async function run(args: string[]): Promise<void> {
  const rounds = option(args, '--rounds', 5);
  const seconds = option(args, '--seconds', 1);
  const connections = option(args, '--connections', 8);
  const database = await createBenchDatabase('auth');
  const on = await createFlint(config(database.url, 'on'));
  const off = await createFlint(config(database.url, 'off'));
  const pool = new pg.Pool({ connectionString: database.url, max: connections });
  try {
    const ids = await seed(on);
    // One token for every bearer read (it lives FLINT_ACCESS_TOKEN_SECONDS, 5 minutes: longer than the run).
    const bearer = await token(on);
    const all = ways(on, off, pool, ids, bearer);
    for (const way of all) await slice(way, 0.3, connections);
    for (const way of all) way.rates = [];
    for (let round = 0; round < rounds; round++) {
      for (const way of all) await slice(way, seconds, connections);
    }
    console.log(`auth: ${rounds} rounds of ${seconds}s per way, ${connections} concurrent requests, in-process (inject)\n`);
    console.log(report(all));
  } finally {
    await pool.end();
    await on.close();
    await off.close();
    await database.drop();
  }
}
