/**
 * The MQTT channel of destinations (mqtt.js v5, MQTT 5 by default). QoS 1 resolves on the broker's
 * PUBACK (https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901236), and a
 * PUBACK with a failure reason code rejects; QoS 0 resolves once written. Messages are never
 * retained. The content type and the headers travel as MQTT 5 properties, with the eventId as the
 * user property X-Flint-Event-Id. The client does not reconnect by itself and never buffers a
 * publish while offline: a send without a connection connects first, and fails (retryable) when
 * that fails; a connection that drops fails the sends waiting on it at once.
 */
import type { IClientOptions, IClientPublishOptions, MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';
import { DeliveryError, reasonOf, type Channel, type Delivery } from './channel.js';
import { badConfig, configObject, fillKey, optionalMs, requireOneOf, requireString, requireUrl } from './config-checks.js';
import { ConnectionSlot, type Link } from './connection-slot.js';

export interface MqttConfig {
  kind?: 'mqtt';
  /** mqtt://host:port (or mqtts:, ws:, wss:); user and password may be in the URL or below. */
  url: string;
  /** The topic; `{key}` is replaced by the delivery key (e.g. flint/events/{key} -> flint/events/Patient/123). */
  topic: string;
  /** 1: confirmed (PUBACK); 0: best-effort. */
  qos: 0 | 1;
  /** Always false: notifications are events, not state. */
  retain?: false;
  username?: string;
  password?: string;
  /** The client id (for the broker's ACLs); a random 'flint-...' one by default. Two connections with one id push each other out. */
  clientId?: string;
  /** MQTT 5 (default) carries the headers and content type; 3.1.1 (4) carries the body only. */
  protocolVersion?: 4 | 5;
  /** How long connecting (up to the CONNACK) may take. Default 5 s. */
  connectTimeoutMs?: number;
  /** How long to wait for the PUBACK. Default 10 s. */
  ackTimeoutMs?: number;
}

type CheckedConfig = Required<Pick<MqttConfig, 'url' | 'topic' | 'qos' | 'protocolVersion' | 'connectTimeoutMs' | 'ackTimeoutMs'>> & Pick<MqttConfig, 'username' | 'password' | 'clientId'>;

const KIND = 'mqtt';

function checkConfig(input: MqttConfig): CheckedConfig {
  const config = configObject(KIND, input);
  const topic = requireString(KIND, 'topic', config.topic);
  if (/[+#\0]/.test(topic)) badConfig(KIND, 'topic', 'must not contain wildcards (+ and #)');
  if (config.retain !== undefined && config.retain !== false) badConfig(KIND, 'retain', 'must be false (notifications are not retained)');
  return {
    url: requireUrl(KIND, 'url', config.url, ['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    topic,
    qos: requireOneOf(KIND, 'qos', config.qos, [0, 1] as const),
    protocolVersion: config.protocolVersion === undefined ? 5 : requireOneOf(KIND, 'protocolVersion', config.protocolVersion, [4, 5] as const),
    username: config.username === undefined ? undefined : requireString(KIND, 'username', config.username),
    password: config.password === undefined ? undefined : requireString(KIND, 'password', config.password, true),
    clientId: config.clientId === undefined ? undefined : requireString(KIND, 'clientId', config.clientId),
    connectTimeoutMs: optionalMs(KIND, 'connectTimeoutMs', config.connectTimeoutMs, 5_000),
    ackTimeoutMs: optionalMs(KIND, 'ackTimeoutMs', config.ackTimeoutMs, 10_000),
  };
}

/** The URL without its password, for messages. */
function shownUrl(text: string): string {
  const url = new URL(text);
  if (url.password) url.password = '***';
  return url.href;
}

/** Connects once, without retries: resolves on CONNACK, rejects on the first error or close. */
async function connectOnce(url: string, options: IClientOptions): Promise<MqttClient> {
  const { connect } = await import('mqtt');
  return new Promise((resolve, reject) => {
    const client = connect(url, options);
    let failure: unknown;
    const onError = (error: unknown) => { failure ??= error; };
    const onClose = () => {
      client.end(true);
      reject(failure ?? new Error('the connection closed before the CONNACK'));
    };
    client.on('error', onError);
    client.once('close', onClose);
    client.once('connect', () => {
      client.off('close', onClose);
      client.off('error', onError);
      resolve(client);
    });
  });
}

/** PUBACK reason codes no retry can change: not authorized, topic name invalid, payload format invalid. */
const FINAL_REASONS = new Set([0x87, 0x90, 0x99]);

function refusal(error: Error): DeliveryError {
  const code = (error as { code?: unknown }).code;
  const retryable = !(typeof code === 'number' && FINAL_REASONS.has(code));
  return new DeliveryError(`MQTT refused the message: ${reasonOf(error)}`, { retryable, failure: 'rejected', cause: error });
}

export class MqttChannel implements Channel {
  private readonly config: CheckedConfig;
  private readonly slot: ConnectionSlot<MqttClient>;

  /** Checks the configuration (a bad one throws subscription.bad-channel-config); connects at the first send. */
  constructor(config: MqttConfig) {
    this.config = checkConfig(config);
    this.slot = new ConnectionSlot<MqttClient>({
      kind: KIND,
      target: `the MQTT broker at ${shownUrl(this.config.url)}`,
      open: () => this.open(),
      watch: (client, link) => this.watch(client, link),
      shut: (client) => client.endAsync(true),
    });
  }

  private open(): Promise<MqttClient> {
    const { url, username, password, protocolVersion, connectTimeoutMs, clientId } = this.config;
    return connectOnce(url, {
      username, password, protocolVersion,
      clientId: clientId ?? `flint-${randomBytes(6).toString('hex')}`,
      clean: true,
      connectTimeout: connectTimeoutMs,
      reconnectPeriod: 0,
      queueQoSZero: false,
    });
  }

  private watch(client: MqttClient, link: Link<MqttClient>): void {
    let reason = 'the connection closed';
    client.on('error', (error) => { reason = reasonOf(error); });
    client.on('disconnect', (packet) => { reason = `the broker disconnected (reason code ${packet.reasonCode ?? 0})`; });
    client.once('close', () => link.break(new DeliveryError(`MQTT at ${shownUrl(this.config.url)}: ${reason}, before the broker acknowledged`, { retryable: true, failure: 'connection-lost' })));
  }

  private options(delivery: Delivery): IClientPublishOptions {
    const options: IClientPublishOptions = { qos: this.config.qos, retain: false };
    if (this.config.protocolVersion === 5) {
      options.properties = { contentType: delivery.contentType, userProperties: { ...delivery.headers, 'X-Flint-Event-Id': delivery.eventId } };
    }
    return options;
  }

  /** Resolves on the PUBACK (QoS 1) or once written (QoS 0). */
  async send(delivery: Delivery): Promise<void> {
    const topic = fillKey(this.config.topic, delivery, (key) => key.replace(/[+#\0]/g, '_'));
    let link = await this.slot.get();
    if (!link.value.connected) {
      link.break(new DeliveryError('MQTT: the connection is gone', { retryable: true, failure: 'connection-lost' }));
      link = await this.slot.get();
    }
    const client = link.value;
    const timeout = () => new DeliveryError(`MQTT did not acknowledge within ${this.config.ackTimeoutMs} ms`, { retryable: true, failure: 'timeout' });
    await link.awaitAck((ack, nack) => {
      client.publish(topic, delivery.body, this.options(delivery), (error) => {
        if (error) nack(refusal(error));
        else ack();
      });
    }, this.config.ackTimeoutMs, timeout);
  }

  async close(): Promise<void> {
    await this.slot.close();
  }
}
