/**
 * TopicDestinations end to end, without a broker: a webhook-at-least-once destination gets every
 * event once, in order per resource, and $status counts them; a destination whose broker is not
 * there (a port nothing listens on) shows its failed attempts and the last error while the rest of
 * the server keeps working; bad destinations are refused with their codes. The brokers' own kinds
 * are in destinations-rabbitmq, -nats and -mqtt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { within } from '../support/eventually.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { closedPort } from './channels/broker-probe.js';
import {
  assertExactlyOnceInOrder, createDestination, destinationStatus, seenEvents, topicDestination, writeEncounters,
} from './support/destinations.js';
import { Receiver } from './support/receiver.js';
import { encounterTopic } from './support/subscriptions.js';

const TOPIC = 'http://flint.test/topics/destinations-webhook';
let flint: TestFlint;

before(async () => {
  flint = await startTestFlint({ changesIntervalMs: 20, subscriptionRetryBaseMs: 50 });
  const topic = await flint.post('/fhir/SubscriptionTopic', encounterTopic(TOPIC));
  assert.equal(topic.status, 201, topic.text);
});
after(async () => {
  await flint?.stop();
});

describe('a webhook-at-least-once destination', () => {
  const receiver = new Receiver();
  let id: string;

  before(async () => {
    await receiver.start();
    id = await createDestination(flint, topicDestination('webhook-at-least-once', TOPIC, { endpoint: receiver.url }, { filter: ['Encounter?patient=Patient/web'] }));
  });
  after(() => receiver.stop());

  it('gets each event of its topic and filter once, in order per resource, and $status counts them', async () => {
    await writeEncounters(flint, 1, 1, 'Patient/other');
    const count = await writeEncounters(flint, 3, 2, 'Patient/web');
    await within(10_000, async () => (await destinationStatus(flint, id)).delivered === count);
    const seen = receiver.ofType('event-notification').flatMap((received) => seenEvents(received.body));
    assertExactlyOnceInOrder(seen, count);
    const status = await destinationStatus(flint, id);
    assert.deepEqual(status, { status: 'active', delivered: count, queued: 0, failedAttempts: 0 });
    const [first] = receiver.ofType('event-notification');
    const reference = first.body.entry[0].resource.parameter.find((parameter: any) => parameter.name === 'subscription').valueReference.reference;
    assert.equal(reference, `http://flint.test/fhir/TopicDestination/${id}`);
  });
});

describe('a destination whose broker is down', () => {
  it('shows failed attempts and the last error, and the rest of the server keeps working', async () => {
    const port = await closedPort();
    const id = await createDestination(flint, topicDestination('rabbitmq-at-least-once', TOPIC, {
      url: `amqp://guest:guest@127.0.0.1:${port}`, routingKey: 'flint-nobody',
    }, { filter: ['Encounter?patient=Patient/down'] }));
    const count = await writeEncounters(flint, 2, 0, 'Patient/down');
    await within(10_000, async () => (await destinationStatus(flint, id)).failedAttempts >= 2);
    const status = await destinationStatus(flint, id);
    assert.equal(status.status, 'active');
    assert.equal(status.delivered, 0);
    assert.equal(status.queued, count);
    assert.match(status.lastError ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.ok(!(status.lastError ?? '').includes('guest:guest'), 'no password in the error');

    const receiver = new Receiver();
    await receiver.start();
    try {
      const webhook = await createDestination(flint, topicDestination('webhook-at-least-once', TOPIC, { endpoint: receiver.url }, { filter: ['Encounter?patient=Patient/alive'] }));
      const alive = await writeEncounters(flint, 2, 0, 'Patient/alive');
      await within(10_000, async () => (await destinationStatus(flint, webhook)).delivered === alive);
      assert.equal(receiver.ofType('event-notification').length, alive);
      const search = await flint.get('/fhir/Encounter?subject=Patient/alive');
      assert.equal(search.status, 200, search.text);
      assert.equal(search.body.entry.length, alive);
    } finally {
      await receiver.stop();
    }
    assert.equal((await destinationStatus(flint, id)).delivered, 0);
  });
});

describe('bad destinations', () => {
  const refused = async (body: Record<string, unknown>, code: string) => {
    const answer = await flint.post('/fhir/TopicDestination', body);
    assert.ok(answer.status >= 400 && answer.status < 500, answer.text);
    assert.deepEqual(issueCodes(answer.body), [code], answer.text);
  };

  it('refuses an unknown kind', async () => {
    await refused(topicDestination('kafka-at-least-once', TOPIC, { url: 'kafka://127.0.0.1' }), 'destination.bad-kind');
  });

  it('refuses an unknown topic', async () => {
    await refused(topicDestination('webhook-at-least-once', 'http://flint.test/topics/none', { endpoint: 'http://127.0.0.1:9/x' }), 'destination.unknown-topic');
  });

  it('refuses a missing parameter of each kind', async () => {
    await refused(topicDestination('webhook-at-least-once', TOPIC, {}), 'destination.bad-parameter');
    await refused(topicDestination('rabbitmq-at-least-once', TOPIC, { url: 'amqp://127.0.0.1' }), 'destination.bad-parameter');
    await refused(topicDestination('nats-best-effort', TOPIC, { servers: 'nats://127.0.0.1:4222' }), 'destination.bad-parameter');
    await refused(topicDestination('mqtt-at-least-once', TOPIC, { topic: 'flint/x' }), 'destination.bad-parameter');
  });

  it('refuses a webhook endpoint that points at this server', async () => {
    await refused(topicDestination('webhook-at-least-once', TOPIC, { endpoint: 'http://flint.test/fhir/hook' }), 'subscription.bad-endpoint');
  });

  it('refuses a broker setting that does not read', async () => {
    await refused(topicDestination('mqtt-best-effort', TOPIC, { url: 'mqtt://127.0.0.1:1883', topic: 'flint/#' }), 'subscription.bad-channel-config');
  });

  it('stores none of them', async () => {
    const search = await flint.get('/fhir/TopicDestination?kind=kafka-at-least-once');
    assert.equal(search.status, 200, search.text);
    assert.equal(search.body.total ?? search.body.entry?.length ?? 0, 0);
  });
});
