/**
 * Checks of the plain configuration objects channels are created from: each failure is a
 * subscription.bad-channel-config FhirError naming the field, so a bad configuration is refused at
 * creation. Also the `{key}` placeholder of routing keys, subjects and topics.
 */
import { DeliveryError, type Delivery } from './channel.js';
import { channelErrors } from './channel-errors.js';

/** Throws subscription.bad-channel-config for `field` of a `kind` channel. */
export function badConfig(kind: string, field: string, reason: string): never {
  throw channelErrors['subscription.bad-channel-config']({ detail: `The ${kind} channel's ${field} ${reason}` }, { expression: field });
}

/** The configuration as an object (it comes from JSON, so anything may arrive). */
export function configObject(kind: string, config: unknown): Record<string, unknown> {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) badConfig(kind, 'configuration', 'must be an object');
  return config as Record<string, unknown>;
}

export function requireString(kind: string, field: string, value: unknown, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.trim() === '')) badConfig(kind, field, 'must be a non-empty string');
  return value;
}

export function requireOneOf<T extends string | number>(kind: string, field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) badConfig(kind, field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return value as T;
}

/** A positive whole number of milliseconds, or the default when absent. */
export function optionalMs(kind: string, field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) badConfig(kind, field, 'must be a positive whole number of milliseconds');
  return value;
}

/** A URL of one of the given schemes, as a string (its password is not echoed in errors). */
export function requireUrl(kind: string, field: string, value: unknown, protocols: readonly string[]): string {
  const text = requireString(kind, field, value);
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url) badConfig(kind, field, 'is not a URL');
  if (!protocols.includes(url.protocol)) badConfig(kind, field, `must use ${protocols.join(' or ')} (not ${url.protocol})`);
  return text;
}

/** Whether a template names the delivery key. */
export function usesKey(template: string): boolean {
  return template.includes('{key}');
}

/**
 * The template with `{key}` replaced by the delivery's key, escaped for the broker's names. A
 * delivery without a key cannot be sent through a template that needs one: not retryable.
 */
export function fillKey(template: string, delivery: Delivery, escape: (key: string) => string = (key) => key): string {
  if (!usesKey(template)) return template;
  if (delivery.key === undefined || delivery.key === '') {
    throw new DeliveryError(`The delivery ${delivery.eventId} has no key, and the channel's name "${template}" needs one`, { retryable: false, failure: 'bad-delivery' });
  }
  return template.replaceAll('{key}', escape(delivery.key));
}
