/**
 * At least once across a crash: a server process delivering a Subscription's events to a slow
 * receiver is killed with SIGKILL halfway through (a notification in flight, not yet acknowledged),
 * and a fresh process on the same database takes the target over once the dead one's lease ran
 * out: every eventNumber arrives, every version written arrives, each resource's versions in order;
 * the one in flight may arrive twice (counted in the message). Real processes, on the embedded data
 * folder or on a fresh real PostgreSQL database.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freshDataFolder } from '../support/data-folder.js';
import { within } from '../support/eventually.js';
import { startServerProcess } from '../support/server-process.js';
import { EMBEDDED_TEMPLATES, openTestDatabase, usingPostgres } from '../support/test-database.js';
import { usingPostgresNote } from '../support/test-server.js';
import {
  assertEachEventAtLeastOnce, assertInOrderPerResource, assertVersions, deliveredEvents, duplicates, versionOf,
} from './support/delivered.js';
import { Receiver } from './support/receiver.js';
import { deliveringEnv, remote } from './support/remote-flint.js';
import { backportSubscription, encounterTopic } from './support/subscriptions.js';

const ENCOUNTERS = 20;
/** Each Encounter is created and updated twice. */
const VERSIONS = ENCOUNTERS * 3;
/** Longer than the writes take, so the dead process's lease is the only thing the next one waits for. */
const LEASE_MS = '5000';

const encounter = (status: string, id?: string) => ({ resourceType: 'Encounter', ...(id ? { id } : {}), status, class: { code: 'AMB' }, subject: { reference: 'Patient/p1' } });

async function writeEncounter(baseUrl: string): Promise<string[]> {
  const created = await remote(baseUrl, 'POST', '/fhir/Encounter', encounter('planned'));
  assert.equal(created.status, 201, created.text);
  const versions = [versionOf(created.body)];
  for (const status of ['in-progress', 'finished']) {
    const updated = await remote(baseUrl, 'PUT', `/fhir/Encounter/${created.body.id}`, encounter(status, created.body.id));
    assert.equal(updated.status, 200, updated.text);
    versions.push(versionOf(updated.body));
  }
  return versions;
}

/** Four writers side by side; the versions they wrote. */
async function writeAll(baseUrl: string): Promise<string[]> {
  const writers = Array.from({ length: 4 }, async () => {
    const versions: string[] = [];
    for (let index = 0; index < ENCOUNTERS / 4; index++) versions.push(...await writeEncounter(baseUrl));
    return versions;
  });
  return (await Promise.all(writers)).flat();
}

async function subscribe(baseUrl: string, receiver: Receiver): Promise<void> {
  assert.equal((await remote(baseUrl, 'POST', '/fhir/SubscriptionTopic', encounterTopic())).status, 201);
  const created = await remote(baseUrl, 'POST', '/fhir/Subscription', backportSubscription({ endpoint: receiver.url, maxCount: 1 }));
  assert.equal(created.status, 201, created.text);
  await within(20_000, async () => (await remote(baseUrl, 'GET', `/fhir/Subscription/${created.body.id}`)).body.status === 'active');
}

/** The database settings of the server processes, and how to remove the database afterwards. */
async function database(): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
  if (usingPostgres()) {
    const testDb = await openTestDatabase();
    return { env: { DATABASE_URL: testDb.url as string }, remove: () => testDb.close() };
  }
  const template = process.env.FLINT_TEST_TEMPLATE;
  const data = freshDataFolder('delivery-crash', template ? join(template, EMBEDDED_TEMPLATES.provisioned) : undefined);
  return { env: { DATABASE_URL: '', FLINT_DATA_DIR: data.path }, remove: () => data.remove() };
}

describe(`delivery across a crash (${usingPostgresNote()})`, () => {
  it('a SIGKILL mid-stream loses no event: at least once, in order per resource', async () => {
    const receiver = new Receiver();
    await receiver.start();
    const db = await database();
    const env = { ...deliveringEnv(db.env), FLINT_SUBSCRIPTION_LEASE_MS: LEASE_MS };
    try {
      const first = await startServerProcess(env);
      await subscribe(first.baseUrl, receiver);
      // The first event's notification waits, unanswered, until every write is acknowledged.
      receiver.hold();
      const written = await writeAll(first.baseUrl);
      receiver.delayMs = 40;
      receiver.release();
      await within(20_000, async () => deliveredEvents(receiver.received).length >= 10);
      process.kill(first.pid, 'SIGKILL');
      await first.stop();
      const beforeCrash = deliveredEvents(receiver.received).length;
      receiver.delayMs = 0;
      assert.ok(beforeCrash < VERSIONS, `killed mid-stream (${beforeCrash} of ${VERSIONS} delivered)`);
      const second = await startServerProcess(env);
      try {
        await within(30_000, async () => new Set(deliveredEvents(receiver.received).map((event) => event.eventNumber)).size >= VERSIONS);
      } finally {
        await second.stop();
      }
      const events = deliveredEvents(receiver.received);
      const label = `${events.length} deliveries of ${VERSIONS} events, ${duplicates(events)} duplicates, ${beforeCrash} before the crash`;
      assertEachEventAtLeastOnce(events, VERSIONS, label);
      assertVersions(events, written, label);
      assertInOrderPerResource(events, label, true);
    } finally {
      await receiver.stop();
      await db.remove();
    }
  });
});
