/**
 * A SubscriptionTopic checked and compiled (http://hl7.org/fhir/R5/subscriptiontopic.html): its
 * url and status, its resource triggers (topic-trigger.ts) and the filters its Subscriptions may
 * use (topic-filters.ts) and its notification shapes. A change matches the topic when any of its triggers matches it. Event
 * triggers are not supported: a topic needs at least one resource trigger.
 */
import type { FhirModel } from '../../model/index.js';
import { topicErrors } from './topic-errors.js';
import { compileCanFilterBy, type TopicFilterParameters } from './topic-filters.js';
import { topicResourceType } from './topic-resource-type.js';
import type { SubscriptionTopicResource, TopicChange, TopicNotificationShape } from './topic-shape.js';
import { compileTrigger, type CompiledTrigger } from './topic-trigger.js';

export const TOPIC_STATUSES = ['draft', 'active', 'retired', 'unknown'] as const;

export interface CompiledTopic {
  url: string;
  version?: string;
  status: (typeof TOPIC_STATUSES)[number];
  /** The resource types of the triggers, in their order, each once. */
  resourceTypes: readonly string[];
  triggers: readonly CompiledTrigger[];
  /** The filters a Subscription of the topic may use. */
  filterParameters: TopicFilterParameters;
  /** What notifications of the topic carry besides the focus, by focus type. */
  notificationShapes: readonly NotificationShape[];
  /** The topic as given. */
  resource: SubscriptionTopicResource;
  /** Does the change trigger a notification of this topic (before any Subscription filter)? */
  matches(change: TopicChange): boolean;
}

export interface NotificationShape {
  resourceType: string;
  include: readonly string[];
  revInclude: readonly string[];
}

function compileShapes(shapes: readonly TopicNotificationShape[], model: FhirModel): NotificationShape[] {
  return shapes.map((shape, i) => {
    const at = `SubscriptionTopic.notificationShape[${i}].resource`;
    if (typeof shape.resource !== 'string') throw topicErrors['subscription.bad-topic']({ detail: 'A notificationShape has no resource' }, { expression: at });
    const resourceType = topicResourceType(shape.resource, model);
    if (!resourceType) throw topicErrors['subscription.topic-unknown-resource']({ resource: shape.resource }, { expression: at });
    return { resourceType, include: shape.include ?? [], revInclude: shape.revInclude ?? [] };
  });
}

function checkHeader(topic: SubscriptionTopicResource): void {
  const bad = (detail: string, expression: string) => topicErrors['subscription.bad-topic']({ detail }, { expression });
  if (typeof topic.url !== 'string' || topic.url === '') throw bad('A SubscriptionTopic needs its canonical url', 'SubscriptionTopic.url');
  if (!(TOPIC_STATUSES as readonly string[]).includes(String(topic.status))) {
    throw bad(`Status "${String(topic.status)}" is not draft, active, retired or unknown`, 'SubscriptionTopic.status');
  }
  if (!Array.isArray(topic.resourceTrigger) || topic.resourceTrigger.length === 0) {
    throw bad('A SubscriptionTopic needs at least one resourceTrigger (event triggers are not supported)', 'SubscriptionTopic.resourceTrigger');
  }
}

/** Checks and compiles a topic; a FhirError names the element at fault in its expression. */
export function compileTopic(topic: SubscriptionTopicResource, model: FhirModel): CompiledTopic {
  checkHeader(topic);
  const triggers = (topic.resourceTrigger ?? []).map((trigger, i) => compileTrigger(trigger, `SubscriptionTopic.resourceTrigger[${i}]`, model));
  const resourceTypes = [...new Set(triggers.map((trigger) => trigger.resourceType))];
  return {
    url: topic.url as string,
    ...(topic.version !== undefined ? { version: topic.version } : {}),
    status: topic.status as CompiledTopic['status'],
    resourceTypes,
    triggers,
    filterParameters: compileCanFilterBy(topic.canFilterBy ?? [], resourceTypes, model),
    notificationShapes: compileShapes(topic.notificationShape ?? [], model),
    resource: topic,
    matches: (change) => triggers.some((trigger) => trigger.matches(change)),
  };
}
