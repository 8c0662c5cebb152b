/**
 * How $sql gets its role on PostgreSQL: with FLINT_SQL_DATABASE_URL, the role an operator made
 * (granted the reads; refused when it is a superuser); without it, a server role that may not
 * create roles leaves $sql answering 503 sql.sandbox-unavailable, saying how to configure it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { FhirError } from '../../src/core/index.js';
import { PostgresDatabase } from '../../src/db/index.js';
import { lexStatement, openSqlSandbox, type SqlSandbox } from '../../src/sql-api/index.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../support/test-database.js';

const skip = !usingPostgres() && 'roles and logins are PostgreSQL matters; the embedded database has one session';
const suffix = randomBytes(4).toString('hex');
const reader = `flint_reader_${suffix}`;
const limited = `flint_limited_${suffix}`;
let testDb: TestDatabase;

async function admin(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function as(role: string): string {
  const url = new URL(testDb.url as string);
  url.username = role;
  return url.toString();
}

before(async () => {
  if (skip) return;
  testDb = await openTestDatabase();
  await admin(testDb.url as string, `CREATE ROLE ${reader} LOGIN; CREATE ROLE ${limited} LOGIN; GRANT CREATE ON DATABASE ${new URL(testDb.url as string).pathname.slice(1)} TO ${limited}`);
});
after(async () => {
  if (skip) return;
  await testDb.close();
  await admin(process.env.DATABASE_URL as string, `DROP ROLE IF EXISTS ${reader}; DROP ROLE IF EXISTS ${limited}`);
});

const statement = (text: string) => ({
  lexed: lexStatement(text, false), params: [], reading: true, returnsRows: true, readOnly: true, timeoutMs: 10_000, maxRows: 10, maxBytes: 10_000,
});

it('runs as the role of FLINT_SQL_DATABASE_URL, granted the reads', { skip }, async () => {
  const sandbox = await openSqlSandbox(testDb.db, { readOnly: true, databaseUrl: as(reader) });
  assert.equal(sandbox.role, reader);
  const result = await sandbox.run(statement('SELECT current_user AS role, (SELECT count(*) FROM patient) AS n'));
  assert.deepEqual(result.rows.map((row) => JSON.parse(row)), [{ role: reader, n: 0 }]);
});

it('refuses a FLINT_SQL_DATABASE_URL that logs in as a superuser', { skip }, async () => {
  const sandbox = await openSqlSandbox(testDb.db, { readOnly: true, databaseUrl: testDb.url });
  assert.equal(sandbox.role, undefined);
  await assertUnavailable(sandbox);
});

it('answers 503 saying how to configure it when Flint\'s role may not create roles', { skip }, async () => {
  const db = new PostgresDatabase({ connectionString: as(limited), poolSize: 2 });
  try {
    const sandbox = await openSqlSandbox(db, { readOnly: true });
    assert.equal(sandbox.role, undefined);
    await assertUnavailable(sandbox);
  } finally {
    await db.close();
  }
});

async function assertUnavailable(sandbox: SqlSandbox): Promise<void> {
  await assert.rejects(sandbox.run(statement('SELECT 1')), (error: unknown) => {
    assert.ok(error instanceof FhirError);
    assert.equal(error.category, 'busy');
    assert.equal(error.code, 'sql.sandbox-unavailable');
    assert.match(error.message, /FLINT_SQL_DATABASE_URL/);
    return true;
  });
}
