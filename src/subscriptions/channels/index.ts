/**
 * The delivery channels of subscriptions and destinations: one ready delivery to its receiver,
 * acknowledged (at least once) or refused with a DeliveryError that says whether a retry may
 * help. rest-hook (HTTP POST, signed), RabbitMQ (AMQP 0-9-1), NATS JetStream and MQTT, created from
 * plain configuration objects by createChannel; and the retry schedule of failed deliveries.
 */
export { DeliveryError, type Channel, type Delivery, type DeliveryErrorOptions, type DeliveryFailure } from './channel.js';
export { channelErrors } from './channel-errors.js';
export { nextRetryDelayMs, retrySchedule, DEFAULT_RETRY_BASE_MS, DEFAULT_RETRY_CAP_MS, DEFAULT_RETRY_HORIZON_MS, type RetrySchedule, type RetryScheduleOptions } from './retry-schedule.js';
export { checkEndpoint, isLoopbackHost } from './endpoint-check.js';
export { parseChannelHeader, parseChannelHeaders } from './channel-headers.js';
export { SIGNATURE_HEADER, signatureHeader, verifySignature } from './webhook-signature.js';
export { AmqpChannel, type AmqpConfig } from './amqp-channel.js';
export { NatsChannel, type NatsConfig } from './nats-channel.js';
export { MqttChannel, type MqttConfig } from './mqtt-channel.js';
export { createChannel, CHANNEL_KINDS, type ChannelConfig, type ChannelKind } from './create-channel.js';
export { RestHookChannel, DEFAULT_REST_HOOK_TIMEOUT_MS, type RestHookConfig } from './rest-hook-channel.js';
