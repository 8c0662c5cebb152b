/**
 * The database's memory of used client assertion ids (table flint_used_jti): a jti serves once per
 * client, across store instances (as across server processes), and an expired one neither blocks a
 * new use nor stays after a prune.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DatabaseReplayStore } from '../../src/auth/index.js';
import { sql } from '../../src/sql/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

describe('DatabaseReplayStore', () => {
  let flint: TestFlint;
  before(async () => {
    flint = await startTestFlint();
  });
  after(() => flint.stop());

  const inAMinute = () => Math.floor(Date.now() / 1000) + 60;
  const count = async () => Number((await flint.db.query<{ n: string }>(sql`SELECT count(*) AS n FROM flint_used_jti`)).rows[0].n);

  it('remembers a jti once per client, whichever store instance asks', async () => {
    const one = new DatabaseReplayStore(flint.db).forClient('a');
    const other = new DatabaseReplayStore(flint.db).forClient('a');
    assert.equal(await one.remember('jti-1', inAMinute()), true);
    assert.equal(await other.remember('jti-1', inAMinute()), false);
    assert.equal(await new DatabaseReplayStore(flint.db).forClient('b').remember('jti-1', inAMinute()), true);
  });

  it('lets an expired jti be used again, and prunes expired ones', async () => {
    const store = new DatabaseReplayStore(flint.db).forClient('c');
    const past = Math.floor(Date.now() / 1000) - 10;
    assert.equal(await store.remember('old', past), true);
    assert.equal(await store.remember('old', inAMinute()), true, 'the expired row gave way');
    assert.equal(await store.remember('old', inAMinute()), false);
    assert.equal(await store.remember('gone', past), true);
    const before = await count();
    await store.prune();
    assert.equal(await count(), before - 1);
  });
});
