/**
 * Notification Bundles of R4 topic-based subscriptions (https://hl7.org/fhir/uv/subscriptions-backport/notifications.html,
 * profile backport-subscription-notification-r4): a `history` Bundle whose first entry is the
 * SubscriptionStatus Parameters (subscription-status.ts) as the answer of a GET of $status, then,
 * for events, an entry per event's focus by the payload content
 * (https://hl7.org/fhir/uv/subscriptions-backport/payloads.html): none for empty; fullUrl, request
 * and response for id-only; those and the resource for full-resource. The $status operation
 * answers a `searchset` Bundle of statuses.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry } from '../../core/index.js';
import { serverUrl, subscriptionOf, subscriptionStatus, type NotificationEventInput, type NotificationType, type StatusInput } from './subscription-status.js';

export interface NotificationInput extends StatusInput {
  /** Bundle.timestamp; now when not given. */
  timestamp?: string;
}

function statusEntry(type: NotificationType, input: StatusInput): BundleEntry {
  const id = randomUUID();
  return {
    fullUrl: `urn:uuid:${id}`,
    resource: subscriptionStatus(type, input, id),
    request: { method: 'GET', url: serverUrl(input.baseUrl, `${subscriptionOf(input)}/$status`) },
    response: { status: '200' },
  };
}

/** What the entry says happened to the focus (history Bundles need request and response, bdl-3 and bdl-4). */
function exchange(event: NotificationEventInput, focus: string): Pick<BundleEntry, 'request' | 'response'> {
  const type = focus.slice(0, focus.indexOf('/'));
  switch (event.event) {
    case 'created': return { request: { method: 'POST', url: type }, response: { status: '201' } };
    case 'updated': return { request: { method: 'PUT', url: focus }, response: { status: '200' } };
    case 'deleted': return { request: { method: 'DELETE', url: focus }, response: { status: '204' } };
    default: return { request: { method: 'GET', url: focus }, response: { status: '200' } };
  }
}

function focusEntries(input: StatusInput): BundleEntry[] {
  if (input.content === 'empty') return [];
  return (input.events ?? []).flatMap((event) => {
    if (event.focus === undefined) return [];
    const resource = input.content === 'full-resource' && event.resource ? { resource: event.resource } : {};
    return [{ fullUrl: serverUrl(input.baseUrl, event.focus), ...resource, ...exchange(event, event.focus) }];
  });
}

function historyBundle(type: NotificationType, input: NotificationInput, entries: BundleEntry[] = []): Bundle {
  return {
    resourceType: 'Bundle', id: randomUUID(), type: 'history', timestamp: input.timestamp ?? new Date().toISOString(),
    entry: [statusEntry(type, input), ...entries],
  };
}

/** The handshake sent when a rest-hook Subscription is activated (no events). */
export function handshakeBundle(input: NotificationInput): Bundle {
  return historyBundle('handshake', { ...input, events: [] });
}

/** A heartbeat: the status alone, at the channel's heartbeat period. */
export function heartbeatBundle(input: NotificationInput): Bundle {
  return historyBundle('heartbeat', { ...input, events: [] });
}

/** An event-notification with its events and, by content, their focus entries. */
export function eventNotificationBundle(input: NotificationInput): Bundle {
  return historyBundle('event-notification', input, focusEntries(input));
}

/** The answer of $events: past events in the shape of a notification, typed query-event. */
export function eventsBundle(input: NotificationInput): Bundle {
  return historyBundle('query-event', input, focusEntries(input));
}

/** The answer of $status: a searchset of one query-status Parameters per Subscription. */
export function statusBundle(inputs: readonly StatusInput[]): Bundle {
  const entry = inputs.map((input): BundleEntry => {
    const id = randomUUID();
    return { fullUrl: `urn:uuid:${id}`, resource: subscriptionStatus('query-status', { ...input, events: [] }, id), search: { mode: 'match' } };
  });
  return { resourceType: 'Bundle', id: randomUUID(), type: 'searchset', total: entry.length, entry };
}
