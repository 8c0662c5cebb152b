/**
 * Notification Bundles against the backport IG's R4 examples (r4-notification-handshake,
 * -heartbeat, -empty, -id-only, -full-resource, -multi-resource, -error): their structure, the
 * parameters of the status in order, the focus entries by content, and every Bundle valid for the
 * R4 model (history Bundles need request and response on each entry).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Bundle, Resource } from '../../../src/core/index.js';
import {
  BACKPORT, eventNotificationBundle, eventsBundle, handshakeBundle, heartbeatBundle, statusBundle, type NotificationInput,
} from '../../../src/subscriptions/topics/index.js';
import { FhirValidator } from '../../../src/validation/index.js';
import { topicModel } from './topic-fixtures.js';

let validator: FhirValidator;
before(async () => { validator = new FhirValidator(await topicModel()); });

const BASE = 'https://example.org/fhir/';
const TOPIC = 'http://hl7.org/SubscriptionTopic/admission';
const ENCOUNTER_ID = '86009987-eabe-42bf-8c02-b112b18cb616';
const encounterResource: Resource = { resourceType: 'Encounter', id: ENCOUNTER_ID, meta: { versionId: '1' }, status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' }, subject: { reference: 'Patient/1599eb66-431a-447c-a3de-6897fe9ae9a1' } };

function input(fields: Partial<NotificationInput> = {}): NotificationInput {
  return {
    subscriptionId: 'admission', topicUrl: TOPIC, status: 'active', eventsSinceStart: 2, content: 'id-only', baseUrl: BASE,
    timestamp: '2020-05-29T11:44:13.188-05:00',
    events: [{ eventNumber: 2, timestamp: '2020-05-29T11:44:13.188-05:00', focus: `Encounter/${ENCOUNTER_ID}`, event: 'created', resource: encounterResource }],
    ...fields,
  };
}

type Parameter = { name: string; part?: Parameter[]; [key: string]: unknown };
const status = (bundle: Bundle) => bundle.entry?.[0].resource as Resource & { parameter: Parameter[] };
const names = (bundle: Bundle) => status(bundle).parameter.map((p) => p.name);
const value = (bundle: Bundle, name: string) => {
  const found = status(bundle).parameter.find((p) => p.name === name);
  return found && Object.entries(found).find(([key]) => key.startsWith('value'))?.[1];
};

async function assertValid(bundle: Bundle): Promise<void> {
  const errors = (await validator.validate(bundle)).filter((issue) => issue.severity === 'error');
  assert.deepEqual(errors.map((issue) => `${issue.code} ${issue.expression?.[0]}: ${issue.diagnostics}`), []);
}

describe('notification Bundles', () => {
  it('handshake: a history Bundle of the status alone, as the answer of a GET of $status', async () => {
    const bundle = handshakeBundle(input({ status: 'requested', eventsSinceStart: 0 }));
    assert.equal(bundle.type, 'history');
    assert.equal(bundle.timestamp, '2020-05-29T11:44:13.188-05:00');
    assert.equal(bundle.entry?.length, 1);
    const [entry] = bundle.entry ?? [];
    assert.match(entry.fullUrl ?? '', /^urn:uuid:[0-9a-f-]{36}$/);
    assert.equal(entry.fullUrl, `urn:uuid:${entry.resource?.id}`);
    assert.deepEqual([entry.request, entry.response], [{ method: 'GET', url: 'https://example.org/fhir/Subscription/admission/$status' }, { status: '200' }]);
    assert.deepEqual(entry.resource?.meta, { profile: [BACKPORT.subscriptionStatusR4] });
    assert.deepEqual(status(bundle).parameter, [
      { name: 'subscription', valueReference: { reference: 'https://example.org/fhir/Subscription/admission' } },
      { name: 'topic', valueCanonical: TOPIC },
      { name: 'status', valueCode: 'requested' },
      { name: 'type', valueCode: 'handshake' },
      { name: 'events-since-subscription-start', valueString: '0' },
    ]);
    await assertValid(bundle);
  });

  it('heartbeat: the status alone, whatever events are given', async () => {
    const bundle = heartbeatBundle(input());
    assert.deepEqual([bundle.entry?.length, value(bundle, 'type'), value(bundle, 'events-since-subscription-start')], [1, 'heartbeat', '2']);
    assert.equal(names(bundle).includes('notification-event'), false);
    await assertValid(bundle);
  });

  it('empty: the event number and timestamp, no focus, no topic and no other entry', async () => {
    const bundle = eventNotificationBundle(input({ content: 'empty' }));
    assert.deepEqual(names(bundle), ['subscription', 'status', 'type', 'events-since-subscription-start', 'notification-event']);
    assert.deepEqual(status(bundle).parameter[4].part, [
      { name: 'event-number', valueString: '2' },
      { name: 'timestamp', valueInstant: '2020-05-29T11:44:13.188-05:00' },
    ]);
    assert.equal(bundle.entry?.length, 1);
    await assertValid(bundle);
  });

  it('id-only: the focus in the event, and an entry with fullUrl, request and response but no resource', async () => {
    const bundle = eventNotificationBundle(input());
    assert.deepEqual(status(bundle).parameter[5].part?.[2], { name: 'focus', valueReference: { reference: `https://example.org/fhir/Encounter/${ENCOUNTER_ID}` } });
    assert.deepEqual(bundle.entry?.[1], {
      fullUrl: `https://example.org/fhir/Encounter/${ENCOUNTER_ID}`, request: { method: 'POST', url: 'Encounter' }, response: { status: '201' },
    });
    await assertValid(bundle);
  });

  it('full-resource: the entry carries the resource (the IG example r4-notification-full-resource)', async () => {
    const bundle = eventNotificationBundle(input({ content: 'full-resource' }));
    assert.deepEqual(names(bundle), ['subscription', 'topic', 'status', 'type', 'events-since-subscription-start', 'notification-event']);
    assert.deepEqual(bundle.entry?.[1], {
      fullUrl: `https://example.org/fhir/Encounter/${ENCOUNTER_ID}`, resource: encounterResource, request: { method: 'POST', url: 'Encounter' }, response: { status: '201' },
    });
    await assertValid(bundle);
  });

  it('several events: one notification-event and one entry each, with additional context and the interaction of each', async () => {
    const bundle = eventNotificationBundle(input({
      content: 'full-resource', eventsSinceStart: 4,
      events: [
        { eventNumber: 3, focus: 'Encounter/e1', event: 'updated', resource: { ...encounterResource, id: 'e1' }, additionalContext: ['Patient/p1'] },
        { eventNumber: 4, focus: 'Encounter/e2', event: 'deleted' },
        { eventNumber: 5, focus: 'Encounter/e3' },
      ],
    }));
    assert.deepEqual(status(bundle).parameter.filter((p) => p.name === 'notification-event').map((p) => p.part?.map((part) => part.name)), [
      ['event-number', 'focus', 'additional-context'], ['event-number', 'focus'], ['event-number', 'focus'],
    ]);
    assert.deepEqual(bundle.entry?.slice(1).map((e) => [e.fullUrl, e.resource?.id, e.request?.method, e.request?.url, e.response?.status]), [
      ['https://example.org/fhir/Encounter/e1', 'e1', 'PUT', 'Encounter/e1', '200'],
      ['https://example.org/fhir/Encounter/e2', undefined, 'DELETE', 'Encounter/e2', '204'],
      ['https://example.org/fhir/Encounter/e3', undefined, 'GET', 'Encounter/e3', '200'],
    ]);
    await assertValid(bundle);
  });

  it('an error status carries its errors (the IG example r4-notification-error)', async () => {
    const error = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscription-error', code: 'no-response' }] };
    const bundle = eventsBundle(input({ status: 'error', eventsSinceStart: 3, events: [], error: [error] }));
    assert.deepEqual([value(bundle, 'type'), value(bundle, 'status'), value(bundle, 'error')], ['query-event', 'error', error]);
    await assertValid(bundle);
  });

  it('$status: a searchset of one query-status Parameters per Subscription', async () => {
    const bundle = statusBundle([input(), input({ subscriptionId: 'other', status: 'off', eventsSinceStart: 7 })]);
    assert.deepEqual([bundle.type, bundle.total, bundle.entry?.map((e) => e.search?.mode)], ['searchset', 2, ['match', 'match']]);
    assert.deepEqual(bundle.entry?.map((e) => [value({ resourceType: 'Bundle', type: 'x', entry: [e] }, 'subscription'), value({ resourceType: 'Bundle', type: 'x', entry: [e] }, 'type')]), [
      [{ reference: 'https://example.org/fhir/Subscription/admission' }, 'query-status'],
      [{ reference: 'https://example.org/fhir/Subscription/other' }, 'query-status'],
    ]);
    assert.equal(names({ resourceType: 'Bundle', type: 'x', entry: [bundle.entry![0]] }).includes('notification-event'), false);
    await assertValid(bundle);
  });
});
