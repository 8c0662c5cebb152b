/**
 * The operations of subscriptions and destinations:
 *   GET [base]/Subscription/id/$status      the backport IG's $status: a searchset of one query-status
 *   GET [base]/Subscription/id/$events      the backport IG's $events: stored events by eventNumber
 *                                           (eventsSinceNumber, eventsUntilNumber, content), for a
 *                                           receiver that missed some; the caller's row rules apply
 *   GET [base]/TopicDestination/id/$status  delivered, queued, failed attempts, the last error
 * (https://hl7.org/fhir/uv/subscriptions-backport/operations.html).
 */
import type { Resource } from '../core/index.js';
import { storageOf, visibleRows, type FhirResponse, type OperationCall, type OperationDefinitionEntry } from '../engine/index.js';
import type { OperationInput } from '../operation/index.js';
import { sql } from '../sql/index.js';
import { readCurrent, readVersion } from '../storage/index.js';
import { sequenceChanges } from './change-sequencer.js';
import type { DeliveryTarget } from './delivery-target.js';
import { subscriptionErrors } from './subscription-errors.js';
import { eventsQueryAnswer, notificationEvents, storedEvents, type StoredEvent, type TargetStatus } from './target-notifications.js';
import type { TargetRegistry } from './target-registry.js';
import { TOPIC_DESTINATION } from './topic-destination-type.js';
import { statusBundle, type PayloadContent } from './topics/index.js';

/** The most events one $events answer gives. */
const MAX_EVENTS = 1000;

interface TargetRow {
  events: string;
  delivered: string;
  failed_attempts: string;
  attempts: number;
  last_error: string | null;
  last_sent_at: string | null;
  next_attempt_at: string;
  state: string;
}

async function targetRow(call: OperationCall, key: string): Promise<TargetRow | undefined> {
  const { rows } = await call.ctx.db.query<TargetRow>(sql`SELECT * FROM flint_delivery_target WHERE target = ${key}`);
  return rows[0];
}

function ok(body: Resource): FhirResponse {
  return { status: 200, headers: {}, body };
}

/**
 * The target of the route, as the registry knows it (an off or failed Subscription is none). One
 * written a moment ago is read first: the feed is brought up to date and the registry read again.
 */
async function targetOf(registry: TargetRegistry, call: OperationCall): Promise<DeliveryTarget> {
  const key = `${call.route.resourceType}/${call.route.id}`;
  if (!registry.get(key)) {
    await sequenceChanges(call.ctx.db, { wait: true });
    await registry.refresh(call.ctx.db);
  }
  const target = registry.get(key);
  if (!target) throw subscriptionErrors['subscription.not-delivering']({ target: key });
  return target;
}

function statusOf(target: DeliveryTarget, row: TargetRow | undefined): TargetStatus {
  return { status: row?.state === 'error' ? 'error' : target.status, eventsSinceStart: Number(row?.events ?? 0) };
}

