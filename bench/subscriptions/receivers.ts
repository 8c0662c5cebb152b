/**
 * The receivers of the subscriptions benchmark, one per way of delivery, each with the target it
 * asks the server for: an HTTP receiver behind a rest-hook Subscription, and a RabbitMQ queue, a NATS
 * JetStream stream and an MQTT topic tree behind at-least-once TopicDestinations. Each reports every
 * event it gets (the focus resource's id) on the receiver's clock, and cleans up after itself.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Called for each event received: the focus resource's id. */
export type OnEvent = (focusId: string) => void;

export interface BenchReceiver {
  name: string;
  /** The port that must answer for this receiver to run. */
  brokerPort?: number;
  /** Starts receiving; answers the target to create (a Subscription or TopicDestination, to POST at its type). */
  start(topic: string, patient: string, onEvent: OnEvent): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/';

/** The focus ids of a notification Bundle's events (full-resource content; the handshake has none). */
export function focusIds(text: string): string[] {
  const bundle = JSON.parse(text) as { entry?: { resource?: { id?: string } }[] };
  return (bundle.entry ?? []).slice(1).map((entry) => entry.resource?.id).filter((id): id is string => id !== undefined);
}

function destination(kind: string, topic: string, patient: string, parameters: Record<string, string>): Record<string, unknown> {
  return {
    resourceType: 'TopicDestination', status: 'active', kind, topic, content: 'full-resource', filter: [`Encounter?patient=${patient}`],
    parameter: Object.entries(parameters).map(([name, valueString]) => ({ name, valueString })),
  };
}

const suffix = (): string => `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

function restHook(): BenchReceiver {
  let server: Server | undefined;
  return {
    name: 'rest-hook Subscription',
    async start(topic, patient, onEvent) {
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          for (const id of focusIds(Buffer.concat(chunks).toString('utf8'))) onEvent(id);
          response.end();
        });
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return {
        resourceType: 'Subscription', status: 'requested', reason: 'benchmark', criteria: topic,
        _criteria: { extension: [{ url: `${BACKPORT}backport-filter-criteria`, valueString: `Encounter?patient=${patient}` }] },
        channel: {
          type: 'rest-hook', endpoint: `http://127.0.0.1:${port}/notify`, payload: 'application/fhir+json',
          _payload: { extension: [{ url: `${BACKPORT}backport-payload-content`, valueCode: 'full-resource' }] },
        },
      };
    },
    async stop() {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

function rabbitmq(): BenchReceiver {
  const url = 'amqp://guest:guest@127.0.0.1:5672';
  let close = async () => {};
  return {
    name: 'rabbitmq-at-least-once', brokerPort: 5672,
    async start(topic, patient, onEvent) {
      const { connect } = await import('amqplib');
      const connection = await connect(url);
      const channel = await connection.createChannel();
      const queue = `flint-bench-${suffix()}`;
      await channel.assertQueue(queue, { durable: false, exclusive: true });
      await channel.consume(queue, (message) => {
        if (message) for (const id of focusIds(message.content.toString('utf8'))) onEvent(id);
      }, { noAck: true });
      close = async () => {
        await channel.deleteQueue(queue);
        await connection.close();
      };
      return destination('rabbitmq-at-least-once', topic, patient, { url, routingKey: queue });
    },
    stop: () => close(),
  };
}

function nats(): BenchReceiver {
  const servers = 'nats://127.0.0.1:4222';
  let close = async () => {};
  return {
    name: 'nats-at-least-once', brokerPort: 4222,
    async start(topic, patient, onEvent) {
      const { connect } = await import('nats');
      const connection = await connect({ servers });
      const jsm = await connection.jetstreamManager();
      const name = `FLINT_BENCH_${suffix().replace(/-/g, '_')}`;
      const subject = `flint-bench.${name}`;
      await jsm.streams.add({ name, subjects: [`${subject}.>`] });
      const messages = await (await connection.jetstream().consumers.get(name)).consume();
      void (async () => {
        for await (const message of messages) for (const id of focusIds(message.string())) onEvent(id);
      })();
      close = async () => {
        await messages.close();
        await jsm.streams.delete(name);
        await connection.close();
      };
      return destination('nats-at-least-once', topic, patient, { servers, subject: `${subject}.{key}` });
    },
    stop: () => close(),
  };
}

function mqtt(): BenchReceiver {
  const url = 'mqtt://127.0.0.1:1883';
  let close = async () => {};
  return {
    name: 'mqtt-at-least-once', brokerPort: 1883,
    async start(topic, patient, onEvent) {
      const { connectAsync } = await import('mqtt');
      const client = await connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
      const base = `flint-bench/${suffix()}`;
      client.on('message', (_topic, payload) => {
        for (const id of focusIds(payload.toString('utf8'))) onEvent(id);
      });
      await client.subscribeAsync(`${base}/#`, { qos: 1 });
      close = async () => void await client.endAsync();
      return destination('mqtt-at-least-once', topic, patient, { url, topic: `${base}/{key}` });
    },
    stop: () => close(),
  };
}

export function benchReceivers(): BenchReceiver[] {
  return [restHook(), rabbitmq(), nats(), mqtt()];
}
