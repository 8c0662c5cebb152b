/**
 * What the delivery writes back to a Subscription: `active` once its handshake arrived, `error`
 * with the reason once delivery gave up (R4 Subscription.status and .error). The write goes through
 * the engine as the server's own (validation, history, the audit log, the change feed), with
 * If-Match so that a client's change made meanwhile wins. A TopicDestination keeps its resource as
 * written: its state is in $status.
 */
import type { Resource } from '../core/index.js';
import { handleRequest, type EngineContext } from '../engine/index.js';
import { readCurrent } from '../storage/index.js';
import type { DeliveryTarget } from './delivery-target.js';
import type { TargetStateHooks } from './event-delivery.js';

async function writeSubscription(ctx: EngineContext, baseUrl: string, target: DeliveryTarget, change: (resource: Resource) => Resource): Promise<void> {
  const storage = ctx.storages.storageFor(target.type);
  const current = storage ? await readCurrent(ctx.db, storage, target.id) : undefined;
  if (!current) return;
  await handleRequest(ctx, {
    method: 'PUT', path: `${target.type}/${target.id}`, query: [], headers: { 'if-match': `W/"${current.versionId}"` },
    body: change(current.resource), contentType: 'application/fhir+json', baseUrl,
  });
}

export function targetStateWriter(ctx: EngineContext, baseUrl: string): TargetStateHooks {
  const subscriptionOnly = (target: DeliveryTarget, change: (resource: Resource) => Resource) =>
    target.type === 'Subscription' ? writeSubscription(ctx, baseUrl, target, change) : Promise.resolve();
  return {
    activated: (target) => subscriptionOnly(target, (resource) => ({ ...resource, status: 'active' })),
    failed: (target, reason) => subscriptionOnly(target, (resource) => ({ ...resource, status: 'error', error: reason })),
  };
}
