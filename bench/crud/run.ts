/**
 * `npm run bench -- crud [--seconds 10] [--connections 16] [--rounds 1] [--port 18600]
 * [--only search,read] [--profile <folder>] [--auth bearer|basic|off] [--audit on|reads-off|off]`: the server
 * as its own process on the real PostgreSQL, driven from outside by wrk over 127.0.0.1 for search,
 * read, create, update and a 10-entry transaction; right after each, pgbench (PostgreSQL's own C
 * client, the ceiling) and the Node driver do the same row work at the same concurrency. Prints
 * req/s, p50/p99, the server process's CPU time per request (user + system, steadier than req/s
 * on a shared machine) and the ratios per round, then the range over the rounds. --only picks operations
 * (search, read, create, update, transaction); --profile runs the server with node --cpu-prof and
 * writes its profile to the folder when it stops (summarise it with bench/support/profile-summary.ts).
 * --auth says how each request authenticates: a bearer JWT the server verifies (the default), HTTP
 * Basic with the root client's id and secret, or not at all (FLINT_AUTH=off). --audit sets the
 * audit log (docs/audit.md): every request recorded (on, the default), reads, searches and history
 * not (reads-off: FLINT_AUDIT_READS=off), or nothing (off: FLINT_AUDIT=off).
 */
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { issueAccessToken, newSigningKeyText, signingKeysOf, tokenSettings } from '../../src/access/index.js';
import type { Resource } from '../../src/core/index.js';
import { PostgresDatabase } from '../../src/db/index.js';
import { defaultStorage, insertResource, toStoredJson } from '../../src/storage/index.js';
import { createBenchDatabase } from '../support/bench-database.js';
import { runPgbench } from '../support/pgbench.js';
import { runRaw } from '../support/raw-runner.js';
import { startBenchServer, type BenchServer } from '../support/server-process.js';
import { isWrkAvailable, runWrk } from '../support/wrk.js';
import { nodeWork, type NodeWork } from './node-work.js';
import { createWork, readWork, searchWork, transactionWork, updateWork, type PgbenchWork } from './pgbench-scripts.js';
import { rangeTable, roundTable, type OperationFigures } from './report.js';
import { seedBundles } from './workload.js';
import { createScript, readScript, searchScript, transactionScript, updateScript } from './wrk-scripts.js';
import { option, textOption } from '../support/cli-options.js';

interface Settings {
  seconds: number;
  connections: number;
  rounds: number;
  port: number;
  only?: string[];
  profile?: string;
  auth: BenchAuth;
  audit: BenchAudit;
}

type BenchAuth = 'bearer' | 'basic' | 'off';
type BenchAudit = 'on' | 'reads-off' | 'off';

/** The server's audit settings for --audit. */
const AUDIT_ENV: Record<BenchAudit, Record<string, string>> = {
  on: { FLINT_AUDIT: 'on', FLINT_AUDIT_READS: 'on' },
  'reads-off': { FLINT_AUDIT: 'on', FLINT_AUDIT_READS: 'off' },
  off: { FLINT_AUDIT: 'off' },
};

interface Operation {
  name: string;
  key: string;
  resources: number;
  wrk: string;
  pgbench: PgbenchWork;
}

/** Writes the seeded population with the storage module's own INSERT (the server's rows exactly, without its CPU in a profile). */
async function seed(db: PostgresDatabase): Promise<void> {
  const patients = defaultStorage('Patient');
  for (const bundle of seedBundles(500)) {
    await db.transaction(async (tx) => {
      for (const { resource } of bundle.entry as { resource: Resource }[]) await insertResource(tx, patients, resource.id as string, toStoredJson(resource));
    });
  }
}

/** The page query of Patient?family=Family000&_count=10 as the server builds it ($explain). */
async function searchSql(baseUrl: string, headers: Record<string, string>): Promise<{ text: string; parameters: string[] }> {
  const response = await fetch(`${baseUrl}/fhir/Patient/$explain?family=Family000&_count=10`, { headers });
  const body = await response.json() as { parameter: { name: string; valueString: string }[] };
  const text = body.parameter.find((entry) => entry.name === 'sql')?.valueString as string;
  return { text, parameters: body.parameter.filter((entry) => entry.name === 'parameter').map((entry) => entry.valueString) };
}

function operations(search: { text: string; parameters: string[] }): Operation[] {
  return [
    { name: 'search Patient?family=FamilyNNN&_count=10', key: 'search', resources: 10, wrk: searchScript(), pgbench: searchWork(search.text, search.parameters) },
    { name: 'read', key: 'read', resources: 1, wrk: readScript(), pgbench: readWork() },
    { name: 'create', key: 'create', resources: 1, wrk: createScript(), pgbench: createWork() },
    { name: 'update', key: 'update', resources: 1, wrk: updateScript(), pgbench: updateWork() },
    { name: 'transaction (10 entries)', key: 'transaction', resources: 10, wrk: transactionScript(), pgbench: transactionWork() },
  ];
}

