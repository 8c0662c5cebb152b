/**
 * The live set of delivery targets: every SubscriptionTopic compiled, and every Subscription and
 * TopicDestination that is to receive events, read from their tables. The matcher reloads it
 * whenever the feed brings a change of one of those types, so a target hears of the changes after
 * its own in the feed order. A stored resource that no longer reads (its topic deleted) is left out
 * and logged, never fatal.
 */
import type { Resource } from '../core/index.js';
import type { DatabaseLog, Queryable } from '../db/index.js';
import type { FhirModel } from '../model/index.js';
import { ident, sql } from '../sql/index.js';
import { fromRow, type ResourceRow, type StorageResolver } from '../storage/index.js';
import { destinationTarget, subscriptionTarget, type DeliveryTarget, type TargetContext } from './delivery-target.js';
import { TOPIC_DESTINATION } from './topic-destination-type.js';
import { compileTopic, SUBSCRIPTION_TOPIC, type CompiledTopic, type SubscriptionTopicResource } from './topics/index.js';

/** The types whose changes change the targets. */
export const TARGET_DEFINING_TYPES: ReadonlySet<string> = new Set([SUBSCRIPTION_TOPIC, 'Subscription', TOPIC_DESTINATION]);

export interface RegistrySources {
  storages: StorageResolver;
  model: FhirModel;
  selfOrigins: string[];
  log: DatabaseLog;
}

/** Every current resource of a type (none when the type is not served). */
export async function currentResources(db: Queryable, storages: StorageResolver, resourceType: string): Promise<Resource[]> {
  const storage = storages.storageFor(resourceType);
  if (!storage) return [];
  const { rows } = await db.query<ResourceRow>(sql`SELECT id, txid, ts, resource_type, status, resource FROM ${ident(storage.table)}`);
  return rows.map((row) => fromRow(row).resource);
}

/** The topics by canonical URL (and url|version); one that does not compile is left out. */
export async function loadTopics(db: Queryable, sources: Pick<RegistrySources, 'storages' | 'model'>, log?: DatabaseLog): Promise<Map<string, CompiledTopic>> {
  const topics = new Map<string, CompiledTopic>();
  for (const resource of await currentResources(db, sources.storages, SUBSCRIPTION_TOPIC)) {
    try {
      const topic = compileTopic(resource as SubscriptionTopicResource, sources.model);
      topics.set(topic.url, topic);
      if (topic.version !== undefined) topics.set(`${topic.url}|${topic.version}`, topic);
    } catch (error) {
      log?.warn({ err: error, topic: resource.id }, 'a stored SubscriptionTopic does not compile; it is left out');
    }
  }
  return topics;
}

/** A Subscription's `end` passed: it gets no more events and sends nothing more. */
function live(target: DeliveryTarget): boolean {
  return target.endsAt === undefined || Number.isNaN(target.endsAt) || target.endsAt > Date.now();
}

export class TargetRegistry {
  private byType = new Map<string, DeliveryTarget[]>();
  private byKey = new Map<string, DeliveryTarget>();
  /** The feed position of the newest change of a target-defining type the targets were read after (-1: never read). */
  private readThrough = -1;
  private validThrough = 0;

  constructor(private readonly sources: RegistrySources) {}

  /** The targets whose topic watches the type (a Subscription past its end is none). */
  forType(resourceType: string): readonly DeliveryTarget[] {
    return (this.byType.get(resourceType) ?? []).filter(live);
  }

  get(key: string): DeliveryTarget | undefined {
    return this.byKey.get(key);
  }

  all(): DeliveryTarget[] {
    return [...this.byKey.values()].filter(live);
  }

  /**
   * Reads the targets again when the feed has a change of a topic, Subscription or destination
   * newer than the last read (one index lookup otherwise).
   */
  async refresh(db: Queryable): Promise<void> {
    const { rows } = await db.query<{ newest: string | null; feed: string }>(sql`
      SELECT max((SELECT max(position) FROM flint_change WHERE resource_type = type)) AS newest,
        (SELECT coalesce(max(position), 0) FROM flint_change) AS feed
      FROM unnest(${[...TARGET_DEFINING_TYPES]}::text[]) AS type`);
    const newest = Number(rows[0]?.newest ?? 0);
    const feed = Number(rows[0]?.feed ?? 0);
    if (newest !== this.readThrough) {
      await this.reload(db);
      this.readThrough = newest;
    }
    this.validThrough = feed;
  }

  /**
   * The feed position up to which the targets as read are the whole truth: every change of a topic,
   * Subscription or destination up to it was read (the feed's end when the last refresh began).
   */
  get currentThrough(): number {
    return this.validThrough;
  }

  async reload(db: Queryable): Promise<void> {
    const topics = await loadTopics(db, this.sources, this.sources.log);
    const context: TargetContext = { topics: (url) => topics.get(url), selfOrigins: this.sources.selfOrigins };
    const targets: DeliveryTarget[] = [];
    const read = async (type: string, reader: typeof subscriptionTarget) => {
      for (const resource of await currentResources(db, this.sources.storages, type)) {
        try {
          const target = reader(resource, context);
          if (target) targets.push(target);
        } catch (error) {
          this.sources.log.warn({ err: error, target: `${type}/${resource.id}` }, 'a stored subscription or destination does not read; it gets no events');
        }
      }
    };
    await read('Subscription', subscriptionTarget);
    await read(TOPIC_DESTINATION, destinationTarget);
    this.byKey = new Map(targets.map((target) => [target.key, target]));
    this.byType = new Map();
    for (const target of targets) {
      for (const type of target.topic.resourceTypes) this.byType.set(type, [...(this.byType.get(type) ?? []), target]);
    }
  }
}
