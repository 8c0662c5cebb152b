/**
 * `npm run bench -- access [--rounds 5] [--seconds 1] [--connections 8]`: what access control and
 * the audit log cost, in-process through Fastify's inject (no socket, so the figures are the
 * server's own work) on the real PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else the local
 * server). 200 Patients with 20 Observations each; the same reads, searches and creates:
 *
 * - without auth (FLINT_AUTH=off, no audit): the reference;
 * - as patient-facing apps: a bearer token with patient/ scopes and a launch patient, under an
 *   AccessPolicy that narrows rows to the user's own Observations and Patient, with read auditing
 *   off, and with read auditing on (every read and search queued and written within a second);
 * - raw PostgreSQL: pg reading the same Observation by id, the floor.
 *
 * The ways take turns in slices of --seconds, --rounds times, so the noise of a shared machine falls
 * on all of them alike; each reports its median rate and the ratio to the same operation without auth.
 */
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { issueAccessToken, tokenSettings } from '../../src/access/index.js';
import { readConfig, type FlintConfig } from '../../src/config.js';
import { createFlint, type Flint } from '../../src/server.js';
import { observation, patient } from '../crud/workload.js';
import { createBenchDatabase } from '../support/bench-database.js';
import { option } from '../support/cli-options.js';
import { median, slice, type Way as SlicedWay } from '../support/slices.js';

const PATIENTS = 200;
const OBSERVATIONS_EACH = 20;
/** The patients the apps act for (one token each, taking turns). */
const APP_PATIENTS = 20;
const BASE_URL = 'http://bench.local/fhir';
const ROOT = `Basic ${Buffer.from('root:bench-root').toString('base64')}`;

type AuditMode = 'off' | 'reads-off' | 'on';

interface Way extends SlicedWay {
  operation: string;
}

function config(url: string, auth: 'on' | 'off', audit: AuditMode): FlintConfig {
  return {
    ...readConfig({}), databaseUrl: url, logLevel: 'silent', baseUrl: BASE_URL, rootClientSecret: 'bench-root', auth, host: '127.0.0.1',
    audit: audit === 'off' ? 'off' : 'on', auditReads: audit === 'on' ? 'on' : 'off',
  };
}

