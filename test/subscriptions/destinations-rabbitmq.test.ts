/**
 * RabbitMQ TopicDestinations end to end against the broker on 127.0.0.1:5672: a queue of the test's
 * own, consumed with amqplib; at least once gets each event once, in order per resource, and
 * $status counts them delivered; best effort gets them too; a destination whose broker was not
 * there, once its url is put right, delivers what was queued; a deleted destination's connection
 * to the broker is closed. Skipped with a reason when no broker listens there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type Channel as AmqpWire, type ChannelModel } from 'amqplib';
import { connect as connectTcp, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { within } from '../support/eventually.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { closedPort, skipUnless, uniqueSuffix } from './channels/broker-probe.js';
import {
  assertExactlyOnceInOrder, createDestination, destinationStatus, seenEvents, topicDestination, writeEncounters, type SeenEvent,
} from './support/destinations.js';
import { encounterTopic } from './support/subscriptions.js';

const URL = 'amqp://guest:guest@127.0.0.1:5672';
const TOPIC = 'http://flint.test/topics/destinations-rabbitmq';
const skip = await skipUnless('RabbitMQ', 5672);

describe('RabbitMQ destinations', { skip }, () => {
  const suffix = uniqueSuffix();
  let flint: TestFlint;
  let connection: ChannelModel;
  let wire: AmqpWire;
  const seen = new Map<string, SeenEvent[]>();

  async function consume(queue: string): Promise<void> {
    await wire.assertQueue(queue, { durable: false, exclusive: true });
    seen.set(queue, []);
    await wire.consume(queue, (message) => {
      if (message) seen.get(queue)?.push(...seenEvents(JSON.parse(message.content.toString('utf8'))));
    }, { noAck: true });
  }

  before(async () => {
    flint = await startTestFlint({ changesIntervalMs: 20, subscriptionRetryBaseMs: 50 });
    const topic = await flint.post('/fhir/SubscriptionTopic', encounterTopic(TOPIC));
    assert.equal(topic.status, 201, topic.text);
    connection = await connect(URL);
    wire = await connection.createChannel();
  });
  after(async () => {
    await flint?.stop();
    for (const queue of seen.keys()) await wire.deleteQueue(queue);
    await connection?.close();
  });

  it('at least once: each event once, in order per resource, counted as delivered', async () => {
    const queue = `flint-test-dest-${suffix}-alo`;
    await consume(queue);
    const id = await createDestination(flint, topicDestination('rabbitmq-at-least-once', TOPIC, { url: URL, routingKey: queue }, { filter: ['Encounter?patient=Patient/alo'] }));
    const count = await writeEncounters(flint, 3, 3, 'Patient/alo');
    await within(15_000, async () => (await destinationStatus(flint, id)).delivered === count);
    await within(5_000, async () => (seen.get(queue)?.length ?? 0) >= count);
    assertExactlyOnceInOrder(seen.get(queue) ?? [], count);
    assert.deepEqual(await destinationStatus(flint, id), { status: 'active', delivered: count, queued: 0, failedAttempts: 0 });
  });

  it('best effort: the events arrive', async () => {
    const queue = `flint-test-dest-${suffix}-be`;
    await consume(queue);
    const id = await createDestination(flint, topicDestination('rabbitmq-best-effort', TOPIC, { url: URL, routingKey: queue }, { filter: ['Encounter?patient=Patient/be'] }));
    const count = await writeEncounters(flint, 2, 1, 'Patient/be');
    await within(15_000, async () => (seen.get(queue)?.length ?? 0) >= count);
    assert.deepEqual((seen.get(queue) ?? []).map((event) => event.eventNumber).sort((a, b) => a - b), [1, 2, 3, 4]);
    await within(5_000, async () => (await destinationStatus(flint, id)).queued === 0);
  });

  it('a destination put right after failed attempts delivers what was queued, once each, in order', async () => {
    const queue = `flint-test-dest-${suffix}-fixed`;
    await consume(queue);
    const wrong = { url: `amqp://guest:guest@127.0.0.1:${await closedPort()}`, routingKey: queue };
    const body = topicDestination('rabbitmq-at-least-once', TOPIC, wrong, { filter: ['Encounter?patient=Patient/fixed'] });
    const id = await createDestination(flint, body);
    const count = await writeEncounters(flint, 2, 1, 'Patient/fixed');
    await within(15_000, async () => (await destinationStatus(flint, id)).failedAttempts >= 1);
    const fixed = topicDestination('rabbitmq-at-least-once', TOPIC, { url: URL, routingKey: queue }, { filter: ['Encounter?patient=Patient/fixed'], id });
    const put = await flint.put(`/fhir/TopicDestination/${id}`, fixed);
    assert.equal(put.status, 200, put.text);
    await within(15_000, async () => (await destinationStatus(flint, id)).delivered === count);
    await within(5_000, async () => (seen.get(queue)?.length ?? 0) >= count);
    assertExactlyOnceInOrder(seen.get(queue) ?? [], count);
    const status = await destinationStatus(flint, id);
    assert.deepEqual([status.queued, status.lastError], [0, undefined]);
    assert.ok(status.failedAttempts >= 1, 'the failed attempts stay counted');
  });

  it('closes the broker connection of a destination once it is deleted', async () => {
    const proxy = await countingProxy(5672);
    const queue = `flint-test-dest-${suffix}-deleted`;
    await consume(queue);
    try {
      const id = await createDestination(flint, topicDestination('rabbitmq-at-least-once', TOPIC, {
        url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, routingKey: queue,
      }, { filter: ['Encounter?patient=Patient/deleted'] }));
      const count = await writeEncounters(flint, 1, 0, 'Patient/deleted');
      await within(15_000, async () => (await destinationStatus(flint, id)).delivered === count);
      assert.equal(proxy.open(), 1, 'one connection while the destination delivers');
      assert.equal((await flint.delete(`/fhir/TopicDestination/${id}`)).status, 204);
      await within(15_000, async () => proxy.open() === 0);
    } finally {
      await proxy.close();
    }
  });
});

/** A TCP proxy to a local port that counts the connections open through it. */
async function countingProxy(port: number): Promise<{ port: number; open(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    const upstream = connectTcp(port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => {
      sockets.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    open: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
