/**
 * What a receiver got, as the delivery guarantees speak of it: every delivered event in arrival
 * order (its eventNumber and the version of its focus the full-resource notification carried), and
 * the checks over them: each eventNumber 1..N exactly once (or at least once), the versions
 * delivered against the versions written, and each resource's versions arriving in order.
 */
import assert from 'node:assert/strict';
import { eventNumbers, notificationType, type Received } from './receiver.js';

export interface DeliveredEvent {
  eventNumber: number;
  /** `Encounter/<id>/_history/<versionId>` of the focus the notification carried. */
  version: string;
  /** The server whose base URL the notification names (the Subscription's reference). */
  server: string;
}

export const versionOf = (resource: { resourceType: string; id: string; meta: { versionId: string } }): string =>
  `${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;

function serverOf(bundle: any): string {
  const reference: string = bundle.entry[0].resource.parameter.find((parameter: any) => parameter.name === 'subscription')?.valueReference?.reference ?? '';
  return reference.replace(/\/(Subscription|TopicDestination)\/.*$/, '');
}

/** The events of the event-notifications received, in the order they arrived. */
export function deliveredEvents(received: readonly Received[]): DeliveredEvent[] {
  const events: DeliveredEvent[] = [];
  for (const { body } of received) {
    if (notificationType(body) !== 'event-notification') continue;
    const numbers = eventNumbers(body);
    const focuses = body.entry.slice(1);
    assert.equal(focuses.length, numbers.length, 'a full-resource notification has one focus entry per event');
    numbers.forEach((eventNumber, index) => events.push({ eventNumber, version: versionOf(focuses[index].resource), server: serverOf(body) }));
  }
  return events;
}

function counts(values: readonly (number | string)[]): Map<number | string, number> {
  const seen = new Map<number | string, number>();
  for (const value of values) seen.set(value, (seen.get(value) ?? 0) + 1);
  return seen;
}

/** How many deliveries repeated an eventNumber already delivered. */
export function duplicates(events: readonly DeliveredEvent[]): number {
  return events.length - new Set(events.map((event) => event.eventNumber)).size;
}

/** Each eventNumber 1..total arrived exactly once, and nothing else. */
export function assertEachEventOnce(events: readonly DeliveredEvent[], total: number, label: string): void {
  const seen = counts(events.map((event) => event.eventNumber));
  const missing = Array.from({ length: total }, (_, index) => index + 1).filter((number) => !seen.has(number));
  const repeated = [...seen].filter(([, count]) => count > 1).map(([number]) => number);
  const unknown = [...seen.keys()].filter((number) => Number(number) < 1 || Number(number) > total);
  assert.deepEqual({ missing, repeated, unknown }, { missing: [], repeated: [], unknown: [] }, `${label}: eventNumbers 1..${total} exactly once`);
  assert.equal(events.length, total, label);
}

/** Each eventNumber 1..total arrived, some maybe more than once, each time with the same version, and nothing else. */
export function assertEachEventAtLeastOnce(events: readonly DeliveredEvent[], total: number, label: string): void {
  const numbers = [...new Set(events.map((event) => event.eventNumber))].sort((a, b) => a - b);
  assert.deepEqual(numbers, Array.from({ length: total }, (_, index) => index + 1), `${label}: eventNumbers 1..${total} at least once`);
  const versions = new Map<number, string>();
  for (const { eventNumber, version } of events) {
    assert.equal(versions.get(eventNumber) ?? version, version, `${label}: a repeated eventNumber ${eventNumber} carries the same version`);
    versions.set(eventNumber, version);
  }
}

/** The versions delivered are exactly the versions written (as sets). */
export function assertVersions(events: readonly DeliveredEvent[], written: readonly string[], label: string): void {
  const delivered = new Set(events.map((event) => event.version));
  const missing = written.filter((version) => !delivered.has(version));
  const extra = [...delivered].filter((version) => !written.includes(version));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${label}: the versions delivered are the versions written`);
}

/** Each resource's versionIds arrive increasing (a repeat of the last one, a redelivery, is allowed with `repeats`). */
export function assertInOrderPerResource(events: readonly DeliveredEvent[], label: string, repeats = false): void {
  const last = new Map<string, number>();
  const disorders: string[] = [];
  for (const { version } of events) {
    const [resource, versionId] = version.split('/_history/');
    const previous = last.get(resource) ?? 0;
    const current = Number(versionId);
    if (current < previous || (current === previous && !repeats)) disorders.push(`${resource}: ${current} after ${previous}`);
    last.set(resource, Math.max(previous, current));
  }
  assert.deepEqual(disorders, [], `${label}: each resource's versions arrive in order`);
}
