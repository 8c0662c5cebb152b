/**
 * createChannel: the kind picks the channel, a configuration is checked at creation (no broker is
 * contacted: channels connect at their first send), and an unknown kind is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FhirError } from '../../../src/core/index.js';
import { AmqpChannel, createChannel, MqttChannel, NatsChannel, RestHookChannel, type ChannelConfig } from '../../../src/subscriptions/channels/index.js';

describe('createChannel', () => {
  const cases: [ChannelConfig, unknown][] = [
    [{ kind: 'rest-hook', endpoint: 'https://hooks.example.com/flint' }, RestHookChannel],
    [{ kind: 'amqp', url: 'amqp://127.0.0.1:1', exchange: '', routingKey: 'q', mode: 'confirmed' }, AmqpChannel],
    [{ kind: 'nats', servers: '127.0.0.1:1', subject: 'a.{key}', mode: 'best-effort' }, NatsChannel],
    [{ kind: 'mqtt', url: 'mqtt://127.0.0.1:1', topic: 'a/{key}', qos: 0 }, MqttChannel],
  ];
  for (const [config, type] of cases) {
    it(`${config.kind} makes a ${(type as { name: string }).name}`, async () => {
      const channel = createChannel(config);
      assert.ok(channel instanceof (type as new (...args: never[]) => unknown));
      await channel.close();
    });
  }

  it('refuses an unknown kind, a missing one, and a bad configuration of a known one', () => {
    const cases: [unknown, string][] = [
      [{ kind: 'kafka' }, 'subscription.bad-channel-config'],
      [{ endpoint: 'https://x.example.com' }, 'subscription.bad-channel-config'],
      [null, 'subscription.bad-channel-config'],
      [{ kind: 'rest-hook', endpoint: 'ftp://x' }, 'subscription.bad-endpoint'],
    ];
    for (const [config, code] of cases) {
      assert.throws(() => createChannel(config as never), (e: unknown) => e instanceof FhirError && e.code === code, JSON.stringify(config));
    }
  });
});
