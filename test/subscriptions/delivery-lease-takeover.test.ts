/**
 * A worker whose send outlived its lease marks nothing: once another worker has taken the target
 * over, the late answer of the first neither moves the delivered mark (back) nor frees the lease
 * the other holds. Two workers, a short lease and a receiver that answers the POSTs one by one in
 * the order the test chooses: the stale worker's answer comes last, after the new one has moved the
 * mark past it, and the next notification goes on from the mark (it does not repeat an event the
 * receiver acknowledged to the worker that holds the target).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { within } from '../support/eventually.js';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { eventNumbers, Receiver, type Received } from './support/receiver.js';
import { backportSubscription, encounterTopic } from './support/subscriptions.js';

let flint: TestFlint;
const receiver = new Receiver();
let target = '';

const encounter = { resourceType: 'Encounter', status: 'planned', class: { code: 'AMB' }, subject: { reference: 'Patient/p1' } };

async function delivered(): Promise<number> {
  const { rows } = await flint.testDb.db.query<{ delivered: string }>(sql`SELECT delivered FROM flint_delivery_target WHERE target = ${target}`);
  return Number(rows[0]?.delivered ?? 0);
}

/** Waits until `count` POSTs are held, and answers the last of them (still held). */
async function held(count: number): Promise<Received> {
  await within(10_000, async () => receiver.waiting().length >= count);
  return receiver.waiting()[count - 1];
}

before(async () => {
  flint = await startTestFlint({ changesIntervalMs: 20, subscriptionWorkers: 2, subscriptionLeaseMs: 1000 });
  await receiver.start();
  assert.equal((await flint.post('/fhir/SubscriptionTopic', encounterTopic())).status, 201);
  const created = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: receiver.url, maxCount: 1 }));
  assert.equal(created.status, 201, created.text);
  target = `Subscription/${created.body.id}`;
  await within(10_000, async () => (await flint.get(`/fhir/${target}`)).body.status === 'active');
});
after(async () => {
  receiver.release();
  await flint?.stop();
  await receiver.stop();
});

describe(`a send that outlives its lease (${usingPostgresNote()})`, () => {
  it('marks nothing once another worker took the target over', async () => {
    receiver.hold();
    for (let index = 0; index < 3; index++) assert.equal((await flint.post('/fhir/Encounter', encounter)).status, 201);
    // The first worker sends event 1 and waits; its lease runs out and the second sends event 1 again.
    const stale = await held(1);
    const current = await held(2);
    assert.deepEqual([eventNumbers(stale.body), eventNumbers(current.body)], [[1], [1]]);
    // The second one's answers move the mark to 2 and it sends event 3.
    receiver.answer(current);
    const second = await held(2);
    assert.deepEqual(eventNumbers(second.body), [2]);
    receiver.answer(second);
    await within(10_000, async () => receiver.waiting().length === 2 && await delivered() === 2);
    assert.deepEqual(eventNumbers(receiver.waiting()[1].body), [3]);
    // Now the first worker's answer arrives, late.
    receiver.answer(stale);
    const next = await held(2);
    assert.deepEqual(eventNumbers(next.body), [3], 'the next notification goes on from the mark, not from the stale worker\'s event');
    assert.equal(await delivered(), 2, 'the delivered mark did not move back');
    receiver.release();
    await within(10_000, async () => await delivered() === 3);
  });
});
