/**
 * Builds the database every test file starts from: the system schema and search functions, the
 * tables of every type the platform serves with auto-mount on (ViewDefinition included) with their
 * default search indexes, and the SQL functions of schema fhir. On the embedded database it writes a PGlite dump to the given file; on a real
 * PostgreSQL (DATABASE_URL) it creates the given database, to be cloned with CREATE DATABASE ...
 * TEMPLATE. Called by scripts/run-tests.mjs before the tests run.
 */
import { writeFile } from 'node:fs/promises';
import pg from 'pg';
import { PgliteDatabase, PostgresDatabase, type Database } from '../src/db/index.js';
import { provisionDatabase } from '../src/server.js';

function provision(db: Database): Promise<void> {
  return provisionDatabase(db, { enableApiAutoMount: true, searchIndexes: 'default' });
}

async function prepareEmbedded(file: string): Promise<void> {
  const db = await PgliteDatabase.open();
  await provision(db);
  const dump = await db.dump();
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
}

async function preparePostgres(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = new PostgresDatabase({ connectionString: url.toString(), poolSize: 2 });
  await provision(db);
  await db.close();
}

const [target] = process.argv.slice(2);
if (!target) throw new Error('usage: prepare-test-template <dump file | database name>');
if (process.env.DATABASE_URL) await preparePostgres(process.env.DATABASE_URL, target);
else await prepareEmbedded(target);
