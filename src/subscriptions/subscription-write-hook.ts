/**
 * Checks topics, Subscriptions and TopicDestinations as they are written, inside the write's
 * transaction, so that a bad one is refused with its OperationOutcome and nothing is stored: a topic
 * that does not compile (bad FHIRPath, unknown type or filter), a Subscription or destination of an
 * unknown topic, with a filter the topic does not offer, an endpoint that is not http(s) or points
 * at this server, a broker setting that does not read. It records who wrote the target (its owner,
 * whose access rules choose its events). An update of a target in error puts its delivery back to
 * work (the retries start over).
 */
import type { Resource } from '../core/index.js';
import type { FhirModel } from '../model/index.js';
import { jsonParam, sql } from '../sql/index.js';
import type { ResourceChange, StorageResolver, WriteHook, WriteTx } from '../storage/index.js';
import { createChannel } from './channels/index.js';
import { destinationTarget, subscriptionTarget, type DeliveryTarget, type TargetContext } from './delivery-target.js';
import { loadTopics } from './target-registry.js';
import { TOPIC_DESTINATION } from './topic-destination-type.js';
import { compileTopic, SUBSCRIPTION_TOPIC, type SubscriptionTopicResource } from './topics/index.js';

export interface WriteHookSources {
  storages: StorageResolver;
  model: FhirModel;
  selfOrigins: string[];
}

/**
 * Who wrote the target last: its events are those of the rows this caller may read. The server's own
 * writes (a Subscription marked active or in error) keep the owner it had.
 */
async function recordOwner(tx: WriteTx, key: string): Promise<void> {
  if (!tx.caller) return;
  const { sessionId: _session, ...caller } = tx.caller;
  await tx.query(sql`
    INSERT INTO flint_delivery_owner (target, caller) VALUES (${key}, ${jsonParam(caller)}::jsonb)
    ON CONFLICT (target) DO UPDATE SET caller = excluded.caller`);
}

export class SubscriptionWriteHook implements WriteHook {
  constructor(private readonly sources: WriteHookSources) {}

  async beforeCommit(change: ResourceChange, tx: WriteTx): Promise<void> {
    if (change.action === 'delete' || !change.resource) return;
    const { resourceType, resource } = change;
    if (resourceType === SUBSCRIPTION_TOPIC) compileTopic(resource as SubscriptionTopicResource, this.sources.model);
    if (resourceType !== 'Subscription' && resourceType !== TOPIC_DESTINATION) return;
    const target = await this.read(tx, resource);
    if (target?.channel) await createChannel(target.channel).close();
    await recordOwner(tx, `${resourceType}/${change.id}`);
    if (change.action === 'update') await this.restart(tx, `${resourceType}/${change.id}`, resource.status === 'requested');
  }

  /** A target in error goes back to work; a Subscription requested again gets a handshake again. */
  private async restart(tx: WriteTx, key: string, requested: boolean): Promise<void> {
    await tx.query(sql`
      UPDATE flint_delivery_target SET state = 'active', attempts = 0, next_attempt_at = now(), last_error = NULL,
        handshaken = handshaken AND NOT ${requested}
      WHERE target = ${key} AND (state = 'error' OR (${requested} AND handshaken))`);
  }

  /** The target the resource makes, read against the topics of the transaction (a topic written beside it counts). */
  private async read(tx: WriteTx, resource: Resource): Promise<DeliveryTarget | undefined> {
    const topics = await loadTopics(tx, this.sources);
    const context: TargetContext = { topics: (url) => topics.get(url), selfOrigins: this.sources.selfOrigins };
    return resource.resourceType === 'Subscription' ? subscriptionTarget(resource, context) : destinationTarget(resource, context);
  }
}
