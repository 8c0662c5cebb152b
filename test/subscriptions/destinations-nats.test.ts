/**
 * NATS TopicDestinations end to end against the server on 127.0.0.1:4222 (JetStream on): at least
 * once publishes into a stream made for the test, read back through a consumer, each event once and
 * in order per resource, counted as delivered by $status; best effort reaches a core subscriber.
 * Skipped with a reason when no server listens there. The stream is deleted after.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { within } from '../support/eventually.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { skipUnless, uniqueSuffix } from './channels/broker-probe.js';
import {
  assertExactlyOnceInOrder, createDestination, destinationStatus, seenEvents, topicDestination, writeEncounters, type SeenEvent,
} from './support/destinations.js';
import { encounterTopic } from './support/subscriptions.js';

const SERVER = 'nats://127.0.0.1:4222';
const TOPIC = 'http://flint.test/topics/destinations-nats';
const skip = await skipUnless('NATS', 4222);

describe('NATS destinations', { skip }, () => {
  const suffix = uniqueSuffix().replace(/[^a-z0-9]/gi, '_');
  const stream = `FLINT_TEST_DEST_${suffix}`;
  const base = `flint-test-dest.${suffix}`;
  let flint: TestFlint;
  let connection: NatsConnection;
  let jsm: JetStreamManager;

  before(async () => {
    flint = await startTestFlint({ changesIntervalMs: 20, subscriptionRetryBaseMs: 50 });
    const topic = await flint.post('/fhir/SubscriptionTopic', encounterTopic(TOPIC));
    assert.equal(topic.status, 201, topic.text);
    connection = await connect({ servers: SERVER });
    jsm = await connection.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${base}.alo.>`] });
  });
  after(async () => {
    await flint?.stop();
    await jsm?.streams.delete(stream);
    await connection?.close();
  });

  async function readStream(count: number): Promise<SeenEvent[]> {
    const consumer = await connection.jetstream().consumers.get(stream);
    const messages = await consumer.fetch({ max_messages: count, expires: 5000 });
    const seen: SeenEvent[] = [];
    for await (const message of messages) seen.push(...seenEvents(JSON.parse(message.string())));
    return seen;
  }

  it('at least once: each event stored once, in order per resource, counted as delivered', async () => {
    const id = await createDestination(flint, topicDestination('nats-at-least-once', TOPIC, { servers: SERVER, subject: `${base}.alo.{key}` }, { filter: ['Encounter?patient=Patient/alo'] }));
    const count = await writeEncounters(flint, 3, 3, 'Patient/alo');
    await within(15_000, async () => (await destinationStatus(flint, id)).delivered === count);
    assert.equal((await jsm.streams.info(stream)).state.messages, count, 'the stream holds each event once');
    assertExactlyOnceInOrder(await readStream(count), count);
    assert.deepEqual(await destinationStatus(flint, id), { status: 'active', delivered: count, queued: 0, failedAttempts: 0 });
  });

  it('best effort: a core subscriber gets the events', async () => {
    const seen: SeenEvent[] = [];
    const subscription = connection.subscribe(`${base}.be.>`);
    void (async () => {
      for await (const message of subscription) seen.push(...seenEvents(JSON.parse(message.string())));
    })();
    await connection.flush();
    const id = await createDestination(flint, topicDestination('nats-best-effort', TOPIC, { servers: SERVER, subject: `${base}.be.{key}` }, { filter: ['Encounter?patient=Patient/be'] }));
    const count = await writeEncounters(flint, 2, 1, 'Patient/be');
    try {
      await within(15_000, async () => seen.length >= count);
    } finally {
      subscription.unsubscribe();
    }
    assert.deepEqual(seen.map((event) => event.eventNumber).sort((a, b) => a - b), [1, 2, 3, 4]);
    await within(5_000, async () => (await destinationStatus(flint, id)).queued === 0);
  });
});
