/**
 * The SubscriptionStatus of an R4 notification: a Parameters resource of the backport profile
 * backport-subscription-status-r4 (https://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition-backport-subscription-status-r4.html)
 * with the parameters subscription, topic, status, type, events-since-subscription-start,
 * notification-event (event-number, timestamp, focus, additional-context) and error.
 */
import type { Resource } from '../../core/index.js';
import { BACKPORT } from './backport-urls.js';
import type { SubscriptionStatusCode } from './read-subscription.js';
import type { PayloadContent } from './subscription-channel.js';
import type { TopicEvent } from './topic-shape.js';

export type NotificationType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event';

export interface CodeableConcept {
  coding?: { system?: string; code?: string; display?: string }[];
  text?: string;
}

export interface NotificationEventInput {
  eventNumber: number | string;
  /** When the event happened (an instant). */
  timestamp?: string;
  /** The focus as 'Type/id'. */
  focus?: string;
  /** What happened to the focus; without it, its entry reads as a GET of the resource. */
  event?: TopicEvent;
  /** The focus resource, for full-resource content. */
  resource?: Resource;
  /** Further references ('Type/id') for the event's additional-context. */
  additionalContext?: string[];
}

export interface StatusInput {
  subscriptionId: string;
  /** What the notification is of, as 'Type/id': `Subscription/<subscriptionId>` unless told (a TopicDestination). */
  subscription?: string;
  topicUrl?: string;
  status: SubscriptionStatusCode;
  eventsSinceStart: number | string;
  events?: NotificationEventInput[];
  content: PayloadContent;
  /** The server's FHIR base URL, for the absolute references. */
  baseUrl: string;
  error?: CodeableConcept[];
}

type Parameter = { name: string; [key: string]: unknown };

/** The 'Type/id' the status is of. */
export function subscriptionOf(input: Pick<StatusInput, 'subscriptionId' | 'subscription'>): string {
  return input.subscription ?? `Subscription/${input.subscriptionId}`;
}

/** An absolute URL on the server for a relative 'Type/id'. */
export function serverUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}

function eventParameter(event: NotificationEventInput, input: StatusInput): Parameter {
  const part: Parameter[] = [{ name: 'event-number', valueString: String(event.eventNumber) }];
  if (event.timestamp !== undefined) part.push({ name: 'timestamp', valueInstant: event.timestamp });
  if (input.content !== 'empty') {
    if (event.focus !== undefined) part.push({ name: 'focus', valueReference: { reference: serverUrl(input.baseUrl, event.focus) } });
    for (const context of event.additionalContext ?? []) {
      part.push({ name: 'additional-context', valueReference: { reference: serverUrl(input.baseUrl, context) } });
    }
  }
  return { name: 'notification-event', part };
}

/** The status Parameters for one notification of `type`; `id` is the resource id. */
export function subscriptionStatus(type: NotificationType, input: StatusInput, id: string): Resource {
  const parameter: Parameter[] = [
    { name: 'subscription', valueReference: { reference: serverUrl(input.baseUrl, subscriptionOf(input)) } },
  ];
  // The topic SHOULD NOT be sent with empty content (the profile's comment on topic).
  if (input.topicUrl !== undefined && input.content !== 'empty') parameter.push({ name: 'topic', valueCanonical: input.topicUrl });
  parameter.push(
    { name: 'status', valueCode: input.status },
    { name: 'type', valueCode: type },
    { name: 'events-since-subscription-start', valueString: String(input.eventsSinceStart) },
  );
  for (const event of input.events ?? []) parameter.push(eventParameter(event, input));
  for (const error of input.error ?? []) parameter.push({ name: 'error', valueCodeableConcept: error });
  return { resourceType: 'Parameters', id, meta: { profile: [BACKPORT.subscriptionStatusR4] }, parameter };
}
