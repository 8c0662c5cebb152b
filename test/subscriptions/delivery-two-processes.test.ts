/**
 * Two server processes on one PostgreSQL database deliver each event once: both write, both run
 * the matcher (one at a time, by its lock) and delivery workers (sharing the targets by their
 * leases), and each of four Subscriptions gets eventNumbers 1..N exactly once, the versions
 * written, in order per resource. Needs PostgreSQL: an embedded database has one process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { within } from '../support/eventually.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { usingPostgres } from '../support/test-database.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { assertEachEventOnce, assertInOrderPerResource, assertVersions, deliveredEvents, versionOf } from './support/delivered.js';
import { Receiver } from './support/receiver.js';
import { deliveringEnv, remote, type RemoteAnswer } from './support/remote-flint.js';
import { backportSubscription, encounterTopic } from './support/subscriptions.js';

const ENCOUNTERS_PER_WRITER = 10;
const SKIP = usingPostgres() ? false : 'needs PostgreSQL: two server processes cannot share one embedded database';

let flint: TestFlint;
let other: ServerProcess;
const receivers = [new Receiver(), new Receiver(), new Receiver(), new Receiver()];
const targets: string[] = [];

const encounter = (status: string, id?: string) => ({ resourceType: 'Encounter', ...(id ? { id } : {}), status, class: { code: 'AMB' }, subject: { reference: 'Patient/p1' } });

type Send = (method: string, path: string, body?: unknown) => Promise<RemoteAnswer>;
const local: Send = (method, path, body) => flint.request(method, path, body);

/** Creates Encounters and updates each twice, through one server; the versions written. */
async function writer(send: Send): Promise<string[]> {
  const versions: string[] = [];
  for (let index = 0; index < ENCOUNTERS_PER_WRITER; index++) {
    const created = await send('POST', '/fhir/Encounter', encounter('planned'));
    assert.equal(created.status, 201, created.text);
    versions.push(versionOf(created.body));
    for (const status of ['in-progress', 'finished']) {
      const updated = await send('PUT', `/fhir/Encounter/${created.body.id}`, encounter(status, created.body.id));
      assert.equal(updated.status, 200, updated.text);
      versions.push(versionOf(updated.body));
    }
  }
  return versions;
}

async function allDelivered(total: number): Promise<boolean> {
  const { rows } = await flint.testDb.db.query<{ events: string; delivered: string }>(sql`
    SELECT events, delivered FROM flint_delivery_target WHERE target = ANY(${targets}::text[])`);
  return rows.length === targets.length && rows.every((row) => Number(row.events) === total && Number(row.delivered) === total);
}

describe('two server processes on one database', { skip: SKIP }, () => {
  before(async () => {
    // The default lease (a minute): no send outlives it, so nothing may arrive twice.
    flint = await startTestFlint({ changesIntervalMs: 20, audit: 'off' });
    other = await startServerProcess({ ...deliveringEnv({ DATABASE_URL: flint.testDb.url as string }), FLINT_SUBSCRIPTION_LEASE_MS: '60000' });
    assert.equal((await flint.post('/fhir/SubscriptionTopic', encounterTopic())).status, 201);
    for (const [index, receiver] of receivers.entries()) {
      await receiver.start();
      const created = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: receiver.url, maxCount: index % 2 ? 5 : 1 }));
      assert.equal(created.status, 201, created.text);
      targets.push(`Subscription/${created.body.id}`);
    }
    for (const target of targets) await within(20_000, async () => (await flint.get(`/fhir/${target}`)).body.status === 'active');
  });
  after(async () => {
    await other?.stop();
    await flint?.stop();
    for (const receiver of receivers) await receiver.stop();
  });

  it('deliver each event once, in order per resource', async (context) => {
    const send: Send = (method, path, body) => remote(other.baseUrl, method, path, body);
    const written = (await Promise.all([writer(local), writer(local), writer(send), writer(send)])).flat();
    await within(30_000, () => allDelivered(written.length));
    const byServer = new Map<string, number>();
    for (const [index, receiver] of receivers.entries()) {
      const events = deliveredEvents(receiver.received);
      assertEachEventOnce(events, written.length, targets[index]);
      assertVersions(events, written, targets[index]);
      assertInOrderPerResource(events, targets[index]);
      for (const event of events) byServer.set(event.server, (byServer.get(event.server) ?? 0) + 1);
    }
    context.diagnostic(`events delivered by each server: ${JSON.stringify(Object.fromEntries(byServer))}`);
  });
});
