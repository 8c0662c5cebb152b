/**
 * The events of a transaction Bundle are its writes' events: a committed transaction of several
 * creates and an update delivers an event for each, and a transaction that fails on its last write
 * (a version conflict after its creates ran) delivers none: the next write's event follows the
 * earlier ones with the next eventNumber, and no version of the failed transaction ever arrives.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { within } from '../support/eventually.js';
import { startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { assertEachEventOnce, assertVersions, deliveredEvents, versionOf } from './support/delivered.js';
import { Receiver } from './support/receiver.js';
import { backportSubscription, encounterTopic } from './support/subscriptions.js';

let flint: TestFlint;
const receiver = new Receiver();
let target = '';
const written: string[] = [];
let existing: { id: string; meta: { versionId: string } };

const encounter = (status: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Encounter', status, class: { code: 'AMB' }, subject: { reference: 'Patient/p1' }, ...extra,
});

/** A transaction of three creates (one part of another, by its urn:uuid) and an update of the existing Encounter, whose version it expects. */
function transaction(expectedVersion: string): Record<string, unknown> {
  const parent = `urn:uuid:${randomUUID()}`;
  const post = (resource: Record<string, unknown>, fullUrl = `urn:uuid:${randomUUID()}`) => ({ fullUrl, resource, request: { method: 'POST', url: 'Encounter' } });
  return {
    resourceType: 'Bundle', type: 'transaction', entry: [
      post(encounter('planned'), parent),
      post(encounter('planned', { partOf: { reference: parent } })),
      post(encounter('in-progress')),
      { resource: { ...encounter('finished'), id: existing.id }, request: { method: 'PUT', url: `Encounter/${existing.id}`, ifMatch: `W/"${expectedVersion}"` } },
    ],
  };
}

async function delivered(): Promise<number> {
  const { rows } = await flint.testDb.db.query<{ delivered: string }>(sql`SELECT delivered FROM flint_delivery_target WHERE target = ${target}`);
  return Number(rows[0]?.delivered ?? 0);
}

before(async () => {
  flint = await startTestFlint({ changesIntervalMs: 20, subscriptionRetryBaseMs: 50 });
  await receiver.start();
  assert.equal((await flint.post('/fhir/SubscriptionTopic', encounterTopic())).status, 201);
  const created = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: receiver.url, maxCount: 10 }));
  assert.equal(created.status, 201, created.text);
  target = `Subscription/${created.body.id}`;
  await within(10_000, async () => (await flint.get(`/fhir/${target}`)).body.status === 'active');
  const first = await flint.post('/fhir/Encounter', encounter('planned'));
  assert.equal(first.status, 201, first.text);
  existing = first.body;
  written.push(versionOf(first.body));
});
after(async () => {
  await flint?.stop();
  await receiver.stop();
});

describe(`transactions and their events (${usingPostgresNote()})`, () => {
  it('a committed transaction delivers an event for each of its writes', async () => {
    const answer = await flint.post('/fhir', transaction(existing.meta.versionId));
    assert.equal(answer.status, 200, answer.text);
    const locations: string[] = answer.body.entry.map((entry: any) => entry.response.location.replace(/^.*\/(Encounter\/)/, '$1'));
    assert.equal(locations.length, 4);
    written.push(...locations);
    await within(10_000, async () => await delivered() === written.length);
    const events = deliveredEvents(receiver.received);
    assertEachEventOnce(events, written.length, 'the committed transaction');
    assertVersions(events, written, 'the committed transaction');
  });

  it('a failed transaction delivers none of its writes', async () => {
    const failed = await flint.post('/fhir', transaction(existing.meta.versionId));
    assert.equal(failed.status, 412, failed.text);
    const next = await flint.post('/fhir/Encounter', encounter('cancelled'));
    assert.equal(next.status, 201, next.text);
    written.push(versionOf(next.body));
    await within(10_000, async () => await delivered() === written.length);
    const events = deliveredEvents(receiver.received);
    assertEachEventOnce(events, written.length, 'after the failed transaction');
    assertVersions(events, written, 'after the failed transaction');
    assert.equal(events.at(-1)?.version, versionOf(next.body), 'the next write has the next eventNumber');
  });
});
