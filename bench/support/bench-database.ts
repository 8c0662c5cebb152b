/**
 * A fresh database on the benchmark PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else the
 * local server), dropped afterwards unless BENCH_KEEP=1, with the role the server created for its
 * $sql (a role belongs to the cluster, not the database, so it outlives the database otherwise).
 */
import pg from 'pg';
import { sandboxRoleName } from '../../src/sql-api/index.js';

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_URL;
  const name = `flint_bench_${label}_${Date.now()}`;
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (process.env.BENCH_KEEP === '1') return;
      await admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(server, `DROP ROLE IF EXISTS ${sandboxRoleName(name)}`);
    },
  };
}
