/**
 * subscriptions/topics: the pure model of topic-based subscriptions (R4 Subscriptions Backport IG,
 * https://hl7.org/fhir/uv/subscriptions-backport/): the SubscriptionTopic type, topics compiled
 * into matchers of committed changes, Subscription filters evaluated in memory, backport
 * Subscriptions read into delivery plans, and the notification Bundles. No database, no network.
 */
export { SUBSCRIPTION_TOPIC, SUBSCRIPTION_TOPIC_URL, SUBSCRIPTION_TOPIC_TYPES, addSubscriptionTopicType } from './subscription-topic-type.js';
export { compileTopic, TOPIC_STATUSES, type CompiledTopic, type NotificationShape } from './compile-topic.js';
export { TOPIC_INTERACTIONS, type CompiledTrigger, type TopicInteraction } from './topic-trigger.js';
export type { TopicFilterParameter, TopicFilterParameters } from './topic-filters.js';
export type {
  SubscriptionTopicResource, TopicResourceTrigger, TopicQueryCriteria, TopicCanFilterBy, TopicNotificationShape, TopicChange, TopicEvent,
} from './topic-shape.js';
export { parseSubscriptionFilters, filtersMatch, type FilterClause } from './subscription-filters.js';
export { readSubscription, planMatches, SUBSCRIPTION_STATUSES, type SubscriptionPlan, type SubscriptionStatusCode } from './read-subscription.js';
export { readChannel, PAYLOAD_CONTENTS, type PayloadContent, type SubscriptionChannel } from './subscription-channel.js';
export {
  handshakeBundle, heartbeatBundle, eventNotificationBundle, eventsBundle, statusBundle, type NotificationInput,
} from './notification-bundle.js';
export { subscriptionStatus, serverUrl, type NotificationType, type NotificationEventInput, type StatusInput, type CodeableConcept } from './subscription-status.js';
export { BACKPORT } from './backport-urls.js';
export { topicErrors } from './topic-errors.js';
