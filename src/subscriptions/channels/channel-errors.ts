/**
 * The error catalogue of the delivery channels: a channel configuration that cannot work (an
 * endpoint Flint must not call, a malformed header, a broker address or mode that does not parse)
 * is refused when the channel is created, with one of these codes, never later at send.
 * See core/error-catalogue.ts; failures of a send are DeliveryErrors (channel.ts), not codes.
 */
import { defineErrors, detail } from '../../core/index.js';

export const channelErrors = defineErrors('subscriptions', {
  'subscription.bad-endpoint': {
    category: 'invalid',
    summary: 'A rest-hook endpoint is not an http: or https: URL without credentials, or points at the server itself',
    message: (a: { endpoint: string; reason: string }) => `The endpoint ${a.endpoint} cannot be used: ${a.reason}`,
  },
  'subscription.bad-header': {
    category: 'invalid',
    summary: 'A channel header is not of the form "Name: value" with a valid name, or names a header the channel sets itself',
    message: (a: { header: string; reason: string }) => `The header ${JSON.stringify(a.header)} cannot be used: ${a.reason}`,
  },
  'subscription.bad-channel-config': {
    category: 'invalid',
    summary: 'A channel or destination configuration is incomplete or malformed (address, mode, subject, topic, timeout)',
    message: detail,
  },
});
