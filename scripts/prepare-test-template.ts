/**
 * Builds the database every test file starts from: the system schema and search functions, the
 * tables of every type the platform serves with auto-mount on (ViewDefinition included) with their
 * default search indexes, and the SQL functions of schema fhir. On a real PostgreSQL (DATABASE_URL)
 * it creates the given database, to be cloned with CREATE DATABASE ... TEMPLATE. On the embedded
 * database it makes two data folders in the given folder, to be copied and opened in place:
 * `provisioned` (the above) and `empty` (initdb only, for the tests of provisioning), each unpacked
 * from a PGlite dump as a server's first start unpacks the embedded template. Called by
 * scripts/run-tests.mjs before the tests run.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { PgliteDatabase, PostgresDatabase, unpackDataFolder, type Database } from '../src/db/index.js';
import { provisionDatabase } from '../src/server.js';
import { EMBEDDED_TEMPLATES } from '../test/support/test-database.js';

function provision(db: Database): Promise<void> {
  return provisionDatabase(db, { enableApiAutoMount: true, searchIndexes: 'default' });
}

/** Writes the database's dump and unpacks it into `folder`. */
async function unpackCopy(db: PgliteDatabase, folder: string): Promise<void> {
  const dump = `${folder}.tgz`;
  await mkdir(folder, { recursive: true });
  await writeFile(dump, Buffer.from(await (await db.dump()).arrayBuffer()));
  await unpackDataFolder(dump, folder);
  await rm(dump);
}

async function prepareEmbedded(folder: string): Promise<void> {
  const db = await PgliteDatabase.open();
  try {
    await unpackCopy(db, join(folder, EMBEDDED_TEMPLATES.empty));
    await provision(db);
    await unpackCopy(db, join(folder, EMBEDDED_TEMPLATES.provisioned));
  } finally {
    await db.close();
  }
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
if (!target) throw new Error('usage: prepare-test-template <folder | database name>');
if (process.env.DATABASE_URL) await preparePostgres(process.env.DATABASE_URL, target);
else await prepareEmbedded(target);
