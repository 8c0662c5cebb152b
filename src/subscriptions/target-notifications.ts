/**
 * The notification Bundles of a target (topics/notification-bundle.ts): the events it is sent with
 * their focus resources read at the version each change made, its handshake and heartbeat, and its
 * status. A TopicDestination's Bundles name the destination where a Subscription's name the
 * Subscription.
 */
import type { Bundle, Resource } from '../core/index.js';
import { toFhirInstant, type Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';
import type { ChangeEvent, StorageResolver } from '../storage/index.js';
import { changeVersions } from './change-versions.js';
import type { DeliveryTarget } from './delivery-target.js';
import {
  eventNotificationBundle, eventsBundle, handshakeBundle, heartbeatBundle, serverUrl, type NotificationEventInput, type StatusInput,
  type SubscriptionStatusCode,
} from './topics/index.js';

/** One stored event of a target (flint_delivery_event). */
export interface StoredEvent {
  event_number: string;
  position: string;
  resource_type: string;
  id: string;
  txid: string;
  event: ChangeEvent;
  ts: string;
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

function statusInput(target: DeliveryTarget, status: TargetStatus, baseUrl: string, events: NotificationEventInput[] = []): StatusInput {
  return { subscriptionId: target.id, topicUrl: target.topic.url, status: status.status, eventsSinceStart: status.eventsSinceStart, events, content: target.content, baseUrl };
}

/** A destination's Bundles name it instead of a Subscription. */
function naming(target: DeliveryTarget, bundle: Bundle, baseUrl: string): Bundle {
  if (target.type === 'Subscription') return bundle;
  const status = bundle.entry?.[0]?.resource as { parameter?: { name: string; valueReference?: { reference: string } }[] } | undefined;
  const subscription = status?.parameter?.find((parameter) => parameter.name === 'subscription');
  if (subscription) subscription.valueReference = { reference: serverUrl(baseUrl, target.key) };
  return bundle;
}

export function eventNotification(target: DeliveryTarget, status: TargetStatus, baseUrl: string, events: NotificationEventInput[]): Bundle {
  return naming(target, eventNotificationBundle(statusInput(target, status, baseUrl, events)), baseUrl);
}

export function eventsQueryAnswer(target: DeliveryTarget, status: TargetStatus, baseUrl: string, events: NotificationEventInput[]): Bundle {
  return naming(target, eventsBundle(statusInput(target, status, baseUrl, events)), baseUrl);
}

export function handshake(target: DeliveryTarget, status: TargetStatus, baseUrl: string): Bundle {
  return naming(target, handshakeBundle(statusInput(target, status, baseUrl)), baseUrl);
}

export function heartbeat(target: DeliveryTarget, status: TargetStatus, baseUrl: string): Bundle {
  return naming(target, heartbeatBundle(statusInput(target, status, baseUrl)), baseUrl);
}
