/**
 * A delivery target: a Subscription (FHIR side) or a TopicDestination (native side) read into what
 * the matcher and the delivery need: the topic, the filters, the payload content, how many events
 * one notification carries, the heartbeat, and the channel's settings (none for a websocket
 * Subscription: its events go to the sockets bound to it). Reading checks everything a write of
 * the resource must get right (subscription-write-hook.ts refuses it otherwise).
 */
import type { Resource } from '../core/index.js';
import type { ChannelConfig } from './channels/index.js';
import { subscriptionErrors } from './subscription-errors.js';
import { DESTINATION_KINDS, TOPIC_DESTINATION, type DestinationKind } from './topic-destination-type.js';
import {
  parseSubscriptionFilters, readSubscription, PAYLOAD_CONTENTS, type CompiledTopic, type FilterClause, type PayloadContent,
} from './topics/index.js';

export type TargetType = 'Subscription' | typeof TOPIC_DESTINATION;

export interface DeliveryTarget {
  /** 'Subscription/abc' or 'TopicDestination/xyz'. */
  key: string;
  type: TargetType;
  id: string;
  topic: CompiledTopic;
  filters: FilterClause[];
  content: PayloadContent;
  /** The most events one notification carries (brokers: always one). */
  maxCount: number;
  heartbeatMs?: number;
  /** A requested Subscription is activated by its handshake first. */
  status: 'requested' | 'active';
  /** When it stops (milliseconds since the epoch). */
  endsAt?: number;
  /** None for a websocket Subscription. */
  channel?: ChannelConfig;
}

/** Where lookups and checks of targets come from. */
export interface TargetContext {
  topics: (url: string) => CompiledTopic | undefined;
  /** The server's own origins: no endpoint may point back at it. */
  selfOrigins: string[];
}

/** The secret of a Subscription's X-Flint-Signature: an extension on its channel. */
export const SIGNING_SECRET_URL = 'urn:flint:subscription-signing-secret';

function signingSecret(channel: unknown): string | undefined {
  const extensions = (channel as { extension?: { url?: string; valueString?: string }[] } | undefined)?.extension ?? [];
  return extensions.find((extension) => extension.url === SIGNING_SECRET_URL)?.valueString;
}

function endsAt(end: string | undefined): number | undefined {
  return end === undefined ? undefined : Date.parse(end);
}

/**
 * A criteria that is a search URL (`Observation?code=...`) makes an R4 classic, criteria-based
 * Subscription: stored as written, not delivered (docs/subscriptions.md#not-supported-yet). A topic
 * is named by its canonical URL.
 */
function isTopicCriteria(criteria: unknown): boolean {
  return typeof criteria === 'string' && /^(https?:|urn:)/.test(criteria);
}

