/**
 * The NATS channel against the server on 127.0.0.1:4222 (JetStream on): confirmed deliveries are
 * stored in a stream made for the test and read back through a consumer, with their headers; the
 * same eventId twice is stored once; a subject no stream covers is reported; best-effort reaches a
 * core subscriber; a server that is not there rejects retryable. Skipped with a reason when no
 * server listens there. The stream is deleted after.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, nanos, type JetStreamManager, type NatsConnection } from 'nats';
import { FhirError } from '../../../src/core/index.js';
import { DeliveryError, NatsChannel, type Delivery } from '../../../src/subscriptions/channels/index.js';
import { closedPort, skipUnless, uniqueSuffix } from './broker-probe.js';

const SERVER = 'nats://127.0.0.1:4222';
const skip = await skipUnless('NATS', 4222);

function delivery(n: number): Delivery {
  return { body: JSON.stringify({ resourceType: 'Bundle', n }), contentType: 'application/fhir+json', eventId: `evt-${n}`, key: `Patient/p.${n}`, headers: { 'X-Flint-Topic': 'topic-a' } };
}

async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('NATS channel', { skip }, () => {
  const suffix = uniqueSuffix().replace(/[^a-z0-9]/gi, '_');
  const stream = `FLINT_TEST_${suffix}`;
  const base = `flint-test.${suffix}`;
  let connection: NatsConnection;
  let jsm: JetStreamManager;

  before(async () => {
    connection = await connect({ servers: SERVER });
    jsm = await connection.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${base}.events.>`], duplicate_window: nanos(120_000) });
  });
  after(async () => {
    await jsm.streams.delete(stream);
    await connection.close();
  });

  async function readStream(count: number) {
    const consumer = await connection.jetstream().consumers.get(stream);
    const messages = await consumer.fetch({ max_messages: count, expires: 2000 });
    const read = [];
    for await (const message of messages) read.push({ subject: message.subject, body: message.string(), headers: message.headers });
    return read;
  }

  it('confirmed: deliveries are stored in the stream with their headers, a repeated eventId once', async () => {
    const channel = new NatsChannel({ servers: SERVER, subject: `${base}.events.{key}`, mode: 'confirmed' });
    const deliveries = Array.from({ length: 10 }, (_, n) => delivery(n));
    await Promise.all(deliveries.map((d) => channel.send(d)));
    await channel.send(deliveries[3]);
    await channel.close();
    const info = await jsm.streams.info(stream);
    assert.equal(info.state.messages, 10, 'the retry of evt-3 is deduplicated');
    const read = await readStream(10);
    assert.deepEqual(read.map((m) => m.body).sort(), deliveries.map((d) => d.body).sort());
    for (const message of read) {
      const n = JSON.parse(message.body).n as number;
      assert.equal(message.subject, `${base}.events.Patient/p_${n}`);
      assert.equal(message.headers?.get('Nats-Msg-Id'), `evt-${n}`);
      assert.equal(message.headers?.get('Content-Type'), 'application/fhir+json');
      assert.equal(message.headers?.get('X-Flint-Topic'), 'topic-a');
    }
  });

  it('a subject no stream covers is reported as unroutable, retryable', async () => {
    const channel = new NatsChannel({ servers: [SERVER], subject: `${base}.nowhere`, mode: 'confirmed', ackTimeoutMs: 3000 });
    const error = await rejection(channel.send(delivery(1)));
    await channel.close();
    assert.deepEqual([error.failure, error.retryable], ['unroutable', true]);
    assert.match(error.message, new RegExp(`${base}\\.nowhere`));
  });

  it('best-effort: a core subscriber gets the message', async () => {
    const subscription = connection.subscribe(`${base}.core.>`, { max: 1 });
    await connection.flush();
    const channel = new NatsChannel({ servers: SERVER, subject: `${base}.core.{key}`, mode: 'best-effort' });
    await channel.send(delivery(4));
    await channel.close();
    const got = [];
    for await (const message of subscription) got.push([message.subject, message.string(), message.headers?.get('Nats-Msg-Id')]);
    assert.deepEqual(got, [[`${base}.core.Patient/p_4`, delivery(4).body, 'evt-4']]);
  });

  it('a server that is not there rejects retryable; a closed channel rejects as closed', async () => {
    const channel = new NatsChannel({ servers: `127.0.0.1:${await closedPort()}`, subject: `${base}.events.x`, mode: 'confirmed', connectTimeoutMs: 2000 });
    const error = await rejection(channel.send(delivery(1)));
    assert.deepEqual([error.failure, error.retryable], ['unreachable', true]);
    await channel.close();
    const closed = await rejection(channel.send(delivery(1)));
    assert.deepEqual([closed.failure, closed.retryable], ['closed', true]);
  });

  it('refuses a bad configuration at creation', () => {
    const good = { servers: SERVER, subject: 'a.b', mode: 'confirmed' };
    for (const bad of [{ servers: [] }, { servers: 4222 }, { subject: 'a.*' }, { subject: 'a.>' }, { subject: 'a..b' }, { subject: 'a b' }, { mode: 'sometimes' }]) {
      assert.throws(() => new NatsChannel({ ...good, ...bad } as never), (e: unknown) => e instanceof FhirError && e.code === 'subscription.bad-channel-config', JSON.stringify(bad));
    }
  });
});
