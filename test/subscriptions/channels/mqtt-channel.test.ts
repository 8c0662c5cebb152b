/**
 * The MQTT channel against the broker on 127.0.0.1:1883: a second client subscribed to a topic of
 * the test's own gets what QoS 1 and QoS 0 sends, with the MQTT 5 content type and user
 * properties; a broker that is not there rejects retryable. Skipped with a reason when no broker
 * listens there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectAsync, type IPublishPacket, type MqttClient } from 'mqtt';
import { FhirError } from '../../../src/core/index.js';
import { DeliveryError, MqttChannel, type Delivery } from '../../../src/subscriptions/channels/index.js';
import { closedPort, skipUnless, uniqueSuffix } from './broker-probe.js';

const URL = 'mqtt://127.0.0.1:1883';
const skip = await skipUnless('MQTT (Mosquitto)', 1883);

function delivery(n: number): Delivery {
  return { body: JSON.stringify({ resourceType: 'Bundle', n }), contentType: 'application/fhir+json', eventId: `evt-${n}`, key: `Patient/${n}`, headers: { 'X-Flint-Topic': 'topic-a' } };
}

async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('MQTT channel', { skip }, () => {
  const base = `flint-test/${uniqueSuffix()}`;
  let subscriber: MqttClient;
  const received: { topic: string; body: string; packet: IPublishPacket }[] = [];

  before(async () => {
    subscriber = await connectAsync(URL, { protocolVersion: 5, reconnectPeriod: 0 });
    subscriber.on('message', (topic, payload, packet) => received.push({ topic, body: payload.toString('utf8'), packet }));
    await subscriber.subscribeAsync(`${base}/#`, { qos: 1 });
  });
  after(async () => {
    await subscriber.endAsync();
  });

  async function arrived(count: number) {
    for (let i = 0; i < 200 && received.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    return received.splice(0);
  }

  it('QoS 1: resolves on PUBACK; the subscriber gets body, topic, content type and user properties, not retained', async () => {
    const channel = new MqttChannel({ url: URL, topic: `${base}/events/{key}`, qos: 1 });
    const deliveries = Array.from({ length: 10 }, (_, n) => delivery(n));
    await Promise.all(deliveries.map((d) => channel.send(d)));
    await channel.close();
    const messages = await arrived(deliveries.length);
    assert.deepEqual(messages.map((m) => m.body).sort(), deliveries.map((d) => d.body).sort());
    for (const message of messages) {
      const n = JSON.parse(message.body).n as number;
      assert.equal(message.topic, `${base}/events/Patient/${n}`);
      assert.equal(message.packet.properties?.contentType, 'application/fhir+json');
      assert.deepEqual({ ...message.packet.properties?.userProperties }, { 'X-Flint-Topic': 'topic-a', 'X-Flint-Event-Id': `evt-${n}` });
      assert.equal(message.packet.retain, false);
    }
  });

  it('QoS 0: the subscriber gets the message', async () => {
    const channel = new MqttChannel({ url: URL, topic: `${base}/best`, qos: 0 });
    await channel.send(delivery(3));
    const messages = await arrived(1);
    await channel.close();
    assert.deepEqual(messages.map((m) => [m.topic, m.body]), [[`${base}/best`, delivery(3).body]]);
  });

  it('a connection the broker drops is reopened by the next send', async () => {
    const clientId = `flint-test-${uniqueSuffix()}`;
    const channel = new MqttChannel({ url: URL, topic: `${base}/again`, qos: 1, clientId });
    await channel.send(delivery(1));
    // A second connection with the channel's client id: the broker drops the channel's connection.
    const intruder = await connectAsync(URL, { protocolVersion: 5, reconnectPeriod: 0, clientId });
    let intruderDropped = false;
    intruder.on('close', () => { intruderDropped = true; });
    await channel.send(delivery(2)).catch(() => channel.send(delivery(2)));
    await channel.send(delivery(3));
    await channel.close();
    for (let i = 0; i < 200 && !intruderDropped; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.equal(intruderDropped, true, 'the channel connected anew with its client id, which drops the intruder');
    await intruder.endAsync(true);
    const bodies = (await arrived(3)).map((m) => JSON.parse(m.body).n);
    assert.deepEqual(bodies.filter((n, i) => bodies.indexOf(n) === i), [1, 2, 3]);
  });

  it('a broker that is not there rejects retryable; a closed channel rejects as closed', async () => {
    const channel = new MqttChannel({ url: `mqtt://127.0.0.1:${await closedPort()}`, topic: `${base}/x`, qos: 1, connectTimeoutMs: 2000 });
    const error = await rejection(channel.send(delivery(1)));
    assert.deepEqual([error.failure, error.retryable], ['unreachable', true]);
    assert.match(error.message, /ECONNREFUSED/);
    const again = await rejection(channel.send(delivery(1)));
    assert.equal(again.failure, 'unreachable', 'each send tries to connect; nothing is queued');
    await channel.close();
    const closed = await rejection(channel.send(delivery(1)));
    assert.deepEqual([closed.failure, closed.retryable], ['closed', true]);
  });

  it('refuses a bad configuration at creation', () => {
    const good = { url: URL, topic: 'a/b', qos: 1 };
    for (const bad of [{ url: 'http://x' }, { topic: 'a/+' }, { topic: 'a/#' }, { qos: 2 }, { retain: true }, { protocolVersion: 3 }]) {
      assert.throws(() => new MqttChannel({ ...good, ...bad } as never), (e: unknown) => e instanceof FhirError && e.code === 'subscription.bad-channel-config', JSON.stringify(bad));
    }
  });
});
