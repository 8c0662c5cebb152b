/**
 * The RabbitMQ channel against the broker on 127.0.0.1:5672: confirmed deliveries arrive once each
 * with their message id, headers and content type, persistent; an unroutable message is reported;
 * a failed publish (an exchange that does not exist) is retryable and the channel recovers; a broker
 * that is not there rejects retryable. Skipped with a reason when no broker listens there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type Channel as AmqpWire, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { FhirError } from '../../../src/core/index.js';
import { AmqpChannel, DeliveryError, type Delivery } from '../../../src/subscriptions/channels/index.js';
import { closedPort, skipUnless, uniqueSuffix } from './broker-probe.js';

const URL = 'amqp://guest:guest@127.0.0.1:5672';
const skip = await skipUnless('RabbitMQ', 5672);

function delivery(n: number): Delivery {
  return { body: JSON.stringify({ resourceType: 'Bundle', n }), contentType: 'application/fhir+json', eventId: `evt-${n}`, key: `Patient/p.${n % 3}`, headers: { 'X-Flint-Topic': 'topic-a', 'X-N': String(n) } };
}

async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('RabbitMQ channel', { skip }, () => {
  const suffix = uniqueSuffix();
  const exchange = `flint-test-x-${suffix}`;
  const queue = `flint-test-q-${suffix}`;
  let connection: ChannelModel;
  let wire: AmqpWire;
  const received: ConsumeMessage[] = [];

  before(async () => {
    connection = await connect(URL);
    wire = await connection.createChannel();
    await wire.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    await wire.assertQueue(queue, { durable: false, exclusive: true });
    await wire.bindQueue(queue, exchange, 'flint.#');
    await wire.consume(queue, (message) => { if (message) received.push(message); }, { noAck: true });
  });
  after(async () => {
    await wire.deleteQueue(queue);
    await wire.deleteExchange(exchange);
    await connection.close();
  });

  async function arrived(count: number): Promise<ConsumeMessage[]> {
    for (let i = 0; i < 200 && received.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    return received.splice(0);
  }

  it('confirmed: N deliveries sent at once each arrive once, persistent, with message id, content type and headers', async () => {
    const channel = new AmqpChannel({ url: URL, exchange, routingKey: 'flint.{key}', mode: 'confirmed' });
    const deliveries = Array.from({ length: 25 }, (_, n) => delivery(n));
    await Promise.all(deliveries.map((d) => channel.send(d)));
    await channel.close();
    const messages = await arrived(deliveries.length);
    assert.deepEqual(messages.map((m) => m.properties.messageId).sort(), deliveries.map((d) => d.eventId).sort());
    for (const message of messages) {
      const n = Number(message.properties.headers?.['X-N']);
      assert.equal(message.content.toString('utf8'), deliveries[n].body);
      assert.equal(message.properties.messageId, `evt-${n}`);
      assert.equal(message.properties.contentType, 'application/fhir+json');
      assert.equal(message.properties.deliveryMode, 2);
      assert.equal(message.properties.headers?.['X-Flint-Topic'], 'topic-a');
      assert.equal(message.fields.routingKey, `flint.Patient/p_${n % 3}`);
    }
  });

  it('best-effort: deliveries arrive', async () => {
    const channel = new AmqpChannel({ url: URL, exchange, routingKey: 'flint.best', mode: 'best-effort' });
    await channel.send(delivery(1));
    await channel.send(delivery(2));
    const messages = await arrived(2);
    await channel.close();
    assert.deepEqual(messages.map((m) => m.properties.messageId), ['evt-1', 'evt-2']);
  });

  it('the default exchange routes to the queue named by the routing key', async () => {
    const channel = new AmqpChannel({ url: URL, exchange: '', routingKey: queue, mode: 'confirmed' });
    await channel.send(delivery(7));
    await channel.close();
    assert.deepEqual((await arrived(1)).map((m) => m.properties.messageId), ['evt-7']);
  });

  it('an unroutable message is reported (retryable), naming the exchange and the routing key', async () => {
    const channel = new AmqpChannel({ url: URL, exchange, routingKey: 'nobody.{key}', mode: 'confirmed' });
    const error = await rejection(channel.send(delivery(3)));
    assert.deepEqual([error.failure, error.retryable], ['unroutable', true]);
    assert.ok(error.message.includes(exchange) && error.message.includes('nobody.Patient/p_0'), error.message);
    await channel.send({ ...delivery(4), key: undefined }).then(() => assert.fail('a key is needed'), (e: unknown) => {
      assert.ok(e instanceof DeliveryError && e.failure === 'bad-delivery' && !e.retryable);
    });
    await channel.close();
    assert.deepEqual(await arrived(0), []);
  });

  it('a publish to a missing exchange rejects retryable, and the next send opens a new connection', async () => {
    const second = `${exchange}-2`;
    const channel = new AmqpChannel({ url: URL, exchange: second, routingKey: 'flint.x', mode: 'confirmed' });
    const error = await rejection(channel.send(delivery(5)));
    assert.deepEqual([error.failure, error.retryable], ['connection-lost', true]);
    assert.match(error.message, /NOT_FOUND/);
    await wire.assertExchange(second, 'topic', { durable: false });
    await wire.bindQueue(queue, second, 'flint.#');
    try {
      await channel.send(delivery(6));
    } finally {
      await channel.close();
      await wire.deleteExchange(second);
    }
    assert.deepEqual((await arrived(1)).map((m) => m.properties.messageId), ['evt-6']);
  });

  it('headers too large for AMQP are refused, not retryable, and the channel goes on', async () => {
    const channel = new AmqpChannel({ url: URL, exchange, routingKey: 'flint.large', mode: 'confirmed' });
    const error = await rejection(channel.send({ ...delivery(8), headers: { big: 'x'.repeat(70_000) } }));
    assert.deepEqual([error.failure, error.retryable], ['bad-delivery', false]);
    await channel.send(delivery(9));
    await channel.close();
    assert.deepEqual((await arrived(1)).map((m) => m.properties.messageId), ['evt-9']);
  });

  it('a broker that is not there rejects retryable, and a closed channel rejects as closed', async () => {
    const channel = new AmqpChannel({ url: `amqp://guest:guest@127.0.0.1:${await closedPort()}`, exchange, routingKey: 'flint.x', mode: 'confirmed', connectTimeoutMs: 2000 });
    const error = await rejection(channel.send(delivery(1)));
    assert.deepEqual([error.failure, error.retryable], ['unreachable', true]);
    assert.ok(!error.message.includes('guest:guest'), 'no password in the message');
    await channel.close();
    const closed = await rejection(channel.send(delivery(1)));
    assert.deepEqual([closed.failure, closed.retryable], ['closed', true]);
  });

  it('refuses a bad configuration at creation', () => {
    const good = { url: URL, exchange, routingKey: 'k', mode: 'confirmed' };
    for (const bad of [{ url: 'http://x' }, { url: 'nope' }, { mode: 'fast' }, { exchange: undefined }, { ackTimeoutMs: -1 }]) {
      assert.throws(() => new AmqpChannel({ ...good, ...bad } as never), (e: unknown) => e instanceof FhirError && e.code === 'subscription.bad-channel-config', JSON.stringify(bad));
    }
  });
});
