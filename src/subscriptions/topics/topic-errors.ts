/**
 * The error catalogue of subscription topics and backport Subscriptions: every stable code raised
 * when a SubscriptionTopic is compiled, when a Subscription's filters are parsed and when a
 * Subscription is read into its plan (see core/error-catalogue.ts). Each throw site gives the
 * `expression` of the element at fault.
 */
import { defineErrors, detail } from '../../core/index.js';

export const topicErrors = defineErrors('subscriptions', {
  'subscription.bad-topic': {
    category: 'invalid',
    summary: 'A SubscriptionTopic lacks what a topic needs (a url, a resource trigger, a trigger resource) or has a value out of its code list',
    message: detail,
  },
  'subscription.topic-unknown-resource': {
    category: 'invalid',
    summary: 'A resource trigger or a canFilterBy of a SubscriptionTopic names a resource type the server does not have',
    message: (a: { resource: string }) => `The topic names resource ${a.resource}, which is not a resource type of this server`,
  },
  'subscription.topic-bad-interaction': {
    category: 'invalid',
    summary: 'A resource trigger lists a supportedInteraction other than create, update or delete',
    message: (a: { interaction: string }) => `Interaction "${a.interaction}" is not create, update or delete`,
  },
  'subscription.topic-bad-criteria': {
    category: 'invalid',
    summary: 'The fhirPathCriteria of a resource trigger is not valid FHIRPath',
    message: (a: { criteria: string; reason: string }) => `The FHIRPath criteria "${a.criteria}" is not valid: ${a.reason}`,
  },
  'subscription.topic-bad-query-criteria': {
    category: 'invalid',
    summary: 'The queryCriteria of a resource trigger is not a query this server can evaluate on a resource in memory',
    message: detail,
  },
  'subscription.topic-unknown-filter': {
    category: 'invalid',
    summary: 'A canFilterBy of a SubscriptionTopic names a filterParameter that is not a search parameter of its resource type',
    message: (a: { parameter: string; resource: string }) => `"${a.parameter}" is not a search parameter of ${a.resource}`,
  },
  'subscription.bad-filter': {
    category: 'invalid',
    summary: 'A filter of a Subscription names a resource, parameter, modifier or value the topic does not allow',
    message: detail,
  },
  'subscription.unsupported-filter-type': {
    category: 'unsupported',
    summary: 'A filter of a Subscription uses a search parameter of a type not evaluated on notifications (only token, reference, string, uri and date are)',
    message: (a: { parameter: string; type: string }) => `Filter parameter "${a.parameter}" is of type ${a.type}; only token, reference, string, uri and date filters are supported`,
  },
  'subscription.unknown-topic': {
    category: 'invalid',
    summary: 'The criteria of a Subscription is not the canonical URL of a SubscriptionTopic of this server',
    message: (a: { topic: string }) => `No SubscriptionTopic has the canonical URL "${a.topic}"`,
  },
  'subscription.unsupported-channel': {
    category: 'unsupported',
    summary: 'The channel type of a Subscription is neither rest-hook nor websocket',
    message: (a: { type: string }) => `Channel type "${a.type}" is not supported; use rest-hook or websocket`,
  },
  'subscription.missing-endpoint': {
    category: 'invalid',
    summary: 'A rest-hook Subscription has no channel endpoint (an absolute http or https URL)',
    message: detail,
  },
  'subscription.bad-payload': {
    category: 'invalid',
    summary: 'The channel payload of a Subscription lacks its mime type, or its content extension is not empty, id-only or full-resource',
    message: detail,
  },
  'subscription.bad-channel-value': {
    category: 'invalid',
    summary: 'A channel extension of a Subscription (heartbeat period, timeout, max count) or a header is out of range',
    message: detail,
  },
  'subscription.bad-subscription': {
    category: 'invalid',
    summary: 'A Subscription is not a backport topic-based Subscription (no criteria, no channel, or a status out of its code list)',
    message: detail,
  },
});
