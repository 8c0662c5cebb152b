/**
 * The subscriptions module's error catalogue: the change feed ($changes), the delivery of
 * subscriptions and the websocket channel (see core/error-catalogue.ts).
 */
import { defineErrors, detail } from '../core/index.js';

export const subscriptionErrors = defineErrors('subscriptions', {
  'changes.bad-version': {
    category: 'invalid',
    summary: '$changes version is not a position or a range of two positions (after,upTo)',
    message: detail,
  },
  'changes.bad-count': {
    category: 'invalid',
    summary: '$changes _count is not a whole number from 1 to the maximum',
    message: detail,
  },
  'destination.bad-kind': {
    category: 'invalid',
    summary: 'A TopicDestination has a kind this server does not deliver to',
    message: detail,
  },
  'destination.unknown-topic': {
    category: 'invalid',
    summary: 'A TopicDestination names a topic no SubscriptionTopic has as its url',
    message: (a: { topic: string }) => `No SubscriptionTopic has the url ${a.topic}`,
  },
  'destination.bad-parameter': {
    category: 'invalid',
    summary: 'A TopicDestination lacks a parameter its kind needs, or has a bad content',
    message: detail,
  },
  'subscription.not-delivering': {
    category: 'not-found',
    summary: 'The Subscription or TopicDestination of $status or $events does not exist or does not take events (off, or a Subscription in error)',
    message: (a: { target: string }) => `${a.target} does not exist or takes no events`,
  },
  'subscription.bad-event-number': {
    category: 'invalid',
    summary: '$events eventsSinceNumber or eventsUntilNumber is not a whole number',
    message: detail,
  },
  'websocket.unknown-subscription': {
    category: 'not-found',
    summary: '$get-ws-binding-token names a Subscription that does not exist or that the caller may not read',
    message: (a: { id: string }) => `Subscription/${a.id} does not exist or the caller may not read it`,
  },
  'websocket.not-websocket': {
    category: 'invalid',
    summary: '$get-ws-binding-token names a Subscription whose channel is not websocket, or one that takes no events (off, error)',
    message: detail,
  },
  'websocket.no-subscription': {
    category: 'invalid',
    summary: 'A type-level $get-ws-binding-token names no Subscription (an id parameter is required)',
    message: () => 'Name the Subscriptions to bind with one or more id parameters',
  },
  'websocket.bad-token': {
    category: 'forbidden',
    summary: 'A websocket bind-with-token carries a token that is not a valid, unexpired binding token of this server, or its Subscriptions take no events',
    message: detail,
  },
  'websocket.bad-message': {
    category: 'invalid',
    summary: 'A websocket client sent a message other than bind-with-token <token> [lastEventNumber]',
    message: detail,
  },
});
