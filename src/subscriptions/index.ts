/**
 * subscriptions: the reactive API (docs/subscriptions.md). The change feed over the outbox every
 * write statement fills (change-sequencer.ts, change-feed.ts) and $changes; topics (topics/), the
 * delivery targets (Subscriptions and TopicDestinations), the matcher that numbers each target's
 * events, their delivery over the channels (channels/), $status and $events, and the websocket
 * channel ($get-ws-binding-token and the endpoint that binds sockets with its tokens).
 */
export { changesOperation } from './changes-operation.js';
export { sequenceChanges, pruneChanges } from './change-sequencer.js';
export { readChanges, latestPosition, type FeedChange, type FeedQuery } from './change-feed.js';
export { ChangeFeedService, type ChangeFeedSettings } from './change-feed-service.js';
export { subscriptionErrors } from './subscription-errors.js';
export { installSubscriptions, addSubscriptionTypes, SUBSCRIPTION_SYSTEM_TYPES, type Subscriptions, type SubscriptionSettings } from './install-subscriptions.js';
export { TOPIC_DESTINATION, DESTINATION_KINDS, type DestinationKind } from './topic-destination-type.js';
export { SIGNING_SECRET_URL } from './delivery-target.js';
export { topicErrors, SUBSCRIPTION_TOPIC } from './topics/index.js';
export { channelErrors, verifySignature, SIGNATURE_HEADER } from './channels/index.js';
export { issueBindingToken, verifyBindingToken, BINDING_TOKEN_SECONDS, type BindingGrant, type BindingToken, type BindingTokenSettings } from './ws-binding-token.js';
export { readBindMessage, POLICY_VIOLATION } from './websocket-route.js';
export { WEBSOCKET_PATH, websocketUrl } from './ws-binding-operation.js';
