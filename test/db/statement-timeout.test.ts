/**
 * Statement timeouts of queries and transactions (searches run under one): the statement sees the
 * timeout asked for, other statements keep the session's (FLINT_DB_STATEMENT_TIMEOUT_MS, one minute
 * by default), and on PostgreSQL a statement that runs past it is
 * cancelled (57014). PGlite accepts the setting but does not enforce it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FhirError } from '../../src/core/index.js';
import { DEFAULT_DATABASE_TIMEOUTS, PostgresDatabase, QUERY_CANCELED, runTransaction, type Database } from '../../src/db/index.js';
import { sql } from '../../src/sql/index.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../support/test-database.js';

let test: TestDatabase;
let db: Database;

before(async () => {
  test = await openTestDatabase({ empty: true });
  db = test.db;
});
after(async () => { await test.close(); });

const timeoutSetting = sql`SELECT current_setting('statement_timeout') AS timeout`;
/** DEFAULT_DATABASE_TIMEOUTS.statementMs, as PostgreSQL shows it. */
const SESSION = '1min';

async function settingOf(run: Promise<{ rows: { timeout: string }[] }>): Promise<string> {
  return (await run).rows[0].timeout;
}

describe('statement timeouts', () => {
  it('apply to the statement that asks for one, and to no other', async () => {
    assert.equal(DEFAULT_DATABASE_TIMEOUTS.statementMs, 60_000);
    assert.equal(await settingOf(db.query(timeoutSetting, { timeoutMs: 1500 })), '1500ms');
    assert.equal(await settingOf(db.query(timeoutSetting)), SESSION);
    assert.equal(await settingOf(db.query(timeoutSetting, { timeoutMs: 2500, prepare: true })), '2500ms');
    assert.equal(await settingOf(db.query(timeoutSetting, { prepare: true })), SESSION);
  });

  it('apply to every statement of a transaction that asks for one', async () => {
    const settings = await db.transaction(async (tx) => [
      await settingOf(tx.query(timeoutSetting)), await settingOf(tx.query(timeoutSetting)),
    ], { readOnly: true, isolation: 'repeatable-read', timeoutMs: 1500 });
    assert.deepEqual(settings, ['1500ms', '1500ms']);
    assert.equal(await settingOf(db.transaction((tx) => tx.query(timeoutSetting))), SESSION);
  });

  it('hold for any number of different timeouts', async () => {
    for (const ms of [3100, 3200, 3300, 3400]) assert.equal(await settingOf(db.query(timeoutSetting, { timeoutMs: ms })), `${ms}ms`);
    assert.equal(await settingOf(db.query(timeoutSetting)), SESSION);
  });

  const skip = !usingPostgres() && 'the embedded PostgreSQL (PGlite) does not enforce statement_timeout';
  it('cancel a statement that runs longer', { skip }, async () => {
    await assert.rejects(db.query(sql`SELECT pg_sleep(5)`, { timeoutMs: 100 }), (error: { code?: string }) => error.code === QUERY_CANCELED);
    await assert.rejects(db.transaction((tx) => tx.query(sql`SELECT pg_sleep(5)`), { timeoutMs: 100 }),
      (error: { code?: string }) => error.code === QUERY_CANCELED);
    assert.equal((await db.query<{ one: number }>(sql`SELECT 1 AS one`, { timeoutMs: 100 })).rows[0].one, 1);
  });

  it('stop a write that runs over the session timeout; it answers db.statement-timeout and changes nothing', { skip }, async () => {
    const short = new PostgresDatabase({ connectionString: test.url as string, poolSize: 2, timeouts: { statementMs: 200 } });
    try {
      assert.equal(await settingOf(short.query(timeoutSetting)), '200ms');
      await short.query(sql`CREATE TABLE slow_write (n int)`);
      const write = runTransaction(short, async (tx) => {
        await tx.query(sql`INSERT INTO slow_write VALUES (1)`);
        await tx.query(sql`SELECT pg_sleep(2)`);
      }, { isolation: 'read-committed', retries: 0 });
      await assert.rejects(write, (error: unknown) => error instanceof FhirError && error.code === 'db.statement-timeout');
      assert.equal((await short.query<{ n: string }>(sql`SELECT count(*) AS n FROM slow_write`)).rows[0].n, '0');
    } finally {
      await short.close();
    }
  });
});
