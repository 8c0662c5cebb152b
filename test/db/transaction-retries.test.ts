/**
 * runTransaction retries serialization failures and deadlocks; when the retries run out, the 409
 * says so (code db.retries-exhausted) instead of looking like a single conflict.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FhirError } from '../../src/core/index.js';
import { runTransaction, type Database, type TransactionOptions } from '../../src/db/index.js';
import { ALL_QUEUES, MAX_QUEUE_KEYS, RETRY_QUEUE } from '../../src/db/transactions.js';

function databaseFailing(codes: string[]): { db: Database; calls: TransactionOptions[] } {
  const calls: TransactionOptions[] = [];
  const db = {
    kind: 'pglite',
    async transaction<T>(fn: (tx: never) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      calls.push(options);
      const code = codes[calls.length - 1];
      if (code) throw Object.assign(new Error(`failure ${code}`), { code, severity: 'ERROR' });
      return fn(undefined as never);
    },
  } as unknown as Database;
  return { db, calls };
}

describe('transaction retries', () => {
  it('retries serialization failures and deadlocks, keeping the queue keys and adding the retry queue', async () => {
    const { db, calls } = databaseFailing(['40001', '40P01']);
    const result = await runTransaction(db, async () => 'done', { isolation: 'serializable', retries: 3, queue: ['q'] });
    assert.equal(result, 'done');
    const first = [{ key: ALL_QUEUES, shared: true }, { key: 'q' }];
    assert.deepEqual(calls, [
      { isolation: 'serializable', queue: first },
      { isolation: 'serializable', queue: [{ key: RETRY_QUEUE }, ...first] },
      { isolation: 'serializable', queue: [{ key: RETRY_QUEUE }, ...first] },
    ]);
  });

  it('takes queue keys once each, in one order whatever order they come in', async () => {
    const { db, calls } = databaseFailing([]);
    await runTransaction(db, async () => 'done', { isolation: 'read-committed', retries: 0, queue: ['b', 'a', 'b'] });
    assert.deepEqual(calls[0].queue, [{ key: ALL_QUEUES, shared: true }, { key: 'a' }, { key: 'b' }]);
  });

  it('queues a transaction with very many keys alone instead of locking each key', async () => {
    const { db, calls } = databaseFailing([]);
    const keys = Array.from({ length: MAX_QUEUE_KEYS + 1 }, (_, i) => `k${i}`);
    await runTransaction(db, async () => 'done', { isolation: 'serializable', retries: 0, queue: keys });
    assert.deepEqual(calls[0].queue, [{ key: ALL_QUEUES }]);
  });

  it('answers a conflict that says the retries ran out', async () => {
    const { db, calls } = databaseFailing(Array(5).fill('40001'));
    await assert.rejects(runTransaction(db, async () => 'done', { isolation: 'serializable', retries: 2 }), (error: unknown) => {
      assert.ok(error instanceof FhirError);
      assert.equal(error.category, 'conflict');
      assert.equal(error.code, 'db.retries-exhausted');
      assert.equal(error.headers['retry-after'], '1');
      return true;
    });
    assert.equal(calls.length, 3);
  });

  it('does not retry other failures', async () => {
    const { db, calls } = databaseFailing(['23505']);
    await assert.rejects(runTransaction(db, async () => 'done', { isolation: 'serializable', retries: 2 }));
    assert.equal(calls.length, 1);
  });
});
