/**
 * The NATS channel of destinations (nats.js v2). 'confirmed' publishes to JetStream and resolves
 * on the stream's PubAck (https://docs.nats.io/using-nats/developer/develop_jetstream/model_deep_dive#acknowledgement-models);
 * the delivery's eventId is the Nats-Msg-Id, so a retry within the stream's duplicate window is
 * stored once (a duplicate PubAck is a success). A subject no stream covers is 'unroutable',
 * retryable (a stream can be added). 'best-effort' is a core publish and a flush: the server has
 * it, whether anyone listens or not. The client reconnects by itself after a drop; a send waiting
 * meanwhile times out retryable, and once the client gives up the next send connects anew.
 */
import type { JetStreamClient, MsgHdrs, NatsConnection } from 'nats';
import { DeliveryError, reasonOf, type Channel, type Delivery } from './channel.js';
import { badConfig, configObject, fillKey, optionalMs, requireOneOf, requireString } from './config-checks.js';
import { ConnectionSlot, type Link } from './connection-slot.js';

export interface NatsConfig {
  kind?: 'nats';
  /** 'nats://host:port' or 'host:port', one or several. */
  servers: string | string[];
  /** The subject; `{key}` is replaced by the delivery key (a '.' in the key becomes '_'). */
  subject: string;
  mode: 'confirmed' | 'best-effort';
  user?: string;
  pass?: string;
  token?: string;
  /** How long connecting may take. Default 5 s. */
  connectTimeoutMs?: number;
  /** How long to wait for the PubAck (or the flush). Default 10 s. */
  ackTimeoutMs?: number;
}

interface Wire {
  connection: NatsConnection;
  jetstream: JetStreamClient;
  /** The client library's header constructor (nats is loaded by the first connection). */
  headers: () => MsgHdrs;
}

type CheckedConfig = Required<Pick<NatsConfig, 'subject' | 'mode' | 'connectTimeoutMs' | 'ackTimeoutMs'>> & Pick<NatsConfig, 'user' | 'pass' | 'token'> & { servers: string[] };

const KIND = 'nats';
const MODES = ['confirmed', 'best-effort'] as const;

/** A publish subject: tokens of visible characters, no wildcards, no empty token. */
function checkSubject(subject: string): void {
  const tokens = subject.split('.');
  if (tokens.some((token) => token === '' || /\s/.test(token) || token === '*' || token === '>')) {
    badConfig(KIND, 'subject', 'must be dot-separated tokens without spaces or wildcards (* and >)');
  }
}

function optionalString(field: string, value: unknown): string | undefined {
  return value === undefined ? undefined : requireString(KIND, field, value);
}

function checkConfig(input: NatsConfig): CheckedConfig {
  const config = configObject(KIND, input);
  const servers = typeof config.servers === 'string' ? [config.servers] : config.servers;
  if (!Array.isArray(servers) || servers.length === 0) badConfig(KIND, 'servers', 'must be a server address or a non-empty array of them');
  for (const server of servers) requireString(KIND, 'servers', server);
  const subject = requireString(KIND, 'subject', config.subject);
  checkSubject(subject);
  return {
    servers, subject,
    mode: requireOneOf(KIND, 'mode', config.mode, MODES),
    user: optionalString('user', config.user),
    pass: optionalString('pass', config.pass),
    token: optionalString('token', config.token),
    connectTimeoutMs: optionalMs(KIND, 'connectTimeoutMs', config.connectTimeoutMs, 5_000),
    ackTimeoutMs: optionalMs(KIND, 'ackTimeoutMs', config.ackTimeoutMs, 10_000),
  };
}

function headersOf(wire: Wire, delivery: Delivery): MsgHdrs {
  const headers = wire.headers();
  for (const [name, value] of Object.entries(delivery.headers ?? {})) headers.set(name, value);
  headers.set('Content-Type', delivery.contentType);
  headers.set('Nats-Msg-Id', delivery.eventId);
  return headers;
}

export class NatsChannel implements Channel {
  private readonly config: CheckedConfig;
  private readonly slot: ConnectionSlot<Wire>;

  /** Checks the configuration (a bad one throws subscription.bad-channel-config); connects at the first send. */
  constructor(config: NatsConfig) {
    this.config = checkConfig(config);
    this.slot = new ConnectionSlot<Wire>({
      kind: KIND,
      target: `NATS at ${this.config.servers.join(', ')}`,
      open: () => this.open(),
      watch: (wire, link) => this.watch(wire, link),
      shut: (wire) => wire.connection.close(),
    });
  }

  private async open(): Promise<Wire> {
    const { servers, user, pass, token, connectTimeoutMs } = this.config;
    const { connect, headers } = await import('nats');
    const connection = await connect({ servers, user, pass, token, timeout: connectTimeoutMs, name: 'flint-destination' });
    return { connection, jetstream: connection.jetstream({ timeout: this.config.ackTimeoutMs }), headers };
  }

  private watch(wire: Wire, link: Link<Wire>): void {
    void wire.connection.closed().then((error) => {
      const reason = error ? reasonOf(error) : 'the connection closed';
      link.break(new DeliveryError(`NATS: ${reason}, before the server acknowledged`, { retryable: true, failure: 'connection-lost', cause: error }));
    });
  }

  private failureOf(error: unknown, subject: string): DeliveryError {
    if (error instanceof DeliveryError) return error;
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
    if (code === '503') {
      return new DeliveryError(`No JetStream stream covers subject "${subject}" (no responders)`, { retryable: true, failure: 'unroutable', cause: error });
    }
    if (code === 'TIMEOUT') {
      return new DeliveryError(`NATS did not acknowledge within ${this.config.ackTimeoutMs} ms`, { retryable: true, failure: 'timeout', cause: error });
    }
    if (code === 'MAX_PAYLOAD_EXCEEDED') {
      return new DeliveryError(`NATS cannot take the message: ${reasonOf(error)}`, { retryable: false, failure: 'bad-delivery', cause: error });
    }
    return new DeliveryError(`NATS refused the message: ${reasonOf(error)}`, { retryable: true, failure: 'rejected', cause: error });
  }

  private timeout(): DeliveryError {
    return new DeliveryError(`NATS did not acknowledge within ${this.config.ackTimeoutMs} ms`, { retryable: true, failure: 'timeout' });
  }

  private publish(wire: Wire, subject: string, delivery: Delivery): Promise<unknown> {
    const data = Buffer.from(delivery.body);
    if (this.config.mode === 'confirmed') {
      return wire.jetstream.publish(subject, data, { msgID: delivery.eventId, headers: headersOf(wire, delivery), timeout: this.config.ackTimeoutMs });
    }
    wire.connection.publish(subject, data, { headers: headersOf(wire, delivery) });
    return wire.connection.flush();
  }

  /** Resolves on the stream's PubAck ('confirmed') or once the server has the message ('best-effort'). */
  async send(delivery: Delivery): Promise<void> {
    const subject = fillKey(this.config.subject, delivery, (key) => key.replace(/[.*>\s]/g, '_'));
    const link = await this.slot.get();
    await link.awaitAck((ack, nack) => {
      this.publish(link.value, subject, delivery).then(ack, (error: unknown) => nack(this.failureOf(error, subject)));
    }, this.config.ackTimeoutMs + 1_000, () => this.timeout());
  }

  async close(): Promise<void> {
    await this.slot.close();
  }
}