async function measureRound(
  settings: Settings, bench: BenchServer, databaseUrl: string, list: Operation[], node: Record<string, NodeWork>, headers: Record<string, string>,
): Promise<OperationFigures[]> {
  const { seconds, connections } = settings;
  const rows: OperationFigures[] = [];
  for (const operation of list) {
    const cpuBefore = bench.cpuSeconds();
    const server = await runWrk(operation.name, { baseUrl: bench.baseUrl, script: operation.wrk, seconds, connections, headers });
    const serverCpuUs = ((bench.cpuSeconds() - cpuBefore) * 1e6) / (server.requestsPerSecond * seconds);
    const pgbench = await runPgbench(operation.name, { databaseUrl, ...operation.pgbench, seconds, clients: connections });
    const nodeFigures = await runRaw(operation.name, connections, seconds, node[operation.key]);
    rows.push({ name: operation.name, resources: operation.resources, server, serverCpuUs, pgbench, node: nodeFigures });
    console.log(`  ${operation.name}: server ${server.requestsPerSecond.toFixed(0)}/s (${serverCpuUs.toFixed(0)} µs CPU each), pgbench ${pgbench.requestsPerSecond.toFixed(0)}/s, Node pg ${nodeFigures.requestsPerSecond.toFixed(0)}/s`);
  }
  return rows;
}

/** The server's settings and the header every request carries, for the way requests authenticate. */
async function benchCredentials(auth: BenchAuth, port: number): Promise<{ env: Record<string, string>; headers: Record<string, string> }> {
  if (auth === 'off') return { env: { FLINT_AUTH: 'off' }, headers: {} };
  const secret = randomBytes(18).toString('base64url');
  const signingKey = await newSigningKeyText();
  const env = { FLINT_AUTH: 'on', FLINT_ROOT_CLIENT_SECRET: secret, FLINT_AUTH_SIGNING_KEY: signingKey };
  if (auth === 'basic') return { env, headers: { Authorization: `Basic ${Buffer.from(`root:${secret}`).toString('base64')}` } };
  // The token the token endpoint would issue to the root client: signed with the server's key, for its base URL.
  const keys = await signingKeysOf([JSON.parse(signingKey) as JWK]);
  const grant = { clientId: 'root', scopes: ['system/*.cruds'], admin: true };
  const token = await issueAccessToken(keys, tokenSettings(`http://127.0.0.1:${port}/fhir`), grant, 3600);
  return { env, headers: { Authorization: `Bearer ${token}` } };
}

export async function run(args: string[]): Promise<void> {
  const settings: Settings = {
    seconds: option(args, '--seconds', 10), connections: option(args, '--connections', 16),
    rounds: option(args, '--rounds', 1), port: option(args, '--port', 18600),
    only: textOption(args, '--only')?.split(','), profile: textOption(args, '--profile'),
    auth: (textOption(args, '--auth') ?? 'bearer') as BenchAuth,
    audit: (textOption(args, '--audit') ?? 'on') as BenchAudit,
  };
  if (!['bearer', 'basic', 'off'].includes(settings.auth)) throw new Error('--auth must be bearer, basic or off');
  if (!Object.keys(AUDIT_ENV).includes(settings.audit)) throw new Error('--audit must be on, reads-off or off');
  if (!(await isWrkAvailable())) throw new Error('the crud benchmark needs wrk on the PATH (apt-get install wrk)');
  const database = await createBenchDatabase('crud');
  console.log(`crud benchmark: ${settings.connections} connections, ${settings.seconds} s per operation and side, ${settings.rounds} round(s), auth ${settings.auth}, audit ${settings.audit}, database ${database.name}`);
  try {
    const credentials = await benchCredentials(settings.auth, settings.port);
    const env = { DATABASE_URL: database.url, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', FLINT_DB_POOL_SIZE: String(settings.connections), ...credentials.env, ...AUDIT_ENV[settings.audit] };
    const spawned = performance.now();
    const server = await startBenchServer(env, settings.port, settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${settings.profile}`] : []);
    const db = new PostgresDatabase({ connectionString: database.url, poolSize: settings.connections });
    try {
      await seed(db);
      if (settings.profile) console.log(`load starts ${(performance.now() - spawned).toFixed(0)} ms after the server was started (summarise the profile --from-ms that)`);
      const search = await searchSql(server.baseUrl, credentials.headers);
      const list = operations(search).filter((operation) => !settings.only || settings.only.includes(operation.key));
      const node = nodeWork(db, search);
      const rounds: OperationFigures[][] = [];
      for (let round = 1; round <= settings.rounds; round++) {
        console.log(`round ${round}:`);
        rounds.push(await measureRound(settings, server, database.url, list, node, credentials.headers));
        console.log(roundTable(rounds[rounds.length - 1]));
      }
      if (rounds.length > 1) console.log(`\n${rangeTable(rounds)}`);
    } finally {
      await db.close();
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}
