/**
 * A backport Subscription (https://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition-backport-subscription.html)
 * read into the plan its notifications follow: the topic (Subscription.criteria is its canonical
 * URL), the filters (backport-filter-criteria extensions on criteria, checked against the topic),
 * the channel (subscription-channel.ts), the end and the status. Its structure is checked by the
 * R4 model's own validation of Subscription; this reading checks what the backport adds.
 */
import { isJsonObject, type Resource } from '../../core/index.js';
import { BACKPORT } from './backport-urls.js';
import type { CompiledTopic } from './compile-topic.js';
import { readChannel, type SubscriptionChannel } from './subscription-channel.js';
import { filtersMatch, parseSubscriptionFilters, type FilterClause } from './subscription-filters.js';
import { topicErrors } from './topic-errors.js';
import type { TopicChange } from './topic-shape.js';

export const SUBSCRIPTION_STATUSES = ['requested', 'active', 'error', 'off'] as const;
export type SubscriptionStatusCode = (typeof SUBSCRIPTION_STATUSES)[number];

export interface SubscriptionPlan {
  /** The Subscription's id, when it has one. */
  id?: string;
  topicUrl: string;
  topic: CompiledTopic;
  filters: FilterClause[];
  channel: SubscriptionChannel;
  /** When the subscription ends (an instant). */
  end?: string;
  status: SubscriptionStatusCode;
}

/** The topic of a canonical, with or without its |version. */
function findTopic(url: string, topics: (url: string) => CompiledTopic | undefined): CompiledTopic {
  const topic = topics(url) ?? (url.includes('|') ? topics(url.slice(0, url.indexOf('|'))) : undefined);
  if (!topic) throw topicErrors['subscription.unknown-topic']({ topic: url }, { expression: 'Subscription.criteria' });
  return topic;
}

function filterTexts(subscription: Resource): { texts: string[]; expressions: string[] } {
  const extensions = isJsonObject(subscription._criteria) && Array.isArray(subscription._criteria.extension) ? subscription._criteria.extension : [];
  const texts: string[] = [];
  const expressions: string[] = [];
  extensions.forEach((extension: unknown, i) => {
    if (!isJsonObject(extension) || extension.url !== BACKPORT.filterCriteria) return;
    const expression = `Subscription.criteria.extension[${i}]`;
    if (typeof extension.valueString !== 'string') throw topicErrors['subscription.bad-filter']({ detail: 'A filter criteria extension needs its valueString' }, { expression });
    texts.push(extension.valueString);
    expressions.push(expression);
  });
  return { texts, expressions };
}

function status(subscription: Resource): SubscriptionStatusCode {
  const value = subscription.status;
  if (!(SUBSCRIPTION_STATUSES as readonly unknown[]).includes(value)) {
    throw topicErrors['subscription.bad-subscription']({ detail: `Status "${String(value)}" is not requested, active, error or off` }, { expression: 'Subscription.status' });
  }
  return value as SubscriptionStatusCode;
}

/** Reads a Subscription; `topics` finds a compiled topic by canonical URL. */
export function readSubscription(subscription: Resource, topics: (url: string) => CompiledTopic | undefined): SubscriptionPlan {
  const criteria = subscription.criteria;
  if (typeof criteria !== 'string' || criteria === '') {
    throw topicErrors['subscription.bad-subscription']({ detail: 'Subscription.criteria must be the canonical URL of a SubscriptionTopic' }, { expression: 'Subscription.criteria' });
  }
  const topic = findTopic(criteria, topics);
  const { texts, expressions } = filterTexts(subscription);
  const end = typeof subscription.end === 'string' ? subscription.end : undefined;
  return {
    ...(subscription.id !== undefined ? { id: subscription.id } : {}),
    topicUrl: criteria,
    topic,
    filters: parseSubscriptionFilters(texts, topic, expressions),
    channel: readChannel(subscription.channel),
    ...(end !== undefined ? { end } : {}),
    status: status(subscription),
  };
}

/**
 * Does the change notify this Subscription: the topic matches it and the filters pass on the
 * resource (its previous version for a delete)? The status and end are the caller's to weigh.
 */
export function planMatches(plan: SubscriptionPlan, change: TopicChange): boolean {
  const resource = change.current ?? change.previous;
  return plan.topic.matches(change) && (resource === undefined || filtersMatch(plan.filters, resource));
}
