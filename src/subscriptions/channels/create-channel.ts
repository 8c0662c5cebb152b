/**
 * One channel from its plain configuration (as stored with a Subscription or a destination): the
 * kind picks the channel, whose constructor checks the rest, so a bad configuration is refused
 * here with a subscription.* FhirError, never later at send.
 */
import type { Channel } from './channel.js';
import { AmqpChannel, type AmqpConfig } from './amqp-channel.js';
import { badConfig, configObject } from './config-checks.js';
import { MqttChannel, type MqttConfig } from './mqtt-channel.js';
import { NatsChannel, type NatsConfig } from './nats-channel.js';
import { RestHookChannel, type RestHookConfig } from './rest-hook-channel.js';

export type ChannelConfig =
  | (RestHookConfig & { kind: 'rest-hook' })
  | (AmqpConfig & { kind: 'amqp' })
  | (NatsConfig & { kind: 'nats' })
  | (MqttConfig & { kind: 'mqtt' });

export type ChannelKind = ChannelConfig['kind'];

export const CHANNEL_KINDS: readonly ChannelKind[] = ['rest-hook', 'amqp', 'nats', 'mqtt'];

export function createChannel(config: ChannelConfig): Channel {
  const kind = configObject('delivery', config).kind;
  switch (config.kind) {
    case 'rest-hook': return new RestHookChannel(config);
    case 'amqp': return new AmqpChannel(config);
    case 'nats': return new NatsChannel(config);
    case 'mqtt': return new MqttChannel(config);
    default: return badConfig('delivery', 'kind', `must be one of ${CHANNEL_KINDS.join(', ')} (not ${JSON.stringify(kind)})`);
  }
}
