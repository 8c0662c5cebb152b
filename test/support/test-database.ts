/**
 * A fresh database for one test file: on the real PostgreSQL (DATABASE_URL) a new database created
 * on that server and dropped afterwards; otherwise an in-memory PGlite. Tests never share data.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgliteDatabase, PostgresDatabase, type Database } from '../../src/db/index.js';

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

export async function openTestDatabase(): Promise<TestDatabase> {
  if (!usingPostgres()) {
    const db = await PgliteDatabase.open();
    return { db, close: () => db.close() };
  }
  const name = `flint_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = withDatabase(process.env.DATABASE_URL as string, name);
  const db = new PostgresDatabase({ connectionString: url, poolSize: 10 });
  return {
    db,
    url,
    async close() {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
