/**
 * subscriptions: the reactive API. The change feed over the outbox the storage fills in every write
 * (change-sequencer.ts, change-feed.ts) and $changes; topics, subscriptions, channels and
 * destinations build on it (docs/subscriptions.md).
 */
export { changesOperation } from './changes-operation.js';
export { sequenceChanges, pruneChanges } from './change-sequencer.js';
export { readChanges, latestPosition, type FeedChange, type FeedQuery } from './change-feed.js';
export { subscriptionErrors } from './subscription-errors.js';
export { ChangeFeedService, type ChangeFeedSettings } from './change-feed-service.js';
