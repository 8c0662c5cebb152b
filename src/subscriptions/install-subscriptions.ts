/**
 * Puts the reactive API into a server: the types (SubscriptionTopic, TopicDestination), the check
 * of topics, Subscriptions and destinations as they are written, the operations ($changes,
 * $status, $events), the change feed's mover and, unless turned off, the delivery of subscriptions
 * and destinations; and the websocket channel ($get-ws-binding-token and its endpoint), once the
 * server's signing keys are known.
 */
import type { FastifyInstance } from 'fastify';
import type { SigningKeys } from '../access/index.js';
import type { Caller } from '../core/index.js';
import type { DatabaseLog } from '../db/index.js';
import type { EngineContext } from '../engine/index.js';
import type { FhirModel } from '../model/index.js';
import { ChangeFeedService } from './change-feed-service.js';
import { changesOperation } from './changes-operation.js';
import type { RetryScheduleOptions } from './channels/index.js';
import { DeliveryService } from './delivery-service.js';
import { subscriptionOperations } from './subscription-operations.js';
import { SubscriptionWriteHook } from './subscription-write-hook.js';
import { typeAccess } from './target-access.js';
import { targetStateWriter } from './target-state-writer.js';
import { WebSocketBindings } from './websocket-bindings.js';
import { registerWebSocketRoute } from './websocket-route.js';
import { bindingTokenOperation } from './ws-binding-operation.js';
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
  /** The sockets bound to websocket Subscriptions on this process. */
  websockets: WebSocketBindings;
  /** Registers $get-ws-binding-token (tokens signed with the keys) and answers the websocket endpoint's route. */
  websocketChannel(keys: SigningKeys): (app: FastifyInstance) => void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function installSubscriptions(ctx: EngineContext, settings: SubscriptionSettings, log: () => DatabaseLog): Subscriptions {
  ctx.hooks.push(new SubscriptionWriteHook({ storages: ctx.storages, model: ctx.model, selfOrigins: settings.selfOrigins }));
  const logProxy: DatabaseLog = { warn: (details, message) => log().warn(details, message), info: (details, message) => log().info(details, message) };
  const changeFeed = new ChangeFeedService(ctx.db, { intervalMs: settings.changesIntervalMs, retentionDays: settings.changesRetentionDays }, logProxy);
  const hooks = targetStateWriter(ctx, settings.baseUrl);
  const access = (owner: Caller | undefined, resourceType: string) => typeAccess(ctx, owner, resourceType, settings.baseUrl);
  const delivery = new DeliveryService({ db: ctx.db, storages: ctx.storages, model: ctx.model, log: logProxy, hooks, access }, {
    intervalMs: settings.changesIntervalMs, workers: settings.workers, baseUrl: settings.baseUrl, selfOrigins: settings.selfOrigins,
    retry: settings.retry, leaseMs: settings.leaseMs, retentionDays: settings.changesRetentionDays,
  });
  ctx.operations.register(changesOperation);
  for (const operation of subscriptionOperations(delivery.registry)) ctx.operations.register(operation);
  const websockets = new WebSocketBindings(
    { db: ctx.db, storages: ctx.storages, registry: delivery.registry, hooks, log: logProxy },
    { baseUrl: settings.baseUrl, intervalMs: settings.changesIntervalMs },
  );
  delivery.onMatched(() => websockets.wake());
  return {
    changeFeed,
    delivery,
    websockets,
    websocketChannel(keys) {
      ctx.operations.register(bindingTokenOperation(keys, {}));
      return (app) => registerWebSocketRoute(app, { keys, bindings: websockets, registry: delivery.registry, db: ctx.db, prefix: '/fhir' });
    },
    async start() {
      changeFeed.start();
      websockets.start();
      if (!settings.deliver) return;
      changeFeed.onChanges(() => void delivery.match());
      await delivery.start();
    },
    async close() {
      await websockets.close();
      await changeFeed.close();
      await delivery.close();
    },
  };
}
