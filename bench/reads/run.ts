/**
 * `npm run bench -- reads [--rounds 5] [--seconds 1] [--connections 8] [--decimals N]`: what a read
 * costs the server process, over 2,000 Patients (the crud benchmark's, with N extensions holding
 * decimals such as 72.50 when --decimals is given) on the real PostgreSQL, three ways:
 *
 * - text: the server's read (storage readCurrentText): PostgreSQL builds the resource's JSON text
 *   and Node passes it on;
 * - object: the read before it (readCurrent): the driver parses the jsonb (parseFhirJson, which
 *   keeps decimal texts), fromRow rebuilds the resource, stringifyFhirJson writes it;
 * - object, JSON.parse: the same with the driver's JSON.parse and JSON.stringify (before decimals
 *   kept their text).
 *
 * The ways take turns in slices of --seconds, --rounds times, so the noise of a shared machine
 * falls on all of them alike; each reports its best and median reads/s and the median Node CPU time
 * per read (process.cpuUsage), which other processes disturb less than wall time.
 */
import pg from 'pg';
import { newResourceId, parseFhirJson, stringifyFhirJson, type Resource } from '../../src/core/index.js';
import { createSystemSchema, PostgresDatabase, runTransaction } from '../../src/db/index.js';
import { compile, sql } from '../../src/sql/index.js';
import {
  defaultStorage, fromRow, insertResource, provisionTables, readCurrent, readCurrentText, toStoredJson, type ResourceRow,
} from '../../src/storage/index.js';
import { createBenchDatabase } from '../support/bench-database.js';
import { patient } from '../crud/workload.js';
import { option } from '../support/cli-options.js';

const PATIENTS = 2000;

interface Way {
  name: string;
  read: (id: string) => Promise<string>;
  rates: number[];
  cpu: number[];
}

async function slice(way: Way, ids: string[], seconds: number, connections: number): Promise<void> {
  let done = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const text = await way.read(ids[done++ % ids.length]);
      if (text.length < 10) throw new Error(`${way.name}: empty answer`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const cpu = process.cpuUsage(cpuStart);
  way.rates.push(done / ((performance.now() - start) / 1000));
  way.cpu.push((cpu.user + cpu.system) / done);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function report(ways: Way[]): string {
  const rows = ['| read | best reads/s | median reads/s | Node CPU µs per read (median) | CPU vs object |', '|---|---|---|---|---|'];
  const object = ways.find((way) => way.name === 'object')!;
  for (const way of ways) {
    const ratio = `${((median(way.cpu) / median(object.cpu)) * 100).toFixed(0)}%`;
    rows.push(`| ${way.name} | ${Math.max(...way.rates).toFixed(0)} | ${median(way.rates).toFixed(0)} | ${median(way.cpu).toFixed(0)} | ${ratio} |`);
  }
  return rows.join('\n');
}

/** The crud benchmark's Patient, with `decimals` extensions whose values keep their text (72.50). */
function benchPatient(i: number, decimals: number): Resource {
  const base = JSON.stringify(patient(i));
  if (decimals === 0) return JSON.parse(base) as Resource;
  const extensions = Array.from({ length: decimals }, (_, n) => `{"url":"http://example.org/measure-${n}","valueDecimal":${n}.50}`);
  return parseFhirJson(`${base.slice(0, -1)},"extension":[${extensions.join(',')}]}`) as Resource;
}

async function seed(db: PostgresDatabase, decimals: number): Promise<string[]> {
  const patients = defaultStorage('Patient');
  await createSystemSchema(db);
  await provisionTables(db, [patients]);
  const ids = Array.from({ length: PATIENTS }, () => newResourceId());
  for (let start = 0; start < ids.length; start += 200) {
    await runTransaction(db, async (tx) => {
      for (let i = start; i < start + 200; i++) await insertResource(tx, patients, ids[i], toStoredJson(benchPatient(i, decimals)));
    }, { isolation: 'read-committed', retries: 0 });
  }
  return ids;
}

export async function run(args: string[]): Promise<void> {
  const rounds = option(args, '--rounds', 5);
  const seconds = option(args, '--seconds', 1);
  const connections = option(args, '--connections', 8);
  const database = await createBenchDatabase('reads');
  console.log(`reads benchmark: ${connections} concurrent reads, ${rounds} rounds of ${seconds} s per way, database ${database.name}`);
  const db = new PostgresDatabase({ connectionString: database.url, poolSize: connections });
  // The driver's own JSON.parse for jsonb; timestamps and bigints as text, as the server reads them.
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 1184 || oid === 20 ? (value: string) => value : pg.types.getTypeParser(oid, format ?? 'text')) };
  const plain = new pg.Pool({ connectionString: database.url, max: connections, options: '-c TimeZone=UTC', types });
  try {
    const ids = await seed(db, option(args, '--decimals', 0));
    const patients = defaultStorage('Patient');
    const plainQuery = (id: string) => compile(sql`SELECT id, txid, ts, resource_type, status, resource FROM patient WHERE id = ${id}`);
    const ways: Way[] = [
      { name: 'text', rates: [], cpu: [], read: async (id) => (await readCurrentText(db, patients, id))!.text },
      { name: 'object', rates: [], cpu: [], read: async (id) => stringifyFhirJson((await readCurrent(db, patients, id))!.resource) },
      { name: 'object, JSON.parse', rates: [], cpu: [], read: async (id) => {
        const { text, values } = plainQuery(id);
        const { rows } = await plain.query({ name: 'plain_read', text, values });
        return JSON.stringify(fromRow(rows[0] as ResourceRow).resource);
      } },
    ];
    for (const way of ways) await slice(way, ids, 0.5, connections);
    for (const way of ways) [way.rates.length, way.cpu.length] = [0, 0];
    for (let round = 0; round < rounds; round++) for (const way of ways) await slice(way, ids, seconds, connections);
    console.log(report(ways));
  } finally {
    await plain.end();
    await db.close();
    await database.drop();
  }
}
