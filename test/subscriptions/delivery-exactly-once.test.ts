/**
 * In normal operation every event arrives exactly once and in order per resource: eight writers at
 * once create and update Encounters (several writers update the same Encounters), and two
 * Subscriptions to every Encounter change, one sent an event a notification (maxCount 1) and one
 * up to twenty (batches), each get eventNumbers 1..N exactly once, the versions written and no
 * other, each Encounter's versions in increasing order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { within } from '../support/eventually.js';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { assertEachEventOnce, assertInOrderPerResource, assertVersions, deliveredEvents, versionOf } from './support/delivered.js';
import { Receiver } from './support/receiver.js';
import { backportSubscription, encounterTopic } from './support/subscriptions.js';

const WRITERS = 8;
const WRITES_EACH = 125;
/** One write in five creates an Encounter; the others update one of those created so far (by any writer). */
const CREATE_EVERY = 5;

let flint: TestFlint;
const single = new Receiver();
const batched = new Receiver();
const subscriptions: Record<string, string> = {};

const encounter = (status: string) => ({ resourceType: 'Encounter', status, class: { code: 'AMB' }, subject: { reference: 'Patient/p1' } });

async function write(created: string[], writer: number, index: number): Promise<string> {
  if (index % CREATE_EVERY === 0 || created.length === 0) {
    const answer = await flint.post('/fhir/Encounter', encounter('planned'));
    assert.equal(answer.status, 201, answer.text);
    created.push(answer.body.id);
    return versionOf(answer.body);
  }
  const id = created[(writer * 7 + index * 13) % created.length];
  const answer = await flint.put(`/fhir/Encounter/${id}`, { ...encounter(index % 2 ? 'in-progress' : 'finished'), id });
  assert.equal(answer.status, 200, answer.text);
  return versionOf(answer.body);
}

/** The writers, side by side; the versions they wrote. */
async function writeAll(): Promise<string[]> {
  const created: string[] = [];
  const written: string[] = [];
  await Promise.all(Array.from({ length: WRITERS }, async (_, writer) => {
    for (let index = 0; index < WRITES_EACH; index++) written.push(await write(created, writer, index));
  }));
  return written;
}

async function targetCounts(id: string): Promise<{ events: number; delivered: number }> {
  const { rows } = await flint.testDb.db.query<{ events: string; delivered: string }>(sql`
    SELECT events, delivered FROM flint_delivery_target WHERE target = ${`Subscription/${id}`}`);
  return { events: Number(rows[0]?.events ?? 0), delivered: Number(rows[0]?.delivered ?? 0) };
}

before(async () => {
  // One delivery worker per target (no idle ones polling); no AuditEvents, which only slow the writes.
  flint = await startTestFlint({ changesIntervalMs: 100, subscriptionWorkers: 2, audit: 'off' });
  await single.start();
  await batched.start();
  assert.equal((await flint.post('/fhir/SubscriptionTopic', encounterTopic())).status, 201);
  for (const [name, receiver, maxCount] of [['single', single, 1], ['batched', batched, 20]] as const) {
    const created = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: receiver.url, maxCount }));
    assert.equal(created.status, 201, created.text);
    subscriptions[name] = created.body.id;
  }
  for (const id of Object.values(subscriptions)) {
    await within(10_000, async () => (await flint.get(`/fhir/Subscription/${id}`)).body.status === 'active');
  }
});
after(async () => {
  await flint?.stop();
  await single.stop();
  await batched.stop();
});

describe(`${WRITERS * WRITES_EACH} writes from ${WRITERS} writers at once (${usingPostgresNote()})`, () => {
  let written: string[] = [];

  before(async () => {
    written = await writeAll();
    for (const id of Object.values(subscriptions)) {
      await within(60_000, async () => {
        const counts = await targetCounts(id);
        return counts.events === written.length && counts.delivered === counts.events;
      });
    }
  });

  for (const [name, maxCount] of [['single', 1], ['batched', 20]] as const) {
    it(`with maxCount ${maxCount}: each event exactly once, the versions written, in order per resource`, () => {
      const receiver = name === 'single' ? single : batched;
      const events = deliveredEvents(receiver.received);
      assertEachEventOnce(events, written.length, name);
      assertVersions(events, written, name);
      assertInOrderPerResource(events, name);
      const notifications = receiver.ofType('event-notification');
      assert.ok(notifications.every(({ body }) => body.entry.length - 1 <= maxCount), 'no notification carries more than maxCount events');
    });
  }
});
