/**
 * The RabbitMQ channel (AMQP 0-9-1, amqplib) of destinations. 'confirmed' publishes persistent,
 * mandatory messages on a confirm channel and resolves on the broker's ack
 * (https://www.rabbitmq.com/docs/confirms#publisher-confirms): a nack, a lost connection or no ack
 * in time reject, retryable. A message no queue takes is returned by the broker before its ack and
 * rejects as 'unroutable', retryable too: the remedy is a binding an operator can add while the
 * retries go on, and the retry horizon ends the wait. 'best-effort' publishes on a plain channel
 * and resolves once the message is written (nothing is returned or confirmed).
 * One connection per channel object, opened by the first send, reopened after a failure; amqplib
 * itself is loaded by the first connection.
 */
import type { Channel as AmqpWire, ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { DeliveryError, reasonOf, type Channel, type Delivery } from './channel.js';
import { configObject, fillKey, optionalMs, requireOneOf, requireString, requireUrl } from './config-checks.js';
import { ConnectionSlot, type Link } from './connection-slot.js';

export interface AmqpConfig {
  kind?: 'amqp';
  /** amqp://user:pass@host:port/vhost (or amqps:). */
  url: string;
  /** The exchange to publish to; '' is the default exchange (the routing key is a queue name). */
  exchange: string;
  /** The routing key; `{key}` is replaced by the delivery key (a '.' in the key becomes '_'). */
  routingKey: string;
  mode: 'confirmed' | 'best-effort';
  /** How long connecting may take. Default 5 s. */
  connectTimeoutMs?: number;
  /** How long to wait for the broker's confirm. Default 10 s. */
  ackTimeoutMs?: number;
}

interface Wire {
  connection: ChannelModel;
  channel: AmqpWire | ConfirmChannel;
  /** Message ids the broker returned as unroutable, until their confirm arrives. */
  returned: Set<string>;
  /** Why the connection or channel closed, once it did. */
  reason?: string;
}

const KIND = 'amqp';
const MODES = ['confirmed', 'best-effort'] as const;

/** The URL without its password, for messages. */
function shownUrl(text: string): string {
  const url = new URL(text);
  if (url.password) url.password = '***';
  return url.href;
}

function checkConfig(input: AmqpConfig): Required<Omit<AmqpConfig, 'kind'>> {
  const config = configObject(KIND, input);
  return {
    url: requireUrl(KIND, 'url', config.url, ['amqp:', 'amqps:']),
    exchange: requireString(KIND, 'exchange', config.exchange, true),
    routingKey: requireString(KIND, 'routingKey', config.routingKey, true),
    mode: requireOneOf(KIND, 'mode', config.mode, MODES),
    connectTimeoutMs: optionalMs(KIND, 'connectTimeoutMs', config.connectTimeoutMs, 5_000),
    ackTimeoutMs: optionalMs(KIND, 'ackTimeoutMs', config.ackTimeoutMs, 10_000),
  };
}

/** Runs a publish; amqplib's RangeError (headers over 64 KiB) means this delivery can never go: not retryable. */
function refuseTooLarge(nack: (error: DeliveryError) => void, publish: () => void): void {
  try {
    publish();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    nack(new DeliveryError(`RabbitMQ cannot take the message: ${error.message}`, { retryable: false, failure: 'bad-delivery', cause: error }));
  }
}

export class AmqpChannel implements Channel {
  private readonly config: Required<Omit<AmqpConfig, 'kind'>>;
  private readonly slot: ConnectionSlot<Wire>;

  /** Checks the configuration (a bad one throws subscription.bad-channel-config); connects at the first send. */
  constructor(config: AmqpConfig) {
    this.config = checkConfig(config);
    this.slot = new ConnectionSlot<Wire>({
      kind: KIND,
      target: `RabbitMQ at ${shownUrl(this.config.url)}`,
      open: () => this.open(),
      watch: (wire, link) => this.watch(wire, link),
      shut: (wire) => wire.connection.close(),
    });
  }

  private async open(): Promise<Wire> {
    const { connect } = await import('amqplib');
    const connection = await connect(this.config.url, { timeout: this.config.connectTimeoutMs });
    try {
      const confirmed = this.config.mode === 'confirmed';
      const channel = confirmed ? await connection.createConfirmChannel() : await connection.createChannel();
      return { connection, channel, returned: new Set() };
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private lost(wire: Wire): DeliveryError {
    const reason = wire.reason ?? 'the connection closed';
    return new DeliveryError(`RabbitMQ at ${shownUrl(this.config.url)}: ${reason}, before the broker confirmed`, { retryable: true, failure: 'connection-lost' });
  }

  private watch(wire: Wire, link: Link<Wire>): void {
    const failed = (error: Error) => { wire.reason ??= reasonOf(error); };
    wire.connection.on('error', failed);
    wire.connection.on('close', () => link.break(this.lost(wire)));
    wire.channel.on('error', failed);
    wire.channel.on('close', () => link.break(this.lost(wire)));
    wire.channel.on('return', (message: Message) => {
      if (typeof message.properties.messageId === 'string') wire.returned.add(message.properties.messageId);
    });
  }

  private unroutable(routingKey: string): DeliveryError {
    const exchange = this.config.exchange === '' ? 'the default exchange' : `exchange "${this.config.exchange}"`;
    return new DeliveryError(`RabbitMQ returned the message: no queue is bound to ${exchange} for routing key "${routingKey}"`, { retryable: true, failure: 'unroutable' });
  }

  private publishConfirmed(link: Link<Wire>, routingKey: string, delivery: Delivery): Promise<void> {
    const { channel, returned } = link.value;
    const timeout = () => new DeliveryError(`RabbitMQ did not confirm within ${this.config.ackTimeoutMs} ms`, { retryable: true, failure: 'timeout' });
    return link.awaitAck((ack, nack) => refuseTooLarge(nack, () => {
      (channel as ConfirmChannel).publish(this.config.exchange, routingKey, Buffer.from(delivery.body), { ...this.properties(delivery), persistent: true, mandatory: true }, (error: unknown) => {
        const wasReturned = returned.delete(delivery.eventId);
        if (error instanceof Error && error.message === 'message nacked') nack(new DeliveryError('RabbitMQ refused the message (nack)', { retryable: true, failure: 'rejected', cause: error }));
        else if (error) nack(this.lost(link.value));
        else if (wasReturned) nack(this.unroutable(routingKey));
        else ack();
      });
    }), this.config.ackTimeoutMs, timeout);
  }

  private publishBestEffort(link: Link<Wire>, routingKey: string, delivery: Delivery): Promise<void> {
    const { channel } = link.value;
    const timeout = () => new DeliveryError(`RabbitMQ did not take the message within ${this.config.ackTimeoutMs} ms`, { retryable: true, failure: 'timeout' });
    return link.awaitAck((written, nack) => refuseTooLarge(nack, () => {
      if (channel.publish(this.config.exchange, routingKey, Buffer.from(delivery.body), this.properties(delivery))) written();
      else channel.once('drain', written);
    }), this.config.ackTimeoutMs, timeout);
  }

  private properties(delivery: Delivery) {
    return { messageId: delivery.eventId, contentType: delivery.contentType, headers: { ...delivery.headers }, timestamp: Math.floor(Date.now() / 1000) };
  }

  /** Resolves on the broker's confirm ('confirmed') or once written ('best-effort'). */
  async send(delivery: Delivery): Promise<void> {
    const routingKey = fillKey(this.config.routingKey, delivery, (key) => key.replaceAll('.', '_'));
    const link = await this.slot.get();
    if (this.config.mode === 'confirmed') return this.publishConfirmed(link, routingKey, delivery);
    return this.publishBestEffort(link, routingKey, delivery);
  }

  async close(): Promise<void> {
    await this.slot.close();
  }
}
