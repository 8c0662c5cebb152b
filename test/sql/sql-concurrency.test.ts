/**
 * $sql statements never take what FHIR requests need: with more slow $sql statements in flight
 * than Flint's pool has connections, FHIR reads and /health still answer, the statements beyond
 * FLINT_SQL_MAX_CONCURRENT get 503 sql.busy with Retry-After, and the running ones finish.
 * The statements are "slow" because they wait on an advisory lock the test holds, so nothing
 * depends on the clock. PostgreSQL only: the embedded database has one session for everything.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { usingPostgres } from '../support/test-database.js';

const skip = !usingPostgres() && 'the embedded database has one session: a waiting statement holds it whatever the limit';
const LOCK = 90210;
const IN_FLIGHT = 12;
let flint: TestFlint;
let holder: pg.Client;

before(async () => {
  if (skip) return;
  flint = await startTestFlint({ sqlMaxConcurrent: 2, sqlQueueWaitMs: 100 });
  holder = new pg.Client({ connectionString: flint.testDb.url });
  await holder.connect();
});
after(async () => {
  if (skip) return;
  await holder.end().catch(() => undefined);
  await flint.stop();
});

async function waitingOnLock(): Promise<number> {
  const { rows } = await holder.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [LOCK]);
  return rows[0].n;
}

it('keeps FHIR reads and /health answering while slow $sql statements fill their limit', { skip }, async () => {
  await holder.query('SELECT pg_advisory_lock($1)', [LOCK]);
  let answered = 0;
  const statements = Array.from({ length: IN_FLIGHT }, () =>
    flint.post('/$sql', undefined, { raw: `SELECT pg_advisory_xact_lock(${LOCK}) AS waited`, contentType: 'text/plain' })
      .finally(() => { answered += 1; }));
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  while (await waitingOnLock() < 2) await pause();
  assert.equal((await flint.get('/fhir/Patient?_count=1')).status, 200);
  assert.equal((await flint.get('/health')).status, 200);
  // The two running statements cannot end before the lock is released; every other one is refused.
  while (answered < IN_FLIGHT - 2) await pause();
  await holder.query('SELECT pg_advisory_unlock($1)', [LOCK]);
  const answers = await Promise.all(statements);
  const busy = answers.filter((answer) => answer.status === 503);
  assert.equal(busy.length, IN_FLIGHT - 2);
  assert.deepEqual(answers.filter((answer) => answer.status === 200).map((answer) => answer.body), [[{ waited: '' }], [{ waited: '' }]]);
  for (const answer of busy) {
    assert.deepEqual(issueCodes(answer.body), ['sql.busy']);
    assert.ok(answer.headers['retry-after']);
  }
});
