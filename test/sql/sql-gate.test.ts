/**
 * The $sql concurrency limit: at most N statements at once, a bounded wait for a place, then 503
 * sql.busy with Retry-After; a leaving statement hands its place to the first in line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FhirError } from '../../src/core/index.js';
import { SqlGate } from '../../src/sql-api/index.js';

function held(): { promise: Promise<void>; release: () => void } {
  let release = () => undefined as void;
  const promise = new Promise<void>((resolve) => { release = resolve; });
  return { promise, release };
}

describe('SqlGate', () => {
  it('refuses a statement beyond the limit once the wait is over (503 sql.busy, Retry-After)', async () => {
    const gate = new SqlGate(1, 10);
    const first = held();
    const running = gate.run(() => first.promise);
    await assert.rejects(gate.run(async () => 'never'), (error: unknown) => {
      assert.ok(error instanceof FhirError);
      assert.equal(error.category, 'busy');
      assert.equal(error.code, 'sql.busy');
      assert.ok(error.headers['retry-after']);
      return true;
    });
    first.release();
    await running;
    assert.equal(await gate.run(async () => 'after'), 'after');
  });

  it('hands the place of a leaving statement to the one waiting', async () => {
    const gate = new SqlGate(1, 60_000);
    const first = held();
    const order: string[] = [];
    const running = gate.run(async () => { await first.promise; order.push('first'); });
    const waiting = gate.run(async () => { order.push('second'); });
    first.release();
    await Promise.all([running, waiting]);
    assert.deepEqual(order, ['first', 'second']);
  });

  it('frees the place of a statement that failed', async () => {
    const gate = new SqlGate(1, 10);
    await assert.rejects(gate.run(async () => { throw new Error('failed'); }));
    assert.equal(await gate.run(async () => 'next'), 'next');
  });
});