/** A topic-based Subscription that is requested or active; undefined when it is off, in error, or classic. */
export function subscriptionTarget(resource: Resource, context: TargetContext): DeliveryTarget | undefined {
  if (resource.status !== 'requested' && resource.status !== 'active') return undefined;
  if (!isTopicCriteria(resource.criteria)) return undefined;
  const plan = readSubscription(resource, context.topics);
  if (plan.status !== 'requested' && plan.status !== 'active') return undefined;
  const { channel } = plan;
  const timeoutMs = channel.timeoutSeconds !== undefined ? channel.timeoutSeconds * 1000 : undefined;
  const secret = signingSecret(resource.channel);
  return {
    key: `Subscription/${resource.id}`, type: 'Subscription', id: resource.id as string, topic: plan.topic, filters: plan.filters,
    content: channel.content, maxCount: channel.maxCount ?? 1, status: plan.status,
    heartbeatMs: channel.heartbeatPeriodSeconds ? channel.heartbeatPeriodSeconds * 1000 : undefined,
    endsAt: endsAt(plan.end),
    channel: channel.type === 'rest-hook' ? {
      kind: 'rest-hook', endpoint: channel.endpoint as string, headers: channel.headers, selfOrigins: context.selfOrigins,
      ...(secret !== undefined ? { secret } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    } : undefined,
  };
}

type Parameters = Map<string, unknown[]>;

function destinationParameters(resource: Resource): Parameters {
  const parameters: Parameters = new Map();
  for (const parameter of (resource.parameter ?? []) as { name: string; [value: string]: unknown }[]) {
    const value = Object.entries(parameter).find(([key]) => key.startsWith('value'))?.[1];
    parameters.set(parameter.name, [...(parameters.get(parameter.name) ?? []), value]);
  }
  return parameters;
}

function required(parameters: Parameters, kind: string, name: string): string {
  const value = parameters.get(name)?.[0];
  if (typeof value !== 'string' || value === '') {
    throw subscriptionErrors['destination.bad-parameter']({ detail: `A ${kind} destination needs the parameter ${name}` }, { expression: 'TopicDestination.parameter' });
  }
  return value;
}

function optionalNumber(parameters: Parameters, name: string): number | undefined {
  const value = parameters.get(name)?.[0];
  return typeof value === 'number' ? value : undefined;
}

/** The channel settings of a destination's kind, from its parameters. */
function destinationChannel(kind: DestinationKind, parameters: Parameters, context: TargetContext): ChannelConfig {
  const confirmed = kind.endsWith('-at-least-once');
  if (kind === 'webhook-at-least-once') {
    const timeout = optionalNumber(parameters, 'timeout');
    const secret = parameters.get('secret')?.[0];
    return {
      kind: 'rest-hook', endpoint: required(parameters, kind, 'endpoint'), selfOrigins: context.selfOrigins,
      headers: (parameters.get('header') ?? []).filter((header): header is string => typeof header === 'string'),
      ...(typeof secret === 'string' ? { secret } : {}), ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    };
  }
  if (kind.startsWith('rabbitmq-')) {
    return {
      kind: 'amqp', url: required(parameters, kind, 'url'), exchange: (parameters.get('exchange')?.[0] as string | undefined) ?? '',
      routingKey: required(parameters, kind, 'routingKey'), mode: confirmed ? 'confirmed' : 'best-effort',
    };
  }
  if (kind.startsWith('nats-')) {
    return { kind: 'nats', servers: required(parameters, kind, 'servers'), subject: required(parameters, kind, 'subject'), mode: confirmed ? 'confirmed' : 'best-effort' };
  }
  return { kind: 'mqtt', url: required(parameters, kind, 'url'), topic: required(parameters, kind, 'topic'), qos: confirmed ? 1 : 0 };
}

/** An active TopicDestination; undefined when it is off. */
export function destinationTarget(resource: Resource, context: TargetContext): DeliveryTarget | undefined {
  if (resource.status === 'off') return undefined;
  const kind = resource.kind as DestinationKind;
  if (!(DESTINATION_KINDS as readonly string[]).includes(kind)) {
    throw subscriptionErrors['destination.bad-kind']({ detail: `kind must be one of ${DESTINATION_KINDS.join(', ')}, not "${String(kind)}"` }, { expression: 'TopicDestination.kind' });
  }
  const topicUrl = resource.topic as string;
  const topic = context.topics(topicUrl);
  if (!topic) throw subscriptionErrors['destination.unknown-topic']({ topic: topicUrl }, { expression: 'TopicDestination.topic' });
  const content = (resource.content as PayloadContent | undefined) ?? 'full-resource';
  if (!(PAYLOAD_CONTENTS as readonly string[]).includes(content)) {
    throw subscriptionErrors['destination.bad-parameter']({ detail: `content must be empty, id-only or full-resource, not "${content}"` }, { expression: 'TopicDestination.content' });
  }
  const parameters = destinationParameters(resource);
  const filters = (resource.filter ?? []) as string[];
  const batch = kind === 'webhook-at-least-once' ? optionalNumber(parameters, 'maxMessagesInBatch') : undefined;
  return {
    key: `${TOPIC_DESTINATION}/${resource.id}`, type: TOPIC_DESTINATION, id: resource.id as string, topic, content, status: 'active',
    filters: parseSubscriptionFilters(filters, topic, filters.map((_, i) => `TopicDestination.filter[${i}]`)),
    maxCount: batch && batch > 0 ? batch : 1,
    channel: destinationChannel(kind, parameters, context),
  };
}
