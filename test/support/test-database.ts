/**
 * A fresh database for one test file: on the real PostgreSQL (DATABASE_URL) a new database created
 * on that server and dropped afterwards; otherwise an embedded PGlite. Tests never share data.
 * When the test runner prepared a template (FLINT_TEST_TEMPLATE: on PostgreSQL a template database
 * on the server; on PGlite a folder holding two data folders, `provisioned` and `empty`), the fresh
 * database starts as a copy of it: CREATE DATABASE ... TEMPLATE, or a copy of the data folder that
 * PGlite opens in place (a file copy costs a fraction of unpacking a dump into PGlite's memory, and
 * of initdb for an empty one). Without a template, PGlite starts in memory, as an empty database.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { PgliteDatabase, PostgresDatabase, type Database } from '../../src/db/index.js';
import { sandboxRoleName } from '../../src/sql-api/index.js';
import { freshDataFolder } from './data-folder.js';

export interface TestDatabase {
  db: Database;
  /** The connection string of the fresh database (real PostgreSQL only). */
  url?: string;
  close(): Promise<void>;
}

export const usingPostgres = (): boolean => Boolean(process.env.DATABASE_URL);

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface TestDatabaseOptions {
  /** Start from an empty database even when a template was prepared (tests of provisioning). */
  empty?: boolean;
}

async function createDatabase(name: string, empty: boolean): Promise<void> {
  const template = process.env.FLINT_TEST_TEMPLATE;
  if (!template || empty) return adminQuery(`CREATE DATABASE ${name}`);
  for (let attempt = 0; ; attempt++) {
    try {
      return await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } catch (error) {
      // Another file may be cloning the same template at this moment.
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
}

/** The names of the embedded templates inside the FLINT_TEST_TEMPLATE folder. */
export const EMBEDDED_TEMPLATES = { provisioned: 'provisioned', empty: 'empty' } as const;

async function openEmbedded(empty: boolean): Promise<TestDatabase> {
  const templates = process.env.FLINT_TEST_TEMPLATE;
  if (!templates) {
    const db = await PgliteDatabase.open();
    return { db, close: () => db.close() };
  }
  const folder = freshDataFolder('test-db', join(templates, empty ? EMBEDDED_TEMPLATES.empty : EMBEDDED_TEMPLATES.provisioned));
  try {
    const db = await PgliteDatabase.open({ dataDir: folder.path });
    return {
      db,
      async close() {
        try {
          await db.close();
        } finally {
          await folder.remove();
        }
      },
    };
  } catch (error) {
    await folder.remove();
    throw error;
  }
}

export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const empty = options.empty === true;
  if (!usingPostgres()) return openEmbedded(empty);
  const name = `flint_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(name, empty);
  const url = withDatabase(process.env.DATABASE_URL as string, name);
  const db = new PostgresDatabase({ connectionString: url, poolSize: 10 });
  return {
    db,
    url,
    async close() {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      // The role $sql ran as belongs to the cluster, not the database: it goes with it.
      await adminQuery(`DROP ROLE IF EXISTS ${sandboxRoleName(name)}`);
    },
  };
}
