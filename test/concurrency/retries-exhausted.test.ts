/**
 * A serialization failure that outlives the retries is a 409 whose OperationOutcome says the
 * retries ran out (db.retries-exhausted). Made deterministic on the real PostgreSQL: another
 * connection holds the row while a SERIALIZABLE transaction Bundle waits for it, then commits a
 * change of it. The embedded database runs one transaction at a time and cannot conflict.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { usingPostgres } from '../support/test-database.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint({ transactionRetries: 0 }); });
after(async () => { await flint.stop(); });

async function waitForLockWaiter(client: pg.Client): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the transaction Bundle never waited for the row');
}

describe('a conflict after the last retry', { skip: !usingPostgres() && 'needs concurrent transactions (real PostgreSQL)' }, () => {
  it('answers 409 with db.retries-exhausted and writes nothing', async () => {
    const created = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true })).body;
    const holder = new pg.Client({ connectionString: flint.testDb.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("UPDATE patient SET resource = resource || '{\"gender\":\"other\"}' WHERE id = $1", [created.id]);
      const patch = { resourceType: 'Binary', contentType: 'application/json-patch+json',
        data: Buffer.from(JSON.stringify([{ op: 'replace', path: '/active', value: false }])).toString('base64') };
      const pending = flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [
        { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'lost' } } },
        { request: { method: 'PATCH', url: `Patient/${created.id}` }, resource: patch },
      ] });
      const monitor = new pg.Client({ connectionString: flint.testDb.url });
      await monitor.connect();
      try {
        await waitForLockWaiter(monitor);
      } finally {
        await monitor.end();
      }
      await holder.query('COMMIT');
      const answer = await pending;
      assert.equal(answer.status, 409, answer.text);
      assert.deepEqual(issueCodes(answer.body), ['db.retries-exhausted']);
      assert.equal(answer.body.issue[0].code, 'transient');
    } finally {
      await holder.end();
    }
    const patient = (await flint.get(`/fhir/Patient/${created.id}`)).body;
    assert.equal(patient.active, true);
    assert.equal((await flint.get('/fhir/Observation?code:text=lost')).body.total, 0);
  });
});
