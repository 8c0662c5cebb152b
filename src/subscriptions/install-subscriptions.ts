/**
 * Puts the reactive API into a server: the types (SubscriptionTopic, TopicDestination), the check
 * of topics, Subscriptions and destinations as they are written, the operations ($changes,
 * $status, $events), the change feed's mover and, unless turned off, the delivery of subscriptions
 * and destinations.
 */
import type { DatabaseLog } from '../db/index.js';
import type { EngineContext } from '../engine/index.js';
import type { FhirModel } from '../model/index.js';
import { ChangeFeedService } from './change-feed-service.js';
import { changesOperation } from './changes-operation.js';
import type { RetryScheduleOptions } from './channels/index.js';
import { DeliveryService } from './delivery-service.js';
import { subscriptionOperations } from './subscription-operations.js';
import { SubscriptionWriteHook } from './subscription-write-hook.js';
import { targetStateWriter } from './target-state-writer.js';
import { addTopicDestinationType, TOPIC_DESTINATION } from './topic-destination-type.js';
import { addSubscriptionTopicType, SUBSCRIPTION_TOPIC } from './topics/index.js';

/** The types the module adds, served whatever the storage configuration says. */
export const SUBSCRIPTION_SYSTEM_TYPES: readonly string[] = [SUBSCRIPTION_TOPIC, TOPIC_DESTINATION];

export function addSubscriptionTypes(model: FhirModel): void {
  addSubscriptionTopicType(model);
  addTopicDestinationType(model);
}

export interface SubscriptionSettings {
  /** FLINT_SUBSCRIPTIONS: deliver on this process (off: the feed and the operations still work). */
  deliver: boolean;
  changesIntervalMs: number;
  changesRetentionDays: number;
  workers: number;
  baseUrl: string;
  /** The server's own origins, which no endpoint may point at. */
  selfOrigins: string[];
  retry?: RetryScheduleOptions;
  /** How long a process holds a target it delivers (a crashed process's targets wait this long). */
  leaseMs?: number;
}

export interface Subscriptions {
  changeFeed: ChangeFeedService;
  delivery: DeliveryService;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function installSubscriptions(ctx: EngineContext, settings: SubscriptionSettings, log: () => DatabaseLog): Subscriptions {
  ctx.hooks.push(new SubscriptionWriteHook({ storages: ctx.storages, model: ctx.model, selfOrigins: settings.selfOrigins }));
  const logProxy: DatabaseLog = { warn: (details, message) => log().warn(details, message), info: (details, message) => log().info(details, message) };
  const changeFeed = new ChangeFeedService(ctx.db, { intervalMs: settings.changesIntervalMs, retentionDays: settings.changesRetentionDays }, logProxy);
  const delivery = new DeliveryService({ db: ctx.db, storages: ctx.storages, model: ctx.model, log: logProxy, hooks: targetStateWriter(ctx, settings.baseUrl) }, {
    intervalMs: settings.changesIntervalMs, workers: settings.workers, baseUrl: settings.baseUrl, selfOrigins: settings.selfOrigins,
    retry: settings.retry, leaseMs: settings.leaseMs, retentionDays: settings.changesRetentionDays,
  });
  ctx.operations.register(changesOperation);
  for (const operation of subscriptionOperations(delivery.registry)) ctx.operations.register(operation);
  return {
    changeFeed,
    delivery,
    async start() {
      changeFeed.start();
      if (!settings.deliver) return;
      changeFeed.onChanges(() => void delivery.match());
      await delivery.start();
    },
    async close() {
      await changeFeed.close();
      await delivery.close();
    },
  };
}
