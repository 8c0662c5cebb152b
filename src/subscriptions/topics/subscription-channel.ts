/**
 * The channel of a backport Subscription read into what delivery needs
 * (https://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition-backport-subscription.html):
 * the type (rest-hook or websocket; a custom type given by the backport-channel-type extension is
 * refused), the endpoint (an http or https URL, required for rest-hook), the headers ("Name: value"),
 * the payload mime type (FHIR JSON) with its content (backport-payload-content on channel._payload),
 * and the heartbeat period, timeout and maxCount extensions.
 */
import { isJsonObject, type JsonObject } from '../../core/index.js';
import { BACKPORT } from './backport-urls.js';
import { topicErrors } from './topic-errors.js';

export const PAYLOAD_CONTENTS = ['empty', 'id-only', 'full-resource'] as const;
export type PayloadContent = (typeof PAYLOAD_CONTENTS)[number];

export interface SubscriptionChannel {
  type: 'rest-hook' | 'websocket';
  endpoint?: string;
  /** Each "Name: value". */
  headers: string[];
  /** The payload mime type (application/fhir+json). */
  payload: string;
  content: PayloadContent;
  heartbeatPeriodSeconds?: number;
  timeoutSeconds?: number;
  maxCount?: number;
}

const AT = 'Subscription.channel';
const JSON_PAYLOAD = /^application\/(fhir\+)?json(\s*;.*)?$/;
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[ \t]*\S.*$/;

/** The extension of this URL in an element's extension list (an `_element` object or the element itself). */
export function extensionOf(holder: unknown, url: string): { index: number; extension: JsonObject } | undefined {
  const list = isJsonObject(holder) && Array.isArray(holder.extension) ? holder.extension : [];
  const index = list.findIndex((extension) => isJsonObject(extension) && extension.url === url);
  return index < 0 ? undefined : { index, extension: list[index] as JsonObject };
}

function channelType(channel: JsonObject): SubscriptionChannel['type'] {
  const custom = extensionOf(channel._type, BACKPORT.channelType)?.extension.valueCoding;
  const type = isJsonObject(custom) ? String(custom.code) : String(channel.type);
  if (type !== 'rest-hook' && type !== 'websocket') throw topicErrors['subscription.unsupported-channel']({ type }, { expression: `${AT}.type` });
  return type;
}

function endpoint(channel: JsonObject, type: SubscriptionChannel['type']): string | undefined {
  const value = channel.endpoint;
  if (value === undefined && type === 'websocket') return undefined;
  if (typeof value !== 'string' || !/^https?:\/\/[^\s/]+/.test(value)) {
    const detail = value === undefined ? 'A rest-hook Subscription needs channel.endpoint' : `Endpoint "${String(value)}" is not an http or https URL`;
    throw topicErrors['subscription.missing-endpoint']({ detail }, { expression: `${AT}.endpoint` });
  }
  return value;
}

function headers(channel: JsonObject): string[] {
  const list = channel.header === undefined ? [] : channel.header;
  if (!Array.isArray(list)) throw topicErrors['subscription.bad-channel-value']({ detail: 'channel.header is a list of "Name: value"' }, { expression: `${AT}.header` });
  list.forEach((header, i) => {
    if (typeof header !== 'string' || !HEADER.test(header)) {
      throw topicErrors['subscription.bad-channel-value']({ detail: `Header "${String(header)}" is not "Name: value"` }, { expression: `${AT}.header[${i}]` });
    }
  });
  return list as string[];
}

function payload(channel: JsonObject): { payload: string; content: PayloadContent } {
  const bad = (detail: string, expression: string) => topicErrors['subscription.bad-payload']({ detail }, { expression });
  if (typeof channel.payload !== 'string' || !JSON_PAYLOAD.test(channel.payload)) {
    throw bad(`Payload "${String(channel.payload ?? '')}" is not application/fhir+json`, `${AT}.payload`);
  }
  const found = extensionOf(channel._payload, BACKPORT.payloadContent);
  const content = found?.extension.valueCode;
  const at = found ? `${AT}.payload.extension[${found.index}]` : `${AT}.payload`;
  if (!(PAYLOAD_CONTENTS as readonly unknown[]).includes(content)) {
    throw bad(found ? `Payload content "${String(content)}" is not empty, id-only or full-resource` : 'The payload needs its backport-payload-content extension', at);
  }
  return { payload: channel.payload, content: content as PayloadContent };
}

function count(channel: JsonObject, url: string, key: string, minimum: number): number | undefined {
  const found = extensionOf(channel, url);
  if (!found) return undefined;
  const value = found.extension[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    throw topicErrors['subscription.bad-channel-value']({ detail: `${name} is ${String(value)}; it must be an integer of at least ${minimum}` }, { expression: `${AT}.extension[${found.index}]` });
  }
  return value;
}

/** Reads Subscription.channel; a FhirError names the element at fault. */
export function readChannel(channel: unknown): SubscriptionChannel {
  if (!isJsonObject(channel)) throw topicErrors['subscription.bad-subscription']({ detail: 'A Subscription needs its channel' }, { expression: AT });
  const type = channelType(channel);
  const url = endpoint(channel, type);
  const heartbeat = count(channel, BACKPORT.heartbeatPeriod, 'valueUnsignedInt', 0);
  const timeout = count(channel, BACKPORT.timeout, 'valueUnsignedInt', 0);
  const maxCount = count(channel, BACKPORT.maxCount, 'valuePositiveInt', 1);
  return {
    type,
    ...(url !== undefined ? { endpoint: url } : {}),
    headers: headers(channel),
    ...payload(channel),
    ...(heartbeat !== undefined ? { heartbeatPeriodSeconds: heartbeat } : {}),
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
    ...(maxCount !== undefined ? { maxCount } : {}),
  };
}
