/**
 * TopicDestinations for the end-to-end tests: a destination of a kind with its parameters, the
 * parsed notifications a consumer received (eventNumber, focus, version), the checks that every
 * event arrived exactly once and in order per resource, and the destination's $status as numbers.
 */
import assert from 'node:assert/strict';
import { within } from '../../support/eventually.js';
import type { TestFlint } from '../../support/test-server.js';
import { eventNumbers } from './receiver.js';

export function topicDestination(kind: string, topic: string, parameters: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'TopicDestination', status: 'active', kind, topic, content: 'full-resource',
    ...(Object.keys(parameters).length > 0 ? { parameter: Object.entries(parameters).map(([name, value]) => ({ name, valueString: value })) } : {}),
    ...extra,
  };
}

/** One event as a consumer saw it. */
export interface SeenEvent {
  eventNumber: number;
  focus: string;
  versionId: string;
}

/** The events of a notification Bundle (brokers: one a message). */
export function seenEvents(bundle: any): SeenEvent[] {
  const numbers = eventNumbers(bundle);
  const resources = (bundle?.entry ?? []).slice(1).map((entry: any) => entry.resource);
  return numbers.map((eventNumber, i) => ({
    eventNumber, focus: `${resources[i]?.resourceType}/${resources[i]?.id}`, versionId: String(resources[i]?.meta?.versionId),
  }));
}

/** Every eventNumber 1..count exactly once, and each resource's versions in the order they were written. */
export function assertExactlyOnceInOrder(seen: SeenEvent[], count: number): void {
  assert.deepEqual(seen.map((event) => event.eventNumber).sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i + 1));
  const byFocus = new Map<string, number[]>();
  for (const event of seen) byFocus.set(event.focus, [...(byFocus.get(event.focus) ?? []), Number(event.versionId)]);
  for (const [focus, versions] of byFocus) {
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `the versions of ${focus} arrive in order`);
  }
}

/** Writes `resources` Encounters and `updates` updates of each (all matching the topic), one after the other. */
export async function writeEncounters(flint: TestFlint, resources: number, updates: number, patient = 'Patient/p1'): Promise<number> {
  const ids: string[] = [];
  const encounter = (status: string) => ({ resourceType: 'Encounter', status, class: { code: 'AMB' }, subject: { reference: patient } });
  for (let i = 0; i < resources; i++) {
    const created = await flint.post('/fhir/Encounter', encounter('planned'));
    assert.equal(created.status, 201, created.text);
    ids.push(created.body.id);
  }
  const statuses = ['arrived', 'in-progress', 'finished', 'onleave'];
  for (let u = 0; u < updates; u++) {
    for (const id of ids) {
      const updated = await flint.put(`/fhir/Encounter/${id}`, { ...encounter(statuses[u % statuses.length]), id });
      assert.equal(updated.status, 200, updated.text);
    }
  }
  return resources * (updates + 1);
}

export interface DestinationStatus {
  status: string;
  delivered: number;
  queued: number;
  failedAttempts: number;
  lastError?: string;
}

export async function destinationStatus(flint: TestFlint, id: string): Promise<DestinationStatus> {
  const answer = await flint.get(`/fhir/TopicDestination/${id}/$status`);
  assert.equal(answer.status, 200, answer.text);
  const value = (name: string) => answer.body.parameter.find((parameter: any) => parameter.name === name);
  return {
    status: value('status').valueCode,
    delivered: value('messagesDelivered').valueInteger,
    queued: value('messagesQueued').valueInteger,
    failedAttempts: value('failedDeliveryAttempts').valueInteger,
    ...(value('lastErrorDetail') ? { lastError: value('lastErrorDetail').valueString } : {}),
  };
}

/** Creates a destination and answers its id once the server delivers to it (its $status answers). */
export async function createDestination(flint: TestFlint, body: Record<string, unknown>): Promise<string> {
  const created = await flint.post('/fhir/TopicDestination', body);
  assert.equal(created.status, 201, created.text);
  const id = created.body.id as string;
  await within(10_000, async () => (await flint.get(`/fhir/TopicDestination/${id}/$status`)).status === 200);
  return id;
}