export function subscriptionOperations(registry: TargetRegistry): OperationDefinitionEntry[] {
  const status = async (call: OperationCall): Promise<FhirResponse> => {
    const target = await targetOf(registry, call).catch(() => undefined);
    if (!target) return statusOfStored(call);
    const row = await targetRow(call, target.key);
    const state = statusOf(target, row);
    const error = row?.last_error ? [{ text: row.last_error }] : undefined;
    return ok(statusBundle([{
      subscriptionId: target.id, topicUrl: target.topic.url, status: state.status, eventsSinceStart: state.eventsSinceStart, content: target.content,
      baseUrl: call.request.baseUrl, ...(error ? { error } : {}),
    }]));
  };
  const events = async (call: OperationCall, input: OperationInput): Promise<FhirResponse> => {
    const target = await targetOf(registry, call);
    const row = await targetRow(call, target.key);
    const total = Number(row?.events ?? 0);
    const since = eventNumber(input.string('eventsSinceNumber'), 1, 'eventsSinceNumber');
    const until = Math.min(eventNumber(input.string('eventsUntilNumber'), total, 'eventsUntilNumber'), since + MAX_EVENTS - 1);
    const content = (input.string('content') as PayloadContent | undefined) ?? target.content;
    const stored = await visibleEvents(call, await storedEvents(call.ctx.db, target.key, since, until));
    const answer = await notificationEvents(call.ctx.db, call.ctx.storages, stored, content === 'full-resource');
    return ok(eventsQueryAnswer({ ...target, content }, statusOf(target, row), call.request.baseUrl, answer));
  };
  const destinationStatus = async (call: OperationCall): Promise<FhirResponse> => {
    const target = await targetOf(registry, call);
    const row = await targetRow(call, target.key);
    const events = Number(row?.events ?? 0);
    const delivered = Number(row?.delivered ?? 0);
    return ok({
      resourceType: 'Parameters',
      parameter: [
        { name: 'status', valueCode: row?.state ?? 'active' },
        { name: 'messagesDelivered', valueInteger: delivered },
        { name: 'messagesQueued', valueInteger: events - delivered },
        { name: 'failedDeliveryAttempts', valueInteger: Number(row?.failed_attempts ?? 0) },
        ...(row?.last_error ? [{ name: 'lastErrorDetail', valueString: row.last_error }] : []),
        ...(row?.last_sent_at ? [{ name: 'lastDeliveryAt', valueInstant: new Date(row.last_sent_at).toISOString() }] : []),
      ],
    });
  };
  return [
    { name: 'status', levels: ['instance'], resourceTypes: ['Subscription'], affectsState: false, handler: status },
    {
      name: 'events', levels: ['instance'], resourceTypes: ['Subscription'], affectsState: false, handler: events,
      parameters: [
        { name: 'eventsSinceNumber', min: 0, max: 1, type: 'string', alsoAccepts: ['integer'] },
        { name: 'eventsUntilNumber', min: 0, max: 1, type: 'string', alsoAccepts: ['integer'] },
        { name: 'content', min: 0, max: 1, type: 'code' },
      ],
    },
    { name: 'status', levels: ['instance'], resourceTypes: [TOPIC_DESTINATION], affectsState: false, handler: destinationStatus },
  ];
}

/** The status of a Subscription that takes no events (off, or in error): as its resource says. */
async function statusOfStored(call: OperationCall): Promise<FhirResponse> {
  const storage = storageOf(call.ctx, 'Subscription');
  const stored = await readCurrent(call.ctx.db, storage, call.route.id as string, visibleRows(call.ctx, call.request, 'Subscription'));
  if (!stored) throw subscriptionErrors['subscription.not-delivering']({ target: `Subscription/${call.route.id}` });
  const row = await targetRow(call, `Subscription/${call.route.id}`);
  const { resource } = stored;
  const error = typeof resource.error === 'string' ? [{ text: resource.error }] : undefined;
  return ok(statusBundle([{
    subscriptionId: resource.id as string, topicUrl: resource.criteria as string, status: resource.status as 'off' | 'error',
    eventsSinceStart: Number(row?.events ?? 0), content: 'id-only', baseUrl: call.request.baseUrl, ...(error ? { error } : {}),
  }]));
}

function eventNumber(text: string | undefined, otherwise: number, name: string): number {
  if (text === undefined) return otherwise;
  if (!/^\d{1,15}$/.test(text)) throw subscriptionErrors['subscription.bad-event-number']({ detail: `${name} must be a whole number, not "${text}"` });
  return Number(text);
}

/** The events whose version the caller may read (its row rules); all of them without rules. */
async function visibleEvents(call: OperationCall, events: StoredEvent[]): Promise<StoredEvent[]> {
  const kept: StoredEvent[] = [];
  for (const event of events) {
    const visible = visibleRows(call.ctx, call.request, event.resource_type);
    const storage = call.ctx.storages.storageFor(event.resource_type);
    if (!visible) kept.push(event);
    else if (storage && await readVersion(call.ctx.db, storage, event.id, event.txid, visible)) kept.push(event);
  }
  return kept;
}
