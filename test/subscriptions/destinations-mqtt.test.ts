/**
 * MQTT TopicDestinations end to end against the broker on 127.0.0.1:1883: a subscriber of the
 * test's own topic tree gets, at least once (QoS 1), each event once and in order per resource,
 * counted as delivered by $status; best effort (QoS 0) gets them too. Skipped with a reason when no
 * broker listens there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectAsync, type MqttClient } from 'mqtt';
import { within } from '../support/eventually.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { skipUnless, uniqueSuffix } from './channels/broker-probe.js';
import {
  assertExactlyOnceInOrder, createDestination, destinationStatus, seenEvents, topicDestination, writeEncounters, type SeenEvent,
} from './support/destinations.js';
import { encounterTopic } from './support/subscriptions.js';

const URL = 'mqtt://127.0.0.1:1883';
const TOPIC = 'http://flint.test/topics/destinations-mqtt';
const skip = await skipUnless('Mosquitto', 1883);

describe('MQTT destinations', { skip }, () => {
  const base = `flint-test-dest/${uniqueSuffix()}`;
  let flint: TestFlint;
  let subscriber: MqttClient;
  const seen = new Map<string, SeenEvent[]>([['alo', []], ['be', []]]);

  before(async () => {
    flint = await startTestFlint({ changesIntervalMs: 20, subscriptionRetryBaseMs: 50 });
    const topic = await flint.post('/fhir/SubscriptionTopic', encounterTopic(TOPIC));
    assert.equal(topic.status, 201, topic.text);
    subscriber = await connectAsync(URL, { protocolVersion: 5, reconnectPeriod: 0 });
    subscriber.on('message', (topic, payload) => {
      seen.get(topic.slice(base.length + 1).split('/')[0])?.push(...seenEvents(JSON.parse(payload.toString('utf8'))));
    });
    await subscriber.subscribeAsync(`${base}/#`, { qos: 1 });
  });
  after(async () => {
    await flint?.stop();
    await subscriber?.endAsync();
  });

  it('at least once: each event once, in order per resource, counted as delivered', async () => {
    const id = await createDestination(flint, topicDestination('mqtt-at-least-once', TOPIC, { url: URL, topic: `${base}/alo/{key}` }, { filter: ['Encounter?patient=Patient/alo'] }));
    const count = await writeEncounters(flint, 3, 3, 'Patient/alo');
    await within(15_000, async () => (await destinationStatus(flint, id)).delivered === count);
    await within(5_000, async () => (seen.get('alo')?.length ?? 0) >= count);
    assertExactlyOnceInOrder(seen.get('alo') ?? [], count);
    assert.deepEqual(await destinationStatus(flint, id), { status: 'active', delivered: count, queued: 0, failedAttempts: 0 });
  });

  it('best effort: the events arrive', async () => {
    const id = await createDestination(flint, topicDestination('mqtt-best-effort', TOPIC, { url: URL, topic: `${base}/be/{key}` }, { filter: ['Encounter?patient=Patient/be'] }));
    const count = await writeEncounters(flint, 2, 1, 'Patient/be');
    await within(15_000, async () => (seen.get('be')?.length ?? 0) >= count);
    assert.deepEqual((seen.get('be') ?? []).map((event) => event.eventNumber).sort((a, b) => a - b), [1, 2, 3, 4]);
    await within(5_000, async () => (await destinationStatus(flint, id)).queued === 0);
  });
});
