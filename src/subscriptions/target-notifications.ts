/**
 * The notification Bundles of a target (topics/notification-bundle.ts): the events it is sent with
 * their focus resources read at the version each change made, its handshake and heartbeat, and its
 * status. A TopicDestination's Bundles name the destination where a Subscription's name the
 * Subscription.
 */
import type { Bundle, Resource } from '../core/index.js';
import { toFhirInstant, type Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';
import type { StorageResolver } from '../storage/index.js';
import { changeVersions, type ChangeRow } from './change-versions.js';
import type { DeliveryTarget } from './delivery-target.js';
import {
  eventNotificationBundle, eventsBundle, handshakeBundle, heartbeatBundle, type NotificationEventInput, type StatusInput,
  type SubscriptionStatusCode,
} from './topics/index.js';

/** One stored event of a target (flint_delivery_event). */
export interface StoredEvent extends ChangeRow {
  event_number: string;
}

/** The target's events from..to (eventNumbers, both included). */
export async function storedEvents(db: Queryable, target: string, from: number, to: number): Promise<StoredEvent[]> {
  const { rows } = await db.query<StoredEvent>(sql`
    SELECT event_number, position, resource_type, id, txid, event, ts FROM flint_delivery_event
    WHERE target = ${target} AND event_number BETWEEN ${from}::bigint AND ${to}::bigint ORDER BY event_number`);
  return rows;
}

/** The events as the Bundles take them; for full-resource content, each focus at the version its change made. */
export async function notificationEvents(
  db: Queryable, storages: StorageResolver, events: readonly StoredEvent[], withResources: boolean,
): Promise<NotificationEventInput[]> {
  const resources = new Map<string, Resource>();
  if (withResources) {
    const byType = new Map<string, StoredEvent[]>();
    for (const event of events) byType.set(event.resource_type, [...(byType.get(event.resource_type) ?? []), event]);
    for (const [type, list] of byType) {
      const storage = storages.storageFor(type);
      if (!storage) continue;
      const versions = await changeVersions(db, storage, list.map((event) => ({ position: Number(event.position), id: event.id, txid: event.txid })));
      for (const event of list) {
        const own = versions.get(Number(event.position))?.own;
        if (own && event.event !== 'deleted') resources.set(event.event_number, own.resource);
      }
    }
  }
  return events.map((event) => ({
    eventNumber: event.event_number, timestamp: toFhirInstant(event.ts), focus: `${event.resource_type}/${event.id}`, event: event.event,
    ...(resources.has(event.event_number) ? { resource: resources.get(event.event_number) } : {}),
  }));
}

export interface TargetStatus {
  status: SubscriptionStatusCode;
  eventsSinceStart: number;
}

/** A destination's Bundles name it (its key) where a Subscription's name the Subscription. */
function statusInput(target: DeliveryTarget, status: TargetStatus, baseUrl: string, events: NotificationEventInput[] = []): StatusInput {
  return { subscriptionId: target.id, subscription: target.key, topicUrl: target.topic.url, status: status.status, eventsSinceStart: status.eventsSinceStart, events, content: target.content, baseUrl };
}

export function eventNotification(target: DeliveryTarget, status: TargetStatus, baseUrl: string, events: NotificationEventInput[]): Bundle {
  return eventNotificationBundle(statusInput(target, status, baseUrl, events));
}

export function eventsQueryAnswer(target: DeliveryTarget, status: TargetStatus, baseUrl: string, events: NotificationEventInput[]): Bundle {
  return eventsBundle(statusInput(target, status, baseUrl, events));
}

export function handshake(target: DeliveryTarget, status: TargetStatus, baseUrl: string): Bundle {
  return handshakeBundle(statusInput(target, status, baseUrl));
}

export function heartbeat(target: DeliveryTarget, status: TargetStatus, baseUrl: string): Bundle {
  return heartbeatBundle(statusInput(target, status, baseUrl));
}
