/**
 * A receiver that is down for a while gets everything once it is back: the notifications it
 * missed are tried again on the retry schedule (a small base here), and when it starts again on the
 * same port it gets each event exactly once (a refused connection delivered nothing), the versions
 * written, in order per resource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { within } from '../support/eventually.js';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { assertEachEventOnce, assertInOrderPerResource, assertVersions, deliveredEvents, versionOf } from './support/delivered.js';
import { Receiver } from './support/receiver.js';
import { backportSubscription, encounterTopic } from './support/subscriptions.js';

let flint: TestFlint;
const receiver = new Receiver();
let target = '';

const encounter = (status: string) => ({ resourceType: 'Encounter', status, class: { code: 'AMB' }, subject: { reference: 'Patient/p1' } });

async function targetRow(): Promise<{ events: number; delivered: number; failed: number }> {
  const { rows } = await flint.testDb.db.query<{ events: string; delivered: string; failed_attempts: string }>(sql`
    SELECT events, delivered, failed_attempts FROM flint_delivery_target WHERE target = ${target}`);
  return { events: Number(rows[0]?.events ?? 0), delivered: Number(rows[0]?.delivered ?? 0), failed: Number(rows[0]?.failed_attempts ?? 0) };
}

/** Creates an Encounter and updates it twice: its three versions. */
async function writeEncounter(): Promise<string[]> {
  const created = await flint.post('/fhir/Encounter', encounter('planned'));
  assert.equal(created.status, 201, created.text);
  const versions = [versionOf(created.body)];
  for (const status of ['in-progress', 'finished']) {
    const updated = await flint.put(`/fhir/Encounter/${created.body.id}`, { ...encounter(status), id: created.body.id });
    assert.equal(updated.status, 200, updated.text);
    versions.push(versionOf(updated.body));
  }
  return versions;
}

before(async () => {
  flint = await startTestFlint({ changesIntervalMs: 20, subscriptionRetryBaseMs: 50 });
  await receiver.start();
  assert.equal((await flint.post('/fhir/SubscriptionTopic', encounterTopic())).status, 201);
  const created = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: receiver.url, maxCount: 5 }));
  assert.equal(created.status, 201, created.text);
  target = `Subscription/${created.body.id}`;
  await within(10_000, async () => (await flint.get(`/fhir/${target}`)).body.status === 'active');
});
after(async () => {
  await flint?.stop();
  await receiver.stop();
});

describe(`a receiver that is down for a while (${usingPostgresNote()})`, () => {
  it('gets every event after it comes back, each once, in order per resource', async () => {
    const written = [...await writeEncounter(), ...await writeEncounter()];
    await within(10_000, async () => (await targetRow()).delivered === written.length);
    await receiver.stop();
    for (let index = 0; index < 5; index++) written.push(...await writeEncounter());
    // The deliveries fail while it is down (tried again on the schedule), and nothing is marked delivered.
    await within(10_000, async () => {
      const row = await targetRow();
      return row.failed >= 3 && row.events === written.length;
    });
    const down = await targetRow();
    assert.equal(down.delivered, 6, 'nothing is delivered while the receiver is down');
    await receiver.start();
    await within(20_000, async () => (await targetRow()).delivered === written.length);
    const events = deliveredEvents(receiver.received);
    assertEachEventOnce(events, written.length, 'after the outage');
    assertVersions(events, written, 'after the outage');
    assertInOrderPerResource(events, 'after the outage');
    const status = await flint.get(`/fhir/${target}`);
    assert.equal(status.body.status, 'active', 'the Subscription stays active through the outage');
  });
});