async function inject(flint: Flint, options: InjectOptions, expected: number): Promise<string> {
  const response = await flint.app.inject(options);
  if (response.statusCode !== expected) throw new Error(`${options.method} ${options.url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
  return response.body;
}

const put = (flint: Flint, resource: Record<string, unknown>) => inject(flint, {
  method: 'PUT', url: `/fhir/${resource.resourceType}/${resource.id}`, payload: JSON.stringify(resource),
  headers: { authorization: ROOT, 'content-type': 'application/fhir+json' },
}, 201);

/** The population, the users of the apps' patients, the app's client and its narrowing policy. */
async function seed(flint: Flint): Promise<void> {
  for (let p = 0; p < PATIENTS; p++) {
    const entry = [{ resource: { ...patient(p), id: `p-${p}` }, request: { method: 'PUT', url: `Patient/p-${p}` } },
      ...Array.from({ length: OBSERVATIONS_EACH }, (_, k) => ({ resource: { ...observation(`Patient/p-${p}`, k), id: `o-${p}-${k}` }, request: { method: 'PUT', url: `Observation/o-${p}-${k}` } }))];
    await inject(flint, { method: 'POST', url: '/fhir', payload: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry }), headers: { authorization: ROOT, 'content-type': 'application/fhir+json' } }, 200);
  }
  for (let p = 0; p < APP_PATIENTS; p++) await put(flint, { resourceType: 'User', id: `u-${p}`, email: `u${p}@bench.local`, fhirUser: { reference: `Patient/p-${p}` } });
  await put(flint, { resourceType: 'Client', id: 'bench-app', grant_types: ['authorization_code'] });
  await put(flint, {
    resourceType: 'AccessPolicy', id: 'bench-app-own-data', engine: 'allow', link: [{ reference: 'Client/bench-app' }],
    rows: ['Observation?subject={{user.fhirUser}}', 'Patient?_id={{context.patient}}'],
  });
}

/** One token per app patient, as the authorization server would issue after a patient launch. */
async function tokens(flint: Flint): Promise<string[]> {
  const scopes = ['launch/patient', 'patient/Observation.cruds', 'patient/Patient.rs'];
  return Promise.all(Array.from({ length: APP_PATIENTS }, (_, p) => issueAccessToken(flint.signingKeys, tokenSettings(BASE_URL), {
    clientId: 'bench-app', userId: `u-${p}`, fhirUser: `Patient/p-${p}`, launch: { patient: `p-${p}` }, scopes, admin: false,
  }, 3600)));
}

function operations(flint: Flint, header: (p: number) => Record<string, string>): Omit<Way, 'name' | 'rates'>[] {
  const patientOf = (i: number) => i % APP_PATIENTS;
  return [
    { operation: 'read', run: async (i) => void await inject(flint, { method: 'GET', url: `/fhir/Observation/o-${patientOf(i)}-${i % OBSERVATIONS_EACH}`, headers: header(patientOf(i)) }, 200) },
    { operation: 'search', run: async (i) => void await inject(flint, { method: 'GET', url: `/fhir/Observation?subject=Patient/p-${patientOf(i)}&_count=10`, headers: header(patientOf(i)) }, 200) },
    {
      operation: 'create', run: async (i) => void await inject(flint, {
        method: 'POST', url: '/fhir/Observation', payload: JSON.stringify(observation(`Patient/p-${patientOf(i)}`, i)),
        headers: { ...header(patientOf(i)), 'content-type': 'application/fhir+json' },
      }, 201),
    },
  ];
}

function ways(servers: Record<string, Flint>, pool: pg.Pool, bearers: string[]): Way[] {
  const all: Way[] = [];
  const as = (p: number) => ({ authorization: `Bearer ${bearers[p]}` });
  for (const [name, flint] of Object.entries(servers)) {
    const header = name === 'no auth' ? () => ({}) : as;
    for (const operation of operations(flint, header)) all.push({ ...operation, name, rates: [] });
  }
  all.push({
    name: 'raw PostgreSQL', operation: 'read', rates: [],
    run: async (i) => void await pool.query('SELECT resource FROM observation WHERE id = $1', [`o-${i % APP_PATIENTS}-${i % OBSERVATIONS_EACH}`]),
  });
  return all;
}

function report(all: Way[]): string {
  const rows = ['| operation | way | median /s | best /s | vs no auth |', '|---|---|---|---|---|'];
  for (const way of all) {
    const reference = all.find((other) => other.name === 'no auth' && other.operation === way.operation);
    const ratio = reference && way !== reference ? `${((median(way.rates) / median(reference.rates)) * 100).toFixed(0)}%` : '';
    rows.push(`| ${way.operation} | ${way.name} | ${median(way.rates).toFixed(0)} | ${Math.max(...way.rates).toFixed(0)} | ${ratio} |`);
  }
  return rows.join('\n');
}

export async function run(args: string[]): Promise<void> {
  const rounds = option(args, '--rounds', 5);
  const seconds = option(args, '--seconds', 1);
  const connections = option(args, '--connections', 8);
  const database = await createBenchDatabase('access');
  const servers: Record<string, Flint> = {
    'no auth': await createFlint(config(database.url, 'off', 'off')),
    'patient token + policy, read audit off': await createFlint(config(database.url, 'on', 'reads-off')),
    'patient token + policy, read audit on': await createFlint(config(database.url, 'on', 'on')),
  };
  const pool = new pg.Pool({ connectionString: database.url, max: connections });
  try {
    await seed(servers['no auth']);
    const bearers = await tokens(servers['patient token + policy, read audit on']);
    const all = ways(servers, pool, bearers);
    for (const way of all) await slice(way, 0.3, connections);
    for (const way of all) way.rates = [];
    for (let round = 0; round < rounds; round++) {
      for (const way of all) await slice(way, seconds, connections);
    }
    console.log(`access: ${rounds} rounds of ${seconds}s per way, ${connections} concurrent requests, in-process (inject)\n`);
    console.log(report(all.sort((a, b) => a.operation.localeCompare(b.operation))));
  } finally {
    await pool.end();
    for (const flint of Object.values(servers)) await flint.close();
    await database.drop();
  }
}
