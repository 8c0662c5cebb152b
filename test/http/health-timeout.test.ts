/**
 * /health answers within FLINT_HEALTH_TIMEOUT_MS even when the database cannot answer in time: 503,
 * status fail, output "timed out", Retry-After. The embedded database is one session, so a
 * transaction that holds it keeps the check waiting (on PostgreSQL the check has a connection of its
 * own: test/db/connection-faults.test.ts; a frozen server: test/faults).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { usingPostgres } from '../support/test-database.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint({ healthTimeoutMs: 200 }); });
after(async () => { await flint.stop(); });

describe('/health with a database that does not answer in time', { skip: usingPostgres() && 'the embedded database only (one session)' }, () => {
  it('answers 503 fail, timed out, within its timeout, and 200 again once the database answers', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const holding = flint.db.transaction(async (tx) => {
      await tx.query(sql`SELECT 1`);
      await gate;
    });
    try {
      const health = await flint.get('/health');
      assert.equal(health.status, 503);
      assert.equal(health.body.status, 'fail');
      assert.match(health.body.checks.database.output, /timed out/);
      assert.equal(health.headers['retry-after'], '5');
    } finally {
      release();
      await holding;
    }
    assert.equal((await flint.get('/health')).status, 200);
  });
});
